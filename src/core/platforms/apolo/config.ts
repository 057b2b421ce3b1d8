// Apolo / Neu.ro discovery: platform-api's GET {api}/config (with the token, or without one at
// sign-in), read into the orgs, clusters (with their secrets service) and projects the user has.
// docs/platform-apis.md §1.

import { AuthError, HttpError, ProtocolError } from '../../errors';
import { HttpAuth, HttpClient, RESPONSE_CAP } from '../../http/httpClient';
import { originOf } from '../../http/urls';
import { parseServiceUrl } from '../../http/urls';
import { APOLO_DEFAULT_URL } from './facts';

export interface ApoloClusterInfo {
  name: string;
  orgs: string[];
  secretsUrl?: string;
}
export interface ApoloProjectInfo {
  name: string;
  role?: string;
  cluster: string;
  org: string;
}
export interface ApoloServerConfig {
  authorized: boolean;
  orgs: Array<{ name: string; role?: string }>;
  clusters: ApoloClusterInfo[];
  projects: ApoloProjectInfo[];
}

/** Normalises what a user typed as the API URL: trims, drops a trailing slash. */
export function normaliseApoloUrl(url: string): string {
  const trimmed = url.trim().replace(/\/+$/, '');
  parseServiceUrl(trimmed, 'API URL', APOLO_DEFAULT_URL);
  return trimmed;
}

function str(v: unknown): string | undefined {
  return typeof v === 'string' && v.length > 0 ? v : undefined;
}

/** Validates the /config body into what the client needs; anything malformed is a ProtocolError. */
export function parseApoloConfig(body: unknown, where: string): ApoloServerConfig {
  if (!body || typeof body !== 'object' || Array.isArray(body)) throw new ProtocolError(`${where} did not return a configuration object.`);
  const b = body as Record<string, unknown>;
  const list = (v: unknown): unknown[] => (Array.isArray(v) ? v : []);
  const clusters: ApoloClusterInfo[] = [];
  for (const c of list(b.clusters)) {
    if (!c || typeof c !== 'object') continue;
    const cc = c as Record<string, unknown>;
    const name = str(cc.name);
    if (!name) continue;
    clusters.push({ name, orgs: list(cc.orgs).filter((o): o is string => typeof o === 'string'), secretsUrl: str(cc.secrets_url) });
  }
  const projects: ApoloProjectInfo[] = [];
  for (const p of list(b.projects)) {
    if (!p || typeof p !== 'object') continue;
    const pp = p as Record<string, unknown>;
    const name = str(pp.name);
    const cluster = str(pp.cluster_name);
    const org = str(pp.org_name);
    if (name && cluster && org) projects.push({ name, cluster, org, role: str(pp.role) });
  }
  const orgs = list(b.orgs)
    .map((o) => (o && typeof o === 'object' ? { name: str((o as Record<string, unknown>).name), role: str((o as Record<string, unknown>).role) } : undefined))
    .filter((o): o is { name: string; role: string | undefined } => !!o?.name);
  return { authorized: b.authorized === true, orgs, clusters, projects };
}

/** GET {api}/config (with the token when given). Used by sign-in before a client exists. */
export async function fetchApoloConfig(http: HttpClient, apiUrl: string, auth: HttpAuth | undefined, signal?: AbortSignal): Promise<ApoloServerConfig> {
  const url = `${normaliseApoloUrl(apiUrl)}/config`;
  const res = await http.request({ url, auth, signal, maxResponseBytes: RESPONSE_CAP.read });
  if (res.status === 401 || res.status === 403) throw new AuthError(`${originOf(url)} did not accept this token (${res.status}).`);
  if (res.status !== 200) throw new HttpError(res.status, `Unable to get the server configuration from ${originOf(url)}: ${res.status}.`);
  const cfg = parseApoloConfig(res.json(), originOf(url));
  // (No "token:" in the wording: the redactor would take the next word for a token.)
  if (auth && !cfg.authorized) throw new AuthError(`${originOf(url)} did not accept this token (it answered "not authorized"). Check that it is the token for ${originOf(url)}: \`apolo config show-token\` prints the CLI's.`);
  return cfg;
}
