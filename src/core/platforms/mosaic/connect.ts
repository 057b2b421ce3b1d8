// MosaicML sign-in, the pure part: the endpoint probe, and the key check (a GetSecrets call; the key
// is sent verbatim, as mcli does). Nothing is stored here (src/commands/saveConnection.ts does that
// for every platform).

import type { ConnectionRecord } from '../../connections';
import { ValidationError } from '../../errors';
import { HttpClient } from '../../http/httpClient';
import { redactor } from '../../redact';
import { jsonObject, PreparedConnection, statusText, unreachable } from '../connect';
import { MosaicClient } from './client';
import { normaliseMosaicEndpoint } from './graphql';
import { MOSAIC_DEFAULT_ENDPOINT } from './facts';

export interface MosaicLoginInput {
  url?: string;
  apiKey: string;
  label?: string;
  source?: string;
}

/** Checks the key with a GetSecrets call; stores nothing. */
export async function prepareMosaic(http: HttpClient, input: MosaicLoginInput, signal?: AbortSignal): Promise<PreparedConnection> {
  const endpoint = normaliseMosaicEndpoint(input.url || MOSAIC_DEFAULT_ENDPOINT);
  const apiKey = input.apiKey.trim();
  if (!apiKey || /[\r\n]/.test(apiKey)) throw new ValidationError('A MosaicML API key is required.');
  redactor.add(apiKey);
  const origin = new URL(endpoint).origin;
  const client = new MosaicClient({ endpoint, apiKey, origins: [origin], http });
  await client.listSecrets({}, signal);
  const record: ConnectionRecord = {
    label: input.label?.trim() || `mosaic:${new URL(endpoint).host}`,
    platform: 'mosaic',
    url: endpoint,
    origin,
    scope: {},
    createdAt: Date.now(),
    source: input.source ?? 'sign-in',
  };
  return { record, credential: { v: 1, origin, origins: [origin], token: apiKey } };
}

/** The interactive URL check: the GraphQL endpoint answers a query without a key with a GraphQL error, not a 404. */
export async function probeMosaic(http: HttpClient, input: string, signal?: AbortSignal): Promise<string> {
  const endpoint = normaliseMosaicEndpoint(input);
  const expected = `Expected the full GraphQL endpoint (MOSAICML_API_ENDPOINT), like ${MOSAIC_DEFAULT_ENDPOINT}.`;
  let res;
  try {
    res = await http.request({ method: 'POST', url: endpoint, json: { query: 'query { __typename }' }, signal, retries: 0, idempotent: true, maxResponseBytes: 64 * 1024 });
  } catch (e) {
    throw unreachable(endpoint, e);
  }
  if (res.status === 401 || res.status === 403) return endpoint;
  const b = jsonObject(res.text);
  if (!b || typeof b !== 'object' || !('data' in b || 'errors' in b)) {
    throw new ValidationError(`${endpoint} answered ${statusText(res.status)}${res.status === 200 ? ' without a GraphQL answer' : ''}: that is not MosaicML's GraphQL endpoint. ${expected}`);
  }
  return endpoint;
}
