// Typed errors thrown by the core. The UI maps them in one place (src/ui/errors.ts):
// auth → sign-in state, network → offline state with Retry, others → a message with "Show Logs".
// Messages never contain a token or a secret value: they are built from status codes, names and
// server messages that went through the redactor — and, so no caller can forget, every message,
// server message, permission entry and cause is redacted again when the error is constructed.

import { redact } from './redact';

export type ErrorKind = 'auth' | 'permission' | 'network' | 'timeout' | 'http' | 'protocol' | 'validation' | 'cancelled' | 'unsupported' | 'conflict' | 'notFound';

const MAX_MESSAGE = 2000;

/** Redacted, single-line-safe and bounded: what an error may hold of text that came from elsewhere. */
export function safeText(text: string, max = MAX_MESSAGE): string {
  // Control characters (ANSI escapes, NUL) and bidi overrides from server text can't reach a
  // notification or the log as such: shown as '?'. Line breaks and tabs are kept.
  // eslint-disable-next-line no-control-regex
  const t = redact(String(text)).replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f\u202a-\u202e\u2066-\u2069]/g, '?');
  return t.length > max ? `${t.slice(0, max)}…` : t;
}

function safeOptional(text: string | undefined, max?: number): string | undefined {
  return text === undefined ? undefined : safeText(text, max);
}

/**
 * A lower-level error as an MlSecretsError may keep it: name, code and a redacted message and stack,
 * nothing else (node-fetch errors hold the request; a socket error holds buffers).
 */
export class SanitizedCause extends Error {
  declare readonly code?: string;
  constructor(cause: unknown, depth = 0) {
    const e = cause as { name?: unknown; message?: unknown; code?: unknown; stack?: unknown; cause?: unknown } | undefined;
    super(safeText(typeof e?.message === 'string' ? e.message : String(cause), 500));
    this.name = typeof e?.name === 'string' ? safeText(e.name, 100) : 'Error';
    if (typeof e?.code === 'string' || typeof e?.code === 'number') Object.defineProperty(this, 'code', { value: safeText(String(e.code), 100), enumerable: true });
    this.stack = typeof e?.stack === 'string' ? safeText(e.stack, 4000) : `${this.name}: ${this.message}`;
    if (e && typeof e === 'object' && e.cause !== undefined && depth < 3) {
      Object.defineProperty(this, 'cause', { value: sanitizeCause(e.cause, depth + 1), enumerable: false });
    }
  }
}

function sanitizeCause(cause: unknown, depth = 0): unknown {
  if (cause instanceof MlSecretsError) return cause;
  if (cause === null || cause === undefined) return cause;
  if (typeof cause === 'object' || typeof cause === 'string') return new SanitizedCause(cause, depth);
  return cause;
}

export abstract class MlSecretsError extends Error {
  abstract readonly kind: ErrorKind;
  constructor(message: string, options?: { cause?: unknown }) {
    // Redacted before Error captures it: the message, and the stack built from it, never hold a
    // registered secret, whatever text a caller put together.
    super(safeText(message));
    this.name = new.target.name;
    // `cause` is kept off the enumerable properties so JSON.stringify(err) cannot pull in a
    // lower-level error; and it is a sanitized copy, so util.inspect(err) shows nothing unredacted.
    if (options?.cause !== undefined) Object.defineProperty(this, 'cause', { value: sanitizeCause(options.cause), enumerable: false });
  }

  /** JSON.stringify(err): name, kind, message and own fields, every string redacted again. */
  toJSON(): Record<string, unknown> {
    const out: Record<string, unknown> = { name: this.name, message: safeText(this.message) };
    for (const [k, v] of Object.entries(this)) out[k] = redactDeep(v, 0);
    return out;
  }

