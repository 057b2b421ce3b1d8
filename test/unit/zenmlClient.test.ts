// The ZenML client against the strict emulator.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startZenmlEmulator, ZenmlEmulator } from '../emulators/zenml/server';
import { ZenmlClient } from '../../src/core/platforms/zenml/client';
import { parseDroppingValues } from '../../src/core/platforms/zenml/responses';
import { validateZenmlKey, validateZenmlName } from '../../src/core/platforms/zenml/names';
import { zenmlLogin } from '../../src/core/platforms/zenml/session';
import { HttpClient } from '../../src/core/http/httpClient';
import * as util from 'node:util';
import { AuthError, ConflictError, HttpError, isMlSecretsError, NotFoundError, ProtocolError } from '../../src/core/errors';
import { redactor } from '../../src/core/redact';

let emu: ZenmlEmulator;
const http = new HttpClient({ sleep: async () => undefined, timeoutMs: 5000 });
const CANARY = 'CANARY_zenml_value_9f8e7d';

function client(opts: { user?: string; apiKey?: boolean; onToken?: (t: string) => void } = {}) {
  const user = opts.user ?? 'alice';
  return new ZenmlClient({
    serverUrl: emu.url,
    origins: [new URL(emu.url).origin],
    http,
    login: opts.apiKey ? { apiKey: emu.apiKeys[user] } : { username: user, password: emu.users[user].password },
    onToken: opts.onToken,
  });
}

before(async () => {
  emu = await startZenmlEmulator({ seed: true, defaultPageSize: 7 });
  for (let i = 0; i < 30; i++) emu.state.setSecret({ name: `canary_${i}`, values: { key_a: `${CANARY}_${i}`, key_b: `${CANARY}_b${i}` } });
});
after(() => emu.close());

test('login: password and API-key grants; a bad password is an AuthError', async () => {
  const a = await zenmlLogin(http, emu.url, { username: 'alice', password: emu.users.alice.password });
  assert.ok(a.token && a.expiresAt && a.expiresAt > Date.now());
  const b = await zenmlLogin(http, emu.url, { apiKey: emu.apiKeys.bob });
  assert.ok(b.token);
  await assert.rejects(zenmlLogin(http, emu.url, { username: 'alice', password: 'wrong' }), AuthError);
});

test('lists every page and keeps key names only — no canary value anywhere in what the client returns or holds', async () => {
  const c = client();
  const list = await c.listSecrets({});
  const canaries = list.filter((s) => s.name.startsWith('canary_'));
  assert.equal(canaries.length, 30);
  // Lists carry no key names on ZenML: one secret's keys are fetched when needed (GET by id), values dropped.
  const before = emu.requests.length;
  assert.deepEqual(await c.secretKeys({}, canaries[0]), ['key_a', 'key_b']);
  assert.equal(emu.requests.length, before + 1, 'one request for one secret, not one per secret');
  assert.ok(!JSON.stringify(list).includes(CANARY));
  // What the client keeps between calls (its name → id index) holds no value either.
  assert.ok(!JSON.stringify([...(c as unknown as { ids: Map<string, unknown> }).ids.values()]).includes(CANARY));
});

test('parseDroppingValues keeps keys, drops values, wherever a values map sits', () => {
  const text = JSON.stringify({ items: [{ body: { values: { a: CANARY, b: null } } }], values: { c: CANARY } });
  const parsed = parseDroppingValues(text);
  assert.ok(!JSON.stringify(parsed).includes(CANARY));
  assert.deepEqual((parsed as { items: Array<{ body: { values: object } }> }).items[0].body.values, { a: null, b: null });
});

