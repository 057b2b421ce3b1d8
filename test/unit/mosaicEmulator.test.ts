import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import * as path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { MosaicEmulator, startMosaicEmulator } from '../emulators/mosaic/server';

// The exact documents mcli sends (mcli/api/secrets/api_*_secret(s).py).
const GET_Q = `
query GetSecrets($getSecretsData: GetSecretsInput!) {
  getSecrets(getSecretsData: $getSecretsData) {
    id
    name
    type
    metadata
    createdAt
  }
}`;
const CREATE_Q = `
mutation CreateSecret($createSecretData: CreateSecretInput!) {
    createSecret(createSecretData: $createSecretData) {
        name
        type
        metadata
        createdAt
    }
}`;
const DELETE_Q = `
mutation DeleteSecrets($getSecretsData: GetSecretsInput!) {
  deleteSecrets(getSecretsData: $getSecretsData) {
    name
    type
    metadata
    createdAt
  }
}`;

const ISO_MS = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

interface Res {
  status: number;
  headers: Headers;
  text: string;
  json: () => any;
}

interface CallOpts {
  /** Authorization header; default alice's API key; null = none. */
  auth?: string | null;
  query?: string;
  variables?: unknown;
  operationName?: string;
  /** Whole JSON body (instead of query/variables/operationName). */
  body?: unknown;
  rawBody?: string;
  headers?: Record<string, string>;
  method?: string;
  path?: string;
}

function client(emu: MosaicEmulator) {
  return async (opts: CallOpts = {}): Promise<Res> => {
    const headers: Record<string, string> = { 'Content-Type': 'application/json', 'x-mosaicml-client': 'mcli', ...(opts.headers ?? {}) };
    const auth = opts.auth === undefined ? emu.apiKeys.alice : opts.auth;
    if (auth !== null && auth !== undefined) headers.Authorization = auth;
    let body: string | undefined = opts.rawBody;
    if (body === undefined && opts.body !== undefined) body = JSON.stringify(opts.body);
    if (body === undefined && opts.query !== undefined) {
      body = JSON.stringify({ query: opts.query, variables: opts.variables ?? {}, ...(opts.operationName ? { operationName: opts.operationName } : {}) });
    }
    const method = opts.method ?? 'POST';
    const res = await fetch(`${emu.url}${opts.path ?? '/graphql'}`, { method, headers, body: method === 'GET' || method === 'HEAD' ? undefined : body });
    const text = await res.text();
    return { status: res.status, headers: res.headers, text, json: () => JSON.parse(text) };
  };
}

const allFilters = { getSecretsData: { filters: {} } };
const names = (items: Array<{ name: string }>) => items.map((i) => i.name);

/** Asserts one GraphQL error with the code; returns its message. */
function oneError(r: Res, code: number, httpStatus: number): string {
  assert.equal(r.status, httpStatus, r.text);
  const b = r.json();
  assert.ok(Array.isArray(b.errors), r.text);
  assert.equal(b.errors.length, 1, r.text);
  assert.equal(b.errors[0].extensions.code, code, r.text);
  assert.equal(typeof b.errors[0].message, 'string');
  return b.errors[0].message as string;
}

describe('mosaic emulator: startup, seed, state', () => {
  let emu: MosaicEmulator;
  before(async () => {
    emu = await startMosaicEmulator({ seed: true });
  });
  after(() => emu.close());

  it('binds 127.0.0.1, endpoint = url + /graphql, distinct credentials', () => {
    assert.match(emu.url, /^http:\/\/127\.0\.0\.1:\d+$/);
    assert.equal(emu.endpoint, `${emu.url}/graphql`);
    assert.deepEqual(Object.keys(emu.apiKeys), ['alice', 'bob']);
    assert.deepEqual(Object.keys(emu.bearerTokens), ['alice', 'bob']);
    const all = [...Object.values(emu.apiKeys), ...Object.values(emu.bearerTokens)];
    assert.equal(new Set(all).size, 4);
    assert.ok(!emu.apiKeys.alice!.startsWith('Bearer'));
  });

  it('seeds alice with the five demo secrets and bob with one', () => {
    const a = emu.state.list('alice');
    assert.deepEqual(
      a.map((s) => [s.name, s.type, s.metadata]),
      [
        ['wandb-key', 'ENV_VAR', { key: 'WANDB_API_KEY' }],
        ['hf-token', 'ENV_VAR', { key: 'HF_TOKEN' }],
        ['git-ssh', 'GIT_SSH', { mountPath: '/secrets/git-ssh' }],
        ['s3-creds', 'S3', { mountDirectory: '/secrets/s3-creds' }],
        ['docker-hub', 'DOCKER_REGISTRY', {}],
      ],
    );
    for (const s of a) {
      assert.match(s.id, UUID);
      assert.match(s.createdAt, ISO_MS);
    }
    assert.equal(typeof a[0]!.value, 'string');
    assert.match(a[2]!.value as string, /BEGIN OPENSSH PRIVATE KEY/);
    const s3 = a[3]!.value as Record<string, string>;
    assert.deepEqual(Object.keys(s3).sort(), ['config', 'credentials']);
    const docker = a[4]!.value as Record<string, string>;
    assert.deepEqual(Object.keys(docker).sort(), ['password', 'server', 'username']);
    const b = emu.state.list('bob');
    assert.deepEqual(b.map((s) => [s.name, s.type]), [['openai-key', 'ENV_VAR']]);
  });

  it('state helpers: setSecret (default metadata, replace), getSecret, deleteSecret; unknown user throws', () => {
    const s = emu.state.setSecret('bob', { name: 'tmp-mount', type: 'MOUNTED', value: 'x' });
    assert.deepEqual(s.metadata, { mountPath: '/secrets/tmp-mount' });
    assert.deepEqual(emu.state.setSecret('bob', { name: 'my-env', type: 'ENV_VAR', value: 'v' }).metadata, { key: 'MY_ENV' });
    assert.deepEqual(emu.state.setSecret('bob', { name: 'o', type: 'OCI', value: {} }).metadata, { mountDirectory: '/secrets/o' });
    const again = emu.state.setSecret('bob', { name: 'tmp-mount', type: 'MOUNTED', value: 'y' });
    assert.notEqual(again.id, s.id);
    assert.equal(emu.state.getSecret('bob', 'tmp-mount')!.value, 'y');
    assert.deepEqual(names(emu.state.list('bob')), ['openai-key', 'my-env', 'o', 'tmp-mount']);
    assert.equal(emu.state.deleteSecret('bob', 'tmp-mount'), true);
    assert.equal(emu.state.deleteSecret('bob', 'tmp-mount'), false);
    emu.state.deleteSecret('bob', 'my-env');
    emu.state.deleteSecret('bob', 'o');
    assert.throws(() => emu.state.setSecret('carol', { name: 'x', type: 'ENV_VAR', value: 'v' }), /unknown user/);
  });

  it('custom users, path; unseeded by default', async () => {
    const e2 = await startMosaicEmulator({ users: ['u1'], path: '/api/2.0/genai-mapi/graphql' });
    try {
      assert.equal(e2.endpoint, `${e2.url}/api/2.0/genai-mapi/graphql`);
      assert.deepEqual(Object.keys(e2.apiKeys), ['u1']);
      assert.deepEqual(e2.state.list('u1'), []);
      const call = client(e2);
      const r = await call({ path: '/api/2.0/genai-mapi/graphql', auth: e2.apiKeys.u1, query: GET_Q, variables: allFilters });
      assert.deepEqual(r.json(), { data: { getSecrets: [] } });
      const r404 = await call({ auth: e2.apiKeys.u1, query: GET_Q, variables: allFilters });
      assert.equal(r404.status, 404);
    } finally {
      await e2.close();
    }
  });
});

