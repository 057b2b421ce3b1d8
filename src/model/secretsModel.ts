// The model behind the tree, the diagnostics, the lenses and the commands: it owns one client per
// connection, fetches scopes and secret lists, caches them with a TTL, shares in-flight requests
// (one list request per scope per refresh, whoever asks) and fires a change event. Nothing here
// shows UI.

import { ConnectionRecord, credentialFingerprint, StoredCredential } from '../core/connections';
import { Disposable, Emitter } from '../core/events';
import type { PlatformClient, Scope, ScopeRef, SecretInfo, TokenListener } from '../core/platforms/types';
import { buildSecretList, SecretList } from '../core/secretList';
import type { Log } from '../ui/log';
import { SideCache } from './sideCache';

/** How the model gets a connection's client (extension.ts: the platform's module, through lazy.ts). */
export type ClientFactory = (rec: ConnectionRecord, cred: StoredCredential, onToken?: TokenListener) => PlatformClient;

/**
 * What the model needs of the connection store (src/connections/connectionStore.ts satisfies it; the
 * unit test passes a fake): the model runs without VS Code.
 */
export interface ConnectionSource {
  list(): ConnectionRecord[];
  credential(rec: ConnectionRecord): Promise<StoredCredential | undefined>;
  updateToken(rec: ConnectionRecord, token: string, expiresAt: number | undefined): Promise<void>;
  onDidChange(listener: () => void): Disposable;
}

export type ConnectionState =
  | { kind: 'idle' }
  | { kind: 'signedOut' }
  | { kind: 'loading' }
  | { kind: 'ready'; client: PlatformClient; scopes: Scope[] }
  | { kind: 'error'; error: unknown; client?: PlatformClient };

export type ListState = { kind: 'loading' } | ({ kind: 'ok' } & SecretList) | { kind: 'error'; error: unknown };
export type KeysState = { kind: 'loading' } | { kind: 'ok'; keys: string[] } | { kind: 'error'; error: unknown };

interface Entry {
  record: ConnectionRecord;
  state: ConnectionState;
  loading?: Promise<ConnectionState>;
  lists: Map<string, ListState>;
  listLoads: Map<string, Promise<ListState>>;
  /** Key names fetched on demand (platforms whose lists don't carry them), by scope + name. */
  keys: Map<string, KeysState>;
  keyLoads: Map<string, Promise<KeysState>>;
  /** Extras loaded on demand (what was shared with the user, who has access): ./sharedAccess.ts. */
  side: SideCache;
  generation: number;
  /** Fingerprint of the credential the client was built with (to notice a change in storage). */
  token?: string;
}

export function scopeKey(ref: ScopeRef): string {
  return [ref.cluster ?? '', ref.org ?? '', ref.project ?? '', ref.domain ?? ''].join('/');
}

export class SecretsModel implements Disposable {
  private readonly emitter = new Emitter<string | undefined>();
  /** Fires with the connection label that changed, or undefined for "the set of connections". */
  readonly onDidChange = this.emitter.event;
  private readonly entries = new Map<string, Entry>();
  private readonly disposables: Disposable[] = [this.emitter];
  /** Sign-ins under way that started by themselves (the sandbox's at start-up). */
  private pendingSignIns = 0;

  constructor(
    private readonly store: ConnectionSource,
    /** Builds a platform client (loaded on first use, with the HTTP layer). */
    private readonly createClient: ClientFactory,
    private readonly log: Pick<Log, 'warn'>,
    private readonly ttlMs: () => number,
  ) {
    this.disposables.push(store.onDidChange(() => this.syncWithStore()));
    this.syncWithStore();
  }

  private syncWithStore(): void {
    const records = this.store.list();
    const labels = new Set(records.map((r) => r.label));
    for (const label of [...this.entries.keys()]) if (!labels.has(label)) this.entries.delete(label);
    for (const rec of records) {
      const e = this.entries.get(rec.label);
      // A changed record (re-sign-in) or a credential change in another window: start over.
      if (!e || JSON.stringify(e.record) !== JSON.stringify(rec)) this.entries.set(rec.label, this.newEntry(rec, e));
      else void this.recheckCredential(e);
    }
    this.emitter.fire(undefined);
  }

