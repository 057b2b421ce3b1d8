// Apolo / Neu.ro secret key rule (platform-secrets validators): 1–253 characters of letters, digits,
// `_`, `-` and `.`; not exactly `.`; not starting with `..`; not `---neuro---` (any case). Also the
// user / role names a secret is shared with, and the permission actions, lowest first.

import { printable } from '../../text';

const KEY_RE = /^(?!\.$|\.\.)[a-zA-Z0-9_\-.]+$/;
export const APOLO_KEY_RULE = "1–253 letters, digits, '_', '-' or '.', not '.' alone and not starting with '..'";

export function validateApoloKey(name: string): string | undefined {
  if (name.length === 0) return 'A secret name is required.';
  if (name.length > 253) return `Secret names are at most 253 characters (this one has ${name.length}).`;
  if (!KEY_RE.test(name)) return `'${printable(name)}' is not a valid secret name: use ${APOLO_KEY_RULE}.`;
  if (name.toLowerCase() === '---neuro---') return "'---neuro---' is reserved.";
  return undefined;
}


/** Apolo user / role names go into a URL path with `/` replaced by `:`; a `:` itself is refused. */
export function validateApoloUser(user: string): string | undefined {
  const u = user.trim();
  if (!u) return 'A user name is required.';
  if (u.includes(':')) return "User names can't contain ':'.";
  if (/[\s*?#%]/.test(u)) return `'${printable(u)}' is not a valid user or role name.`;
  return undefined;
}

/** The auth service's permission actions, lowest first (a higher one includes the lower). */
export const APOLO_ACTIONS = ['deny', 'list', 'read', 'write', 'manage'];
