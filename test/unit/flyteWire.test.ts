// The Flyte client on the wire: generated flyteidl2 types over Connect, binary protobuf + gzip by
// default (what the flyte SDK sends), JSON when asked or when a server refuses protobuf with 415;
// through a data plane, over loopback http and over https; cluster pools; per-cluster paging; the
// API key read as the SDK reads it. docs/platform-apis.md §4.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import * as http from 'node:http';
import * as https from 'node:https';
import { AddressInfo } from 'node:net';
import { gunzipSync } from 'node:zlib';
import { create, fromBinary } from '@bufbuild/protobuf';
import { connectNodeAdapter } from '@connectrpc/connect-node';
import type { ConnectRouter } from '@connectrpc/connect';
import { HttpClient } from '../../src/core/http/httpClient';
import { nodeFetch } from '../../src/core/vendor';
import { HttpError, ProtocolError } from '../../src/core/errors';
import { FlyteClient } from '../../src/core/platforms/flyte/client';
import { decodeFlyteApiKey } from '../../src/core/platforms/flyte/endpoint';
import { discoverFlyteAuth } from '../../src/core/platforms/flyte/oauth';
import { SecretService } from '../../src/core/platforms/flyte/gen/flyteidl2/secret/secret_pb';
import { ClusterService } from '../../src/core/platforms/flyte/gen/flyteidl2/cluster/service_pb';
import { SelectClusterRequestSchema } from '../../src/core/platforms/flyte/gen/flyteidl2/cluster/payload_pb';
import { SecretSchema } from '../../src/core/platforms/flyte/gen/flyteidl2/secret/definition_pb';
import type { ListSecretsRequest } from '../../src/core/platforms/flyte/gen/flyteidl2/secret/payload_pb';
import type { ScopeRef } from '../../src/core/platforms/types';
import { FlyteEmulator, FlyteEmulatorOptions, startFlyteEmulator } from '../emulators/flyte/server';

const SC = '/flyteidl2.cluster.ClusterService/SelectCluster';
const noSleep = { sleep: async () => undefined, random: () => 0.5, maxRetries: 0 };
const enc = (s: string) => new TextEncoder().encode(s);
const ORG: ScopeRef = { org: 'demo' };
const PD: ScopeRef = { org: 'demo', project: 'flytesnacks', domain: 'development' };

/** An HttpClient that trusts the emulator's self-signed certificate (as a user's CA bundle would). */
function trusting(ca?: string): HttpClient {
  if (!ca) return new HttpClient(noSleep);
  const agent = new https.Agent({ ca });
  return new HttpClient({ ...noSleep, fetch: async (url, init) => (await nodeFetch())(url, { ...init, agent: url.startsWith('https:') ? agent : undefined }) as never });
}

function client(emu: FlyteEmulator, o: { codec?: 'proto' | 'json' | 'auto'; log?: string[]; clusterPool?: string } = {}): FlyteClient {
  return new FlyteClient({
    baseUrl: emu.url,
    origins: [emu.url],
    http: trusting(emu.tlsCa),
    org: emu.org,
    project: 'flytesnacks',
    domain: 'development',
    clusterPool: o.clusterPool,
    accessToken: emu.tokens.mint(),
    expiresAt: Date.now() + 3_600_000,
    codec: o.codec,
    log: o.log ? (_l, m) => o.log!.push(m) : undefined,
  });
}

const header = (r: { headers: Record<string, string | string[] | undefined> }, h: string) => String(r.headers[h] ?? '');

/** list, create, update, list, delete of `name` in `ref`; returns the names listed after the create. */
async function roundTrip(c: FlyteClient, ref: ScopeRef, name: string): Promise<string[]> {
  await c.listSecrets(ref);
  await c.addSecret(ref, { name, value: enc('v1 wire value') });
  await c.updateSecret(ref, name, { value: enc('v2 wire value') });
  const names = (await c.listSecrets(ref)).map((s) => s.name);
  assert.deepEqual(await c.deleteSecret(ref, name), { alreadyGone: false });
  return names;
}

