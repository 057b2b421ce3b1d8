// Bodies, both ways: what a request sends (JSON, a form or raw bytes, with its Content-Type), and what
// an answer holds — read under a size cap (a gzip bomb is cut like a huge body) and parsed as JSON
// with messages that say what came instead and never quote it.

import { ProtocolError } from '../errors';
import type { FetchResponseLike, HttpRequest, HttpResponse } from './httpTypes';

/** The body a request sends and its Content-Type (none for a request without a body). */
export function requestBody(req: Pick<HttpRequest, 'raw' | 'json' | 'form'>): { body?: string | Uint8Array; contentType?: string } {
  if (req.raw) return { body: req.raw.bytes, contentType: req.raw.contentType };
  if (req.json !== undefined) return { body: JSON.stringify(req.json), contentType: 'application/json' };
  if (req.form) {
    const p = new URLSearchParams();
    for (const [k, v] of Object.entries(req.form)) if (v !== undefined) p.set(k, v);
    return { body: p.toString(), contentType: 'application/x-www-form-urlencoded' };
  }
  return {};
}

export function tooLarge(safeUrl: string, cap: number): ProtocolError {
  const size = cap >= 1048576 ? `${Math.round(cap / 1048576)} MB` : `${Math.round(cap / 1024)} KB`;
  return new ProtocolError(`${safeUrl} sent more than ${size}; refusing to read it.`);
}

/** Reads the (already decompressed) body up to `cap` bytes: a gzip bomb is cut like a huge body. */
export async function readCappedBody(res: FetchResponseLike, safeUrl: string, cap: number): Promise<Buffer> {
  const declared = Number(res.headers.get('content-length') ?? '');
  if (Number.isFinite(declared) && declared > cap) throw tooLarge(safeUrl, cap);
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
