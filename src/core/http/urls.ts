// The one check of a URL a user typed for a platform: http(s), no user name or password, no
// query or fragment (nothing that could smuggle credentials or confuse the origin binding); and the
// URL helpers of the HTTP layer (origins, query strings, URLs as a log line may show them).

import { ValidationError } from '../errors';
import { redact } from '../redact';
import { printable } from '../text';

/** Parses and checks a service URL; `what` names it in messages ("API URL"), `example` shows one. */
export function parseServiceUrl(input: string, what: string, example: string): URL {
  let u: URL;
  try {
    u = new URL(input.trim());
  } catch {
    throw new ValidationError(`'${printable(input)}' is not a URL. The ${what} looks like ${example}.`);
  }
  if (u.protocol !== 'https:' && u.protocol !== 'http:') throw new ValidationError(`The ${what} must start with https:// (got ${u.protocol}).`);
  if (u.username || u.password) throw new ValidationError(`The ${what} must not contain a user name or password.`);
  if (u.search || u.hash) throw new ValidationError(`The ${what} must not contain a query or fragment.`);
  return u;
}

/** A loopback host (`localhost`, 127.0.0.0/8, `::1` with or without brackets): plain http is fine there. */
export function isLoopbackHost(hostname: string): boolean {
  const h = hostname.replace(/^\[|\]$/g, '');
  return h === 'localhost' || h === '::1' || /^127\./.test(h);
}

export function originOf(url: string): string {
  return new URL(url).origin;
}

/** The URL with the query's parameters set (undefined ones left out, a list as repeated parameters). */
export function buildUrl(url: string, query: Record<string, string | number | boolean | undefined | readonly string[]> | undefined): string {
  const u = new URL(url);
  if (query) {
    for (const [k, v] of Object.entries(query)) {
      if (v === undefined) continue;
      if (Array.isArray(v)) for (const item of v) u.searchParams.append(k, item);
      else u.searchParams.set(k, String(v));
    }
  }
  return u.toString();
}

/** A URL as it may appear in a log line: no userinfo, query values kept (they are names, never secrets). */
export function loggableUrl(url: string): string {
  try {
    const u = new URL(url);
    u.username = '';
    u.password = '';
    return redact(u.toString());
  } catch {
    return '<invalid URL>';
  }
}
