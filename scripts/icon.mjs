#!/usr/bin/env node
// Makes the marketplace icon, media/icon.png (128×128, the size the VS Code Marketplace and Open VSX
// show), from the activity-bar glyph media/secrets.svg: the lock drawn white on a rounded indigo
// square. Rendered by the Chromium the UI tests use (scripts/env.mjs ensureEnv), so no image
// library is needed. `npm run icon` rewrites it; the PNG is committed (vsce packages files as they are).
import { readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const repo = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const SIZE = 128;
/** The gallery banner uses the same colour (package.json galleryBanner.color). */
export const BACKGROUND = '#312e81';

export function iconHtml(svg) {
  // The glyph's own strokes, in white and a little heavier so they read at 128 px.
  const glyph = svg
    .replace(/width="24" height="24"/, 'width="88" height="88"')
    .replace(/stroke="currentColor"/, 'stroke="#ffffff"')
    .replace(/stroke-width="[\d.]+"/, 'stroke-width="1.9"');
  return `<!doctype html><html><body style="margin:0;background:transparent">
<div id="icon" style="width:${SIZE}px;height:${SIZE}px;border-radius:24px;display:flex;align-items:center;justify-content:center;
  background:linear-gradient(145deg,#4f46e5 0%,${BACKGROUND} 100%)">${glyph}</div></body></html>`;
}

export async function renderIcon(out = join(repo, 'media', 'icon.png')) {
  const { ensureEnv } = await import('./env.mjs');
  const { chromium: executablePath } = await ensureEnv({ log: () => undefined });
  const { chromium } = await import('playwright-core');
  const browser = await chromium.launch({ executablePath, headless: true, args: ['--no-sandbox', '--disable-gpu'] });
  try {
    const page = await browser.newPage({ viewport: { width: SIZE, height: SIZE }, deviceScaleFactor: 1 });
    await page.setContent(iconHtml(readFileSync(join(repo, 'media', 'secrets.svg'), 'utf8')));
    const png = await page.locator('#icon').screenshot({ omitBackground: true });
    writeFileSync(out, png);
    return png;
  } finally {
    await browser.close();
  }
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const png = await renderIcon();
  console.log(`media/icon.png: ${png.length} bytes, ${SIZE}×${SIZE}`);
}
