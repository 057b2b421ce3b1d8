import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import * as path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { startZenmlEmulator, ZenmlEmulator } from '../emulators/zenml/server';

interface Res {
  status: number;
  headers: Headers;
  text: string;
  json: () => any;
}

interface CallOpts {
  user?: string;
  token?: string;
  body?: unknown;
  rawBody?: string;
  form?: Record<string, string>;
  headers?: Record<string, string>;
}

function client(emu: ZenmlEmulator) {
  return async (method: string, urlPath: string, opts: CallOpts = {}): Promise<Res> => {
    const headers: Record<string, string> = { ...(opts.headers ?? {}) };
    const token = opts.token ?? (opts.user ? emu.tokens[opts.user] : undefined);
    if (token !== undefined) headers.Authorization = `Bearer ${token}`;
    let body: string | undefined = opts.rawBody;
    if (opts.body !== undefined) {
      body = JSON.stringify(opts.body);
      headers['Content-Type'] ??= 'application/json';
    }
    if (opts.form) {
      body = new URLSearchParams(opts.form).toString();
      headers['Content-Type'] ??= 'application/x-www-form-urlencoded';
    }
    const res = await fetch(`${emu.url}${urlPath}`, { method, headers, body });
    const text = await res.text();
    return { status: res.status, headers: res.headers, text, json: () => JSON.parse(text) };
  };
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const UNKNOWN_ID = '00000000-0000-4000-8000-000000000000';

describe('zenml emulator: server, routing, info', () => {
  let emu: ZenmlEmulator;
  let call: ReturnType<typeof client>;
  before(async () => {
    emu = await startZenmlEmulator({ serverVersion: '0.85.1' });
    call = client(emu);
  });
  after(() => emu.close());

  it('binds 127.0.0.1; /info and /version need no token', async () => {
    assert.match(emu.url, /^http:\/\/127\.0\.0\.1:\d+$/);
    const info = await call('GET', '/api/v1/info');
    assert.equal(info.status, 200);
    assert.equal(info.headers.get('content-type'), 'application/json');
    const m = info.json();
    assert.equal(m.version, '0.85.1');
    assert.equal(m.auth_scheme, 'OAUTH2_PASSWORD_BEARER');
    assert.equal(m.server_url, emu.url);
    for (const k of ['id', 'name', 'active', 'debug', 'deployment_type', 'database_type', 'secrets_store_type', 'dashboard_url', 'analytics_enabled', 'metadata']) {
      assert.ok(k in m, k);
    }
    assert.equal((await call('GET', '/api/v1/version')).json(), '0.85.1');
    assert.equal((await call('GET', '/health')).json(), 'OK');
  });

  it('404 / 405 like Starlette + ZenML catch-all routes', async () => {
    const nf = await call('GET', '/api/v1/nope');
    assert.equal(nf.status, 404);
    assert.deepEqual(nf.json(), { detail: 'Not Found' });
    assert.equal((await call('GET', '/api/v1/secrets/', { user: 'alice' })).status, 404, 'trailing slash: catch-all');
    assert.equal((await call('GET', '/api/v1/login')).status, 404);
    const d = await call('DELETE', '/api/v1/secrets', { user: 'alice' });
    assert.equal(d.status, 405);
    assert.deepEqual(d.json(), { detail: 'Method Not Allowed' });
    assert.equal(d.headers.get('allow'), 'POST');
    const p = await call('PATCH', `/api/v1/secrets/${UNKNOWN_ID}`, { user: 'alice' });
    assert.equal(p.status, 405);
    assert.equal(p.headers.get('allow'), 'GET');
    const u = await call('POST', '/api/v1/nope');
    assert.equal(u.status, 405);
    assert.equal(u.headers.get('allow'), 'GET');
    assert.equal((await call('HEAD', '/api/v1/info')).status, 405);
  });

  it('logs requests', async () => {
    await call('GET', '/api/v1/info?a=1&a=2&b=x');
    const last = emu.requests[emu.requests.length - 1]!;
    assert.equal(last.method, 'GET');
    assert.equal(last.path, '/api/v1/info');
    assert.deepEqual(last.query, { a: ['1', '2'], b: 'x' });
  });
});

describe('zenml emulator: login', () => {
  let emu: ZenmlEmulator;
  let call: ReturnType<typeof client>;
  before(async () => {
    emu = await startZenmlEmulator({ users: [{ name: 'alice', password: 'pw-a' }, { name: 'bob', password: 'pw-b' }, { name: 'carol', password: 'pw-c', active: false }] });
    call = client(emu);
  });
  after(() => emu.close());

  const login = (form: Record<string, string>) => call('POST', '/api/v1/login', { form });
  const authError = (msg: string) => ({ detail: ['AuthorizationException', msg] });

  it('password grant (explicit and detected) → bearer token usable on the API', async () => {
    const forms: Array<Record<string, string>> = [{ grant_type: 'password', username: 'alice', password: 'pw-a' }, { username: 'alice', password: 'pw-a' }];
    for (const form of forms) {
      const r = await login(form);
      assert.equal(r.status, 200);
      const t = r.json();
      assert.equal(t.token_type, 'bearer');
      assert.equal(t.expires_in, 3600);
      assert.equal(typeof t.access_token, 'string');
      const me = await call('GET', '/api/v1/current-user', { token: t.access_token });
      assert.equal(me.status, 200);
      assert.equal(me.json().name, 'alice');
      assert.equal(me.json().id, emu.users.alice!.id);
    }
    // by user id
    assert.equal((await login({ username: emu.users.bob!.id, password: 'pw-b' })).status, 200);
  });

  it('API key grant (explicit and detected from a lone password); key validated by decoding', async () => {
    const forms: Array<Record<string, string>> = [{ grant_type: 'zenml-api-key', password: emu.apiKeys.bob! }, { password: emu.apiKeys.bob! }];
    for (const form of forms) {
      const r = await login(form);
      assert.equal(r.status, 200, r.text);
      const me = await call('GET', '/api/v1/current-user', { token: r.json().access_token });
      assert.equal(me.json().name, 'bob');
    }
    const decoded = JSON.parse(Buffer.from(emu.apiKeys.bob!.slice('ZENKEY_'.length), 'base64').toString());
    assert.deepEqual(Object.keys(decoded), ['id', 'key']);
    // the same key re-encoded differently (whitespace in JSON) is still accepted: decoded, not compared
    const reencoded = 'ZENKEY_' + Buffer.from(JSON.stringify(decoded, null, 1)).toString('base64');
    assert.equal((await login({ grant_type: 'zenml-api-key', password: reencoded })).status, 200);
    const cases: Array<[string, string]> = [
      ['not-a-key', 'Authentication error: error decoding API key'],
      ['ZENKEY_%%%', 'Authentication error: error decoding API key'],
      ['ZENKEY_' + Buffer.from('not json').toString('base64'), 'Authentication error: error decoding API key'],
      ['ZENKEY_' + Buffer.from(JSON.stringify({ id: 'nope', key: 'x' })).toString('base64'), 'Authentication error: error decoding API key'],
      ['ZENKEY_' + Buffer.from(JSON.stringify({ id: UNKNOWN_ID, key: 'x' })).toString('base64'), `Authentication error: error retrieving API key ${UNKNOWN_ID}`],
    ];
    for (const [key, msg] of cases) {
      const r = await login({ grant_type: 'zenml-api-key', password: key });
      assert.equal(r.status, 401, key);
      assert.deepEqual(r.json(), authError(msg));
    }
    const wrong = 'ZENKEY_' + Buffer.from(JSON.stringify({ ...decoded, key: 'wrong' })).toString('base64');
    const r = await login({ grant_type: 'zenml-api-key', password: wrong });
    assert.equal(r.status, 401);
    assert.match(r.json().detail[1], /^Authentication error: could not verify key value for API key /);
    // makeApiKey + revokeApiKey
    const k = emu.makeApiKey('alice');
    const ok = await login({ password: k });
    assert.equal(ok.status, 200);
    assert.ok(emu.state.revokeApiKey(k));
    assert.equal((await login({ password: k })).status, 401);
    const stale = await call('GET', '/api/v1/current-user', { token: ok.json().access_token });
    assert.equal(stale.status, 401, 'tokens from a revoked key die with it');
  });

  it('400s from the login form, 401 for bad credentials', async () => {
    assert.deepEqual((await login({ grant_type: 'foo', username: 'a' })).json(), { detail: 'Unsupported grant type: foo' });
    const empty = await login({ grant_type: 'zenml-api-key' });
    assert.equal(empty.status, 400);
    assert.deepEqual(empty.json(), { detail: 'API key is required.' });
    const noUser = await login({ grant_type: 'password', password: 'x' });
    assert.equal(noUser.status, 400);
    assert.deepEqual(noUser.json(), { detail: 'Invalid request: username is required.' });
    assert.deepEqual((await login({ grant_type: 'zenml-external' })).json(), { detail: 'Unsupported grant type: zenml-external.' });
    const forms: Array<Record<string, string>> = [{ username: 'alice', password: 'nope' }, { username: 'mallory', password: 'x' }, { username: 'alice' }];
    for (const form of forms) {
      const r = await login(form);
      assert.equal(r.status, 401);
      assert.deepEqual(r.json(), authError('Authentication error: invalid username or password'));
    }
    const inactive = await login({ username: 'carol', password: 'pw-c' });
    assert.equal(inactive.status, 401);
    assert.deepEqual(inactive.json(), authError('Authentication error: user carol is not active'));
  });

  it('form only: a JSON body is a 422 form validation error; multipart works', async () => {
    const r = await call('POST', '/api/v1/login', { body: { username: 'alice', password: 'pw-a' } });
    assert.equal(r.status, 422);
    assert.deepEqual(r.json().detail.map((d: any) => d.loc), [['body', 'username'], ['body', 'password']]);
    const fd = new FormData();
    fd.set('username', 'alice');
    fd.set('password', 'pw-a');
    const mp = await fetch(`${emu.url}/api/v1/login`, { method: 'POST', body: fd });
    assert.equal(mp.status, 200);
  });
});

describe('zenml emulator: bearer auth and token expiry', () => {
  let emu: ZenmlEmulator;
  let call: ReturnType<typeof client>;
  before(async () => {
    emu = await startZenmlEmulator({ tokenTtlSeconds: 0.3 });
    call = client(emu);
  });
  after(() => emu.close());

  it('missing / non-Bearer / garbage tokens → 401 AuthorizationException', async () => {
    const variants: Array<Record<string, string>> = [{}, { Authorization: 'Basic YWxpY2U6eA==' }];
    for (const headers of variants) {
      const r = await call('GET', '/api/v1/secrets', { headers });
      assert.equal(r.status, 401);
      assert.equal(r.headers.get('www-authenticate'), 'Bearer');
      assert.deepEqual(r.json(), { detail: ['AuthorizationException', 'Not authenticated'] });
    }
    const g = await call('GET', '/api/v1/secrets', { token: 'garbage' });
    assert.equal(g.status, 401);
    assert.deepEqual(g.json(), {
      detail: ['AuthorizationException', 'Authentication error: error decoding access token: Invalid JWT token: Not enough segments.'],
    });
    const t = emu.tokens.alice!;
    const forged = t.slice(0, t.lastIndexOf('.') + 1) + 'AAAA';
    assert.match((await call('GET', '/api/v1/secrets', { token: forged })).json().detail[1], /Signature verification failed/);
  });

  it('expired token → 401, then re-login works', async () => {
    const r = await call('POST', '/api/v1/login', { form: { username: 'alice', password: 'alice-password' } });
    const token = r.json().access_token as string;
    assert.equal(r.json().expires_in, 0.3);
    assert.equal((await call('GET', '/api/v1/secrets', { token })).status, 200);
    await sleep(400);
    const exp = await call('GET', '/api/v1/secrets', { token });
    assert.equal(exp.status, 401);
    assert.deepEqual(exp.json(), {
      detail: ['AuthorizationException', 'Authentication error: error decoding access token: Invalid JWT token: Signature has expired.'],
    });
    const again = await call('POST', '/api/v1/login', { form: { username: 'alice', password: 'alice-password' } });
    assert.equal((await call('GET', '/api/v1/secrets', { token: again.json().access_token })).status, 200);
  });

  it('expireAllTokens() kills every issued token; tokens{} mints fresh ones', async () => {
    const old = emu.tokens.bob!;
    assert.equal((await call('GET', '/api/v1/current-user', { token: old })).status, 200);
    emu.expireAllTokens();
    assert.equal((await call('GET', '/api/v1/current-user', { token: old })).status, 401);
    assert.equal((await call('GET', '/api/v1/current-user', { user: 'bob' })).status, 200);
  });

  it('a deactivated user loses its tokens', async () => {
    const t = emu.tokens.bob!;
    emu.state.setUserActive('bob', false);
    const r = await call('GET', '/api/v1/current-user', { token: t });
    assert.deepEqual(r.json(), { detail: ['AuthorizationException', 'Authentication error: account bob is not active'] });
    emu.state.setUserActive('bob', true);
  });
});

describe('zenml emulator: secrets CRUD', () => {
  let emu: ZenmlEmulator;
  let call: ReturnType<typeof client>;
  before(async () => {
    emu = await startZenmlEmulator({ seed: true });
    call = client(emu);
  });
  after(() => emu.close());

  it('seeded secrets and private visibility between alice and bob', async () => {
    const names = async (user: string) =>
      (await call('GET', '/api/v1/secrets?size=100', { user })).json().items.map((i: any) => i.name).sort();
    assert.deepEqual(await names('alice'), ['alice_wandb', 'aws_creds', 'hf', 'mlflow_secret']);
    assert.deepEqual(await names('bob'), ['aws_creds', 'bob_openai', 'hf', 'mlflow_secret']);
    const mlflow = emu.state.findByName('mlflow_secret')!;
    assert.deepEqual(Object.keys(mlflow.values).sort(), ['password', 'tracking_uri', 'username']);
    assert.deepEqual(Object.keys(emu.state.findByName('aws_creds')!.values).sort(), ['aws_access_key_id', 'aws_secret_access_key']);
    const wandb = emu.state.findByName('alice_wandb', { private: true, user: 'alice' })!;
    assert.equal(wandb.userId, emu.users.alice!.id);
    // another user's private secret is a 404 KeyError, exactly like an unknown id
    const r = await call('GET', `/api/v1/secrets/${wandb.id}`, { user: 'bob' });
    assert.equal(r.status, 404);
    assert.deepEqual(r.json(), {
      detail: ['KeyError', `'Secret with ID ${wandb.id} not found or is private and not owned by the current user.'`],
    });
    assert.equal((await call('PUT', `/api/v1/secrets/${wandb.id}`, { user: 'bob', body: { values: {} } })).status, 404);
    assert.equal((await call('DELETE', `/api/v1/secrets/${wandb.id}`, { user: 'bob' })).status, 404);
  });

  it('create → 200 SecretResponse; list items have no values; GET by id has them', async () => {
    const c = await call('POST', '/api/v1/secrets', { user: 'alice', body: { name: 'db', values: { user: 'u', pass: 'p', gone: null }, user: UNKNOWN_ID } });
    assert.equal(c.status, 200, c.text);
    const s = c.json();
    assert.deepEqual(Object.keys(s), ['id', 'name', 'permission_denied', 'body', 'metadata', 'resources']);
    assert.equal(s.name, 'db');
    assert.equal(s.permission_denied, false);
    assert.deepEqual(s.body.values, { user: 'u', pass: 'p' });
    assert.equal(s.body.private, false);
    assert.equal(s.body.user_id, emu.users.alice!.id, 'the server sets the user, ignoring the body');
    assert.match(s.body.created, /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{6})?$/);
    assert.deepEqual(s.metadata, {});
    assert.equal(s.resources.user.name, 'alice');

    const list = (await call('GET', '/api/v1/secrets?name=db', { user: 'bob' })).json();
    assert.deepEqual(Object.keys(list), ['index', 'max_size', 'total_pages', 'total', 'items']);
    assert.equal(list.total, 1);
    assert.deepEqual(list.items[0].body.values, {});
    assert.equal(list.items[0].metadata, null);
    assert.equal(list.items[0].resources.user.name, 'alice');
    const hydrated = (await call('GET', '/api/v1/secrets?name=db&hydrate=true', { user: 'bob' })).json();
    assert.deepEqual(hydrated.items[0].metadata, {});
    assert.deepEqual(hydrated.items[0].body.values, {});

    const g = await call('GET', `/api/v1/secrets/${s.id}`, { user: 'bob' });
    assert.equal(g.status, 200);
    assert.deepEqual(g.json().body.values, { user: 'u', pass: 'p' });
    assert.deepEqual(g.json().metadata, {});
    assert.equal((await call('GET', `/api/v1/secrets/${s.id}?hydrate=false`, { user: 'bob' })).json().metadata, null);
    assert.equal((await call('GET', `/api/v1/secrets/${s.id.replace(/-/g, '').toUpperCase()}`, { user: 'bob' })).status, 200);
  });

  it('409 on name clashes: public vs public; private per user', async () => {
    const pub = await call('POST', '/api/v1/secrets', { user: 'bob', body: { name: 'hf', values: {} } });
    assert.equal(pub.status, 409);
    assert.deepEqual(pub.json(), { detail: ['EntityExistsError', "Found an existing public secret with the same 'hf' name"] });
    // a private 'hf' is fine, once per user
    assert.equal((await call('POST', '/api/v1/secrets', { user: 'bob', body: { name: 'hf', private: true, values: { token: 'b' } } })).status, 200);
    assert.equal((await call('POST', '/api/v1/secrets', { user: 'alice', body: { name: 'hf', private: true, values: { token: 'a' } } })).status, 200);
    const dup = await call('POST', '/api/v1/secrets', { user: 'bob', body: { name: 'hf', private: true, values: {} } });
    assert.equal(dup.status, 409);
    assert.deepEqual(dup.json(), { detail: ['EntityExistsError', "Found an existing private secret with the same 'hf' name for the same 'bob' user"] });
    // the deprecated workspace-scoped route behaves the same
    const ws = await call('POST', '/api/v1/workspaces/default/secrets', { user: 'bob', body: { name: 'hf', values: {} } });
    assert.equal(ws.status, 409);
    assert.equal((await call('POST', '/api/v1/workspaces/default/secrets', { user: 'bob', body: { name: 'ws-made', values: { a: 'b' } } })).status, 200);
  });

  it('422s for bad bodies and ids (FastAPI/pydantic shapes); auth is checked first', async () => {
    const long = await call('POST', '/api/v1/secrets', { user: 'alice', body: { name: 'x'.repeat(256), values: {} } });
    assert.equal(long.status, 422);
    assert.deepEqual(long.json().detail[0], {
      type: 'string_too_long',
      loc: ['body', 'name'],
      msg: 'String should have at most 255 characters',
      input: 'x'.repeat(256),
      ctx: { max_length: 255 },
    });
    assert.equal((await call('POST', '/api/v1/secrets', { user: 'alice', body: { name: 'y'.repeat(255), values: {} } })).status, 200);
    const miss = await call('POST', '/api/v1/secrets', { user: 'alice', body: { values: {} } });
    assert.deepEqual(miss.json().detail, [{ type: 'missing', loc: ['body', 'name'], msg: 'Field required', input: { values: {} } }]);
    const badVals = await call('POST', '/api/v1/secrets', { user: 'alice', body: { name: 'v', values: { n: 5 }, private: 'maybe' } });
    assert.deepEqual(
      badVals.json().detail.map((d: any) => [d.type, d.loc]),
      [
        ['bool_parsing', ['body', 'private']],
        ['string_type', ['body', 'values', 'n']],
      ],
    );
    const notJson = await call('POST', '/api/v1/secrets', { user: 'alice', rawBody: '{"name": ', headers: { 'Content-Type': 'application/json' } });
    assert.equal(notJson.status, 422);
    assert.deepEqual(notJson.json().detail[0], { type: 'json_invalid', loc: ['body', 9], msg: 'JSON decode error', input: {}, ctx: { error: 'Expecting value' } });
    const text = await call('POST', '/api/v1/secrets', { user: 'alice', rawBody: 'name=x', headers: { 'Content-Type': 'text/plain' } });
    assert.equal(text.json().detail[0].type, 'model_attributes_type');
    const empty = await call('POST', '/api/v1/secrets', { user: 'alice' });
    assert.deepEqual(empty.json().detail, [{ type: 'missing', loc: ['body'], msg: 'Field required', input: null }]);
    const badId = await call('GET', '/api/v1/secrets/not-a-uuid?hydrate=perhaps', { user: 'alice' });
    assert.equal(badId.status, 422);
    assert.deepEqual(badId.json().detail, [
      {
        type: 'uuid_parsing',
        loc: ['path', 'secret_id'],
        msg: 'Input should be a valid UUID, invalid character: expected an optional prefix of `urn:uuid:` followed by [0-9a-fA-F-], found `n` at 1',
        input: 'not-a-uuid',
        ctx: { error: 'invalid character: expected an optional prefix of `urn:uuid:` followed by [0-9a-fA-F-], found `n` at 1' },
      },
      { type: 'bool_parsing', loc: ['query', 'hydrate'], msg: 'Input should be a valid boolean, unable to interpret input', input: 'perhaps' },
    ]);
    assert.match((await call('GET', '/api/v1/secrets/abc', { user: 'alice' })).json().detail[0].msg, /invalid length: expected length 32 for simple format, found 3/);
    assert.equal((await call('GET', '/api/v1/secrets/not-a-uuid')).status, 401, 'no token: the auth dependency answers first');
    assert.equal((await call('POST', '/api/v1/secrets', { body: { name: 'x'.repeat(300) } })).status, 401);
    const unknown = await call('GET', `/api/v1/secrets/${UNKNOWN_ID}`, { user: 'alice' });
    assert.equal(unknown.status, 404);
    assert.equal(unknown.json().detail[0], 'KeyError');
  });

  it('PUT: patch_values=false replaces, true merges (null deletes), values:null keeps', async () => {
    const id = (await call('POST', '/api/v1/secrets', { user: 'alice', body: { name: 'p1', values: { a: '1', b: '2' } } })).json().id;
    const put = (q: string, body: unknown, user = 'alice') => call('PUT', `/api/v1/secrets/${id}${q}`, { user, body });
    let r = await put('?patch_values=true', { values: { b: null, c: '3' } });
    assert.equal(r.status, 200);
    assert.deepEqual(r.json().body.values, { a: '1', c: '3' });
    r = await put('', { values: { z: '9' } });
    assert.deepEqual(r.json().body.values, { z: '9' }, 'default patch_values=false replaces the whole set');
    r = await put('?patch_values=false', { name: 'p1-renamed', values: null });
    assert.equal(r.json().name, 'p1-renamed');
    assert.deepEqual(r.json().body.values, { z: '9' });
    r = await put('?patch_values=false', { values: {} });
    assert.deepEqual(r.json().body.values, {});
    const before = emu.state.secrets.get(id)!.updated;
    r = await put('?patch_values=true', { values: { k: 'v' } }, 'bob');
    assert.equal(r.status, 200, 'public secrets are editable by others');
    assert.ok(r.json().body.updated > before);
    const priv = await put('', { private: true }, 'bob');
    assert.equal(priv.status, 403);
    assert.deepEqual(priv.json(), { detail: ['IllegalOperationError', 'Only the user who created the secret is allowed to update its private status.'] });
    assert.equal((await put('?patch_values=maybe', {})).status, 422);
    const nul = await put('', { name: null });
    assert.equal(nul.status, 500);
    assert.equal(nul.json().detail[0], 'RuntimeError');
  });

  it('PUT rename onto an existing name → 409; toggling private re-checks the scope', async () => {
    const mk = async (name: string, priv = false, user = 'alice') =>
      (await call('POST', '/api/v1/secrets', { user, body: { name, private: priv, values: { v: name } } })).json().id as string;
    const a = await mk('ren-a');
    await mk('ren-b');
    const clash = await call('PUT', `/api/v1/secrets/${a}`, { user: 'alice', body: { name: 'ren-b' } });
    assert.equal(clash.status, 409);
    assert.deepEqual(clash.json(), { detail: ['EntityExistsError', "Found an existing public secret with the same 'ren-b' name"] });
    assert.equal(emu.state.secrets.get(a)!.name, 'ren-a');
    // making it private under the other name is fine (private scope is per user)
    assert.equal((await call('PUT', `/api/v1/secrets/${a}`, { user: 'alice', body: { name: 'ren-b', private: true } })).status, 200);
    const back = await call('PUT', `/api/v1/secrets/${a}`, { user: 'alice', body: { private: false } });
    assert.equal(back.status, 409);
    assert.equal(emu.state.findByName('ren-b', { private: true, user: 'alice' })!.id, a);
  });

  it('DELETE → 200 null; then 404', async () => {
    const id = (await call('POST', '/api/v1/secrets', { user: 'bob', body: { name: 'tmp', values: {} } })).json().id;
    const d = await call('DELETE', `/api/v1/secrets/${id}`, { user: 'alice' });
    assert.equal(d.status, 200);
    assert.equal(d.text, 'null');
    assert.equal(d.headers.get('content-type'), 'application/json');
    assert.equal((await call('DELETE', `/api/v1/secrets/${id}`, { user: 'alice' })).status, 404);
    assert.equal(emu.state.secrets.has(id), false);
  });

  it('values too large for the SQL store → 400 ValueError', async () => {
    const r = await call('POST', '/api/v1/secrets', { user: 'alice', body: { name: 'huge', values: { k: 'x'.repeat(50000) } } });
    assert.equal(r.status, 400);
    assert.equal(r.json().detail[0], 'ValueError');
    assert.equal(emu.state.findByName('huge'), undefined);
  });

  it('backup/restore operations are 501', async () => {
    const r = await call('PUT', '/api/v1/secrets_operations/backup', { user: 'alice' });
    assert.equal(r.status, 501);
    assert.deepEqual(r.json(), { detail: ['NotImplementedError', 'Unable to backup secrets: No backup secrets store is configured.'] });
  });
});

