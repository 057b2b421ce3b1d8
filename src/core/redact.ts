// The redactor that sits in front of every sink (the log channel, error messages, notifications).
// Exact-match first: every token and value the extension has touched is registered here and
// replaced wherever it appears, in its raw, base64, URL-encoded and JSON-escaped forms. Patterns
// second, for what was never registered (a token a server echoes back, a header in an error).

const MIN_SECRET_LENGTH = 4;
const MASK = '***';

function forms(secret: string): string[] {
  const out = new Set<string>([secret]);
  try {
    out.add(Buffer.from(secret, 'utf8').toString('base64'));
    out.add(Buffer.from(secret, 'utf8').toString('base64').replace(/=+$/, ''));
    out.add(Buffer.from(secret, 'utf8').toString('base64url'));
  } catch {
    /* not encodable: raw form only */
  }
  try {
    out.add(encodeURIComponent(secret));
  } catch {
    /* a lone surrogate: not URL-encodable */
  }
  // application/x-www-form-urlencoded (URLSearchParams: space → '+', '*' kept, '~' escaped): how the
  // ZenML login password and the OAuth token forms travel.
  out.add(new URLSearchParams({ x: secret }).toString().slice(2));
  const json = JSON.stringify(secret).slice(1, -1);
  out.add(json);
  // JSON with every non-ASCII character escaped (Python's json.dumps default, ensure_ascii=True),
  // in both hex cases.
  const ascii = json.replace(/[\u007f-\uffff]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
  out.add(ascii);
  out.add(ascii.replace(/\\u([0-9a-f]{4})/g, (_m, h: string) => `\\u${h.toUpperCase()}`));
  return [...out].filter((f) => f.length >= MIN_SECRET_LENGTH);
}

const PATTERNS: Array<[RegExp, string]> = [
  // Authorization headers and bearer tokens, with every character a token may hold (`: / + = . _ -`).
  [/\b(authorization\s*[:=]\s*)("?)(bearer\s+|basic\s+)?[^\s"',;]+/gi, `$1$2$3${MASK}`],
  [/\b(bearer\s+)[A-Za-z0-9\-._~+/:=]+/gi, `$1${MASK}`],
  // JWTs (three base64url segments, the first starting with eyJ).
  [/\beyJ[A-Za-z0-9_-]{5,}\.[A-Za-z0-9_-]{5,}\.[A-Za-z0-9_-]*/g, MASK],
  // ZenML API keys.
  [/\bZENKEY_[A-Za-z0-9+/=_-]+/g, MASK],
  // key=value / "key": "value" pairs whose key says it holds a secret.
  [/\b((?:access_|refresh_|api_|client_|id_)?(?:token|password|passwd|api_?key|client_secret|secret_access_key|secret_key)"?\s*[:=]\s*"?)([^\s"',;&}]+)/gi, `$1${MASK}`],
];

export class Redactor {
  private readonly exact = new Map<string, number>();
  private sorted: string[] | undefined;

  /** Registers a secret (token, API key, password, secret value) to be masked everywhere. */
  add(secret: string | undefined | null): void {
    if (!secret || secret.length < MIN_SECRET_LENGTH) return;
    for (const f of forms(secret)) this.exact.set(f, (this.exact.get(f) ?? 0) + 1);
    this.sorted = undefined;
  }

  /** Forgets a secret registered with add (e.g. after a value has been sent and dropped). */
  remove(secret: string | undefined | null): void {
    if (!secret) return;
    for (const f of forms(secret)) {
      const n = (this.exact.get(f) ?? 0) - 1;
      if (n <= 0) this.exact.delete(f);
      else this.exact.set(f, n);
    }
    this.sorted = undefined;
  }

  /**
   * Registers several secrets at once; the returned function forgets them again (once, however
   * often it is called). For what is sent in one request: kept until the error about it is built.
   */
  hold(secrets: Iterable<string | undefined | null>): () => void {
    const held = [...secrets].filter((s): s is string => !!s && s.length >= MIN_SECRET_LENGTH);
    for (const s of held) this.add(s);
    let released = false;
    return () => {
      if (released) return;
      released = true;
      for (const s of held) this.remove(s);
    };
  }

  /** True when the secret (in its raw form) is registered: for tests and assertions. */
  has(secret: string): boolean {
    return this.exact.has(secret);
  }

  redact(text: string): string {
    if (!text) return text;
    if (!this.sorted) this.sorted = [...this.exact.keys()].sort((a, b) => b.length - a.length);
    let out = text;
    for (const s of this.sorted) if (out.includes(s)) out = out.split(s).join(MASK);
    for (const [re, rep] of PATTERNS) out = out.replace(re, rep);
    return out;
  }
}

/** The process-wide redactor: the core registers what it handles, the UI's sinks apply it. */
export const redactor = new Redactor();
export const redact = (text: string): string => redactor.redact(text);
