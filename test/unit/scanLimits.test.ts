// Bounded cost: a file with more references than MAX_REFERENCES reports the first ones and says it
// was cut; with deferSpans a keystroke never builds the item spans (the editor does that when idle).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { MAX_REFERENCES } from '../../src/core/references/reference';
import { scanYaml } from '../../src/core/references/scanner';
import { scanPython } from '../../src/core/platforms/flyte/pythonScanner';
import { diffChange, YamlScanState } from '../../src/core/references/incremental';

test('more references than the cap: the first MAX_REFERENCES, in order, and truncated', () => {
  const many = 'k: ' + Array.from({ length: MAX_REFERENCES * 3 }, (_, i) => `<<s${i}>>`).join(' ') + '\nlast: secret:tail\n';
  const r = scanYaml(many);
  assert.equal(r.truncated, true);
  assert.equal(r.references.length, MAX_REFERENCES);
  assert.deepEqual(r.references.slice(0, 3).map((x) => x.name), ['s0', 's1', 's2']);
  assert.equal(r.references.at(-1)?.name, `s${MAX_REFERENCES - 1}`);
  for (const x of r.references.slice(0, 50)) assert.equal(many.slice(x.start, x.end), x.text);
  const lines = Array.from({ length: MAX_REFERENCES + 10 }, (_, i) => `A${i}: secret:n${i}`).join('\n') + '\n';
  const r2 = scanYaml(lines);
  assert.equal(r2.truncated, true);
  assert.equal(r2.references.length, MAX_REFERENCES);
  const exactly = Array.from({ length: MAX_REFERENCES }, (_, i) => `A${i}: secret:n${i}`).join('\n') + '\n';
  assert.equal(scanYaml(exactly).truncated, undefined, 'at the cap nothing is cut');
  const py = 'import flyte\nenv = flyte.TaskEnvironment(name="e", secrets=[' + Array.from({ length: MAX_REFERENCES + 5 }, (_, i) => `"s${i}"`).join(', ') + '])\n';
  const rp = scanPython(py);
  assert.equal(rp.truncated, true);
  assert.equal(rp.references.length, MAX_REFERENCES);
});

test('a truncated state re-scans in full after an edit (and stays exact)', () => {
  const many = Array.from({ length: MAX_REFERENCES + 100 }, (_, i) => `A${i}: secret:n${i}`).join('\n') + '\n';
  const s = YamlScanState.full(many);
  const edited = many.replace('secret:n5\n', 'secret:n5x\n');
  const next = s.apply(edited, [diffChange(many, edited)]);
  assert.equal(next.incremental, false);
  assert.deepEqual(next.result, scanYaml(edited));
});

test('deferSpans: a keystroke before prepare() is a full scan, after it an item re-scan; results equal', () => {
  const text = 'jobs:\n' + Array.from({ length: 300 }, (_, i) => `  j${i}:\n    env:\n      K: secret:s${i}\n      P: plain\n`).join('');
  const at = text.indexOf('secret:s150') + 'secret:s15'.length;
  const edited = text.slice(0, at) + '9' + text.slice(at);
  const change = [diffChange(text, edited)];
  const cold = YamlScanState.full(text, { deferSpans: true });
  assert.equal(cold.needsPreparation, true);
  const a = cold.apply(edited, change);
  assert.equal(a.incremental, false, 'no spans built inside the keystroke');
  const warm = YamlScanState.full(text, { deferSpans: true });
  warm.prepare();
  assert.equal(warm.needsPreparation, false);
  const b = warm.apply(edited, change);
  assert.equal(b.incremental, true);
  assert.deepEqual(a.result, b.result);
  assert.deepEqual(b.result, scanYaml(edited));
  // The prepared spans carry over to the next state: the next keystroke is incremental too.
  const edited2 = edited.replace('secret:s20\n', 'secret:s2\n');
  const c = b.apply(edited2, [diffChange(edited, edited2)]);
  assert.equal(c.incremental, true);
  assert.deepEqual(c.result, scanYaml(edited2));
});
