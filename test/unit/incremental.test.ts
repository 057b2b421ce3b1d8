// The incremental re-scan must always equal a full scan of the edited text.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { YamlScanState } from '../../src/core/references/incremental';
import type { SecretReference } from '../../src/core/references/reference';
import { scanYaml } from '../../src/core/references/scanner';
import { scanYamlDetailed } from '../../src/core/references/yamlParser';

const BASE = [
  `jobs:
  train:
    image: ubuntu
    env:
      A: secret:alpha
      B: "secret:/proj/beta"
      C: 'x <<gamma.key>> y'
    volumes:
      - secret:delta:/var/secret/d
      - {x: "<<eps>>"}
    cmd: |
      run <<zeta.k>>
      more
  serve:
    env:
      TOKEN: secret:eta # ml-secrets-ignore
      OTHER: secret:theta   # note
    list: [secret:iota, "<<kappa>>"]
`,
  `- name: one
  value: <<one.k>>
- name: two
  env:
    - WANDB=secret:wandb
    - --env HF=secret:hf
---
second: secret:doc2
nested:
  deeper:
    deepest: "{{ z.k }}"
`,
];

const SNIPPETS = ['secret:new', ' <<ins.k>>', '\n      N: secret:added\n', '"', "'", '[', ']', '{', '}', '\n', '  ', '#', ' # ml-secrets-ignore', ': ', '- ', '|\n', 'x', '\t', '\n---\n', '<<', '>>', 'secret:', '\n  top: secret:t\n', '\nroot: 1\n'];

function norm(refs: SecretReference[]) {
  return refs.map((r) => [r.start, r.end, r.text, r.name, r.key ?? null, r.problem ?? null, r.nameStart ?? null, r.dynamic ?? null]);
}

