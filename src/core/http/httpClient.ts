// The one HTTP layer every platform client goes through.
// - node-fetch (it uses Node's http/https, which VS Code patches for proxies), loaded on first use;
// - a timeout per attempt and cancellation through an AbortSignal;
// - retries with exponential backoff and full jitter for idempotent calls (network faults, 502/503/504)
//   and for 429 (the server did not act on the request), honouring Retry-After;
// - redirects handled by hand: no request follows a redirect to another origin (an authenticated
//   one never; an anonymous one only when it opts in), and nothing follows https → http;
// - every string the request sends (JSON body, form body, auth header) in every encoding is held
//   in the redactor while the request runs and until the caller has built its error from the
//   answer, so an echoed body can't put a value, password or token into a message;
// - a cap on the (decompressed) response size, per request;
// - the token is attached only when the target's origin is one the token is bound to;
// - typed errors whose messages never carry a token, a header or a body the redactor hasn't seen.

import { CancelledError, NetworkError, ProtocolError, TimeoutError } from '../errors';
import { redact, redactor } from '../redact';
import { nodeFetch } from '../vendor';

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

type FetchLike = (url: string, init: Record<string, unknown>) => Promise<FetchResponseLike>;
interface FetchResponseLike {
  status: number;
  headers: { get(name: string): string | null };
  body: AsyncIterable<Uint8Array> | null;
  text(): Promise<string>;
}

export interface HttpClientOptions {
  fetch?: FetchLike;
  /** Per-attempt timeout; a function is read on every request (settings can change). */
  timeoutMs?: number | (() => number);
  maxRetries?: number;
  baseDelayMs?: number;
  maxDelayMs?: number;
  /** Longest Retry-After we wait for before giving up and reporting it. */
  maxRetryAfterMs?: number;
  maxResponseBytes?: number;
  userAgent?: string;
  log?: LogFn;
  sleep?: (ms: number, signal?: AbortSignal) => Promise<void>;
  random?: () => number;
}

const MAX_REDIRECTS = 3;

/** Response caps that fit these APIs: a page of a list may be large, an answer to a write is small. */
export const RESPONSE_CAP = {
  list: 32 * 1024 * 1024,
  read: 8 * 1024 * 1024,
  write: 1024 * 1024,
  auth: 256 * 1024,
} as const;
const RETRYABLE_STATUS = new Set([502, 503, 504]);
// Errors that mean "no answer, and trying again may help". TLS/certificate problems are not here:
// retrying a certificate that isn't trusted never helps (the Vault / go-retryablehttp rule).
const RETRYABLE_CODES = new Set(['ECONNRESET', 'ECONNREFUSED', 'EPIPE', 'ETIMEDOUT', 'EAI_AGAIN', 'ENOTFOUND', 'ENETUNREACH', 'EHOSTUNREACH', 'UND_ERR_SOCKET', 'ECONNABORTED']);

function loadNodeFetch(): Promise<FetchLike> {
  return nodeFetch() as Promise<FetchLike>;
}

export function originOf(url: string): string {
  return new URL(url).origin;
}

export function defaultSleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(new CancelledError());
    const t = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    const onAbort = () => {
      clearTimeout(t);
      reject(new CancelledError());
    };
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}

/** Parses Retry-After (delta-seconds or an HTTP date) into milliseconds. */
export function parseRetryAfter(value: string | null, now = Date.now()): number | undefined {
  if (!value) return undefined;
  const v = value.trim();
  if (/^\d+(\.\d+)?$/.test(v)) return Math.round(parseFloat(v) * 1000);
  const at = Date.parse(v);
  if (!Number.isNaN(at)) return Math.max(0, at - now);
  return undefined;
}

function buildUrl(url: string, query: HttpRequest['query']): string {
  const u = new URL(url);
  if (query) {
    for (const [k, v] of Object.entries(query)) {
      if (v === undefined) continue;
      if (Array.isArray(v)) for (const item of v) u.searchParams.append(k, item);
      else u.searchParams.set(k, String(v));
    }
  }
  return u.toString();
}

/** A URL as it may appear in a log line: no userinfo, query values kept (they are names, never secrets). */
export function loggableUrl(url: string): string {
  try {
    const u = new URL(url);
    u.username = '';
    u.password = '';
    return redact(u.toString());
  } catch {
    return '<invalid URL>';
  }
}

export class HttpClient {
  private readonly timeoutSetting: number | (() => number);
  private readonly maxRetries: number;
  private readonly baseDelayMs: number;
  private readonly maxDelayMs: number;
  private readonly maxRetryAfterMs: number;
  private readonly maxResponseBytes: number;
  /** Where the HTTP layer logs; its users (e.g. the Flyte client) log there too. */
  readonly log: LogFn;
  private readonly sleep: (ms: number, signal?: AbortSignal) => Promise<void>;
  private readonly random: () => number;