describe('mosaic emulator: getSecrets', () => {
  let emu: MosaicEmulator;
  let call: ReturnType<typeof client>;
  before(async () => {
    emu = await startMosaicEmulator({ seed: true });
    call = client(emu);
  });
  after(() => emu.close());

  it("lists the user's secrets as a list, selected fields only, never a value", async () => {
    const r = await call({ query: GET_Q, variables: allFilters });
    assert.equal(r.status, 200);
    assert.match(r.headers.get('content-type')!, /^application\/json/);
    const body = r.json();
    assert.deepEqual(Object.keys(body), ['data']);
    const items = body.data.getSecrets;
    assert.deepEqual(names(items), ['wandb-key', 'hf-token', 'git-ssh', 's3-creds', 'docker-hub']);
    for (const it of items) {
      assert.deepEqual(Object.keys(it), ['id', 'name', 'type', 'metadata', 'createdAt']);
      assert.match(it.id, UUID);
      assert.match(it.createdAt, ISO_MS);
    }
    assert.deepEqual(items[0].metadata, { key: 'WANDB_API_KEY' });
    assert.deepEqual(items[4].metadata, {});
    assert.ok(!r.text.includes(emu.state.getSecret('alice', 'wandb-key')!.value as string));
    assert.ok(!r.text.includes('"value"'));
  });

  it('per-user isolation: bob sees only his secret (API key or bearer token)', async () => {
    const r = await call({ auth: emu.apiKeys.bob, query: GET_Q, variables: allFilters });
    assert.deepEqual(names(r.json().data.getSecrets), ['openai-key']);
    const t = await call({ auth: `Bearer ${emu.bearerTokens.bob}`, query: GET_Q, variables: allFilters });
    assert.deepEqual(names(t.json().data.getSecrets), ['openai-key']);
  });

  it('answers exactly the selected fields, in selection order, duplicates merged', async () => {
    const q = 'query GetSecrets($getSecretsData: GetSecretsInput!) { getSecrets(getSecretsData: $getSecretsData) { createdAt name name type } }';
    const r = await call({ query: q, variables: allFilters });
    const first = r.json().data.getSecrets[0];
    assert.deepEqual(Object.keys(first), ['createdAt', 'name', 'type']);
  });

  it('tolerates whitespace, newlines, CRLF, tabs, commas, comments, a BOM and another operation name', async () => {
    const variants = [
      'query GetSecrets($getSecretsData:GetSecretsInput!){getSecrets(getSecretsData:$getSecretsData){id name type metadata createdAt}}',
      'query GetSecrets($getSecretsData: GetSecretsInput!) {\r\n\tgetSecrets(getSecretsData: $getSecretsData) {\r\n\t\tid,\r\n\t\tname,\r\n\t\ttype\r\n\t\tmetadata createdAt\r\n\t}\r\n}\r\n',
      '\uFEFF# list them\nquery   GetSecrets ( $getSecretsData : GetSecretsInput ! ) # comment\n{ getSecrets ( getSecretsData : $getSecretsData ) { createdAt metadata type name id } }',
      'query Other($getSecretsData: GetSecretsInput!) { getSecrets(getSecretsData: $getSecretsData) { id name type metadata createdAt } }',
    ];
    for (const q of variants) {
      const r = await call({ query: q, variables: allFilters });
      assert.equal(r.status, 200, `${q}\n${r.text}`);
      assert.equal(r.json().data.getSecrets.length, 5);
    }
  });

  it('accepts inline literals, a variable default and the shorthand-free anonymous query', async () => {
    const lit = await call({ query: '{ getSecrets(getSecretsData: {filters: {type: {in: [GIT_SSH, S3]}}}) { name } }' });
    assert.deepEqual(lit.json().data.getSecrets, [{ name: 'git-ssh' }, { name: 's3-creds' }]);
    const nested = await call({
      query: 'query Q($n: [String!]!) { getSecrets(getSecretsData: {filters: {name: {in: $n}}}) { name } }',
      variables: { n: ['hf-token'] },
    });
    assert.deepEqual(nested.json().data.getSecrets, [{ name: 'hf-token' }]);
    const dflt = await call({
      query: 'query Q($d: GetSecretsInput = {filters: {name: {in: ["wandb-key"]}}}) { getSecrets(getSecretsData: $d) { name } }',
      variables: {},
    });
    assert.equal(dflt.status, 200, dflt.text);
    assert.deepEqual(dflt.json().data.getSecrets, [{ name: 'wandb-key' }]);
    const block = await call({ query: '{ getSecrets(getSecretsData: {filters: {name: {in: ["""\n    docker-hub\n  """]}}}) { name } }' });
    assert.deepEqual(block.json().data.getSecrets, [{ name: 'docker-hub' }]);
  });

  it('filters: name.in, type.in, both (AND), empty list = nothing, null = no filter', async () => {
    const get = async (filters: unknown) => names((await call({ query: GET_Q, variables: { getSecretsData: { filters } } })).json().data.getSecrets);
    assert.deepEqual(await get({ name: { in: ['git-ssh', 'nope', 'wandb-key'] } }), ['wandb-key', 'git-ssh']);
    assert.deepEqual(await get({ type: { in: ['ENV_VAR'] } }), ['wandb-key', 'hf-token']);
    assert.deepEqual(await get({ name: { in: ['wandb-key', 'git-ssh'] }, type: { in: ['GIT_SSH'] } }), ['git-ssh']);
    assert.deepEqual(await get({ name: { in: [] } }), []);
    assert.deepEqual(await get({ name: null, type: null }), ['wandb-key', 'hf-token', 'git-ssh', 's3-creds', 'docker-hub']);
    assert.deepEqual(await get({ name: { in: ['openai-key'] } }), [], "bob's secret is invisible to alice");
  });
});

