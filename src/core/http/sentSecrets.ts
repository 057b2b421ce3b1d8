// What a request sends that may be a secret, so the HTTP layer can hold it in the redactor while the
// request runs: every string of the JSON body and form but the public fields (names), the auth
// header's value and credential, Basic auth's decoded `id:secret`, and base64 the client made, decoded.

import type { HttpRequest } from './httpTypes';

function isBase64(s: string): boolean {
  return s.length >= 8 && s.length % 4 === 0 && /^[A-Za-z0-9+/]+={0,2}$/.test(s);
}

/** A decoded base64 string when it round-trips to valid UTF-8 (a value the client encoded itself). */
function decodedBase64(s: string): string | undefined {
  if (!isBase64(s)) return undefined;
  const buf = Buffer.from(s, 'base64');
  if (buf.toString('base64') !== s) return undefined;
  const text = buf.toString('utf8');
  return text.includes('\uFFFD') ? undefined : text;
}

function matchesPublic(path: readonly string[], patterns: readonly string[][]): boolean {
  return patterns.some((p) => p.length <= path.length && p.every((seg, i) => seg === '*' || seg === path[i]));
}

/** The auth header's value, its credential, and for Basic auth the decoded pair and its secret (also form-decoded). */
function authSecrets(value: string, out: Set<string>): void {
  out.add(value);
  const m = /^(\S+)\s+(\S.*)$/.exec(value);
  const credential = m ? m[2] : value;
  out.add(credential);
  if (!m || !/^basic$/i.test(m[1])) return;
  const pair = Buffer.from(credential, 'base64').toString('utf8');
  out.add(pair);
  const i = pair.indexOf(':');
  if (i < 0) return;
  const secret = pair.slice(i + 1);
  out.add(secret);
  try {
    // RFC 6749 §2.3.1: client id and secret are form-encoded before they are joined.
    out.add(decodeURIComponent(secret.replace(/\+/g, ' ')));
  } catch {
    /* not percent-encoded */
  }
}

/**
 * Every string a request sends that may be a secret: each string in the JSON body and each form
 * value (except the public fields), the auth header's value and credential, and for Basic auth the
 * decoded `id:secret` and its secret; base64 strings the client made are also held decoded.
 */
export function sentSecrets(req: Pick<HttpRequest, 'json' | 'form' | 'auth' | 'publicFields'>): string[] {
  const out = new Set<string>();
  const pub = (req.publicFields ?? []).map((p) => p.split('.'));
  const addValue = (v: string) => {
    out.add(v);
    const d = decodedBase64(v);
    if (d) out.add(d);
  };
  const walk = (v: unknown, path: string[], depth: number) => {
    if (depth > 32) return;
    if (typeof v === 'string') {
      if (!matchesPublic(path, pub)) addValue(v);
    } else if (Array.isArray(v)) {
      v.forEach((x, i) => walk(x, [...path, String(i)], depth + 1));
    } else if (v && typeof v === 'object') {
      for (const [k, x] of Object.entries(v as Record<string, unknown>)) walk(x, [...path, k], depth + 1);
    }
  };
  if (req.json !== undefined) walk(req.json, [], 0);
  for (const [k, v] of Object.entries(req.form ?? {})) if (v !== undefined && !matchesPublic([k], pub)) addValue(v);
  if (req.auth?.value) authSecrets(req.auth.value, out);
  return [...out];
}