describe('zenml emulator: list paging, filters, sorting', () => {
  let emu: ZenmlEmulator;
  let call: ReturnType<typeof client>;
  before(async () => {
    emu = await startZenmlEmulator();
    call = client(emu);
    for (let i = 0; i < 45; i++) emu.state.setSecret({ name: `bulk-${String(i).padStart(2, '0')}`, values: { i: String(i) }, user: i % 2 ? 'bob' : 'alice' });
    emu.state.setSecret({ name: 'Mixed_Case', values: {} });
    emu.state.setSecret({ name: 'alice-only', values: {}, private: true, user: 'alice' });
    emu.state.setSecret({ name: 'bob-only', values: {}, private: true, user: 'bob' });
  });
  after(() => emu.close());

  const list = async (q: string, user = 'alice') => {
    const r = await call('GET', `/api/v1/secrets${q}`, { user });
    assert.equal(r.status, 200, r.text);
    return r.json();
  };

  it('45 secrets, size 20 → 3 pages; past the end → 400', async () => {
    const seen: string[] = [];
    for (const page of [1, 2, 3]) {
      const p = await list(`?name=startswith:bulk-&size=20&page=${page}`);
      assert.equal(p.index, page);
      assert.equal(p.max_size, 20);
      assert.equal(p.total, 45);
      assert.equal(p.total_pages, 3);
      assert.equal(p.items.length, page < 3 ? 20 : 5);
      seen.push(...p.items.map((i: any) => i.name));
    }
    assert.equal(new Set(seen).size, 45);
    assert.deepEqual(seen, [...seen].sort(), 'default sort: created asc (creation order)');
    const past = await call('GET', '/api/v1/secrets?name=startswith:bulk-&page=4', { user: 'alice' });
    assert.equal(past.status, 400);
    assert.deepEqual(past.json(), {
      detail: ['ValueError', 'Invalid page 4. The requested page size is 20 and there are a total of 45 items for this query. The maximum page value therefore is 3.'],
    });
    const none = await list('?name=zzz');
    assert.deepEqual([none.total, none.total_pages, none.items], [0, 1, []]);
    assert.equal((await list('')).max_size, 20, 'default page size');
  });

  it('page/size validation: model errors are 422 even before auth; type errors after it', async () => {
    for (const [q, loc, type] of [
      ['?size=0', ['query', 'size'], 'greater_than_equal'],
      ['?size=10001', ['query', 'size'], 'less_than_equal'],
      ['?page=0', ['query', 'page'], 'greater_than_equal'],
      ['?size=abc', ['query', 'size'], 'int_parsing'],
    ] as const) {
      const r = await call('GET', `/api/v1/secrets${q}`, { user: 'alice' });
      assert.equal(r.status, 422, q);
      assert.deepEqual(r.json().detail[0].loc, loc);
      assert.equal(r.json().detail[0].type, type);
    }
    assert.equal((await list('?size=10000')).max_size, 10000);
    assert.equal((await call('GET', '/api/v1/secrets?size=0')).status, 422);
    assert.equal((await call('GET', '/api/v1/secrets?size=abc')).status, 401);
    const lo = await call('GET', '/api/v1/secrets?logical_operator=xor', { user: 'alice' });
    assert.equal(lo.json().detail[0].type, 'enum');
    const sort = await call('GET', '/api/v1/secrets?sort_by=bogus', { user: 'alice' });
    assert.equal(sort.status, 422);
    assert.equal(sort.json().detail[0].msg, 'Value error, You can only sort by valid fields of this resource');
    const sortEx = await call('GET', '/api/v1/secrets?sort_by=desc:page', { user: 'alice' });
    assert.equal(sortEx.json().detail[0].msg, "Value error, This resource can not be sorted by this field: 'desc:page'");
    const badId = await call('GET', '/api/v1/secrets?id=nope', { user: 'alice' });
    assert.equal(badId.status, 422);
    assert.equal(badId.json().detail[0].msg, 'Value error, Invalid value passed as UUID query parameter.');
    const badPriv = await call('GET', '/api/v1/secrets?private=contains:t', { user: 'alice' });
    assert.equal(badPriv.json().detail[0].type, 'bool_parsing');
  });

  it('name filters: equals (default, case-sensitive), contains/startswith/endswith (LIKE), oneof, notequals', async () => {
    const names = async (q: string) => (await list(`${q}&size=100`)).items.map((i: any) => i.name).sort();
    assert.deepEqual(await names('?name=bulk-07'), ['bulk-07']);
    assert.deepEqual(await names('?name=equals:bulk-07'), ['bulk-07']);
    assert.deepEqual(await names('?name=BULK-07'), []);
    assert.deepEqual(await names('?name=contains:ixed_c'), ['Mixed_Case'], 'LIKE is ASCII case-insensitive');
    assert.deepEqual(await names('?name=startswith:bulk-4'), ['bulk-40', 'bulk-41', 'bulk-42', 'bulk-43', 'bulk-44']);
    assert.deepEqual(await names('?name=endswith:-only'), ['alice-only']);
    assert.deepEqual(await names('?name=startswith:bulk-0_'), ['bulk-00', 'bulk-01', 'bulk-02', 'bulk-03', 'bulk-04', 'bulk-05', 'bulk-06', 'bulk-07', 'bulk-08', 'bulk-09']);
    assert.deepEqual(await names('?name=oneof:["bulk-01","hf","Mixed_Case"]'), ['Mixed_Case', 'bulk-01']);
    assert.equal((await names('?name=notequals:bulk-01')).length, 46, '45 bulk + Mixed_Case + alice-only, minus one');
    assert.deepEqual(await names('?name=unknownop:x'), [], 'an unknown prefix is part of the value');
    const bad = await call('GET', '/api/v1/secrets?name=oneof:nope', { user: 'alice' });
    assert.equal(bad.status, 422);
  });

  it('private / user / id filters, logical_operator, sorting, unknown params ignored', async () => {
    const names = async (q: string, user = 'alice') => (await list(`${q}&size=100`, user)).items.map((i: any) => i.name);
    assert.deepEqual(await names('?private=true'), ['alice-only']);
    assert.deepEqual(await names('?private=true', 'bob'), ['bob-only']);
    assert.equal((await names('?private=false')).length, 46);
    assert.equal((await names('?user=bob&private=false')).length, 22);
    assert.equal((await names(`?user=${emu.users.bob!.id}`)).length, 22);
    assert.ok(!(await names('?user=bob', 'alice')).includes('bob-only'), "the user filter never reveals another user's private secrets");
    assert.deepEqual(await names('?user=contains:OB&private=true', 'bob'), ['bob-only']);
    const one = emu.state.findByName('bulk-10')!;
    assert.deepEqual(await names(`?id=${one.id}`), ['bulk-10']);
    assert.deepEqual(await names(`?id=startswith:${one.id.slice(0, 13)}`), ['bulk-10']);
    assert.deepEqual(await names('?name=bulk-01&private=true&logical_operator=or'), ['bulk-01', 'alice-only']);
    assert.deepEqual(await names('?logical_operator=or'), [], 'or_(False): no filters, no rows');
    const desc = await names('?name=startswith:bulk-&sort_by=desc:name');
    assert.equal(desc[0], 'bulk-44');
    assert.equal(desc[44], 'bulk-00');
    assert.deepEqual((await names('?sort_by=name&name=contains:only')), ['alice-only']);
    assert.equal((await names('?whatever=1&name=bulk-01')).length, 1, 'unknown query parameters are ignored');
    const created = emu.state.findByName('bulk-20')!.created.replace('T', ' ').slice(0, 19);
    assert.ok((await names(`?created=gte:${created}&name=startswith:bulk`)).length >= 25);
    const badDate = await call('GET', '/api/v1/secrets?created=gte:yesterday', { user: 'alice' });
    assert.equal(badDate.json().detail[0].msg, 'Value error, The datetime filter only works with values in the following format: %Y-%m-%d %H:%M:%S');
  });
});

