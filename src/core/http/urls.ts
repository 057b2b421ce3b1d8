// The one check of a URL a user typed for a platform: http(s), no user name or password, no
// query or fragment (nothing that could smuggle credentials or confuse the origin binding).

import { ValidationError } from '../errors';
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
