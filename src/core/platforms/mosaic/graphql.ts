// MosaicML's API ("MAPI"): one GraphQL endpoint; the three operations ML Secrets sends, and how an
// answer is read — `data[field]` as a list of secrets, or `errors[].extensions.code` as a typed error
// whose message never carries a value. docs/platform-apis.md §3.

import { AuthError, ConflictError, HttpError, NotFoundError, PermissionError, ProtocolError } from '../../errors';
import { HttpResponse } from '../../http/httpClient';
import { parseJsonBody } from '../../http/bodies';
import { parseServiceUrl } from '../../http/urls';
import { redact } from '../../redact';
import { MOSAIC_DEFAULT_ENDPOINT } from './facts';

export const GET_SECRETS = `query GetSecrets($getSecretsData: GetSecretsInput!) {
  getSecrets(getSecretsData: $getSecretsData) {
    id
    name
    type
    metadata
    createdAt
  }
}`;
export const CREATE_SECRET = `mutation CreateSecret($createSecretData: CreateSecretInput!) {
  createSecret(createSecretData: $createSecretData) {
    name
    type
    metadata
    createdAt
  }
}`;
export const DELETE_SECRETS = `mutation DeleteSecrets($getSecretsData: GetSecretsInput!) {
  deleteSecrets(getSecretsData: $getSecretsData) {
    name
    type
    metadata
    createdAt
  }
}`;

export function normaliseMosaicEndpoint(url: string): string {
  const u = parseServiceUrl(url, 'endpoint', MOSAIC_DEFAULT_ENDPOINT);
  return u.toString().replace(/\/+$/, '');
}

/** A secret as MAPI lists it (never a value). */
export interface MosaicItem {
  name: string;
  type: string;
  metadata: Record<string, unknown>;
  createdAt?: string;
}

/** Reads `data[field]` (a list) or maps `errors[]` to typed errors. */
export function parseMosaicAnswer(res: HttpResponse, field: string, what: string): MosaicItem[] {
  let body: unknown;
  try {
    body = JSON.parse(res.text);
  } catch {
    if (res.status === 401 || res.status === 403) throw new AuthError(`MosaicML did not accept the API key (${res.status}).`);
    // A success status with an HTML page or garbage is a protocol fault, not an HTTP one.
    if (res.status >= 200 && res.status < 300) parseJsonBody(res.text, res.status, res.headers.get('content-type'), 'MosaicML', undefined);
    throw new HttpError(res.status, `MosaicML answered ${res.status} with a body that is not JSON while trying to ${what}.`);
  }
  const b = (body && typeof body === 'object' ? body : {}) as { data?: Record<string, unknown> | null; errors?: unknown };
  if (Array.isArray(b.errors) && b.errors.length) {
    const first = b.errors[0] as { message?: unknown; extensions?: { code?: unknown } };
    const code = typeof first?.extensions?.code === 'number' ? first.extensions.code : Number(first?.extensions?.code) || (res.status >= 400 ? res.status : 500);
    const msg = typeof first?.message === 'string' ? redact(first.message).slice(0, 300) : 'no message';
    const more = b.errors.length > 1 ? ` (+${b.errors.length - 1} more)` : '';
    switch (code) {
      case 401:
        return thrower(new AuthError(`MosaicML did not accept the API key when trying to ${what}: ${msg}`));
      case 403:
        return thrower(new PermissionError(`MosaicML refused to ${what}: ${msg}`));
      case 404:
        return thrower(new NotFoundError(`Not found while trying to ${what}: ${msg}`, msg));
      case 409:
        return thrower(new ConflictError(`Couldn't ${what}: that name is taken (${msg}).`, msg));
      case 400:
        return thrower(new HttpError(400, `MosaicML rejected the request to ${what}: ${msg}${more}`, msg));
      default:
        return thrower(new HttpError(code, `MosaicML ${code === 503 ? 'is offline' : `had an error (${code})`} while trying to ${what}: ${msg}${more}`, msg));
    }
  }
  if (res.status === 401 || res.status === 403) throw new AuthError(`MosaicML did not accept the API key (${res.status}).`);
  if (res.status !== 200) throw new HttpError(res.status, `MosaicML answered ${res.status} while trying to ${what}.`);
  const list = b.data?.[field];
  if (!Array.isArray(list)) throw new ProtocolError(`Malformed response data: MosaicML sent no ${field} list.`);
  return list.map((it) => {
    if (!it || typeof it !== 'object') throw new ProtocolError('MosaicML sent a secret that is not an object.');
    const o = it as Record<string, unknown>;
    if (typeof o.name !== 'string' || typeof o.type !== 'string') throw new ProtocolError('MosaicML sent a secret without a name or type.');
    const metadata = o.metadata && typeof o.metadata === 'object' ? (o.metadata as Record<string, unknown>) : {};
    return { name: o.name, type: o.type, metadata, createdAt: typeof o.createdAt === 'string' ? o.createdAt : undefined };
  });
}

function thrower(e: Error): never {
  throw e;
}
