// Apolo / Neu.ro sharing against the strict emulator: what was shared with you (GET
// /users/{me}/permissions), who has access to a secret of yours (GET …/permissions/shared?uri=…),
// revoking (DELETE /users/{user}/permissions?uri=…), and how references resolve against shares.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startApoloEmulator, ApoloEmulator, DEFAULT_USERS } from '../emulators/apolo/server';
import { ApoloClient } from '../../src/core/platforms/apolo/client';
import { HttpClient } from '../../src/core/http/httpClient';
import { ProtocolError, ValidationError } from '../../src/core/errors';
import { parseApoloRef } from '../../src/core/platforms/apolo/syntaxRef';
import { checkReferences, CheckTarget, ScopeState } from '../../src/core/check/checker';
import { buildSecretList } from '../../src/core/secretList';
import { scopeKey } from '../../src/model/secretsModel';
import type { SecretReference } from '../../src/core/references/reference';

let emu: ApoloEmulator;
const http = new HttpClient({ sleep: async () => undefined, timeoutMs: 5000 });
const own = { cluster: 'default', org: 'demo-org', project: 'demo-project' };
const bobScope = { cluster: 'default', org: 'bob-org', project: 'bob-lab' };
const WANDB = 'secret://default/demo-org/demo-project/WANDB_API_KEY';

function client(user: string, scope: { cluster: string; org: string; project: string }) {
  return new ApoloClient({ platform: 'neuro', apiUrl: emu.apiUrl, token: emu.tokens[user], origins: [new URL(emu.apiUrl).origin], http, ...scope });
}
const alice = () => client('alice', own);
const bob = () => client('bob', bobScope);

before(async () => {
  emu = await startApoloEmulator({
    seed: true,
    userNamespaces: true,
    clusters: [{ name: 'default', orgs: [{ name: 'demo-org', projects: ['demo-project', 'ml-team'] }, { name: 'bob-org', projects: ['bob-lab'] }] }],
    users: [
      ...DEFAULT_USERS.filter((u) => u.name !== 'bob'),
      { name: 'bob', orgs: [{ name: 'bob-org', role: 'admin' }], projects: [{ cluster: 'default', org: 'bob-org', project: 'bob-lab', role: 'admin' }] },
    ],
  });
});
after(() => emu.close());

function last(path: string) {
  const r = [...emu.requests].reverse().find((x) => x.path === path);
  assert.ok(r, `no request to ${path}`);
  return r;
}

test('shared with me: a grant on one secret of another project, with owner and level; the request is GET /users/bob/permissions?uri=secret://default', async () => {
  const share = await alice().shareSecret(own, 'WANDB_API_KEY', 'bob', 'read');
  assert.equal(share.uri, WANDB);
  const shared = await bob().sharedWithMe();
  assert.deepEqual(shared, [{ name: 'WANDB_API_KEY', uri: WANDB, owner: 'demo-org/demo-project', level: 'read', readable: true, scope: own }]);
  const r = last('/api/v1/users/bob/permissions');
  assert.equal(r.method, 'GET');
  assert.deepEqual(r.query, { uri: 'secret://default' });
  assert.match(r.url, /\?uri=secret%3A%2F%2Fdefault$/);
  // bob's own namespace (secret://default/bob) and his project's role grant are not "shared with him"
  assert.ok(!shared.some((s) => s.owner === 'bob' || s.owner.startsWith('bob-org')));
});

test("Neu.ro user-scoped: alice grants secret://default/alice/NAME from her namespace; bob sees owner 'alice'", async () => {
  const res = await http.request({
    method: 'POST',
    url: `${emu.apiUrl}/users/bob/permissions`,
    json: [{ uri: 'secret://default/alice/dataset-token', action: 'read' }],
    auth: { origins: [new URL(emu.apiUrl).origin], header: 'Authorization', value: `Bearer ${emu.tokens.alice}` },
  });
  assert.equal(res.status, 201);
  emu.state.grant('bob', 'secret://default/demo-org/ml-team/OPENAI_API_KEY', 'list');
  const shared = await bob().sharedWithMe();
  const user = shared.find((s) => s.uri === 'secret://default/alice/dataset-token');
  assert.deepEqual(user, { name: 'dataset-token', uri: 'secret://default/alice/dataset-token', owner: 'alice', level: 'read', readable: true, scope: { cluster: 'default', org: 'alice' } });
  const low = shared.find((s) => s.name === 'OPENAI_API_KEY');
  assert.equal(low?.level, 'list');
  assert.equal(low?.readable, false);
});

test('listSecrets of another owner: the service list plus what was shared (below read: inaccessible); a user namespace from shares only', async () => {
  const other = await bob().listSecrets(own);
  assert.deepEqual(other, [{ name: 'WANDB_API_KEY', owner: 'demo-project', scope: 'demo-org/demo-project' }]);
  const team = await bob().listSecrets({ cluster: 'default', org: 'demo-org', project: 'ml-team' });
  assert.deepEqual(team, [{ name: 'OPENAI_API_KEY', owner: 'demo-org/ml-team', scope: 'demo-org/ml-team', inaccessible: true }]);
  const n = emu.requests.length;
  const ns = await bob().listSecrets({ cluster: 'default', org: 'alice' });
  assert.deepEqual(ns, [{ name: 'dataset-token', owner: 'alice', scope: 'alice', inaccessible: false }]);
  assert.ok(emu.requests.slice(n).every((r) => !r.path.endsWith('/secrets')), 'a user namespace is not listed by the secrets service');
  // a member's own project: the secrets service alone (no permissions request)
  const m = emu.requests.length;
  await alice().listSecrets(own);
  assert.deepEqual(emu.requests.slice(m).map((r) => r.path), ['/api/v1/config', '/api/v1/secrets']);
});

