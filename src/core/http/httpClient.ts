// The one HTTP layer every platform client goes through.
// - node-fetch (it uses Node's http/https, which VS Code patches for proxies), loaded on first use;
// - a timeout per attempt and cancellation through an AbortSignal;
// - retries with exponential backoff and full jitter for idempotent calls (network faults, 502/503/504)
//   and for 429 (the server did not act on the request), honouring Retry-After (./retryPolicy.ts);
// - redirects handled by hand: no request follows a redirect to another origin (an authenticated
//   one never; an anonymous one only when it opts in), and nothing follows https → http (./redirects.ts);
// - every string the request sends (JSON body, form body, auth header) in every encoding is held
//   in the redactor while the request runs and until the caller has built its error from the
//   answer, so an echoed body can't put a value, password or token into a message (./sentSecrets.ts);
// - a cap on the (decompressed) response size, per request (./bodies.ts);
// - the token is attached only when the target's origin is one the token is bound to;
// - typed errors whose messages never carry a token, a header or a body the redactor hasn't seen.

import { CancelledError, NetworkError, ProtocolError, TimeoutError } from '../errors';
import { redact, redactor } from '../redact';
import { nodeFetch } from '../vendor';
import { parseJsonBody, readCappedBody, requestBody } from './bodies';
import type { FetchLike, HttpRequest, HttpResponse, LogFn } from './httpTypes';
import { errorCode, networkMessage } from './networkErrors';
import { redirectDropsBody, redirectTarget } from './redirects';
import { defaultSleep, RetryPolicy } from './retryPolicy';
import { sentSecrets } from './sentSecrets';
import { buildUrl, loggableUrl, originOf } from './urls';

export type { HttpAuth, HttpRequest, HttpResponse, LogFn } from './httpTypes';

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

/** Response caps that fit these APIs: a page of a list may be large, an answer to a write is small. */
export const RESPONSE_CAP = {
  list: 32 * 1024 * 1024,
  read: 8 * 1024 * 1024,
  write: 1024 * 1024,
  auth: 256 * 1024,
} as const;

function loadNodeFetch(): Promise<FetchLike> {
  return nodeFetch() as Promise<FetchLike>;
}

export class HttpClient {
  private readonly timeoutSetting: number | (() => number);
  private readonly maxRetries: number;
  private readonly retry: RetryPolicy;
  private readonly maxResponseBytes: number;
  /** Where the HTTP layer logs; its users (e.g. the Flyte client) log there too. */
  readonly log: LogFn;
  private readonly sleep: (ms: number, signal?: AbortSignal) => Promise<void>;

  constructor(private readonly options: HttpClientOptions = {}) {
    this.timeoutSetting = options.timeoutMs ?? 30_000;
    this.maxRetries = options.maxRetries ?? 2;
    this.retry = new RetryPolicy({
      baseDelayMs: options.baseDelayMs ?? 500,
      maxDelayMs: options.maxDelayMs ?? 8_000,
      maxRetryAfterMs: options.maxRetryAfterMs ?? 30_000,
      random: options.random ?? Math.random,
    });
    this.maxResponseBytes = options.maxResponseBytes ?? 64 * 1024 * 1024;
    const log = options.log;
    // Every log line passes the redactor here, whatever a caller (or this file) put in it.
    this.log = log ? (level, message) => log(level, redact(message)) : () => undefined;
    this.sleep = options.sleep ?? defaultSleep;
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
      const where = `${method} ${loggableUrl(req.url)}`;
      if (res) {
        const delay = canRetry ? this.retry.afterAnswer(res, idempotent, attempt) : undefined;
        if (delay === undefined) return res;
        this.log('debug', `${where} → ${res.status}; retry ${attempt + 1}/${retries} in ${delay} ms`);
        await this.sleep(delay, req.signal);
        continue;
      }
      const again = canRetry ? this.retry.afterFailure(failure, idempotent, attempt) : undefined;
      if (!again) throw failure;
      if (again.delay === undefined) {
        this.log('debug', `${where} ${again.why}; retry ${attempt + 1}/${retries}`);
        continue;
      }
      this.log('debug', `${where} ${again.why}; retry ${attempt + 1}/${retries} in ${again.delay} ms`);
      await this.sleep(again.delay, req.signal);
    }
  }

  private async sendFollowingRedirects(req: HttpRequest, method: string): Promise<HttpResponse> {
    let url = buildUrl(req.url, req.query);
    let currentMethod = method;
    let keepBody = true;
    for (let hop = 0; ; hop++) {
      const res = await this.sendOnce(req, url, currentMethod, keepBody);
      const next = redirectTarget(req, url, res, hop);
      if (!next) return res;
      this.log('debug', `${currentMethod} ${loggableUrl(url)} → ${res.status} redirect to ${loggableUrl(next.toString())}`);
      if (redirectDropsBody(res.status, currentMethod)) {
        currentMethod = 'GET';
        keepBody = false;
      }
      url = next.toString();
    }
  }

  /** The headers of one attempt: the caller's, the user agent, and the credential when `url` is one of its origins. */
  private headersFor(req: HttpRequest, url: string): Record<string, string> {
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
    return headers;
  }

  private async sendOnce(req: HttpRequest, url: string, method: string, withBody: boolean): Promise<HttpResponse> {
    const headers = this.headersFor(req, url);
    const { body, contentType } = withBody ? requestBody(req) : {};
    if (contentType) headers['content-type'] = contentType;
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
      const bytes = await readCappedBody(res, safeUrl, req.maxResponseBytes ?? this.maxResponseBytes);
      const text = bytes.toString('utf8');
      this.log('debug', `${method} ${safeUrl} → ${res.status} (${Date.now() - started} ms)`);
      return { status: res.status, url, headers: res.headers, text, bytes, json: (reviver) => parseJsonBody(text, res.status, res.headers.get('content-type'), safeUrl, reviver) };
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
}