  constructor(private readonly options: HttpClientOptions = {}) {
    this.timeoutSetting = options.timeoutMs ?? 30_000;
    this.maxRetries = options.maxRetries ?? 2;
    this.baseDelayMs = options.baseDelayMs ?? 500;
    this.maxDelayMs = options.maxDelayMs ?? 8_000;
    this.maxRetryAfterMs = options.maxRetryAfterMs ?? 30_000;
    this.maxResponseBytes = options.maxResponseBytes ?? 64 * 1024 * 1024;
    const log = options.log;
    // Every log line passes the redactor here, whatever a caller (or this file) put in it.
    this.log = log ? (level, message) => log(level, redact(message)) : () => undefined;
    this.sleep = options.sleep ?? defaultSleep;
    this.random = options.random ?? Math.random;
  }

  /**
   * Sends the request and returns the final response whatever its status; throws only when no
   * usable answer came (NetworkError, TimeoutError, CancelledError, ProtocolError for a refused
   * redirect or an oversized body). Status handling is the platform client's job.
   */
  async request(req: HttpRequest): Promise<HttpResponse> {
    const release = redactor.hold(sentSecrets(req));
    try {
      const res = await this.requestHeld(req);
      // Kept until the caller's synchronous continuation (which builds any error from this answer)
      // has run: released on the next turn of the event loop.
      setImmediate(release);
      return res;
    } catch (e) {
      release();
      throw e;
    }
  }

  private async requestHeld(req: HttpRequest): Promise<HttpResponse> {
    const method = req.method ?? 'GET';
    const idempotent = req.idempotent ?? (method === 'GET' || method === 'PUT' || method === 'DELETE');
    const retries = req.retries ?? this.maxRetries;
    for (let attempt = 0; ; attempt++) {
      if (req.signal?.aborted) throw new CancelledError();
      let res: HttpResponse | undefined;
      let failure: unknown;
      try {
        res = await this.sendFollowingRedirects(req, method);
      } catch (e) {
        failure = e;
      }
      const canRetry = attempt < retries;
      if (res) {
        const retryable = res.status === 429 || (idempotent && RETRYABLE_STATUS.has(res.status));
        if (!retryable || !canRetry) return res;
        const retryAfter = parseRetryAfter(res.headers.get('retry-after'));
        if (retryAfter !== undefined && retryAfter > this.maxRetryAfterMs) return res;
        const delay = retryAfter ?? this.backoff(attempt);
        this.log('debug', `${method} ${loggableUrl(req.url)} → ${res.status}; retry ${attempt + 1}/${retries} in ${delay} ms`);
        await this.sleep(delay, req.signal);
        continue;
      }
      if (failure instanceof NetworkError && canRetry && (idempotent || failure.code === 'ECONNREFUSED') && RETRYABLE_CODES.has(failure.code ?? '')) {
        const delay = this.backoff(attempt);
        this.log('debug', `${method} ${loggableUrl(req.url)} failed (${failure.code}); retry ${attempt + 1}/${retries} in ${delay} ms`);
        await this.sleep(delay, req.signal);
        continue;
      }
      if (failure instanceof TimeoutError && canRetry && idempotent) {
        this.log('debug', `${method} ${loggableUrl(req.url)} timed out; retry ${attempt + 1}/${retries}`);
        continue;
      }
      throw failure;
    }
  }

  /** Full jitter: a random delay in [0, min(max, base·2^attempt)], at least 50 ms. */
  private backoff(attempt: number): number {
    const cap = Math.min(this.maxDelayMs, this.baseDelayMs * 2 ** attempt);
    return Math.max(50, Math.round(this.random() * cap));
  }

  private async sendFollowingRedirects(req: HttpRequest, method: string): Promise<HttpResponse> {
    let url = buildUrl(req.url, req.query);
    let currentMethod = method;
    let keepBody = true;
    for (let hop = 0; ; hop++) {
      const res = await this.sendOnce(req, url, currentMethod, keepBody);
      if (![301, 302, 303, 307, 308].includes(res.status)) return res;
      const location = res.headers.get('location');
      if (!location) return res;
      if (hop >= MAX_REDIRECTS) throw new ProtocolError(`Too many redirects from ${loggableUrl(req.url)}.`);
      let next: URL;
      try {
        next = new URL(location, url);
      } catch {
        throw new ProtocolError(`${loggableUrl(url)} redirected to an invalid location.`);
      }
      const from = new URL(url);
      if (from.protocol === 'https:' && next.protocol !== 'https:') {
        throw new ProtocolError(`Refused a redirect from ${from.origin} to ${next.protocol}//${next.host}: it would drop HTTPS.`);
      }
      if (next.protocol !== 'https:' && next.protocol !== 'http:') throw new ProtocolError(`Refused a redirect to a ${next.protocol} URL.`);
      if ((req.auth || req.confidential) && next.origin !== from.origin) {
        throw new ProtocolError(`Refused to follow a redirect from ${from.origin} to ${next.origin} with your credentials. Check the server URL.`);
      }
      if (!req.allowCrossOriginRedirect && next.origin !== from.origin) {
        throw new ProtocolError(`Refused to follow a redirect from ${from.origin} to another server (${next.origin}). Check the server URL.`);
      }
      this.log('debug', `${currentMethod} ${loggableUrl(url)} → ${res.status} redirect to ${loggableUrl(next.toString())}`);
      if (res.status === 303 || ((res.status === 301 || res.status === 302) && currentMethod === 'POST')) {
        currentMethod = 'GET';
        keepBody = false;
      }
      url = next.toString();
    }
  }

