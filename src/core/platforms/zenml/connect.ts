// ZenML sign-in, the pure part: the URL probe, and the login (API key, user name + password, or an
// imported access token) that reads who and what the server is. Nothing is stored here
// (src/commands/saveConnection.ts does that for every platform).

import type { ConnectionRecord } from '../../connections';
import { ValidationError } from '../../errors';
import { HttpClient } from '../../http/httpClient';
import type { ZenmlCliLogin } from './cliLogins';
import { jsonObject, PreparedConnection, statusText, unreachable } from '../connect';
import { ZenmlClient } from './client';
import { normaliseZenmlUrl } from './session';

/** The CLI login's fields; an access token alone (e.g. imported) works until it expires, no silent re-login. */
export interface ZenmlLoginInput extends Omit<ZenmlCliLogin, 'source'> {
  project?: string;
  label?: string;
  source?: string;
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

/** The interactive URL check: GET {root}/api/v1/info answers without a session (as on the real server). */
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
