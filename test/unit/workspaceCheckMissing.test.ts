// The "Missing" group's aggregation (src/language/missingSecrets.ts): secret-missing findings of
// many files, per connection and secret, with each use; other findings and unbound files ignored.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Finding } from '../../src/core/check/checker';
import { createArgsOf, missingSecrets } from '../../src/language/missingSecrets';

function finding(name: string, start: number, code: Finding['code'] = 'secret-missing', extra: Partial<Finding> = {}): Finding {
  return { ref: { name, start, end: start + name.length } as Finding['ref'], status: 'problem', code, message: 'm', scopeId: 'c/o/proj/dev', scopeLabel: 'proj', ...extra };
}

test('groups secret-missing findings by connection and name, with every use', () => {
  const m = missingSecrets([
    { file: 'file:///b.yaml', connection: 'a', findings: [finding('tok', 10), finding('key', 3, 'key-missing')] },
    { file: 'file:///a.yaml', connection: 'a', findings: [finding('tok', 5), finding('db', 1), finding('ok', 0, undefined, { status: 'ok' })], at: (o) => ({ line: 2, character: o }) },
    { file: 'file:///c.yaml', connection: 'b', findings: [finding('zz', 0)] },
    { file: 'file:///d.yaml', findings: [finding('nobody', 0)] },
  ]);
  assert.deepEqual([...m.keys()].sort(), ['a', 'b']);
  const a = m.get('a')!;
  assert.deepEqual(
    a.map((s) => s.name),
    ['db', 'tok'],
  );
  assert.deepEqual(a[1].uses, [
    { file: 'file:///a.yaml', start: 5, end: 8, line: 2, character: 5 },
    { file: 'file:///b.yaml', start: 10, end: 13 },
  ]);
});

test('the missing name (not the reference text) is what is created, prefilled like the quick fix', () => {
  const m = missingSecrets([{ file: 'f', connection: 'x', findings: [finding('ref.KEY', 0, 'secret-missing', { missingName: 'ref' })] }]);
  const s = m.get('x')![0];
  assert.equal(s.name, 'ref');
  assert.deepEqual(createArgsOf(s), { connection: 'x', name: 'ref', project: 'proj', domain: 'dev', interactive: true });
  assert.equal(missingSecrets([]).size, 0);
});