describe('flyte client on the wire: codecs, data plane, http and https', () => {
  const layouts: Array<[string, FlyteEmulatorOptions]> = [
    ['loopback http', {}],
    ['https (self-signed, trusted)', { tls: true }],
  ];
  for (const [transport, extra] of layouts) {
    for (const codec of ['proto', 'json'] as const) {
      it(`${transport}, ${codec}: sign-in discovery, list, add, update, delete through SelectCluster on both endpoints`, async () => {
        const emu = await startFlyteEmulator({ seed: true, dataPlane: { scopes: [{}, { domain: 'development', project: 'flytesnacks' }] }, ...extra });
        try {
          if (extra.tls) {
            assert.match(emu.url, /^https:/);
            assert.match(emu.dataPlaneUrl ?? '', /^https:/);
          }
          const auth = await discoverFlyteAuth(trusting(emu.tlsCa), emu.url, undefined, codec);
          assert.equal(new URL(auth.tokenEndpoint).origin, emu.url);
          const c = client(emu, { codec });
          for (const ref of [ORG, PD, { org: 'demo', domain: 'development' }]) {
            const from = emu.requests.length;
            const names = await roundTrip(c, ref, `wire-${codec}`);
            assert.ok(names.includes(`wire-${codec}`), `${JSON.stringify(ref)}: listed after create`);
            assert.equal(emu.state.getSecret(`wire-${codec}`, ref), undefined, 'deleted');
            const sent = emu.requests.slice(from);
            const listeners = new Set(sent.filter((r) => r.path !== SC).map((r) => r.listener));
            assert.deepEqual([...listeners], [ref.project || !ref.domain ? 'data' : 'control'], JSON.stringify(ref));
            for (const r of sent) {
              assert.equal(header(r, 'content-type'), codec === 'proto' ? 'application/proto' : 'application/json', r.path);
              // The SDK's bytes: binary bodies gzip-compressed (Connect's unary Content-Encoding).
              assert.equal(header(r, 'content-encoding'), codec === 'proto' ? 'gzip' : '', r.path);
              assert.equal(header(r, 'connect-protocol-version'), '1');
              assert.match(header(r, 'authorization'), /^Bearer /);
            }
          }
          // The value went as bytes and came through whole.
          await c.addSecret(PD, { name: 'bytes', value: new Uint8Array([0, 255, 10, 13]) });
          assert.deepEqual([...emu.state.getSecret('bytes', PD)!.value], [0, 255, 10, 13]);
        } finally {
          await emu.close();
        }
      });
    }
  }

  it('a server that serves JSON only (415 to protobuf): the client switches to JSON once, says so, and carries on', async () => {
    const emu = await startFlyteEmulator({ seed: true, protoCodec: false });
    try {
      const log: string[] = [];
      const c = client(emu, { log });
      assert.ok((await c.listSecrets(ORG)).length > 0);
      await c.addSecret(ORG, { name: 'json-only', value: enc('v') });
      const types = emu.requests.map((r) => `${r.path.split('/').pop()} ${header(r, 'content-type')}`);
      // The org scope's route is cached: the create goes straight on.
      assert.deepEqual(types, ['SelectCluster application/proto', 'SelectCluster application/json', 'ListSecrets application/json', 'CreateSecret application/json']);
      assert.equal(log.filter((l) => /415/.test(l)).length, 1);
      // An explicit protobuf client does not switch: the 415 is an error it reports.
      await assert.rejects(client(emu, { codec: 'proto' }).listSecrets(ORG), (e: Error) => e instanceof HttpError && e.status === 415 && /protobuf codec/.test(e.message));
    } finally {
      await emu.close();
    }
  });

  it('a cluster pool routes the org-wide calls by cluster_pool_id; scoped calls keep their own routing', async () => {
    const emu = await startFlyteEmulator({ seed: true, dataPlane: { scopes: [], clusterPools: ['gpu-pool'] } });
    try {
      const c = client(emu, { clusterPool: 'gpu-pool' });
      await c.listSecrets(ORG);
      await c.listSecrets(PD);
      const trail = emu.requests.map((r) => `${r.listener} ${r.path.split('/').pop()}`);
      assert.deepEqual(trail, ['control SelectCluster', 'data ListSecrets', 'control SelectCluster', 'control ListSecrets']);
      const selects = emu.requests.filter((r) => r.path === SC);
      assert.ok(selects[0]!.body.includes('gpu-pool'), 'the pool went in the first SelectCluster');
      assert.ok(!selects[1]!.body.includes('gpu-pool'), 'not in the project one');
      const scopes = await c.listScopes();
      assert.match(scopes.find((s) => s.id === 'org')!.description ?? '', /cluster pool gpu-pool/);
    } finally {
      await emu.close();
    }
  });

  it('a 200 that is not a message of the codec asked for is a protocol fault, never a success', async () => {
    const emu = await startFlyteEmulator({ seed: true });
    try {
      const c = client(emu);
      emu.faults.next({ status: 200, headers: { 'content-type': 'application/proto' }, body: '\u00ff\u00ff\u00ff garbage', match: (_m, p) => p === SC });
      await assert.rejects(c.listSecrets(ORG), (e: Error) => e instanceof ProtocolError && /could not be read/.test(e.message));
      emu.faults.next({ status: 200, headers: { 'content-type': 'text/html' }, body: '<html>sign in</html>', match: (_m, p) => p.endsWith('/ListSecrets') });
      await assert.rejects(c.listSecrets(ORG), (e: Error) => e instanceof ProtocolError && /HTML page/.test(e.message));
      assert.ok((await c.listSecrets(ORG)).length > 0, 'and the next call works');
    } finally {
      await emu.close();
    }
  });
});

