// When the HTTP layer tries a request again: idempotent calls after network faults, timeouts and
// 502/503/504, any call after 429 (the server did not act on it), honouring Retry-After; the wait is
// exponential backoff with full jitter. TLS/certificate problems are never retried.

import { CancelledError, NetworkError, TimeoutError } from '../errors';
import type { HttpResponse } from './httpTypes';

const RETRYABLE_STATUS = new Set([502, 503, 504]);
// Errors that mean "no answer, and trying again may help". TLS/certificate problems are not here:
// retrying a certificate that isn't trusted never helps (the Vault / go-retryablehttp rule).
const RETRYABLE_CODES = new Set(['ECONNRESET', 'ECONNREFUSED', 'EPIPE', 'ETIMEDOUT', 'EAI_AGAIN', 'ENOTFOUND', 'ENETUNREACH', 'EHOSTUNREACH', 'UND_ERR_SOCKET', 'ECONNABORTED']);

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

export interface RetrySettings {
  baseDelayMs: number;
  maxDelayMs: number;
  /** Longest Retry-After we wait for before giving up and reporting it. */
  maxRetryAfterMs: number;
  random: () => number;
}

export class RetryPolicy {
  constructor(private readonly s: RetrySettings) {}

  /** Full jitter: a random delay in [0, min(max, base·2^attempt)], at least 50 ms. */
  backoff(attempt: number): number {
    const cap = Math.min(this.s.maxDelayMs, this.s.baseDelayMs * 2 ** attempt);
    return Math.max(50, Math.round(this.s.random() * cap));
  }

  /** After an answer (with a retry left): the wait before trying again, or undefined to return the answer. */
  afterAnswer(res: HttpResponse, idempotent: boolean, attempt: number): number | undefined {
    const retryable = res.status === 429 || (idempotent && RETRYABLE_STATUS.has(res.status));
    if (!retryable) return undefined;
    const retryAfter = parseRetryAfter(res.headers.get('retry-after'));
    if (retryAfter !== undefined && retryAfter > this.s.maxRetryAfterMs) return undefined;
    return retryAfter ?? this.backoff(attempt);
  }

  /**
   * After a failure (with a retry left): the wait before trying again (a timeout is retried at once,
   * `delay` undefined), or undefined to throw it. A refused connection is retried even for a call that
   * is not idempotent: the server never saw it.
   */
  afterFailure(failure: unknown, idempotent: boolean, attempt: number): { delay?: number; why: string } | undefined {
    if (failure instanceof NetworkError && (idempotent || failure.code === 'ECONNREFUSED') && RETRYABLE_CODES.has(failure.code ?? '')) {
      return { delay: this.backoff(attempt), why: `failed (${failure.code})` };
    }
    if (failure instanceof TimeoutError && idempotent) return { why: 'timed out' };
    return undefined;
  }
}
