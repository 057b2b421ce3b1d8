import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import * as path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { ApoloEmulator, startApoloEmulator } from '../emulators/apolo/server';

const ORG = 'demo-org';
const PROJECT = 'demo-project';
const Q = `org_name=${ORG}&project_name=${PROJECT}`;
const b64 = (s: string): string => Buffer.from(s, 'utf8').toString('base64');

interface Res {
  status: number;
  headers: Headers;
  text: string;
  json: () => unknown;
}

function client(emu: ApoloEmulator) {
  const call = async (
    method: string,
    urlPath: string,
    opts: { user?: string; token?: string; body?: unknown; rawBody?: string; headers?: Record<string, string>; base?: string } = {},
  ): Promise<Res> => {
    const headers: Record<string, string> = { ...(opts.headers ?? {}) };
    const token = opts.token ?? (opts.user ? emu.tokens[opts.user] : undefined);
    if (token !== undefined) headers.Authorization = `Bearer ${token}`;
    let body: string | undefined = opts.rawBody;
    if (opts.body !== undefined) {
      body = JSON.stringify(opts.body);
      headers['Content-Type'] = 'application/json';
    }
    const res = await fetch(`${opts.base ?? emu.url}${urlPath}`, { method, headers, body });
    const text = await res.text();
    return { status: res.status, headers: res.headers, text, json: () => JSON.parse(text) as unknown };
  };
  return call;
}

describe('apolo emulator: service basics', () => {
  let emu: ApoloEmulator;
  let call: ReturnType<typeof client>;
  before(async () => {
    emu = await startApoloEmulator({ seed: true, serviceVersion: '1.2.3' });
    call = client(emu);
  });
  after(() => emu.close());

  it('binds 127.0.0.1 and exposes apiUrl', () => {
    assert.match(emu.url, /^http:\/\/127\.0\.0\.1:\d+$/);
    assert.equal(emu.apiUrl, `${emu.url}/api/v1`);
    assert.equal(emu.secretsUrls.default, `${emu.url}/api/v1/secrets`);
  });

  it('pings, with X-Service-Version on every response', async () => {
    for (const p of ['/ping', '/api/v1/ping']) {
      const r = await call('GET', p);
      assert.equal(r.status, 200);
      assert.equal(r.text, 'Pong');
      assert.equal(r.headers.get('content-type'), 'text/plain; charset=utf-8');
      assert.equal(r.headers.get('x-service-version'), 'platform-secrets/1.2.3');
    }
    const head = await call('HEAD', '/ping');
    assert.equal(head.status, 200);
    assert.equal(head.text, '');
    const nf = await call('GET', '/nope');
    assert.equal(nf.status, 404);
    assert.equal(nf.text, '404: Not Found');
    assert.equal(nf.headers.get('x-service-version'), 'platform-secrets/1.2.3');
  });

  it('secured-ping: 200 with a token, 401 plain text otherwise, 400 for a non-Bearer header', async () => {
    assert.equal((await call('GET', '/api/v1/secured-ping', { user: 'alice' })).text, 'Secured Pong');
    for (const token of [
      undefined,
      'not-a-jwt',
      emu.makeToken('alice', { expired: true }),
      emu.makeToken('alice', { secret: 'wrong' }),
      emu.makeToken('mallory'),
    ]) {
      const r = await call('GET', '/api/v1/secured-ping', token === undefined ? {} : { token });
      assert.equal(r.status, 401, String(token));
      assert.equal(r.text, '401: Unauthorized');
      assert.equal(r.headers.get('content-type'), 'text/plain; charset=utf-8');
    }
    const basic = await call('GET', '/api/v1/secured-ping', { headers: { Authorization: 'Basic YTpi' } });
    assert.equal(basic.status, 400);
    assert.deepEqual(basic.json(), { error: 'Unexpected authorization scheme' });
    // both JWT claims are accepted
    for (const claim of ['identity', 'platform'] as const) {
      const r = await call('GET', '/api/v1/secured-ping', { token: emu.makeToken('bob', { claim }) });
      assert.equal(r.status, 200);
    }
  });

  it('405 with Allow for a wrong method', async () => {
    const r = await call('PUT', '/api/v1/secrets', { user: 'alice' });
    assert.equal(r.status, 405);
    assert.equal(r.headers.get('allow'), 'GET,HEAD,POST');
    assert.equal(r.text, '405: Method Not Allowed');
    const r2 = await call('PATCH', '/api/v1/secrets/HF_TOKEN', { user: 'alice' });
    assert.equal(r2.headers.get('allow'), 'DELETE,GET,HEAD');
    assert.equal((await call('POST', '/api/v1/config')).status, 405);
  });
});