describe('flyte client: paging by per-cluster tokens (Union collates clusters)', () => {
  let server: http.Server;
  let url = '';
  const seen: Array<{ token: string; perClusterTokens: Record<string, string> }> = [];
  before(async () => {
    const routes = (router: ConnectRouter) => {
      router.service(ClusterService, { selectCluster: () => ({}) } as never);
      router.service(SecretService, {
        listSecrets(req: ListSecretsRequest) {
          seen.push({ token: req.token, perClusterTokens: { ...req.perClusterTokens } });
          const page = seen.length;
          const secret = (name: string) => create(SecretSchema, { id: { name, organization: 'demo' } });
          // Page 1 continues by per-cluster tokens only; page 2 by both; page 3 ends.
          if (page === 1) return { secrets: [secret('a')], perClusterTokens: { c1: 't1', c2: 't2' } };
          if (page === 2) return { secrets: [secret('b')], token: 'x', perClusterTokens: { c2: 't3' } };
          return { secrets: [secret('c')] };
        },
      } as never);
    };
    server = http.createServer(connectNodeAdapter({ routes }));
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  after(() => (server.closeAllConnections(), server.close()));

  it('sends the per-cluster tokens back until neither kind of continuation comes', async () => {
    const c = new FlyteClient({ baseUrl: url, origins: [url], http: new HttpClient(noSleep), org: 'demo', accessToken: 't', expiresAt: Date.now() + 3_600_000 });
    assert.deepEqual((await c.listSecrets(ORG)).map((s) => s.name), ['a', 'b', 'c']);
    assert.deepEqual(seen, [
      { token: '', perClusterTokens: {} },
      { token: '', perClusterTokens: { c1: 't1', c2: 't2' } },
      { token: 'x', perClusterTokens: { c2: 't3' } },
    ]);
  });
});

describe('FLYTE_API_KEY: read as the SDK reads it', () => {
  const key = (s: string) => Buffer.from(s).toString('base64');
  it('a bare host (what issued keys carry), split from the left: the org may hold ":"', () => {
    assert.deepEqual(decodeFlyteApiKey(key('tenant.example.com:cid:csecret:acme')), { endpoint: 'tenant.example.com', clientId: 'cid', clientSecret: 'csecret', org: 'acme' });
    assert.deepEqual(decodeFlyteApiKey(key('tenant.example.com:cid:csecret:a:b')), { endpoint: 'tenant.example.com', clientId: 'cid', clientSecret: 'csecret', org: 'a:b' });
    assert.deepEqual(decodeFlyteApiKey(key('tenant.example.com:cid:csecret:None')), { endpoint: 'tenant.example.com', clientId: 'cid', clientSecret: 'csecret', org: undefined });
    assert.deepEqual(decodeFlyteApiKey(key('tenant.example.com:cid:csecret:')), { endpoint: 'tenant.example.com', clientId: 'cid', clientSecret: 'csecret', org: undefined });
    // a numeric client id is a client id when only three fields follow the host
    assert.deepEqual(decodeFlyteApiKey(key('tenant.example.com:12345:csecret:acme')), { endpoint: 'tenant.example.com', clientId: '12345', clientSecret: 'csecret', org: 'acme' });
  });
  it('an endpoint with a scheme or a port is read whole first', () => {
    for (const endpoint of ['dns:///127.0.0.1:8089', 'https://tenant.example.com', 'http://localhost:30080', 'tenant.example.com:443', '[::1]:8089', 'dns:///tenant.example.com']) {
      assert.deepEqual(decodeFlyteApiKey(key(`${endpoint}:cid:csecret:acme`)), { endpoint, clientId: 'cid', clientSecret: 'csecret', org: 'acme' }, endpoint);
    }
  });
  it('refuses what is not a key', () => {
    for (const bad of ['', 'host', 'host:cid', 'host:cid:secret', ':cid:secret:org', 'host::secret:org', 'host:cid::org', 'a\nb:c:d:e', '[::1:cid:secret:org']) {
      assert.throws(() => decodeFlyteApiKey(key(bad)), /FLYTE_API_KEY|missing/, JSON.stringify(bad));
    }
  });
  it("the emulator's own key (dns:///127.0.0.1:PORT) reads back", async () => {
    const emu = await startFlyteEmulator({});
    try {
      const k = decodeFlyteApiKey(emu.apiKey);
      assert.equal(k.endpoint, emu.endpoint);
      assert.equal(k.clientId, emu.clientId);
      assert.equal(k.clientSecret, emu.clientSecret);
    } finally {
      await emu.close();
    }
  });
});

describe('the SelectCluster request on the wire decodes with the generated type', () => {
  it('project scope → project_id, domain → domain_id, org → org_id; operation USE_SECRETS', async () => {
    const bodies: Buffer[] = [];
    const srv = http.createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        const raw = Buffer.concat(chunks);
        bodies.push(req.headers['content-encoding'] === 'gzip' ? gunzipSync(raw) : raw);
        // An older server: no ClusterService (Go's 404), so each list goes on to the control plane.
        if (req.url === SC) return void res.writeHead(404, { 'content-type': 'text/plain' }).end('404 page not found\n');
        res.writeHead(200, { 'content-type': 'application/proto' }).end();
      });
    });
    await new Promise<void>((r) => srv.listen(0, '127.0.0.1', r));
    const u = `http://127.0.0.1:${(srv.address() as AddressInfo).port}`;
    try {
      const c = new FlyteClient({ baseUrl: u, origins: [u], http: new HttpClient(noSleep), org: 'demo', accessToken: 't', expiresAt: Date.now() + 3_600_000 });
      await c.listSecrets(PD);
      await c.listSecrets({ org: 'demo', domain: 'development' });
      await c.listSecrets(ORG);
      const selects = bodies.filter((_, i) => i % 2 === 0).map((b) => fromBinary(SelectClusterRequestSchema, b));
      assert.deepEqual(
        selects.map((s) => [s.operation, s.resource.case, s.resource.value && 'name' in s.resource.value ? s.resource.value.name : undefined]),
        [
          [8, 'projectId', 'flytesnacks'],
          [8, 'domainId', 'development'],
          [8, 'orgId', 'demo'],
        ],
      );
    } finally {
      srv.closeAllConnections();
      srv.close();
    }
  });
});