test('who has access: GET /users/alice/permissions/shared?uri=<the secret URI, encoded>; the owner and project roles are not listed', async () => {
  const grants = await alice().whoHasAccess(own, 'WANDB_API_KEY');
  assert.deepEqual(grants, [{ user: 'bob', uri: WANDB, level: 'read' }]);
  const r = last('/api/v1/users/alice/permissions/shared');
  assert.deepEqual(r.query, { uri: WANDB });
  assert.ok(r.url.endsWith(`?uri=${encodeURIComponent(WANDB)}`), r.url);
  assert.deepEqual(await alice().whoHasAccess(own, 'HF_TOKEN'), []);
});

test('revoke: DELETE /users/bob/permissions?uri=… → 204; again → already gone (400 "Operation has no effect"); bob no longer sees it', async () => {
  assert.deepEqual(await alice().revokeAccess(own, 'WANDB_API_KEY', 'bob'), { alreadyGone: false });
  const r = last('/api/v1/users/bob/permissions');
  assert.equal(r.method, 'DELETE');
  assert.deepEqual(r.query, { uri: WANDB });
  assert.deepEqual(await alice().revokeAccess(own, 'WANDB_API_KEY', 'bob'), { alreadyGone: true });
  assert.ok(!(await bob().sharedWithMe()).some((s) => s.uri === WANDB));
  assert.deepEqual(await alice().whoHasAccess(own, 'WANDB_API_KEY'), []);
});

test('a role is addressed with ":" for "/"; bad names fail before any request; a permission list that is not one is a protocol error', async () => {
  const n = emu.requests.length;
  await assert.rejects(alice().revokeAccess(own, 'WANDB_API_KEY', 'a:b'), ValidationError);
  await assert.rejects(alice().revokeAccess(own, 'bad name', 'bob'), ValidationError);
  await assert.rejects(alice().whoHasAccess(own, '..x'), ValidationError);
  assert.equal(emu.requests.length, n);
  await alice().revokeAccess(own, 'WANDB_API_KEY', 'alice/team').catch(() => undefined);
  assert.equal(last('/api/v1/users/alice:team/permissions').method, 'DELETE');
  assert.match(last('/api/v1/users/alice:team/permissions').url, /^\/api\/v1\/users\/alice:team\/permissions\?uri=/);
  emu.faults.next({ status: 200, body: '{"uri": "x"}', match: (_m, p) => p === '/api/v1/users/bob/permissions' });
  await assert.rejects(bob().sharedWithMe(), ProtocolError);
  emu.faults.next({ status: 200, body: '[{"user": "bob"}]', match: (_m, p) => p.endsWith('/permissions/shared') });
  await assert.rejects(alice().whoHasAccess(own, 'HF_TOKEN'), ProtocolError);
});

/** The checker over lists the client fetched (what the model and the command line do). */
async function check(c: ApoloClient, text: string) {
  const ref = { ...parseApoloRef(text), text, start: 0, end: text.length } as SecretReference;
  const states = new Map<string, ScopeState>();
  const target: CheckTarget = {
    label: 'bob',
    platformName: 'Neu.ro',
    keyed: false,
    validateName: (n) => c.validateName(n),
    resolveScope: (r) => {
      const s = c.scopeFor(r);
      return 'unverified' in s ? s : { scopeId: scopeKey(s) };
    },
    state: (id) => states.get(id) ?? { status: 'loading', label: id },
  };
  const s = c.scopeFor(ref);
  if (!('unverified' in s)) {
    const list = buildSecretList(await c.listSecrets(s));
    states.set(scopeKey(s), { status: 'ok', label: scopeKey(s), secrets: list.byName, complete: false });
  }
  return checkReferences({ refs: [ref], target, level: 'secretAndKeyExist' })[0];
}

test('resolution: a shared user-scoped secret resolves, below read is secret-inaccessible, an unshared one stays malformed', async () => {
  assert.equal((await check(bob(), 'secret://default/alice/dataset-token')).status, 'ok');
  assert.equal((await check(bob(), 'secret://default/demo-org/ml-team/OPENAI_API_KEY')).code, 'secret-inaccessible');
  emu.state.grant('bob', 'secret://default/alice/low', 'list');
  assert.equal((await check(bob(), 'secret://default/alice/low')).code, 'secret-inaccessible');
  assert.equal((await check(bob(), 'secret://default/alice/never-shared')).code, 'reference-malformed');
  assert.equal((await check(bob(), 'secret://default/demo-org/present_key')).code, 'reference-malformed');
  // another project's secret that isn't shared: unverified, as before (the list there is only what you may see)
  assert.equal((await check(bob(), 'secret://default/demo-org/demo-project/WANDB_API_KEY')).code, 'secret-unverified');
});
