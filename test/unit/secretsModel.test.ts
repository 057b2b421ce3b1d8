// SecretsModel (src/model/secretsModel.ts) in plain Node, against a fake connection store and fake
// platform clients (test/unit/secretsModelFakes.ts): request sharing, the TTL cache (Date.now is
// mocked), refresh, errors, sign-out, token renewal, the change event, key names and dispose.
import assert from 'node:assert/strict';
import { afterEach, beforeEach, describe, it, mock } from 'node:test';
import type { SecretInfo } from '../../src/core/platforms/types';
import { ListState, SecretsModel } from '../../src/model/secretsModel';
import { credential, deferred, FakeFactory, FakeLog, FakeStore, P, Q, record, SCOPES, settle } from './secretsModelFakes';

const TTL = 60_000;
const A: SecretInfo = { name: 'a' };
const B: SecretInfo = { name: 'b' };
const C: SecretInfo = { name: 'c' };

let store: FakeStore;
let factory: FakeFactory;
let log: FakeLog;
let now: number;
let model: SecretsModel;
/** Every change event, in order (undefined: the set of connections changed). */
let events: (string | undefined)[];

function start(): SecretsModel {
  model = new SecretsModel(store, factory.create, log, () => TTL);
  events = [];
  model.onDidChange((label) => events.push(label));
  return model;
}

function names(s: ListState | undefined): string[] {
  assert.equal(s?.kind, 'ok', `expected a list, got ${JSON.stringify(s)}`);
  return s.kind === 'ok' ? s.secrets.map((x) => x.name) : [];
}

beforeEach(() => {
  store = new FakeStore();
  factory = new FakeFactory();
  log = new FakeLog();
  now = 1_000_000;
  mock.method(Date, 'now', () => now);
  store.add(record('zen'), credential('t1'));
  factory.prepare('zen', (c) => {
    c.answers.set('//p/', [B, A]);
    c.answers.set('//q/', [C]);
  });
});

afterEach(() => {
  model?.dispose();
  mock.restoreAll();
});

describe('SecretsModel: connections', () => {
  it('reads the stored token, builds the client with it, lists the scopes and says which connection changed', async () => {
    start();
    assert.deepEqual(model.connectionState('zen'), { kind: 'loading' }, 'loading before the token has been read');
    assert.equal(store.credentialReads, 1, 'reading the state starts the load');
    const st = await model.ensureConnection('zen');
    assert.equal(st.kind, 'ready');
    assert.deepEqual(st.kind === 'ready' && st.scopes, SCOPES);
    assert.equal(st.kind === 'ready' && st.client, factory.client('zen'));
    assert.deepEqual(
      factory.calls.map((c) => [c.label, c.token]),
      [['zen', 't1']],
    );
    assert.equal(factory.client('zen').scopeCalls.length, 1);
    assert.equal(model.connectionState('zen').kind, 'ready');
    assert.equal(await model.client('zen'), factory.client('zen'));
    assert.deepEqual(events, ['zen']);
  });

  it('concurrent callers share one connection load', async () => {
    start();
    const [a, b] = await Promise.all([model.ensureConnection('zen'), model.client('zen'), model.connectionState('zen')]);
    assert.equal(a.kind, 'ready');
    assert.equal(b, factory.client('zen'));
    assert.equal(factory.calls.length, 1);
    assert.equal(store.credentialReads, 1);
    assert.equal(factory.client('zen').scopeCalls.length, 1);
  });

  it('no stored credential: signed out, no client is built, a list says "Signed out"', async () => {
    store.creds.clear();
    start();
    assert.deepEqual(await model.ensureConnection('zen'), { kind: 'signedOut' });
    assert.deepEqual(model.connectionState('zen'), { kind: 'signedOut' });
    assert.equal(await model.client('zen'), undefined);
    const list = await model.ensureList('zen', P);
    assert.equal(list.kind, 'error');
    assert.equal(list.kind === 'error' && (list.error as Error).message, 'Signed out');
    assert.equal(factory.calls.length, 0);
    assert.deepEqual(model.connectionState('nobody'), { kind: 'signedOut' }, 'an unknown label is signed out');
  });

  it('a signed-out connection shows as loading while a sign-in that started by itself is under way', async () => {
    store.creds.clear();
    start();
    await model.ensureConnection('zen');
    const signIn = deferred<void>();
    const p = model.whileSigningIn(signIn.promise);
    assert.deepEqual(model.connectionState('zen'), { kind: 'loading' });
    signIn.resolve();
    await p;
    await settle();
    assert.deepEqual(model.connectionState('zen'), { kind: 'signedOut' });
    assert.equal(events.at(-1), undefined, 'the end of the sign-in fires a change');
  });

  it('a failing scope list is an error state holding the error and the client, and is logged', async () => {
    const boom = new Error('server said no');
    factory.prepare('zen', (c) => (c.scopes = boom));
    start();
    const st = await model.ensureConnection('zen');
    assert.equal(st.kind, 'error');
    assert.equal(st.kind === 'error' && st.error, boom);
    assert.equal(st.kind === 'error' && st.client, factory.client('zen'));
    assert.deepEqual(log.warnings, ['zen: server said no']);
    const list = await model.ensureList('zen', P);
    assert.equal(list.kind === 'error' && list.error, boom, 'a list of a failed connection carries its error');
    assert.equal(factory.client('zen').listCalls.length, 0);
  });

  it('a client that cannot be built is an error state without a client', async () => {
    const bad = new Error('bad record');
    factory.fail = bad;
    start();
    const st = await model.ensureConnection('zen');
    assert.deepEqual(st, { kind: 'error', error: bad });
  });

  it('the token-renewal callback stores the new token for that connection', async () => {
    store.add(record('other'), credential('t2'));
    start();
    await Promise.all([model.ensureConnection('zen'), model.ensureConnection('other')]);
    const onToken = factory.calls.find((c) => c.label === 'zen')?.onToken;
    assert.ok(onToken, 'the factory was given a token listener');
    onToken('renewed', 12345);
    await settle();
    assert.deepEqual(store.updates, [{ label: 'zen', token: 'renewed', expiresAt: 12345 }]);
    assert.equal(factory.calls.length, 2, 'a renewed token builds no new client');
  });
});

