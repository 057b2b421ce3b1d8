import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { X509Certificate } from 'node:crypto';
import * as http from 'node:http';
import * as https from 'node:https';
import * as path from 'node:path';
import { gunzipSync, gzipSync } from 'node:zlib';
import { after, before, describe, it } from 'node:test';
import { fromBinary, type DescService } from '@bufbuild/protobuf';
import { Code, ConnectError, createClient, type Interceptor } from '@connectrpc/connect';
import { compressionGzip, createConnectTransport } from '@connectrpc/connect-node';
import { AuthMetadataService, GetPublicClientConfigResponseSchema } from '../../src/core/platforms/flyte/gen/flyteidl2/auth/auth_service_pb';
import { SelectClusterRequest_Operation } from '../../src/core/platforms/flyte/gen/flyteidl2/cluster/payload_pb';
import { ClusterService } from '../../src/core/platforms/flyte/gen/flyteidl2/cluster/service_pb';
import { OverallStatus } from '../../src/core/platforms/flyte/gen/flyteidl2/secret/definition_pb';
import { SecretService } from '../../src/core/platforms/flyte/gen/flyteidl2/secret/secret_pb';
import { FlyteEmulator, SEED_EXTRA_ORG_SECRETS, startFlyteEmulator } from '../emulators/flyte/server';

interface Res {
  status: number;
  headers: Headers;
  text: string;
  json: () => any;
}

const SVC = '/flyteidl2.secret.SecretService';
const AUTH = '/flyteidl2.auth.AuthMetadataService';

interface CallOpts {
  token?: string | null;
  raw?: string | Buffer;
  headers?: Record<string, string>;
  method?: string;
}

