// What every platform's sign-in (src/core/platforms/<id>/connect.ts) shares: the connection it
// prepares before anything is stored, and the wording of the URL probes that run right after a URL
// is typed (which URL answered what).

import type { ConnectionRecord, StoredCredential } from '../connections';
import { CancelledError, describeError, NetworkError, TimeoutError, ValidationError } from '../errors';

/** What a sign-in produced, not stored yet: the interactive flow asks for the label before saving. */
export interface PreparedConnection {
  record: ConnectionRecord;
  credential: StoredCredential;
}

/** A probe's network failure as the error the URL step shows (a cancel stays a cancel). */
export function unreachable(url: string, e: unknown): Error {
  if (e instanceof CancelledError) return e;
  if (e instanceof NetworkError || e instanceof TimeoutError) return new ValidationError(`${new URL(url).origin} can't be reached (${describeError(e)}). Check the URL and your network.`);
  return e instanceof Error ? e : new Error(String(e));
}

export function statusText(status: number): string {
  return status === 404 ? '404 (Not Found)' : status === 405 ? '405 (Method Not Allowed)' : String(status);
}

/** A probe's body as a JSON object, or undefined (not JSON, or not an object). */
export function jsonObject(text: string): Record<string, unknown> | undefined {
  try {
    const v: unknown = JSON.parse(text);
    return v && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}