describe('SecretsModel: lists', () => {
  it('one list request per scope, shared by concurrent callers; lists come sorted', async () => {
    start();
    await model.client('zen');
    const c = factory.client('zen');
    c.answers.clear();
    const calls = [model.ensureList('zen', P), model.ensureList('zen', { project: 'p' }), model.ensureList('zen', Q), model.ensureList('zen', P)];
    await settle();
    assert.equal(model.listState('zen', P)?.kind, 'loading');
    assert.equal(c.listsOf(P), 1);
    assert.equal(c.listsOf(Q), 1);
    c.listCalls[0].d.resolve([B, A]);
    c.listCalls[1].d.resolve([C]);
    const [p1, p2, q, p3] = await Promise.all(calls);
    assert.deepEqual(names(p1), ['a', 'b']);
    assert.equal(p1, p2);
    assert.equal(p1, p3);
    assert.deepEqual(names(q), ['c']);
    assert.equal(names(model.listState('zen', P)).length, 2);
    assert.equal(c.listCalls.length, 2);
    assert.ok(p1.kind === 'ok' && p1.byName.get('a') && !p1.byName.get('c'));
  });

  it('serves the cached list within the TTL and fetches again after it', async () => {
    start();
    await model.ensureList('zen', P);
    const c = factory.client('zen');
    assert.equal(c.listsOf(P), 1);
    now += TTL;
    assert.deepEqual(names(await model.ensureList('zen', P)), ['a', 'b']);
    assert.deepEqual(names(model.listState('zen', P)), ['a', 'b']);
    await settle();
    assert.equal(c.listsOf(P), 1, 'still fresh at exactly the TTL');
    c.answers.set('//p/', [A, B, C]);
    now += 1;
    assert.deepEqual(names(await model.ensureList('zen', P)), ['a', 'b', 'c'], 'past the TTL: fetched again');
    assert.equal(c.listsOf(P), 2);
  });

  it('a stale list keeps showing while one fresh copy loads in the background', async () => {
    start();
    await model.ensureList('zen', P);
    const c = factory.client('zen');
    c.answers.clear();
    now += TTL + 1;
    assert.deepEqual(names(model.listState('zen', P)), ['a', 'b']);
    assert.deepEqual(names(model.listState('zen', P)), ['a', 'b'], 'still the stale copy while the new one loads');
    await settle();
    assert.equal(c.listsOf(P), 2, 'one background fetch for two reads');
    events.length = 0;
    c.listCalls[1].d.resolve([C]);
    await settle();
    assert.deepEqual(names(model.listState('zen', P)), ['c']);
    assert.deepEqual(events, ['zen']);
  });

  it('a failed list is an error state holding the error, logged, kept until a refresh, which asks again', async () => {
    start();
    await model.client('zen');
    const c = factory.client('zen');
    const boom = new Error('list failed');
    c.answers.set('//p/', boom);
    const st = await model.ensureList('zen', P);
    assert.deepEqual(st, { kind: 'error', error: boom });
    assert.deepEqual(model.listState('zen', P), { kind: 'error', error: boom });
    assert.deepEqual(log.warnings, ['zen: list failed']);
    now += TTL + 1;
    model.listState('zen', P);
    assert.deepEqual(await model.ensureList('zen', P), { kind: 'error', error: boom });
    await settle();
    assert.equal(c.listsOf(P), 1, 'an error is not fetched again by reading it');
    c.answers.set('//p/', [A]);
    await model.refresh('zen');
    assert.deepEqual(names(model.listState('zen', P)), ['a']);
    assert.equal(c.listsOf(P), 2);
  });

  it('an unknown connection: no list state, and ensureList answers an error', async () => {
    start();
    assert.equal(model.listState('nobody', P), undefined);
    const st = await model.ensureList('nobody', P);
    assert.equal(st.kind === 'error' && (st.error as Error).message, 'No such connection');
  });
});