  private async sendOnce(req: HttpRequest, url: string, method: string, withBody: boolean): Promise<HttpResponse> {
    const headers: Record<string, string> = { accept: 'application/json', ...(req.headers ?? {}) };
    if (this.options.userAgent) headers['user-agent'] = this.options.userAgent;
    if (req.auth) {
      const target = originOf(url);
      if (!req.auth.origins.includes(target)) {
        // The binding is the whole point: a token only ever goes to the origin it was issued for.
        throw new ProtocolError(`Refused to send your credentials to ${target}: they were issued for ${req.auth.origins.join(', ')}.`);
      }
      if (!req.auth.value || /\s/.test(req.auth.value.replace(/^(Bearer|Basic) /i, ''))) {
        throw new ProtocolError('The stored credential is empty or malformed; sign in again.');
      }
      headers[req.auth.header.toLowerCase()] = req.auth.value;
    }
    let body: string | Uint8Array | undefined;
    if (withBody && req.raw) {
      body = req.raw.bytes;
      headers['content-type'] = req.raw.contentType;
    } else if (withBody && req.json !== undefined) {
      body = JSON.stringify(req.json);
      headers['content-type'] = 'application/json';
    } else if (withBody && req.form) {
      const p = new URLSearchParams();
      for (const [k, v] of Object.entries(req.form)) if (v !== undefined) p.set(k, v);
      body = p.toString();
      headers['content-type'] = 'application/x-www-form-urlencoded';
    }

    const controller = new AbortController();
    const timeoutMs = req.timeoutMs ?? (typeof this.timeoutSetting === 'function' ? this.timeoutSetting() : this.timeoutSetting);
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      controller.abort();
    }, timeoutMs);
    const onOuterAbort = () => controller.abort();
    req.signal?.addEventListener('abort', onOuterAbort, { once: true });
    const started = Date.now();
    const safeUrl = loggableUrl(url);
    try {
      const fetchImpl = this.options.fetch ?? (await loadNodeFetch());
      const res = await fetchImpl(url, { method, headers, body, redirect: 'manual', signal: controller.signal, compress: true });
      const cap = req.maxResponseBytes ?? this.maxResponseBytes;
      const declared = Number(res.headers.get('content-length') ?? '');
      if (Number.isFinite(declared) && declared > cap) throw tooLarge(safeUrl, cap);
      const bytes = await this.readBody(res, safeUrl, cap);
      const text = bytes.toString('utf8');
      this.log('debug', `${method} ${safeUrl} → ${res.status} (${Date.now() - started} ms)`);
      return {
        status: res.status,
        url,
        headers: res.headers,
        text,
        bytes,
        json: (reviver) => parseJsonBody(text, res.status, res.headers.get('content-type'), safeUrl, reviver),
      };
    } catch (e) {
      // Whatever failed (a cap, a timeout, a reset), nothing more is read from this connection.
      controller.abort();
      if (e instanceof ProtocolError) throw e;
      if (req.signal?.aborted) throw new CancelledError();
      if (timedOut) throw new TimeoutError(`${method} ${safeUrl} timed out after ${Math.round(timeoutMs / 1000)} s.`);
      const code = errorCode(e);
      this.log('debug', `${method} ${safeUrl} failed: ${code ?? 'network error'}`);
      throw new NetworkError(networkMessage(code, safeUrl), code, { cause: e });
    } finally {
      clearTimeout(timer);
      req.signal?.removeEventListener('abort', onOuterAbort);
    }
  }

  /** Reads the (already decompressed) body up to `cap` bytes: a gzip bomb is cut like a huge body. */
  private async readBody(res: FetchResponseLike, safeUrl: string, cap: number): Promise<Buffer> {
    if (!res.body) {
      const t = Buffer.from(await res.text());
      if (t.length > cap) throw tooLarge(safeUrl, cap);
      return t;
    }
    const chunks: Buffer[] = [];
    let size = 0;
    for await (const chunk of res.body) {
      size += chunk.length;
      if (size > cap) throw tooLarge(safeUrl, cap);
      chunks.push(Buffer.from(chunk));
    }
    return Buffer.concat(chunks);
  }
}

