/** Minimal HS256 JWTs for the Apolo emulator (the dev/test tokens of platform-auth). */
import { createHmac, timingSafeEqual } from 'node:crypto';

export const JWT_IDENTITY_CLAIM = 'https://platform.neuromation.io/user';
/** The order neuro-auth-client tries: `identity` first, then the platform claim. */
export const JWT_IDENTITY_CLAIM_OPTIONS = ['identity', JWT_IDENTITY_CLAIM] as const;

function b64url(data: Buffer | string): string {
  return Buffer.from(data).toString('base64url');
}

export function signJwt(payload: Record<string, unknown>, secret: string): string {
  const header = b64url(JSON.stringify({ alg: 'HS256', typ: 'JWT' }));
  const body = b64url(JSON.stringify(payload));
  const sig = createHmac('sha256', secret).update(`${header}.${body}`).digest('base64url');
  return `${header}.${body}.${sig}`;
}

/** `jose.jwt.get_unverified_claims`: the payload, or null when the token is not a JWT. */
export function unverifiedClaims(token: string): Record<string, unknown> | null {
  const parts = token.split('.');
  if (parts.length !== 3) return null;
  try {
    const header = JSON.parse(Buffer.from(parts[0]!, 'base64url').toString('utf8')) as unknown;
    const claims = JSON.parse(Buffer.from(parts[1]!, 'base64url').toString('utf8')) as unknown;
    if (typeof header !== 'object' || header === null) return null;
    if (typeof claims !== 'object' || claims === null || Array.isArray(claims)) return null;
    return claims as Record<string, unknown>;
  } catch {
    return null;
  }
}

/** Signature (HS256 with `secret`) and `exp` check, as the auth service does before trusting a token. */
export function verifyJwt(token: string, secret: string, nowSec = Date.now() / 1000): Record<string, unknown> | null {
  const parts = token.split('.');
  if (parts.length !== 3) return null;
  let header: unknown;
  try {
    header = JSON.parse(Buffer.from(parts[0]!, 'base64url').toString('utf8'));
  } catch {
    return null;
  }
  if (typeof header !== 'object' || header === null || (header as { alg?: unknown }).alg !== 'HS256') return null;
  const expected = createHmac('sha256', secret).update(`${parts[0]}.${parts[1]}`).digest();
  const got = Buffer.from(parts[2]!, 'base64url');
  if (got.length !== expected.length || !timingSafeEqual(got, expected)) return null;
  const claims = unverifiedClaims(token);
  if (!claims) return null;
  if (claims.exp !== undefined && (typeof claims.exp !== 'number' || claims.exp <= nowSec)) return null;
  return claims;
}

/** `AuthPolicy.get_user_name_from_identity` */
export function userNameFromClaims(claims: Record<string, unknown> | null): string | null {
  if (!claims) return null;
  for (const c of JWT_IDENTITY_CLAIM_OPTIONS) {
    if (c in claims) {
      const v = claims[c];
      return typeof v === 'string' && v ? v : null;
    }
  }
  return null;
}