describe('SecretsModel: refresh', () => {
  beforeEach(() => {
    store.add(record('other', 'https://other.example'), credential('t2', 'https://other.example'));
    factory.prepare('other', (c) => c.answers.set('//p/', [C]));
  });

  async function loadAll(): Promise<void> {
    await Promise.all([model.ensureList('zen', P), model.ensureList('zen', Q), model.ensureList('other', P)]);
  }

  it('refresh(label) drops that connection\'s lists and asks once per loaded scope, keeping its client; others keep their cache', async () => {
    start();
    await loadAll();
    const zen = factory.client('zen');
    const other = factory.client('other');
    zen.answers.set('//p/', [C]);
    events.length = 0;
    const r = model.refresh('zen');
    assert.equal(model.listState('zen', P)?.kind, 'loading', 'the cache is dropped at once');
    assert.deepEqual(events, ['zen'], 'and that is announced at once');
    await r;
    assert.deepEqual(names(model.listState('zen', P)), ['c']);
    assert.equal(zen.listsOf(P), 2);
    assert.equal(zen.listsOf(Q), 2);
    assert.equal(other.listsOf(P), 1);
    assert.equal(factory.calls.length, 2, 'no new client');
    assert.equal(zen.scopeCalls.length, 1, 'no new scope list');
    assert.ok(events.length > 0 && events.every((l) => l === 'zen'), JSON.stringify(events));
  });

  it('refresh() drops every connection\'s lists', async () => {
    start();
    await loadAll();
    await model.refresh();
    assert.equal(factory.client('zen').listsOf(P), 2);
    assert.equal(factory.client('zen').listsOf(Q), 2);
    assert.equal(factory.client('other').listsOf(P), 2);
    assert.equal(factory.calls.length, 2);
  });

  it('refresh of a connection that has not loaded a list yet loads its default scope', async () => {
    start();
    await model.ensureConnection('zen');
    await model.refresh('zen');
    const zen = factory.client('zen');
    assert.equal(zen.listsOf(P), 1);
    assert.equal(zen.listsOf(Q), 0);
  });

  it('a list answer that arrives after a refresh is dropped', async () => {
    start();
    await model.client('zen');
    const zen = factory.client('zen');
    zen.answers.clear();
    const old = model.ensureList('zen', P);
    await settle();
    const r = model.refresh('zen');
    await settle();
    assert.equal(zen.listsOf(P), 2, 'the refresh asks again rather than waiting for the old request');
    zen.listCalls[1].d.resolve([C]);
    await r;
    zen.listCalls[0].d.resolve([A]);
    await old;
    assert.deepEqual(names(model.listState('zen', P)), ['c']);
  });

  it('a failed connection starts over on refresh: a new client, a new scope list', async () => {
    const boom = new Error('down');
    factory.prepare('zen', (c) => {
      c.scopes = boom;
      c.answers.set('//p/', [A]);
    });
    start();
    assert.equal((await model.ensureConnection('zen')).kind, 'error');
    assert.equal((await model.ensureConnection('zen')).kind, 'error', 'the error is kept until a refresh');
    assert.equal(factory.calls.filter((c) => c.label === 'zen').length, 1);
    factory.client('zen').scopes = SCOPES;
    await model.refresh('zen');
    assert.equal(factory.calls.filter((c) => c.label === 'zen').length, 2);
    assert.equal(model.connectionState('zen').kind, 'ready');
    assert.deepEqual(names(model.listState('zen', P)), ['a']);
  });
});