  /**
   * util.inspect(err) (what a log line of an error shows): the stack and own fields, redacted again —
   * so even a field a subclass adds can't show a secret registered by the time it is printed.
   */
  [Symbol.for('nodejs.util.inspect.custom')](_depth: number, options: object, inspect: (v: unknown, o: object) => string): string {
    const { name: _n, message: _m, ...fields } = this.toJSON();
    const cause = (this as { cause?: unknown }).cause;
    const head = safeText(this.stack ?? `${this.name}: ${this.message}`, 8000);
    const parts = [head];
    if (Object.keys(fields).length) parts.push(inspect(fields, options));
    if (cause !== undefined) parts.push(`[cause]: ${safeText(typeof inspect === 'function' ? inspect(cause, options) : String(cause), 8000)}`);
    return parts.join(' ');
  }
}

function redactDeep(v: unknown, depth: number): unknown {
  if (typeof v === 'string') return safeText(v);
  if (depth > 4 || v === null || typeof v !== 'object') return typeof v === 'function' ? undefined : v;
  if (Array.isArray(v)) return v.slice(0, 100).map((x) => redactDeep(x, depth + 1));
  if (v instanceof Error) return { name: v.name, message: safeText(v.message) };
  const out: Record<string, unknown> = {};
  for (const [k, x] of Object.entries(v)) out[k] = redactDeep(x, depth + 1);
  return out;
}

/** 401, or a token we don't have / can't use. */
export class AuthError extends MlSecretsError {
  readonly kind = 'auth';
}

/** 403: signed in, but not allowed. `missing` lists what the platform said was missing. */
export class PermissionError extends MlSecretsError {
  readonly kind = 'permission';
  readonly missing: ReadonlyArray<{ uri: string; action: string }>;
  constructor(message: string, missing: ReadonlyArray<{ uri: string; action: string }> = []) {
    super(message);
    this.missing = missing.slice(0, 50).map((m) => ({ uri: safeText(m.uri, 500), action: safeText(m.action, 50) }));
  }
}

/** DNS, refused, reset, TLS: the request did not get an HTTP answer. */
export class NetworkError extends MlSecretsError {
  readonly kind = 'network';
  readonly code?: string;
  constructor(message: string, code?: string, options?: { cause?: unknown }) {
    super(message, options);
    this.code = safeOptional(code, 100);
  }
}

export class TimeoutError extends MlSecretsError {
  readonly kind = 'timeout';
}

export class CancelledError extends MlSecretsError {
  readonly kind = 'cancelled';
  constructor(message = 'Cancelled') {
    super(message);
  }
}

/** Any other non-success HTTP status. `serverMessage` is the platform's own (redacted) text. */
export class HttpError extends MlSecretsError {
  readonly kind: ErrorKind = 'http';
  readonly serverMessage?: string;
  constructor(readonly status: number, message: string, serverMessage?: string, readonly retryAfterMs?: number) {
    super(message);
    this.serverMessage = safeOptional(serverMessage, 500);
  }
}

export class NotFoundError extends HttpError {
  override readonly kind = 'notFound';
  constructor(message: string, serverMessage?: string) {
    super(404, message, serverMessage);
  }
}

export class ConflictError extends HttpError {
  override readonly kind = 'conflict';
  constructor(message: string, serverMessage?: string) {
    super(409, message, serverMessage);
  }
}

/** The server answered, but not in the shape its API documents (HTML, truncated JSON, wrong types). */
export class ProtocolError extends MlSecretsError {
  readonly kind = 'protocol';
}

/** Bad input caught before any request (a name that breaks the platform's rule, a missing field). */
export class ValidationError extends MlSecretsError {
  readonly kind = 'validation';
}

/** The platform cannot do this at all (e.g. sharing on MosaicML). */
export class UnsupportedError extends MlSecretsError {
  readonly kind = 'unsupported';
}

export function isMlSecretsError(e: unknown): e is MlSecretsError {
  return e instanceof MlSecretsError;
}

/** A one-line description safe to show to a user (the message is already redacted by construction). */
export function describeError(e: unknown): string {
  if (e instanceof MlSecretsError) return e.message;
  if (e instanceof Error) return `Unexpected error: ${e.name}`;
  return 'Unexpected error';
}
