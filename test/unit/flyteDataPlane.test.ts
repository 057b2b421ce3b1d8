// Flyte / Union data planes: every secret call is routed through ClusterService/SelectCluster
// (OPERATION_USE_SECRETS, by the secret's scope) and goes to the endpoint it names — with the same
// token, over https or loopback only, and nowhere else. docs/platform-apis.md §4.5.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import * as http from 'node:http';
import { AddressInfo } from 'node:net';
import { HttpClient } from '../../src/core/http/httpClient';
import { AuthError, HttpError, NotFoundError, ProtocolError } from '../../src/core/errors';
import { FlyteClient } from '../../src/core/platforms/flyte/client';
import type { ScopeRef } from '../../src/core/platforms/types';
import { FlyteEmulator, FlyteEmulatorOptions, LoggedRequest, startFlyteEmulator } from '../emulators/flyte/server';

const SC = '/flyteidl2.cluster.ClusterService/SelectCluster';
const SVC = '/flyteidl2.secret.SecretService';
const noSleep = { sleep: async () => undefined, random: () => 0.5, maxRetries: 0 };
const enc = (s: string) => new TextEncoder().encode(s);
const ORG: ScopeRef = { org: 'demo' };
const PD: ScopeRef = { org: 'demo', project: 'flytesnacks', domain: 'development' };
const D: ScopeRef = { org: 'demo', domain: 'development' };

function flyte(emu: FlyteEmulator, o: { log?: string[] } = {}): FlyteClient {
  return new FlyteClient({
    baseUrl: emu.url,
    origins: [emu.url],
    http: new HttpClient(noSleep),
    org: emu.org,
    project: 'flytesnacks',
    domain: 'development',
    accessToken: emu.tokens.mint(),
    expiresAt: Date.now() + 3_600_000,
    log: o.log ? (_level, m) => o.log!.push(m) : undefined,
  });
}

/** "<listener> <method>" for every Connect call since `from`. */
const trail = (emu: FlyteEmulator, from = 0): string[] => emu.requests.slice(from).map((r: LoggedRequest) => `${r.listener} ${r.path.split('/').pop()}`);
const selects = (emu: FlyteEmulator, from = 0): Array<Record<string, unknown>> => emu.requests.slice(from).filter((r) => r.path === SC).map((r) => JSON.parse(r.body));