describe('apolo emulator: /config', () => {
  let emu: ApoloEmulator;
  let call: ReturnType<typeof client>;
  before(async () => {
    emu = await startApoloEmulator();
    call = client(emu);
  });
  after(() => emu.close());

  const OAUTH = ['auth_url', 'token_url', 'logout_url', 'client_id', 'audience', 'callback_urls', 'headless_callback_url', 'success_redirect_url'];

  it('without a token: authorized false + OAuth fields only', async () => {
    const r = await call('GET', '/api/v1/config');
    assert.equal(r.status, 200);
    assert.equal(r.headers.get('content-type'), 'application/json; charset=utf-8');
    const body = r.json() as Record<string, unknown>;
    assert.deepEqual(Object.keys(body), ['authorized', ...OAUTH]);
    assert.equal(body.authorized, false);
    assert.ok(Array.isArray(body.callback_urls));
  });

  it('with a valid token: orgs, clusters (secrets_url), projects, admin/vcluster URLs', async () => {
    const body = (await call('GET', '/api/v1/config', { user: 'alice' })).json() as Record<string, any>;
    assert.equal(body.authorized, true);
    assert.deepEqual(body.orgs, [{ name: ORG, role: 'admin' }]);
    assert.deepEqual(body.projects, [
      { name: PROJECT, role: 'admin', cluster_name: 'default', org_name: ORG },
      { name: 'ml-team', role: 'manager', cluster_name: 'default', org_name: ORG },
    ]);
    assert.equal(body.clusters.length, 1);
    const c = body.clusters[0];
    assert.equal(c.name, 'default');
    assert.deepEqual(c.orgs, [ORG]);
    assert.equal(c.secrets_url, `${emu.apiUrl}/secrets`);
    for (const k of ['registry_url', 'storage_url', 'users_url', 'monitoring_url', 'disks_url', 'buckets_url']) assert.equal(typeof c[k], 'string', k);
    for (const k of ['name', 'min_size', 'max_size', 'cpu', 'memory', 'disk_size']) assert.ok(k in c.resource_pool_types[0], k);
    for (const k of ['name', 'credits_per_hour', 'cpu', 'memory']) assert.ok(k in c.resource_presets[0], k);
    assert.equal(typeof c.resource_presets[0].credits_per_hour, 'string');
    assert.equal(typeof body.admin_url, 'string');
    assert.equal(typeof body.vcluster_url, 'string');
    for (const k of OAUTH) assert.ok(k in body, k);
  });

  it('a user in nothing gets empty lists; an invalid/expired token gets authorized false (200)', async () => {
    const bob = (await call('GET', '/api/v1/config', { user: 'bob' })).json() as Record<string, unknown>;
    assert.equal(bob.authorized, true);
    assert.deepEqual([bob.orgs, bob.clusters, bob.projects], [[], [], []]);
    for (const token of ['garbage', emu.makeToken('alice', { expired: true }), emu.makeToken('nobody')]) {
      const r = await call('GET', '/api/v1/config', { token });
      assert.equal(r.status, 200);
      assert.equal((r.json() as Record<string, unknown>).authorized, false);
    }
  });
});

