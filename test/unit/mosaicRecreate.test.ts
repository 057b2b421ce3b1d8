// MosaicML update = delete + create. Whatever fails after the delete, the user never ends up with
// neither the old nor the new value: the create is retried on passing faults, a lost answer is
// detected, and a failure hands back an error that still holds the new value (memory only) and can
// create it on Retry.
import assert from 'node:assert/strict';
import { inspect } from 'node:util';
import { after, before, beforeEach, describe, it } from 'node:test';
import { HttpClient } from '../../src/core/http/httpClient';
import { MosaicClient } from '../../src/core/platforms/mosaic/client';
import { RecreateFailedError } from '../../src/core/platforms/recreate';
import { AuthError, ValidationError } from '../../src/core/errors';
import { MosaicEmulator, startMosaicEmulator } from '../emulators/mosaic/server';

const OLD = 'CANARY-old-value-1f2e';
const NEW = 'CANARY-new-value-9a8b';

describe('MosaicML update never loses the secret', () => {
  let emu: MosaicEmulator;
  let client: MosaicClient;
  /** Faults the n-th GraphQL POST from now (and the `times - 1` after it). */
  const failOn = (n: number, spec: { status?: number; destroySocket?: boolean; body?: string; times?: number }) => {
    const times = spec.times ?? 1;
    let count = 0;
    emu.faults.next({
      ...spec,
      times,
      match: (m, p) => {
        if (m !== 'POST' || p !== '/graphql') return false;
        count++;
        return count >= n && count < n + times;
      },
    });
  };

  before(async () => {
    emu = await startMosaicEmulator();
  });
  after(() => emu.close());
  beforeEach(() => {
    emu.faults.clear();
    for (const m of emu.state.secrets.values()) m.clear();
    emu.state.setSecret('alice', { name: 'wandb', type: 'ENV_VAR', metadata: { key: 'WANDB_API_KEY' }, value: OLD });
    const http = new HttpClient({ timeoutMs: 2000, maxRetries: 0, sleep: async () => undefined });
    client = new MosaicClient({ endpoint: emu.endpoint, apiKey: emu.apiKeys.alice, origins: [new URL(emu.url).origin], http });
    client.recreateOptions = { sleep: async () => undefined };
  });

  const update = (v = NEW) => client.updateSecret({}, 'wandb', { value: new TextEncoder().encode(v) });
  const stored = () => emu.state.getSecret('alice', 'wandb');

  it('the plain path: same type and env name, new value', async () => {
    await update();
    assert.equal(stored()?.value, NEW);
    assert.deepEqual(stored()?.metadata, { key: 'WANDB_API_KEY' });
    assert.equal(stored()?.type, 'ENV_VAR');
  });

  it('a passing 5xx or reset on the create is retried; the secret ends with the new value', async () => {
    failOn(3, { status: 503 });
    await update();
    assert.equal(stored()?.value, NEW);
    failOn(3, { destroySocket: true });
    await update('CANARY-third-value');
    assert.equal(stored()?.value, 'CANARY-third-value');
  });

  it('a create whose answer was lost (it landed) is detected, not repeated into a failure', async () => {
    // The create lands but the client sees a 502 for it: the emulator applies faults before
    // handling, so simulate a landed create by storing it in the delete's wake.
    let deleted = false;
    emu.faults.next({
      status: 502,
      match: (m, p) => {
        if (m !== 'POST' || p !== '/graphql') return false;
        if (!stored()) {
          if (deleted) return false;
          deleted = true;
          emu.state.setSecret('alice', { name: 'wandb', type: 'ENV_VAR', metadata: { key: 'WANDB_API_KEY' }, value: NEW });
          return true;
        }
        return false;
      },
      times: 1,
    });
    await update();
    assert.equal(stored()?.value, NEW);
  });

  for (const [what, spec] of [
    ['a 500 every time', { status: 500, times: 10 }],
    ['a 401 (key revoked between the delete and the create)', { status: 401, times: 10 }],
    ['resets every time', { destroySocket: true, times: 10 }],
  ] as const) {
    it(`${what}: RecreateFailedError keeps the new value in memory, Retry creates it`, async () => {
      failOn(3, spec);
      const err = await update().then(
        () => assert.fail('should fail'),
        (e: unknown) => e,
      );
      assert.ok(err instanceof RecreateFailedError, String(err));
      assert.equal(stored(), undefined, 'the old one was deleted');
      assert.ok(err.pending);
      assert.match(err.message, /was deleted/);
      assert.match(err.message, /creating it again/);
      // The value never shows in the error, however it is looked at.
      for (const view of [err.message, String(err.stack), inspect(err, { depth: 10, showHidden: true }), JSON.stringify(err)]) {
        assert.ok(!view.includes(NEW), `value in ${view.slice(0, 200)}`);
      }
      if (spec.status === 401) assert.equal(err.kind, new AuthError('x').kind);
      emu.faults.clear();
      await err.retry();
      assert.equal(stored()?.value, NEW);
      assert.deepEqual(stored()?.metadata, { key: 'WANDB_API_KEY' });
      assert.ok(!err.pending);
      await assert.rejects(err.retry(), ValidationError, 'a settled error cannot create twice');
    });
  }

  it('a failed Retry keeps the value for the next Retry; Discard forgets it', async () => {
    failOn(3, { status: 500, times: 10 });
    const err = (await update().catch((e: unknown) => e)) as RecreateFailedError;
    assert.ok(err instanceof RecreateFailedError);
    await assert.rejects(err.retry(), (e: unknown) => !(e instanceof RecreateFailedError));
    assert.ok(err.pending, 'still held after a failed retry');
    emu.faults.clear();
    await err.retry();
    assert.equal(stored()?.value, NEW);

    emu.faults.clear();
    failOn(3, { status: 500, times: 10 });
    const err2 = (await update('CANARY-never').catch((e: unknown) => e)) as RecreateFailedError;
    err2.discard();
    assert.ok(!err2.pending);
    await assert.rejects(err2.retry(), ValidationError);
    assert.equal(stored(), undefined);
  });

  it('nothing is deleted when the new input is invalid or the read fails', async () => {
    emu.state.setSecret('alice', { name: 'docker', type: 'DOCKER_REGISTRY', metadata: {}, value: { username: 'u', password: 'p', server: 's' } });
    await assert.rejects(client.updateSecret({}, 'docker', { value: new TextEncoder().encode('x') }), ValidationError);
    assert.ok(emu.state.getSecret('alice', 'docker'), 'kept');
    failOn(1, { status: 500 });
    await assert.rejects(update());
    assert.equal(stored()?.value, OLD, 'a failed read deletes nothing');
    failOn(2, { status: 500, times: 10 });
    await assert.rejects(update(), (e: unknown) => !(e instanceof RecreateFailedError));
    assert.equal(stored()?.value, OLD, 'a failed delete changes nothing');
  });

  it('the caller may wipe its buffer at once: the kept copy is independent', async () => {
    failOn(3, { status: 500, times: 10 });
    const buf = new TextEncoder().encode(NEW);
    const err = (await client.updateSecret({}, 'wandb', { value: buf }).catch((e: unknown) => e)) as RecreateFailedError;
    buf.fill(0);
    emu.faults.clear();
    await err.retry();
    assert.equal(stored()?.value, NEW);
  });
});
