// An Apolo / Neu.ro error answer as a typed error: the SDK's mapping by status, with the platform's
// own (redacted) message and, for a 403, the permissions that were missing.

import { AuthError, ConflictError, HttpError, NotFoundError, PermissionError } from '../../errors';
import type { HttpResponse } from '../../http/httpClient';
import { redact } from '../../redact';
import { printable } from '../../text';
import { APOLO_ACTIONS } from './names';

/** Maps an Apolo answer to a typed error (the SDK's mapping, with the platform's own message). */
export function apoloError(res: HttpResponse, action: string): Error {
  let serverMessage: string | undefined;
  let missing: Array<{ uri: string; action: string }> = [];
  try {
    const body = JSON.parse(res.text) as unknown;
    if (body && typeof body === 'object') {
      const b = body as Record<string, unknown>;
      if (typeof b.error === 'string') serverMessage = redact(b.error).slice(0, 300);
      if (Array.isArray(b.missing)) {
        missing = b.missing
          .filter((m): m is { uri: string; action: string } => !!m && typeof m.uri === 'string' && typeof m.action === 'string')
          .slice(0, 10)
          .map((m) => ({ uri: printable(redact(m.uri)).slice(0, 200), action: APOLO_ACTIONS.includes(m.action) ? m.action : 'access' }));
      }
    }
  } catch {
    /* aiohttp's plain-text bodies (401) carry nothing useful */
  }
  const suffix = serverMessage ? `: ${serverMessage}` : '.';
  switch (res.status) {
    case 400:
      return new HttpError(400, `Apolo refused to ${action}${suffix}`, serverMessage);
    case 401:
      return new AuthError(`Apolo did not accept the token (401) when trying to ${action}. Sign in again.`);
    case 403: {
      const what = missing.length ? ` (needs ${missing.map((m) => `${m.action} on ${m.uri}`).join(', ')})` : '';
      return new PermissionError(`You don't have permission to ${action}${what}.`, missing);
    }
    case 404:
      return new NotFoundError(`Not found while trying to ${action}${suffix}`, serverMessage);
    case 409:
      return new ConflictError(`Conflict while trying to ${action}${suffix}`, serverMessage);
    case 429:
      return new HttpError(429, `Apolo is rate-limiting requests; couldn't ${action}. Try again shortly.`, serverMessage);
    default:
      if (res.status >= 500) return new HttpError(res.status, `Apolo had a server error (${res.status}) trying to ${action}${suffix}`, serverMessage);
      return new HttpError(res.status, `Unexpected answer ${res.status} trying to ${action}${suffix}`, serverMessage);
  }
}
