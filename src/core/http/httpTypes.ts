// The shapes the HTTP layer speaks (src/core/http/httpClient.ts): a request as the platform clients
// describe it, the answer they get back, and the fetch implementation underneath.

export type LogFn = (level: 'trace' | 'debug' | 'info' | 'warn' | 'error', message: string) => void;

/** A credential and the origins (scheme://host:port) it may be sent to. */
export interface HttpAuth {
  readonly origins: readonly string[];
  readonly header: string;
  readonly value: string;
}

export interface HttpRequest {
  method?: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  url: string;
  query?: Record<string, string | number | boolean | undefined | readonly string[]>;
  headers?: Record<string, string>;
  /** JSON body (sets Content-Type). */
  json?: unknown;
  /** application/x-www-form-urlencoded body. */
  form?: Record<string, string | undefined>;
  /**
   * A body of bytes as is (e.g. a protobuf message), with its Content-Type. Nothing in it is fed to
   * the redactor: the caller holds whatever secret it carries there for the request.
   */
  raw?: { bytes: Uint8Array; contentType: string };
  auth?: HttpAuth;
  /** The body carries credentials (a login form): redirects are treated as for an authenticated request. */
  confidential?: boolean;
  /** Defaults: GET/PUT/DELETE idempotent, POST/PATCH not. */
  idempotent?: boolean;
  signal?: AbortSignal;
  timeoutMs?: number;
  /** Override the client's retry count (0 = a single attempt). */
  retries?: number;
  /**
   * Paths in `json` / keys in `form` whose strings are names, not secrets (dot-separated; `*` is any
   * one segment; a path covers everything under it). Every other string sent is held in the
   * redactor for the request — forgetting to list a name only over-redacts, never leaks.
   */
  publicFields?: readonly string[];
  /** Cap on the decompressed response body for this request (default: the client's). */
  maxResponseBytes?: number;
  /**
   * An anonymous request may follow a redirect to another origin only when this is set. Default
   * off for every request: a discovery call must not be steered to another server.
   */
  allowCrossOriginRedirect?: boolean;
}

export interface HttpResponse {
  readonly status: number;
  readonly url: string;
  readonly headers: { get(name: string): string | null };
  readonly text: string;
  /** The (decompressed) body as bytes. */
  readonly bytes: Uint8Array;
  /**
   * Parses the body as JSON; a body that isn't JSON (an HTML sign-in or captive-portal page,
   * garbage) is a ProtocolError naming the URL and never quoting the body.
   */
  json(reviver?: (key: string, value: unknown) => unknown): unknown;
}

export type FetchLike = (url: string, init: Record<string, unknown>) => Promise<FetchResponseLike>;
export interface FetchResponseLike {
  status: number;
  headers: { get(name: string): string | null };
  body: AsyncIterable<Uint8Array> | null;
  text(): Promise<string>;
}
