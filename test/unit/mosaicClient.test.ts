// The MosaicML client (src/core/platforms/mosaic/client.ts) against the MosaicML emulator:
// list, add (several types), update (delete + recreate), delete, and how GraphQL errors become
// typed errors that never carry a secret value.
import assert from 'node:assert/strict';
import { inspect } from 'node:util';
import { after, before, beforeEach, describe, it } from 'node:test';
import { AuthError, ConflictError, HttpError, NotFoundError, PermissionError, ProtocolError, ValidationError } from '../../src/core/errors';
import { HttpClient } from '../../src/core/http/httpClient';
import { MosaicClient } from '../../src/core/platforms/mosaic/client';
import { MosaicEmulator, startMosaicEmulator } from '../emulators/mosaic/server';

const enc = (s: string) => new TextEncoder().encode(s);
const VALUE = 'CANARY-value-7c1d-secret';
const S3_CREDENTIALS = '[default]\naws_access_key_id = CANARYAKID\naws_secret_access_key = CANARY-s3-secret\n';
const DOCKER_PASSWORD = 'CANARY-docker-pw-55';

/** The error's message, and everything util.inspect shows of it, hold none of the values. */
function assertNoValue(e: unknown, ...values: string[]): void {
  const shown = `${String(e)}\n${inspect(e, { depth: 5 })}`;
  for (const v of values) assert.ok(!shown.includes(v), `a value leaked into: ${shown}`);
}

/** Awaits a rejection and returns the error. */
async function rejection(p: Promise<unknown>): Promise<Error> {
  try {
    await p;
  } catch (e) {
    return e as Error;
  }
  assert.fail('expected a rejection');
}

