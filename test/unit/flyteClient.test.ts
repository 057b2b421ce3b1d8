// The Flyte client (src/core/platforms/flyte/client.ts) against the Flyte emulator: the scopes a
// connection lists, each scope's own secrets (project/domain, domain, org-wide), add / update /
// delete (404 → alreadyGone, 409 → ConflictError), the name rule, the reference text, the lookup
// chain and scope labels, and how the service's failures become typed errors.
import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, it } from 'node:test';
import { AuthError, ConflictError, HttpError, NotFoundError, PermissionError, ProtocolError, ValidationError } from '../../src/core/errors';
import { HttpClient } from '../../src/core/http/httpClient';
import { FlyteClient, FlyteClientOptions } from '../../src/core/platforms/flyte/client';
import { discoverFlyteAuth } from '../../src/core/platforms/flyte/oauth';
import type { SecretReference } from '../../src/core/references/reference';
import type { ScopeRef } from '../../src/core/platforms/types';
import { FlyteEmulator, startFlyteEmulator } from '../emulators/flyte/server';

const noSleep = { sleep: async () => undefined, random: () => 0.5, maxRetries: 0 };
const enc = (s: string) => new TextEncoder().encode(s);
const dec = (b: Uint8Array) => new TextDecoder().decode(b);
const ORG: ScopeRef = { org: 'demo' };
const D: ScopeRef = { org: 'demo', domain: 'development' };
const PD: ScopeRef = { org: 'demo', project: 'flytesnacks', domain: 'development' };
const REF: SecretReference = { syntax: 'flyte', text: 'flyte.Secret(key="x")', start: 0, end: 21, name: 'x' };

/** Awaits a rejection and returns the error. */
async function rejection(p: Promise<unknown>): Promise<Error> {
  try {
    await p;
  } catch (e) {
    return e as Error;
  }
  assert.fail('expected a rejection');
}