test("private secrets: alice's stay hers; a private one shadows a public one of the same name", async () => {
  const alice = client();
  await alice.addSecret({}, { name: 'twin', values: { pub: 'x' }, private: false });
  await alice.addSecret({}, { name: 'twin', values: { priv: 'y' }, private: true });
  const list = await alice.listSecrets({});
  const twins = list.filter((s) => s.name === 'twin');
  assert.equal(twins.length, 2);
  const shown = twins.find((s) => !s.shadowed);
  assert.ok(shown);
  assert.deepEqual(await alice.secretKeys({}, shown), ['priv']);
  const bob = await client({ user: 'bob' }).listSecrets({});
  assert.deepEqual(bob.filter((s) => s.name === 'twin').map((s) => s.private), [false]);
  await assert.rejects(alice.addSecret({}, { name: 'twin', values: { again: 'z' }, private: true }), ConflictError);
});

test('update: patch semantics, rename conflict, missing secret', async () => {
  const c = client();
  await c.addSecret({}, { name: 'patchme', values: { a: '1', b: '2' } });
  await c.updateSecret({}, 'patchme', { values: { b: null, c: '3' } });
  assert.deepEqual(emu.state.findByName('patchme')?.values, { a: '1', c: '3' });
  await c.addSecret({}, { name: 'other_name', values: { x: '1' } });
  await assert.rejects(c.updateSecret({}, 'patchme', { newName: 'other_name' }), ConflictError);
  await assert.rejects(c.updateSecret({}, 'nope_not_here', { values: { a: '1' } }), NotFoundError);
});

test('a 401 triggers exactly one silent re-login, and the new token is handed over', async () => {
  const tokens: string[] = [];
  const c = client({ apiKey: true, onToken: (t) => tokens.push(t) });
  await c.listScopes();
  const before = emu.requests.filter((r) => r.path === '/api/v1/login').length;
  emu.expireAllTokens();
  await c.listSecrets({});
  assert.equal(emu.requests.filter((r) => r.path === '/api/v1/login').length, before + 1);
  assert.equal(tokens.length, 2);
});

test('a token-only client cannot re-login: a 401 is an AuthError', async () => {
  const c = new ZenmlClient({ serverUrl: emu.url, origins: [new URL(emu.url).origin], http, accessToken: emu.tokens.alice });
  await c.listScopes();
  emu.expireAllTokens();
  await assert.rejects(c.listSecrets({}), AuthError);
});

test('names and keys are validated with the rule in the message', () => {
  assert.match(validateZenmlName('x'.repeat(256)) ?? '', /at most 255/);
  assert.match(validateZenmlName('a\tb') ?? '', /tabs/);
  assert.equal(validateZenmlName('mlflow_secret'), undefined);
  assert.match(validateZenmlKey('has-dash') ?? '', /Python identifier/);
  assert.match(validateZenmlKey('1abc') ?? '', /Python identifier/);
  assert.equal(validateZenmlKey('aws_access_key_id'), undefined);
});

test('add/update values never reach an error, however the server echoes them (detail[0], 422 loc, detail msg)', async () => {
  const c = client();
  const value = 'zenECHO value +/é"&=';
  const formEncoded = new URLSearchParams({ x: value }).toString().slice(2);
  const isWrite = (m: string, p: string) => (m === 'POST' && p === '/api/v1/secrets') || (m === 'PUT' && p.startsWith('/api/v1/secrets/'));
  const echoes = [
    { status: 500, body: JSON.stringify({ detail: [`KeyError: ${value}`, `boom ${formEncoded}`] }) },
    { status: 422, body: JSON.stringify({ detail: [{ loc: ['body', 'values', value], msg: `bad value ${JSON.stringify(value)}`, type: 'x' }] }) },
    { status: 400, body: JSON.stringify({ detail: `IllegalOperationError: ${encodeURIComponent(value)}` }) },
    { status: 409, body: JSON.stringify({ detail: ['EntityExistsError', value] }) },
  ];
  await c.addSecret({}, { name: 'echo_me', values: { k: 'v' } });
  for (const e of echoes) {
    for (const op of ['add', 'update'] as const) {
      emu.faults.next({ ...e, match: isWrite });
      const p = op === 'add' ? c.addSecret({}, { name: 'echo_new', values: { k: value } }) : c.updateSecret({}, 'echo_me', { values: { k: value } });
      const err = await p.then(
        () => assert.fail('should fail'),
        (x: unknown) => x,
      );
      assert.ok(isMlSecretsError(err), String(err));
      for (const text of [err.message, String(err.stack), util.inspect(err, { depth: 10 }), JSON.stringify(err)]) {
        assert.ok(!text.includes('zenECHO') && !text.includes(formEncoded), `${op} ${e.status}: ${text}`);
      }
      if (e.status === 500) assert.ok(err instanceof HttpError && err.message.includes('boom'), 'the rest of the server message is kept');
    }
  }
  await new Promise((r) => setImmediate(r));
  assert.ok(!redactor.has(value), 'the value is forgotten once the operations are over');
});

