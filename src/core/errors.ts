// Typed errors thrown by the core. The UI maps them in one place (src/ui/errorMapper.ts):
// auth → sign-in state, network → offline state with Retry, others → a message with "Show Logs".
// Messages never contain a token or a secret value: they are built from status codes, names and
// server messages that went through the redactor.

export type ErrorKind = 'auth' | 'permission' | 'network' | 'timeout' | 'http' | 'protocol' | 'validation' | 'cancelled' | 'unsupported' | 'conflict' | 'notFound';

export abstract class MlSecretsError extends Error {
  abstract readonly kind: ErrorKind;
  constructor(message: string, options?: { cause?: unknown }) {
    super(message);
    this.name = new.target.name;
    // `cause` is kept off the enumerable properties so JSON.stringify(err) cannot pull in a
    // lower-level error that still holds request details.
    if (options?.cause !== undefined) Object.defineProperty(this, 'cause', { value: options.cause, enumerable: false });
  }
}

/** 401, or a token we don't have / can't use. */
export class AuthError extends MlSecretsError {
  readonly kind = 'auth';
}

/** 403: signed in, but not allowed. `missing` lists what the platform said was missing. */
export class PermissionError extends MlSecretsError {
  readonly kind = 'permission';
  constructor(message: string, readonly missing: ReadonlyArray<{ uri: string; action: string }> = []) {
    super(message);
  }
}

/** DNS, refused, reset, TLS: the request did not get an HTTP answer. */
export class NetworkError extends MlSecretsError {
  readonly kind = 'network';
  constructor(message: string, readonly code?: string, options?: { cause?: unknown }) {
    super(message, options);
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
  constructor(readonly status: number, message: string, readonly serverMessage?: string, readonly retryAfterMs?: number) {
    super(message);
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