  /** Starts a connection over when its stored token changed or vanished (e.g. in another window). */
  private async recheckCredential(e: Entry): Promise<void> {
    if (e.state.kind === 'idle') return;
    // A sign-out while the token was being read: look again once that read has settled.
    if (e.loading) await e.loading.catch(() => undefined);
    if (this.entries.get(e.record.label) !== e) return;
    const cred = await this.store.credential(e.record);
    if (credentialFingerprint(cred) !== e.token && this.entries.get(e.record.label) === e) {
      this.entries.set(e.record.label, this.newEntry(e.record, e));
      this.emitter.fire(e.record.label);
    }
  }

  private newEntry(record: ConnectionRecord, previous?: Entry): Entry {
    const side = new SideCache(() => this.emitter.fire(record.label));
    return { record, state: { kind: 'idle' }, lists: new Map(), listLoads: new Map(), keys: new Map(), keyLoads: new Map(), side, generation: (previous?.generation ?? 0) + 1 };
  }

  /** A connection's on-demand extras (cleared on refresh). */
  side(label: string): SideCache | undefined {
    return this.entries.get(label)?.side;
  }

  connections(): ConnectionRecord[] {
    return [...this.entries.values()].map((e) => e.record);
  }

  record(label: string): ConnectionRecord | undefined {
    return this.entries.get(label)?.record;
  }

  /**
   * The current state; starts loading when idle (callers re-read on onDidChange). Reading the stored
   * token is loading too (never "signed out" before the read has answered), and so is a missing
   * token while a sign-in that started by itself is under way (see whileSigningIn).
   */
  connectionState(label: string): ConnectionState {
    const e = this.entries.get(label);
    if (!e) return { kind: 'signedOut' };
    if (e.state.kind === 'idle') void this.ensureConnection(label);
    if (e.state.kind === 'idle' || (e.state.kind === 'signedOut' && this.pendingSignIns > 0)) return { kind: 'loading' };
    return e.state;
  }

  /**
   * Marks sign-ins that run by themselves at start-up (the sandbox signing its demo connections in
   * again when the browser's secret storage forgot them): until they settle, a connection without a
   * token shows as loading rather than flashing "Signed out".
   */
  whileSigningIn<T>(p: Promise<T>): Promise<T> {
    this.pendingSignIns++;
    const done = () => {
      this.pendingSignIns--;
      this.emitter.fire(undefined);
    };
    p.then(done, done);
    return p;
  }

  ensureConnection(label: string): Promise<ConnectionState> {
    const e = this.entries.get(label);
    if (!e) return Promise.resolve({ kind: 'signedOut' });
    if (e.state.kind !== 'idle') return e.loading ?? Promise.resolve(e.state);
    const gen = e.generation;
    e.state = { kind: 'loading' };
    e.loading = this.load(e).then((state) => {
      if (this.entries.get(label) === e && e.generation === gen) {
        e.state = state;
        e.loading = undefined;
        this.emitter.fire(label);
      }
      return state;
    });
    return e.loading;
  }

  private async load(e: Entry): Promise<ConnectionState> {
    const cred = await this.store.credential(e.record);
    e.token = credentialFingerprint(cred);
    if (!cred) return { kind: 'signedOut' };
    let client: PlatformClient;
    try {
      client = this.createClient(e.record, cred, (token, expiresAt) => void this.store.updateToken(e.record, token, expiresAt));
    } catch (error) {
      return { kind: 'error', error };
    }
    try {
      const scopes = await client.listScopes();
      return { kind: 'ready', client, scopes };
    } catch (error) {
      this.log.warn(`${e.record.label}: ${error instanceof Error ? error.message : String(error)}`);
      return { kind: 'error', error, client };
    }
  }