describe("zenml emulator: mode 'zenml' (real-server quirks)", () => {
  let emu: ZenmlEmulator;
  let call: ReturnType<typeof client>;
  before(async () => {
    emu = await startZenmlEmulator({ mode: 'zenml' });
    call = client(emu);
  });
  after(() => emu.close());

  it('CredentialsNotValid, plain "Not authenticated", ValueError-style filter 422, non-form login 400', async () => {
    const nt = await call('GET', '/api/v1/secrets');
    assert.deepEqual(nt.json(), { detail: 'Not authenticated' });
    const bad = await call('GET', '/api/v1/secrets', { token: 'x.y' });
    assert.equal(bad.json().detail[0], 'CredentialsNotValid');
    const size = await call('GET', '/api/v1/secrets?size=10001', { user: 'alice' });
    assert.equal(size.status, 422);
    assert.equal(size.json().detail[0], 'ValueError');
    assert.match(size.json().detail[1], /^1 validation error for SecretFilter\nsize\n {2}Input should be less than or equal to 10000/);
    const js = await call('POST', '/api/v1/login', { body: { username: 'alice', password: 'alice-password' } });
    assert.equal(js.status, 400);
    assert.deepEqual(js.json(), { detail: 'Invalid request: username is required.' });
  });
});

describe('zenml emulator: faults, rate limit, state helpers, CLI', () => {
  it('faults: status, delay, destroySocket, match/times', async () => {
    const emu = await startZenmlEmulator();
    const call = client(emu);
    try {
      emu.faults.next({ status: 503, match: (_m, p) => p === '/api/v1/info', times: 2 });
      for (let i = 0; i < 2; i++) {
        const r = await call('GET', '/api/v1/info');
        assert.equal(r.status, 503);
        assert.deepEqual(r.json(), { detail: 'Service Unavailable' });
      }
      assert.equal((await call('GET', '/api/v1/info')).status, 200);
      emu.faults.next({ destroySocket: true });
      await assert.rejects(call('GET', '/api/v1/info'));
      emu.faults.next({ delayMs: 50 });
      const t0 = Date.now();
      assert.equal((await call('GET', '/api/v1/info')).status, 200);
      assert.ok(Date.now() - t0 >= 45);
      emu.faults.next({ status: 500 });
      emu.faults.clear();
      assert.equal((await call('GET', '/api/v1/info')).status, 200);
    } finally {
      await emu.close();
    }
  });

  it('login rate limit (opt-in): failures count, success resets', async () => {
    const emu = await startZenmlEmulator({ loginRateLimit: { perMinute: 2 } });
    const call = client(emu);
    try {
      const bad = () => call('POST', '/api/v1/login', { form: { username: 'alice', password: 'x' } });
      assert.equal((await bad()).status, 401);
      assert.equal((await bad()).status, 401);
      const limited = await bad();
      assert.equal(limited.status, 429);
      assert.deepEqual(limited.json(), { detail: 'Minute request limit exceeded.' });
    } finally {
      await emu.close();
    }
  });

  it('state helpers', async () => {
    const emu = await startZenmlEmulator();
    try {
      const a = emu.state.setSecret({ name: 's', values: { k: '1' } });
      const b = emu.state.setSecret({ name: 's', values: { k: '2' }, private: true, user: 'bob' });
      assert.notEqual(a.id, b.id);
      assert.equal(emu.state.setSecret({ name: 's', values: { k: '3' } }).id, a.id);
      assert.equal(emu.state.findByName('s', { user: 'bob' })!.id, b.id);
      assert.equal(emu.state.findByName('s', { user: 'alice' })!.id, a.id);
      assert.equal(emu.state.findByName('s', { private: false })!.values.k, '3');
      assert.deepEqual(emu.state.visibleTo('alice').map((s) => s.id), [a.id]);
      assert.ok(emu.state.deleteSecret(b.id));
      assert.deepEqual(Object.keys(emu.users), ['alice', 'bob']);
      assert.equal(emu.users.alice!.password, 'alice-password');
      assert.match(emu.apiKeys.alice!, /^ZENKEY_/);
    } finally {
      await emu.close();
    }
  });

  it('main.js prints {url, users, apiKeys} and stops on SIGTERM', async () => {
    const script = path.resolve(__dirname, '../emulators/zenml/main.js');
    const child = spawn(process.execPath, [script, '--port', '0'], { stdio: ['ignore', 'pipe', 'inherit'] });
    const line = await new Promise<string>((resolve, reject) => {
      let buf = '';
      child.stdout.on('data', (d: Buffer) => {
        buf += d.toString();
        const nl = buf.indexOf('\n');
        if (nl !== -1) resolve(buf.slice(0, nl));
      });
      child.once('exit', (code) => reject(new Error(`exited ${code}`)));
    });
    const info = JSON.parse(line);
    assert.match(info.url, /^http:\/\/127\.0\.0\.1:\d+$/);
    assert.equal(info.users.alice.password, 'alice-password');
    const tok = await fetch(`${info.url}/api/v1/login`, { method: 'POST', body: new URLSearchParams({ password: info.apiKeys.bob }) });
    const list = await fetch(`${info.url}/api/v1/secrets`, { headers: { Authorization: `Bearer ${((await tok.json()) as any).access_token}` } });
    assert.equal(((await list.json()) as any).total, 4, 'seeded: bob sees 3 public + his private');
    const code = await new Promise<number | null>((resolve) => {
      child.once('exit', (c) => resolve(c));
      child.kill('SIGTERM');
    });
    assert.equal(code, 0);
  });
});