describe('apolo emulator: secrets CRUD', () => {
  let emu: ApoloEmulator;
  let call: ReturnType<typeof client>;
  before(async () => {
    emu = await startApoloEmulator({ seed: true });
    call = client(emu);
  });
  after(() => emu.close());

  it('lists the seeded keys sorted, without values', async () => {
    const r = await call('GET', `/api/v1/secrets?${Q}`, { user: 'alice' });
    assert.equal(r.status, 200);
    assert.equal(r.headers.get('content-type'), 'application/json; charset=utf-8');
    assert.deepEqual(r.json(), ['HF_TOKEN', 'WANDB_API_KEY', 'aws-creds.json'].map((key) => ({ key, owner: PROJECT, org_name: ORG, project_name: PROJECT })));
    assert.match(r.text, /^\[\{"key": "HF_TOKEN", "owner"/); // Python json.dumps separators
  });

  it('creates (201), replaces (201), reads (200 base64), deletes (204), then 404', async () => {
    const body = { key: 'NEW_KEY', value: b64('v1'), org_name: ORG, project_name: PROJECT };
    const c1 = await call('POST', '/api/v1/secrets', { user: 'alice', body });
    assert.equal(c1.status, 201);
    assert.deepEqual(c1.json(), { key: 'NEW_KEY', owner: PROJECT, org_name: ORG, project_name: PROJECT });
    assert.equal(emu.state.getSecret(ORG, PROJECT, 'NEW_KEY'), b64('v1'));
    const c2 = await call('POST', '/api/v1/secrets', { user: 'alice', body: { ...body, value: b64('v2') } });
    assert.equal(c2.status, 201);
    const g = await call('GET', `/api/v1/secrets/NEW_KEY?${Q}`, { user: 'alice' });
    assert.equal(g.status, 200);
    assert.deepEqual(g.json(), { key: 'NEW_KEY', value: b64('v2'), owner: PROJECT, org_name: ORG, project_name: PROJECT });
    const d = await call('DELETE', `/api/v1/secrets/NEW_KEY?${Q}`, { user: 'alice' });
    assert.equal(d.status, 204);
    assert.equal(d.text, '');
    const d2 = await call('DELETE', `/api/v1/secrets/NEW_KEY?${Q}`, { user: 'alice' });
    assert.equal(d2.status, 404);
    assert.deepEqual(d2.json(), { error: "Secret 'NEW_KEY' not found" });
    const g2 = await call('GET', `/api/v1/secrets/NEW_KEY?${Q}`, { user: 'alice' });
    assert.equal(g2.status, 404);
    assert.deepEqual(g2.json(), { error: "Secret 'NEW_KEY' not found" });
  });

  it('list of an empty or unknown project is 200 []', async () => {
    emu.state.deleteSecret(ORG, 'ml-team', 'OPENAI_API_KEY');
    const r = await call('GET', `/api/v1/secrets?org_name=${ORG}&project_name=ml-team`, { user: 'alice' });
    assert.deepEqual(r.json(), []);
    const r2 = await call('GET', `/api/v1/secrets?org_name=other&project_name=x`, { user: 'alice' });
    assert.deepEqual(r2.json(), []);
  });

  it('400: body not JSON, missing / extra / invalid fields (trafaret messages)', async () => {
    const cases: Array<[string | object, string]> = [
      ['', 'Expecting value: line 1 column 1 (char 0)'],
      ['{"key": 1,}', 'Illegal trailing comma before end of object: line 1 column 10 (char 9)'],
      [{}, "{'key': DataError('is required'), 'value': DataError('is required'), 'org_name': DataError('is required'), 'project_name': DataError('is required')}"],
      [[], 'value is not a dict'],
      [
        { key: 'a b', value: b64('x'), org_name: ORG, project_name: PROJECT, owner: 'me' },
        "{'key': DataError('does not match pattern \\\\A(?!\\\\.\\\\Z|\\\\.\\\\.)[a-zA-Z0-9_\\\\-.]+\\\\Z'), 'owner': DataError('owner is not allowed key')}",
      ],
      [{ key: '---Neuro---', value: 'YQ==', org_name: ORG, project_name: PROJECT }, `{'key': DataError("Illegal key '---Neuro---'")}`],
      [{ key: 'k', value: 'abcde', org_name: ORG, project_name: PROJECT }, "{'value': DataError('Invalid base64-encoded string: number of data characters (5) cannot be 1 more than a multiple of 4')}"],
      [{ key: 'k', value: 'YQ==', org_name: '', project_name: PROJECT }, "{'org_name': DataError('blank value is not allowed')}"],
      [{ key: 'k'.repeat(254), value: '', org_name: ORG, project_name: 1 }, "{'key': DataError('String is longer than 253 characters'), 'value': DataError('blank value is not allowed'), 'project_name': DataError('value is not a string')}"],
      [{ key: 'k', value: 'YQ==', org_name: ORG, project_name: PROJECT, "it's": 1 }, `{"it's": DataError("it's is not allowed key")}`],
    ];
    for (const [payload, msg] of cases) {
      const r = await call('POST', '/api/v1/secrets', typeof payload === 'string' ? { user: 'alice', rawBody: payload } : { user: 'alice', body: payload });
      assert.equal(r.status, 400, JSON.stringify(payload));
      assert.deepEqual(r.json(), { error: msg });
    }
    // aiohttp decodes the body with the request charset: bad UTF-8 is a ValueError (400), an unknown codec a 500.
    const badUtf8 = await fetch(`${emu.url}/api/v1/secrets`, { method: 'POST', body: Buffer.from([0x7b, 0xff]) });
    assert.equal(badUtf8.status, 400);
    assert.deepEqual(await badUtf8.json(), { error: "'utf-8' codec can't decode byte 0xff in position 1: invalid start byte" });
    const codec = await call('POST', '/api/v1/secrets?a=1', { user: 'alice', rawBody: '{}', headers: { 'Content-Type': 'application/json; charset=klingon' } });
    assert.equal(codec.status, 500);
    assert.deepEqual(codec.json(), { error: 'Unexpected exception: unknown encoding: klingon. Path with query: /api/v1/secrets?a=1.' });
    // Validation happens before authentication on POST.
    const anon = await call('POST', '/api/v1/secrets', { rawBody: 'x' });
    assert.equal(anon.status, 400);
  });

  it('400 from "Kubernetes" for base64 that Python accepts but Go rejects; GET returns canonical base64', async () => {
    const r = await call('POST', '/api/v1/secrets', { user: 'alice', body: { key: 'k8s', value: 'YW Jj', org_name: ORG, project_name: PROJECT } });
    assert.equal(r.status, 400);
    assert.deepEqual(r.json(), { error: "Secret key 'k8s' or its value not valid" });
    const ok = await call('POST', '/api/v1/secrets', { user: 'alice', body: { key: 'nl', value: 'YW\nJj', org_name: ORG, project_name: PROJECT } });
    assert.equal(ok.status, 201);
    assert.equal(emu.state.getSecret(ORG, PROJECT, 'nl'), 'YW\nJj');
    const g = await call('GET', `/api/v1/secrets/nl?${Q}`, { user: 'alice' });
    assert.equal((g.json() as { value: string }).value, 'YWJj');
    emu.state.deleteSecret(ORG, PROJECT, 'nl');
  });

  it('413 for a body over aiohttp client_max_size (1 MiB)', async () => {
    const r = await call('POST', '/api/v1/secrets', { user: 'alice', body: { key: 'big', value: 'A'.repeat(1024 * 1024), org_name: ORG, project_name: PROJECT } });
    assert.equal(r.status, 413);
    assert.equal(r.text, 'Maximum request body size 1048576 exceeded.');
  });

  it('400 for query problems; key validated on GET one / DELETE', async () => {
    const miss = await call('GET', `/api/v1/secrets?org_name=${ORG}`, { user: 'alice' });
    assert.equal(miss.status, 400);
    assert.deepEqual(miss.json(), { error: "{'project_name': DataError('is required')}" });
    const extra = await call('GET', `/api/v1/secrets?${Q}&cluster_name=default`, { user: 'alice' });
    assert.deepEqual(extra.json(), { error: "{'cluster_name': DataError('cluster_name is not allowed key')}" });
    const none = await call('DELETE', '/api/v1/secrets/HF_TOKEN', { user: 'alice' });
    assert.deepEqual(none.json(), { error: "{'org_name': DataError('is required'), 'project_name': DataError('is required')}" });
    const bad = await call('GET', `/api/v1/secrets/...?${Q}`, { user: 'alice' });
    assert.equal(bad.status, 400);
    assert.match((bad.json() as { error: string }).error, /^does not match pattern /);
    const illegal = await call('DELETE', `/api/v1/secrets/---neuro---?${Q}`, { user: 'alice' });
    assert.deepEqual(illegal.json(), { error: "Illegal key '---neuro---'" });
    assert.equal((await call('GET', `/api/v1/secrets/?${Q}`, { user: 'alice' })).status, 404);
  });

  it('401 ordering: list/get need a token first; delete validates the query first', async () => {
    assert.equal((await call('GET', '/api/v1/secrets')).status, 401);
    assert.equal((await call('GET', '/api/v1/secrets/x')).status, 401);
    assert.equal((await call('DELETE', '/api/v1/secrets/x')).status, 400);
    assert.equal((await call('DELETE', `/api/v1/secrets/x?${Q}`)).status, 401);
    const post = await call('POST', '/api/v1/secrets', { body: { key: 'k', value: 'YQ==', org_name: ORG, project_name: PROJECT } });
    assert.equal(post.status, 401);
    assert.equal(post.text, '401: Unauthorized');
  });
});

describe('apolo emulator: permissions and sharing', () => {
  let emu: ApoloEmulator;
  let call: ReturnType<typeof client>;
  const projectUri = `secret://default/${ORG}/${PROJECT}`;
  before(async () => {
    emu = await startApoloEmulator({ seed: true });
    call = client(emu);
  });
  after(() => emu.close());

  it('403 {"missing"} for POST/DELETE without write and GET one without read; LIST is [] without read', async () => {
    const post = await call('POST', '/api/v1/secrets', { user: 'bob', body: { key: 'k', value: 'YQ==', org_name: ORG, project_name: PROJECT } });
    assert.equal(post.status, 403);
    assert.equal(post.headers.get('content-type'), 'application/json; charset=utf-8');
    assert.deepEqual(post.json(), { missing: [{ uri: projectUri, action: 'write' }] });
    const del = await call('DELETE', `/api/v1/secrets/HF_TOKEN?${Q}`, { user: 'bob' });
    assert.deepEqual(del.json(), { missing: [{ uri: projectUri, action: 'write' }] });
    const get = await call('GET', `/api/v1/secrets/HF_TOKEN?${Q}`, { user: 'bob' });
    assert.equal(get.status, 403);
    assert.deepEqual(get.json(), { missing: [{ uri: `${projectUri}/HF_TOKEN`, action: 'read' }] });
    // not found is only revealed to readers
    assert.equal((await call('GET', `/api/v1/secrets/NOPE?${Q}`, { user: 'bob' })).status, 403);
    const list = await call('GET', `/api/v1/secrets?${Q}`, { user: 'bob' });
    assert.equal(list.status, 200);
    assert.deepEqual(list.json(), []);
  });

  it('a project reader lists and reads but cannot write', async () => {
    assert.equal(((await call('GET', `/api/v1/secrets?${Q}`, { user: 'carol' })).json() as unknown[]).length, 3);
    assert.equal((await call('GET', `/api/v1/secrets/HF_TOKEN?${Q}`, { user: 'carol' })).status, 200);
    assert.equal((await call('POST', '/api/v1/secrets', { user: 'carol', body: { key: 'k', value: 'YQ==', org_name: ORG, project_name: PROJECT } })).status, 403);
  });

  it('share one key: 201 echo, grantee sees exactly that key, revoke 204 then 400 no effect', async () => {
    const uri = `${projectUri}/HF_TOKEN`;
    const g = await call('POST', '/api/v1/users/bob/permissions', { user: 'alice', body: [{ uri, action: 'read' }] });
    assert.equal(g.status, 201);
    assert.deepEqual(g.json(), [{ uri, action: 'read' }]);
    const list = await call('GET', `/api/v1/secrets?${Q}`, { user: 'bob' });
    assert.deepEqual(list.json(), [{ key: 'HF_TOKEN', owner: PROJECT, org_name: ORG, project_name: PROJECT }]);
    const get = await call('GET', `/api/v1/secrets/HF_TOKEN?${Q}`, { user: 'bob' });
    assert.equal((get.json() as { value: string }).value, emu.state.getSecret(ORG, PROJECT, 'HF_TOKEN'));
    // bob cannot re-share (needs manage)
    const re = await call('POST', '/api/v1/users/carol/permissions', { user: 'bob', body: [{ uri, action: 'read' }] });
    assert.equal(re.status, 403);
    assert.deepEqual(re.json(), { missing: [{ uri, action: 'manage' }] });
    // listings
    const perms = await call('GET', `/api/v1/users/bob/permissions?uri=${encodeURIComponent('secret:')}`, { user: 'bob' });
    assert.deepEqual(perms.json(), [{ uri, action: 'read' }]);
    const shared = await call('GET', `/api/v1/users/alice/permissions/shared?uri=${encodeURIComponent(projectUri)}`, { user: 'alice' });
    assert.ok((shared.json() as Array<{ user: string }>).some((s) => s.user === 'bob'));
    const tree = await call('GET', `/api/v1/users/bob/permissions/tree?uri=${encodeURIComponent('secret://default')}`, { user: 'bob' });
    assert.deepEqual(tree.json(), {
      path: '/default',
      action: 'list',
      children: { [ORG]: { action: 'list', children: { [PROJECT]: { action: 'list', children: { HF_TOKEN: { action: 'read', children: {} } } } } } },
    });
    // revoke
    const rv = await call('DELETE', `/api/v1/users/bob/permissions?uri=${encodeURIComponent(uri)}`, { user: 'alice' });
    assert.equal(rv.status, 204);
    const rv2 = await call('DELETE', `/api/v1/users/bob/permissions?uri=${encodeURIComponent(uri)}`, { user: 'alice' });
    assert.equal(rv2.status, 400);
    assert.deepEqual(rv2.json(), { error: 'Operation has no effect' });
    assert.deepEqual((await call('GET', `/api/v1/secrets?${Q}`, { user: 'bob' })).json(), []);
  });

  it('grant answers the HIGHER of requested and existing', async () => {
    const uri = `${projectUri}/WANDB_API_KEY`;
    await call('POST', '/api/v1/users/bob/permissions', { user: 'alice', body: [{ uri, action: 'write' }] });
    const g = await call('POST', '/api/v1/users/bob/permissions', { user: 'alice', body: [{ uri, action: 'read' }] });
    assert.equal(g.status, 201);
    assert.deepEqual(g.json(), [{ uri, action: 'write' }]);
    assert.equal(emu.state.actionFor('bob', uri), 'write');
    emu.state.revoke('bob', uri);
  });

  it('prefix grant covers every key; unknown grantee 404; bad bodies 400; roles via ":" in path', async () => {
    emu.state.grant('bob', projectUri, 'read');
    assert.equal(((await call('GET', `/api/v1/secrets?${Q}`, { user: 'bob' })).json() as unknown[]).length, 3);
    emu.state.revoke('bob', projectUri);
    const unk = await call('POST', '/api/v1/users/nobody/permissions', { user: 'alice', body: [{ uri: projectUri, action: 'read' }] });
    assert.equal(unk.status, 404);
    assert.deepEqual(unk.json(), { error: "User 'nobody' not found" });
    const bad = await call('POST', '/api/v1/users/bob/permissions', { user: 'alice', body: [{ uri: projectUri, action: 'own' }] });
    assert.equal(bad.status, 400);
    assert.deepEqual(bad.json(), { error: `{0: DataError('{\\'action\\': DataError("value doesn\\'t match any variant")}')}` });
    assert.equal((await call('POST', '/api/v1/users/bob/permissions', { user: 'alice', rawBody: 'x' })).status, 400);
    assert.equal((await call('POST', '/api/v1/users/bob/permissions', { body: [] })).status, 401);
    // create a role, share with it
    assert.equal((await call('POST', '/api/v1/users', { user: 'alice', body: { name: 'alice/team' } })).status, 201);
    const rg = await call('POST', '/api/v1/users/alice:team/permissions', { user: 'alice', body: [{ uri: projectUri, action: 'read' }] });
    assert.equal(rg.status, 201);
    const sub = await call('GET', '/api/v1/users/alice/subroles', { user: 'alice' });
    assert.ok((sub.json() as { subroles: string[] }).subroles.includes('alice/team'));
    assert.equal((await call('GET', '/api/v1/users/alice/permissions', { user: 'bob' })).status, 403);
    assert.equal((await call('GET', '/api/v1/users/bob/permissions/tree', { user: 'bob' })).status, 400);
  });
});

describe('apolo emulator: faults, request log, separate secrets origin, OAuth, CLI', () => {
  let emu: ApoloEmulator;
  let call: ReturnType<typeof client>;
  before(async () => {
    emu = await startApoloEmulator({ seed: true, secretsOnSeparateOrigin: true });
    call = client(emu);
  });
  after(() => emu.close());

  it('serves secrets on another origin; the API origin has no /secrets', async () => {
    const cfg = (await call('GET', '/api/v1/config', { user: 'alice' })).json() as { clusters: Array<{ secrets_url: string }> };
    const secretsUrl = cfg.clusters[0]!.secrets_url;
    assert.equal(secretsUrl, emu.secretsUrls.default);
    assert.notEqual(new URL(secretsUrl).origin, emu.url);
    const r = await fetch(`${secretsUrl}?${Q}`, { headers: { Authorization: `Bearer ${emu.tokens.alice}` } });
    assert.equal(r.status, 200);
    assert.equal(((await r.json()) as unknown[]).length, 3);
    assert.equal((await call('GET', `/api/v1/secrets?${Q}`, { user: 'alice' })).status, 404);
  });

  it('logs every request', async () => {
    const before = emu.requests.length;
    await call('GET', `/api/v1/config?x=1&x=2`, { user: 'alice', headers: { 'User-Agent': 'test-agent' } });
    const last = emu.requests[emu.requests.length - 1]!;
    assert.equal(emu.requests.length, before + 1);
    assert.equal(last.method, 'GET');
    assert.equal(last.path, '/api/v1/config');
    assert.deepEqual(last.query, { x: ['1', '2'] });
    assert.equal(last.headers['user-agent'], 'test-agent');
    assert.equal(last.headers.authorization, `Bearer ${emu.tokens.alice}`);
  });

  it('faults: status/body/headers, match, times, delay, destroySocket, clear', async () => {
    emu.faults.next({ status: 502, body: '<html>bad gateway</html>', headers: { 'Content-Type': 'text/html' }, match: (_m, p) => p === '/api/v1/config', times: 2 });
    assert.equal((await call('GET', '/ping')).status, 200);
    const f1 = await call('GET', '/api/v1/config');
    assert.equal(f1.status, 502);
    assert.equal(f1.text, '<html>bad gateway</html>');
    assert.equal(f1.headers.get('content-type'), 'text/html');
    assert.equal((await call('GET', '/api/v1/config')).status, 502);
    assert.equal((await call('GET', '/api/v1/config')).status, 200);

    emu.faults.next({ delayMs: 150 });
    const t0 = Date.now();
    assert.equal((await call('GET', '/ping')).status, 200);
    assert.ok(Date.now() - t0 >= 140);

    emu.faults.next({ destroySocket: true });
    await assert.rejects(call('GET', '/ping'));

    emu.faults.next({ status: 503 });
    emu.faults.clear();
    assert.equal((await call('GET', '/ping')).status, 200);
  });

  it('OAuth refresh and authorization-code (PKCE) flows', async () => {
    const form = (o: Record<string, string>) => ({ method: 'POST', headers: { 'Content-Type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams(o).toString() });
    const r = await fetch(`${emu.url}/oauth/token`, form({ grant_type: 'refresh_token', refresh_token: emu.refreshTokens.alice!, client_id: emu.clientId }));
    assert.equal(r.status, 200);
    const tok = (await r.json()) as { access_token: string; expires_in: number };
    assert.equal(tok.expires_in, 86400);
    assert.equal((await call('GET', '/api/v1/secured-ping', { token: tok.access_token })).status, 200);
    const bad = await fetch(`${emu.url}/oauth/token`, form({ grant_type: 'refresh_token', refresh_token: 'nope', client_id: emu.clientId }));
    assert.equal(bad.status, 403);

    const { createHash } = await import('node:crypto');
    const verifier = 'v'.repeat(50);
    const challenge = createHash('sha256').update(verifier).digest('base64url');
    const auth = await fetch(
      `${emu.url}/oauth/authorize?` + new URLSearchParams({ response_type: 'code', client_id: emu.clientId, redirect_uri: 'http://127.0.0.1:54540', state: 's1', code_challenge: challenge, code_challenge_method: 'S256' }),
      { redirect: 'manual' },
    );
    assert.equal(auth.status, 302);
    const loc = new URL(auth.headers.get('location')!);
    assert.equal(loc.searchParams.get('state'), 's1');
    const ex = await fetch(`${emu.url}/oauth/token`, form({ grant_type: 'authorization_code', code: loc.searchParams.get('code')!, redirect_uri: 'http://127.0.0.1:54540', client_id: emu.clientId, code_verifier: verifier }));
    assert.equal(ex.status, 200);
    const t = (await ex.json()) as { access_token: string; refresh_token: string };
    assert.equal(t.refresh_token, emu.refreshTokens.alice);
  });

  it('CLI prints one JSON line and stops on SIGTERM', async () => {
    const main = path.join(__dirname, '..', 'emulators', 'apolo', 'main.js');
    const child = spawn(process.execPath, [main, '--port', '0'], { stdio: ['ignore', 'pipe', 'inherit'] });
    const line = await new Promise<string>((resolve, reject) => {
      let buf = '';
      child.stdout.on('data', (d: Buffer) => {
        buf += d.toString();
        if (buf.includes('\n')) resolve(buf.split('\n')[0]!);
      });
      child.once('exit', () => reject(new Error('exited early')));
    });
    const info = JSON.parse(line) as { url: string; apiUrl: string; tokens: Record<string, string> };
    assert.equal(info.apiUrl, `${info.url}/api/v1`);
    const r = await fetch(`${info.apiUrl}/secrets?${Q}`, { headers: { Authorization: `Bearer ${info.tokens.alice}` } });
    assert.equal(((await r.json()) as unknown[]).length, 3);
    const code = await new Promise<number | null>((resolve) => {
      child.once('exit', (c) => resolve(c));
      child.kill('SIGTERM');
    });
    assert.equal(code, 0);
  });
});
