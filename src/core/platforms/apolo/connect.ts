// Apolo / Neu.ro sign-in, the pure part: the URL probe, discovery (GET {api}/config), the project
// choice and the origins the token is bound to. Nothing is stored here (src/commands/saveConnection.ts
// does that for every platform).

import { boundOrigins, ConnectionRecord, defaultLabel, jwtUser, StoredCredential } from '../../connections';
import { CancelledError, describeError, HttpError, NetworkError, TimeoutError, ValidationError } from '../../errors';
import { HttpClient } from '../../http/httpClient';
import { redactor } from '../../redact';
import { PLATFORM_NAMES } from '../types';
import { PreparedConnection, statusText, unreachable } from '../connect';
import { ApoloServerConfig, fetchApoloConfig, normaliseApoloUrl } from './config';

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

export function prepareApoloConnection(input: ApoloLoginInput, url: string, cfg: ApoloServerConfig, choice: ApoloProjectChoice): PreparedConnection {
  const origin = new URL(url).origin;
  const cluster = cfg.clusters.find((c) => c.name === choice.cluster);
  const origins = boundOrigins(url, [cluster?.secretsUrl]);
  const scope = { cluster: choice.cluster, org: choice.org, project: choice.project };
  const record: ConnectionRecord = {
    label: input.label?.trim() || defaultLabel(input.platform, scope, new URL(url).host),
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

/** Non-interactive: discover, pick the asked-for (or first) project; stores nothing. */
export async function prepareApolo(http: HttpClient, input: ApoloLoginInput): Promise<PreparedConnection> {
  const { url, cfg } = await discoverApolo(http, input);
  const [choice] = projectChoices(cfg, input);
  return prepareApoloConnection(input, url, cfg, choice);
}

/** The interactive URL check: GET {api}/config answers without a token; returns the API URL to use. */
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
