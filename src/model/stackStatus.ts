// Whether the secrets a stack's components reference exist: read from the connection's cached list
// of its own scope and the referenced secrets' key names (fetched on demand, as the tree does for a
// secret's keys). Shared by the Stacks rows of the Secrets view (src/tree/stackNodes.ts) and by
// Register Missing Secrets for Stack (src/commands/registerStackSecrets.ts). Names only, never a value.

import type { ScopeRef, SecretInfo, StackInfo, StackSecretRef } from '../core/platforms/types';
import type { KeysState, ListState } from './secretsModel';

export type RefStatus = 'exists' | 'missing' | 'keyMissing' | 'unknown' | 'loading';

/** What the status needs of the model (SecretsModel satisfies it). */
export interface StatusSource {
  listState(label: string, ref: ScopeRef): ListState | undefined;
  keysState(label: string, ref: ScopeRef, secret: SecretInfo): KeysState | undefined;
}

/** One reference's status from what is cached (reading it may start a key-name fetch). */
export function refStatus(src: StatusSource, label: string, scope: ScopeRef, ref: Pick<StackSecretRef, 'name' | 'key'>): RefStatus {
  const ls = src.listState(label, scope);
  if (!ls || ls.kind === 'loading') return 'loading';
  if (ls.kind === 'error') return 'unknown';
  const secret = ls.byName.get(ref.name);
  if (!secret) return 'missing';
  if (secret.inaccessible) return 'unknown';
  const ks = src.keysState(label, scope, secret);
  if (!ks) return 'unknown';
  if (ks.kind === 'loading') return 'loading';
  if (ks.kind === 'error') return 'unknown';
  return ks.keys.includes(ref.key) ? 'exists' : 'keyMissing';
}

export interface StatusCounts {
  total: number;
  missing: number;
  keyMissing: number;
  unknown: number;
  loading: number;
}

/** Counts of distinct references (`name.key`); a missing secret counts once, whatever its keys. */
export function countStatus(src: StatusSource, label: string, scope: ScopeRef, refs: readonly StackSecretRef[]): StatusCounts {
  const seen = new Set<string>();
  const missingNames = new Set<string>();
  const c: StatusCounts = { total: 0, missing: 0, keyMissing: 0, unknown: 0, loading: 0 };
  for (const r of refs) {
    const id = `${r.name}\u0000${r.key}`;
    if (seen.has(id)) continue;
    seen.add(id);
    c.total++;
    const s = refStatus(src, label, scope, r);
    if (s === 'missing') missingNames.add(r.name);
    else if (s !== 'exists') c[s]++;
  }
  c.missing = missingNames.size;
  return c;
}

export function stackRefs(stack: StackInfo): StackSecretRef[] {
  return stack.components.flatMap((c) => c.references);
}

/** "2 missing · 1 key missing", "all present", "checking…" (a row's description). */
export function countsText(c: StatusCounts): string {
  if (!c.total) return 'no secret references';
  const parts = [c.missing ? `${c.missing} secret${c.missing === 1 ? '' : 's'} missing` : '', c.keyMissing ? `${c.keyMissing} key${c.keyMissing === 1 ? '' : 's'} missing` : '', c.unknown ? `${c.unknown} unknown` : ''].filter(Boolean);
  if (parts.length) return parts.join(' · ');
  return c.loading ? 'checking…' : `all ${c.total} present`;
}

/** A secret to create (no `existing`) or to add keys to, with the keys it lacks. */
export interface SecretNeed {
  name: string;
  existing?: SecretInfo;
  keys: string[];
}

/** What the model must answer to work out a stack's needs (SecretsModel satisfies it). */
export interface NeedsSource {
  ensureList(label: string, ref: ScopeRef): Promise<ListState>;
  ensureKeys(label: string, ref: ScopeRef, secret: SecretInfo): Promise<KeysState>;
}

/** Every referenced secret that is missing or lacks a referenced key (in the order first referenced). */
export async function stackNeeds(src: NeedsSource, label: string, scope: ScopeRef, stack: StackInfo): Promise<SecretNeed[]> {
  const ls = await src.ensureList(label, scope);
  if (ls.kind !== 'ok') throw ls.kind === 'error' && ls.error instanceof Error ? ls.error : new Error('The secret list could not be loaded.');
  const wanted = new Map<string, Set<string>>();
  for (const r of stackRefs(stack)) wanted.set(r.name, (wanted.get(r.name) ?? new Set()).add(r.key));
  const needs: SecretNeed[] = [];
  for (const [name, keys] of wanted) {
    const existing = ls.byName.get(name);
    if (!existing) {
      needs.push({ name, keys: [...keys] });
      continue;
    }
    if (existing.inaccessible) throw new Error(`Secret '${name}' exists but this user can't read it, so its keys can't be checked.`);
    const ks = await src.ensureKeys(label, scope, existing);
    if (ks.kind !== 'ok') throw ks.kind === 'error' && ks.error instanceof Error ? ks.error : new Error(`The keys of '${name}' could not be read.`);
    const lacking = [...keys].filter((k) => !ks.keys.includes(k));
    if (lacking.length) needs.push({ name, existing, keys: lacking });
  }
  return needs;
}
