// The Apolo client against the strict emulator: the same code that talks to the real service.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startApoloEmulator, ApoloEmulator } from '../emulators/apolo/server';
import { ApoloClient } from '../../src/core/platforms/apolo/client';
import { fetchApoloConfig } from '../../src/core/platforms/apolo/config';
import { HttpClient } from '../../src/core/http/httpClient';
import { AuthError, NotFoundError, PermissionError, ProtocolError, ValidationError, HttpError } from '../../src/core/errors';
import { boundOrigins } from '../../src/core/connections';
import * as util from 'node:util';

let emu: ApoloEmulator;
const http = new HttpClient({ sleep: async () => undefined, timeoutMs: 5000 });
const scope = { cluster: 'default', org: 'demo-org', project: 'demo-project' };

function client(user = 'alice', origins?: string[]) {
  return new ApoloClient({ platform: 'apolo', apiUrl: emu.apiUrl, token: emu.tokens[user], origins: origins ?? [new URL(emu.apiUrl).origin], http, ...scope });
}

before(async () => {
  emu = await startApoloEmulator({ seed: true });
});
after(() => emu.close());

test('discovery: projects and clusters from GET /config', async () => {
  const cfg = await fetchApoloConfig(http, emu.apiUrl, { origins: [new URL(emu.apiUrl).origin], header: 'Authorization', value: `Bearer ${emu.tokens.alice}` });
  assert.equal(cfg.authorized, true);
  assert.deepEqual(cfg.projects.map((p) => p.name).sort(), ['demo-project', 'ml-team']);
  assert.ok(cfg.clusters[0].secretsUrl);
  await assert.rejects(fetchApoloConfig(http, emu.apiUrl, { origins: [new URL(emu.apiUrl).origin], header: 'Authorization', value: 'Bearer garbage' }), AuthError);
});

test('scopes: the default project first, marked; every member project complete', async () => {
  const scopes = await client().listScopes();
  assert.equal(scopes[0].ref.project, 'demo-project');
  assert.equal(scopes[0].isDefault, true);
  assert.ok(scopes.every((s) => s.complete));
});

test('list / add / delete round trip, values as base64, never returned by list', async () => {
  const c = client();
  await c.addSecret(scope, { name: 'unit.key', value: new TextEncoder().encode('hello') });
  assert.equal(emu.state.getSecret('demo-org', 'demo-project', 'unit.key'), Buffer.from('hello').toString('base64'));
  const list = await c.listSecrets(scope);
  const item = list.find((s) => s.name === 'unit.key');
  assert.deepEqual(item, { name: 'unit.key', owner: 'demo-project', scope: 'demo-org/demo-project' });
  assert.deepEqual(await c.deleteSecret(scope, 'unit.key'), { alreadyGone: false });
  assert.deepEqual(await c.deleteSecret(scope, 'unit.key'), { alreadyGone: true });
});

test('names are checked before any request', async () => {
  const n = emu.requests.length;
  for (const bad of ['', '.', '..x', 'a b', 'x/y', '---NEURO---', 'k'.repeat(254)]) {
    await assert.rejects(client().addSecret(scope, { name: bad, value: new Uint8Array([1]) }), ValidationError, bad);
  }
  assert.equal(emu.requests.length, n);
});