describe('mosaic emulator: createSecret', () => {
  let emu: MosaicEmulator;
  let call: ReturnType<typeof client>;
  before(async () => {
    emu = await startMosaicEmulator();
    call = client(emu);
  });
  after(() => emu.close());

  const create = (data: unknown, auth?: string) => call({ query: CREATE_Q, variables: { createSecretData: data }, ...(auth ? { auth } : {}) });

  it('creates every type (mcli payload shapes); the answer is a one-item list without values', async () => {
    const key = '-----BEGIN OPENSSH PRIVATE KEY-----\nabc\n-----END OPENSSH PRIVATE KEY-----\n';
    const cases: Array<[unknown, string, Record<string, unknown>, unknown]> = [
      [{ envVarSecret: { name: 'foo', metadata: { key: 'FOO' }, value: 'secret-api-key-1234' } }, 'ENV_VAR', { key: 'FOO' }, 'secret-api-key-1234'],
      [{ envVarSecret: { name: 'hf', metadata: { key: 'HF_TOKEN' }, value: 'hf_x' } }, 'ENV_VAR', { key: 'HF_TOKEN' }, 'hf_x'],
      [{ mountedSecret: { name: 'cfg', metadata: { mountPath: '/secrets/cfg' }, value: 'a=b' } }, 'MOUNTED', { mountPath: '/secrets/cfg' }, 'a=b'],
      [{ sshSecret: { name: 'ssh', metadata: { mountPath: '/secrets/ssh' }, value: key } }, 'SSH', { mountPath: '/secrets/ssh' }, key],
      [{ gitSSHSecret: { name: 'git', metadata: { mountPath: '/secrets/git' }, value: key } }, 'GIT_SSH', { mountPath: '/secrets/git' }, key],
      [{ sftpSSHSecret: { name: 'sftp', metadata: { mountPath: '/secrets/sftp' }, value: key } }, 'SFTP_SSH', { mountPath: '/secrets/sftp' }, key],
      [{ gcpSecret: { name: 'gcp', metadata: { mountPath: '/secrets/gcp' }, value: '{"type":"service_account"}' } }, 'GCP', { mountPath: '/secrets/gcp' }, '{"type":"service_account"}'],
      [
        { s3Secret: { name: 's3', metadata: { mountDirectory: '/secrets/s3' }, value: { config: 'c', credentials: 'k' } } },
        'S3',
        { mountDirectory: '/secrets/s3' },
        { config: 'c', credentials: 'k' },
      ],
      [
        { s3Secret: { name: 's3p', metadata: { mountDirectory: '/secrets/s3p' }, value: { config: 'c', credentials: 'k', profile: 'prod' } } },
        'S3',
        { mountDirectory: '/secrets/s3p' },
        { config: 'c', credentials: 'k', profile: 'prod' },
      ],
      [
        { ociSecret: { name: 'oci', metadata: { mountDirectory: '/secrets/oci' }, value: { config: 'c', keyFile: 'pem' } } },
        'OCI',
        { mountDirectory: '/secrets/oci' },
        { config: 'c', keyFile: 'pem' },
      ],
      [
        { dockerRegistrySecret: { name: 'reg', value: { username: 'u', password: 'p', email: null, server: 'ghcr.io' } } },
        'DOCKER_REGISTRY',
        {},
        { username: 'u', password: 'p', server: 'ghcr.io' },
      ],
      [
        { dockerRegistrySecret: { name: 'reg2', value: { username: 'u', password: 'p', email: 'a@b.c', server: 'ghcr.io' } } },
        'DOCKER_REGISTRY',
        {},
        { username: 'u', password: 'p', email: 'a@b.c', server: 'ghcr.io' },
      ],
      [{ databricksSecret: { name: 'dbx', value: { host: 'https://x.cloud.databricks.com', token: 'dapi1' } } }, 'DATABRICKS', {}, { host: 'https://x.cloud.databricks.com', token: 'dapi1' }],
    ];
    for (const [data, type, metadata, value] of cases) {
      const r = await create(data);
      assert.equal(r.status, 200, r.text);
      const body = r.json();
      assert.deepEqual(Object.keys(body), ['data']);
      const items = body.data.createSecret;
      assert.ok(Array.isArray(items) && items.length === 1, r.text);
      const name = (Object.values(data as object)[0] as { name: string }).name;
      assert.deepEqual(Object.keys(items[0]), ['name', 'type', 'metadata', 'createdAt']);
      assert.equal(items[0].name, name);
      assert.equal(items[0].type, type);
      assert.deepEqual(items[0].metadata, metadata);
      assert.match(items[0].createdAt, ISO_MS);
      assert.ok(!r.text.includes('"value"'));
      assert.deepEqual(emu.state.getSecret('alice', name)!.value, value);
    }
    const list = await call({ query: GET_Q, variables: allFilters });
    assert.equal(list.json().data.getSecrets.length, cases.length);
  });

  it('409 on a duplicate name (any type), message says the name is taken; other users unaffected', async () => {
    const data = { envVarSecret: { name: 'dup', metadata: { key: 'DUP' }, value: 'v1' } };
    assert.equal((await create(data)).status, 200);
    const r = await create({ mountedSecret: { name: 'dup', metadata: { mountPath: '/secrets/dup' }, value: 'v2' } });
    const msg = oneError(r, 409, 200);
    assert.match(msg, /"dup" already exists/);
    const b = r.json();
    assert.equal(b.data, null);
    assert.deepEqual(b.errors[0].path, ['createSecret']);
    assert.equal(emu.state.getSecret('alice', 'dup')!.value, 'v1');
    const bob = await create(data, emu.apiKeys.bob);
    assert.equal(bob.status, 200, bob.text);
  });

  it('exactly one type key: none, two, or a null one → 400 (HTTP 200, data null)', async () => {
    assert.match(oneError(await create({}), 400, 200), /exactly one secret type.*got none/);
    const two = await create({
      envVarSecret: { name: 'a', metadata: { key: 'A' }, value: 'v' },
      mountedSecret: { name: 'b', metadata: { mountPath: '/secrets/b' }, value: 'v' },
    });
    assert.match(oneError(two, 400, 200), /got envVarSecret, mountedSecret/);
    assert.match(oneError(await create({ envVarSecret: { name: 'a', metadata: { key: 'A' }, value: 'v' }, sshSecret: null }), 400, 200), /sshSecret \(null\)/);
    assert.match(oneError(await create({ envVarSecret: null }), 400, 200), /must not be null/);
    assert.equal(emu.state.getSecret('alice', 'a'), undefined);
  });

  it('missing required fields / unknown fields / wrong types → variable coercion error 400 (HTTP 400)', async () => {
    const cases: Array<[unknown, RegExp]> = [
      [{ envVarSecret: { metadata: { key: 'A' }, value: 'v' } }, /Field "name" of required type "String!" was not provided/],
      [{ envVarSecret: { name: 'a', value: 'v' } }, /Field "metadata" of required type "EnvVarSecretMetadataInput!" was not provided/],
      [{ envVarSecret: { name: 'a', metadata: {}, value: 'v' } }, /at "createSecretData\.envVarSecret\.metadata"; Field "key" of required type "String!" was not provided/],
      [{ envVarSecret: { name: 'a', metadata: { key: 'A' } } }, /Field "value" of required type "String!" was not provided/],
      [{ envVarSecret: { name: 'a', metadata: { key: 'A' }, value: null } }, /Expected non-nullable type "String!" not to be null/],
      [{ envVarSecret: { name: 'a', metadata: { key: 'A' }, value: 5 } }, /String cannot represent a non string value: 5/],
      [{ envVarSecret: { name: 'a', metadata: { key: 'A', mountPath: '/x' }, value: 'v' } }, /Field "mountPath" is not defined by type "EnvVarSecretMetadataInput"/],
      [{ dockerRegistrySecret: { name: 'r', metadata: {}, value: { username: 'u', password: 'p', server: 's' } } }, /Field "metadata" is not defined by type "DockerRegistrySecretInput"/],
      [{ dockerRegistrySecret: { name: 'r', value: { username: 'u', password: 'p' } } }, /Field "server" of required type "String!" was not provided/],
      [{ s3Secret: { name: 's', metadata: { mountDirectory: '/d' }, value: { config: 'c' } } }, /Field "credentials" of required type/],
      [{ ociSecret: { name: 'o', metadata: { mountPath: '/d' }, value: { config: 'c', keyFile: 'k' } } }, /Field "mountPath" is not defined by type "MountDirectoryMetadataInput"/],
      [{ databricksSecret: { name: 'd', value: 'x' } }, /Expected type "DatabricksSecretValueInput" to be an object/],
      [{ secretThing: {} }, /Field "secretThing" is not defined by type "CreateSecretInput"/],
      ['nope', /Expected type "CreateSecretInput" to be an object/],
    ];
    for (const [data, re] of cases) {
      const r = await create(data);
      assert.match(oneErrorOrMany(r, 400, 400), re, JSON.stringify(data));
    }
    assert.deepEqual(emu.state.list('alice').filter((s) => ['a', 'r', 's', 'o', 'd'].includes(s.name)), []);
  });

  it('name rule (DNS subdomain, mcli messages) → 400 (HTTP 200)', async () => {
    const env = (name: string) => create({ envVarSecret: { name, metadata: { key: 'K' }, value: 'v' } });
    assert.match(oneError(await env('Foo'), 400, 200), /Invalid secret name "Foo": Valid characters are only regex \[abcdefghijklmnopqrstuvwxyz0123456789\\-\\.\]/);
    assert.match(oneError(await env('my_secret'), 400, 200), /Valid characters are only regex/);
    assert.match(oneError(await env('-abc'), 400, 200), /The first character must be alphanumeric/);
    assert.match(oneError(await env('abc.'), 400, 200), /The last character must be alphanumeric/);
    assert.match(oneError(await env(''), 400, 200), /Name must be less than 253 characters/);
    assert.match(oneError(await env('a'.repeat(254)), 400, 200), /Name must be less than 253 characters/);
    assert.equal((await env('a'.repeat(253))).status, 200);
    assert.equal((await env('1.2-x')).status, 200);
  });

  it('metadata and value rules → 400 (HTTP 200)', async () => {
    const bad: Array<[unknown, RegExp]> = [
      [{ envVarSecret: { name: 'k1', metadata: { key: 'BAD KEY' }, value: 'v' } }, /Invalid metadata\.key "BAD KEY": Valid characters/],
      [{ envVarSecret: { name: 'k2', metadata: { key: '' }, value: 'v' } }, /Invalid metadata\.key ""/],
      [{ envVarSecret: { name: 'k3', metadata: { key: 'K' }, value: '' } }, /envVarSecret\.value must not be empty/],
      [{ mountedSecret: { name: 'm1', metadata: { mountPath: 'secrets/m1' }, value: 'v' } }, /Path must be absolute/],
      [{ mountedSecret: { name: 'm2', metadata: { mountPath: '/secrets/m2/' }, value: 'v' } }, /Must end with a valid filename/],
      [{ s3Secret: { name: 's1', metadata: { mountDirectory: 'rel' }, value: { config: 'c', credentials: 'k' } } }, /metadata\.mountDirectory.*absolute/],
      [{ s3Secret: { name: 's2', metadata: { mountDirectory: '/d' }, value: { config: 'c', credentials: '' } } }, /s3Secret\.value\.credentials must not be empty/],
      [{ gcpSecret: { name: 'g1', metadata: { mountPath: '/secrets/g1' }, value: 'not json' } }, /gcpSecret\.value must be the service-account key JSON/],
      [{ gcpSecret: { name: 'g2', metadata: { mountPath: '/secrets/g2' }, value: '[1]' } }, /an object/],
    ];
    for (const [data, re] of bad) assert.match(oneError(await create(data), 400, 200), re, JSON.stringify(data));
    assert.equal((await create({ envVarSecret: { name: 'k4', metadata: { key: 'my.KEY-1_x' }, value: 'v' } })).status, 200);
  });

  it('admin-only entity → 403', async () => {
    const r = await create({ envVarSecret: { name: 'ent', metadata: { key: 'K' }, value: 'v' }, entity: { userIds: ['bob'] } });
    assert.match(oneError(r, 403, 200), /admins/);
    const g = await call({ query: GET_Q, variables: { getSecretsData: { filters: {}, entity: { organizationIds: ['o'] } } } });
    oneError(g, 403, 200);
    const ok = await create({ envVarSecret: { name: 'ent', metadata: { key: 'K' }, value: 'v' }, entity: null });
    assert.equal(ok.status, 200, ok.text);
  });
});

