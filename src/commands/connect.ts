// Turning a URL + token into a stored connection: discovery (GET {api}/config), the project choice,
// the origins the token is bound to, then SecretStorage + global state. Used by sign-in, the CLI
// import and the sandbox.

import { boundOrigins, ConnectionRecord, defaultLabel, jwtUser, StoredCredential } from '../core/connections';
import { CancelledError, describeError, HttpError, NetworkError, TimeoutError, ValidationError } from '../core/errors';
import { HttpClient } from '../core/http/httpClient';
import { ApoloServerConfig, fetchApoloConfig, normaliseApoloUrl } from '../core/platforms/apolo/client';
import { PLATFORM_NAMES, PlatformId } from '../core/platforms/types';
import { normaliseZenmlUrl, ZenmlClient } from '../core/platforms/zenml/client';
import { MosaicClient, normaliseMosaicEndpoint } from '../core/platforms/mosaic/client';
import { MOSAIC_DEFAULT_ENDPOINT } from '../core/platforms/mosaic/facts';
import { decodeFlyteApiKey, discoverFlyteAuth, FlyteAuthConfig, FlyteClient, flyteBaseUrl, flyteClientCredentialsToken } from '../core/platforms/flyte/client';
import { redactor } from '../core/redact';
import type { ZenmlCliLogin } from '../core/credentials/zenmlCli';
import { ConnectionStore } from '../connections/connectionStore';

export interface ApoloLoginInput {
  platform: 'apolo' | 'neuro';
  url: string;
  token: string;
  cluster?: string;
  org?: string;
  project?: string;
  label?: string;
  source?: string;
  expiresAt?: number;
}

export interface ApoloProjectChoice {
  cluster: string;
  org: string;
  project: string;
  role?: string;
}

/** Projects the config offers, filtered by what was asked for; an explicit ask that matches nothing is an error. */
export function projectChoices(cfg: ApoloServerConfig, want: { cluster?: string; org?: string; project?: string }): ApoloProjectChoice[] {
  const all = cfg.projects.map((p) => ({ cluster: p.cluster, org: p.org, project: p.name, role: p.role }));
  const matches = all.filter((p) => (!want.cluster || p.cluster === want.cluster) && (!want.org || p.org === want.org) && (!want.project || p.project === want.project));
  if (matches.length) return matches;
  if (want.cluster && want.org && want.project) {
    // A project the user isn't a member of (e.g. one shared with them): allowed when the cluster
    // and org are known, listed as "only what's shared with you".
    const c = cfg.clusters.find((x) => x.name === want.cluster);
    if (c && (!c.orgs.length || c.orgs.includes(want.org))) return [{ cluster: want.cluster, org: want.org, project: want.project }];
  }
  const asked = [want.cluster && `cluster '${want.cluster}'`, want.org && `org '${want.org}'`, want.project && `project '${want.project}'`].filter(Boolean).join(', ');
  const offered = all.map((p) => `${p.org}/${p.project} (${p.cluster})`).slice(0, 10).join(', ');
  if (asked) throw new ValidationError(`The server has no ${asked} for this user.${offered ? ` Available: ${offered}.` : ''}`);
  throw new ValidationError('This user has no project on this server; create one with the Apolo CLI or web UI first.');
}

export async function discoverApolo(http: HttpClient, input: Pick<ApoloLoginInput, 'url' | 'token'>, signal?: AbortSignal): Promise<{ url: string; cfg: ApoloServerConfig }> {
  const url = normaliseApoloUrl(input.url);
  const token = input.token.trim();
  if (!token || /\s/.test(token)) throw new ValidationError('The token must be a single word without spaces.');
  redactor.add(token);
  // Discovery goes only to the API origin the user gave; the token is bound to it from the start.
  const auth = { origins: [new URL(url).origin], header: 'Authorization', value: `Bearer ${token}` };
  try {
    return { url, cfg: await fetchApoloConfig(http, url, auth, signal) };
  } catch (e) {
    // People paste the bare host; the API lives under /api/v1 (what `apolo config show` prints).
    if (e instanceof HttpError && e.status === 404 && !/\/api\/v1$/.test(url)) {
      const withPath = `${url}/api/v1`;
      return { url: withPath, cfg: await fetchApoloConfig(http, withPath, auth, signal) };
    }
    throw e;
  }
}

/** What a sign-in produced, not stored yet: the interactive flow asks for the label before saving. */
export interface PreparedConnection {
  record: ConnectionRecord;
  credential: StoredCredential;
}

