// Apolo / Neu.ro's ACL as this user sees it (platform-auth, docs/platform-apis.md §1.8): the secrets
// others granted you (GET /users/{me}/permissions), who holds a grant on one of yours
// (GET /users/{me}/permissions/shared?uri=…) and taking a grant away (DELETE
// /users/{user}/permissions?uri=…). A secret URI is secret://CLUSTER/ORG/PROJECT/NAME, or Neu.ro's
// user-scoped secret://CLUSTER/USER/NAME. Names and levels only: a value is never asked for.

import { ProtocolError, ValidationError } from '../../errors';
import type { HttpAuth, HttpClient } from '../../http/httpClient';
import { RESPONSE_CAP } from '../../http/httpClient';
import { printable } from '../../text';
import type { AccessGrant, DeleteResult, ScopeRef, SecretInfo, SharedSecret } from '../types';
import { apoloError } from './apoloError';
import type { ApoloServerConfig } from './config';
import { APOLO_ACTIONS, validateApoloKey, validateApoloUser } from './names';

export interface SharingContext {
  http: HttpClient;
  apiUrl: string;
  auth: HttpAuth;
  /** The signed-in user (from the token). */
  me: string | undefined;
}

/** `{user}` in an auth-service path: `/` of a role name becomes `:` (the SDK's rule; `:` is a path character, sent as is). */
export function userPath(user: string): string {
  return encodeURIComponent(user.trim().replace(/\//g, ':')).replace(/%3A/g, ':');
}

export function secretUri(scope: { cluster: string; org: string; project?: string }, name: string): string {
  return `secret://${[scope.cluster, scope.org, scope.project, encodeURIComponent(name)].filter(Boolean).join('/')}`;
}

function readable(level: string): boolean {
  return APOLO_ACTIONS.indexOf(level) >= APOLO_ACTIONS.indexOf('read');
}

function requireMe(ctx: SharingContext): string {
  if (!ctx.me) throw new ValidationError("This connection's token names no user, so what was shared with it can't be asked for; sign in again.");
  return ctx.me;
}

function entries(body: unknown, what: string, fields: string[]): Array<Record<string, string>> {
  if (!Array.isArray(body)) throw new ProtocolError(`The auth service answered ${what} with ${typeof body} instead of a list.`);
  return body.map((item) => {
    const it = item as Record<string, unknown> | null;
    if (!it || typeof it !== 'object' || fields.some((f) => typeof it[f] !== 'string')) throw new ProtocolError(`The auth service sent ${what} an entry without ${fields.join(', ')}.`);
    return it as Record<string, string>;
  });
}

/** GET /users/{me}/permissions?uri=secret://CLUSTER: every grant the user holds (roles expanded). */
export async function myPermissions(ctx: SharingContext, cluster: string | undefined, signal?: AbortSignal): Promise<Array<{ uri: string; action: string }>> {
  const me = requireMe(ctx);
  const res = await ctx.http.request({
    url: `${ctx.apiUrl}/users/${userPath(me)}/permissions`,
    query: { uri: cluster ? `secret://${cluster}` : undefined },
    auth: ctx.auth,
    signal,
    maxResponseBytes: RESPONSE_CAP.list,
  });
  if (res.status !== 200) throw apoloError(res, 'read the permissions of your user');
  return entries(res.json(), 'the permissions list', ['uri', 'action']).map((e) => ({ uri: e.uri, action: e.action }));
}

function decode(s: string): string {
  try {
    return decodeURIComponent(s);
  } catch {
    return s;
  }
}

/**
 * The grants that name one secret outside the user's own projects and user namespace: 4 segments
 * (cluster/org/project/name) or 3 (cluster/user/name, Neu.ro's layout; a 3-segment grant whose
 * second segment is an org is a whole project, not a secret). The highest level per secret wins.
 */
export function sharedSecrets(perms: Array<{ uri: string; action: string }>, me: string, cfg: ApoloServerConfig): SharedSecret[] {
  const orgs = new Set([...cfg.orgs.map((o) => o.name), ...cfg.clusters.flatMap((c) => c.orgs)]);
  const mine = (c: string, o: string, p: string) => cfg.projects.some((x) => x.cluster === c && x.org === o && x.name === p);
  const out = new Map<string, SharedSecret>();
  for (const { uri, action } of perms) {
    const m = /^secret:\/\/([^/?#]+)\/([^/?#]+)\/([^/?#]+)(?:\/([^/?#]+))?$/.exec(uri);
    if (!m || !APOLO_ACTIONS.includes(action)) continue;
    const [, cluster, owner, third, fourth] = m;
    let s: SharedSecret;
    if (fourth !== undefined) {
      if (mine(cluster, owner, third)) continue;
      s = { name: decode(fourth), uri, owner: `${owner}/${third}`, level: action, readable: readable(action), scope: { cluster, org: owner, project: third } };
    } else {
      if (owner === me || orgs.has(owner)) continue;
      s = { name: decode(third), uri, owner, level: action, readable: readable(action), scope: { cluster, org: owner } };
    }
    if (validateApoloKey(s.name)) continue;
    const prev = out.get(s.uri);
    if (!prev || APOLO_ACTIONS.indexOf(action) > APOLO_ACTIONS.indexOf(prev.level)) out.set(s.uri, s);
  }
  return [...out.values()].sort((a, b) => a.owner.localeCompare(b.owner) || a.name.localeCompare(b.name));
}

/** The shared secrets of one scope as list entries (a level below read: the secret exists, unreadable). */
export function sharedIn(shared: SharedSecret[], scope: ScopeRef): SecretInfo[] {
  return shared
    .filter((s) => s.scope.cluster === scope.cluster && s.scope.org === scope.org && s.scope.project === scope.project)
    .map((s) => ({ name: s.name, owner: s.owner, scope: s.owner, inaccessible: !s.readable }));
}

/** GET /users/{me}/permissions/shared?uri=URI: the grants others hold on it (or below it). */
export async function grantsOn(ctx: SharingContext, uri: string, signal?: AbortSignal): Promise<AccessGrant[]> {
  const me = requireMe(ctx);
  const res = await ctx.http.request({ url: `${ctx.apiUrl}/users/${userPath(me)}/permissions/shared`, query: { uri }, auth: ctx.auth, signal, maxResponseBytes: RESPONSE_CAP.list });
  if (res.status !== 200) throw apoloError(res, `read who has access to ${printable(uri)}`);
  return entries(res.json(), 'the shared list', ['user', 'uri', 'action'])
    .filter((e) => e.user !== me && APOLO_ACTIONS.includes(e.action))
    .map((e) => ({ user: e.user, uri: e.uri, level: e.action }))
    .sort((a, b) => a.user.localeCompare(b.user));
}

/** DELETE /users/{user}/permissions?uri=URI → 204; 400 "Operation has no effect": there was no such grant. */
export async function revokeGrant(ctx: SharingContext, user: string, uri: string, signal?: AbortSignal): Promise<DeleteResult> {
  const bad = validateApoloUser(user);
  if (bad) throw new ValidationError(bad);
  const res = await ctx.http.request({ method: 'DELETE', url: `${ctx.apiUrl}/users/${userPath(user)}/permissions`, query: { uri }, auth: ctx.auth, signal, maxResponseBytes: RESPONSE_CAP.write });
  if (res.status === 204) return { alreadyGone: false };
  if (res.status === 400 && /Operation has no effect/.test(res.text)) return { alreadyGone: true };
  throw apoloError(res, `revoke ${printable(user)}'s access to ${printable(uri)}`);
}