function rng(seed: number) {
  let s = seed >>> 0;
  return () => {
    s = (s * 1664525 + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

test('random edits (garbage included): the incremental result always equals a full scan', () => {
  const rand = rng(20261122);
  let incremental = 0;
  let total = 0;
  for (const base of BASE) {
    let state = YamlScanState.full(base);
    let text = base;
    for (let i = 0; i < 1500; i++) {
      const kind = rand();
      let start = Math.floor(rand() * (text.length + 1));
      let end = start;
      let ins = '';
      if (kind < 0.45) ins = SNIPPETS[Math.floor(rand() * SNIPPETS.length)];
      else if (kind < 0.8) {
        end = Math.min(text.length, start + 1 + Math.floor(rand() * 6));
      } else {
        end = Math.min(text.length, start + 1);
        ins = String.fromCharCode(97 + Math.floor(rand() * 26));
      }
      if (start > end) [start, end] = [end, start];
      const next = text.slice(0, start) + ins + text.slice(end);
      state = state.apply(next, [{ start, end, text: ins }]);
      text = next;
      total++;
      if (state.incremental) incremental++;
      assert.deepEqual(norm(state.result.references), norm(scanYaml(text).references), `edit ${i} at ${start}: ${JSON.stringify(ins)}\n${text}`);
      // Keep the text from drifting into garbage: reset now and then.
      if (i % 150 === 149) {
        text = base;
        state = YamlScanState.full(text);
      }
    }
  }
  console.log(`incremental updates: ${incremental}/${total}`);
  assert.ok(incremental > 0);
});

test('typing in a well-formed file stays incremental', () => {
  let text = BASE[0];
  let state = YamlScanState.full(text);
  const typed = 'secret:typed_name';
  let at = text.indexOf('image: ubuntu') + 'image: '.length;
  text = text.slice(0, at) + text.slice(at + 'ubuntu'.length);
  state = state.apply(text, [{ start: at, end: at + 'ubuntu'.length, text: '' }]);
  for (const ch of typed) {
    const next = text.slice(0, at) + ch + text.slice(at);
    state = state.apply(next, [{ start: at, end: at, text: ch }]);
    assert.equal(state.incremental, true, `typing '${ch}'`);
    text = next;
    at++;
    assert.deepEqual(norm(state.result.references), norm(scanYaml(text).references));
  }
  assert.ok(state.result.references.some((r) => r.name === 'typed_name'));
  // A new line with a new key at the same indentation is incremental too.
  const lineAt = text.indexOf('    volumes:');
  const ins = '    extra: secret:added_line\n';
  const next = text.slice(0, lineAt) + ins + text.slice(lineAt);
  state = state.apply(next, [{ start: lineAt, end: lineAt, text: ins }]);
  assert.deepEqual(norm(state.result.references), norm(scanYaml(next).references));
});

test('a value edit in a big file re-parses one item', () => {
  const lines: string[] = ['jobs:'];
  for (let i = 0; i < 500; i++) lines.push(`  job${i}:`, '    env:', `      A: secret:s${i}`, `      B: <<t${i}.k>>`);
  const text = lines.join('\n') + '\n';
  const state = YamlScanState.full(text);
  const at = text.indexOf('secret:s250') + 'secret:s'.length;
  const next = text.slice(0, at) + 'X' + text.slice(at);
  const after = state.apply(next, [{ start: at, end: at, text: 'X' }]);
  assert.equal(after.incremental, true);
  assert.deepEqual(norm(after.result.references), norm(scanYaml(next).references));
  assert.ok(after.result.references.some((r) => r.name === 'sX250'));
});

test('issue item 3: deep flow nesting never breaks the state; deleting it recovers', () => {
  const head = 'env:\n  A: secret:alpha\n';
  const deep = head + 'a: ' + '['.repeat(4000) + '\n';
  let state = YamlScanState.full(deep);
  // An edit in the item before the nesting (the one that needs item spans).
  const at = deep.indexOf('alpha') + 2;
  const edited = deep.slice(0, at) + 'X' + deep.slice(at);
  assert.doesNotThrow(() => (state = state.apply(edited, [{ start: at, end: at, text: 'X' }])));
  assert.deepEqual(norm(state.result.references), norm(scanYaml(edited).references));
  // Delete the nesting: the state is right again (no stale throw from the old text).
  const cleaned = edited.slice(0, edited.indexOf('a: ['));
  const next = state.apply(cleaned, [{ start: cleaned.length, end: edited.length, text: '' }]);
  assert.deepEqual(norm(next.result.references), norm(scanYaml(cleaned).references));
  const typed = cleaned + 'b: secret:beta\n';
  const after = next.apply(typed, [{ start: cleaned.length, end: cleaned.length, text: 'b: secret:beta\n' }]);
  assert.deepEqual(after.result.references.map((r) => r.name), ['alXpha', 'beta']);
  // scanYamlDetailed itself, far deeper than any call stack.
  for (const d of [head + 'a: ' + '['.repeat(200_000), head + '- '.repeat(50_000) + 'x\n', head + 'a:\n' + Array.from({ length: 3000 }, (_, i) => ' '.repeat(i + 1) + 'k:').join('\n') + ' secret:deep\n']) {
    assert.doesNotThrow(() => scanYamlDetailed(d, {}, true, true));
    const s = YamlScanState.full(d);
    const e = d + 'z: secret:z\n';
    assert.deepEqual(norm(s.apply(e, [{ start: d.length, end: d.length, text: 'z: secret:z\n' }]).result.references), norm(scanYaml(e).references));
  }
});

test('issue item 4: a keystroke in a file of many documents re-scans one document, never parses the file', () => {
  const docs: string[] = [];
  for (let i = 0; i < 40_000; i++) docs.push(i % 10 === 0 ? `---\nenv:\n  A: secret:s${i}\n` : '---\n');
  const text = docs.join('');
  let state = YamlScanState.full(text);
  // Count yaml Parser constructions: a keystroke may not parse the whole file (that was quadratic).
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const Y = require('yaml') as { Parser: new (...a: unknown[]) => unknown };
  const Orig = Y.Parser;
  let parses = 0;
  Y.Parser = class extends (Orig as new (...a: unknown[]) => object) {
    constructor(...a: unknown[]) {
      super(...a);
      parses++;
    }
  } as typeof Y.Parser;
  try {
    let cur = text;
    for (let k = 0; k < 5; k++) {
      const at = cur.indexOf(`secret:s${8000 * k + 10}\n`) + 'secret:s'.length;
      const next = cur.slice(0, at) + 'x' + cur.slice(at);
      state = state.apply(next, [{ start: at, end: at, text: 'x' }]);
      assert.equal(state.incremental, true);
      cur = next;
    }
    assert.equal(parses, 0, 'no Parser run for a keystroke');
    assert.deepEqual(norm(state.result.references), norm(scanYaml(cur).references));
  } finally {
    Y.Parser = Orig;
  }
});
