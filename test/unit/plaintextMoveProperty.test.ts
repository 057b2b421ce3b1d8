// Seeded property test of the move forms (issue 16): random YAML / Python / shell surroundings with a
// synthetic token; whatever each platform's form plans, its edits lie inside the token's literal,
// plus at most one import line inserted at a line start (Python), so the text outside them is
// byte-identical; YAML still parses. MosaicML's YAML and .env forms delete whole entries (tested
// row by row in ./plaintextMove.test.ts) and are not part of this property.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { parseAllDocuments } from 'yaml';
import { applyEdits } from '../../src/core/plaintext/moveParts';
import { moveFormFor } from '../../src/core/plaintext/moveForms';
import type { PlaintextLanguage } from '../../src/core/plaintext/types';
import type { PlatformId } from '../../src/core/platforms/types';
import { findingIn, TOK, type Shape } from './plaintextMoveHelpers';

const SEED = 0x16a11;
const RUNS = 2000;

interface Case {
  language: PlaintextLanguage;
  text: string;
  shape: Shape;
}

const lines = (pool: string[]) => fc.array(fc.constantFrom(...pool), { maxLength: 5 }).map((a) => a.join(''));

const yamlCase: fc.Arbitrary<Case> = fc
  .tuple(
    lines(['a: 1\n', '# c\n', 'list:\n  - x\n  - y\n', 'm:\n  k: "v"\n', 'env: {A: b}\n', "s: 'it''s'\n", '---\n']),
    fc.constantFrom('', '  ', '    '),
    fc.constantFrom<[string, Shape]>(
      [`HF_TOKEN: ${TOK}`, {}],
      [`HF_TOKEN: "${TOK}"`, { quote: '"' }],
      [`HF_TOKEN: '${TOK}'`, { quote: "'" }],
      [`env: {HF_TOKEN: ${TOK}, B: c}`, {}],
      [`- ${TOK}`, {}],
      [`cmd: bash -c "x=${TOK}"`, { lit: `bash -c "x=${TOK}"`, whole: false }],
      [`HF_TOKEN: ${TOK} # trailing`, {}],
    ),
    lines(['b: 2\n', '# d\n', 'z:\n  - 1\n']),
  )
  .map(([pre, indent, [line, shape], post]) => ({ language: 'yaml' as const, text: `${pre}root:\n${indent ? `${indent}${line}` : `  ${line}`}\n${post}`, shape }));

const pythonCase: fc.Arbitrary<Case> = fc
  .tuple(
    fc.constantFrom('', '#!/usr/bin/env python\n', '"""Doc."""\n', '%%time\n', '# -*- coding: utf-8 -*-\n'),
    lines(['from __future__ import annotations\n', 'import sys\n', 'import os\n', 'from zenml.client import Client\n', 'x = 1\n', '# c\n', 's = """\nimport os\n"""\n', 'def f():\n    pass\n', 'y = (1,\n     2)\n']),
    fc.constantFrom<[string, string]>(
      [`token = "${TOK}"`, `"${TOK}"`],
      [`login(token='${TOK}')`, `'${TOK}'`],
      [`d = {"K": r"${TOK}"}`, `r"${TOK}"`],
      [`def g():\n    return"${TOK}"`, `"${TOK}"`],
      [`h = "Bearer ${TOK}"`, `"Bearer ${TOK}"`],
      [`v = ("${TOK}"\n     "x")`, `"${TOK}"`],
    ),
    lines(['z = 2\n', 'import json\n', '# end\n']),
  )
  .map(([head, pre, [line, lit], post]) => ({ language: 'python' as const, text: `${head}${pre}${line}\n${post}`, shape: { lit } }));

const shellCase: fc.Arbitrary<Case> = fc
  .tuple(
    lines(['set -e\n', '# c\n', 'echo hi\n', 'cd /x && ls\n']),
    fc.constantFrom<[string, Shape]>(
      [`export HF_TOKEN=${TOK}`, { lit: `HF_TOKEN=${TOK}`, whole: false }],
      [`cmd --token ${TOK}`, {}],
      [`cmd --token "${TOK}"`, { lit: `"${TOK}"` }],
      [`cmd -H 'Bearer ${TOK}'`, { lit: `'Bearer ${TOK}'` }],
      [`apolo run --env HF_TOKEN=${TOK} img`, { lit: `HF_TOKEN=${TOK}`, whole: false }],
      [`zenml x register y --password=${TOK}`, { lit: `--password=${TOK}`, whole: false }],
      [`zenml x register y --password '${TOK}'`, { lit: `'${TOK}'` }],
    ),
    lines(['echo done\n', '# e\n']),
  )
  .map(([pre, [line, shape], post]) => ({ language: 'shellscript' as const, text: `${pre}${line}\n${post}`, shape }));

const PLATFORMS: PlatformId[] = ['apolo', 'zenml', 'mosaic', 'flyte'];

function yamlErrors(text: string): number {
  return parseAllDocuments(text).reduce((n, d) => n + d.errors.length, 0);
}

test(`move forms: edits stay inside the literal (plus one import line), seeded, ${RUNS} runs`, () => {
  let planned = 0;
  fc.assert(
    fc.property(fc.oneof(yamlCase, pythonCase, shellCase), fc.constantFrom(...PLATFORMS), (c, platform) => {
      if (platform === 'mosaic' && c.language === 'yaml') return;
      const finding = findingIn(c.text, c.shape);
      const plan = moveFormFor(platform)({ text: c.text, language: c.language, finding, name: 'hf_token', key: 'token', envVar: 'HF_TOKEN' });
      if ('refused' in plan) {
        assert.ok(plan.refused.length > 0 && !plan.refused.includes(TOK));
        return;
      }
      planned++;
      const { literal } = finding;
      const inserts = plan.edits.filter((e) => !(e.start >= literal.start && e.end <= literal.end));
      assert.ok(inserts.length <= 1, 'at most one edit outside the literal');
      for (const e of inserts) {
        assert.equal(c.language, 'python');
        assert.equal(e.start, e.end, 'an insertion');
        assert.ok(e.start === 0 || c.text[e.start - 1] === '\n' || e.start === c.text.length, 'at a line start');
        assert.match(e.newText, /^(?:\r?\n)?[^\r\n]+\r?\n$/, 'one line');
        assert.ok(e.end <= literal.start, 'before the literal');
      }
      const after = applyEdits(c.text, plan.edits);
      const inside = plan.edits.filter((e) => !inserts.includes(e));
      const shift = inserts.reduce((n, e) => n + e.newText.length, 0);
      // Outside the edits, byte for byte: the literal's surroundings, and what lies between an import and it.
      assert.equal(after.slice(after.length - (c.text.length - literal.end)), c.text.slice(literal.end));
      const head = inserts.length ? c.text.slice(0, inserts[0].start) + inserts[0].newText + c.text.slice(inserts[0].start, literal.start) : c.text.slice(0, literal.start);
      assert.equal(after.slice(0, literal.start + shift), head);
      assert.ok(!after.includes(TOK), 'the token is gone');
      assert.ok(inside.length === 1);
      if (c.language === 'yaml') assert.equal(yamlErrors(after), yamlErrors(c.text));
    }),
    { seed: SEED, numRuns: RUNS },
  );
  console.log(`move-form property: seed ${SEED}, ${RUNS} runs, ${planned} plans checked`);
  assert.ok(planned > RUNS / 4);
});
