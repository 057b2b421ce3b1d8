// Apolo / Neu.ro secret key rule (platform-secrets validators): 1–253 characters of letters, digits,
// `_`, `-` and `.`; not exactly `.`; not starting with `..`; not `---neuro---` (any case).

const KEY_RE = /^(?!\.$|\.\.)[a-zA-Z0-9_\-.]+$/;
export const APOLO_KEY_RULE = "1–253 letters, digits, '_', '-' or '.', not '.' alone and not starting with '..'";

export function validateApoloKey(name: string): string | undefined {
  if (name.length === 0) return 'A secret name is required.';
  if (name.length > 253) return `Secret names are at most 253 characters (this one has ${name.length}).`;
  if (!KEY_RE.test(name)) return `'${printable(name)}' is not a valid secret name: use ${APOLO_KEY_RULE}.`;
  if (name.toLowerCase() === '---neuro---') return "'---neuro---' is reserved.";
  return undefined;
}

/**
 * Names come from files and servers: show them without control characters, and without the
 * invisible and bidirectional-override characters a hostile name could use to look like another
 * (Trojan Source, CVE-2021-42574).
 */
export function printable(s: string, max = 80): string {
  // eslint-disable-next-line no-control-regex
  const clean = s.replace(/[\u0000-\u001f\u007f-\u009f\u200b-\u200f\u202a-\u202e\u2028\u2029\u2060-\u2069\ufeff]/g, '?');
  return clean.length > max ? `${clean.slice(0, max)}…` : clean;
}

/** Apolo user / role names go into a URL path with `/` replaced by `:`; a `:` itself is refused. */
export function validateApoloUser(user: string): string | undefined {
  const u = user.trim();
  if (!u) return 'A user name is required.';
  if (u.includes(':')) return "User names can't contain ':'.";
  if (/[\s*?#%]/.test(u)) return `'${printable(u)}' is not a valid user or role name.`;
  return undefined;
}
