// RenewableToken (src/core/http/renewableToken.ts): the bearer token ZenML and Flyte renew by
// themselves. No timers and no sleeps: expiry is set relative to Date.now(), renewals are deferred
// promises the test settles itself.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { AuthError } from '../../src/core/errors';
import type { HttpResponse } from '../../src/core/http/httpClient';
import { Renew, RenewableToken } from '../../src/core/http/renewableToken';

const EARLY_MS = 30_000; // the module's renew-early window

function response(status: number): HttpResponse {
  return {
    status,
    url: 'https://example.test/api',
    headers: { get: () => null },
    text: '',
    bytes: new Uint8Array(),
    json: () => ({}),
  };
}

interface Deferred<T> {
  promise: Promise<T>;
  resolve(v: T): void;
  reject(e: unknown): void;
}
function deferred<T>(): Deferred<T> {
  let resolve!: (v: T) => void;
  let reject!: (e: unknown) => void;
  const promise = new Promise<T>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
}

/** A renew function answering `tokens` in order (new-1, new-2, ...), recording every call. */
function renewer(expiresIn?: number): { fn: Renew; calls: number } {
  const r = {
    calls: 0,
    fn: async () => {
      r.calls++;
      return { token: `new-${r.calls}`, expiresAt: expiresIn === undefined ? undefined : Date.now() + expiresIn };
    },
  };
  return r;
}

const NO_SESSION = 'No session: sign in again.';

