/**
 * Fault injection shared by the emulators: `emulator.faults.next(spec)` queues a fault, the request
 * handler asks the queue (`FaultQueue.apply`) before handling each request. What differs per
 * emulator — the default fault body and the JSON content type — is a constructor parameter.
 */
import type * as http from 'node:http';

export interface FaultSpec {
  /** Respond with this status instead of handling the request. Omit for a delay-only fault. */
  status?: number;
  /** Default: set per emulator (see the `faultBody` its server.ts passes to FaultQueue). */
  body?: string;
  headers?: Record<string, string>;
  /** Wait this long first (then answer the fault, or handle normally when no status/destroySocket). */
  delayMs?: number;
  /** Drop the connection without answering. */
  destroySocket?: boolean;
  /** Which requests; default every request (Apolo: on every origin). `path` is the raw path without the query string. */
  match?: (method: string, path: string) => boolean;
  /** How many matching requests get the fault. Default 1. */
  times?: number;
}

/** `emulator.faults`. */
export interface FaultControl {
  next(spec: FaultSpec): void;
  clear(): void;
}

export interface FaultQueueOptions {
  /** The body of a fault that has a status but no body. */
  faultBody(status: number): string;
  /** Content type of a fault body that looks like JSON (when the fault's headers set none). */
  jsonContentType: string;
  /** What looks like JSON; other bodies are text/plain. Default: starts with `[`, `{` or `"`. */
  looksLikeJson?: RegExp;
}

/** The answer to a fault with a status. */
export interface FaultResponse {
  status: number;
  body: string;
  /** Undefined when the fault's own headers have a content-type. */
  contentType: string | undefined;
  /** The fault's own headers. */
  headers: Record<string, string> | undefined;
}

const TEXT_CT = 'text/plain; charset=utf-8';

export class FaultQueue {
  private readonly queue: Array<FaultSpec & { remaining: number }> = [];

  constructor(private readonly options: FaultQueueOptions) {}

  /** What `emulator.faults` exposes. */
  readonly control: FaultControl = {
    next: (spec) => this.queue.push({ ...spec, remaining: spec.times ?? 1 }),
    clear: () => {
      this.queue.length = 0;
    },
  };

  clear(): void {
    this.queue.length = 0;
  }

  /**
   * Applies the first queued fault that matches the request: waits its delay, then destroys the
   * socket or calls `answer`. True when the request is done with (not to be handled normally).
   */
  async apply(req: http.IncomingMessage, method: string, path: string, answer: (r: FaultResponse) => void): Promise<boolean> {
    const fi = this.queue.findIndex((f) => !f.match || f.match(method, path));
    if (fi === -1) return false;
    const f = this.queue[fi]!;
    if (--f.remaining <= 0) this.queue.splice(fi, 1);
    if (f.delayMs) await new Promise((r) => setTimeout(r, f.delayMs));
    if (f.destroySocket) {
      req.socket.destroy();
      return true;
    }
    if (f.status === undefined) return false;
    const body = f.body ?? this.options.faultBody(f.status);
    const hasCt = Object.keys(f.headers ?? {}).some((h) => h.toLowerCase() === 'content-type');
    const json = (this.options.looksLikeJson ?? /^\s*[[{"]/).test(body);
    answer({ status: f.status, body, contentType: hasCt ? undefined : json ? this.options.jsonContentType : TEXT_CT, headers: f.headers });
    return true;
  }
}

/** A fault's headers with its content-type (lower-case name) first, unless the fault sets one. */
export function faultHeaders(r: FaultResponse): Record<string, string> {
  const ct: Record<string, string> = r.contentType === undefined ? {} : { 'content-type': r.contentType };
  return { ...ct, ...(r.headers ?? {}) };
}
