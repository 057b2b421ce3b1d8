// Apolo / Neu.ro's `secret:` reference text → what it refers to (docs/contract.md "References in
// job files"): secret:NAME, secret:/PROJECT/NAME, secret://CLUSTER/ORG/PROJECT/NAME, each optionally
// with :/mount/path (a volume; not the URI form), or what makes it malformed.

import type { SecretReference } from '../../references/reference';

/** Parses one `secret:` text (already known to start with `secret:`). */
export function parseApoloRef(text: string): Omit<SecretReference, 'start' | 'end' | 'text'> {
  const body = text.slice('secret:'.length);
  const base = { syntax: 'apolo' as const, name: '' };
  if (body.includes('${{') || body.includes('$[[')) return { ...base, name: body, dynamic: true };
  if (/\s/.test(body)) return { ...base, name: body, problem: `'${text}' contains whitespace; a secret reference is secret:NAME.` };
  if (body.startsWith('//')) return parseUri(body.slice(2), base);
  // secret:NAME[:/mount/path] or secret:/PROJECT/NAME[:/mount/path]
  let refPart = body;
  let mountPath: string | undefined;
  const colon = body.indexOf(':');
  if (colon >= 0) {
    refPart = body.slice(0, colon);
    mountPath = body.slice(colon + 1);
    if (!mountPath) return { ...base, name: refPart, problem: `'${text}' ends with ':'; a secret volume is secret:NAME:/container/path.` };
    if (/:(ro|rw)$/.test(mountPath)) return { ...base, name: refPart, mountPath, problem: "Secret volumes can't be marked :ro or :rw; drop the suffix." };
    if (!mountPath.startsWith('/')) return { ...base, name: refPart, mountPath, problem: `The mount path '${mountPath}' must be absolute (start with '/').` };
  }
  if (refPart.startsWith('/')) {
    const segs = refPart.slice(1).split('/');
    if (segs.length !== 2 || !segs[0] || !segs[1]) return { ...base, name: segs[segs.length - 1] ?? '', form: 'project', mountPath, problem: `'secret:${refPart}' should be secret:/PROJECT/NAME.` };
    return { ...base, form: 'project', project: segs[0], name: segs[1], mountPath };
  }
  if (!refPart) return { ...base, form: 'short', mountPath, problem: "'secret:' names no secret: write secret:NAME (or secret:/PROJECT/NAME)." };
  if (refPart.includes('/')) return { ...base, name: refPart, form: 'short', mountPath, problem: `'secret:${refPart}': a name can't contain '/'; use secret:/PROJECT/NAME or secret://CLUSTER/ORG/PROJECT/NAME.` };
  return { ...base, form: 'short', name: refPart, mountPath };
}

/** `secret://` + rest: exactly CLUSTER/ORG/PROJECT/NAME, the name percent-decoded. */
function parseUri(rest: string, base: { syntax: 'apolo'; name: string }): Omit<SecretReference, 'start' | 'end' | 'text'> {
  if (rest.includes('?') || rest.includes('#')) return { ...base, name: rest, form: 'uri', problem: 'A secret URI cannot have a query (?) or fragment (#); use %3F / %23.' };
  const segs = rest.split('/');
  if (segs.length === 3 && segs.every(Boolean) && !/[@:]/.test(segs[0])) {
    // Neu.ro's user-scoped layout, secret://CLUSTER/USER/NAME: malformed as a reference of your own,
    // but it names a place, so a secret that USER shared with you there resolves (the checker asks).
    const problem = 'A secret URI has exactly four parts: secret://CLUSTER/ORG/PROJECT/NAME (this one has 3; a user-scoped secret://CLUSTER/USER/NAME resolves only while that user shares it with you).';
    return { ...base, form: 'uri', cluster: segs[0], org: segs[1], name: decodeSafe(segs[2]), problem };
  }
  if (segs.length !== 4 || segs.some((s) => !s)) {
    return { ...base, name: segs[segs.length - 1] ?? '', form: 'uri', problem: `A secret URI has exactly four parts: secret://CLUSTER/ORG/PROJECT/NAME (this one has ${segs.filter(Boolean).length}).` };
  }
  if (segs[0].includes('@') || segs[0].includes(':')) return { ...base, name: segs[3], form: 'uri', problem: 'A secret URI cannot carry a user, password or port.' };
  return { ...base, form: 'uri', cluster: segs[0], org: segs[1], project: segs[2], name: decodeSafe(segs[3]) };
}

function decodeSafe(s: string): string {
  try {
    return decodeURIComponent(s);
  } catch {
    return s;
  }
}

/** Where a well-formed reference's name starts in its text, when it appears there verbatim. */
export function apoloNameOffset(ref: SecretReference): number | undefined {
  const text = ref.text;
  // A URI's name is its last segment, percent-decoded: only an undecoded one is verbatim.
  if (ref.form === 'uri') return text.endsWith(`/${ref.name}`) ? text.length - ref.name.length : undefined;
  const skip = text.lastIndexOf('/', ref.mountPath !== undefined ? text.length - ref.mountPath.length - 1 : text.length);
  const at = text.indexOf(ref.name, Math.max(skip + 1, 'secret:'.length));
  return at >= 0 ? at : undefined;
}