describe('SecretsModel: the change event and the store', () => {
  it('fires with the label whose state changed, and never for another connection', async () => {
    store.add(record('other'), credential('t2'));
    start();
    await model.ensureList('zen', P);
    assert.deepEqual(events, ['zen', 'zen']);
    await model.ensureConnection('other');
    assert.deepEqual(events, ['zen', 'zen', 'other']);
  });

  it('a store change fires "the set changed" (undefined) and follows added and removed connections', async () => {
    start();
    store.add(record('new'), credential('t3'));
    store.fire();
    assert.deepEqual(events, [undefined]);
    assert.deepEqual(
      model.connections().map((r) => r.label),
      ['zen', 'new'],
    );
    store.records = store.records.filter((r) => r.label !== 'zen');
    store.fire();
    assert.equal(model.record('zen'), undefined);
    assert.deepEqual(model.connectionState('zen'), { kind: 'signedOut' });
  });

  it('a token changed or removed in storage (another window) starts the connection over; the same token does not', async () => {
    start();
    await model.ensureList('zen', P);
    store.fire();
    await settle();
    assert.equal(factory.calls.length, 1, 'same token: nothing starts over');
    events.length = 0;
    store.creds.set('zen', credential('t-new'));
    store.fire();
    await settle();
    assert.deepEqual(events, [undefined, 'zen']);
    assert.equal(model.listState('zen', P), undefined, 'the old lists are gone');
    await model.ensureConnection('zen');
    assert.deepEqual(
      factory.calls.map((c) => c.token),
      ['t1', 't-new'],
    );
    store.creds.delete('zen');
    store.fire();
    await settle();
    assert.deepEqual(await model.ensureConnection('zen'), { kind: 'signedOut' });
  });

  it('a changed record (a new sign-in under the same label) starts over', async () => {
    start();
    await model.ensureConnection('zen');
    store.records[0] = { ...store.records[0], user: 'bob' };
    store.fire();
    assert.deepEqual(model.connectionState('zen'), { kind: 'loading' });
    await model.ensureConnection('zen');
    assert.equal(factory.calls.length, 2);
    assert.equal(model.record('zen')?.user, 'bob');
  });
});