function tooLarge(safeUrl: string, cap: number): ProtocolError {
  const size = cap >= 1048576 ? `${Math.round(cap / 1048576)} MB` : `${Math.round(cap / 1024)} KB`;
  return new ProtocolError(`${safeUrl} sent more than ${size}; refusing to read it.`);
}

/** JSON.parse with a message that says what came instead (an HTML page, empty, garbage) and never quotes it. */
export function parseJsonBody(text: string, status: number, contentType: string | null, safeUrl: string, reviver?: (key: string, value: unknown) => unknown): unknown {
  const ct = (contentType ?? '').toLowerCase();
  const html = /^\s*</.test(text) || ct.includes('html');
  if (html) throw new ProtocolError(`${safeUrl} answered ${status} with an HTML page instead of JSON (a sign-in page, proxy or captive portal?).`);
  if (!text.trim()) throw new ProtocolError(`${safeUrl} answered ${status} with an empty body where JSON was expected.`);
  try {
    return JSON.parse(text, reviver as Parameters<typeof JSON.parse>[1]) as unknown;
  } catch {
    throw new ProtocolError(`${safeUrl} answered ${status} with a body that is not JSON.`);
  }
}

/** The body as a JSON object (not an array, not null), else a ProtocolError saying who sent what. */
export function jsonObject(res: HttpResponse, what: string, reviver?: (key: string, value: unknown) => unknown): Record<string, unknown> {
  const body = res.json(reviver);
  if (!body || typeof body !== 'object' || Array.isArray(body)) {
    throw new ProtocolError(`${what} answered with ${body === null ? 'null' : Array.isArray(body) ? 'a list' : typeof body} where a JSON object was expected.`);
  }
  return body as Record<string, unknown>;
}

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
  if (req.auth?.value) {
    const value = req.auth.value;
    out.add(value);
    const m = /^(\S+)\s+(\S.*)$/.exec(value);
    const credential = m ? m[2] : value;
    out.add(credential);
    if (m && /^basic$/i.test(m[1])) {
      const pair = Buffer.from(credential, 'base64').toString('utf8');
      out.add(pair);
      const i = pair.indexOf(':');
      if (i >= 0) {
        const secret = pair.slice(i + 1);
        out.add(secret);
        try {
          // RFC 6749 §2.3.1: client id and secret are form-encoded before they are joined.
          out.add(decodeURIComponent(secret.replace(/\+/g, ' ')));
        } catch {
          /* not percent-encoded */
        }
      }
    }
  }
  return [...out];
}

function errorCode(e: unknown): string | undefined {
  let cur: unknown = e;
  for (let i = 0; i < 4 && cur && typeof cur === 'object'; i++) {
    const c = (cur as { code?: unknown; errno?: unknown }).code ?? (cur as { errno?: unknown }).errno;
    if (typeof c === 'string' && c !== 'FETCH_ERROR' && c !== 'ERR_STREAM_PREMATURE_CLOSE') return c;
    cur = (cur as { cause?: unknown; erroredSysCall?: unknown }).cause;
  }
  const msg = e instanceof Error ? e.message : '';
  if (/premature close|socket hang up/i.test(msg)) return 'ECONNRESET';
  return undefined;
}

function networkMessage(code: string | undefined, safeUrl: string): string {
  const host = (() => {
    try {
      return new URL(safeUrl).host;
    } catch {
      return safeUrl;
    }
  })();
  switch (code) {
    case 'ECONNREFUSED':
      return `Can't reach ${host}: connection refused.`;
    case 'ENOTFOUND':
    case 'EAI_AGAIN':
      return `Can't reach ${host}: the host name doesn't resolve (offline?).`;
    case 'ECONNRESET':
    case 'EPIPE':
    case 'UND_ERR_SOCKET':
      return `The connection to ${host} was closed before it answered.`;
    case 'ETIMEDOUT':
      return `Can't reach ${host}: the connection timed out.`;
    case 'CERT_HAS_EXPIRED':
    case 'DEPTH_ZERO_SELF_SIGNED_CERT':
    case 'SELF_SIGNED_CERT_IN_CHAIN':
    case 'UNABLE_TO_VERIFY_LEAF_SIGNATURE':
    case 'ERR_TLS_CERT_ALTNAME_INVALID':
      return `The certificate of ${host} is not trusted (${code}).`;
    default:
      return `Can't reach ${host}${code ? ` (${code})` : ''}.`;
  }
}
