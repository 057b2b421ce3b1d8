// Flyte / Union sign-in, the pure part: the endpoint probe, and an API key (client credentials via
// the discovered token endpoint) or a pasted bearer token, checked with a list call. Nothing is
// stored here (src/commands/saveConnection.ts does that for every platform).

import { boundOrigins, ConnectionRecord, StoredCredential } from '../../connections';
import { ValidationError } from '../../errors';
import { HttpClient } from '../../http/httpClient';
import { redactor } from '../../redact';
import { PreparedConnection, statusText, unreachable } from '../connect';
import { FlyteClient } from './client';
import { decodeFlyteApiKey, flyteBaseUrl } from './endpoint';
import { discoverFlyteAuth, FlyteAuthConfig, flyteClientCredentialsToken } from './oauth';

export interface FlyteLoginInput {
  url?: string;
  apiKey?: string;
  token?: string;
  org?: string;
  project?: string;
  domain?: string;
  /** Union: a cluster pool for the org-wide secrets. */
  clusterPool?: string;
  insecure?: boolean;
  label?: string;
  source?: string;
}

/** An API key's client credentials → a token, from the token endpoint the Flyte endpoint names (never off HTTPS). */
async function clientCredentialsToken(http: HttpClient, baseUrl: string, key: { clientId: string; clientSecret: string }, signal?: AbortSignal) {
  redactor.add(key.clientSecret);
  const flyteAuth = await discoverFlyteAuth(http, baseUrl, signal);
  const origins = boundOrigins(baseUrl, [flyteAuth.tokenEndpoint]);
  if (!origins.includes(new URL(flyteAuth.tokenEndpoint).origin)) {
    throw new ValidationError(`Flyte named a token endpoint (${new URL(flyteAuth.tokenEndpoint).origin}) that would take the client secret off HTTPS; refusing.`);
  }
  const t = await flyteClientCredentialsToken(http, flyteAuth, key.clientId, key.clientSecret, origins, signal);
  return { flyteAuth, origins, token: t.token, expiresAt: t.expiresAt };
}

/** Gets (or takes) a token and checks it with a list call; stores nothing. */
export async function prepareFlyte(http: HttpClient, input: FlyteLoginInput, signal?: AbortSignal): Promise<PreparedConnection> {
  const key = input.apiKey ? decodeFlyteApiKey(input.apiKey) : undefined;
  const endpoint = key?.endpoint ?? input.url;
  if (!endpoint) throw new ValidationError("Missing 'url' (the Flyte endpoint) or 'apiKey'.");
  const baseUrl = flyteBaseUrl(endpoint, input.insecure);
  const origin = new URL(baseUrl).origin;
  const org = input.org ?? key?.org;
  if (input.project && !input.domain) throw new ValidationError('A Flyte project needs a domain too (e.g. development).');
  let origins = [origin];
  let token = input.token?.trim();
  let expiresAt: number | undefined;
  let flyteAuth: FlyteAuthConfig | undefined;
  if (key) ({ flyteAuth, origins, token, expiresAt } = await clientCredentialsToken(http, baseUrl, key, signal));
  if (!token) throw new ValidationError("Flyte sign-in needs an 'apiKey' (FLYTE_API_KEY format) or a bearer 'token'.");
  redactor.add(token);
  const clusterPool = input.clusterPool?.trim() || undefined;
  const client = new FlyteClient({ baseUrl, origins, http, org, project: input.project, domain: input.domain, clusterPool, accessToken: token, auth: flyteAuth });
  await client.listSecrets({ org }, signal);
  const host = new URL(baseUrl).host;
  const record: ConnectionRecord = {
    label: input.label?.trim() || flyteDefaultLabel(org, host, input.project, input.domain),
    platform: 'flyte',
    url: baseUrl,
    origin,
    scope: { org, project: input.project, domain: input.domain, ...(clusterPool ? { clusterPool } : {}) },
    createdAt: Date.now(),
    source: input.source ?? 'sign-in',
  };
  const credential: StoredCredential = {
    v: 1,
    origin,
    origins,
    token,
    expiresAt,
    login: key ? { username: key.clientId, password: key.clientSecret } : undefined,
    flyteAuth,
  };
  return { record, credential };
}

/** The interactive URL check: the endpoint must answer the (anonymous) auth metadata call rather than 404. */
export async function probeFlyte(http: HttpClient, input: string, insecure: boolean | undefined, signal?: AbortSignal): Promise<string> {
  const baseUrl = flyteBaseUrl(input, insecure);
  const expected = 'Expected the Flyte endpoint your config.yaml names (admin.endpoint), like https://tenant.example.com or dns:///tenant.example.com.';
  let res;
  try {
    res = await http.request({ method: 'POST', url: `${baseUrl}/flyteidl.service.AuthMetadataService/GetOAuth2Metadata`, json: {}, headers: { 'connect-protocol-version': '1' }, idempotent: true, retries: 0, signal, allowCrossOriginRedirect: false, maxResponseBytes: 64 * 1024 });
  } catch (e) {
    throw unreachable(baseUrl, e);
  }
  if (res.status === 404 && /^\s*</.test(res.text)) throw new ValidationError(`${baseUrl} answered ${statusText(res.status)} to Flyte's API: it is not a Flyte endpoint. ${expected}`);
  return baseUrl;
}

/** The label a Flyte connection gets when none is given. */
export function flyteDefaultLabel(org: string | undefined, host: string, project?: string, domain?: string): string {
  return `flyte:${org ?? host}${project ? `/${project}` : ''}${domain ? `/${domain}` : ''}`;
}