/** Like oneError but tolerates several errors (coercion reports all); returns them joined. */
function oneErrorOrMany(r: Res, code: number, httpStatus: number): string {
  assert.equal(r.status, httpStatus, r.text);
  const b = r.json();
  assert.ok(Array.isArray(b.errors) && b.errors.length >= 1, r.text);
  assert.ok(!('data' in b), r.text);
  for (const e of b.errors) assert.equal(e.extensions.code, code, r.text);
  return b.errors.map((e: { message: string }) => e.message).join('\n');
}

describe('mosaic emulator: deleteSecrets', () => {
  let emu: MosaicEmulator;
  let call: ReturnType<typeof client>;
  before(async () => {
    emu = await startMosaicEmulator({ seed: true });
    call = client(emu);
  });
  after(() => emu.close());

  const del = (filters: unknown, auth?: string) => call({ query: DELETE_Q, variables: { getSecretsData: { filters } }, ...(auth ? { auth } : {}) });

  it('deletes by name and returns the deleted items (list); unknown names are ignored', async () => {
    const r = await del({ name: { in: ['hf-token', 'does-not-exist'] } });
    assert.equal(r.status, 200, r.text);
    const items = r.json().data.deleteSecrets;
    assert.deepEqual(items.map((i: any) => [i.name, i.type, i.metadata]), [['hf-token', 'ENV_VAR', { key: 'HF_TOKEN' }]]);
    assert.deepEqual(Object.keys(items[0]), ['name', 'type', 'metadata', 'createdAt']);
    assert.equal(emu.state.getSecret('alice', 'hf-token'), undefined);
    assert.deepEqual((await del({ name: { in: ['hf-token'] } })).json(), { data: { deleteSecrets: [] } });
  });

  it("cannot delete another user's secret", async () => {
    const r = await del({ name: { in: ['openai-key'] } });
    assert.deepEqual(r.json().data.deleteSecrets, []);
    assert.ok(emu.state.getSecret('bob', 'openai-key'));
  });

  it('type filter deletes only that type', async () => {
    const r = await del({ type: { in: ['GIT_SSH'] } });
    assert.deepEqual(names(r.json().data.deleteSecrets), ['git-ssh']);
  });

  it("empty filters delete all of the user's secrets (and only theirs)", async () => {
    const r = await del({});
    assert.deepEqual(names(r.json().data.deleteSecrets), ['wandb-key', 's3-creds', 'docker-hub']);
    assert.deepEqual(emu.state.list('alice'), []);
    assert.deepEqual(names(emu.state.list('bob')), ['openai-key']);
  });

  it('deleteSecrets is a mutation: asking for it in a query is a validation error', async () => {
    const r = await call({ query: 'query DeleteSecrets($getSecretsData: GetSecretsInput!) { deleteSecrets(getSecretsData: $getSecretsData) { name } }', variables: allFilters });
    assert.match(oneError(r, 400, 400), /Cannot query field "deleteSecrets" on type "Query"/, 'the variable counts as used');
  });
});

