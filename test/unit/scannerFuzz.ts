// The property checks the command-line scanners share (test/unit/apoloCommandLine.test.ts,
// test/unit/zenmlShell.test.ts): exact ranges that re-scan in place after a rename, every name in
// the index, and time that grows linearly. Seed and budget from FUZZ_SEED / FUZZ_RUNS (printed).
import assert from 'node:assert/strict';
import type { ScanResult, SecretReference } from '../../src/core/references/reference';
import { candidateNames } from '../../src/core/references/referenceIndex';
import { languageScanner } from '../../src/core/references/syntaxes';

export const FUZZ_SEED = Number(process.env.FUZZ_SEED ?? 20261206);
export const FUZZ_RUNS = Number(process.env.FUZZ_RUNS ?? 1500);

export const fuzzStats = { inputs: 0, refs: 0, renames: 0 };

/** Ranges hold their text, nameStart its name, the index has every name, and a "Did you mean" edit of the name re-scans in place. */
export function checkRanges(text: string, refs: SecretReference[], language: string): void {
  fuzzStats.inputs++;
  fuzzStats.refs += refs.length;
  const cands = candidateNames(text, language);
  const scan = languageScanner(language) ?? assert.fail(language);
  for (const r of refs) {
    assert.equal(text.slice(r.start, r.end), r.text, JSON.stringify({ r, text }));
    if (r.name) assert.ok(cands.has(r.name), `index misses ${r.name}`);
    if (r.nameStart === undefined) continue;
    assert.ok(text.startsWith(r.name, r.nameStart) && r.nameStart >= r.start && r.nameStart + r.name.length <= r.end, JSON.stringify({ r, text }));
    if (!/^[\w-]+$/.test(r.name)) continue;
    const fresh = r.name === 'zq_renamed' ? 'zq_other' : 'zq_renamed';
    const next = text.slice(0, r.nameStart) + fresh + text.slice(r.nameStart + r.name.length);
    assert.equal(scan(next).references.find((x) => x.nameStart === r.nameStart && x.syntax === r.syntax)?.name, fresh, JSON.stringify({ r, text }));
    fuzzStats.renames++;
  }
}

/** 64× each unit's input must cost well under 64² its time; returns "kind a ms→b ms" for the log line. */
export function checkLinear(units: Array<[kind: string, unit: string, scan: (text: string) => ScanResult]>): string {
  const time = (f: () => void) => {
    const t = process.hrtime.bigint();
    f();
    return Number(process.hrtime.bigint() - t) / 1e6;
  };
  const out: string[] = [];
  for (const [kind, u, scan] of units) {
    const small = u.repeat(200);
    const big = u.repeat(200 * 64);
    scan(small);
    const a = Math.max(0.05, time(() => scan(small)));
    const b = time(() => scan(big));
    out.push(`${kind} ${a.toFixed(2)}ms→${b.toFixed(1)}ms`);
    assert.ok(b < a * 64 * 16, `${kind}: ${a}ms for ${small.length} chars, ${b}ms for ${big.length}`);
  }
  return out.join(', ');
}
