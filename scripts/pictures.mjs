#!/usr/bin/env node
// The README's and the walkthrough's pictures, made from the UI tests' screenshots
// (.test-output/ui/, written by `npm test`'s UI stage, which runs this script after it) so they never
// go stale: each chosen screenshot is scaled down and saved as JPEG by the Chromium the UI tests use.
// media/readme/ is for the README only (kept out of the .vsix); media/walkthrough/ ships with the
// extension, so its pictures are small. A screenshot that is missing (a UI check failed) keeps the
// committed picture.
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const repo = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const shots = join(repo, '.test-output', 'ui');

/** The part of a 1500×950 screenshot a picture shows: [x, y, width, height]. */
const SIDEBAR = [0, 0, 520, 950];
const EDITOR = [340, 0, 1160, 600];
const PANEL = [340, 560, 1160, 390];

/** [screenshot, picture, width in px, JPEG quality, the part shown (whole when left out)]. */
export const PICTURES = [
  ['tree.png', 'media/readme/tree.jpg', 1100, 80],
  ['editor-lenses.png', 'media/readme/lenses.jpg', 1100, 80],
  ['checks-11-quickfix.png', 'media/readme/quickfix.jpg', 1100, 80],
  ['plaintext-2-quickfix.png', 'media/readme/plaintext.jpg', 1100, 80],
  ['tree.png', 'media/walkthrough/connect.jpg', 340, 45, SIDEBAR],
  ['editor-lenses.png', 'media/walkthrough/check.jpg', 580, 45, EDITOR],
  ['missing-create.png', 'media/walkthrough/create.jpg', 580, 45, EDITOR],
  ['problems.png', 'media/walkthrough/preflight.jpg', 580, 45, PANEL],
];

export async function makePictures({ log = console.log } = {}) {
  const todo = PICTURES.filter(([from]) => existsSync(join(shots, from)));
  if (!todo.length) return 0;
  const { ensureEnv } = await import('./env.mjs');
  const { chromium: executablePath } = await ensureEnv({ log: () => undefined });
  const { chromium } = await import('playwright-core');
  const browser = await chromium.launch({ executablePath, headless: true, args: ['--no-sandbox', '--disable-gpu'] });
  try {
    const page = await browser.newPage({ viewport: { width: 1200, height: 1000 }, deviceScaleFactor: 1 });
    for (const [from, to, width, quality, part] of todo) {
      const data = readFileSync(join(shots, from)).toString('base64');
      // The part is cut out by a clipping box around the full-size screenshot, then scaled to `width`.
      const [x, y, w, h] = part ?? [0, 0, 1500, 950];
      const scale = width / w;
      await page.setContent(
        `<body style="margin:0"><div id="p" style="width:${width}px;height:${Math.round(h * scale)}px;overflow:hidden;position:relative">` +
          `<img style="position:absolute;left:${-x * scale}px;top:${-y * scale}px;width:${1500 * scale}px" src="data:image/png;base64,${data}"></div></body>`,
      );
      await page.locator('#p img').evaluate((img) => img.decode());
      const jpeg = await page.locator('#p').screenshot({ type: 'jpeg', quality });
      mkdirSync(dirname(join(repo, to)), { recursive: true });
      writeFileSync(join(repo, to), jpeg);
      log(`${to}: ${(jpeg.length / 1024).toFixed(1)} KB from ${from}`);
    }
  } finally {
    await browser.close();
  }
  return todo.length;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) await makePictures();
