// ZenML stacks: the client's stack listing against the strict emulator (paging, hydration, only
// references kept), and the emulator's own validation of the stacks/components routes.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import * as util from 'node:util';
import { startZenmlEmulator, ZenmlEmulator } from '../emulators/zenml/server';
import { ZenmlClient } from '../../src/core/platforms/zenml/client';
import { keepReferencesOnly, MAX_STACK_PAGES, secretReferenceOf } from '../../src/core/platforms/zenml/stacks';
import { HttpClient } from '../../src/core/http/httpClient';
import { ProtocolError } from '../../src/core/errors';

let emu: ZenmlEmulator;
const http = new HttpClient({ sleep: async () => undefined, timeoutMs: 5000 });
const PLAIN = 'PLAIN_config_value_5a4b3c';

function client(): ZenmlClient {
  return new ZenmlClient({ serverUrl: emu.url, origins: [new URL(emu.url).origin], http, login: { username: 'alice', password: emu.users.alice.password } });
}

async function get(path: string, query = ''): Promise<{ status: number; body: any }> {
  const res = await fetch(`${emu.url}${path}${query}`, { headers: { authorization: `Bearer ${emu.tokens.alice}` } });
  return { status: res.status, body: await res.json() };
}

before(async () => {
  emu = await startZenmlEmulator({ seed: true });
  // Many more stacks than one page holds, and a component with a plain secret-looking value.
  const owner = emu.users.alice.id;
  const orch = emu.stacks.addComponent({ name: 'orch', type: 'orchestrator', flavor: 'local', userId: owner });
  const tracker = emu.stacks.addComponent({ name: 'plain_tracker', type: 'experiment_tracker', flavor: 'mlflow', configuration: { tracking_password: PLAIN, tracking_username: '{{bulk.user}}' }, userId: owner });
  for (let i = 0; i < 450; i++) emu.stacks.addStack({ name: `bulk_${String(i).padStart(3, '0')}`, components: [orch, tracker], userId: owner });
});
after(() => emu.close());

test('ZenML reference rule: a whole {{name.key}} string (spaces inside allowed), nothing else', () => {
  assert.deepEqual(secretReferenceOf('{{a.b}}'), { name: 'a', key: 'b' });
  assert.deepEqual(secretReferenceOf('{{ a.b.c }}'), { name: 'a', key: 'b.c' });
  for (const v of ['{{a}}', 'x {{a.b}}', '{{a.}}', '{{.b}}', 'plain', 42, null, { a: '{{a.b}}' }]) assert.equal(secretReferenceOf(v), undefined, String(v));
  const parsed = JSON.parse(JSON.stringify({ configuration: { p: PLAIN, r: '{{s.k}}', n: 3 }, values: { k: PLAIN } }), keepReferencesOnly);
  assert.deepEqual(parsed, { configuration: { r: '{{s.k}}' }, values: { k: null } });
});

test('lists every page of stacks and components, joins them, and keeps only reference names and keys', async () => {
  const before = emu.requests.length;
  const stacks = await client().listStacks();
  assert.equal(stacks.length, 452);
  const demo = stacks.find((s) => s.name === 'demo_stack');
  assert.ok(demo);
  assert.deepEqual(
    demo.components.map((c) => [c.type, c.name, c.flavor, c.references.map((r) => `${r.attribute}=${r.name}.${r.key}`)]),
    [
      ['orchestrator', 'default', 'local', []],
      ['artifact_store', 's3_store', 's3', ['key=s3_creds.aws_access_key_id', 'secret=s3_creds.aws_secret_access_key']],
      ['experiment_tracker', 'mlflow_tracker', 'mlflow', ['tracking_password=mlflow_secret.password', 'tracking_token=mlflow_secret.token', 'tracking_username=mlflow_secret.username']],
      ['alerter', 'slack_alerts', 'slack', ['slack_token=slack_bot.token']],
    ],
  );
  const bulk = stacks.find((s) => s.name === 'bulk_000');
  assert.deepEqual(bulk?.components[1]?.references, [{ attribute: 'tracking_username', name: 'bulk', key: 'user' }]);
  // Nothing but names: a plain configuration value is never held.
  assert.ok(!util.inspect(stacks, { depth: 10 }).includes(PLAIN));
  assert.ok(!JSON.stringify(stacks).includes('demo-bucket'));
  const calls = emu.requests.slice(before).filter((r) => r.path !== '/api/v1/login');
  const stackCalls = calls.filter((r) => r.path === '/api/v1/stacks');
  const componentCalls = calls.filter((r) => r.path === '/api/v1/components');
  assert.equal(stackCalls.length, 3, 'three pages of 200');
  assert.equal(componentCalls.length, 1);
  for (const r of [...stackCalls, ...componentCalls]) assert.equal(r.query.hydrate, 'true');
  assert.deepEqual(stackCalls.map((r) => r.query.page), ['1', '2', '3']);
});

test('a server that claims too many pages is refused, not followed', async () => {
  emu.faults.next({ match: (m, p) => m === 'GET' && p === '/api/v1/stacks', status: 200, body: JSON.stringify({ index: 1, max_size: 200, total_pages: MAX_STACK_PAGES + 1, total: 1, items: [{ id: 'x', name: 'x' }] }) });
  await assert.rejects(client().listStacks(), ProtocolError);
});

test('emulator: unhydrated stacks carry no components; hydrated ones carry unhydrated components; a component carries its configuration', async () => {
  const plain = await get('/api/v1/stacks', '?name=demo_stack');
  assert.equal(plain.status, 200);
  assert.equal(plain.body.items[0].metadata, null);
  const hyd = await get('/api/v1/stacks', '?name=demo_stack&hydrate=true');
  const comps = hyd.body.items[0].metadata.components;
  assert.deepEqual(Object.keys(comps), ['orchestrator', 'artifact_store', 'experiment_tracker', 'alerter']);
  assert.equal(comps.alerter[0].metadata, null);
  const one = await get(`/api/v1/components/${comps.alerter[0].id}`);
  assert.equal(one.body.metadata.configuration.slack_token, '{{slack_bot.token}}');
  const byStack = await get('/api/v1/components', `?stack_id=${hyd.body.items[0].id}`);
  assert.equal(byStack.body.total, 4);
});

test('emulator: strict query validation with the secrets list error bodies', async () => {
  assert.equal((await get('/api/v1/stacks', '?size=0')).status, 422);
  assert.equal((await get('/api/v1/stacks', '?size=10001')).status, 422);
  assert.equal((await get('/api/v1/stacks', '?page=abc')).body.detail[0].type, 'int_parsing');
  assert.equal((await get('/api/v1/stacks', '?hydrate=maybe')).body.detail[0].type, 'bool_parsing');
  assert.equal((await get('/api/v1/components', '?stack_id=nope')).body.detail[0].type, 'uuid_parsing');
  assert.equal((await get('/api/v1/stacks', '?sort_by=nonsense')).status, 422);
  const past = await get('/api/v1/stacks', '?page=99&size=200');
  assert.equal(past.status, 400);
  assert.equal(past.body.detail[0], 'ValueError');
  assert.equal((await get('/api/v1/stacks/00000000-0000-0000-0000-000000000000')).status, 404);
  const noAuth = await fetch(`${emu.url}/api/v1/stacks`);
  assert.equal(noAuth.status, 401);
});
