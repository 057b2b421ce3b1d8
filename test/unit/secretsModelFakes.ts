// Fakes for the SecretsModel unit test (test/unit/secretsModel.test.ts): a connection store held in
// memory and platform clients whose every call is counted and answered by a promise the test settles
// itself (or at once, from a table of answers). No VS Code, no network, no timers.
import type { ConnectionRecord, StoredCredential } from '../../src/core/connections';
import type { Disposable } from '../../src/core/events';
import type { DeleteResult, PlatformClient, Scope, ScopeRef, SecretInfo, TokenListener } from '../../src/core/platforms/types';
import { ConnectionSource, scopeKey } from '../../src/model/secretsModel';

export interface Deferred<T> {
  promise: Promise<T>;
  resolve(v: T): void;
  reject(e: unknown): void;
}

export function deferred<T>(): Deferred<T> {
  let resolve!: (v: T) => void;
  let reject!: (e: unknown) => void;
  const promise = new Promise<T>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
}

/** Lets every promise callback that is ready run (no clock involved). */
export const settle = () => new Promise<void>((r) => setImmediate(r));

export function record(label: string, origin = 'https://zen.example'): ConnectionRecord {
  return { label, platform: 'zenml', url: `${origin}/`, origin, scope: { project: 'p' }, createdAt: 0 };
}

export function credential(token: string, origin = 'https://zen.example'): StoredCredential {
  return { v: 1, origin, origins: [origin], token };
}

export const P: ScopeRef = { project: 'p' };
export const Q: ScopeRef = { project: 'q' };
export const SCOPES: Scope[] = [
  { id: 'p', label: 'p', ref: P, isDefault: true, complete: true },
  { id: 'q', label: 'q', ref: Q, isDefault: false, complete: true },
];

/** The connection store, in memory: records, credentials by label, the tokens it was asked to store. */
export class FakeStore implements ConnectionSource {
  records: ConnectionRecord[] = [];
  creds = new Map<string, StoredCredential>();
  credentialReads = 0;
  updates: { label: string; token: string; expiresAt: number | undefined }[] = [];
  listeners = new Set<() => void>();

  add(rec: ConnectionRecord, cred?: StoredCredential): void {
    this.records.push(rec);
    if (cred) this.creds.set(rec.label, cred);
  }

  list(): ConnectionRecord[] {
    return this.records.map((r) => ({ ...r }));
  }

  async credential(rec: ConnectionRecord): Promise<StoredCredential | undefined> {
    this.credentialReads++;
    return this.creds.get(rec.label);
  }

  async updateToken(rec: ConnectionRecord, token: string, expiresAt: number | undefined): Promise<void> {
    this.updates.push({ label: rec.label, token, expiresAt });
  }

  onDidChange(listener: () => void): Disposable {
    this.listeners.add(listener);
    return { dispose: () => void this.listeners.delete(listener) };
  }

  /** What ConnectionStore does after a save, sign-out or a change in another window. */
  fire(): void {
    for (const l of [...this.listeners]) l();
  }
}

type Answer<T> = T | Error;

/**
 * A platform client: each call is recorded with a deferred answer. A call whose scope has an entry in
 * `answers` (or `scopes` for listScopes) is answered at once; otherwise the test settles it.
 */
export class FakeClient implements PlatformClient {
  readonly platform = 'zenml' as const;
  readonly capabilities = { share: false, update: 'native' as const, keys: true, fileValues: false, privateFlag: true };
  scopes: Answer<Scope[]> | undefined = SCOPES;
  answers = new Map<string, Answer<SecretInfo[]>>();
  keyAnswers = new Map<string, Answer<string[] | undefined>>();
  scopeCalls: Deferred<Scope[]>[] = [];
  listCalls: { ref: ScopeRef; d: Deferred<SecretInfo[]> }[] = [];
  keyCalls: { ref: ScopeRef; secret: SecretInfo; d: Deferred<string[] | undefined> }[] = [];
  secretKeys?: (scope: ScopeRef, secret: SecretInfo) => Promise<string[] | undefined>;

  constructor(withKeys = false) {
    if (withKeys) {
      this.secretKeys = (ref, secret) => {
        const d = deferred<string[] | undefined>();
        this.keyCalls.push({ ref, secret, d });
        answer(d, this.keyAnswers.get(secret.name));
        return d.promise;
      };
    }
  }

  listScopes(): Promise<Scope[]> {
    const d = deferred<Scope[]>();
    this.scopeCalls.push(d);
    answer(d, this.scopes);
    return d.promise;
  }

  listSecrets(ref: ScopeRef): Promise<SecretInfo[]> {
    const d = deferred<SecretInfo[]>();
    this.listCalls.push({ ref, d });
    const a = this.answers.get(scopeKey(ref));
    // A copy: the model sorts the array it is given.
    answer(d, Array.isArray(a) ? a.map((s) => ({ ...s })) : a);
    return d.promise;
  }

  /** How many list requests went to a scope. */
  listsOf(ref: ScopeRef): number {
    return this.listCalls.filter((c) => scopeKey(c.ref) === scopeKey(ref)).length;
  }

  validateName(): string | undefined {
    return undefined;
  }
  addSecret(): Promise<void> {
    throw new Error('not used');
  }
  deleteSecret(): Promise<DeleteResult> {
    throw new Error('not used');
  }
  scopeFor(): ScopeRef {
    return P;
  }
  reference(_scope: ScopeRef, name: string): string {
    return name;
  }
}

function answer<T>(d: Deferred<T>, a: Answer<T> | undefined): void {
  if (a instanceof Error) d.reject(a);
  else if (a !== undefined) d.resolve(a);
}

/** The model's client factory: one FakeClient per connection label (made on first use), every call recorded. */
export class FakeFactory {
  clients = new Map<string, FakeClient>();
  calls: { label: string; token: string; onToken?: TokenListener }[] = [];
  /** Labels whose next client has a secretKeys call. */
  withKeys = new Set<string>();
  /** Makes the factory throw (a client that can't be built from the stored record). */
  fail: Error | undefined;

  readonly create = (rec: ConnectionRecord, cred: StoredCredential, onToken?: TokenListener): PlatformClient => {
    this.calls.push({ label: rec.label, token: cred.token, onToken });
    if (this.fail) throw this.fail;
    const c = new FakeClient(this.withKeys.has(rec.label));
    // A client made again for the same label keeps the test's answers.
    const previous = this.clients.get(rec.label);
    if (previous) {
      c.scopes = previous.scopes;
      c.answers = previous.answers;
      c.keyAnswers = previous.keyAnswers;
    }
    this.clients.set(rec.label, c);
    return c;
  };

  client(label: string): FakeClient {
    const c = this.clients.get(label);
    if (!c) throw new Error(`no client was made for ${label}`);
    return c;
  }

  /** Answers for a label's client before it exists (made on first use). */
  prepare(label: string, fn: (c: FakeClient) => void): void {
    const c = new FakeClient(this.withKeys.has(label));
    fn(c);
    this.clients.set(label, c);
  }
}

/** A log that keeps its warnings. */
export class FakeLog {
  warnings: string[] = [];
  warn(msg: string): void {
    this.warnings.push(msg);
  }
}
