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

/** [screenshot, picture, width in px, JPEG quality]. */
export const PICTURES = [
  ['tree.png', 'media/readme/tree.jpg', 1100, 80],
  ['editor-lenses.png', 'media/readme/lenses.jpg', 1100, 80],
  ['checks-11-quickfix.png', 'media/readme/quickfix.jpg', 1100, 80],
  ['plaintext-2-quickfix.png', 'media/readme/plaintext.jpg', 1100, 80],
  ['tree.png', 'media/walkthrough/connect.jpg', 560, 50],
  ['editor-lenses.png', 'media/walkthrough/check.jpg', 560, 50],
  ['missing-create.png', 'media/walkthrough/create.jpg', 560, 50],
  ['problems.png', 'media/walkthrough/preflight.jpg', 560, 50],
];

export async function makePictures({ log = console.log } = {}) {
  const todo = PICTURES.filter(([from]) => existsSync(join(shots, from)));
  if (!todo.length) return 0;
  const { ensureEnv } = await import('./env.mjs');
  const { chromium: executablePath } = await ensureEnv({ log: () => undefined });
  const { chromium } = await import('playwright-core');
  const browser = await chromium.launch({ executablePath, headless: true, args: ['--no-sandbox', '--disable-gpu'] });
  try {
    const page = await browser.newPage({ viewport: { width: 1200, height: 900 }, deviceScaleFactor: 1 });
    for (const [from, to, width, quality] of todo) {
      const data = readFileSync(join(shots, from)).toString('base64');
      await page.setContent(`<body style="margin:0"><img id="p" style="display:block;width:${width}px" src="data:image/png;base64,${data}"></body>`);
      await page.locator('#p').evaluate((img) => img.decode());
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
