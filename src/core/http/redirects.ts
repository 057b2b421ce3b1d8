// Redirects, handled by hand: no request follows a redirect to another origin (an authenticated or
// confidential one never; an anonymous one only when it opts in), nothing follows https → http or
// leaves http(s), and at most MAX_REDIRECTS hops are taken.

import { ProtocolError } from '../errors';
import type { HttpRequest, HttpResponse } from './httpTypes';
import { loggableUrl } from './urls';

const MAX_REDIRECTS = 3;
const REDIRECT_STATUSES = [301, 302, 303, 307, 308];

/**
 * Where a redirect answer at hop `hop` leads, or undefined when `res` is the final answer (not a
 * redirect, or one without a Location). Throws a ProtocolError for a redirect that must not be followed.
 */
export function redirectTarget(req: Pick<HttpRequest, 'url' | 'auth' | 'confidential' | 'allowCrossOriginRedirect'>, url: string, res: HttpResponse, hop: number): URL | undefined {
  if (!REDIRECT_STATUSES.includes(res.status)) return undefined;
  const location = res.headers.get('location');
  if (!location) return undefined;
  if (hop >= MAX_REDIRECTS) throw new ProtocolError(`Too many redirects from ${loggableUrl(req.url)}.`);
  let next: URL;
  try {
    next = new URL(location, url);
  } catch {
    throw new ProtocolError(`${loggableUrl(url)} redirected to an invalid location.`);
  }
  const from = new URL(url);
  if (from.protocol === 'https:' && next.protocol !== 'https:') {
    throw new ProtocolError(`Refused a redirect from ${from.origin} to ${next.protocol}//${next.host}: it would drop HTTPS.`);
  }
  if (next.protocol !== 'https:' && next.protocol !== 'http:') throw new ProtocolError(`Refused a redirect to a ${next.protocol} URL.`);
  if ((req.auth || req.confidential) && next.origin !== from.origin) {
    throw new ProtocolError(`Refused to follow a redirect from ${from.origin} to ${next.origin} with your credentials. Check the server URL.`);
  }
  if (!req.allowCrossOriginRedirect && next.origin !== from.origin) {
    throw new ProtocolError(`Refused to follow a redirect from ${from.origin} to another server (${next.origin}). Check the server URL.`);
  }
  return next;
}

/** A 303, or a 301/302 after a POST, turns the request into a GET without its body (as browsers do). */
export function redirectDropsBody(status: number, method: string): boolean {
  return status === 303 || ((status === 301 || status === 302) && method === 'POST');
}