async function raw(url: string, path: string, body: unknown, token?: string): Promise<{ status: number; json: any }> {
  const res = await fetch(`${url}${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'connect-protocol-version': '1', ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
  const text = await res.text();
  let json: any;
  try {
    json = JSON.parse(text);
  } catch {
    json = text;
  }
  return { status: res.status, json };
}

describe('flyte emulator: ClusterService/SelectCluster', () => {
  let emu: FlyteEmulator;
  let token: string;
  before(async () => {
    emu = await startFlyteEmulator({ seed: true, dataPlane: { scopes: [{}, { domain: 'development', project: 'flytesnacks' }] } });
    token = emu.tokens.mint();
  });
  after(() => emu.close());

  it('routes the configured scopes to the data-plane listener; others get an empty endpoint', async () => {
    assert.match(emu.dataPlaneUrl ?? '', /^http:\/\/127\.0\.0\.1:\d+$/);
    assert.notEqual(emu.dataPlaneUrl, emu.url);
    const org = await raw(emu.url, SC, { operation: 'OPERATION_USE_SECRETS', orgId: { name: 'demo' } }, token);
    assert.deepEqual(org, { status: 200, json: { clusterEndpoint: emu.dataPlaneUrl, cluster: 'c1' } });
    const pd = await raw(emu.url, SC, { operation: 'OPERATION_USE_SECRETS', projectId: { organization: 'demo', name: 'flytesnacks', domain: 'development' } }, token);
    assert.equal(pd.json.clusterEndpoint, emu.dataPlaneUrl);
    // snake_case names and the enum number are accepted too (the JSON codec)
    const snake = await raw(emu.url, SC, { operation: 8, project_id: { organization: 'demo', name: 'flytesnacks', domain: 'development' } }, token);
    assert.equal(snake.json.clusterEndpoint, emu.dataPlaneUrl);
    const dom = await raw(emu.url, SC, { operation: 'OPERATION_USE_SECRETS', domainId: { organization: 'demo', name: 'development' } }, token);
    assert.deepEqual(dom, { status: 200, json: {} });
  });

  it('validates like protovalidate: resource required, operation not UNSPECIFIED, identifiers filled; only OPERATION_USE_SECRETS', async () => {
    const bad: Array<[unknown, RegExp]> = [
      [{ operation: 'OPERATION_USE_SECRETS' }, /resource: exactly one field is required in oneof/],
      [{ orgId: { name: 'demo' } }, /operation: value must not be in list \[0\]/],
      [{ operation: 'OPERATION_NOPE', orgId: { name: 'demo' } }, /operation: value must not be in list \[0\]/],
      [{ operation: 'OPERATION_USE_SECRETS', domainId: { organization: 'demo' } }, /domain_id\.name: value length must be at least 1/],
      [{ operation: 'OPERATION_USE_SECRETS', projectId: { organization: 'demo', name: 'p' } }, /project_id\.domain: value length must be at least 1/],
      [{ operation: 'OPERATION_USE_SECRETS', orgId: { name: 'Demo_Org' } }, /org_id\.name: value does not match regex/],
      [{ operation: 'OPERATION_TAIL_LOGS', orgId: { name: 'demo' } }, /only OPERATION_USE_SECRETS/],
      [{ operation: 'OPERATION_USE_SECRETS', taskId: {} }, /not task_id/],
      [{ operation: 'OPERATION_USE_SECRETS', orgId: { name: 'demo' }, domainId: { organization: 'demo', name: 'd' } }, /oneof flyteidl2\.cluster\.SelectClusterRequest\.resource/],
      ['{"operation": "OPERATION_USE_SECRETS", "orgId": {"name": 1}}', /cannot decode field flyteidl2\.common\.OrgIdentifier\.name from JSON/],
    ];
    for (const [body, re] of bad) {
      const r = await raw(emu.url, SC, body, token);
      assert.equal(r.status, 400, JSON.stringify(body));
      assert.equal(r.json.code, 'invalid_argument', JSON.stringify(body));
      assert.match(r.json.message, re, JSON.stringify(body));
    }
    const other = await raw(emu.url, SC, { operation: 'OPERATION_USE_SECRETS', orgId: { name: 'other' } }, token);
    assert.equal(other.json.code, 'permission_denied');
    const anon = await raw(emu.url, SC, { operation: 'OPERATION_USE_SECRETS', orgId: { name: 'demo' } });
    assert.equal(anon.json.code, 'unauthenticated');
  });

  it('each listener refuses the SecretService calls of scopes it does not hold (failed_precondition); the data plane serves nothing else', async () => {
    const cpOrg = await raw(emu.url, `${SVC}/ListSecrets`, { organization: 'demo' }, token);
    assert.equal(cpOrg.json.code, 'failed_precondition');
    assert.match(cpOrg.json.message, /SelectCluster/);
    const cpCreate = await raw(emu.url, `${SVC}/CreateSecret`, { id: { name: 'x', domain: 'development', project: 'flytesnacks' }, secretSpec: { binaryValue: 'eA==' } }, token);
    assert.equal(cpCreate.json.code, 'failed_precondition');
    const dpDomain = await raw(emu.dataPlaneUrl!, `${SVC}/ListSecrets`, { organization: 'demo', domain: 'development' }, token);
    assert.equal(dpDomain.json.code, 'failed_precondition');
    const cpDomain = await raw(emu.url, `${SVC}/ListSecrets`, { organization: 'demo', domain: 'development' }, token);
    assert.equal(cpDomain.status, 200);
    const dpOrg = await raw(emu.dataPlaneUrl!, `${SVC}/ListSecrets`, { organization: 'demo' }, token);
    assert.equal(dpOrg.status, 200);
    assert.ok(dpOrg.json.secrets.length > 0);
    for (const p of [SC, '/flyteidl2.auth.AuthMetadataService/GetOAuth2Metadata', '/oauth2/token']) {
      const r = await raw(emu.dataPlaneUrl!, p, {}, token);
      assert.equal(r.status, 404, p);
    }
  });

  it('default (no data plane): SelectCluster answers an empty endpoint; selectClusterSelf: its own URL; clusterService: false: Go 404', async () => {
    for (const [o, want] of [
      [{}, {}],
      [{ selectClusterSelf: 'self' }, 'self'],
    ] as Array<[FlyteEmulatorOptions, unknown]>) {
      const e = await startFlyteEmulator(o);
      try {
        const r = await raw(e.url, SC, { operation: 'OPERATION_USE_SECRETS', orgId: { name: 'demo' } }, e.tokens.mint());
        assert.equal(r.status, 200);
        assert.deepEqual(r.json, want === 'self' ? { clusterEndpoint: e.url } : want);
        assert.equal(e.dataPlaneUrl, undefined);
      } finally {
        await e.close();
      }
    }
    const old = await startFlyteEmulator({ clusterService: false });
    try {
      const r = await raw(old.url, SC, { operation: 'OPERATION_USE_SECRETS', orgId: { name: 'demo' } }, old.tokens.mint());
      assert.equal(r.status, 404);
      assert.equal(r.json, '404 page not found\n');
    } finally {
      await old.close();
    }
  });
});

describe('flyte client: secrets go where SelectCluster says', () => {
  let emu: FlyteEmulator;
  before(async () => {
    // Org-wide and flytesnacks/development live on the data plane; domain-wide stays on the control plane.
    emu = await startFlyteEmulator({ seed: true, dataPlane: { scopes: [{}, { domain: 'development', project: 'flytesnacks' }] } });
  });
  after(() => emu.close());

  it('list/create/update/delete of an org-wide and a project/domain secret: SelectCluster on the control plane, then the data plane', async () => {
    const c = flyte(emu);
    for (const ref of [ORG, PD]) {
      const from = emu.requests.length;
      const before = await c.listSecrets(ref);
      await c.addSecret(ref, { name: 'dp-secret', value: enc('v1') });
      await c.updateSecret(ref, 'dp-secret', { value: enc('v2') });
      const listed = await c.listSecrets(ref);
      assert.equal(listed.length, before.length + 1);
      assert.deepEqual(await c.deleteSecret(ref, 'dp-secret'), { alreadyGone: false });
      assert.deepEqual(trail(emu, from), ['control SelectCluster', 'data ListSecrets', 'data CreateSecret', 'data UpdateSecret', 'data ListSecrets', 'data DeleteSecret']);
      const [sel] = selects(emu, from);
      assert.deepEqual(
        sel,
        ref.project ? { operation: 'OPERATION_USE_SECRETS', projectId: { organization: 'demo', name: 'flytesnacks', domain: 'development' } } : { operation: 'OPERATION_USE_SECRETS', orgId: { name: 'demo' } },
      );
      assert.equal(emu.state.getSecret('dp-secret', ref), undefined);
    }
    // The seeded project secret is there, through the data plane.
    assert.deepEqual((await c.listSecrets(PD)).map((s) => s.name), ['hf-token']);
  });

  it('a domain-wide scope SelectCluster leaves on the control plane goes there; one SelectCluster per scope for the client', async () => {
    const c = flyte(emu);
    const from = emu.requests.length;
    await c.listSecrets(D);
    await c.addSecret(D, { name: 'cp-secret', value: enc('v') });
    await c.listSecrets(ORG);
    await c.deleteSecret(D, 'cp-secret');
    await c.listSecrets(ORG);
    await c.listSecrets(PD);
    assert.deepEqual(trail(emu, from), [
      'control SelectCluster',
      'control ListSecrets',
      'control CreateSecret',
      'control SelectCluster',
      'data ListSecrets',
      'control DeleteSecret',
      'data ListSecrets',
      'control SelectCluster',
      'data ListSecrets',
    ]);
    assert.deepEqual(selects(emu, from)[0], { operation: 'OPERATION_USE_SECRETS', domainId: { organization: 'demo', name: 'development' } });
    // Concurrent calls for a new client share one lookup.
    const c2 = flyte(emu);
    const from2 = emu.requests.length;
    await Promise.all([c2.listSecrets(ORG), c2.listSecrets(ORG), c2.listSecrets(ORG)]);
    assert.equal(selects(emu, from2).length, 1);
  });

  it('a failing SelectCluster aborts the command and is not cached; the next call asks again', async () => {
    const c = flyte(emu);
    emu.faults.next({ status: 503, match: (_m, p) => p === SC });
    const from = emu.requests.length;
    await assert.rejects(c.listSecrets(ORG), (e: Error) => e instanceof HttpError && /^SelectCluster failed for OPERATION_USE_SECRETS: /.test(e.message));
    assert.deepEqual(trail(emu, from), ['control SelectCluster'], 'no SecretService call after the failure');
    emu.faults.next({ status: 400, body: JSON.stringify({ code: 'invalid_argument', message: 'bad scope' }), match: (_m, p) => p === SC });
    await assert.rejects(c.listSecrets(ORG), /SelectCluster failed for OPERATION_USE_SECRETS: .*bad scope/);
    // not_found from SelectCluster never reads as "already gone" for a delete
    emu.faults.next({ status: 404, body: JSON.stringify({ code: 'not_found', message: 'no such project' }), match: (_m, p) => p === SC });
    await assert.rejects(c.deleteSecret(ORG, 'openai-key'), (e: Error) => e instanceof HttpError && !(e instanceof NotFoundError) && /^SelectCluster failed for OPERATION_USE_SECRETS: .*no such project/.test(e.message));
    emu.faults.next({ status: 401, body: JSON.stringify({ code: 'unauthenticated' }), match: (_m, p) => p === SC });
    await assert.rejects(c.listSecrets(ORG), (e: Error) => e instanceof AuthError && /^SelectCluster failed/.test(e.message));
    await c.listSecrets(ORG);
    await c.listSecrets(ORG);
    assert.deepEqual(trail(emu, from), ['control SelectCluster', 'control SelectCluster', 'control SelectCluster', 'control SelectCluster', 'control SelectCluster', 'data ListSecrets', 'data ListSecrets']);
    assert.ok(emu.state.getSecret('openai-key'), 'not deleted');
  });

  it('the token goes only to the control plane and the endpoint SelectCluster named', async () => {
    const c = flyte(emu);
    const from = emu.requests.length;
    await c.listSecrets(ORG);
    await c.listSecrets(D);
    const got = emu.requests.slice(from);
    assert.ok(got.every((r) => /^Bearer /.test(String(r.headers.authorization))));
    assert.deepEqual([...new Set(got.map((r) => r.listener))].sort(), ['control', 'data']);
    assert.ok(got.filter((r) => r.listener === 'data').every((r) => String(r.headers.host) === new URL(emu.dataPlaneUrl!).host));
  });

  it("the token never goes to another origin than those, even when the data plane redirects", async () => {
    const seen: string[] = [];
    const evil = http.createServer((req, res) => {
      seen.push(String(req.headers.authorization ?? ''));
      res.writeHead(200, { 'content-type': 'application/json' }).end('{}');
    });
    await new Promise<void>((r) => evil.listen(0, '127.0.0.1', r));
    const evilOrigin = `http://127.0.0.1:${(evil.address() as AddressInfo).port}`;
    try {
      const c = flyte(emu);
      emu.faults.next({ status: 307, headers: { location: `${evilOrigin}${SVC}/ListSecrets` }, body: '', match: (_m, p) => p === `${SVC}/ListSecrets` });
      await assert.rejects(c.listSecrets(ORG), (e: Error) => e instanceof ProtocolError && /Refused .*credentials/.test(e.message));
      assert.deepEqual(seen, []);
      // The data plane's origin is bound for the calls of the scope routed there only: a
      // control-plane call (the domain scope) redirected to the data plane is refused too.
      const from = emu.requests.length;
      emu.faults.next({ status: 307, headers: { location: `${emu.dataPlaneUrl}${SVC}/ListSecrets` }, body: '', match: (_m, p) => p === `${SVC}/ListSecrets` });
      await assert.rejects(c.listSecrets(D), (e: Error) => e instanceof ProtocolError && /Refused .*credentials/.test(e.message));
      assert.deepEqual(trail(emu, from), ['control SelectCluster', 'control ListSecrets']);
    } finally {
      evil.closeAllConnections();
      evil.close();
    }
  });
});

