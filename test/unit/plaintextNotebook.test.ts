// Notebooks (src/core/plaintext/notebook.ts): cells and outputs of an .ipynb, findings per cell
// source (code as Python, Markdown as Markdown) and per output (plain text), each placed in the raw
// .ipynb text too; bad JSON → nothing, never a throw. Plus a seeded property test of detectPlaintext
// over generated texts. SYNTHETIC tokens only.

import assert from 'node:assert/strict';
import { performance } from 'node:perf_hooks';
import { test } from 'node:test';
import fc from 'fast-check';
import { detectPlaintext } from '../../src/core/plaintext/detect';
import { detectNotebook, notebookParts } from '../../src/core/plaintext/notebook';
import type { PlaintextLanguage } from '../../src/core/plaintext/types';
import { fake, FAKES } from '../fixtures/plaintext/fakes';

const HF = fake('huggingface', 21);
const WB = fake('wandb', 21);
const GH = fake('github', 21);

function notebook(): string {
  return JSON.stringify(
    {
      nbformat: 4,
      nbformat_minor: 5,
      metadata: {},
      cells: [
        { cell_type: 'markdown', metadata: {}, source: ['# Train\n', `Token: ${GH}\n`] },
        {
          cell_type: 'code',
          metadata: {},
          execution_count: 1,
          source: ['import wandb\n', `wandb.login(key="${WB}")\n`],
          outputs: [
            { output_type: 'stream', name: 'stdout', text: [`logged in with ${HF}\n`] },
            { output_type: 'execute_result', execution_count: 1, metadata: {}, data: { 'text/plain': ['ok'], 'application/json': { token: GH } } },
            { output_type: 'error', ename: 'E', evalue: 'x', traceback: ['line 1', `bad token ${HF}`] },
          ],
        },
        { cell_type: 'raw', metadata: {}, source: `HF_TOKEN=${HF}` },
        { cell_type: 'code', metadata: {}, source: 'x = os.environ["HF_TOKEN"]', outputs: [] },
      ],
    },
    null,
    1,
  );
}

