// The items completion offers from a connection's cached lists: each list's names sorted once (per
// list version: a fetched list is a new object) by their lower-case form, so a typed prefix is a
// binary search and the items are its run, not a pass over 10,000 names. Names, types, scopes and
// dates only: a secret's value is never in a list. Pure: no vscode.

import type { SecretInfo } from '../platforms/types';

/** One secret as completion shows it. */
export interface NameEntry {
  name: string;
  /** Its lower-case form, the sort and match key. */
  lower: string;
  /** Type / scope and date (`demo-org/demo-project · 2026-12-06`). */
  detail: string;
}

/** A list's names ready for completion. */
export interface PreparedNames {
  /** Sorted by `lower`, then by name. */
  entries: NameEntry[];
  names: ReadonlySet<string>;
}

/** What completion of a prefix yields: the entries that start with it (case-insensitively), at most `limit`. */
export interface NameMatches {
  entries: NameEntry[];
  /** More matched than `limit`. */
  truncated: boolean;
  /** A secret is named exactly the prefix. */
  exists: boolean;
}

const cache = new WeakMap<object, PreparedNames>();

/** `list`'s names prepared once per list object (the model replaces the object when it fetches again). */
export function preparedNames(list: { secrets: readonly SecretInfo[] }): PreparedNames {
  let p = cache.get(list);
  if (!p) cache.set(list, (p = prepareNames(list.secrets)));
  return p;
}

export function prepareNames(secrets: readonly SecretInfo[]): PreparedNames {
  const entries: NameEntry[] = [];
  const names = new Set<string>();
  for (const s of secrets) {
    // A shadowed secret (ZenML: a public one under a private one of its name) is not the one a reference gets.
    if (s.shadowed || names.has(s.name)) continue;
    names.add(s.name);
    entries.push({ name: s.name, lower: s.name.toLowerCase(), detail: detailOf(s) });
  }
  entries.sort((a, b) => (a.lower < b.lower ? -1 : a.lower > b.lower ? 1 : a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  return { entries, names };
}

/** `type · scope · date` — whichever the platform gives (never a value: a list holds none). */
export function detailOf(s: SecretInfo): string {
  const parts: string[] = [];
  if (s.type) parts.push(s.type);
  if (s.scope) parts.push(s.scope);
  const date = (s.updatedAt ?? s.createdAt ?? '').slice(0, 10);
  if (date) parts.push(date);
  if (s.inaccessible) parts.push('not readable by you');
  return parts.join(' · ');
}

/** The entries of every list (the first list's wins for a name in several) that start with `prefix`, in order. */
export function matchNames(lists: readonly PreparedNames[], prefix: string, limit = 1000): NameMatches {
  const lower = prefix.toLowerCase();
  const seen = lists.length > 1 ? new Set<string>() : undefined;
  const entries: NameEntry[] = [];
  let truncated = false;
  for (const list of lists) {
    const all = list.entries;
    for (let i = lowerBound(all, lower); i < all.length && all[i].lower.startsWith(lower); i++) {
      const e = all[i];
      if (seen) {
        if (seen.has(e.name)) continue;
        seen.add(e.name);
      }
      if (entries.length >= limit) {
        truncated = true;
        break;
      }
      entries.push(e);
    }
  }
  if (lists.length > 1) entries.sort((a, b) => (a.lower < b.lower ? -1 : a.lower > b.lower ? 1 : 0));
  return { entries, truncated, exists: lists.some((l) => l.names.has(prefix)) };
}

/** The first entry whose `lower` is not below `key`. */
function lowerBound(entries: readonly NameEntry[], key: string): number {
  let lo = 0;
  let hi = entries.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (entries[mid].lower < key) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** Whether completion offers "Create secret 'NAME'…": a name typed, none such exists, and the platform accepts it. */
export function offersCreate(prefix: string, matches: NameMatches, validateName: (name: string) => string | undefined): boolean {
  return prefix.length > 0 && !matches.exists && validateName(prefix) === undefined;
}