function client(emu: FlyteEmulator) {
  let token: string | undefined;
  const call = async (urlPath: string, body?: unknown, o: CallOpts = {}): Promise<Res> => {
    const headers: Record<string, string> = { 'content-type': 'application/json', 'connect-protocol-version': '1', 'accept-encoding': 'identity', ...(o.headers ?? {}) };
    if (o.token !== null) {
      token ??= emu.tokens.mint();
      headers.authorization ??= `Bearer ${o.token ?? token}`;
    }
    for (const [k, v] of Object.entries(headers)) if (v === '') delete headers[k];
    const res = await fetch(`${emu.url}${urlPath}`, {
      method: o.method ?? 'POST',
      headers,
      body: o.raw !== undefined ? o.raw : body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await res.text();
    return { status: res.status, headers: res.headers, text, json: () => JSON.parse(text) };
  };
  return call;
}

function assertConnectError(r: Res, status: number, code: string, message?: RegExp): void {
  assert.equal(r.status, status, r.text);
  assert.equal(r.headers.get('content-type'), 'application/json');
  const b = r.json();
  assert.equal(b.code, code);
  if (message) assert.match(b.message, message);
}

const js = async (r: Response): Promise<any> => r.json();
const b64 = (s: string) => Buffer.from(s).toString('base64');
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('flyte emulator: Connect protocol', () => {
  let emu: FlyteEmulator;
  let call: ReturnType<typeof client>;
  before(async () => {
    emu = await startFlyteEmulator({ seed: true });
    call = client(emu);
  });
  after(() => emu.close());

  it('binds 127.0.0.1; endpoint and API key', () => {
    assert.match(emu.url, /^http:\/\/127\.0\.0\.1:\d+$/);
    assert.equal(emu.endpoint, emu.url.replace('http://', 'dns:///'));
    assert.equal(emu.org, 'demo');
    assert.deepEqual(emu.clusters, ['c1', 'c2']);
    assert.equal(emu.clientId, 'ml-secrets-ci');
    const decoded = Buffer.from(emu.apiKey, 'base64').toString('utf8');
    assert.equal(decoded, `${emu.endpoint}:${emu.clientId}:${emu.clientSecret}:demo`);
    assert.doesNotMatch(emu.clientSecret, /[:+/%=]/);
  });

  it('unknown procedure / path: plain Go 404 (client infers unimplemented)', async () => {
    for (const p of [`${SVC}/Nope`, '/flyteidl2.secret.Other/GetSecret', '/', `${SVC}/getSecret`]) {
      const r = await call(p, {});
      assert.equal(r.status, 404);
      assert.equal(r.text, '404 page not found\n');
      assert.equal(r.headers.get('content-type'), 'text/plain; charset=utf-8');
    }
  });

  it('wrong method → 405, no body; GET only for the NO_SIDE_EFFECTS methods', async () => {
    const g = await call(`${SVC}/ListSecrets`, undefined, { method: 'GET' });
    assert.equal(g.status, 405);
    assert.equal(g.text, '');
    const p = await call(`${SVC}/GetSecret`, {}, { method: 'PUT' });
    assert.equal(p.status, 405);
    const a = await call(`${AUTH}/GetOAuth2Metadata`, undefined, { method: 'DELETE' });
    assert.equal(a.status, 405);
    const ok = await call(`${AUTH}/GetOAuth2Metadata?connect=v1&encoding=json&message=%7B%7D`, undefined, { method: 'GET', token: null });
    assert.equal(ok.status, 200);
  });

  it('content types: JSON (case-insensitive, charset utf-8) ok; others → 415, no body (proto is served: flyteSdkReplayServer.test.ts)', async () => {
    for (const ct of ['application/json', 'application/json; charset=utf-8', 'Application/JSON', 'application/json;charset=UTF-8']) {
      const r = await call(`${SVC}/ListSecrets`, { limit: 1 }, { headers: { 'content-type': ct } });
      assert.equal(r.status, 200, `${ct}: ${r.text}`);
      assert.equal(r.headers.get('content-type'), 'application/json');
    }
    for (const ct of ['application/grpc', 'application/grpc-web+json', 'application/connect+json', 'text/plain', 'application/json; charset=latin1', '']) {
      const r = await call(`${SVC}/ListSecrets`, { limit: 1 }, { headers: { 'content-type': ct } });
      assert.equal(r.status, 415, ct);
      assert.equal(r.text, '');
    }
  });

  it('Connect-Protocol-Version required by default; wrong value rejected', async () => {
    const missing = await call(`${SVC}/ListSecrets`, {}, { headers: { 'connect-protocol-version': '' } });
    assertConnectError(missing, 400, 'invalid_argument', /missing required header: set Connect-Protocol-Version to "1"/);
    const wrong = await call(`${SVC}/ListSecrets`, {}, { headers: { 'connect-protocol-version': '2' } });
    assertConnectError(wrong, 400, 'invalid_argument', /must be "1": got "2"/);
  });

  it('compression: gzip request + response; unknown encoding → unimplemented', async () => {
    const body = gzipSync(Buffer.from(JSON.stringify({ id: { name: 'openai-key', organization: 'demo' } })));
    const res = await fetch(`${emu.url}${SVC}/GetSecret`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'connect-protocol-version': '1', 'content-encoding': 'gzip', authorization: `Bearer ${emu.tokens.mint()}` },
      body,
    });
    assert.equal(res.status, 200);
    assert.equal(res.headers.get('content-encoding'), 'gzip');
    // fetch decompresses transparently
    assert.equal((await js(res)).secret.id.name, 'openai-key');
    assert.equal(emu.requests.at(-1)!.body, JSON.stringify({ id: { name: 'openai-key', organization: 'demo' } }));

    // Accept-Encoding alone → gzip response (checked with raw http to see the bytes)
    const raw = await new Promise<{ enc?: string; body: Buffer }>((resolve, reject) => {
      const u = new URL(`${emu.url}${SVC}/ListSecrets`);
      const req = http.request(
        { host: u.hostname, port: u.port, path: u.pathname, method: 'POST', headers: { 'content-type': 'application/json', 'connect-protocol-version': '1', 'accept-encoding': 'br, gzip', authorization: `Bearer ${emu.tokens.mint()}` } },
        (r) => {
          const chunks: Buffer[] = [];
          r.on('data', (c: Buffer) => chunks.push(c));
          r.on('end', () => resolve({ enc: r.headers['content-encoding'], body: Buffer.concat(chunks) }));
        },
      );
      req.on('error', reject);
      req.end('{"limit": 1}');
    });
    assert.equal(raw.enc, 'gzip');
    assert.equal(JSON.parse(gunzipSync(raw.body).toString()).secrets.length, 1);

    const br = await call(`${SVC}/ListSecrets`, {}, { headers: { 'content-encoding': 'br' } });
    assertConnectError(br, 501, 'unimplemented', /unknown compression "br": supported encodings are gzip/);
  });

  it('body decoding (protobuf-es): empty, bad JSON, wrong types, duplicates, oneof → invalid_argument; unknown fields ignored', async () => {
    const L = `${SVC}/ListSecrets`;
    const bad: Array<[string | Buffer, RegExp]> = [
      ['', /^cannot decode message flyteidl2\.secret\.ListSecretsRequest from JSON: /],
      ['{"limit": 1,}', /^cannot decode message flyteidl2\.secret\.ListSecretsRequest from JSON: /],
      ['[]', /ListSecretsRequest/],
      ['null', /ListSecretsRequest/],
      ['{"limit": "ten"}', /ListSecretsRequest\.limit from JSON: expected number \(int32\), got "ten"/],
      ['{"limit": 1.5}', /ListSecretsRequest\.limit from JSON: expected number \(int32\), got 1\.5/],
      ['{"limit": 2147483648}', /limit from JSON: .*out of range/],
      ['{"includeSystemSecrets": "true"}', /include_system_secrets from JSON: expected boolean/],
      ['{"domain": 5}', /ListSecretsRequest\.domain from JSON: expected string, got 5/],
      ['{"limit": 1, "limit": 2}', /duplicate object key "limit"/],
      ['{"includeSystemSecrets": true, "include_system_secrets": true}', /include_system_secrets from JSON: set multiple times/],
      ['{"perClusterTokens": {"c1": 5}}', /per_cluster_tokens from JSON: map entry "c1": expected string/],
      [Buffer.from([0x7b, 0xff, 0x7d]), /ListSecretsRequest from JSON/],
    ];
    for (const [raw, re] of bad) assertConnectError(await call(L, undefined, { raw }), 400, 'invalid_argument', re);
    assertConnectError(
      await call(`${SVC}/CreateSecret`, { id: { name: 'x', organization: 'demo' }, secretSpec: { stringValue: 'a', binaryValue: b64('a') } }),
      400,
      'invalid_argument',
      /oneof flyteidl2\.secret\.SecretSpec\.value from JSON: oneof set multiple times by string_value and binary_value/,
    );
    assertConnectError(await call(`${SVC}/CreateSecret`, { id: { name: 'x' }, secretSpec: { binaryValue: 'not base64!' } }), 400, 'invalid_argument', /binary_value from JSON: invalid base64/);
    assert.equal(emu.state.getSecret('x'), undefined);
    // accepted: unknown fields, null, numbers as strings, integral exponent, map tokens, unknown enum names
    const ok = await call(L, { whatever: [1, { a: null }], domain: null, limit: '1e1', perClusterTokens: { c1: 't' } });
    assert.equal(ok.status, 200, ok.text);
    assert.equal(ok.json().secrets.length, 10);
  });

  it('Connect-Timeout-Ms: malformed → invalid_argument; a valid one is accepted', async () => {
    for (const t of ['abc', '12345678901', '-1']) {
      assertConnectError(await call(`${SVC}/ListSecrets`, {}, { headers: { 'connect-timeout-ms': t } }), 400, 'invalid_argument', /invalid connect timeout value/);
    }
    assert.equal((await call(`${SVC}/ListSecrets`, { limit: 1 }, { headers: { 'connect-timeout-ms': '5000' } })).status, 200);
  });

  it('AuthMetadataService: anonymous POST and Connect GET', async () => {
    const m = await call(`${AUTH}/GetOAuth2Metadata`, {}, { token: null });
    assert.equal(m.status, 200);
    const meta = m.json();
    assert.equal(meta.tokenEndpoint, `${emu.url}/oauth2/token`);
    assert.equal(meta.issuer, emu.url);
    assert.deepEqual(meta.grantTypesSupported, ['client_credentials']);
    assert.deepEqual(meta.tokenEndpointAuthMethodsSupported, ['client_secret_basic']);
    assert.deepEqual(meta.scopesSupported, ['all']);
    const c = await call(`${AUTH}/GetPublicClientConfig`, {}, { token: null });
    assert.deepEqual(c.json(), { clientId: 'flytectl', redirectUri: 'http://localhost:53593/callback', scopes: ['all'], authorizationMetadataKey: 'authorization' });
    const g = await fetch(`${emu.url}${AUTH}/GetPublicClientConfig?connect=v1&encoding=json&message=%7B%7D`);
    assert.equal(g.status, 200);
    assert.equal((await js(g)).authorizationMetadataKey, 'authorization');
    const g64 = await fetch(`${emu.url}${AUTH}/GetOAuth2Metadata?connect=v1&encoding=json&base64=1&message=${Buffer.from('{}').toString('base64url')}`);
    assert.equal(g64.status, 200);
    const gp = await fetch(`${emu.url}${AUTH}/GetPublicClientConfig?connect=v1&encoding=proto&message=`);
    assert.equal(gp.status, 200, 'proto is served (an empty message)');
    assert.equal(gp.headers.get('content-type'), 'application/proto');
    assert.equal(fromBinary(GetPublicClientConfigResponseSchema, new Uint8Array(await gp.arrayBuffer())).clientId, 'flytectl');
    assert.equal((await fetch(`${emu.url}${AUTH}/GetOAuth2Metadata?connect=v1&encoding=xml&message=`)).status, 415);
    assert.equal((await fetch(`${emu.url}${AUTH}/GetOAuth2Metadata?connect=v1&message=%7B%7D`)).status, 415);
    const noMsg = await fetch(`${emu.url}${AUTH}/GetOAuth2Metadata?connect=v1&encoding=json`);
    assert.equal(noMsg.status, 400);
    assert.equal((await js(noMsg)).code, 'invalid_argument');
    const noVersion = await fetch(`${emu.url}${AUTH}/GetOAuth2Metadata?encoding=json&message=%7B%7D`);
    assert.equal(noVersion.status, 400);
    assert.match((await js(noVersion)).message, /missing required parameter: set connect to "v1"/);
  });
});