describe('mosaic emulator: auth', () => {
  let emu: MosaicEmulator;
  let call: ReturnType<typeof client>;
  before(async () => {
    emu = await startMosaicEmulator({ seed: true });
    call = client(emu);
  });
  after(() => emu.close());

  it('missing Authorization → errors[].extensions.code 401, HTTP 200, no data', async () => {
    const r = await call({ auth: null, query: GET_Q, variables: allFilters });
    assert.match(oneError(r, 401, 200), /no API key/);
    assert.ok(!('data' in r.json()));
  });

  it('unknown key, API key with "Bearer ", token without "Bearer" → 401', async () => {
    for (const auth of ['nope', `Bearer ${emu.apiKeys.alice}`, emu.bearerTokens.alice!, `Token ${emu.bearerTokens.alice}`, `Bearer  ${emu.bearerTokens.alice}`]) {
      const r = await call({ auth, query: GET_Q, variables: allFilters });
      assert.match(oneError(r, 401, 200), /invalid/, auth);
    }
  });

  it('Bearer access token works (scheme case-insensitive); revoking an entry takes effect', async () => {
    const ok = await call({ auth: `bearer ${emu.bearerTokens.alice}`, query: GET_Q, variables: allFilters });
    assert.equal(ok.json().data.getSecrets.length, 5);
    const key = emu.apiKeys.alice!;
    delete emu.apiKeys.alice;
    try {
      oneError(await call({ auth: key, query: GET_Q, variables: allFilters }), 401, 200);
    } finally {
      emu.apiKeys.alice = key;
    }
  });

  it('auth is checked before the body (an invalid body without a key is 401)', async () => {
    oneError(await call({ auth: null, rawBody: 'not json' }), 401, 200);
  });

  it('authFailureStatus option', async () => {
    const e2 = await startMosaicEmulator({ authFailureStatus: 401 });
    try {
      oneError(await client(e2)({ auth: 'bad', query: GET_Q, variables: allFilters }), 401, 401);
    } finally {
      await e2.close();
    }
  });
});