describe('MosaicClient against the MosaicML emulator', () => {
  let emu: MosaicEmulator;
  let client: MosaicClient;
  const posts = () => emu.requests.filter((r) => r.method === 'POST').length;

  before(async () => {
    emu = await startMosaicEmulator();
  });
  after(() => emu.close());
  beforeEach(() => {
    emu.faults.clear();
    for (const m of emu.state.secrets.values()) m.clear();
    const http = new HttpClient({ timeoutMs: 5000, maxRetries: 0, sleep: async () => undefined });
    client = new MosaicClient({ endpoint: emu.endpoint, apiKey: emu.apiKeys.alice!, origins: [new URL(emu.url).origin], http });
    client.recreateOptions = { sleep: async () => undefined };
  });

  it('lists the user’s secrets with mcli’s type names and the env key / mount path as detail', async () => {
    emu.state.setSecret('alice', { name: 'wandb', type: 'ENV_VAR', metadata: { key: 'WANDB_API_KEY' }, value: VALUE, createdAt: '2024-01-02T03:04:05.678Z' });
    emu.state.setSecret('alice', { name: 'hf', type: 'ENV_VAR', metadata: { key: 'HF_TOKEN' }, value: VALUE });
    emu.state.setSecret('alice', { name: 'git', type: 'GIT_SSH', metadata: { mountPath: '/secrets/git' }, value: VALUE });
    emu.state.setSecret('alice', { name: 's3', type: 'S3', metadata: { mountDirectory: '/secrets/s3' }, value: { config: 'c', credentials: 'k' } });
    emu.state.setSecret('alice', { name: 'reg', type: 'DOCKER_REGISTRY', metadata: {}, value: { username: 'u', password: 'p', server: 's' } });
    emu.state.setSecret('bob', { name: 'bobs', type: 'ENV_VAR', value: VALUE });
    const list = await client.listSecrets({});
    assert.deepEqual(
      list.map((s) => [s.name, s.type, s.scope]),
      [
        ['wandb', 'environment', 'WANDB_API_KEY'],
        ['hf', 'hugging_face', 'HF_TOKEN'],
        ['git', 'git-ssh', '/secrets/git'],
        ['s3', 's3', '/secrets/s3'],
        ['reg', 'docker_registry', undefined],
      ],
    );
    assert.equal(list[0]!.createdAt, '2024-01-02T03:04:05.678Z');
    assert.ok(!JSON.stringify(list).includes(VALUE));
    // mcli's wire shape: the key verbatim, operationName, filters {}.
    const last = emu.requests.at(-1)!;
    assert.equal(last.headers.authorization, emu.apiKeys.alice);
    assert.equal(last.operationName, 'GetSecrets');
    assert.deepEqual(last.variables, { getSecretsData: { filters: {} } });
    assert.deepEqual(await client.listScopes().then((s) => s.map((x) => x.id)), ['user']);
  });

  it('adds an environment secret, a mounted file, S3 credentials and a docker registry', async () => {
    await client.addSecret({}, { name: 'openai', type: 'environment', value: enc(VALUE), extra: { envKey: 'OPENAI_API_KEY' } });
    await client.addSecret({}, { name: 'hf-token', type: 'hugging_face', value: enc('hf_x') });
    await client.addSecret({}, { name: 'cfg', type: 'mounted', value: enc('a=b\n'), extra: { mountPath: '/etc/app/cfg' } });
    await client.addSecret({}, { name: 'aws', type: 's3', values: { config: '[default]\nregion = x\n', credentials: S3_CREDENTIALS } });
    await client.addSecret({}, { name: 'ghcr', type: 'docker_registry', values: { username: 'me', password: DOCKER_PASSWORD, server: 'ghcr.io' } });
    const s = (n: string) => emu.state.getSecret('alice', n)!;
    assert.deepEqual([s('openai').type, s('openai').metadata, s('openai').value], ['ENV_VAR', { key: 'OPENAI_API_KEY' }, VALUE]);
    assert.deepEqual([s('hf-token').type, s('hf-token').metadata], ['ENV_VAR', { key: 'HF_TOKEN' }]);
    assert.deepEqual([s('cfg').type, s('cfg').metadata, s('cfg').value], ['MOUNTED', { mountPath: '/etc/app/cfg' }, 'a=b\n']);
    assert.deepEqual([s('aws').type, s('aws').metadata, s('aws').value], ['S3', { mountDirectory: '/secrets/aws' }, { config: '[default]\nregion = x\n', credentials: S3_CREDENTIALS }]);
    assert.deepEqual([s('ghcr').type, s('ghcr').metadata, s('ghcr').value], ['DOCKER_REGISTRY', {}, { username: 'me', password: DOCKER_PASSWORD, server: 'ghcr.io' }]);
    assert.deepEqual(
      (await client.listSecrets({})).map((x) => [x.name, x.type]),
      [
        ['openai', 'environment'],
        ['hf-token', 'hugging_face'],
        ['cfg', 'mounted'],
        ['aws', 's3'],
        ['ghcr', 'docker_registry'],
      ],
    );
  });

  it('update = delete + recreate: same type and metadata, new value, no leftover', async () => {
    emu.state.setSecret('alice', { name: 'cfg', type: 'MOUNTED', metadata: { mountPath: '/etc/app/cfg' }, value: 'old' });
    emu.state.setSecret('alice', { name: 'other', type: 'ENV_VAR', value: 'x' });
    const before = emu.requests.length;
    await client.updateSecret({}, 'cfg', { value: enc('new contents') });
    const cfg = emu.state.getSecret('alice', 'cfg')!;
    assert.deepEqual([cfg.type, cfg.metadata, cfg.value], ['MOUNTED', { mountPath: '/etc/app/cfg' }, 'new contents']);
    const ops = emu.requests.slice(before).map((r) => r.operationName);
    assert.deepEqual(ops.slice(0, 3), ['GetSecrets', 'DeleteSecrets', 'CreateSecret']);
    // The delete names the one secret (empty filters would delete them all).
    assert.deepEqual(emu.requests[before + 1]!.variables, { getSecretsData: { filters: { name: { in: ['cfg'] } } } });
    assert.deepEqual(
      emu.state.list('alice').map((x) => x.name),
      ['other', 'cfg'],
    );
    // A secret that isn't there: NotFoundError, nothing deleted or created.
    const e = await rejection(client.updateSecret({}, 'nope', { value: enc(VALUE) }));
    assert.ok(e instanceof NotFoundError, String(e));
    assertNoValue(e, VALUE);
    assert.equal(emu.state.list('alice').length, 2);
  });

  it('delete removes exactly the named secret; a missing one is alreadyGone', async () => {
    emu.state.setSecret('alice', { name: 'a', type: 'ENV_VAR', value: 'x' });
    emu.state.setSecret('alice', { name: 'b', type: 'ENV_VAR', value: 'y' });
    emu.state.setSecret('bob', { name: 'a', type: 'ENV_VAR', value: 'z' });
    assert.deepEqual(await client.deleteSecret({}, 'a'), { alreadyGone: false });
    assert.deepEqual(
      emu.state.list('alice').map((x) => x.name),
      ['b'],
    );
    assert.ok(emu.state.getSecret('bob', 'a'), "bob's secret of the same name stays");
    assert.deepEqual(await client.deleteSecret({}, 'a'), { alreadyGone: true });
  });

  it('a duplicate name is a ConflictError; the value is in no part of it', async () => {
    await client.addSecret({}, { name: 'dup', type: 'environment', value: enc('first'), extra: { envKey: 'DUP' } });
    const e = await rejection(client.addSecret({}, { name: 'dup', type: 'environment', value: enc(VALUE), extra: { envKey: 'DUP' } }));
    assert.ok(e instanceof ConflictError, String(e));
    assert.match(e.message, /create 'dup'.*name is taken.*"dup" already exists/);
    assertNoValue(e, VALUE);
    assert.equal(emu.state.getSecret('alice', 'dup')!.value, 'first');
  });

  it('a GraphQL error (code 400 from the server’s rules) is an HttpError 400 with the server’s text', async () => {
    // The client accepts any absolute path; the server's rule is lower-case only.
    const e = await rejection(client.addSecret({}, { name: 'cfg', type: 'mounted', value: enc(VALUE), extra: { mountPath: '/Secrets/Cfg' } }));
    assert.ok(e instanceof HttpError && e.constructor === HttpError, String(e));
    assert.equal((e as HttpError).status, 400);
    assert.match(e.message, /^MosaicML rejected the request to create 'cfg': Invalid metadata\.mountPath "\/Secrets\/Cfg"/);
    assertNoValue(e, VALUE);
    assert.equal(emu.state.getSecret('alice', 'cfg'), undefined);
  });

  it('a server error that quotes the value sent is redacted', async () => {
    emu.faults.next({ status: 200, body: JSON.stringify({ errors: [{ message: `bad value ${VALUE} / ${DOCKER_PASSWORD}`, extensions: { code: 400 } }], data: null }) });
    const e = await rejection(client.addSecret({}, { name: 'ghcr', type: 'docker_registry', values: { username: 'me', password: DOCKER_PASSWORD, server: 'ghcr.io' } }));
    assert.ok(e instanceof HttpError, String(e));
    assertNoValue(e, DOCKER_PASSWORD);
    emu.faults.next({ status: 200, body: JSON.stringify({ errors: [{ message: `bad value ${VALUE}`, extensions: { code: 400 } }], data: null }) });
    const e2 = await rejection(client.addSecret({}, { name: 'env', type: 'environment', value: enc(VALUE), extra: { envKey: 'E' } }));
    assertNoValue(e2, VALUE);
    assert.match(e2.message, /bad value /);
  });

  it('maps codes to typed errors: 401 AuthError, 403 PermissionError, 404 NotFoundError, 503 offline', async () => {
    const bad = new MosaicClient({ endpoint: emu.endpoint, apiKey: 'not-a-key', origins: [new URL(emu.url).origin], http: new HttpClient({ maxRetries: 0, sleep: async () => undefined }) });
    const auth = await rejection(bad.listSecrets({}));
    assert.ok(auth instanceof AuthError, String(auth));
    assert.match(auth.message, /did not accept the API key when trying to list secrets: Unauthorized/);
    assertNoValue(auth, 'not-a-key');

    const fault = (code: number, message = 'nope') => emu.faults.next({ status: 200, body: JSON.stringify({ errors: [{ message, extensions: { code } }], data: null }) });
    fault(403, 'Only admins');
    const perm = await rejection(client.listSecrets({}));
    assert.ok(perm instanceof PermissionError, String(perm));
    assert.match(perm.message, /refused to list secrets: Only admins/);
    fault(404);
    assert.ok((await rejection(client.listSecrets({}))) instanceof NotFoundError);
    emu.faults.next({ status: 503 });
    const off = await rejection(client.listSecrets({}));
    assert.ok(off instanceof HttpError && (off as HttpError).status === 503, String(off));
    assert.match(off.message, /MosaicML is offline while trying to list secrets: Service Unavailable/);
  });

  it('several GraphQL errors: the first one, and how many more', async () => {
    emu.faults.next({ status: 400, body: JSON.stringify({ errors: [{ message: 'first', extensions: { code: 400 } }, { message: 'second', extensions: { code: 400 } }] }) });
    const e = await rejection(client.listSecrets({}));
    assert.equal(e.message, 'MosaicML rejected the request to list secrets: first (+1 more)');
  });

  it('malformed answers are ProtocolErrors; a non-JSON 404 page is an HttpError 404', async () => {
    emu.faults.next({ status: 200, body: JSON.stringify({ data: { getSecrets: null } }) });
    assert.ok((await rejection(client.listSecrets({}))) instanceof ProtocolError);
    emu.faults.next({ status: 200, body: JSON.stringify({ data: { getSecrets: [{ name: 5, type: 'ENV_VAR' }] } }) });
    assert.ok((await rejection(client.listSecrets({}))) instanceof ProtocolError);
    const wrongPath = new MosaicClient({ endpoint: `${emu.url}/api/graphql`, apiKey: emu.apiKeys.alice!, origins: [new URL(emu.url).origin], http: new HttpClient({ maxRetries: 0, sleep: async () => undefined }) });
    const e = await rejection(wrongPath.listSecrets({}));
    assert.ok(e instanceof HttpError && (e as HttpError).status === 404, String(e));
    assert.ok(!e.message.includes('<html'), 'the HTML page is not quoted');
  });

  it('invalid input is a ValidationError before any request', async () => {
    const n = posts();
    const cases: Array<[Promise<unknown>, RegExp]> = [
      [client.addSecret({}, { name: 'Bad_Name', type: 'environment', value: enc(VALUE), extra: { envKey: 'K' } }), /not a valid MosaicML secret name/],
      [client.addSecret({}, { name: 'ok', type: 'environment', value: enc(VALUE) }), /needs 'envKey'/],
      [client.addSecret({}, { name: 'ok', type: 'environment', value: enc(VALUE), extra: { envKey: '1BAD' } }), /not a valid environment variable name/],
      [client.addSecret({}, { name: 'ok', type: 'mounted', value: enc(VALUE), extra: { mountPath: 'relative' } }), /must be absolute/],
      [client.addSecret({}, { name: 'ok', type: 's3', values: { config: 'c' } }), /needs 'credentials'/],
      [client.addSecret({}, { name: 'ok', type: 'databricks', values: { host: 'h', token: VALUE, extra: 'x' } }), /has no field 'extra'/],
      [client.addSecret({}, { name: 'ok', type: 'nope' as never, value: enc(VALUE) }), /Unknown MosaicML secret type/],
      [client.deleteSecret({}, '-bad'), /not a valid MosaicML secret name/],
    ];
    for (const [p, re] of cases) {
      const e = await rejection(p);
      assert.ok(e instanceof ValidationError, String(e));
      assert.match(e.message, re);
      assertNoValue(e, VALUE);
    }
    assert.equal(posts(), n, 'nothing was sent');
  });
});
