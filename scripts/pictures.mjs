#!/usr/bin/env node
// The README's and the walkthrough's pictures, made from the UI tests' screenshots
// (.test-output/ui/, written by `npm test`'s UI stage, which runs this script after it) so they never
// go stale: each chosen screenshot is cut, scaled and encoded (JPEG, WebP) by the Chromium the UI tests use.
// media/readme/ is for the README only (kept out of the .vsix); media/walkthrough/ ships with the
// extension, so its pictures are small. A screenshot that is missing (a UI check failed) keeps the
// committed picture.
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const repo = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const shots = join(repo, '.test-output', 'ui');

/**
 * [screenshot, picture, the part shown as [x, y, width, height] of the 1500×950 screenshot (whole when
 * left out), scale, quality]. The README's are JPEG; the walkthrough's ship in the .vsix, so they are
 * WebP (about 40% smaller than JPEG for the same sharpness on screenshots of text) and cut close at
 * (nearly) full size, so the step's text reads as on screen.
 */
export const PICTURES = [
  ['tree.png', 'media/readme/tree.jpg', undefined, 1100 / 1500, 0.8],
  ['editor-lenses.png', 'media/readme/lenses.jpg', undefined, 1100 / 1500, 0.8],
  ['checks-11-quickfix.png', 'media/readme/quickfix.jpg', undefined, 1100 / 1500, 0.8],
  ['plaintext-2-quickfix.png', 'media/readme/plaintext.jpg', undefined, 1100 / 1500, 0.8],
  ['install-1-welcome-walkthrough.png', 'media/readme/walkthrough.jpg', undefined, 1100 / 1500, 0.8],
  ['install-2-tree.png', 'media/walkthrough/connect.webp', [0, 35, 350, 400], 1, 0.5],
  ['editor-lenses.png', 'media/walkthrough/check.webp', [360, 185, 760, 265], 1, 0.5],
  ['walkthrough-create-value.png', 'media/walkthrough/create.webp', [355, 0, 790, 450], 0.8, 0.5],
  ['walkthrough-preflight.png', 'media/walkthrough/preflight.webp', [355, 645, 1140, 190], 0.8, 0.5],
];

export async function makePictures({ log = console.log } = {}) {
  const todo = PICTURES.filter(([from]) => existsSync(join(shots, from)));
  if (!todo.length) return 0;
  const { ensureEnv } = await import('./env.mjs');
  const { chromium: executablePath } = await ensureEnv({ log: () => undefined });
  const { chromium } = await import('playwright-core');
  const browser = await chromium.launch({ executablePath, headless: true, args: ['--no-sandbox', '--disable-gpu'] });
  try {
    const page = await browser.newPage();
    for (const [from, to, part, scale, quality] of todo) {
      const data = readFileSync(join(shots, from)).toString('base64');
      const type = to.endsWith('.webp') ? 'image/webp' : 'image/jpeg';
      // The part is drawn on a canvas at `scale` (high-quality smoothing) and encoded by the browser.
      const url = await page.evaluate(
        async ([png, part, scale, type, quality]) => {
          const img = new Image();
          img.src = `data:image/png;base64,${png}`;
          await img.decode();
          const [x, y, w, h] = part ?? [0, 0, img.naturalWidth, img.naturalHeight];
          const c = document.createElement('canvas');
          c.width = Math.round(w * scale);
          c.height = Math.round(h * scale);
          const g = c.getContext('2d');
          g.imageSmoothingQuality = 'high';
          g.drawImage(img, x, y, w, h, 0, 0, c.width, c.height);
          return c.toDataURL(type, quality);
        },
        [data, part, scale, type, quality],
      );
      if (!url.startsWith(`data:${type};`)) throw new Error(`this Chromium cannot encode ${type}`);
      const bytes = Buffer.from(url.slice(url.indexOf(',') + 1), 'base64');
      mkdirSync(dirname(join(repo, to)), { recursive: true });
      writeFileSync(join(repo, to), bytes);
      log(`${to}: ${(bytes.length / 1024).toFixed(1)} KB from ${from}`);
    }
  } finally {
    await browser.close();
  }
  return todo.length;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) await makePictures();