describe('flyte client: data-plane endpoints it refuses or treats as the control plane', () => {
  const run = async (o: FlyteEmulatorOptions, fn: (emu: FlyteEmulator, c: FlyteClient, log: string[]) => Promise<void>) => {
    const emu = await startFlyteEmulator({ seed: true, ...o });
    try {
      const log: string[] = [];
      await fn(emu, flyte(emu, { log }), log);
    } finally {
      await emu.close();
    }
  };

  it('a plain-http endpoint that is not loopback is refused before anything is sent there', async () => {
    for (const advertise of ['http://dp.example.com:8080', 'http://10.1.2.3']) {
      await run({ dataPlane: { scopes: 'all', advertise } }, async (emu, c) => {
        await assert.rejects(c.listSecrets(ORG), (e: Error) => e instanceof ProtocolError && /plain http/.test(e.message) && e.message.includes(new URL(advertise).origin));
        assert.deepEqual(trail(emu), ['control SelectCluster']);
        // not cached: asked again
        await assert.rejects(c.addSecret(ORG, { name: 'x', value: enc('v') }), ProtocolError);
        assert.deepEqual(trail(emu), ['control SelectCluster', 'control SelectCluster']);
      });
    }
  });

  it('an endpoint that is not http(s) is refused', async () => {
    for (const advertise of ['ftp://dp.example.com', 'https://user:pw@dp.example.com', 'javascript:alert(1)']) {
      await run({ dataPlane: { scopes: 'all', advertise } }, async (_emu, c) => {
        await assert.rejects(c.listSecrets(ORG), ProtocolError, advertise);
      });
    }
  });

  it('dns:///host:port and a bare loopback host:port are the data plane, reached over http on loopback', async () => {
    for (const form of ['dns:///', '', 'http://']) {
      await run({ dataPlane: { scopes: 'all', advertise: (u) => `${form}${new URL(u).host}` } }, async (emu, c) => {
        assert.ok((await c.listSecrets(ORG)).length > 0);
        assert.deepEqual(trail(emu), ['control SelectCluster', 'data ListSecrets'], form);
      });
    }
  });

  it("the control plane's own URL (OSS) means the control plane", async () => {
    await run({ selectClusterSelf: 'self' }, async (emu, c) => {
      await c.listSecrets(ORG);
      await c.listSecrets(ORG);
      assert.deepEqual(trail(emu), ['control SelectCluster', 'control ListSecrets', 'control ListSecrets']);
    });
  });

  it('an older server without SelectCluster (404 / unimplemented): the control plane, cached, with a log line', async () => {
    await run({ clusterService: false }, async (emu, c, log) => {
      await c.listSecrets(ORG);
      await c.addSecret(ORG, { name: 'old-srv', value: enc('v') });
      await c.deleteSecret(ORG, 'old-srv');
      assert.deepEqual(trail(emu), ['control SelectCluster', 'control ListSecrets', 'control CreateSecret', 'control DeleteSecret']);
      assert.equal(log.length, 1);
      assert.match(log[0]!, /no ClusterService\/SelectCluster/);
    });
    await run({}, async (emu, c, log) => {
      emu.faults.next({ status: 501, body: JSON.stringify({ code: 'unimplemented', message: 'not here' }), match: (_m, p) => p === SC });
      await c.listSecrets(D);
      await c.listSecrets(D);
      assert.deepEqual(trail(emu), ['control SelectCluster', 'control ListSecrets', 'control ListSecrets']);
      assert.equal(log.length, 1);
    });
  });
});