describe('SecretsModel: key names', () => {
  const KEYED: SecretInfo = { name: 'cfg' };

  beforeEach(() => {
    factory.withKeys.add('zen');
    factory.prepare('zen', (c) => c.answers.set('//p/', [KEYED]));
  });

  it('keys a list carries are answered without a request', async () => {
    start();
    await model.client('zen');
    factory.client('zen').keyAnswers.set('x', ['from-a-request']);
    assert.deepEqual(await model.ensureKeys('zen', P, { name: 'x', keys: ['k'] }), { kind: 'ok', keys: ['k'] });
    assert.deepEqual(model.keysState('zen', P, { name: 'x', keys: ['k'] }), { kind: 'ok', keys: ['k'] });
    assert.equal(factory.client('zen').keyCalls.length, 0);
  });

  it('fetched once on demand, shared by concurrent callers, then cached; the change event fires', async () => {
    start();
    await model.client('zen');
    const zen = factory.client('zen');
    events.length = 0;
    assert.deepEqual(model.keysState('zen', P, KEYED), { kind: 'loading' });
    const a = model.ensureKeys('zen', P, KEYED);
    const b = model.ensureKeys('zen', P, KEYED);
    assert.equal(zen.keyCalls.length, 1);
    zen.keyCalls[0].d.resolve(['k1', 'k2']);
    zen.keyAnswers.set('cfg', ['from-a-second-request']);
    assert.deepEqual(await a, { kind: 'ok', keys: ['k1', 'k2'] });
    assert.deepEqual(await b, { kind: 'ok', keys: ['k1', 'k2'] });
    assert.deepEqual(model.keysState('zen', P, KEYED), { kind: 'ok', keys: ['k1', 'k2'] });
    assert.deepEqual(await model.ensureKeys('zen', P, KEYED), { kind: 'ok', keys: ['k1', 'k2'] });
    assert.equal(zen.keyCalls.length, 1);
    assert.deepEqual(events, ['zen']);
    assert.deepEqual(zen.keyCalls[0].ref, P);
    assert.equal(zen.keyCalls[0].secret, KEYED);
  });

  it('a secret that is gone, or a failing request, is an error state', async () => {
    start();
    await model.client('zen');
    const zen = factory.client('zen');
    const gone = model.ensureKeys('zen', P, KEYED);
    zen.keyCalls[0].d.resolve(undefined);
    const st = await gone;
    assert.equal(st.kind === 'error' && (st.error as Error).message, "'cfg' is gone.");
    const boom = new Error('keys failed');
    zen.keyAnswers.set('other', boom);
    assert.deepEqual(await model.ensureKeys('zen', P, { name: 'other' }), { kind: 'error', error: boom });
  });

  it('a client without secretKeys, or a connection that is not ready: no request, an error', async () => {
    factory.withKeys.clear();
    start();
    await model.client('zen');
    assert.equal(model.keysState('zen', P, KEYED), undefined);
    const st = await model.ensureKeys('zen', P, KEYED);
    assert.equal(st.kind === 'error' && (st.error as Error).message, 'Key names are not available.');
    const none = await model.ensureKeys('nobody', P, KEYED);
    assert.equal(none.kind, 'error');
  });

  it('refresh and reloadList drop the cached key names', async () => {
    start();
    await model.client('zen');
    const zen = factory.client('zen');
    zen.keyAnswers.set('cfg', ['k1']);
    await model.ensureKeys('zen', P, KEYED);
    await model.refresh('zen');
    assert.deepEqual(model.keysState('zen', P, KEYED), { kind: 'loading' });
    await settle();
    assert.equal(zen.keyCalls.length, 2);
    await model.reloadList('zen', P);
    assert.deepEqual(model.keysState('zen', P, KEYED), { kind: 'loading' });
    await settle();
    assert.equal(zen.keyCalls.length, 3);
  });
});

describe('SecretsModel: reloadList', () => {
  it('fetches the scope again on this connection and on others to the same server showing that scope', async () => {
    store.add(record('same'), credential('t2'));
    store.add(record('elsewhere', 'https://other.example'), credential('t3', 'https://other.example'));
    factory.prepare('same', (c) => {
      c.answers.set('//p/', [A]);
      c.answers.set('//q/', [A]);
    });
    factory.prepare('elsewhere', (c) => c.answers.set('//p/', [A]));
    start();
    await Promise.all(['zen', 'same', 'elsewhere'].map((l) => model.ensureList(l, P)));
    await model.reloadList('zen', P);
    assert.equal(factory.client('zen').listsOf(P), 2);
    assert.equal(factory.client('same').listsOf(P), 2);
    assert.equal(factory.client('elsewhere').listsOf(P), 1);
    await model.reloadList('zen', Q);
    assert.equal(factory.client('same').listsOf(Q), 0, 'a scope the other connection does not show is left alone');
  });
});

describe('SecretsModel: dispose', () => {
  it('stops the change event and the store subscription', async () => {
    start();
    assert.equal(store.listeners.size, 1);
    model.dispose();
    assert.equal(store.listeners.size, 0);
    store.add(record('late'), credential('t9'));
    store.fire();
    assert.equal(model.record('late'), undefined, 'the store is no longer followed');
    await model.ensureConnection('zen');
    assert.deepEqual(events, [], 'no event after dispose');
  });
});