test('writes report success only for the answer the API documents (not a 200 HTML page, garbage or 20 MB of junk)', async () => {
  const c = client();
  await c.addSecret({}, { name: 'shape_check', values: { k: 'v' } });
  const bad = [
    { status: 200, body: '<html><body>Captive portal: sign in</body></html>', headers: { 'content-type': 'text/html' } },
    { status: 200, body: 'garbage \u0000 not json' },
    { status: 200, body: '{"unexpected": true}' },
    { status: 200, body: 'x'.repeat(20 * 1024 * 1024) },
  ];
  const writes: Array<[string, (m: string, p: string) => boolean, () => Promise<unknown>]> = [
    ['add', (m, p) => m === 'POST' && p === '/api/v1/secrets', () => c.addSecret({}, { name: 'shape_new', values: { k: 'v' } })],
    ['update', (m, p) => m === 'PUT' && p.startsWith('/api/v1/secrets/'), () => c.updateSecret({}, 'shape_check', { values: { k: 'w' } })],
    ['delete', (m, p) => m === 'DELETE' && p.startsWith('/api/v1/secrets/'), () => c.deleteSecret({}, 'shape_check')],
  ];
  for (const [op, match, run] of writes) {
    for (const b of bad) {
      if (op === 'delete' && b.body === '{"unexpected": true}') continue; // any JSON is fine for a delete's `null`
      emu.faults.next({ ...b, match });
      await assert.rejects(run(), ProtocolError, `${op} with ${b.body.slice(0, 20)}`);
    }
  }
  assert.equal((await c.deleteSecret({}, 'shape_check')).alreadyGone, false, 'the documented answer still works');
});

test('a server that keeps paging (growing total_pages, the same page again) is not followed for long', async () => {
  const http = await import('node:http');
  let requests = 0;
  let mode: 'grow' | 'repeat' | 'huge' = 'grow';
  const server = http.createServer((req, res) => {
    requests++;
    const page = Number(new URL(req.url ?? '/', 'http://x').searchParams.get('page') ?? 1);
    const id = mode === 'repeat' ? '00000000-0000-0000-0000-000000000001' : `00000000-0000-0000-0000-${String(page).padStart(12, '0')}`;
    const total_pages = mode === 'grow' ? page + 1 : mode === 'huge' ? 1e9 : 50;
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(JSON.stringify({ index: page, max_size: 1000, total_pages, total: total_pages, items: [{ id, name: `s${page}`, body: { values: {} } }] }));
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const url = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
  try {
    const c = new ZenmlClient({ serverUrl: url, origins: [url], http: new HttpClient({ maxRetries: 0 }), accessToken: 'tok-paging-test' });
    const grown = await c.listSecrets({});
    assert.equal(grown.length, 2, 'the first page says 2 pages: 2 pages are read, however the count grows');
    assert.equal(requests, 2);
    mode = 'repeat';
    requests = 0;
    const repeated = await c.listSecrets({});
    assert.equal(repeated.length, 1);
    assert.ok(requests <= 2, `stopped when a page brought nothing new (${requests} requests)`);
    mode = 'huge';
    requests = 0;
    await assert.rejects(c.listSecrets({}), ProtocolError);
    assert.equal(requests, 1);
  } finally {
    server.close();
  }
});