describe('mosaic emulator: HTTP envelope', () => {
  let emu: MosaicEmulator;
  let call: ReturnType<typeof client>;
  before(async () => {
    emu = await startMosaicEmulator({ seed: true });
    call = client(emu);
  });
  after(() => emu.close());

  it('Content-Type must be application/json (charset utf-8 allowed)', async () => {
    const body = JSON.stringify({ query: GET_Q, variables: allFilters });
    assert.match(oneError(await call({ rawBody: body, headers: { 'Content-Type': 'text/plain' } }), 400, 400), /Content-Type must be application\/json/);
    assert.match(oneError(await call({ rawBody: body, headers: { 'Content-Type': 'application/json; charset=latin1' } }), 400, 400), /charset/);
    const ok = await call({ rawBody: body, headers: { 'Content-Type': 'Application/JSON; charset=UTF-8' } });
    assert.equal(ok.status, 200, ok.text);
  });

  it('body must be a JSON object with a string query; variables an object; no unknown keys', async () => {
    assert.match(oneError(await call({ rawBody: '{"query": ' }), 400, 400), /not valid JSON/);
    assert.match(oneError(await call({ body: [1] }), 400, 400), /JSON object/);
    assert.match(oneError(await call({ body: { variables: allFilters } }), 400, 400), /non-empty string "query"/);
    assert.match(oneError(await call({ body: { query: 5 } }), 400, 400), /"query"/);
    assert.match(oneError(await call({ body: { query: GET_Q, variables: [] } }), 400, 400), /"variables" must be a JSON object/);
    assert.match(oneError(await call({ body: { query: GET_Q, variables: allFilters, operationName: 3 } }), 400, 400), /operationName/);
    assert.match(oneError(await call({ body: { query: GET_Q, variables: allFilters, foo: 1 } }), 400, 400), /Unknown key "foo"/);
    const withNull = await call({ body: { query: GET_Q, variables: allFilters, operationName: null, extensions: {} } });
    assert.equal(withNull.status, 200, withNull.text);
  });

  it('other methods → 405 (Allow: POST); other paths and a trailing slash → 404 HTML', async () => {
    const g = await call({ method: 'GET' });
    assert.equal(g.status, 405);
    assert.equal(g.headers.get('allow'), 'POST');
    assert.equal(g.json().errors[0].extensions.code, 405);
    for (const p of ['/graphql/', '/api/graphql', '/']) {
      const r = await call({ path: p, query: GET_Q, variables: allFilters });
      assert.equal(r.status, 404);
      assert.match(r.headers.get('content-type')!, /^text\/html/);
      assert.ok(r.text.includes(`Cannot POST ${p}`));
    }
    const q = await call({ path: '/graphql?x=1', query: GET_Q, variables: allFilters });
    assert.equal(q.status, 200);
  });

  it('logs requests with operationName and variables', async () => {
    const before = emu.requests.length;
    await call({ query: CREATE_Q, variables: { createSecretData: { envVarSecret: { name: 'logged', metadata: { key: 'L' }, value: 'v' } } } });
    await call({ query: GET_Q, variables: allFilters, operationName: 'GetSecrets' });
    const [c, g] = emu.requests.slice(before);
    assert.equal(c!.method, 'POST');
    assert.equal(c!.path, '/graphql');
    assert.equal(c!.operationName, 'CreateSecret');
    assert.deepEqual(c!.variables, { createSecretData: { envVarSecret: { name: 'logged', metadata: { key: 'L' }, value: 'v' } } });
    assert.equal(c!.headers.authorization, emu.apiKeys.alice);
    assert.equal(c!.headers['x-mosaicml-client'], 'mcli');
    assert.equal(g!.operationName, 'GetSecrets');
    assert.equal(typeof g!.time, 'number');
  });
});