describe('RenewableToken', () => {
  it('a token far from expiry is used as is', async () => {
    const r = renewer();
    const t = new RenewableToken(r.fn, 'old', Date.now() + 10 * EARLY_MS, undefined, NO_SESSION);
    assert.equal(await t.current(), 'old');
    assert.equal(r.calls, 0);
  });

  it('renews inside the early window before expiry (and after expiry), not outside it', async () => {
    const outside = renewer(3_600_000);
    const t1 = new RenewableToken(outside.fn, 'old', Date.now() + 2 * EARLY_MS, undefined, NO_SESSION);
    assert.equal(await t1.current(), 'old');
    assert.equal(outside.calls, 0);

    const inside = renewer(3_600_000);
    const t2 = new RenewableToken(inside.fn, 'old', Date.now() + EARLY_MS / 2, undefined, NO_SESSION);
    assert.equal(await t2.current(), 'new-1', 'still valid for 15 s, but inside the 30 s window');
    assert.equal(inside.calls, 1);
    assert.equal(await t2.current(), 'new-1', 'the renewed token is good for an hour: no second renewal');
    assert.equal(inside.calls, 1);
    assert.deepEqual(t2.snapshot().token, 'new-1');

    const expired = renewer();
    const t3 = new RenewableToken(expired.fn, 'old', Date.now() - 1, undefined, NO_SESSION);
    assert.equal(await t3.current(), 'new-1');
    assert.equal(expired.calls, 1);
  });

  it('without a token at all, the first call renews', async () => {
    const r = renewer();
    const t = new RenewableToken(r.fn, undefined, undefined, undefined, NO_SESSION);
    assert.equal(await t.current(), 'new-1');
    assert.equal(r.calls, 1);
  });

  it('one renewal is shared by concurrent callers; the next renewal is a new call', async () => {
    const d = deferred<{ token: string; expiresAt?: number }>();
    let calls = 0;
    const t = new RenewableToken(
      () => {
        calls++;
        return d.promise;
      },
      'old',
      Date.now() - 1,
      undefined,
      NO_SESSION,
    );
    const all = Promise.all([t.current(), t.current(), t.renew(), t.current()]);
    assert.equal(calls, 1, 'one renewal in flight');
    d.resolve({ token: 'shared', expiresAt: Date.now() + 3_600_000 });
    assert.deepEqual(await all, ['shared', 'shared', 'shared', 'shared']);
    assert.equal(calls, 1);
    // Once settled, an explicit renew() renews again (the promise isn't kept forever).
    const again = t.renew();
    assert.equal(calls, 2);
    await again;
  });

  it('onToken is called with every renewed token and its expiry', async () => {
    const seen: Array<[string, number | undefined]> = [];
    const r = renewer(60_000 + 10 * EARLY_MS);
    const t = new RenewableToken(r.fn, undefined, undefined, (tok, exp) => seen.push([tok, exp]), NO_SESSION);
    await t.current();
    await t.renew();
    assert.equal(seen.length, 2);
    assert.deepEqual(
      seen.map(([tok]) => tok),
      ['new-1', 'new-2'],
    );
    for (const [, exp] of seen) assert.ok(typeof exp === 'number' && exp > Date.now() + 10 * EARLY_MS);
    assert.deepEqual(t.snapshot(), { token: 'new-2', expiresAt: seen[1]![1] });
  });

  it('a failed renewal is not cached: every waiter gets the error, the next call renews again', async () => {
    let calls = 0;
    const t = new RenewableToken(
      async () => {
        calls++;
        if (calls === 1) throw new Error('identity provider down');
        return { token: 'second-try' };
      },
      undefined,
      undefined,
      undefined,
      NO_SESSION,
    );
    const [a, b] = await Promise.allSettled([t.current(), t.current()]);
    assert.equal(calls, 1);
    assert.equal(a.status, 'rejected');
    assert.equal(b.status, 'rejected');
    assert.match(String((a as PromiseRejectedResult).reason), /identity provider down/);
    assert.equal(await t.current(), 'second-try');
    assert.equal(calls, 2);
    assert.equal(t.snapshot().token, 'second-try', 'the failure left no token behind');
  });

  it('a 401 renews once and retries with the new token; a second 401 is returned, not looped', async () => {
    const r = renewer();
    const t = new RenewableToken(r.fn, 'old', undefined, undefined, NO_SESSION);
    const used: string[] = [];
    const res = await t.send(async (tok) => {
      used.push(tok);
      return response(tok === 'old' ? 401 : 200);
    });
    assert.equal(res.status, 200);
    assert.deepEqual(used, ['old', 'new-1']);
    assert.equal(r.calls, 1);

    const used2: string[] = [];
    const res2 = await t.send(async (tok) => {
      used2.push(tok);
      return response(401);
    });
    assert.equal(res2.status, 401);
    assert.deepEqual(used2, ['new-1', 'new-2'], 'one renewal and one retry per send');
    assert.equal(r.calls, 2);
  });

  it('concurrent 401s share one renewal', async () => {
    const r = renewer();
    const t = new RenewableToken(r.fn, 'old', undefined, undefined, NO_SESSION);
    const used: string[] = [];
    const req = async (tok: string) => {
      used.push(tok);
      return response(tok === 'old' ? 401 : 200);
    };
    const results = await Promise.all([t.send(req), t.send(req), t.send(req)]);
    assert.deepEqual(
      results.map((x) => x.status),
      [200, 200, 200],
    );
    assert.equal(r.calls, 1);
    assert.deepEqual(used.filter((u) => u === 'old').length, 3);
    assert.deepEqual(used.filter((u) => u === 'new-1').length, 3);
  });

  it('a 2xx or another error status is returned without renewing', async () => {
    const r = renewer();
    const t = new RenewableToken(r.fn, 'old', undefined, undefined, NO_SESSION);
    for (const status of [200, 403, 500]) {
      let n = 0;
      const res = await t.send(async () => {
        n++;
        return response(status);
      });
      assert.equal(res.status, status);
      assert.equal(n, 1);
    }
    assert.equal(r.calls, 0);
  });

  it('a pasted token (no renew function): a 401 is handed back untouched, renew() is an AuthError with the sign-in message', async () => {
    const t = new RenewableToken(undefined, 'pasted', undefined, undefined, NO_SESSION);
    assert.equal(t.canRenew, false);
    // Even past its expiry a pasted token is sent as is (nothing could renew it).
    const expired = new RenewableToken(undefined, 'pasted', Date.now() - 1, undefined, NO_SESSION);
    assert.equal(await expired.current(), 'pasted');
    let n = 0;
    const res = await t.send(async (tok) => {
      n++;
      assert.equal(tok, 'pasted');
      return response(401);
    });
    assert.equal(res.status, 401, 'the client maps it (AuthError)');
    assert.equal(n, 1, 'no retry');
    await assert.rejects(t.renew(), (e: unknown) => e instanceof AuthError && e.message === NO_SESSION);
    const none = new RenewableToken(undefined, undefined, undefined, undefined, NO_SESSION);
    await assert.rejects(none.current(), (e: unknown) => e instanceof AuthError && e.message === NO_SESSION);
    await assert.rejects(
      none.send(async () => response(200)),
      AuthError,
    );
  });
});