test('a reader gets a 403 naming the missing permission; a non-member sees an empty list', async () => {
  const err = await client('carol').addSecret(scope, { name: 'nope', value: new Uint8Array([1]) }).catch((e) => e);
  assert.ok(err instanceof PermissionError, String(err));
  assert.match(err.message, /write on secret:\/\/default\/demo-org\/demo-project/);
  assert.deepEqual(await client('carol').listSecrets({ ...scope, project: 'ml-team' }), []);
  // bob is in no org: the server names no cluster for him, and the client says so plainly.
  await assert.rejects(client('bob').listSecrets(scope), /Cluster 'default' is not in this server's configuration/);
});

test('sharing answers with the granted (possibly higher) permission', async () => {
  const c = client();
  const team = { ...scope, project: 'ml-team' };
  await c.addSecret(team, { name: 'shared.one', value: new TextEncoder().encode('x') });
  const r = await c.shareSecret(team, 'shared.one', 'carol', 'write');
  assert.equal(r.granted, 'write');
  assert.equal(r.alreadyHigher, false);
  assert.equal(r.uri, 'secret://default/demo-org/ml-team/shared.one');
  const again = await c.shareSecret(team, 'shared.one', 'carol', 'read');
  assert.equal(again.granted, 'write');
  assert.equal(again.alreadyHigher, true, 'asking for read when write is held says nothing was lowered');
  assert.deepEqual((await client('carol').listSecrets(team)).map((s) => s.name), ['shared.one'], 'carol now sees exactly the shared key');
  await assert.rejects(c.shareSecret(team, 'shared.one', 'nobody', 'read'), NotFoundError);
});

test('401, 5xx and garbage answers become typed errors', async () => {
  const expired = new ApoloClient({ platform: 'apolo', apiUrl: emu.apiUrl, token: emu.makeToken('alice', { expired: true }), origins: [new URL(emu.apiUrl).origin], http, ...scope });
  await assert.rejects(expired.listSecrets(scope), AuthError);
  const c = client();
  await c.listScopes();
  emu.faults.next({ status: 500, body: '{"error": "Unexpected exception: boom"}', match: (_m, p) => p.endsWith('/secrets') });
  await assert.rejects(c.listSecrets(scope), HttpError);
  emu.faults.next({ status: 200, body: '<html>login</html>', headers: { 'content-type': 'text/html' }, match: (_m, p) => p.endsWith('/secrets') });
  await assert.rejects(c.listSecrets(scope), ProtocolError);
  emu.faults.next({ status: 200, body: '[{"nokey": 1}]', match: (_m, p) => p.endsWith('/secrets') });
  await assert.rejects(c.listSecrets(scope), ProtocolError);
  emu.faults.next({ status: 503, match: (_m, p) => p.endsWith('/secrets'), times: 2 });
  assert.ok(Array.isArray(await c.listSecrets(scope)), 'a GET retried past two 503s');
});

test('a secrets service on another origin is used only when the sign-in bound it', async () => {
  const sep = await startApoloEmulator({ seed: true, secretsOnSeparateOrigin: true });
  try {
    const secretsUrl = sep.secretsUrls.default;
    assert.notEqual(new URL(secretsUrl).origin, new URL(sep.apiUrl).origin);
    const unbound = new ApoloClient({ platform: 'apolo', apiUrl: sep.apiUrl, token: sep.tokens.alice, origins: [new URL(sep.apiUrl).origin], http, ...scope });
    await assert.rejects(unbound.listSecrets(scope), /not bound to/);
    assert.equal(sep.requests.filter((r) => r.origin === new URL(secretsUrl).origin).length, 0, 'no request reached the unbound origin');
    const bound = new ApoloClient({ platform: 'apolo', apiUrl: sep.apiUrl, token: sep.tokens.alice, origins: boundOrigins(sep.apiUrl, [secretsUrl]), http, ...scope });
    assert.ok((await bound.listSecrets(scope)).length > 0);
  } finally {
    await sep.close();
  }
});

test('references: own project short, same org /PROJECT/, else a full URI', () => {
  const c = client();
  assert.equal(c.reference(scope, 'K'), 'secret:K');
  assert.equal(c.reference({ ...scope, project: 'ml-team' }, 'K'), 'secret:/ml-team/K');
  assert.equal(c.reference({ cluster: 'other', org: 'o2', project: 'p' }, 'K'), 'secret://other/o2/p/K');
});

test('server text copied into errors (403 missing[], error) is redacted: an echoed value never shows', async () => {
  const c = client();
  await c.listScopes();
  const value = 'apoloECHO value +/é"';
  const b64 = Buffer.from(value).toString('base64');
  emu.faults.next({
    status: 403,
    body: JSON.stringify({ error: `denied ${b64}`, missing: [{ uri: `secret://default/demo-org/demo-project/${value}`, action: `write ${b64}` }] }),
    match: (m, p) => m === 'POST' && p.endsWith('/secrets'),
  });
  const err = await c.addSecret(scope, { name: 'ECHO_KEY', value: new TextEncoder().encode(value) }).then(
    () => assert.fail('should fail'),
    (e: unknown) => e,
  );
  assert.ok(err instanceof PermissionError);
  for (const text of [err.message, String(err.stack), util.inspect(err, { depth: 10 }), JSON.stringify(err)]) {
    assert.ok(!text.includes('apoloECHO') && !text.includes(b64), text);
  }
  assert.ok(err.missing[0].uri.startsWith('secret://default/demo-org/demo-project/'), 'the permission it names is kept');
});

test('add/delete/share report success only for the documented answer', async () => {
  const c = client();
  await c.listScopes();
  const bad = [
    { status: 200, body: '<html><body>Please log in</body></html>', headers: { 'content-type': 'text/html' } },
    { status: 200, body: 'garbage, not json' },
    { status: 201, body: '{"unexpected": 1}' },
    { status: 200, body: 'x'.repeat(20 * 1024 * 1024) },
  ];
  const isSecrets = (m: string) => (_m: string, p: string) => _m === m && /\/secrets(\/|$)/.test(p);
  for (const b of bad) {
    emu.faults.next({ ...b, match: isSecrets('POST') });
    await assert.rejects(c.addSecret(scope, { name: 'SHAPE', value: new TextEncoder().encode('v') }), ProtocolError, `add: ${b.body.slice(0, 20)}`);
    emu.faults.next({ ...b, status: 200, match: isSecrets('DELETE') });
    await assert.rejects(c.deleteSecret(scope, 'SHAPE'), ProtocolError, `delete: ${b.body.slice(0, 20)}`);
    emu.faults.next({ ...b, status: 201, match: (m, p) => m === 'POST' && p.endsWith('/permissions') });
    await assert.rejects(c.shareSecret(scope, 'SHAPE', 'bob', 'read'), ProtocolError, `share: ${b.body.slice(0, 20)}`);
  }
  await c.addSecret(scope, { name: 'SHAPE', value: new TextEncoder().encode('v') });
  assert.equal((await c.deleteSecret(scope, 'SHAPE')).alreadyGone, false, 'the documented answers still work');
});