export function prepareApoloConnection(input: ApoloLoginInput, url: string, cfg: ApoloServerConfig, choice: ApoloProjectChoice): PreparedConnection {
  const origin = new URL(url).origin;
  const cluster = cfg.clusters.find((c) => c.name === choice.cluster);
  const origins = boundOrigins(url, [cluster?.secretsUrl]);
  const scope = { cluster: choice.cluster, org: choice.org, project: choice.project };
  const record: ConnectionRecord = {
    label: input.label?.trim() || defaultLabel(input.platform as PlatformId, scope, new URL(url).host),
    platform: input.platform,
    url,
    origin,
    scope,
    user: jwtUser(input.token.trim()),
    createdAt: Date.now(),
    source: input.source ?? 'sign-in',
  };
  const credential: StoredCredential = { v: 1, origin, origins, token: input.token.trim(), expiresAt: input.expiresAt };
  return { record, credential };
}

export async function saveApoloConnection(
  store: ConnectionStore,
  input: ApoloLoginInput,
  url: string,
  cfg: ApoloServerConfig,
  choice: ApoloProjectChoice,
): Promise<ConnectionRecord> {
  const p = prepareApoloConnection(input, url, cfg, choice);
  await store.save(p.record, p.credential);
  return p.record;
}

/** Non-interactive: discover, pick the asked-for (or first) project, save. */
export async function connectApolo(http: HttpClient, store: ConnectionStore, input: ApoloLoginInput): Promise<ConnectionRecord> {
  const { url, cfg } = await discoverApolo(http, input);
  const [choice] = projectChoices(cfg, input);
  return saveApoloConnection(store, input, url, cfg, choice);
}

/** The CLI login's fields; an access token alone (e.g. imported) works until it expires, no silent re-login. */
export interface ZenmlLoginInput extends Omit<ZenmlCliLogin, 'source'> {
  project?: string;
  label?: string;
  source?: string;
}

/** Logs in to a ZenML server (or checks a token), reads who and what it is, and stores the connection. */
export async function connectZenml(http: HttpClient, store: ConnectionStore, input: ZenmlLoginInput, signal?: AbortSignal): Promise<ConnectionRecord> {
  const p = await prepareZenml(http, input, signal);
  await store.save(p.record, p.credential);
  return p.record;
}

/** Logs in and reads who and what the server is; stores nothing. */
export async function prepareZenml(http: HttpClient, input: ZenmlLoginInput, signal?: AbortSignal): Promise<PreparedConnection> {
  const url = normaliseZenmlUrl(input.url);
  const origin = new URL(url).origin;
  const apiKey = input.apiKey?.trim();
  if (apiKey && !apiKey.startsWith('ZENKEY_')) throw new ValidationError('A ZenML API key starts with ZENKEY_.');
  const login = apiKey ? { apiKey } : input.username && input.password !== undefined ? { username: input.username.trim(), password: input.password } : undefined;
  if (!login && !input.accessToken) throw new ValidationError("ZenML sign-in needs an API key, or a username and password.");
  const client = new ZenmlClient({ serverUrl: url, origins: [origin], http, login, accessToken: input.accessToken, expiresAt: input.expiresAt });
  if (login) await client.login(signal);
  const info = await client.info(signal);
  const user = await client.currentUser(signal).catch(() => input.username);
  const host = new URL(url).host;
  const session = client.session();
  const record: ConnectionRecord = {
    label: input.label?.trim() || `zenml:${info.name && info.name !== 'default' ? info.name : host}`,
    platform: 'zenml',
    url,
    origin,
    scope: input.project ? { project: input.project } : {},
    user,
    createdAt: Date.now(),
    source: input.source ?? 'sign-in',
  };
  return { record, credential: { v: 1, origin, origins: [origin], token: session.token, expiresAt: session.expiresAt, login } };
}

export interface MosaicLoginInput {
  url?: string;
  apiKey: string;
  label?: string;
  source?: string;
}

/** MosaicML: checks the key with a GetSecrets call, then stores it (sent verbatim, as mcli does). */
export async function connectMosaic(http: HttpClient, store: ConnectionStore, input: MosaicLoginInput, signal?: AbortSignal): Promise<ConnectionRecord> {
  const p = await prepareMosaic(http, input, signal);
  await store.save(p.record, p.credential);
  return p.record;
}

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