describe('flyte emulator: secret service', () => {
  let emu: FlyteEmulator;
  let call: ReturnType<typeof client>;
  before(async () => {
    emu = await startFlyteEmulator({ seed: true });
    call = client(emu);
  });
  after(() => emu.close());

  it('seed: scopes, presence, image pull, system secret, storage ids', async () => {
    const s = emu.state;
    assert.equal(s.getSecret('openai-key')!.domain, '');
    assert.equal(s.getSecret('wandb-key', { domain: 'development' })!.project, '');
    assert.deepEqual(s.getSecret('hf-token', { domain: 'development', project: 'flytesnacks' })!.clusterPresence, { c1: 'PRESENT', c2: 'MISSING' });
    assert.equal(s.getSecret('ghcr-pull')!.type, 'SECRET_TYPE_IMAGE_PULL_SECRET');
    assert.equal(s.getSecret('EAGER_API_KEY')!.system, true);
    assert.ok(s.secrets.has('u__org__demo__domain____project____key__openai-key'));
    assert.ok(s.secrets.has('u__org__demo__domain__development__project__flytesnacks__key__hf-token'));
    const orgWide = [...s.secrets.values()].filter((x) => !x.domain && !x.system);
    assert.equal(orgWide.length, 12);
    assert.equal(SEED_EXTRA_ORG_SECRETS.length, 10);
  });

  it('GetSecret: metadata, echo of the request id, presence, snake_case request', async () => {
    const r = await call(`${SVC}/GetSecret`, { id: { name: 'hf-token', organization: 'demo', domain: 'development', project: 'flytesnacks' } });
    assert.equal(r.status, 200);
    assert.equal(r.headers.get('content-type'), 'application/json');
    assert.deepEqual(r.json(), {
      secret: {
        id: { name: 'hf-token', organization: 'demo', domain: 'development', project: 'flytesnacks' },
        secretMetadata: {
          createdTime: '2026-05-01T10:02:00Z',
          secretStatus: {
            overallStatus: 'PARTIALLY_PRESENT',
            clusterStatus: [
              { cluster: { name: 'c1' }, presenceStatus: 'PRESENT' },
              { cluster: { name: 'c2' }, presenceStatus: 'MISSING' },
            ],
          },
        },
      },
    });
    const snake = await call(`${SVC}/GetSecret`, { id: { name: 'ghcr-pull' }, include_system_secrets: false });
    assert.deepEqual(snake.json().secret.id, { name: 'ghcr-pull' }, 'organization not sent → not echoed');
    assert.equal(snake.json().secret.secretMetadata.type, 'SECRET_TYPE_IMAGE_PULL_SECRET');
    assert.equal(snake.json().secret.secretMetadata.secretStatus.overallStatus, 'FULLY_PRESENT');
    const generic = await call(`${SVC}/GetSecret`, { id: { name: 'openai-key', organization: 'demo' } });
    assert.ok(!('type' in generic.json().secret.secretMetadata), 'default enum omitted');
    assert.ok(!('value' in generic.json().secret), 'never the value');
    // scope is part of the identity
    assertConnectError(await call(`${SVC}/GetSecret`, { id: { name: 'hf-token', domain: 'development' } }), 404, 'not_found', /^secret hf-token not found$/);
  });

  it('presence: setPresence, UNKNOWN omitted on the wire', async () => {
    emu.state.setPresence('wandb-key', { domain: 'development' }, 'c2', 'UNKNOWN');
    const r = await call(`${SVC}/GetSecret`, { id: { name: 'wandb-key', domain: 'development' } });
    assert.deepEqual(r.json().secret.secretMetadata.secretStatus, {
      overallStatus: 'UNKNOWN_STATUS',
      clusterStatus: [{ cluster: { name: 'c1' }, presenceStatus: 'PRESENT' }, { cluster: { name: 'c2' } }],
    });
    emu.state.setPresence('wandb-key', { domain: 'development' }, 'c2', 'PRESENT');
    assert.throws(() => emu.state.setPresence('wandb-key', { domain: 'development' }, 'c9', 'PRESENT'));
  });

  it('validation: id required, name min_len + pattern, oneof, scope, org', async () => {
    assertConnectError(await call(`${SVC}/GetSecret`, {}), 400, 'invalid_argument', /^validation error:\n - id: value is required \[required\]$/);
    assertConnectError(
      await call(`${SVC}/GetSecret`, { id: { name: '' } }),
      400,
      'invalid_argument',
      /id\.name: value length must be at least 1 characters \[string\.min_len\]\n - id\.name: value does not match regex pattern `\^\[-a-zA-Z0-9_\]\+\$` \[string\.pattern\]/,
    );
    for (const bad of ['my.secret', 'with space', 'slash/x', 'ünï', 'x\n']) {
      assertConnectError(await call(`${SVC}/CreateSecret`, { id: { name: bad }, secretSpec: { binaryValue: b64('v') } }), 400, 'invalid_argument', /string\.pattern/);
    }
    assertConnectError(await call(`${SVC}/CreateSecret`, { id: { name: 'x' }, secretSpec: {} }), 400, 'invalid_argument', /secret_spec\.value: exactly one field is required in oneof/);
    assertConnectError(await call(`${SVC}/CreateSecret`, { id: { name: 'x' } }), 400, 'invalid_argument', /^string or binary value expected, got <nil>$/);
    assertConnectError(await call(`${SVC}/UpdateSecret`, { id: { name: 'openai-key' } }), 400, 'invalid_argument', /got <nil>/);
    for (const m of ['CreateSecret', 'UpdateSecret', 'GetSecret', 'DeleteSecret']) {
      assertConnectError(
        await call(`${SVC}/${m}`, { id: { name: 'x', project: 'flytesnacks' }, secretSpec: { binaryValue: b64('v') } }),
        400,
        'invalid_argument',
        /^project-scoped secrets must also specify a domain, got project="flytesnacks" domain=""$/,
      );
    }
    assertConnectError(await call(`${SVC}/ListSecrets`, { project: 'flytesnacks' }), 400, 'invalid_argument', /project-scoped/);
    assertConnectError(await call(`${SVC}/GetSecret`, { id: { name: 'openai-key', organization: 'other' } }), 403, 'permission_denied');
    assertConnectError(await call(`${SVC}/ListSecrets`, { organization: 'other' }), 403, 'permission_denied');
    assertConnectError(await call(`${SVC}/ListSecrets`, { limit: -1 }), 400, 'invalid_argument');
    assertConnectError(await call(`${SVC}/CreateSecret`, { id: { name: 'x', domain: 'bad domain' }, secretSpec: { binaryValue: b64('v') } }), 400, 'invalid_argument', /label/);
  });

  it('CreateSecret / UpdateSecret / DeleteSecret round trip, already_exists, not_found', async () => {
    const id = { name: 'new-key', organization: 'demo', domain: 'staging' };
    const c = await call(`${SVC}/CreateSecret`, { id, secretSpec: { binaryValue: b64('s3cr3t') } });
    assert.equal(c.status, 200, c.text);
    assert.deepEqual(c.json(), {});
    const stored = emu.state.getSecret('new-key', { domain: 'staging' })!;
    assert.equal(Buffer.from(stored.value).toString(), 's3cr3t');
    assert.equal(stored.valueField, 'binaryValue');
    assert.match(stored.createdTime, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
    assert.deepEqual(stored.clusterPresence, { c1: 'PRESENT', c2: 'PRESENT' });
    const dup = await call(`${SVC}/CreateSecret`, { id, secretSpec: { stringValue: 'x' } });
    assertConnectError(dup, 409, 'already_exists', /^secrets "[0-9a-f]{32}" already exists$/);
    // same name in another scope is a different secret
    assert.equal((await call(`${SVC}/CreateSecret`, { id: { name: 'new-key' }, secret_spec: { string_value: 'org' } })).status, 200);
    assert.equal(emu.state.getSecret('new-key')!.valueField, 'stringValue');

    emu.state.setPresence('new-key', { domain: 'staging' }, 'c2', 'MISSING');
    const u = await call(`${SVC}/UpdateSecret`, { id, secretSpec: { stringValue: 'changed' } });
    assert.equal(u.status, 200);
    assert.equal(Buffer.from(emu.state.getSecret('new-key', { domain: 'staging' })!.value).toString(), 'changed');
    assert.equal(emu.state.getSecret('new-key', { domain: 'staging' })!.clusterPresence.c2, 'PRESENT');
    assertConnectError(await call(`${SVC}/UpdateSecret`, { id: { name: 'nope' }, secretSpec: { stringValue: 'x' } }), 404, 'not_found', /^secret nope not found$/);

    assert.deepEqual((await call(`${SVC}/DeleteSecret`, { id })).json(), {});
    assert.equal(emu.state.getSecret('new-key', { domain: 'staging' }), undefined);
    assertConnectError(await call(`${SVC}/DeleteSecret`, { id }), 404, 'not_found', /^secret new-key not found$/);
    assertConnectError(await call(`${SVC}/GetSecret`, { id }), 404, 'not_found');
    assert.equal(emu.state.deleteSecret('new-key'), true);
  });

  it('image-pull secrets must be org-scoped; type enum by name or number', async () => {
    const spec = { binaryValue: b64('{"auths":{}}'), type: 'SECRET_TYPE_IMAGE_PULL_SECRET' };
    assertConnectError(await call(`${SVC}/CreateSecret`, { id: { name: 'pull', domain: 'development' }, secretSpec: spec }), 400, 'invalid_argument', /image pull secrets must be org-scoped/);
    assert.equal((await call(`${SVC}/CreateSecret`, { id: { name: 'pull' }, secretSpec: spec })).status, 200);
    assert.equal(emu.state.getSecret('pull')!.type, 'SECRET_TYPE_IMAGE_PULL_SECRET');
    assert.equal((await call(`${SVC}/CreateSecret`, { id: { name: 'pull2' }, secretSpec: { stringValue: 'x', type: 1 } })).status, 200);
    assert.equal(emu.state.getSecret('pull2')!.type, 'SECRET_TYPE_IMAGE_PULL_SECRET');
    // unknown enum names are ignored (protojson DiscardUnknown) → generic; unknown numbers rejected
    assert.equal((await call(`${SVC}/CreateSecret`, { id: { name: 'pull3' }, secretSpec: { stringValue: 'x', type: 'IMAGE_PULL' } })).status, 200);
    assert.equal(emu.state.getSecret('pull3')!.type, 'SECRET_TYPE_GENERIC');
    assertConnectError(await call(`${SVC}/CreateSecret`, { id: { name: 'pull4' }, secretSpec: { stringValue: 'x', type: 7 } }), 400, 'invalid_argument');
    // update replaces the type
    assert.equal((await call(`${SVC}/UpdateSecret`, { id: { name: 'pull2' }, secretSpec: { stringValue: 'y' } })).status, 200);
    assert.equal(emu.state.getSecret('pull2')!.type, 'SECRET_TYPE_GENERIC');
    for (const n of ['pull', 'pull2', 'pull3']) emu.state.deleteSecret(n);
  });

  it('system secrets hidden unless include_system_secrets', async () => {
    assertConnectError(await call(`${SVC}/GetSecret`, { id: { name: 'EAGER_API_KEY' } }), 404, 'not_found');
    assert.equal((await call(`${SVC}/GetSecret`, { id: { name: 'EAGER_API_KEY' }, includeSystemSecrets: true })).status, 200);
    assertConnectError(await call(`${SVC}/DeleteSecret`, { id: { name: 'EAGER_API_KEY' } }), 404, 'not_found');
    assertConnectError(await call(`${SVC}/UpdateSecret`, { id: { name: 'EAGER_API_KEY' }, secretSpec: { stringValue: 'x' } }), 404, 'not_found');
    assertConnectError(await call(`${SVC}/CreateSecret`, { id: { name: 'EAGER_API_KEY' }, secretSpec: { stringValue: 'x' } }), 409, 'already_exists');
    const names = async (body: object) => {
      const out: string[] = [];
      let token: string | undefined;
      do {
        const r = (await call(`${SVC}/ListSecrets`, { ...body, ...(token ? { token } : {}) })).json();
        out.push(...(r.secrets ?? []).map((s: any) => s.id.name));
        token = r.token;
      } while (token);
      return out;
    };
    assert.ok(!(await names({ limit: 5 })).includes('EAGER_API_KEY'));
    assert.ok((await names({ limit: 5, includeSystemSecrets: true })).includes('EAGER_API_KEY'));
    assert.equal((await call(`${SVC}/DeleteSecret`, { id: { name: 'EAGER_API_KEY' }, include_system_secrets: true })).status, 200);
    emu.state.setSecret({ name: 'EAGER_API_KEY', system: true });
  });

  it('ListSecrets: org-wide paging with limit 10, tokens, k8s order, no organization echo', async () => {
    const p1 = (await call(`${SVC}/ListSecrets`, { organization: 'demo', limit: 10 })).json();
    assert.equal(p1.secrets.length, 10);
    assert.equal(typeof p1.token, 'string');
    assert.match(p1.token, /^[A-Za-z0-9_-]+$/);
    for (const s of p1.secrets) {
      assert.ok(!('organization' in s.id));
      assert.ok(s.secretMetadata.createdTime);
    }
    const p2 = (await call(`${SVC}/ListSecrets`, { organization: 'demo', limit: 10, token: p1.token })).json();
    const all = [...p1.secrets, ...p2.secrets].map((s: any) => s.id.name);
    assert.ok(!p2.token, 'last page has no token');
    assert.equal(all.length, 14, 'subtree: 12 org-wide + wandb-key + hf-token');
    assert.equal(new Set(all).size, all.length);
    assert.ok(all.includes('hf-token') && all.includes('wandb-key'));
    assert.notDeepEqual(all, [...all].sort(), 'k8s order is not alphabetical');
    const hf = [...p1.secrets, ...p2.secrets].find((s: any) => s.id.name === 'hf-token');
    assert.deepEqual(hf.id, { name: 'hf-token', domain: 'development', project: 'flytesnacks' });
    assert.equal(hf.secretMetadata.secretStatus.overallStatus, 'PARTIALLY_PRESENT');
    // limit 0 → everything, no token
    const everything = (await call(`${SVC}/ListSecrets`, {})).json();
    assert.equal(everything.secrets.length, 14);
    assert.ok(!('token' in everything));
    // a bad token
    assertConnectError(await call(`${SVC}/ListSecrets`, { limit: 10, token: 'garbage!' }), 400, 'invalid_argument', /continue/);
    assertConnectError(await call(`${SVC}/ListSecrets`, { limit: 10, token: Buffer.from('{"v":"x"}').toString('base64url') }), 400, 'invalid_argument');
  });

  it('ListSecrets: domain and project+domain scopes (OSS label selection); empty list omitted', async () => {
    const dom = (await call(`${SVC}/ListSecrets`, { organization: 'demo', domain: 'development' })).json();
    assert.deepEqual(dom.secrets.map((s: any) => s.id.name).sort(), ['hf-token', 'wandb-key']);
    const proj = (await call(`${SVC}/ListSecrets`, { organization: 'demo', domain: 'development', project: 'flytesnacks' })).json();
    assert.deepEqual(proj.secrets.map((s: any) => s.id.name), ['hf-token']);
    const none = await call(`${SVC}/ListSecrets`, { domain: 'production' });
    assert.equal(none.text, '{}');
  });

  it('ListSecrets paging with a selector: full pages, possibly an empty last page', async () => {
    // domain development has 2 secrets; with limit 1 the walk visits every key
    const seen: string[] = [];
    let token: string | undefined;
    let pages = 0;
    do {
      const r = (await call(`${SVC}/ListSecrets`, { domain: 'development', limit: 1, ...(token ? { token } : {}) })).json();
      pages++;
      seen.push(...(r.secrets ?? []).map((s: any) => s.id.name));
      assert.ok((r.secrets ?? []).length <= 1);
      token = r.token;
    } while (token && pages < 20);
    assert.deepEqual(seen.sort(), ['hf-token', 'wandb-key']);
    assert.ok(pages >= 2);
  });
});

describe('flyte emulator: options (exact list scope, no protocol header, custom auth key)', () => {
  let emu: FlyteEmulator;
  before(async () => {
    emu = await startFlyteEmulator({ seed: true, listScope: 'exact', requireConnectProtocolVersion: false, authorizationMetadataKey: 'flyte-authorization', clusters: ['east'], audience: 'https://flyte.example' });
  });
  after(() => emu.close());

  it('exact scope lists; protocol header optional; token must be in flyte-authorization', async () => {
    const token = emu.tokens.mint();
    const post = (p: string, body: object, headers: Record<string, string>) =>
      fetch(`${emu.url}${p}`, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify(body) });
    const bad = await post(`${SVC}/ListSecrets`, {}, { authorization: `Bearer ${token}` });
    assert.equal(bad.status, 401);
    assert.equal((await js(bad)).code, 'unauthenticated');
    const r = await post(`${SVC}/ListSecrets`, {}, { 'flyte-authorization': `Bearer ${token}` });
    assert.equal(r.status, 200);
    const names = (await js(r)).secrets.map((s: any) => s.id.name);
    assert.equal(names.length, 12, 'exact: only org-wide');
    assert.ok(!names.includes('hf-token'));
    const hf = await post(`${SVC}/GetSecret`, { id: { name: 'hf-token', domain: 'development', project: 'flytesnacks' } }, { 'flyte-authorization': `bearer ${token}` });
    const st = (await js(hf)).secret.secretMetadata.secretStatus;
    assert.deepEqual(st, { overallStatus: 'FULLY_PRESENT', clusterStatus: [{ cluster: { name: 'east' }, presenceStatus: 'PRESENT' }] });
    const cfg = await post(`${AUTH}/GetPublicClientConfig`, {}, {});
    const j = await js(cfg);
    assert.equal(j.authorizationMetadataKey, 'flyte-authorization');
    assert.equal(j.audience, 'https://flyte.example');
  });

  it('audience checked at the token endpoint', async () => {
    const basic = `Basic ${b64(`${emu.clientId}:${emu.clientSecret}`)}`;
    const tok = (form: string) => fetch(`${emu.url}/oauth2/token`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded', authorization: basic }, body: form });
    assert.equal((await tok('grant_type=client_credentials&audience=https%3A%2F%2Fflyte.example')).status, 200);
    const wrong = await tok('grant_type=client_credentials&audience=https%3A%2F%2Fother');
    assert.equal(wrong.status, 400);
    assert.equal((await js(wrong)).error, 'invalid_target');
  });
});

describe('flyte emulator: auth and token endpoint', () => {
  let emu: FlyteEmulator;
  let call: ReturnType<typeof client>;
  before(async () => {
    emu = await startFlyteEmulator({ clients: [{ clientId: 'ml-secrets-ci', clientSecret: 'p@ss+word/=' }, { clientId: 'other', clientSecret: 'two' }], tokenTtlSeconds: 0.3 });
    call = client(emu);
  });
  after(() => emu.close());

  const tokenReq = (form: string, headers: Record<string, string> = {}, method = 'POST') =>
    fetch(`${emu.url}/oauth2/token`, { method, headers: { 'content-type': 'application/x-www-form-urlencoded', ...headers }, body: method === 'GET' ? undefined : form });
  const basicFor = (id: string, secret: string) => `Basic ${b64(`${encodeURIComponent(id)}:${encodeURIComponent(secret)}`)}`;

  it('client_credentials with Basic auth (form-urlencoded credentials) → usable token', async () => {
    const r = await tokenReq('grant_type=client_credentials&scope=all', { authorization: basicFor('ml-secrets-ci', 'p@ss+word/=') });
    assert.equal(r.status, 200);
    assert.equal(r.headers.get('cache-control'), 'no-store');
    const j = await js(r);
    assert.deepEqual(Object.keys(j).sort(), ['access_token', 'expires_in', 'token_type']);
    assert.equal(j.token_type, 'Bearer');
    assert.equal(j.expires_in, 1);
    const claims = JSON.parse(Buffer.from(j.access_token.split('.')[1], 'base64url').toString());
    assert.equal(claims.sub, 'ml-secrets-ci');
    const list = await call(`${SVC}/ListSecrets`, {}, { token: j.access_token });
    assert.equal(list.status, 200);
    // the SDK's quote_plus form of the secret decodes the same way
    const sdk = await tokenReq('grant_type=client_credentials', { authorization: `Basic ${b64('ml-secrets-ci:p%40ss%2Bword%2F%3D')}` });
    assert.equal(sdk.status, 200);
  });

  it('RFC 6749 errors', async () => {
    const good = basicFor('ml-secrets-ci', 'p@ss+word/=');
    const expectErr = async (r: Response, status: number, error: string) => {
      assert.equal(r.status, status);
      const j = await js(r);
      assert.equal(j.error, error);
      assert.equal(typeof j.error_description, 'string');
    };
    const badSecret = await tokenReq('grant_type=client_credentials', { authorization: basicFor('ml-secrets-ci', 'nope') });
    assert.equal(badSecret.headers.get('www-authenticate'), 'Basic realm="flyte"');
    await expectErr(badSecret, 401, 'invalid_client');
    await expectErr(await tokenReq('grant_type=client_credentials', { authorization: basicFor('ghost', 'x') }), 401, 'invalid_client');
    await expectErr(await tokenReq('grant_type=client_credentials'), 401, 'invalid_client');
    await expectErr(await tokenReq('grant_type=client_credentials&client_id=ml-secrets-ci&client_secret=p%40ss%2Bword%2F%3D'), 401, 'invalid_client');
    await expectErr(await tokenReq('grant_type=client_credentials&client_secret=x', { authorization: good }), 400, 'invalid_request');
    await expectErr(await tokenReq('grant_type=client_credentials', { authorization: 'Bearer abc' }), 401, 'invalid_client');
    await expectErr(await tokenReq('grant_type=password&username=a&password=b', { authorization: good }), 400, 'unsupported_grant_type');
    await expectErr(await tokenReq('scope=all', { authorization: good }), 400, 'invalid_request');
    await expectErr(await tokenReq('grant_type=client_credentials&grant_type=client_credentials', { authorization: good }), 400, 'invalid_request');
    await expectErr(await tokenReq('grant_type=client_credentials&scope=admin', { authorization: good }), 400, 'invalid_scope');
    await expectErr(await tokenReq('grant_type=client_credentials&audience=x', { authorization: good }), 400, 'invalid_target');
    await expectErr(await tokenReq('{"grant_type":"client_credentials"}', { authorization: good, 'content-type': 'application/json' }), 400, 'invalid_request');
    await expectErr(await tokenReq('', { authorization: good }, 'GET'), 405, 'invalid_request');
    // empty-valued parameters count as absent
    assert.equal((await tokenReq('grant_type=client_credentials&scope=', { authorization: good })).status, 200);
  });

  it('SecretService: unauthenticated without / with a bad / with an expired token; retry works', async () => {
    assertConnectError(await call(`${SVC}/ListSecrets`, {}, { token: null }), 401, 'unauthenticated', /missing "authorization"/);
    assertConnectError(await call(`${SVC}/ListSecrets`, {}, { headers: { authorization: 'Token abc' } }), 401, 'unauthenticated');
    assertConnectError(await call(`${SVC}/ListSecrets`, {}, { token: 'abc.def.ghi' }), 401, 'unauthenticated', /invalid access token/);
    const t = emu.tokens.mint();
    const forged = t.slice(0, -2) + (t.endsWith('A') ? 'BB' : 'AA');
    assertConnectError(await call(`${SVC}/ListSecrets`, {}, { token: forged }), 401, 'unauthenticated');
    assert.equal((await call(`${SVC}/ListSecrets`, {}, { token: t })).status, 200);
    await sleep(350);
    assertConnectError(await call(`${SVC}/ListSecrets`, {}, { token: t }), 401, 'unauthenticated', /expired/);
    const fresh = emu.tokens.mint({ ttlSeconds: 60 });
    assert.equal((await call(`${SVC}/ListSecrets`, {}, { token: fresh })).status, 200);
    emu.expireAllTokens();
    assertConnectError(await call(`${SVC}/ListSecrets`, {}, { token: fresh }), 401, 'unauthenticated', /expired/);
    assert.equal((await call(`${SVC}/ListSecrets`, {}, { token: emu.tokens.mint() })).status, 200);
    // anonymous services ignore tokens entirely
    assert.equal((await call(`${AUTH}/GetOAuth2Metadata`, {}, { token: 'junk' })).status, 200);
  });

  it('makeApiKey for another client', () => {
    const k = Buffer.from(emu.makeApiKey({ clientId: 'other' }), 'base64').toString();
    assert.equal(k, `${emu.endpoint}:other:two:demo`);
  });
});

describe('flyte emulator: faults and request log', () => {
  let emu: FlyteEmulator;
  let call: ReturnType<typeof client>;
  before(async () => {
    emu = await startFlyteEmulator({ seed: true });
    call = client(emu);
  });
  after(() => emu.close());

  it('status fault with the default Connect body, match and times', async () => {
    emu.faults.next({ status: 503, match: (m, p) => m === 'POST' && p === `${SVC}/ListSecrets`, times: 2 });
    assert.equal((await call(`${SVC}/GetSecret`, { id: { name: 'openai-key' } })).status, 200, 'not matched');
    for (let i = 0; i < 2; i++) assertConnectError(await call(`${SVC}/ListSecrets`, {}), 503, 'unavailable', /Service Unavailable/);
    assert.equal((await call(`${SVC}/ListSecrets`, {})).status, 200);
  });

  it('custom body/headers, destroySocket, clear', async () => {
    emu.faults.next({ status: 429, body: 'slow down', headers: { 'retry-after': '1' } });
    const r = await call(`${SVC}/ListSecrets`, {});
    assert.equal(r.status, 429);
    assert.equal(r.text, 'slow down');
    assert.equal(r.headers.get('retry-after'), '1');
    assert.equal(r.headers.get('content-type'), 'text/plain; charset=utf-8');
    emu.faults.next({ destroySocket: true });
    await assert.rejects(call(`${SVC}/ListSecrets`, {}));
    emu.faults.next({ status: 500 });
    emu.faults.clear();
    assert.equal((await call(`${SVC}/ListSecrets`, {})).status, 200);
  });

  it('logs every request', async () => {
    const before = emu.requests.length;
    await call(`${SVC}/GetSecret?x=1`, { id: { name: 'openai-key' } });
    const last = emu.requests.at(-1)!;
    assert.equal(emu.requests.length, before + 1);
    assert.equal(last.method, 'POST');
    assert.equal(last.path, `${SVC}/GetSecret`);
    assert.equal(last.query, 'x=1');
    assert.equal(last.headers['connect-protocol-version'], '1');
    assert.match(String(last.headers.authorization), /^Bearer /);
    assert.deepEqual(JSON.parse(last.body), { id: { name: 'openai-key' } });
    assert.equal(typeof last.time, 'number');
  });
});

describe('flyte emulator: real Connect clients (connect-es transport)', () => {
  let emu: FlyteEmulator;
  before(async () => {
    emu = await startFlyteEmulator({ seed: true, dataPlane: { scopes: [{ domain: 'development', project: 'flytesnacks' }] } });
  });
  after(() => emu.close());

  /** A Connect client for `service` on `baseUrl` that records each answer's Content-Encoding. */
  function connectClient<S extends DescService>(service: S, baseUrl: string, o: { binary: boolean; gzip: boolean; token?: string; ca?: string }) {
    const encodings: Array<string | null> = [];
    const interceptor: Interceptor = (next) => async (req) => {
      if (o.token) req.header.set('authorization', `Bearer ${o.token}`);
      const res = await next(req);
      encodings.push(res.header.get('content-encoding'));
      return res;
    };
    const transport = createConnectTransport({
      baseUrl,
      httpVersion: '1.1',
      useBinaryFormat: o.binary,
      sendCompression: o.gzip ? compressionGzip : undefined,
      acceptCompression: o.gzip ? [compressionGzip] : [],
      compressMinBytes: 0,
      interceptors: [interceptor],
      nodeOptions: o.ca ? { ca: o.ca } : undefined,
    });
    return { client: createClient(service, transport), encodings };
  }

  for (const binary of [true, false]) {
    const codec = binary ? 'application/proto' : 'application/json';
    it(`${codec}, gzip both ways: create, get, list; the request log holds the decompressed request as protojson`, async () => {
      const { client, encodings } = connectClient(SecretService, emu.url, { binary, gzip: true, token: emu.tokens.mint() });
      const name = binary ? 'via-binary' : 'via-json';
      const from = emu.requests.length;
      await client.createSecret({ id: { name, organization: 'demo', domain: 'staging' }, secretSpec: { value: { case: 'binaryValue', value: new TextEncoder().encode('s3cr3t') } } });
      assert.equal(Buffer.from(emu.state.getSecret(name, { domain: 'staging' })!.value).toString(), 's3cr3t');
      const got = await client.getSecret({ id: { name, domain: 'staging' } });
      assert.equal(got.secret?.id?.name, name);
      assert.equal(got.secret?.secretMetadata?.secretStatus?.overallStatus, OverallStatus.FULLY_PRESENT);
      const list = await client.listSecrets({ organization: 'demo', limit: 10 });
      assert.equal(list.secrets.length, 10);
      assert.ok(list.token);
      const sent = emu.requests.slice(from);
      assert.deepEqual(
        sent.map((r) => [r.headers['content-type'], r.headers['content-encoding']]),
        [0, 1, 2].map(() => [codec, 'gzip']),
      );
      assert.deepEqual(JSON.parse(sent[1]!.body), { id: { name, domain: 'staging' } });
      assert.deepEqual(encodings, ['gzip', 'gzip', 'gzip'], 'every answer gzip-compressed');
      emu.state.deleteSecret(name, { domain: 'staging' });
    });
  }

  it('errors reach a Connect client as ConnectError codes (binary and JSON)', async () => {
    for (const binary of [true, false]) {
      const { client } = connectClient(SecretService, emu.url, { binary, gzip: true, token: emu.tokens.mint() });
      await assert.rejects(client.getSecret({ id: { name: 'nope' } }), (e: unknown) => e instanceof ConnectError && e.code === Code.NotFound && e.rawMessage === 'secret nope not found');
      await assert.rejects(client.getSecret({ id: { name: 'bad name' } }), (e: unknown) => e instanceof ConnectError && e.code === Code.InvalidArgument && /string\.pattern/.test(e.rawMessage));
      const anon = connectClient(SecretService, emu.url, { binary, gzip: false });
      await assert.rejects(anon.client.listSecrets({}), (e: unknown) => e instanceof ConnectError && e.code === Code.Unauthenticated);
    }
  });

  it('SelectCluster routes a scope to the data-plane listener, whose SecretService a client then calls', async () => {
    const token = emu.tokens.mint();
    const { client } = connectClient(ClusterService, emu.url, { binary: true, gzip: true, token });
    const sel = await client.selectCluster({ operation: SelectClusterRequest_Operation.USE_SECRETS, resource: { case: 'projectId', value: { organization: 'demo', domain: 'development', name: 'flytesnacks' } } });
    assert.equal(sel.clusterEndpoint, emu.dataPlaneUrl);
    assert.equal(sel.cluster, 'c1');
    const org = await client.selectCluster({ operation: SelectClusterRequest_Operation.USE_SECRETS, resource: { case: 'orgId', value: { name: 'demo' } } });
    assert.equal(org.clusterEndpoint, '', 'org-wide stays on the control plane');
    const dp = connectClient(SecretService, sel.clusterEndpoint, { binary: true, gzip: true, token });
    const list = await dp.client.listSecrets({ organization: 'demo', domain: 'development', project: 'flytesnacks' });
    assert.deepEqual(list.secrets.map((s) => s.id?.name), ['hf-token']);
    assert.equal(emu.requests.at(-1)!.listener, 'data');
    const cp = connectClient(SecretService, emu.url, { binary: true, gzip: true, token });
    await assert.rejects(cp.client.listSecrets({ organization: 'demo', domain: 'development', project: 'flytesnacks' }), (e: unknown) => e instanceof ConnectError && e.code === Code.FailedPrecondition);
  });

  it('an unknown procedure is a Go 404 that a Connect client reads as unimplemented', async () => {
    // the data plane serves SecretService only; the control plane of an older server has no ClusterService
    const onDataPlane = connectClient(AuthMetadataService, emu.dataPlaneUrl!, { binary: true, gzip: true });
    await assert.rejects(onDataPlane.client.getPublicClientConfig({}), (e: unknown) => e instanceof ConnectError && e.code === Code.Unimplemented);
    assert.equal(emu.requests.at(-1)!.path, '/flyteidl2.auth.AuthMetadataService/GetPublicClientConfig');
    const older = await startFlyteEmulator({ clusterService: false });
    try {
      const { client } = connectClient(ClusterService, older.url, { binary: false, gzip: false, token: older.tokens.mint() });
      await assert.rejects(
        client.selectCluster({ operation: SelectClusterRequest_Operation.USE_SECRETS, resource: { case: 'orgId', value: { name: 'demo' } } }),
        (e: unknown) => e instanceof ConnectError && e.code === Code.Unimplemented,
      );
      const raw = await fetch(`${older.url}/flyteidl2.cluster.ClusterService/SelectCluster`, { method: 'POST', headers: { 'content-type': 'application/json', 'connect-protocol-version': '1' }, body: '{}' });
      assert.equal(raw.status, 404);
      assert.equal(await raw.text(), '404 page not found\n');
    } finally {
      await older.close();
    }
  });
});

describe('flyte emulator: TLS', () => {
  let emu: FlyteEmulator;
  before(async () => {
    emu = await startFlyteEmulator({ seed: true, tls: true, dataPlane: { scopes: [{}] } });
  });
  after(() => emu.close());

  /** An https request trusting `ca` (none: the system roots only). */
  const httpsPost = (url: string, body: string, headers: Record<string, string>, ca?: string) =>
    new Promise<{ status: number; body: string }>((resolve, reject) => {
      const req = https.request(url, { method: 'POST', headers, ca }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8') }));
      });
      req.on('error', reject);
      req.end(body);
    });

  it('both listeners are https with one self-signed certificate for 127.0.0.1 and localhost', () => {
    assert.match(emu.url, /^https:\/\/127\.0\.0\.1:\d+$/);
    assert.match(emu.dataPlaneUrl ?? '', /^https:\/\/127\.0\.0\.1:\d+$/);
    assert.equal(emu.endpoint, emu.url.replace('https://', 'dns:///'));
    const cert = new X509Certificate(emu.tlsCa!);
    assert.match(cert.subjectAltName ?? '', /IP Address:127\.0\.0\.1/);
    assert.match(cert.subjectAltName ?? '', /DNS:localhost/);
    assert.ok(cert.checkIP('127.0.0.1'));
    assert.ok(cert.verify(cert.publicKey), 'self-signed');
  });

  it('a client that trusts tlsCa talks to both listeners; SelectCluster advertises the https data plane', async () => {
    const token = emu.tokens.mint();
    const headers = { 'content-type': 'application/json', 'connect-protocol-version': '1', authorization: `Bearer ${token}` };
    const sel = await httpsPost(`${emu.url}/flyteidl2.cluster.ClusterService/SelectCluster`, JSON.stringify({ operation: 'OPERATION_USE_SECRETS', orgId: { name: 'demo' } }), headers, emu.tlsCa);
    assert.equal(sel.status, 200, sel.body);
    assert.deepEqual(JSON.parse(sel.body), { clusterEndpoint: emu.dataPlaneUrl, cluster: 'c1' });
    const list = await httpsPost(`${emu.dataPlaneUrl}/flyteidl2.secret.SecretService/ListSecrets`, JSON.stringify({ organization: 'demo', limit: 3 }), headers, emu.tlsCa);
    assert.equal(list.status, 200, list.body);
    assert.equal(JSON.parse(list.body).secrets.length, 3);
    // localhost is in the certificate too
    const local = await httpsPost(`${emu.url.replace('127.0.0.1', 'localhost')}/flyteidl2.auth.AuthMetadataService/GetOAuth2Metadata`, '{}', headers, emu.tlsCa);
    assert.equal(local.status, 200);
    assert.equal(JSON.parse(local.body).tokenEndpoint, `${emu.url}/oauth2/token`);
    // a Connect client over https, binary + gzip
    const transport = createConnectTransport({ baseUrl: emu.dataPlaneUrl!, httpVersion: '1.1', useBinaryFormat: true, sendCompression: compressionGzip, nodeOptions: { ca: emu.tlsCa } });
    const res = await createClient(SecretService, transport).getSecret({ id: { name: 'openai-key' } }, { headers: { authorization: `Bearer ${token}` } });
    assert.equal(res.secret?.id?.name, 'openai-key');
  });

  it('a client that does not trust it fails the handshake; plain http is not served', async () => {
    await assert.rejects(httpsPost(`${emu.url}/flyteidl2.auth.AuthMetadataService/GetOAuth2Metadata`, '{}', { 'content-type': 'application/json' }), /self[- ]signed|certificate/i);
    await assert.rejects(fetch(`${emu.url.replace('https:', 'http:')}/flyteidl2.auth.AuthMetadataService/GetOAuth2Metadata`, { method: 'POST', body: '{}' }));
  });

  it('the token endpoint is served over https too', async () => {
    const r = await httpsPost(`${emu.url}/oauth2/token`, 'grant_type=client_credentials', { 'content-type': 'application/x-www-form-urlencoded', authorization: `Basic ${b64(`${emu.clientId}:${emu.clientSecret}`)}` }, emu.tlsCa);
    assert.equal(r.status, 200);
    assert.equal(JSON.parse(r.body).token_type, 'Bearer');
  });
});

