// A ZenML session: the server root a user types, and the form login (API key grant, or user name
// and password) that gives the bearer token. docs/platform-apis.md §2.

import { AuthError, HttpError, NotFoundError, ProtocolError, UnsupportedError } from '../../errors';
import { HttpClient, RESPONSE_CAP } from '../../http/httpClient';
import { jsonObject } from '../../http/bodies';
import { parseServiceUrl } from '../../http/urls';
import { redactor } from '../../redact';
import { printable } from '../../text';
import { zenmlError } from './responses';

export interface ZenmlLogin {
  apiKey?: string;
  username?: string;
  password?: string;
}

/** The server root a user types, without a trailing slash or /api/v1. */
export function normaliseZenmlUrl(url: string): string {
  const u = parseServiceUrl(url, 'server URL', 'https://zenml.example.com');
  return u.toString().replace(/\/+$/, '').replace(/\/api\/v1$/, '');
}

/** The login form: API key first (grant zenml-api-key), else username + password. */
function loginForm(login: ZenmlLogin): Record<string, string> {
  if (login.apiKey) {
    redactor.add(login.apiKey);
    return { grant_type: 'zenml-api-key', password: login.apiKey };
  }
  if (login.username && login.password !== undefined) {
    redactor.add(login.password);
    return { grant_type: 'password', username: login.username, password: login.password };
  }
  throw new AuthError('No ZenML credentials to log in with: sign in again.');
}

/** POST /api/v1/login; returns the token and when it expires. */
export async function zenmlLogin(http: HttpClient, server: string, login: ZenmlLogin, signal?: AbortSignal): Promise<{ token: string; expiresAt?: number }> {
  const form = loginForm(login);
  const res = await http.request({ method: 'POST', url: `${server}/api/v1/login`, form, publicFields: ['grant_type', 'username'], confidential: true, signal, idempotent: false, maxResponseBytes: RESPONSE_CAP.auth });
  if (res.status === 401 || res.status === 403) {
    throw new AuthError(login.apiKey ? 'ZenML did not accept the API key.' : `ZenML did not accept the user name and password for '${printable(login.username ?? '')}'.`);
  }
  if (res.status === 429) throw new HttpError(429, 'ZenML is rate-limiting logins (5 a minute by default); try again in a minute.');
  if (res.status === 404 || res.status === 405) {
    throw new NotFoundError(`${server}/api/v1/login answered ${res.status} (${res.status === 404 ? 'Not Found' : 'Method Not Allowed'}): ${server} is not a ZenML server. Expected the server root that \`zenml login\` uses, like https://zenml.example.com.`);
  }
  if (res.status !== 200) throw zenmlError(res, 'log in');
  const b = jsonObject(res, 'ZenML (login)');
  if (typeof b.access_token !== 'string' || !b.access_token) {
    if (typeof b.authorization_url === 'string') throw new UnsupportedError('This ZenML server signs in through a browser (external authentication); use an API key instead.');
    throw new ProtocolError('ZenML answered the login without an access token.');
  }
  redactor.add(b.access_token);
  const expiresAt = typeof b.expires_in === 'number' ? Date.now() + b.expires_in * 1000 : undefined;
  return { token: b.access_token, expiresAt };
}