  /** A ready connection's client (loading it if needed), else undefined. */
  async client(label: string): Promise<PlatformClient | undefined> {
    const s = await this.ensureConnection(label);
    return s.kind === 'ready' ? s.client : undefined;
  }

  listState(label: string, ref: ScopeRef): ListState | undefined {
    const e = this.entries.get(label);
    if (!e) return undefined;
    const key = scopeKey(ref);
    const s = e.lists.get(key);
    if (s?.kind === 'ok' && Date.now() - s.fetchedAt > this.ttlMs()) {
      // Stale: keep showing it while a fresh copy loads.
      void this.ensureList(label, ref, true);
    }
    return s;
  }

  /** Fetches a scope's list unless a fresh one is cached or a fetch is under way. */
  ensureList(label: string, ref: ScopeRef, force = false): Promise<ListState> {
    const e = this.entries.get(label);
    if (!e) return Promise.resolve({ kind: 'error', error: new Error('No such connection') });
    const key = scopeKey(ref);
    const inflight = e.listLoads.get(key);
    if (inflight) return inflight;
    const cached = e.lists.get(key);
    if (!force && cached && cached.kind !== 'loading' && !(cached.kind === 'ok' && Date.now() - cached.fetchedAt > this.ttlMs())) return Promise.resolve(cached);
    const gen = e.generation;
    if (!cached || cached.kind !== 'ok') e.lists.set(key, { kind: 'loading' });
    const p = (async (): Promise<ListState> => {
      const client = await this.client(label);
      if (!client) {
        const st = this.connectionState(label);
        return { kind: 'error', error: st.kind === 'error' ? st.error : new Error('Signed out') };
      }
      try {
        return { kind: 'ok', ...buildSecretList(await client.listSecrets(ref)) };
      } catch (error) {
        this.log.warn(`${label}: ${error instanceof Error ? error.message : String(error)}`);
        return { kind: 'error', error };
      }
    })().then((state) => {
      if (this.entries.get(label) === e && e.generation === gen) {
        e.listLoads.delete(key);
        e.lists.set(key, state);
        this.emitter.fire(label);
      }
      return state;
    });
    e.listLoads.set(key, p);
    return p;
  }

  /**
   * Drops what is cached for one connection (or all) and loads again what had been loaded: one
   * request per scope. A ready connection keeps its client (no new discovery or login); one that
   * failed or is signed out starts over.
   */
  async refresh(label?: string): Promise<void> {
    const targets = label ? [this.entries.get(label)].filter((e): e is Entry => !!e) : [...this.entries.values()];
    await Promise.all(
      targets.map(async (e) => {
        const loadedScopes = [...e.lists.keys()];
        if (e.state.kind === 'ready') {
          const { scopes } = e.state;
          e.generation++;
          e.lists.clear();
          e.listLoads.clear();
          e.keys.clear();
          e.keyLoads.clear();
          e.side.clear();
          this.emitter.fire(e.record.label);
          const wanted = new Map<string, ScopeRef>();
          for (const s of scopes) if (s.isDefault || loadedScopes.includes(scopeKey(s.ref))) wanted.set(scopeKey(s.ref), s.ref);
          for (const k of loadedScopes) if (!wanted.has(k)) wanted.set(k, refFromKey(k));
          await Promise.all([...wanted.values()].map((ref) => this.ensureList(e.record.label, ref, true)));
          return;
        }
        const fresh = this.newEntry(e.record, e);
        this.entries.set(e.record.label, fresh);
        this.emitter.fire(e.record.label);
        const st = await this.ensureConnection(e.record.label);
        if (st.kind !== 'ready') return;
        const wanted = new Map<string, ScopeRef>();
        for (const s of st.scopes) if (s.isDefault || loadedScopes.includes(scopeKey(s.ref))) wanted.set(scopeKey(s.ref), s.ref);
        for (const k of loadedScopes) if (!wanted.has(k)) wanted.set(k, refFromKey(k));
        await Promise.all([...wanted.values()].map((ref) => this.ensureList(e.record.label, ref, true)));
      }),
    );
  }