describe('flyte emulator: CLI', () => {
  const start = async (args: string[]) => {
    const main = path.join(__dirname, '..', 'emulators', 'flyte', 'main.js');
    const child = spawn(process.execPath, [main, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
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
    return { child, info: JSON.parse(line) };
  };

  it('prints one JSON line and stops on SIGTERM', async () => {
    const { child, info } = await start(['--port', '0', '--org', 'acme', '--clusters', 'a,b,c']);
    assert.equal(info.tls, false);
    assert.equal(info.org, 'acme');
    assert.deepEqual(info.clusters, ['a', 'b', 'c']);
    assert.match(info.url, /^http:\/\/127\.0\.0\.1:\d+$/);
    assert.equal(Buffer.from(info.apiKey, 'base64').toString(), `${info.endpoint}:${info.clientId}:${info.clientSecret}:acme`);
    const r = await fetch(`${info.url}${SVC}/ListSecrets`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'connect-protocol-version': '1', authorization: `Bearer ${info.token}` },
      body: JSON.stringify({ organization: 'acme', limit: 10 }),
    });
    assert.equal(r.status, 200);
    assert.equal((await js(r)).secrets.length, 10);
    const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
    child.kill('SIGTERM');
    assert.equal(await exited, 0);
  });

  it('--tls --json-only: https (self-signed), JSON served, application/proto → 415', async () => {
    const { child, info } = await start(['--port', '0', '--tls', '--json-only']);
    try {
      assert.equal(info.tls, true);
      assert.match(info.url, /^https:\/\/127\.0\.0\.1:\d+$/);
      const post = (ct: string, body: string) =>
        new Promise<{ status: number; acceptPost?: string; body: string }>((resolve, reject) => {
          const req = https.request(
            `${info.url}${SVC}/ListSecrets`,
            // the CLI does not print the certificate: this client skips verification, as `curl -k` would
            { method: 'POST', rejectUnauthorized: false, headers: { 'content-type': ct, 'connect-protocol-version': '1', authorization: `Bearer ${info.token}` } },
            (res) => {
              const chunks: Buffer[] = [];
              res.on('data', (c: Buffer) => chunks.push(c));
              res.on('end', () => resolve({ status: res.statusCode ?? 0, acceptPost: res.headers['accept-post'] as string | undefined, body: Buffer.concat(chunks).toString('utf8') }));
            },
          );
          req.on('error', reject);
          req.end(body);
        });
      const json = await post('application/json', JSON.stringify({ limit: 2 }));
      assert.equal(json.status, 200, json.body);
      assert.equal(JSON.parse(json.body).secrets.length, 2);
      const proto = await post('application/proto', '');
      assert.equal(proto.status, 415);
      assert.equal(proto.acceptPost, 'application/json, application/json; charset=utf-8');
    } finally {
      const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
      child.kill('SIGTERM');
      assert.equal(await exited, 0);
    }
  });
});
