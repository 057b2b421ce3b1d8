// The secret lists a command-line check needs: per connection, the scopes its references point at
// (`client.scopeFor`), ONE list request per scope, a few in flight at a time; then each connection
// as the checker's CheckTarget (src/core/check/checker.ts), reading those lists.

import type { CheckTarget, ScopeState } from '../core/check/checker';
import { mapLimit } from '../core/concurrency';
import { describeError } from '../core/errors';
import { scopeLabelFor } from '../core/platforms/scopeLabels';
import { PLATFORM_NAMES, Scope, ScopeRef, SecretInfo } from '../core/platforms/types';
import type { SecretReference } from '../core/references/reference';
import type { CliConnection } from './connections';

const LIMIT = 4;

export function scopeKey(ref: ScopeRef): string {
  return [ref.cluster ?? '', ref.org ?? '', ref.project ?? '', ref.domain ?? ''].join('/');
}

type ListResult = { ok: ReadonlyMap<string, SecretInfo>; ref: ScopeRef } | { error: string; ref: ScopeRef };

export interface ConnectionLists {
  conn: CliConnection;
  scopes: Scope[];
  lists: Map<string, ListResult>;
  keys: Map<string, string[] | { unknown: string }>;
}

export interface ListFailure {
  connection: string;
  scope: string;
  reason: string;
}

/** The scopes the references need, by key. */
function neededScopes(conn: CliConnection, refs: readonly SecretReference[]): Map<string, ScopeRef> {
  const out = new Map<string, ScopeRef>();
  for (const r of refs) {
    // A reference its syntax calls malformed may still name a place the user was given (Neu.ro's
    // user-scoped secret://CLUSTER/USER/NAME, shared with them): the checker looks there (viaShare).
    if (r.dynamic || (r.problem && !r.cluster)) continue;
    const s = conn.client.scopeFor(r);
    for (const one of Array.isArray(s) ? s : 'unverified' in s ? [] : [s]) out.set(scopeKey(one), one);
  }
  return out;
}

/** Fetches, for each connection, its scopes and the lists its references need. */
export async function fetchLists(work: ReadonlyMap<CliConnection, SecretReference[]>): Promise<{ all: Map<string, ConnectionLists>; failures: ListFailure[]; requests: number; fetched: number }> {
  const all = new Map<string, ConnectionLists>();
  const jobs: Array<{ cl: ConnectionLists; key: string; ref: ScopeRef }> = [];
  const failures: ListFailure[] = [];
  await mapLimit([...work.keys()], LIMIT, async (conn) => {
    const cl: ConnectionLists = { conn, scopes: [], lists: new Map(), keys: new Map() };
    all.set(conn.label, cl);
    try {
      cl.scopes = await conn.client.listScopes();
    } catch (e) {
      // Without its scopes no list reads as complete: its missing names stay unverified, and this says why.
      failures.push({ connection: conn.label, scope: 'its scopes', reason: describeError(e) });
    }
    for (const [key, ref] of neededScopes(conn, work.get(conn) ?? [])) jobs.push({ cl, key, ref });
  });
  let fetched = 0;
  await mapLimit(jobs, LIMIT, async ({ cl, key, ref }) => {
    try {
      const secrets = await cl.conn.client.listSecrets(ref);
      cl.lists.set(key, { ok: new Map(secrets.map((s) => [s.name, s])), ref });
      fetched++;
    } catch (e) {
      const reason = describeError(e);
      cl.lists.set(key, { error: reason, ref });
      failures.push({ connection: cl.conn.label, scope: scopeLabelFor(cl.conn.client, ref) ?? key, reason });
    }
  });
  await fetchKeys(all, work);
  return { all, failures, requests: jobs.length, fetched };
}

/** Key names of the referenced secrets whose list entry has none (ZenML), one request per secret. */
async function fetchKeys(all: Map<string, ConnectionLists>, work: ReadonlyMap<CliConnection, SecretReference[]>): Promise<void> {
  const jobs: Array<{ cl: ConnectionLists; ref: ScopeRef; secret: SecretInfo; id: string }> = [];
  for (const [conn, refs] of work) {
    const cl = all.get(conn.label);
    if (!cl || !conn.client.capabilities.keys || !conn.client.secretKeys) continue;
    for (const r of refs) {
      const s = r.key === undefined || r.problem || r.dynamic ? undefined : conn.client.scopeFor(r);
      if (!s || Array.isArray(s) || 'unverified' in s) continue;
      const list = cl.lists.get(scopeKey(s));
      const secret = list && 'ok' in list ? list.ok.get(r.name) : undefined;
      const id = `${scopeKey(s)}\n${r.name}`;
      if (secret && !secret.keys && !jobs.some((j) => j.cl === cl && j.id === id)) jobs.push({ cl, ref: s, secret, id });
    }
  }
  await mapLimit(jobs, LIMIT, async ({ cl, ref, secret, id }) => {
    try {
      const keys = await cl.conn.client.secretKeys?.(ref, secret);
      if (keys) cl.keys.set(id, keys);
    } catch (e) {
      cl.keys.set(id, { unknown: describeError(e) });
    }
  });
}

/** A connection as the checker sees it, reading the fetched lists. */
export function checkTargetOf(cl: ConnectionLists): CheckTarget {
  const { client } = cl.conn;
  return {
    label: cl.conn.label,
    platformName: PLATFORM_NAMES[cl.conn.platform],
    keyed: client.capabilities.keys,
    validateName: (n) => client.validateName(n),
    resolveScope: (ref) => {
      const s = client.scopeFor(ref);
      if (Array.isArray(s)) return { scopeIds: s.map(scopeKey) };
      if ('unverified' in s) return { unverified: s.unverified };
      return { scopeId: scopeKey(s) };
    },
    keys: (scopeId, secret) => cl.keys.get(`${scopeId}\n${secret.name}`),
    state: (scopeId) => stateOf(cl, scopeId),
  };
}

function stateOf(cl: ConnectionLists, scopeId: string): ScopeState {
  const list = cl.lists.get(scopeId);
  const known = cl.scopes.find((s) => scopeKey(s.ref) === scopeId);
  const ref = list?.ref ?? known?.ref ?? {};
  const label = scopeLabelFor(cl.conn.client, ref) ?? (known?.label.replace(/^Your /, 'your ') || cl.conn.label);
  if (!list) return { status: 'unknown', label, reason: 'its list was not fetched.' };
  if ('error' in list) return { status: 'unknown', label, reason: list.error };
  return {
    status: 'ok',
    label,
    secrets: list.ok,
    complete: !!known?.complete,
    incompleteReason: `you are not a member of project '${ref.project ?? '?'}', so only secrets shared with you are listed there.`,
  };
}