describe('FlyteClient against the Flyte emulator', () => {
  let emu: FlyteEmulator;
  let client: FlyteClient;

  function make(o: Partial<FlyteClientOptions> = {}): FlyteClient {
    return new FlyteClient({
      baseUrl: emu.url,
      origins: [emu.url],
      http: new HttpClient(noSleep),
      org: emu.org,
      project: 'flytesnacks',
      domain: 'development',
      accessToken: emu.tokens.mint(),
      expiresAt: Date.now() + 3_600_000,
      ...o,
    });
  }
  /** The SecretService / ClusterService methods called since `from`, by name. */
  const calls = (from: number) => emu.requests.slice(from).map((r) => r.path.split('/').pop());
  const onList = (_method: string, path: string) => path === '/flyteidl2.secret.SecretService/ListSecrets';

  before(async () => {
    emu = await startFlyteEmulator();
  });
  after(() => emu.close());
  beforeEach(() => {
    emu.faults.clear();
    emu.state.secrets.clear();
    // The same secrets for each test (like the emulator's seed): org-wide, a system one, a domain's, a project/domain's.
    emu.state.setSecret({ name: 'openai-key', value: 'sk-org', createdTime: '2026-05-01T10:00:00Z' });
    emu.state.setSecret({ name: 'ghcr-pull', type: 'SECRET_TYPE_IMAGE_PULL_SECRET', value: '{"auths":{}}', createdTime: '2026-05-01T10:03:00Z' });
    emu.state.setSecret({ name: 'EAGER_API_KEY', system: true, value: 'system' });
    emu.state.setSecret({ name: 'wandb-key', domain: 'development', value: 'wandb', createdTime: '2026-05-01T10:01:00Z' });
    emu.state.setSecret({ name: 'hf-token', domain: 'development', project: 'flytesnacks', value: 'hf', createdTime: '2026-05-01T10:02:00Z', clusterPresence: { c2: 'MISSING' } });
    client = make();
  });

  describe('listScopes', () => {
    it('project + domain: the project/domain scope (default), then the domain, then the org', async () => {
      const scopes = await client.listScopes();
      assert.deepEqual(
        scopes.map((s) => [s.id, s.label, s.description, s.isDefault, s.complete]),
        [
          ['flytesnacks/development', 'flytesnacks / development', 'project + domain', true, true],
          ['domain/development', 'development', 'domain-wide', false, true],
          ['org', 'demo (org-wide)', 'every project and domain', false, true],
        ],
      );
      assert.deepEqual(
        scopes.map((s) => s.ref),
        [PD, D, ORG],
      );
    });

    it('a domain alone is the default; without a domain the org is; a cluster pool shows on the org row', async () => {
      const domainOnly = await make({ project: undefined }).listScopes();
      assert.deepEqual(
        domainOnly.map((s) => [s.id, s.isDefault]),
        [
          ['domain/development', true],
          ['org', false],
        ],
      );
      // A project without a domain names no scope of its own.
      const noDomain = await make({ domain: undefined, clusterPool: 'gpu-pool' }).listScopes();
      assert.deepEqual(
        noDomain.map((s) => [s.id, s.label, s.description, s.isDefault]),
        [['org', 'demo (org-wide)', 'every project and domain · cluster pool gpu-pool', true]],
      );
      const noOrg = await make({ org: undefined, domain: undefined }).listScopes();
      assert.deepEqual(
        noOrg.map((s) => [s.label, s.ref]),
        [['org-wide', { org: undefined }]],
      );
    });
  });

  describe('listSecrets', () => {
    it('org-wide: only the org-wide secrets (not the domain or project ones the server also returns, not system secrets)', async () => {
      const list = await client.listSecrets(ORG);
      assert.deepEqual(list.map((s) => s.name).sort(), ['ghcr-pull', 'openai-key']);
      const byName = Object.fromEntries(list.map((s) => [s.name, s]));
      assert.deepEqual(byName['openai-key'], { name: 'openai-key', type: undefined, scope: 'org-wide', createdAt: '2026-05-01T10:00:00Z', status: undefined });
      assert.equal(byName['ghcr-pull'].type, 'image pull');
      assert.equal(byName['ghcr-pull'].createdAt, '2026-05-01T10:03:00Z');
    });

    it('a domain: its own secrets, labelled "domain D"', async () => {
      const list = await client.listSecrets(D);
      assert.deepEqual(
        list.map((s) => [s.name, s.scope, s.createdAt]),
        [['wandb-key', 'domain development', '2026-05-01T10:01:00Z']],
      );
    });

    it('a project/domain: its secrets, with the clusters a partially present one is missing on', async () => {
      const list = await client.listSecrets(PD);
      assert.deepEqual(
        list.map((s) => [s.name, s.scope, s.status]),
        [['hf-token', 'flytesnacks/development', 'partially present — missing on c2']],
      );
      emu.state.setPresence('hf-token', { domain: 'development', project: 'flytesnacks' }, 'c1', 'UNKNOWN');
      assert.equal((await client.listSecrets(PD))[0].status, 'presence unknown');
      emu.state.setPresence('hf-token', { domain: 'development', project: 'flytesnacks' }, 'c1', 'PRESENT');
      emu.state.setPresence('hf-token', { domain: 'development', project: 'flytesnacks' }, 'c2', 'PRESENT');
      assert.equal((await client.listSecrets(PD))[0].status, undefined);
    });

    it('reads every page: more secrets than one page holds all come back, once each', async () => {
      const names = Array.from({ length: 230 }, (_, i) => `bulk-${String(i).padStart(3, '0')}`);
      for (const name of names) emu.state.setSecret({ name, value: 'v' });
      const from = emu.requests.length;
      const listed = (await client.listSecrets(ORG)).map((s) => s.name);
      assert.equal(listed.length, names.length + 2);
      assert.deepEqual(listed.filter((n) => n.startsWith('bulk-')).sort(), names);
      assert.ok(calls(from).filter((m) => m === 'ListSecrets').length >= 3, 'three pages of 100 or more');
    });

    it('an empty scope is an empty list', async () => {
      assert.deepEqual(await client.listSecrets({ org: 'demo', domain: 'production' }), []);
    });
  });

  describe('add, update, delete', () => {
    it('adds in each scope, as bytes, where that scope lists it and no other', async () => {
      await client.addSecret(PD, { name: 'new-pd', value: enc('value pd') });
      await client.addSecret(D, { name: 'new-d', value: enc('value d') });
      await client.addSecret(ORG, { name: 'new-org', value: new Uint8Array([0, 255, 7]) });
      assert.equal(dec(emu.state.getSecret('new-pd', { domain: 'development', project: 'flytesnacks' })!.value), 'value pd');
      assert.equal(dec(emu.state.getSecret('new-d', { domain: 'development' })!.value), 'value d');
      const org = emu.state.getSecret('new-org')!;
      assert.deepEqual([...org.value], [0, 255, 7]);
      assert.equal(org.valueField, 'binaryValue');
      assert.equal(org.type, 'SECRET_TYPE_GENERIC');
      assert.equal(emu.state.getSecret('new-d'), undefined, 'not org-wide');
      assert.deepEqual(
        (await client.listSecrets(D)).map((s) => s.name).sort(),
        ['new-d', 'wandb-key'],
      );
      assert.ok(!(await client.listSecrets(ORG)).some((s) => s.name === 'new-d' || s.name === 'new-pd'));
    });

    it('an image-pull secret is a dockerconfigjson, org-wide only', async () => {
      await client.addSecret(ORG, { name: 'registry', type: 'image_pull', values: { registry: 'ghcr.io', username: 'bot', password: 'pw-123' } });
      const stored = emu.state.getSecret('registry')!;
      assert.equal(stored.type, 'SECRET_TYPE_IMAGE_PULL_SECRET');
      assert.deepEqual(JSON.parse(dec(stored.value)), { auths: { 'ghcr.io': { username: 'bot', password: 'pw-123', auth: Buffer.from('bot:pw-123').toString('base64') } } });
      const from = emu.requests.length;
      const e = await rejection(client.addSecret(D, { name: 'registry2', type: 'image_pull', values: { registry: 'ghcr.io', username: 'bot', password: 'pw' } }));
      assert.ok(e instanceof ValidationError);
      assert.equal(e.message, 'Image-pull secrets must be org-wide: give no project or domain.');
      assert.deepEqual(calls(from), [], 'nothing was sent');
    });

    it('a name that exists in the scope is a 409: ConflictError, and the stored value stays', async () => {
      const e = await rejection(client.addSecret(ORG, { name: 'openai-key', value: enc('other') }));
      assert.ok(e instanceof ConflictError, String(e));
      assert.equal(e.status, 409);
      assert.match(e.message, /^Couldn't create 'openai-key' \(org-wide\): a secret with that name already exists in that scope .*Use Update Secret to change it\.$/);
      assert.equal(dec(emu.state.getSecret('openai-key')!.value), 'sk-org');
      // The same name in another scope is another secret.
      await client.addSecret(D, { name: 'openai-key', value: enc('domain one') });
      assert.equal(dec(emu.state.getSecret('openai-key', { domain: 'development' })!.value), 'domain one');
    });

    it('updates the value in place; updating a missing secret is NotFoundError', async () => {
      await client.updateSecret(D, 'wandb-key', { value: enc('rotated') });
      assert.equal(dec(emu.state.getSecret('wandb-key', { domain: 'development' })!.value), 'rotated');
      assert.equal(emu.state.getSecret('wandb-key', { domain: 'development' })!.createdTime, '2026-05-01T10:01:00Z');
      const e = await rejection(client.updateSecret(ORG, 'wandb-key', { value: enc('x') }));
      assert.ok(e instanceof NotFoundError, String(e));
      assert.match(e.message, /^Not found while trying to update 'wandb-key' \(org-wide\)/);
      assert.equal(emu.state.getSecret('wandb-key'), undefined, 'no org-wide one was created');
    });

    it('deletes; a secret that is already gone (404) is alreadyGone, not an error', async () => {
      assert.deepEqual(await client.deleteSecret(PD, 'hf-token'), { alreadyGone: false });
      assert.equal(emu.state.getSecret('hf-token', { domain: 'development', project: 'flytesnacks' }), undefined);
      assert.deepEqual(await client.deleteSecret(PD, 'hf-token'), { alreadyGone: true });
      // Only that scope's secret: the org-wide one of the same name stays.
      emu.state.setSecret({ name: 'twin', value: 'org' });
      emu.state.setSecret({ name: 'twin', domain: 'development', value: 'domain' });
      assert.deepEqual(await client.deleteSecret(D, 'twin'), { alreadyGone: false });
      assert.equal(dec(emu.state.getSecret('twin')!.value), 'org');
    });

    it('a project without a domain, a bad name or a missing value is refused before anything is sent', async () => {
      const from = emu.requests.length;
      const noDomain = await rejection(client.addSecret({ org: 'demo', project: 'flytesnacks' }, { name: 'x', value: enc('v') }));
      assert.ok(noDomain instanceof ValidationError);
      assert.equal(noDomain.message, 'A project-scoped Flyte secret needs a domain too (the service requires it).');
      const delNoDomain = await rejection(client.deleteSecret({ org: 'demo', project: 'flytesnacks' }, 'x'));
      assert.ok(delNoDomain instanceof ValidationError);
      const badName = await rejection(client.addSecret(ORG, { name: 'bad name', value: enc('v') }));
      assert.ok(badName instanceof ValidationError);
      assert.match(badName.message, /not a valid Flyte secret name/);
      assert.ok((await rejection(client.deleteSecret(ORG, 'bad/name'))) instanceof ValidationError);
      const noValue = await rejection(client.addSecret(ORG, { name: 'empty', value: new Uint8Array(0) }));
      assert.ok(noValue instanceof ValidationError);
      assert.equal(noValue.message, 'A value is required.');
      const badType = await rejection(client.addSecret(ORG, { name: 'typed', type: 'ssh', value: enc('v') }));
      assert.ok(badType instanceof ValidationError);
      assert.equal(badType.message, "Unknown Flyte secret type 'ssh': use regular or image_pull.");
      assert.deepEqual(calls(from), []);
    });
  });

  describe('names, references, scopes', () => {
    it('validateName: letters, digits, - and _ only', () => {
      assert.equal(client.validateName('openai-key_2'), undefined);
      assert.equal(client.validateName(''), 'A secret name is required.');
      assert.equal(client.validateName('has space'), "'has space' is not a valid Flyte secret name: use letters, digits, '-' and '_' only (^[-a-zA-Z0-9_]+$).");
      assert.match(client.validateName('dots.not.allowed') ?? '', /not a valid Flyte secret name/);
      assert.match(client.validateName('ünïcode') ?? '', /not a valid Flyte secret name/);
    });

    it('reference(): the SDK spelling, whatever the scope', () => {
      assert.equal(client.reference(PD, 'hf-token'), 'flyte.Secret(key="hf-token")');
      assert.equal(client.reference(ORG, 'openai-key'), 'flyte.Secret(key="openai-key")');
    });

    it("scopeFor(): the runtime's lookup order from the connection's own scope", () => {
      assert.deepEqual(client.scopeFor(REF), [PD, D, ORG]);
      assert.deepEqual(make({ project: undefined }).scopeFor(REF), [D, ORG]);
      assert.deepEqual(make({ project: undefined, domain: undefined }).scopeFor(REF), [ORG]);
      // A project without a domain is not a scope the runtime looks in.
      assert.deepEqual(make({ domain: undefined }).scopeFor(REF), [ORG]);
    });

    it('scopeLabel(): project/domain, domain D, org-wide', () => {
      assert.equal(client.scopeLabel(PD), 'flytesnacks/development');
      assert.equal(client.scopeLabel(D), 'domain development');
      assert.equal(client.scopeLabel(ORG), 'org-wide');
      assert.equal(client.scopeLabel({ org: 'demo', project: 'flytesnacks' }), 'org-wide');
    });

    it('says what it can do: native update, file values, no sharing (and why)', () => {
      assert.equal(client.platform, 'flyte');
      assert.equal(client.capabilities.update, 'native');
      assert.equal(client.capabilities.share, false);
      assert.equal(client.capabilities.fileValues, true);
      assert.match(client.capabilities.shareUnsupportedReason ?? '', /no per-user sharing/);
      assert.equal(client.org, 'demo');
    });
  });

  describe('typed errors', () => {
    it('401 with a pasted token: AuthError, asked once (nothing to renew it with)', async () => {
      emu.faults.next({ status: 401, match: onList });
      const from = emu.requests.length;
      const e = await rejection(client.listSecrets(ORG));
      assert.ok(e instanceof AuthError, String(e));
      assert.equal(e.message, 'Flyte did not accept the token when trying to list the secrets of org-wide. Sign in again.');
      assert.deepEqual(calls(from), ['SelectCluster', 'ListSecrets']);
    });

    it('an expired token with client credentials: renewed at the token endpoint once, the call goes through, the new token is reported', async () => {
      const auth = await discoverFlyteAuth(new HttpClient(noSleep), emu.url);
      const tokens: string[] = [];
      const c = make({ clientId: emu.clientId, clientSecret: emu.clientSecret, auth, onToken: (t) => tokens.push(t) });
      emu.expireAllTokens();
      const from = emu.requests.length;
      assert.deepEqual((await c.listSecrets(D)).map((s) => s.name), ['wandb-key']);
      assert.equal(tokens.length, 1);
      assert.equal(calls(from).filter((m) => m === 'token').length, 1);
    });

    it('403: PermissionError with the server message', async () => {
      emu.faults.next({ status: 403, body: JSON.stringify({ code: 'permission_denied', message: 'no access to demo' }), match: onList });
      const e = await rejection(client.listSecrets(ORG));
      assert.ok(e instanceof PermissionError, String(e));
      assert.equal(e.message, 'Flyte refused to list the secrets of org-wide: no access to demo');
    });

    it("another org's scope: the service's permission_denied, as PermissionError from SelectCluster", async () => {
      const e = await rejection(client.listSecrets({ org: 'other-org' }));
      assert.ok(e instanceof PermissionError, String(e));
      assert.match(e.message, /^SelectCluster failed for OPERATION_USE_SECRETS: Flyte refused to find the cluster that holds the secrets of org-wide/);
    });

    it('5xx: HttpError with the status (500 internal, 503 unavailable), not retried when the client allows none', async () => {
      emu.faults.next({ status: 500, body: JSON.stringify({ code: 'internal', message: 'database is down' }), match: onList });
      const e500 = await rejection(client.listSecrets(ORG));
      assert.ok(e500 instanceof HttpError && !(e500 instanceof NotFoundError), String(e500));
      assert.equal(e500.status, 500);
      assert.equal(e500.message, 'Flyte had an error (internal, 500) trying to list the secrets of org-wide: database is down');
      emu.faults.next({ status: 503, match: (_m, p) => p.endsWith('/CreateSecret') });
      const from = emu.requests.length;
      const e503 = await rejection(client.addSecret(ORG, { name: 'later', value: enc('v') }));
      assert.ok(e503 instanceof HttpError, String(e503));
      assert.equal(e503.status, 503);
      assert.match(e503.message, /^Flyte is unavailable; couldn't create 'later' \(org-wide\)/);
      assert.deepEqual(calls(from), ['CreateSecret']);
      assert.equal(emu.state.getSecret('later'), undefined);
    });

    it('429: HttpError 429 (rate-limited)', async () => {
      emu.faults.next({ status: 429, match: onList });
      const e = await rejection(client.listSecrets(D));
      assert.ok(e instanceof HttpError, String(e));
      assert.equal(e.status, 429);
      assert.equal(e.message, "Flyte is rate-limiting requests; couldn't list the secrets of domain development. Try again shortly.");
    });

    it('garbage: a 200 whose body is no message, or an HTML page, is a ProtocolError, never a list', async () => {
      emu.faults.next({ status: 200, body: '\n\u007fcut short', headers: { 'content-type': 'application/proto' }, match: onList });
      const garbage = await rejection(client.listSecrets(ORG));
      assert.ok(garbage instanceof ProtocolError, String(garbage));
      assert.equal(garbage.message, 'Flyte answered with a message that could not be read while trying to list the secrets of org-wide.');
      emu.faults.next({ status: 200, body: '<html><body>Sign in</body></html>', headers: { 'content-type': 'text/html' }, match: onList });
      const html = await rejection(client.listSecrets(ORG));
      assert.ok(html instanceof ProtocolError, String(html));
      assert.match(html.message, /\(an HTML page: a sign-in page or proxy\?\)\.$/);
    });

    it('a delete that fails for another reason than 404 is an error, not alreadyGone', async () => {
      emu.faults.next({ status: 500, match: (_m, p) => p.endsWith('/DeleteSecret') });
      const e = await rejection(client.deleteSecret(ORG, 'openai-key'));
      assert.ok(e instanceof HttpError && e.status === 500, String(e));
      assert.ok(emu.state.getSecret('openai-key'), 'still there');
    });
  });
});
