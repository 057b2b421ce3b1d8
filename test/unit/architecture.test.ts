// The shape issue 11 set, kept by a test: outside a platform's own folders (src/core/platforms/<id>/,
// src/platforms/<id>/) no code switches on a platform or syntax name; src/core never imports vscode
// (also a lint rule: this test says it in the unit suite's words).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative, sep } from 'node:path';

const root = join(__dirname, '..', '..', '..');
const files = (dir: string): string[] => readdirSync(dir).flatMap((f) => (statSync(join(dir, f)).isDirectory() ? files(join(dir, f)) : [join(dir, f)]));
const sources = files(join(root, 'src'))
  .filter((f) => f.endsWith('.ts'))
  .map((f) => relative(root, f).split(sep).join('/'));
/** A platform's own folders, where its name may be spoken. */
const own = /^src\/(core\/)?platforms\/[a-z]+\//;
const NAMES = 'apolo|neuro|zenml|mosaic|flyte';
const SWITCH = new RegExp(`(platform|syntax|id) [!=]== '(${NAMES}|template)'|case '(${NAMES}|template)'|'(${NAMES})'`);

/** Code lines only: comments say which platform does what, and may. */
function codeLines(text: string): Array<[number, string]> {
  const out: Array<[number, string]> = [];
  let inBlock = false;
  text.split('\n').forEach((line, i) => {
    const t = line.trim();
    if (inBlock) {
      if (t.includes('*/')) inBlock = false;
      return;
    }
    if (t.startsWith('/*')) {
      inBlock = !t.includes('*/');
      return;
    }
    if (t.startsWith('//')) return;
    out.push([i + 1, line.replace(/\s\/\/ .*$/, '')]);
  });
  return out;
}

test('no platform or syntax switch outside src/core/platforms/<id>/ and src/platforms/<id>/', () => {
  assert.ok(sources.length > 50, `found ${sources.length} source files`);
  const found: string[] = [];
  for (const f of sources.filter((x) => !own.test(x))) {
    for (const [n, line] of codeLines(readFileSync(join(root, f), 'utf8'))) {
      // The id union itself is where the names are declared.
      if (f === 'src/core/platforms/types.ts' && /^export type PlatformId =/.test(line)) continue;
      if (SWITCH.test(line)) found.push(`${f}:${n}: ${line.trim()}`);
    }
  }
  assert.deepEqual(found, []);
});

test('the switch pattern catches what it is meant to (so the test above can fail)', () => {
  for (const bad of ["if (rec.platform === 'flyte') {", "  case 'zenml':", "r.syntax !== 'apolo'", "const FAMILY = ['apolo', 'neuro'];"]) assert.ok(SWITCH.test(bad), bad);
  assert.deepEqual(codeLines("// platform === 'flyte'\n/* 'zenml'\n */\nx(); // 'apolo'"), [[4, 'x();']]);
});

test('src/core imports no vscode', () => {
  const bad = sources.filter((f) => f.startsWith('src/core/') && /from 'vscode'|require\('vscode'\)/.test(readFileSync(join(root, f), 'utf8')));
  assert.deepEqual(bad, []);
});
