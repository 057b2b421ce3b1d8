// Flyte's OAuth2 for an API key: anonymous discovery through AuthMetadataService (the token endpoint,
// the header the token goes in, scopes and audience), then the client_credentials grant at that
// token endpoint. docs/platform-apis.md §4.

import { AuthError, CancelledError, HttpError, ProtocolError } from '../../errors';
import { HttpClient, RESPONSE_CAP } from '../../http/httpClient';
import { jsonObject } from '../../http/bodies';
import { isLoopbackHost } from '../../http/urls';
import { redact, redactor } from '../../redact';
import { printable } from '../../text';
import type { FlyteCodec, WireCall } from './wire';
import { loadFlyteWire } from './wireLoader';

export interface FlyteAuthConfig {
  tokenEndpoint: string;
  authorizationMetadataKey: string;
  scopes?: string[];
  audience?: string;
}

/**
 * Anonymous discovery: the token endpoint and the header the token goes in. What it answers decides
 * where the client secret goes, so it never follows a redirect to another origin and an answer from
 * anywhere but the endpoint itself is refused (the wire's anonymous calls).
 */
export async function discoverFlyteAuth(http: HttpClient, baseUrl: string, signal?: AbortSignal, codec: FlyteCodec | 'auto' = 'auto'): Promise<FlyteAuthConfig> {
  const m = await loadFlyteWire();
  const wire = new m.FlyteWire(http, codec, (msg) => http.log?.('info', msg));
  const call = (what: string): WireCall => ({ baseUrl, what, idempotent: true, maxResponseBytes: RESPONSE_CAP.auth, signal });
  const meta = await wire.unary(wire.flyte.AuthMetadataService.getOAuth2Metadata, {}, call('read the OAuth2 metadata'));
  const tokenEndpoint = checkTokenEndpoint(meta.tokenEndpoint || undefined, baseUrl);
  let pub: { scopes: string[]; authorizationMetadataKey: string; audience: string } | undefined;
  try {
    pub = await wire.unary(wire.flyte.AuthMetadataService.getPublicClientConfig, {}, call('read the public client config'));
  } catch (e) {
    if (e instanceof CancelledError) throw e;
    /* optional: defaults below */
  }
  return {
    tokenEndpoint,
    authorizationMetadataKey: (pub?.authorizationMetadataKey || 'authorization').toLowerCase(),
    scopes: pub?.scopes.length ? [...pub.scopes] : undefined,
    audience: pub?.audience || undefined,
  };
}

/** The token endpoint the issuer named: an http(s) URL without credentials, never off HTTPS. */
function checkTokenEndpoint(endpoint: string | undefined, baseUrl: string): string {
  if (!endpoint) throw new ProtocolError('Flyte named no token endpoint in its OAuth2 metadata.');
  let u: URL;
  try {
    u = new URL(endpoint);
  } catch {
    throw new ProtocolError('Flyte named a token endpoint that is not a URL.');
  }
  if (u.protocol !== 'https:' && u.protocol !== 'http:') throw new ProtocolError(`Flyte named a token endpoint with the scheme ${printable(u.protocol)}; refusing.`);
  if (u.username || u.password) throw new ProtocolError('Flyte named a token endpoint with credentials in it; refusing.');
  const base = new URL(baseUrl);
  if (base.protocol === 'https:' && u.protocol !== 'https:' && !isLoopbackHost(u.hostname)) {
    throw new ProtocolError(`Flyte named a token endpoint (${u.origin}) that would take the client secret off HTTPS; refusing.`);
  }
  return u.toString();
}

/** The RFC 6749 §5.2 error code of a refused grant, quoted only when it is a short ASCII word. */
function grantError(text: string): string {
  try {
    const b = JSON.parse(text) as { error?: unknown };
    return typeof b.error === 'string' && /^[\x20-\x7e]{1,60}$/.test(b.error) ? ` (${b.error})` : '';
  } catch {
    return ''; // plain text
  }
}

/** OAuth2 client_credentials with HTTP Basic client authentication (RFC 6749 §2.3.1). */
export async function flyteClientCredentialsToken(
  http: HttpClient,
  auth: FlyteAuthConfig,
  clientId: string,
  clientSecret: string,
  origins: readonly string[],
  signal?: AbortSignal,
): Promise<{ token: string; expiresAt?: number }> {
  redactor.add(clientSecret);
  const basic = Buffer.from(`${encodeURIComponent(clientId)}:${encodeURIComponent(clientSecret)}`).toString('base64');
  redactor.add(basic);
  const form: Record<string, string | undefined> = { grant_type: 'client_credentials' };
  if (auth.scopes?.length) form.scope = auth.scopes.join(' ');
  if (auth.audience) form.audience = auth.audience;
  const res = await http.request({
    method: 'POST',
    url: auth.tokenEndpoint,
    form,
    publicFields: ['grant_type', 'scope', 'audience'],
    auth: { origins, header: 'Authorization', value: `Basic ${basic}` },
    idempotent: false,
    maxResponseBytes: RESPONSE_CAP.auth,
    signal,
  });
  if (res.status === 400 || res.status === 401) {
    throw new AuthError(`Flyte's token endpoint did not accept the API key's client credentials${redact(grantError(res.text))}.`);
  }
  if (res.status !== 200) throw new HttpError(res.status, `Flyte's token endpoint answered ${res.status}.`);
  const b = jsonObject(res, "Flyte's token endpoint");
  if (typeof b.access_token !== 'string' || !b.access_token) throw new ProtocolError("Flyte's token endpoint sent no access token.");
  redactor.add(b.access_token);
  return { token: b.access_token, expiresAt: typeof b.expires_in === 'number' ? Date.now() + b.expires_in * 1000 : undefined };
}