test('notebookParts: cells with kind, joined source and output texts (stream, data, json, traceback)', () => {
  const cells = notebookParts(notebook());
  assert.deepEqual(cells.map((c) => c.kind), ['markdown', 'code', 'raw', 'code']);
  assert.equal(cells[0].source, `# Train\nToken: ${GH}\n`);
  assert.equal(cells[1].outputs.length, 3);
  assert.equal(cells[1].outputs[0].text, `logged in with ${HF}\n`);
  assert.match(cells[1].outputs[1].text, /^ok\n\{"token":"/);
  assert.equal(cells[1].outputs[2].text, `line 1\nbad token ${HF}`);
  assert.equal(cells[2].source, `HF_TOKEN=${HF}`);
});

test('detectNotebook: per cell source and per output, with offsets into that text and into the raw .ipynb', async () => {
  const raw = notebook();
  const found = await detectNotebook(raw);
  const cells = notebookParts(raw);
  assert.deepEqual(
    found.map((n) => [n.cell, n.output, n.finding.ruleId]),
    [
      [0, undefined, 'github'],
      [1, undefined, 'wandb'],
      [1, 0, 'huggingface'],
      [1, 1, 'github'],
      [1, 2, 'huggingface'],
      [2, undefined, 'huggingface'],
    ],
  );
  for (const n of found) {
    const text = n.output === undefined ? cells[n.cell].source : cells[n.cell].outputs[n.output].text;
    const token = text.slice(n.finding.start, n.finding.end);
    assert.ok([HF, WB, GH].includes(token));
    assert.ok(n.raw);
    assert.equal(raw.slice(n.raw.start, n.raw.end), token);
  }
  // The k-th finding of one token is placed at its k-th occurrence in the raw text.
  const hfRaw = found.filter((n) => n.finding.ruleId === 'huggingface').map((n) => n.raw?.start);
  assert.equal(new Set(hfRaw).size, hfRaw.length);
  // Code cells are read as Python: the W&B key's literal is the string with its quotes.
  const w = found[1].finding;
  assert.equal(cells[1].source.slice(w.literal.start, w.literal.end), `"${WB}"`);
});

test('bad notebooks: no cells, no findings, never a throw', async () => {
  for (const bad of ['', '{', 'null', '[]', '{"cells": 3}', '{"cells": [null, 1, "x", {"source": 5}]}', `{"cells": [{"source": ["${HF}"`]) {
    assert.doesNotThrow(() => notebookParts(bad));
    const f = await detectNotebook(bad);
    assert.ok(Array.isArray(f));
  }
  assert.deepEqual(notebookParts('{"cells": [null]}').map((c) => c.kind), ['code']);
});

// --- property test ---------------------------------------------------------------------------

const SEED = 16_016;
const RUNS = 3_000;
const LANGS: PlaintextLanguage[] = ['yaml', 'python', 'shellscript', 'makefile', 'dotenv', 'markdown', 'plaintext'];
const kinds = Object.keys(FAKES);
const piece = fc.oneof(
  fc.constantFrom('"', "'", '#', '=', ': ', '- ', '{', '}', '[', ']', ',', '\n', '\r\n', '\t', ' ', '\\', 'export ', 'wandb', 'WANDB_API_KEY=', '```python\n', '```\n', '# ml-secrets-ignore', 'os.environ["X"] = ', 'f"', '"""', '${', '{{', '<<', 'secret:'),
  fc.integer({ min: 1, max: 40 }).chain((s) => fc.constantFrom(...kinds).map((k) => fake(k, s))),
  fc.string({ maxLength: 12 }),
  fc.string({ unit: 'binary', maxLength: 6 }),
);
const textArb = fc.array(piece, { maxLength: 30 }).map((p) => p.join(''));

test(`property (seed ${SEED}, ${RUNS} inputs): never throws, findings inside the text and sorted, the literal holds the token`, async () => {
  let inputs = 0;
  let findings = 0;
  await fc.assert(
    fc.asyncProperty(textArb, fc.constantFrom(...LANGS), async (text, lang) => {
      inputs++;
      const f = await detectPlaintext(text, lang);
      let last = -1;
      for (const x of f) {
        findings++;
        assert.ok(x.start >= 0 && x.end <= text.length && x.start < x.end, 'inside the text');
        assert.ok(x.start >= last, 'sorted, not overlapping');
        last = x.end;
        assert.ok(x.literal.start <= x.start && x.end <= x.literal.end, `literal holds the token: ${JSON.stringify(text)} ${lang}`);
        assert.ok(x.label && !x.label.includes(text.slice(x.start, x.end)));
        assert.ok(x.envVar && x.suggestedName);
      }
    }),
    { seed: SEED, numRuns: RUNS },
  );
  console.log(`plaintext property: ${inputs} inputs (seed ${SEED}), ${findings} findings checked`);
});

test('time grows roughly linearly with the text (4× the text → under 8× the time)', async () => {
  const block = (i: number) => `env:\n  HF_TOKEN: ${fake('huggingface', i)}\n  NAME: value-${i} # c\n  W: secret:x_${i}\n  WANDB_API_KEY: ${fake('wandb', i)}\n`;
  const text = (n: number) => Array.from({ length: n }, (_, i) => block(i % 50)).join('');
  const time = async (t: string) => {
    const xs: number[] = [];
    for (let i = 0; i < 5; i++) {
      const s = performance.now();
      await detectPlaintext(t, 'yaml');
      xs.push(performance.now() - s);
    }
    return xs.sort((a, b) => a - b)[2];
  };
  const small = text(500);
  const big = text(2000);
  await time(small);
  const a = await time(small);
  const b = await time(big);
  console.log(`plaintext linearity: ${small.length} chars ${a.toFixed(1)} ms, ${big.length} chars ${b.toFixed(1)} ms (×${(b / a).toFixed(2)})`);
  assert.ok(b / a < 8, `×${(b / a).toFixed(2)}`);
});