/** Flyte: an API key (client credentials via the discovered token endpoint) or a pasted token. */
export async function connectFlyte(http: HttpClient, store: ConnectionStore, input: FlyteLoginInput, signal?: AbortSignal): Promise<ConnectionRecord> {
  const p = await prepareFlyte(http, input, signal);
  await store.save(p.record, p.credential);
  return p.record;
}

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
  if (key) {
    redactor.add(key.clientSecret);
    flyteAuth = await discoverFlyteAuth(http, baseUrl, signal);
    origins = boundOrigins(baseUrl, [flyteAuth.tokenEndpoint]);
    if (!origins.includes(new URL(flyteAuth.tokenEndpoint).origin)) {
      throw new ValidationError(`Flyte named a token endpoint (${new URL(flyteAuth.tokenEndpoint).origin}) that would take the client secret off HTTPS; refusing.`);
    }
    const t = await flyteClientCredentialsToken(http, flyteAuth, key.clientId, key.clientSecret, origins, signal);
    token = t.token;
    expiresAt = t.expiresAt;
  }
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

// URL checks for the interactive sign-in: right after the URL is typed, before any token is asked
// for, and without sending one. Each says which URL answered what, and what URL is expected.

function unreachable(url: string, e: unknown): Error {
  if (e instanceof CancelledError) return e;
  if (e instanceof NetworkError || e instanceof TimeoutError) return new ValidationError(`${new URL(url).origin} can't be reached (${describeError(e)}). Check the URL and your network.`);
  return e instanceof Error ? e : new Error(String(e));
}

function statusText(status: number): string {
  return status === 404 ? '404 (Not Found)' : status === 405 ? '405 (Method Not Allowed)' : String(status);
}

/** Apolo / Neu.ro: GET {api}/config answers without a token; returns the API URL to use. */
export async function probeApolo(http: HttpClient, platform: 'apolo' | 'neuro', input: string, signal?: AbortSignal): Promise<string> {
  const url = normaliseApoloUrl(input);
  const expected = `Expected the API URL the ${platform} CLI uses (\`${platform} config show\` prints it), like ${platform === 'neuro' ? 'https://staging.neu.ro/api/v1' : 'https://api.apolo.us/api/v1'}.`;
  const tryOne = async (u: string): Promise<void> => {
    try {
      await fetchApoloConfig(http, u, undefined, signal);
    } catch (e) {
      if (e instanceof HttpError) throw Object.assign(new ValidationError(`${u}/config answered ${statusText(e.status)}: that is not ${PLATFORM_NAMES[platform]}'s API. ${expected}`), { status: e.status });
      if (e instanceof NetworkError || e instanceof TimeoutError || e instanceof CancelledError) throw unreachable(u, e);
      throw new ValidationError(`${u}/config did not answer like ${PLATFORM_NAMES[platform]}'s API (${describeError(e)}). ${expected}`);
    }
  };
  try {
    await tryOne(url);
    return url;
  } catch (e) {
    // People paste the bare host; the API lives under /api/v1.
    if ((e as { status?: number }).status === 404 && !/\/api\/v1$/.test(url)) {
      await tryOne(`${url}/api/v1`).catch(() => {
        throw e;
      });
      return `${url}/api/v1`;
    }
    throw e;
  }
}

/** A probe's body as a JSON object, or undefined (not JSON, or not an object). */
function jsonObject(text: string): Record<string, unknown> | undefined {
  try {
    const v: unknown = JSON.parse(text);
    return v && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}

/** ZenML: GET {root}/api/v1/info answers without a session (as on the real server). */
export async function probeZenml(http: HttpClient, input: string, signal?: AbortSignal): Promise<string> {
  const url = normaliseZenmlUrl(input);
  const info = `${url}/api/v1/info`;
  const expected = 'Expected the ZenML server root that `zenml login` uses, like https://zenml.example.com.';
  let res;
  try {
    res = await http.request({ url: info, signal, retries: 0, maxResponseBytes: 64 * 1024 });
  } catch (e) {
    throw unreachable(url, e);
  }
  if (res.status !== 200) throw new ValidationError(`${info} answered ${statusText(res.status)}: ${url} is not a ZenML server. ${expected}`);
  const b = jsonObject(res.text);
  if (!b || typeof b !== 'object' || (typeof b.version !== 'string' && typeof b.id !== 'string')) {
    throw new ValidationError(`${info} did not answer with ZenML's server info: ${url} is not a ZenML server. ${expected}`);
  }
  return url;
}

/** MosaicML: the GraphQL endpoint answers a query without a key with a GraphQL error, not a 404. */
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

/** Flyte: the endpoint must answer the (anonymous) auth metadata call rather than 404. */
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

