// The plaintext corpus (test/fixtures/plaintext/cases.<language>.txt, README.md there): labeled
// snippets across YAML, Python, shell, .env, Makefiles and Markdown, plus generated look-alikes
// (UUIDs, git SHAs, image digests). Prints recall and the false-positive rates; goals: recall 100 %,
// no false positive on platform references, ≤ 2 % on the other negatives. SYNTHETIC tokens only.

import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { detectPlaintext } from '../../src/core/plaintext/detect';
import type { PlaintextLanguage } from '../../src/core/plaintext/types';
import { expand, RULE_OF } from '../fixtures/plaintext/fakes';
import { findFixture } from '../fixtures/find';

const LANGUAGES: PlaintextLanguage[] = ['yaml', 'python', 'shellscript', 'dotenv', 'makefile', 'markdown'];

interface Snippet {
  lang: PlaintextLanguage;
  positive: boolean;
  category: string;
  title: string;
  text: string;
}

function snippets(lang: PlaintextLanguage): Snippet[] {
  const raw = readFileSync(findFixture('plaintext', `cases.${lang}.txt`), 'utf8');
  const out: Snippet[] = [];
  for (const part of raw.split(/^=== /m).slice(1)) {
    const nl = part.indexOf('\n');
    const head = part.slice(0, nl);
    const m = /^(pos|neg:(\w+))\s+(.*)$/.exec(head);
    assert.ok(m, `header: ${head}`);
    out.push({ lang, positive: m[1] === 'pos', category: m[2] ?? 'pos', title: m[3], text: part.slice(nl + 1) });
  }
  return out;
}

/** Generated negatives: UUIDs, 40-hex git SHAs without a W&B name, sha256 digests, in YAML and shell lines. */
function generated(): Snippet[] {
  const hex = (n: number, seed: number) => Array.from({ length: n }, (_, i) => '0123456789abcdef'[(seed * 31 + i * 17 + ((seed * i) % 7)) % 16]).join('');
  const out: Snippet[] = [];
  for (let i = 1; i <= 100; i++) {
    const u = hex(32, i);
    out.push({ lang: 'yaml', positive: false, category: 'id', title: `uuid ${i}`, text: `run_id: ${u.slice(0, 8)}-${u.slice(8, 12)}-${u.slice(12, 16)}-${u.slice(16, 20)}-${u.slice(20)}\n` });
    out.push({ lang: i % 2 ? 'yaml' : 'shellscript', positive: false, category: 'id', title: `git sha ${i}`, text: i % 2 ? `revision: ${hex(40, i + 500)}\n` : `git checkout ${hex(40, i + 500)}\n` });
    if (i <= 50) out.push({ lang: 'yaml', positive: false, category: 'id', title: `digest ${i}`, text: `image: ghcr.io/o/i@sha256:${hex(64, i + 900)}\n` });
  }
  return out;
}

test('plaintext corpus: recall 100 %, no false positive on references, ≤ 2 % on other negatives', async () => {
  let expected = 0;
  let found = 0;
  const missed: string[] = [];
  const negLines: Record<string, { lines: number; hits: number; where: string[] }> = {};
  let extra = 0;
  const all = [...LANGUAGES.flatMap(snippets), ...generated()];
  let seed = 0;
  for (const s of all) {
    const { text, tokens } = expand(s.text, (seed += 100));
    const findings = await detectPlaintext(text, s.lang);
    if (s.positive) {
      expected += tokens.length;
      for (const t of tokens) {
        const at = text.indexOf(t.token);
        const hit = findings.find((f) => f.start === at && f.end === at + t.token.length && f.ruleId === RULE_OF[t.kind]);
        if (hit) found++;
        else missed.push(`${s.lang}: ${s.title} (${t.kind}; got ${findings.map((f) => `${f.ruleId}@${f.start}-${f.end}`).join(', ') || 'nothing'})`);
      }
      extra += findings.filter((f) => !tokens.some((t) => text.slice(f.start, f.end) === t.token)).length;
      continue;
    }
    const c = (negLines[s.category] ??= { lines: 0, hits: 0, where: [] });
    const lines = text.split('\n');
    let offset = 0;
    for (const line of lines) {
      const end = offset + line.length;
      if (line.trim()) {
        c.lines++;
        const hits = findings.filter((f) => f.start >= offset && f.start <= end);
        if (hits.length) {
          c.hits++;
          c.where.push(`${s.lang}: ${s.title}: ${hits.map((f) => f.ruleId).join(', ')}`);
        }
      }
      offset = end + 1;
    }
  }
  const negTotal = Object.values(negLines).reduce((n, c) => n + c.lines, 0);
  const other = Object.entries(negLines).filter(([k]) => k !== 'ref');
  const otherLines = other.reduce((n, [, c]) => n + c.lines, 0);
  const otherHits = other.reduce((n, [, c]) => n + c.hits, 0);
  const ref = negLines.ref ?? { lines: 0, hits: 0, where: [] };
  console.log(
    [
      `Plaintext corpus: ${all.filter((s) => s.positive).length} positive snippets with ${expected} tokens, ${all.filter((s) => !s.positive).length} negative snippets with ${negTotal} lines.`,
      `  recall ${found}/${expected} = ${((100 * found) / expected).toFixed(1)} %; extra findings in positive snippets: ${extra}`,
      `  false positives on references: ${ref.hits}/${ref.lines} lines; on other negatives: ${otherHits}/${otherLines} = ${((100 * otherHits) / otherLines).toFixed(2)} %`,
      ...Object.entries(negLines).map(([k, c]) => `    ${k.padEnd(12)} ${c.hits}/${c.lines}`),
    ].join('\n'),
  );
  assert.ok(expected >= 100, `≥ 100 positive tokens (${expected})`);
  assert.ok(negTotal >= 100, `≥ 100 negative lines (${negTotal})`);
  assert.deepEqual(missed, [], 'recall 100 %');
  assert.deepEqual(ref.where, [], 'no false positive on references');
  assert.ok(otherHits <= otherLines * 0.02, `≤ 2 % false positives: ${other.flatMap(([, c]) => c.where).join('; ')}`);
  assert.equal(extra, 0, 'no extra findings in positive snippets');
});
