// Which secret a checked reference denotes (its connection, name and resolved scope), whether two
// references denote the same one, and where a reference writes the name verbatim: what Find All
// References and Rename (src/language/secretUses.ts) decide uses by. Pure.

import type { Finding } from './checker';
import type { SecretReference } from '../references/reference';

/** A secret as references denote it: its connection's label, its name and (when resolved) its scope. */
export interface SecretIdentity {
  connection: string;
  name: string;
  scopeId?: string;
}

/** The secret a finding denotes on its file's connection; none for a name set at run time, a malformed reference or a file with no connection. */
export function identityOf(f: Finding, connection: string | undefined): SecretIdentity | undefined {
  if (!connection || f.ref.dynamic || f.status === 'skipped' || f.code === 'reference-malformed') return undefined;
  const name = f.secret?.name ?? f.missingName ?? f.ref.name;
  if (!name) return undefined;
  return { connection, name, ...(f.scopeId ? { scopeId: f.scopeId } : {}) };
}

/** Whether two identities are the same secret (a scope not known yet — the list is loading — doesn't tell them apart). */
export function sameSecret(a: SecretIdentity, b: SecretIdentity): boolean {
  return a.connection === b.connection && a.name === b.name && (a.scopeId === undefined || b.scopeId === undefined || a.scopeId === b.scopeId);
}

/** Where a reference's name is written verbatim in `text` (at its nameStart, inside the reference), else undefined. */
export function nameOffsets(ref: SecretReference, name: string, text: string): { start: number; end: number } | undefined {
  if (ref.nameStart === undefined || ref.nameStart < ref.start || ref.nameStart + name.length > ref.end) return undefined;
  return text.startsWith(name, ref.nameStart) ? { start: ref.nameStart, end: ref.nameStart + name.length } : undefined;
}
