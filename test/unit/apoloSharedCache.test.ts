// The model's cache of a connection's sharing extras (src/model/sideCache.ts): one load per key,
// a change reported when it settles, errors kept as state, and clear() dropping a load in flight.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { SideCache } from '../../src/model/sideCache';

test('get starts one load, reports loading, then the value; a second get does not load again', async () => {
  let changes = 0;
  let loads = 0;
  const c = new SideCache(() => changes++);
  const load = async () => {
    loads++;
    return ['bob'];
  };
  assert.deepEqual(c.get('k', load), { kind: 'loading' });
  assert.deepEqual(c.get('k', load), { kind: 'loading' });
  await new Promise((r) => setImmediate(r));
  assert.deepEqual(c.get('k', load), { kind: 'ok', value: ['bob'] });
  assert.equal(loads, 1);
  assert.equal(changes, 1);
});

test('an error is a state; force loads again; clear() drops a load in flight', async () => {
  const c = new SideCache(() => undefined);
  const st = await c.ensure('k', async () => {
    throw new Error('403');
  });
  assert.equal(st.kind, 'error');
  assert.equal(c.get('k', async () => 1).kind, 'error');
  assert.deepEqual(await c.ensure('k', async () => 2, true), { kind: 'ok', value: 2 });
  let release: (v: number) => void = () => undefined;
  const pending = c.ensure('late', () => new Promise<number>((r) => (release = r)));
  c.clear();
  release(3);
  await pending;
  assert.equal(c.get('late', async () => 4).kind, 'loading', 'the late result was dropped; a new load started');
});
