// Where a Flyte / Union tenant is, as users and keys write it: the FLYTE_API_KEY format (endpoint,
// client credentials and org in one base64 string) and the base URL an endpoint stands for
// (`https://…`, `dns:///host[:port]` or a bare `host[:port]`).

import { ValidationError } from '../../errors';
import { isLoopbackHost } from '../../http/urls';
import { printable } from '../../text';

export interface FlyteApiKey {
  endpoint: string;
  clientId: string;
  clientSecret: string;
  org?: string;
}

/** Splits `host[:port]:rest` after an optional scheme: the host (bracketed IPv6 kept whole) and what follows its ':'. */
function splitHost(body: string, format: string): { host: string; rest: string } {
  if (body.startsWith('[')) {
    const close = body.indexOf(']');
    if (close < 0 || body[close + 1] !== ':') throw new ValidationError(format);
    return { host: body.slice(0, close + 1), rest: body.slice(close + 2) };
  }
  const colon = body.indexOf(':');
  if (colon < 0) throw new ValidationError(format);
  return { host: body.slice(0, colon), rest: body.slice(colon + 1) };
}

/**
 * FLYTE_API_KEY = base64("<endpoint>:<client_id>:<client_secret>:<org>"). The SDK splits it from the
 * left (`split(":", 3)`: issued keys carry a bare host, and the org may hold ':'); an endpoint written
 * with a scheme (`dns:///`, `http(s)://`) or a port is read whole first, so a key for `host:port`
 * still reads as meant.
 */
export function decodeFlyteApiKey(key: string): FlyteApiKey {
  let text: string;
  try {
    text = Buffer.from(key.trim(), 'base64').toString('utf8');
  } catch {
    throw new ValidationError('The Flyte API key is not base64.');
  }
  const format = 'The Flyte API key is not in the FLYTE_API_KEY format (base64 of endpoint:client_id:client_secret:org).';
  // eslint-disable-next-line no-control-regex -- deliberately matches control characters (refused or replaced)
  if (/[\u0000-\u001f]/.test(text)) throw new ValidationError(format);
  const scheme = /^(?:dns:\/\/\/|https?:\/\/)/i.exec(text)?.[0] ?? '';
  const { host, rest } = splitHost(text.slice(scheme.length), format);
  const fields = rest.split(':');
  // host:port:id:secret:org — a port only when three fields still follow it.
  const port = fields.length >= 4 && /^\d{1,5}$/.test(fields[0]) ? `:${fields.shift()}` : '';
  if (fields.length < 3) throw new ValidationError(format);
  const endpoint = `${scheme}${host}${port}`;
  const [clientId, clientSecret] = fields;
  const org = fields.slice(2).join(':');
  if (!host || !clientId || !clientSecret) throw new ValidationError('The Flyte API key is missing its endpoint, client id or client secret.');
  return { endpoint, clientId, clientSecret, org: org && org !== 'None' ? org : undefined };
}

/**
 * The base URL from a Flyte endpoint: `http(s)://…` as is; `dns:///host[:port]` and a bare
 * `host[:port]` → https (http when `insecure`, or for a loopback host, as a local sandbox runs).
 */
export function flyteBaseUrl(endpoint: string, insecure?: boolean): string {
  let e = endpoint.trim();
  if (/^dns:\/\/\//i.test(e)) e = e.slice('dns:///'.length);
  if (!/^[a-z][a-z0-9+.-]*:\/\//i.test(e)) {
    const host = e.split('/')[0];
    const loop = isLoopbackHost(host.replace(/:\d+$/, ''));
    e = `${insecure || loop ? 'http' : 'https'}://${e}`;
  }
  let u: URL;
  try {
    u = new URL(e);
  } catch {
    throw new ValidationError(`'${printable(endpoint)}' is not a Flyte endpoint (like https://tenant.example.com or dns:///tenant.example.com).`);
  }
  if (u.protocol !== 'https:' && u.protocol !== 'http:') throw new ValidationError(`The Flyte endpoint must use http(s) (got ${u.protocol}).`);
  if (u.username || u.password || u.search || u.hash) throw new ValidationError('The Flyte endpoint must not contain credentials, a query or a fragment.');
  return `${u.protocol}//${u.host}`;
}
