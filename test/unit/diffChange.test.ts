// diffChange (one change covering a burst of edits) compares in chunks: it must still find the
// exact common prefix and suffix, whatever the lengths and wherever the edit sits.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { diffChange } from '../../src/core/references/incremental';

const SEED = Number(process.env.FUZZ_SEED ?? 20261206);

test('diffChange: the change turns before into after, with the longest common prefix and suffix', () => {
  let runs = 0;
  fc.assert(
    fc.property(
      fc.string({ unit: fc.constantFrom('a', 'b', '\n', '-', 'é', '😀'), maxLength: 6000 }),
      fc.nat(),
      fc.nat(),
      fc.string({ unit: fc.constantFrom('a', 'b', '\n', 'x'), maxLength: 3000 }),
      (before, i, j, insert) => {
        runs++;
        const a = Math.min(i % (before.length + 1), j % (before.length + 1));
        const b = Math.max(i % (before.length + 1), j % (before.length + 1));
        const after = before.slice(0, a) + insert + before.slice(b);
        const c = diffChange(before, after);
        assert.equal(before.slice(0, c.start) + c.text + before.slice(c.end), after);
        const max = Math.min(before.length, after.length);
        // Maximal: one more character of prefix (or suffix) would differ.
        if (c.start < max) assert.notEqual(before[c.start], after[c.start]);
        const q = before.length - c.end;
        if (q < max - c.start) assert.notEqual(before[before.length - 1 - q], after[after.length - 1 - q]);
      },
    ),
    { seed: SEED, numRuns: 400 },
  );
  console.log(`diffChange: seed ${SEED}, ${runs} inputs, 0 failures`);
});

test('diffChange on a megabyte: an insertion deep inside is found exactly', () => {
  const big = 'key: value\n'.repeat(100_000);
  for (const at of [0, 1, 2047, 2048, 2049, 500_000, big.length - 1, big.length]) {
    const after = big.slice(0, at) + 'Z' + big.slice(at);
    const c = diffChange(big, after);
    assert.equal(big.slice(0, c.start) + c.text + big.slice(c.end), after);
    assert.equal(c.end - c.start, 0);
    assert.equal(c.text.length, 1);
  }
});