describe('mosaic emulator: strict GraphQL', () => {
  let emu: MosaicEmulator;
  let call: ReturnType<typeof client>;
  before(async () => {
    emu = await startMosaicEmulator({ seed: true });
    call = client(emu);
  });
  after(() => emu.close());

  const expectValidation = async (query: string, re: RegExp, variables: unknown = allFilters, operationName?: string) => {
    const r = await call({ query, variables, ...(operationName ? { operationName } : {}) });
    const msg = oneErrorOrMany(r, 400, 400);
    assert.match(msg, re, `${query}\n${r.text}`);
    return r.json();
  };

  it('syntax errors carry graphql-js texts and locations', async () => {
    const b = await expectValidation('query GetSecrets($getSecretsData: GetSecretsInput!) {\n  getSecrets(getSecretsData: $getSecretsData) {\n    id\n  }', /Syntax Error: Expected Name, found <EOF>\./);
    assert.deepEqual(b.errors[0].locations, [{ line: 4, column: 4 }]);
    await expectValidation('query { getSecrets(getSecretsData: $x) { id } } }', /Syntax Error: Unexpected "}"\./);
    await expectValidation('query % { }', /Syntax Error: Unexpected character: "%"\./);
    await expectValidation('{ getSecrets(getSecretsData: {filters: {name: {in: ["abc]}}}) { id } }', /Unterminated string/);
  });

  it('unknown fields are rejected: value, metadata sub-selection, unknown root field, __typename', async () => {
    const sel = (s: string) => `query GetSecrets($getSecretsData: GetSecretsInput!) { getSecrets(getSecretsData: $getSecretsData) { ${s} } }`;
    const b = await expectValidation(sel('name value'), /Cannot query field "value" on type "Secret"\./);
    assert.deepEqual(b.errors[0].locations, [{ line: 1, column: sel('name value').indexOf('value') + 1 }]);
    await expectValidation(sel('name metadata { key }'), /Field "metadata" must not have a selection since type "JSON!" has no subfields\./);
    await expectValidation(sel('name updatedAt'), /Cannot query field "updatedAt" on type "Secret"\./);
    await expectValidation(sel('__typename name'), /Introspection \("__typename"\) is not supported/);
    await expectValidation('query GetSecret($getSecretsData: GetSecretsInput!) { getSecret(getSecretsData: $getSecretsData) { name } }', /Cannot query field "getSecret" on type "Query"\./);
    await expectValidation('mutation X($getSecretsData: GetSecretsInput!) { getSecrets(getSecretsData: $getSecretsData) { name } }', /Cannot query field "getSecrets" on type "Mutation"\./);
    await expectValidation('query { __schema { types { name } } }', /Introspection/, {});
    await expectValidation('query GetSecrets($getSecretsData: GetSecretsInput!) { getSecrets(getSecretsData: $getSecretsData) }', /must have a selection of subfields/);
  });

  it('aliases, fragments, directives, several root fields or operations, subscriptions → 400', async () => {
    await expectValidation('query Q($getSecretsData: GetSecretsInput!) { s: getSecrets(getSecretsData: $getSecretsData) { name } }', /Aliases are not supported/);
    await expectValidation('query Q($getSecretsData: GetSecretsInput!) { getSecrets(getSecretsData: $getSecretsData) { n: name } }', /Aliases are not supported/);
    await expectValidation('query Q($getSecretsData: GetSecretsInput!) { getSecrets(getSecretsData: $getSecretsData) { ...F } } fragment F on Secret { name }', /Fragments are not supported/);
    await expectValidation('query Q($getSecretsData: GetSecretsInput!) { getSecrets(getSecretsData: $getSecretsData) { name @include(if: true) } }', /Directive "@include" is not supported/);
    await expectValidation('query Q($getSecretsData: GetSecretsInput!) { getSecrets(getSecretsData: $getSecretsData) { name @foo } }', /Unknown directive "@foo"\./);
    await expectValidation(
      'mutation M($getSecretsData: GetSecretsInput!) { deleteSecrets(getSecretsData: $getSecretsData) { name } createSecret(createSecretData: {}) { name } }',
      /exactly one root field per operation, got 2/,
    );
    await expectValidation(`${GET_Q}\n${GET_Q.replace('GetSecrets(', 'Again(')}`, /exactly one operation per document, got 2/);
    await expectValidation('subscription S($getSecretsData: GetSecretsInput!) { getSecrets(getSecretsData: $getSecretsData) { name } }', /not configured to execute subscription/);
    assert.equal(emu.state.list('alice').length, 5, 'nothing was deleted');
  });

  it('arguments and variable definitions are validated', async () => {
    await expectValidation('query Q($getSecretsData: GetSecretsInput!) { getSecrets(getSecretsData: $getSecretsData, limit: 3) { name } }', /Unknown argument "limit" on field "Query\.getSecrets"\./);
    await expectValidation('query Q { getSecrets { name } }', /Field "getSecrets" argument "getSecretsData" of type "GetSecretsInput!" is required, but it was not provided\./, {});
    await expectValidation('query Q { getSecrets(getSecretsData: $getSecretsData) { name } }', /Variable "\$getSecretsData" is not defined by operation "Q"\./);
    await expectValidation('query Q($getSecretsData: GetSecretsInput!, $x: String) { getSecrets(getSecretsData: $getSecretsData) { name } }', /Variable "\$x" is never used in operation "Q"\./, allFilters);
    await expectValidation('query Q($getSecretsData: GetSecretsInput) { getSecrets(getSecretsData: $getSecretsData) { name } }', /Variable "\$getSecretsData" of type "GetSecretsInput" used in position expecting type "GetSecretsInput!"\./);
    await expectValidation('query Q($getSecretsData: GetSecretInput!) { getSecrets(getSecretsData: $getSecretsData) { name } }', /Unknown type "GetSecretInput"\./);
    await expectValidation('mutation M($createSecretData: GetSecretsInput!) { createSecret(createSecretData: $createSecretData) { name } }', /of type "GetSecretsInput!" used in position expecting type "CreateSecretInput!"/, { createSecretData: {} });
    await expectValidation('query Q($getSecretsData: Secret!) { getSecrets(getSecretsData: $getSecretsData) { name } }', /cannot be non-input type "Secret!"/);
  });

  it('inline literals are type-checked (enum names, no strings for enums, lists)', async () => {
    await expectValidation('{ getSecrets(getSecretsData: {filters: {type: {in: ["ENV_VAR"]}}}) { name } }', /Enum "SecretType" cannot represent non-enum value: "ENV_VAR"\./, {});
    await expectValidation('{ getSecrets(getSecretsData: {filters: {type: {in: [FOO]}}}) { name } }', /Value "FOO" does not exist in "SecretType" enum\./, {});
    await expectValidation('{ getSecrets(getSecretsData: {filters: {name: {in: "x"}}}) { name } }', /Expected value of type "\[String!\]!", found "x"\./, {});
    await expectValidation('{ getSecrets(getSecretsData: {filters: {nam: {in: []}}}) { name } }', /Field "nam" is not defined by type "SecretFiltersInput"\./, {});
    await expectValidation('{ getSecrets(getSecretsData: {}) { name } }', /Field "GetSecretsInput\.filters" of required type "SecretFiltersInput!" was not provided\./, {});
  });

  it('variables are coerced strictly', async () => {
    const v = (gsd: unknown) => ({ getSecretsData: gsd });
    await expectValidation(GET_Q, /Variable "\$getSecretsData" of required type "GetSecretsInput!" was not provided\./, {});
    await expectValidation(GET_Q, /Variable "\$getSecretsData" of non-null type "GetSecretsInput!" must not be null\./, v(null));
    await expectValidation(GET_Q, /Field "filters" of required type "SecretFiltersInput!" was not provided\./, v({}));
    await expectValidation(GET_Q, /at "getSecretsData\.filters"; Field "names" is not defined by type "SecretFiltersInput"\./, v({ filters: { names: { in: ['a'] } } }));
    await expectValidation(GET_Q, /at "getSecretsData\.filters\.type\.in\[1\]"; Value "environment" does not exist in "SecretType" enum\./, v({ filters: { type: { in: ['ENV_VAR', 'environment'] } } }));
    await expectValidation(GET_Q, /at "getSecretsData\.filters\.name\.in"; Expected type "\[String!\]!" to be a list\./, v({ filters: { name: { in: 'wandb-key' } } }));
    await expectValidation(GET_Q, /Field "in" of required type/, v({ filters: { name: {} } }));
    await expectValidation(GET_Q, /Field "equals" is not defined by type "StringInFilterInput"/, v({ filters: { name: { in: ['a'], equals: 'a' } } }));
    await expectValidation(GET_Q, /Variable "\$createSecretData" is not defined by the operation/, { ...allFilters, createSecretData: {} });
    // every problem is reported at once
    const b = await expectValidation(GET_Q, /names/, v({ filters: { names: 1, types: 2 } }));
    assert.equal(b.errors.length, 2);
  });

  it('a nullable variable with a default, sent as null into a non-null position, is a field error (nothing deleted)', async () => {
    const r = await call({
      query: 'mutation M($f: SecretFiltersInput = {}) { deleteSecrets(getSecretsData: {filters: $f}) { name } }',
      variables: { f: null },
    });
    // graphql-js's texts (execute → getArgumentValues / valueFromAST)
    assert.match(oneError(r, 400, 200), /^Argument "getSecretsData" has invalid value \{filters: \$f\}\.$/);
    assert.deepEqual(r.json().errors[0].path, ['deleteSecrets']);
    assert.equal(r.json().data, null);
    assert.equal(emu.state.list('alice').length, 5);
    const top = await call({ query: 'query Q($d: GetSecretsInput = {filters: {}}) { getSecrets(getSecretsData: $d) { name } }', variables: { d: null } });
    assert.match(oneError(top, 400, 200), /^Argument "getSecretsData" of non-null type "GetSecretsInput!" must not be null\.$/);
  });

  it('operationName must name the operation', async () => {
    await expectValidation(GET_Q, /Unknown operation named "CreateSecret"\./, allFilters, 'CreateSecret');
    await expectValidation('{ getSecrets(getSecretsData: {filters: {}}) { name } }', /Unknown operation named "GetSecrets"\./, {}, 'GetSecrets');
    const ok = await call({ query: GET_Q, variables: allFilters, operationName: 'GetSecrets' });
    assert.equal(ok.status, 200);
  });
});

