import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Finding } from '../../src/core/check/checker';
import { identityOf, nameOffsets, sameSecret } from '../../src/core/check/secretIdentity';
import { scanYaml } from '../../src/core/references/scanner';

const finding = (over: Partial<Finding> & { ref: Finding['ref'] }): Finding => ({ status: 'ok', message: '', ...over });

test('identityOf: the resolved secret name and scope on the file\'s connection; none without one', () => {
  const [ref] = scanYaml('env:\n  A: secret:alpha\n').references;
  assert.deepEqual(identityOf(finding({ ref, scopeId: 's1', secret: { name: 'alpha' } }), 'c'), { connection: 'c', name: 'alpha', scopeId: 's1' });
  assert.deepEqual(identityOf(finding({ ref, status: 'problem', code: 'secret-missing', missingName: 'alpha' }), 'c'), { connection: 'c', name: 'alpha' });
  assert.equal(identityOf(finding({ ref }), undefined), undefined);
  assert.equal(identityOf(finding({ ref, status: 'problem', code: 'reference-malformed' }), 'c'), undefined);
  assert.equal(identityOf(finding({ ref: { ...ref, dynamic: true } }), 'c'), undefined);
  assert.equal(identityOf(finding({ ref, status: 'skipped' }), 'c'), undefined);
});

test('sameSecret: same connection and name; scopes tell apart only when both are known', () => {
  assert.ok(sameSecret({ connection: 'c', name: 'a', scopeId: 's' }, { connection: 'c', name: 'a', scopeId: 's' }));
  assert.ok(sameSecret({ connection: 'c', name: 'a', scopeId: 's' }, { connection: 'c', name: 'a' }));
  assert.ok(!sameSecret({ connection: 'c', name: 'a', scopeId: 's' }, { connection: 'c', name: 'a', scopeId: 't' }));
  assert.ok(!sameSecret({ connection: 'c', name: 'a' }, { connection: 'd', name: 'a' }));
  assert.ok(!sameSecret({ connection: 'c', name: 'a' }, { connection: 'c', name: 'ab' }));
});

test('nameOffsets: the verbatim name inside the reference (a volume, a template), never outside it', () => {
  const text = 'env:\n  A: secret:alpha\nvolumes:\n  - secret:alpha:/var/x\nx: "<<zen.key>>"\n';
  const refs = scanYaml(text).references;
  for (const r of refs) {
    const at = nameOffsets(r, r.name, text);
    assert.ok(at, `${r.text} has a verbatim name`);
    assert.equal(text.slice(at.start, at.end), r.name);
    assert.ok(at.start >= r.start && at.end <= r.end);
  }
  const [first] = refs;
  assert.equal(nameOffsets({ ...first, nameStart: undefined }, first.name, text), undefined);
  assert.equal(nameOffsets(first, 'other', text), undefined);
  assert.equal(nameOffsets({ ...first, nameStart: first.end - 1 }, first.name, text), undefined);
});
