// How ZenML's answers are read: values dropped while the JSON is parsed (only key names survive),
// a secret model as the client keeps it, a write's SecretResponse, and an error answer as a typed
// error with the server's own (redacted) message.

import { AuthError, ConflictError, HttpError, NotFoundError, PermissionError, ProtocolError, UnsupportedError } from '../../errors';
import { HttpResponse } from '../../http/httpClient';
import { jsonObject } from '../../http/bodies';
import { redact } from '../../redact';

/** The JSON.parse reviver that replaces every `values` map by its key names (values → null). */
export function dropValues(key: string, v: unknown): unknown {
  if (key === 'values' && v && typeof v === 'object' && !Array.isArray(v)) {
    const keys: Record<string, null> = {};
    for (const k of Object.keys(v as object)) keys[k] = null;
    return keys;
  }
  return v;
}

/** JSON.parse that replaces every `values` map by its key names (values → null) while parsing. */
export function parseDroppingValues(text: string): unknown {
  return JSON.parse(text, dropValues);
}

/** A secret as the client keeps it (never a value). */
export interface RawSecret {
  id: string;
  name: string;
  permissionDenied: boolean;
  private?: boolean;
  created?: string;
  updated?: string;
  keys?: string[];
  owner?: string;
}

export function toRawSecret(item: unknown): RawSecret {
  if (!item || typeof item !== 'object') throw new ProtocolError('ZenML sent a secret that is not an object.');
  const it = item as Record<string, unknown>;
  if (typeof it.id !== 'string' || typeof it.name !== 'string') throw new ProtocolError('ZenML sent a secret without an id or a name.');
  const body = (it.body && typeof it.body === 'object' ? it.body : {}) as Record<string, unknown>;
  const user = ((it.resources as Record<string, unknown> | undefined)?.user ?? undefined) as Record<string, unknown> | undefined;
  const values = body.values;
  return {
    id: it.id,
    name: it.name,
    permissionDenied: it.permission_denied === true,
    private: typeof body.private === 'boolean' ? body.private : undefined,
    created: typeof body.created === 'string' ? body.created : undefined,
    updated: typeof body.updated === 'string' ? body.updated : undefined,
    // An empty map is what an unhydrated list sends: unknown, not "no keys" (a secret always has one).
    keys: values && typeof values === 'object' && !Array.isArray(values) && Object.keys(values as object).length ? Object.keys(values as object).sort() : undefined,
    owner: typeof user?.name === 'string' ? user.name : undefined,
  };
}

/** A write's answer: the SecretResponse the API documents (an object with an id and a name). */
export function expectSecretResponse(res: HttpResponse, action: string, name: string): void {
  const b = jsonObject(res, `ZenML (${action})`, dropValues);
  if (typeof b.id !== 'string' || b.name !== name) throw new ProtocolError(`ZenML answered the request to ${action} without the secret it should describe; the change may not have been made.`);
}

/** The error answer's Python exception class (when it names one) and message (a pydantic list joined). */
function errorDetail(text: string): { cls?: string; msg?: string } {
  try {
    const body = parseDroppingValues(text) as { detail?: unknown };
    const d = body?.detail;
    if (Array.isArray(d) && d.length === 2 && typeof d[0] === 'string' && typeof d[1] === 'string') {
      // detail[0] is a Python exception class name; anything else there is not quoted.
      return { cls: /^[A-Za-z_][A-Za-z0-9_.]{0,80}$/.test(d[0]) ? d[0] : undefined, msg: d[1] };
    }
    if (Array.isArray(d)) {
      const msg = d
        .map((x) => (x && typeof x === 'object' ? `${Array.isArray((x as { loc?: unknown }).loc) ? `${((x as { loc: unknown[] }).loc).join('.')}: ` : ''}${String((x as { msg?: unknown }).msg ?? '')}` : String(x)))
        .join('; ');
      return { msg };
    }
    if (typeof d === 'string') return { msg: d };
  } catch {
    /* not JSON */
  }
  return {};
}

/** Maps a ZenML answer to a typed error with the server's own (redacted) message. */
export function zenmlError(res: HttpResponse, action: string): Error {
  const { cls, msg } = errorDetail(res.text);
  const server = msg ? redact(msg).slice(0, 300) : undefined;
  const suffix = server ? `: ${server}` : '.';
  switch (res.status) {
    case 401:
      return new AuthError(`ZenML did not accept the session (401) when trying to ${action}. Sign in again.`);
    case 403:
      return new PermissionError(`ZenML refused to ${action}${suffix}`);
    case 404:
      return new NotFoundError(`Not found while trying to ${action}${suffix}`, server);
    case 409:
      return new ConflictError(`Conflict while trying to ${action}${suffix}`, server);
    case 400:
    case 422:
      return new HttpError(res.status, `ZenML rejected the request to ${action}${suffix}`, server);
    case 501:
      return new UnsupportedError(`This ZenML server can't ${action}${suffix}`);
    default:
      return new HttpError(res.status, res.status >= 500 ? `ZenML had a server error (${res.status}${cls ? ` ${cls}` : ''}) trying to ${action}${suffix}` : `Unexpected answer ${res.status} trying to ${action}${suffix}`, server);
  }
}
