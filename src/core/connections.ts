// A connection = platform + API URL + scope + label. The non-secret record lives in extension global
// state; the token lives only in SecretStorage together with the origins it is bound to.

import { PlatformId, ScopeRef, PLATFORM_IDS } from './platforms/types';

export interface ConnectionRecord {
  label: string;
  platform: PlatformId;
  /** The URL the platform's own tooling uses (Apolo: the API URL ending in /api/v1). */
  url: string;
  /** scheme://host:port of url: the origin the token was issued for. */
  origin: string;
  scope: ScopeRef;
  /** Who the token belongs to, when it says (display only). */
  user?: string;
  createdAt: number;
  /** Where it came from: "sign-in", or the CLI file it was imported from. */
  source?: string;
}

/** What SecretStorage holds for a connection. */
export interface StoredCredential {
  v: 1;
  /** The origin the token was issued for; must equal the record's. */
  origin: string;
  /** Every origin the token may be sent to: the API's, plus the service origins the API named at sign-in. */
  origins: string[];
  /** The bearer token ('' when there is none yet and `login` can get one). */
  token: string;
  expiresAt?: number;
  /** What it takes to log in again without asking (ZenML: an API key, or username + password;
   *  Flyte: the API key's client id and secret as username / password). */
  login?: StoredLogin;
  /** Flyte: where tokens come from and which header carries them (discovered at sign-in). */
  flyteAuth?: { tokenEndpoint: string; authorizationMetadataKey: string; scopes?: string[]; audience?: string };
}

export interface StoredLogin {
  apiKey?: string;
  username?: string;
  password?: string;
}

/** Identifies a credential without its short-lived parts: a refreshed access token is the same sign-in. */
export function credentialFingerprint(c: StoredCredential | undefined): string | undefined {
  if (!c) return undefined;
  if (c.login && (c.login.apiKey || c.login.password)) return JSON.stringify([c.login.apiKey ?? '', c.login.username ?? '', c.login.password ?? '']);
  return c.token;
}

export const CREDENTIAL_KEY_PREFIX = 'mlSecrets.credential';

/** SecretStorage key: platform + origin + label, so a token is tied to where it was issued. */
export function credentialKey(rec: Pick<ConnectionRecord, 'platform' | 'origin' | 'label'>): string {
  return `${CREDENTIAL_KEY_PREFIX}:${rec.platform}:${rec.origin}:${encodeURIComponent(rec.label)}`;
}

export function parseCredential(raw: string | undefined, expectedOrigin: string): StoredCredential | undefined {
  if (!raw) return undefined;
  try {
    const c = JSON.parse(raw) as Partial<StoredCredential>;
    if (c.v !== 1 || typeof c.token !== 'string' || c.origin !== expectedOrigin) return undefined;
    const origins = Array.isArray(c.origins) ? c.origins.filter((o): o is string => typeof o === 'string') : [];
    if (!origins.includes(expectedOrigin)) origins.unshift(expectedOrigin);
    let login: StoredLogin | undefined;
    if (c.login && typeof c.login === 'object') {
      const l = c.login as Record<string, unknown>;
      const str = (v: unknown) => (typeof v === 'string' && v ? v : undefined);
      login = { apiKey: str(l.apiKey), username: str(l.username), password: str(l.password) };
      if (!login.apiKey && !login.password) login = undefined;
    }
    if (!c.token && !login) return undefined;
    let flyteAuth: StoredCredential['flyteAuth'];
    const fa = c.flyteAuth as Record<string, unknown> | undefined;
    if (fa && typeof fa.tokenEndpoint === 'string' && typeof fa.authorizationMetadataKey === 'string') {
      // The token endpoint must be one of the bound origins: the client secret goes nowhere else.
      try {
        if (origins.includes(new URL(fa.tokenEndpoint).origin)) {
          flyteAuth = {
            tokenEndpoint: fa.tokenEndpoint,
            authorizationMetadataKey: fa.authorizationMetadataKey,
            scopes: Array.isArray(fa.scopes) ? fa.scopes.filter((x): x is string => typeof x === 'string') : undefined,
            audience: typeof fa.audience === 'string' ? fa.audience : undefined,
          };
        }
      } catch {
        /* invalid URL: no refresh */
      }
    }
    return { v: 1, origin: c.origin, origins, token: c.token, expiresAt: typeof c.expiresAt === 'number' ? c.expiresAt : undefined, login, flyteAuth };
  } catch {
    return undefined;
  }
}

export function isConnectionRecord(v: unknown): v is ConnectionRecord {
  if (!v || typeof v !== 'object') return false;
  const r = v as Record<string, unknown>;
  return (
    typeof r.label === 'string' &&
    !!r.label &&
    typeof r.platform === 'string' &&
    (PLATFORM_IDS as readonly string[]).includes(r.platform) &&
    typeof r.url === 'string' &&
    typeof r.origin === 'string' &&
    safeOrigin(r.url) === r.origin &&
    !!r.scope &&
    typeof r.scope === 'object'
  );
}

function safeOrigin(url: string): string | undefined {
  try {
    return new URL(url).origin;
  } catch {
    return undefined;
  }
}

/**
 * The origins a token may go to: the API's own, plus service URLs the API itself named — but never
 * a downgrade from https to http, and only http(s).
 */
export function boundOrigins(apiUrl: string, serviceUrls: Array<string | undefined>): string[] {
  const api = new URL(apiUrl);
  const out = [api.origin];
  for (const s of serviceUrls) {
    if (!s) continue;
    let u: URL;
    try {
      u = new URL(s);
    } catch {
      continue;
    }
    if (u.protocol !== 'https:' && u.protocol !== 'http:') continue;
    if (api.protocol === 'https:' && u.protocol !== 'https:') continue;
    if (!out.includes(u.origin)) out.push(u.origin);
  }
  return out;
}

/** Reads the user name from a JWT's payload (display only; nothing is trusted from it). */
export function jwtUser(token: string): string | undefined {
  const parts = token.split('.');
  if (parts.length !== 3) return undefined;
  try {
    const payload = JSON.parse(Buffer.from(parts[1], 'base64url').toString('utf8')) as Record<string, unknown>;
    const u = payload['https://platform.neuromation.io/user'] ?? payload.identity ?? payload.sub;
    return typeof u === 'string' && u.length < 200 ? u : undefined;
  } catch {
    return undefined;
  }
}

export function defaultLabel(platform: PlatformId, scope: ScopeRef, host: string): string {
  if (scope.org && scope.project) return `${platform}:${scope.org}/${scope.project}`;
  if (scope.project) return `${platform}:${scope.project}`;
  return `${platform}:${host}`;
}