describe('mosaic emulator: faults', () => {
  let emu: MosaicEmulator;
  let call: ReturnType<typeof client>;
  before(async () => {
    emu = await startMosaicEmulator({ seed: true });
    call = client(emu);
  });
  after(() => emu.close());

  it('status fault with the default GraphQL errors body, once', async () => {
    emu.faults.next({ status: 503 });
    const r = await call({ query: GET_Q, variables: allFilters });
    assert.equal(r.status, 503);
    assert.deepEqual(r.json(), { errors: [{ message: 'Service Unavailable', extensions: { code: 503 } }] });
    assert.equal((await call({ query: GET_Q, variables: allFilters })).status, 200);
  });

  it('custom non-JSON body + headers, times, match', async () => {
    emu.faults.next({ status: 502, body: '<html>Bad Gateway</html>', headers: { 'Content-Type': 'text/html' }, times: 2, match: (m, p) => m === 'POST' && p === '/graphql' });
    for (let i = 0; i < 2; i++) {
      const r = await call({ query: GET_Q, variables: allFilters });
      assert.equal(r.status, 502);
      assert.equal(r.headers.get('content-type'), 'text/html');
      assert.equal(r.text, '<html>Bad Gateway</html>');
    }
    assert.equal((await call({ query: GET_Q, variables: allFilters })).status, 200);
    emu.faults.next({ status: 500, match: (_m, p) => p === '/other' });
    assert.equal((await call({ query: GET_Q, variables: allFilters })).status, 200);
    emu.faults.clear();
    assert.equal((await call({ path: '/other' })).status, 404);
  });

  it('delay-only fault, then normal handling; destroySocket', async () => {
    emu.faults.next({ delayMs: 150 });
    const t0 = Date.now();
    const r = await call({ query: GET_Q, variables: allFilters });
    assert.equal(r.status, 200);
    assert.ok(Date.now() - t0 >= 140);
    emu.faults.next({ destroySocket: true });
    await assert.rejects(call({ query: GET_Q, variables: allFilters }));
    assert.equal((await call({ query: GET_Q, variables: allFilters })).status, 200);
  });

  it('a faulted create does not create', async () => {
    emu.faults.next({ status: 500 });
    await call({ query: CREATE_Q, variables: { createSecretData: { envVarSecret: { name: 'faulted', metadata: { key: 'F' }, value: 'v' } } } });
    assert.equal(emu.state.getSecret('alice', 'faulted'), undefined);
  });
});

describe('mosaic emulator: CLI', () => {
  it('prints {url, endpoint, apiKeys, bearerTokens} on one line and serves a seeded emulator', async () => {
    const main = path.join(__dirname, '..', 'emulators', 'mosaic', 'main.js');
    const child = spawn(process.execPath, [main, '--port', '0'], { stdio: ['ignore', 'pipe', 'inherit'] });
    try {
      const line = await new Promise<string>((resolve, reject) => {
        let buf = '';
        child.stdout.on('data', (d: Buffer) => {
          buf += d.toString();
          const nl = buf.indexOf('\n');
          if (nl !== -1) resolve(buf.slice(0, nl));
        });
        child.on('error', reject);
        child.on('exit', (code) => reject(new Error(`exited ${code}`)));
      });
      const info = JSON.parse(line);
      assert.deepEqual(Object.keys(info), ['url', 'endpoint', 'apiKeys', 'bearerTokens']);
      assert.equal(info.endpoint, `${info.url}/graphql`);
      const r = await fetch(info.endpoint, {
        method: 'POST',
        headers: { Authorization: info.apiKeys.alice, 'Content-Type': 'application/json' },
        body: JSON.stringify({ query: GET_Q, variables: allFilters }),
      });
      const body = (await r.json()) as any;
      assert.equal(body.data.getSecrets.length, 5);
    } finally {
      const exited = new Promise((r) => child.once('exit', r));
      child.kill('SIGTERM');
      await exited;
    }
  });
});