  /** A secret's key names: from its list entry, else fetched once on demand (ZenML lists don't carry them). */
  keysState(label: string, ref: ScopeRef, secret: SecretInfo): KeysState | undefined {
    if (secret.keys) return { kind: 'ok', keys: secret.keys };
    const e = this.entries.get(label);
    if (!e) return undefined;
    const cur = e.keys.get(keysKey(ref, secret));
    if (cur) return cur;
    if (e.state.kind !== 'ready' || !e.state.client.secretKeys) return undefined;
    void this.ensureKeys(label, ref, secret);
    return { kind: 'loading' };
  }

  ensureKeys(label: string, ref: ScopeRef, secret: SecretInfo): Promise<KeysState> {
    if (secret.keys) return Promise.resolve({ kind: 'ok', keys: secret.keys });
    const e = this.entries.get(label);
    if (!e || e.state.kind !== 'ready' || !e.state.client.secretKeys) return Promise.resolve({ kind: 'error', error: new Error('Key names are not available.') });
    const k = keysKey(ref, secret);
    const cur = e.keys.get(k);
    if (cur && cur.kind !== 'loading') return Promise.resolve(cur);
    const inflight = e.keyLoads.get(k);
    if (inflight) return inflight;
    const gen = e.generation;
    const client = e.state.client;
    e.keys.set(k, { kind: 'loading' });
    const p = (async (): Promise<KeysState> => {
      try {
        const keys = await (client.secretKeys as NonNullable<typeof client.secretKeys>)(ref, secret);
        return keys ? { kind: 'ok', keys } : { kind: 'error', error: new Error(`'${secret.name}' is gone.`) };
      } catch (error) {
        return { kind: 'error', error };
      }
    })().then((next) => {
      if (this.entries.get(label) === e && e.generation === gen) {
        e.keys.set(k, next);
        e.keyLoads.delete(k);
        this.emitter.fire(label);
      }
      return next;
    });
    e.keyLoads.set(k, p);
    return p;
  }

  /**
   * After a change made through the extension (add/delete): fetch that scope's list again — on this
   * connection, and on every other connection to the same server (origin) that has the same scope
   * loaded (apolo-demo and neuro-demo both showing one project), so no view of it goes stale.
   */
  async reloadList(label: string, ref: ScopeRef): Promise<void> {
    const key = scopeKey(ref);
    const origin = originOf(this.entries.get(label)?.record.url);
    const labels = [label];
    for (const o of this.entries.values()) {
      if (o.record.label !== label && origin && originOf(o.record.url) === origin && (o.lists.has(key) || o.listLoads.has(key))) labels.push(o.record.label);
    }
    await Promise.all(
      labels.map((l) => {
        const e = this.entries.get(l);
        if (e) {
          e.listLoads.delete(key);
          for (const k of [...e.keys.keys()]) if (k.startsWith(`${key}\u0000`)) e.keys.delete(k);
          for (const k of [...e.keyLoads.keys()]) if (k.startsWith(`${key}\u0000`)) e.keyLoads.delete(k);
        }
        return this.ensureList(l, ref, true);
      }),
    );
  }

  dispose(): void {
    for (const d of this.disposables) d.dispose();
  }
}

function keysKey(ref: ScopeRef, secret: SecretInfo): string {
  return `${scopeKey(ref)}\u0000${secret.private ? 'p' : ''}\u0000${secret.name}`;
}

function originOf(url: string | undefined): string | undefined {
  if (!url) return undefined;
  try {
    return new URL(url.replace(/^dns:\/\/\//, 'https://')).origin;
  } catch {
    return undefined;
  }
}

function refFromKey(key: string): ScopeRef {
  const [cluster, org, project, domain] = key.split('/');
  const ref: ScopeRef = {};
  if (cluster) ref.cluster = cluster;
  if (org) ref.org = org;
  if (project) ref.project = project;
  if (domain) ref.domain = domain;
  return ref;
}
