// The status of a stack's secret references (src/model/stackStatus.ts) from a model's cached list
// and key names, and what Register Missing Secrets for Stack must create or add.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { countsText, countStatus, refStatus, stackNeeds, stackRefs, StatusSource } from '../../src/model/stackStatus';
import { buildSecretList } from '../../src/core/secretList';
import type { SecretInfo, StackInfo } from '../../src/core/platforms/types';
import type { KeysState, ListState } from '../../src/model/secretsModel';

const STACK: StackInfo = {
  id: 's',
  name: 'demo_stack',
  components: [
    { id: 'a', name: 's3_store', type: 'artifact_store', flavor: 's3', references: [{ attribute: 'key', name: 's3_creds', key: 'id' }, { attribute: 'secret', name: 's3_creds', key: 'secret' }] },
    { id: 'b', name: 'mlflow', type: 'experiment_tracker', flavor: 'mlflow', references: [{ attribute: 'u', name: 'mlflow_secret', key: 'username' }, { attribute: 't', name: 'mlflow_secret', key: 'token' }] },
    { id: 'c', name: 'again', type: 'alerter', flavor: 'slack', references: [{ attribute: 'u', name: 'mlflow_secret', key: 'username' }] },
  ],
};

function source(secrets: SecretInfo[], keys: Record<string, string[] | 'loading'>): StatusSource & { ensureList(): Promise<ListState>; ensureKeys(l: string, r: object, s: SecretInfo): Promise<KeysState> } {
  const list: ListState = { kind: 'ok', ...buildSecretList(secrets) };
  const ks = (s: SecretInfo): KeysState => (keys[s.name] === 'loading' ? { kind: 'loading' } : { kind: 'ok', keys: keys[s.name] as string[] });
  return { listState: () => list, keysState: (_l, _r, s) => ks(s), ensureList: async () => list, ensureKeys: async (_l, _r, s) => ks(s) };
}

test('each reference: exists, secret missing, key missing; counts dedupe and a missing secret counts once', () => {
  const src = source([{ name: 'mlflow_secret' }], { mlflow_secret: ['password', 'username'] });
  assert.equal(refStatus(src, 'c', {}, { name: 's3_creds', key: 'id' }), 'missing');
  assert.equal(refStatus(src, 'c', {}, { name: 'mlflow_secret', key: 'username' }), 'exists');
  assert.equal(refStatus(src, 'c', {}, { name: 'mlflow_secret', key: 'token' }), 'keyMissing');
  const counts = countStatus(src, 'c', {}, stackRefs(STACK));
  assert.deepEqual(counts, { total: 4, missing: 1, keyMissing: 1, unknown: 0, loading: 0 });
  assert.equal(countsText(counts), '1 secret missing · 1 key missing');
  assert.equal(countsText(countStatus(source([{ name: 'mlflow_secret' }], { mlflow_secret: 'loading' }), 'c', {}, STACK.components[1].references)), 'checking…');
});

test('needs: the missing secret with all its keys, the existing one with only the keys it lacks', async () => {
  const src = source([{ name: 'mlflow_secret' }], { mlflow_secret: ['password', 'username'] });
  const needs = await stackNeeds(src, 'c', {}, STACK);
  assert.deepEqual(needs.map((n) => [n.name, !!n.existing, n.keys]), [['s3_creds', false, ['id', 'secret']], ['mlflow_secret', true, ['token']]]);
  const done = source([{ name: 'mlflow_secret' }, { name: 's3_creds' }], { mlflow_secret: ['token', 'username'], s3_creds: ['id', 'secret'] });
  assert.deepEqual(await stackNeeds(done, 'c', {}, STACK), []);
  assert.equal(countsText(countStatus(done, 'c', {}, stackRefs(STACK))), 'all 4 present');
});
