/**
 * A strict emulator of the Apolo (formerly Neu.ro) platform HTTP API for tests:
 *   - platform-api      GET /api/v1/config
 *   - platform-secrets  /ping, /api/v1/ping, /api/v1/secured-ping, /api/v1/secrets[/{key}]
 *   - platform-auth     /api/v1/users[/{user}[/permissions[/shared|/tree|/check]|/subroles]]
 *   - a tiny OAuth server (authorize / token / logout) behind the URLs /config advertises.
 *
 * Spec: docs/platform-apis.md §1, cross-checked against the sources it cites
 * (platform-secrets api.py/validators.py, neuro-auth-client, apolo-sdk, platform-api, aiohttp 3.14,
 * trafaret 2.1). Behaviour follows the real servers' code paths, including the ORDER of checks:
 *   POST   /secrets        body size (413) → JSON (400) → validation (400) → auth (401) → write (403) → k8s (400) → 201
 *   GET    /secrets        auth (401) → query validation (400) → 200 (filtered by read; [] when none)
 *   GET    /secrets/{key}  auth (401) → query (400) → key (400) → read (403) → 404 / 200
 *   DELETE /secrets/{key}  query (400) → auth (401) → write (403) → key (400) → 404 / 204
 * A malformed Authorization header ("Basic x", "Bearer" without a token) is a ValueError in
 * neuro-auth-client's BearerAuth.decode, which the services' error middleware turns into
 * 400 {"error": "Unexpected authorization scheme" | "No credentials"}; a missing, undecodable,
 * badly-signed or expired token, or one for an unknown user, is 401 "401: Unauthorized" (text/plain).
 *
 * Choices where the spec is silent are marked "CHOICE:" below.
 */
import { randomBytes, createHash } from 'node:crypto';
import * as http from 'node:http';
import { goStdBase64Decode, pythonB64DecodeError } from './base64';
import { signJwt, unverifiedClaims, userNameFromClaims, verifyJwt, JWT_IDENTITY_CLAIM } from './jwt';
import {
  AuthModel,
  ACTIONS,
  Action,
  Permission,
  TreeNode,
  TreeRoot,
  actionOrder,
  parseUri,
} from './permissions';
import {
  PyFloat,
  PyJsonDecodeError,
  PyLookupError,
  PyValueError,
  pyDecode,
  pyJsonDumps,
  pyJsonLoads,
  pyRepr,
} from './pyjson';
import { DataError, mapFromQuery, tAnd, tDict, tEnum, tList, tRegexp, tString, tToInt } from './trafaret';
import { FaultControl, FaultQueue } from '../common/faults';
import { LocalServers } from '../common/http';
import { ALNUM, randomToken } from '../common/random';
import { LoggedRequestBase, queryRecord } from '../common/requests';

export type { Action, Permission, Share, TreeNode, TreeRoot } from './permissions';
export type { FaultSpec } from '../common/faults';

// ---------------------------------------------------------------------------------------------
// Public API
// ---------------------------------------------------------------------------------------------

export type OrgRole = 'user' | 'manager' | 'admin';
export type ProjectRole = 'reader' | 'writer' | 'manager' | 'admin';

export interface ApoloClusterSpec {
  name: string;
  orgs: Array<{ name: string; projects: string[] }>;
  /**
   * Serve this cluster's secrets service on its own port, so its `secrets_url` is on another origin
   * than the API URL (and `{apiUrl}/secrets` is 404 for it). Every cluster after the first one is
   * always served that way (each cluster runs its own platform-secrets).
   */
  secretsOnSeparateOrigin?: boolean;
}

export interface ApoloUserSpec {
  name: string;
  /** Org memberships reported by /config (`orgs: [{name, role}]`). */
  orgs?: Array<{ name: string; role: OrgRole }>;
  /** Project memberships; each gives the project role's permissions (see PROJECT_ROLE_ACTIONS). */
  projects?: Array<{ cluster?: string; org: string; project: string; role: ProjectRole }>;
  /** Extra direct grants. */
  permissions?: Permission[];
}

export interface ApoloEmulatorOptions {
  /** 0 (default) = a free port. Always bound to 127.0.0.1. */
  port?: number;
  /** Default: DEFAULT_CLUSTERS (cluster "default", org "demo-org", projects "demo-project", "ml-team"). */
  clusters?: ApoloClusterSpec[];
  /** Default: DEFAULT_USERS (alice, bob, carol). */
  users?: ApoloUserSpec[];
  /** Seed demo secrets (random dummy values). Default false. */
  seed?: boolean;
  /** Serve the FIRST cluster's secrets service on a second port too (see ApoloClusterSpec). */
  secretsOnSeparateOrigin?: boolean;
  /** `X-Service-Version: platform-secrets/<serviceVersion>`. Default "26.8.0". */
  serviceVersion?: string;
  /** HS256 secret for tokens. Default: random per emulator. */
  jwtSecret?: string;
  /** OAuth client id advertised by /config and required by the token endpoint. Default "apolo-emulator-client". */
  clientId?: string;
  /**
   * Neu.ro's user namespaces: every user manages `secret://{cluster}/{user}` on each cluster, so it can
   * grant others its user-scoped secrets (`apolo acl grant secret://default/alice/NAME bob read`).
   * Default false (grants then come only from project roles and explicit permissions).
   */
  userNamespaces?: boolean;
}

export interface LoggedRequest extends LoggedRequestBase {
  /** Base URL of the server that received it (main or a separate secrets origin). */
  origin: string;
  /** Decoded query; a repeated parameter becomes an array. */
  query: Record<string, string | string[]>;
  headers: http.IncomingHttpHeaders;
  /** Raw request target (path + query). */
  url: string;
}

export interface ApoloEmulatorState {
  /** The permission model (users, roles, grants). */
  auth: AuthModel;
  /** `${cluster}/${org}/${project}` → key → value exactly as POSTed (raw base64 string). */
  secrets: Map<string, Map<string, string>>;
  clusters: ApoloClusterSpec[];
  users: ApoloUserSpec[];
  /** cluster defaults to the first cluster. */
  getSecret(org: string, project: string, key: string, cluster?: string): string | undefined;
  setSecret(org: string, project: string, key: string, base64Value: string, cluster?: string): void;
  deleteSecret(org: string, project: string, key: string, cluster?: string): boolean;
  /** Sorted like the k8s Secret data the real LIST reads. */
  listKeys(org: string, project: string, cluster?: string): string[];
  grant(principal: string, uri: string, action: Action): Action;
  revoke(principal: string, uri: string): boolean;
  permissions(principal: string, opts?: { expandRoles?: boolean }): Permission[];
  /** Highest action the principal has on the URI (roles and prefixes included). */
  actionFor(principal: string, uri: string): Action;
}

export interface ApoloEmulator {
  /** http://127.0.0.1:PORT */
  url: string;
  /** http://127.0.0.1:PORT/api/v1 */
  apiUrl: string;
  /** cluster name → its secrets_url as advertised by /config. */
  secretsUrls: Record<string, string>;
  /** username → valid bearer JWT. */
  tokens: Record<string, string>;
  /** username → refresh token accepted by the OAuth token endpoint. */
  refreshTokens: Record<string, string>;
  /** The user the OAuth authorize endpoint signs in (auto-approves). Default "alice". */
  oauthUser: string;
  clientId: string;
  makeToken(user: string, opts?: { expired?: boolean; claim?: 'identity' | 'platform' | 'both'; secret?: string }): string;
  /** Add (or replace) a user at runtime; returns a valid token for it. */
  addUser(spec: ApoloUserSpec): string;
  requests: LoggedRequest[];
  faults: FaultControl;
  state: ApoloEmulatorState;
  close(): Promise<void>;
}

export const DEFAULT_CLUSTERS: ApoloClusterSpec[] = [
  { name: 'default', orgs: [{ name: 'demo-org', projects: ['demo-project', 'ml-team'] }] },
];

export const DEFAULT_USERS: ApoloUserSpec[] = [
  {
    name: 'alice',
    orgs: [{ name: 'demo-org', role: 'admin' }],
    projects: [
      { cluster: 'default', org: 'demo-org', project: 'demo-project', role: 'admin' },
      { cluster: 'default', org: 'demo-org', project: 'ml-team', role: 'manager' },
    ],
  },
  { name: 'bob' },
  {
    name: 'carol',
    orgs: [{ name: 'demo-org', role: 'user' }],
    projects: [{ cluster: 'default', org: 'demo-org', project: 'demo-project', role: 'reader' }],
  },
];

/**
 * CHOICE: what each project role may do with the project's secrets (`secret://c/o/p`).
 * The admin service that creates these roles is not public.
 */
export const PROJECT_ROLE_ACTIONS: Record<ProjectRole, Action> = {
  reader: 'read',
  writer: 'write',
  manager: 'manage',
  admin: 'manage',
};

/** CHOICE: name of the auth-service role a project membership maps to (the real naming is not public). */
export function projectRoleName(cluster: string, org: string, project: string, role: ProjectRole): string {
  return `projects/${cluster}/${org}/${project}/${role}`;
}

// ---------------------------------------------------------------------------------------------
// Validators (platform_secrets/validators.py)
// ---------------------------------------------------------------------------------------------

export const SECRET_KEY_PATTERN_PY = String.raw`\A(?!\.\Z|\.\.)[a-zA-Z0-9_\-.]+\Z`;
const SECRET_KEY_RE = /^(?!\.$|\.\.)[a-zA-Z0-9_\-.]+$/;
const SECRET_DUMMY_KEY = '---neuro---';
/** aiohttp's default `client_max_size` (platform-secrets does not change it). */
export const CLIENT_MAX_SIZE = 1024 * 1024;
/** Kubernetes `MaxSecretSize`: total decoded bytes of all keys in one Secret. */
export const K8S_MAX_SECRET_SIZE = 1024 * 1024;

const secretKeyValidator = tAnd(
  tString({ minLength: 1, maxLength: 253 }),
  tAnd(tRegexp(SECRET_KEY_RE, SECRET_KEY_PATTERN_PY), (v: string) => {
    if (v.toLowerCase() === SECRET_DUMMY_KEY) throw new DataError(`Illegal key ${pyRepr(v)}`);
    return v;
  }),
);
const secretValueValidator = tAnd(tString({ maxLength: 1024 * 1024 }), (v: string) => {
  const err = pythonB64DecodeError(v);
  if (err !== null) throw new DataError(err);
  return v;
});
const orgProjectKeys = [
  { name: 'org_name', check: tString({ minLength: 1, maxLength: 253 }) },
  { name: 'project_name', check: tString({ minLength: 1, maxLength: 253 }) },
];
const orgProjectValidator = tDict(orgProjectKeys);
const secretRequestValidator = tDict([
  { name: 'key', check: secretKeyValidator },
  { name: 'value', check: secretValueValidator },
  ...orgProjectKeys,
]);

// CHOICE: platform-auth is not public; its request validation is modelled trafaret-style too.
const actionCheck = tEnum(...ACTIONS);
const permissionListValidator = tList(
  tDict([
    { name: 'uri', check: tString() },
    { name: 'action', check: actionCheck },
  ]),
);
const uriQueryOptional = tDict([{ name: 'uri', check: tString(), optional: true }]);
const permissionsGetQuery = tDict([
  { name: 'uri', check: tString(), optional: true },
  { name: 'expand_roles', check: tEnum('true', 'false', 'True', 'False', '1', '0'), optional: true },
]);
const treeQuery = tDict([
  { name: 'uri', check: tString() },
  { name: 'depth', check: tToInt({ gte: 0 }), optional: true },
]);
const emptyQuery = tDict([]);
const addRoleValidator = tDict([{ name: 'name', check: tString({ minLength: 1, maxLength: 253 }) }]);

// ---------------------------------------------------------------------------------------------
// HTTP plumbing
// ---------------------------------------------------------------------------------------------

const JSON_CT = 'application/json; charset=utf-8';
const TEXT_CT = 'text/plain; charset=utf-8';
/** Python 3.13 HTTPStatus phrases where they differ from Node's. */
const REASONS: Record<number, string> = { 413: 'Content Too Large', 422: 'Unprocessable Content' };

class HttpError extends Error {
  constructor(
    readonly status: number,
    readonly body: string | undefined,
    readonly contentType?: string,
    readonly headers: Record<string, string> = {},
  ) {
    super(`HTTP ${status}`);
  }
}

/** Exceptions the services' middleware maps to 400 {"error": str(e)} (Python ValueError family). */
class ValueErr extends Error {}

function isValueError(e: unknown): e is Error {
  return e instanceof ValueErr || e instanceof DataError || e instanceof PyJsonDecodeError || e instanceof PyValueError;
}

function plainError(status: number): HttpError {
  return new HttpError(status, `${status}: ${reason(status)}`, TEXT_CT);
}

function reason(status: number): string {
  return REASONS[status] ?? http.STATUS_CODES[status] ?? 'Unknown';
}

function jsonError(status: number, payload: unknown): HttpError {
  return new HttpError(status, pyJsonDumps(payload), JSON_CT);
}

function forbidden(missing: Permission[]): HttpError {
  return jsonError(403, { missing: missing.map((p) => ({ uri: p.uri, action: p.action })) });
}

interface Resp {
  status: number;
  body?: string;
  contentType?: string;
  headers?: Record<string, string>;
}

function json(status: number, payload: unknown): Resp {
  return { status, body: pyJsonDumps(payload), contentType: JSON_CT };
}

function text(status: number, body: string): Resp {
  return { status, body, contentType: TEXT_CT };
}

interface Ctx {
  req: http.IncomingMessage;
  method: string;
  rawUrl: string;
  path: string;
  query: Array<[string, string]>;
  body: Buffer;
  bodySize: number;
  params: Record<string, string>;
  origin: Origin;
}

type Handler = (ctx: Ctx) => Resp | Promise<Resp>;

interface Route {
  /** Path segments; ":name" is a dynamic segment (aiohttp `{name}`, regex `[^{}/]+`). */
  segs: string[];
  methods: Record<string, Handler>;
}

interface Origin {
  name: string;
  server: http.Server;
  url: string;
  routes: Route[];
}

function route(path: string, methods: Record<string, Handler>): Route {
  const segs = path === '/' ? [''] : path.split('/').slice(1);
  // aiohttp's web.get() also registers HEAD.
  const all: Record<string, Handler> = { ...methods };
  if (methods.GET && !methods.HEAD) all.HEAD = methods.GET;
  return { segs, methods: all };
}

function safeDecode(s: string): string {
  try {
    return decodeURIComponent(s);
  } catch {
    return s;
  }
}

/** aiohttp matches on `path_safe`: percent-decoded except %2F / %25. */
function decodePathSafe(seg: string): string {
  return safeDecode(seg.replace(/%(2f|25)/gi, '%25$1'));
}

function matchRoute(r: Route, rawSegs: string[]): Record<string, string> | null {
  if (r.segs.length !== rawSegs.length) return null;
  const params: Record<string, string> = {};
  for (let i = 0; i < r.segs.length; i++) {
    const pat = r.segs[i]!;
    const safe = decodePathSafe(rawSegs[i]!);
    if (pat.startsWith(':')) {
      if (!/^[^{}/]+$/.test(safe)) return null;
      params[pat.slice(1)] = safeDecode(rawSegs[i]!);
    } else if (pat !== safe) {
      return null;
    }
  }
  return params;
}

function parseQuery(qs: string): Array<[string, string]> {
  return [...new URLSearchParams(qs)];
}

function firstQuery(ctx: Ctx, name: string): string | undefined {
  return ctx.query.find(([k]) => k === name)?.[1];
}

function contentTypeCharset(req: http.IncomingMessage): string | undefined {
  const ct = req.headers['content-type'];
  if (!ct) return undefined;
  const m = /;\s*charset\s*=\s*"?([^";]+)"?/i.exec(ct);
  return m ? m[1]!.trim() : undefined;
}

/** aiohttp `await request.text()`: 413 over client_max_size, then decode with the request charset. */
function requestText(ctx: Ctx): string {
  if (ctx.bodySize > CLIENT_MAX_SIZE) {
    throw new HttpError(413, `Maximum request body size ${CLIENT_MAX_SIZE} exceeded.`, TEXT_CT);
  }
  return pyDecode(ctx.body, contentTypeCharset(ctx.req));
}

function requestJson(ctx: Ctx): unknown {
  return pyJsonLoads(requestText(ctx));
}

// ---------------------------------------------------------------------------------------------
// The emulator
// ---------------------------------------------------------------------------------------------

const MAX_LOGGED_BODY = 16 * 1024 * 1024;

export async function startApoloEmulator(opts: ApoloEmulatorOptions = {}): Promise<ApoloEmulator> {
  const clusters: ApoloClusterSpec[] = structuredClone(opts.clusters ?? DEFAULT_CLUSTERS);
  if (!clusters.length) throw new Error('at least one cluster is required');
  if (opts.secretsOnSeparateOrigin) clusters[0]!.secretsOnSeparateOrigin = true;
  const users: ApoloUserSpec[] = structuredClone(opts.users ?? DEFAULT_USERS);
  const serviceVersion = opts.serviceVersion ?? '26.8.0';
  const jwtSecret = opts.jwtSecret ?? randomBytes(32).toString('hex');
  const clientId = opts.clientId ?? 'apolo-emulator-client';
  const auth = new AuthModel();
  const secrets = new Map<string, Map<string, string>>();
  const requests: LoggedRequest[] = [];
  // A fault body defaults to "<status>: <reason>"; only `[` / `{` starts a JSON body.
  const faults = new FaultQueue({ faultBody: (s) => `${s}: ${reason(s)}`, jsonContentType: JSON_CT, looksLikeJson: /^\s*[[{]/ });
  const servers = new LocalServers();
  const tokens: Record<string, string> = {};
  const refreshTokens: Record<string, string> = {};
  const authCodes = new Map<string, { user: string; redirectUri: string; challenge?: string; method?: string }>();

  const firstCluster = clusters[0]!.name;
  const storeKey = (cluster: string, org: string, project: string): string => `${cluster}/${org}/${project}`;

  // --- auth model: project roles, users ---
  for (const c of clusters) {
    for (const o of c.orgs) {
      for (const p of o.projects) {
        for (const role of Object.keys(PROJECT_ROLE_ACTIONS) as ProjectRole[]) {
          const rn = projectRoleName(c.name, o.name, p, role);
          auth.addPrincipal(rn, 'role');
          auth.grant(rn, `secret://${c.name}/${o.name}/${p}`, PROJECT_ROLE_ACTIONS[role]);
        }
      }
    }
  }

  const makeToken: ApoloEmulator['makeToken'] = (user, o = {}) => {
    const now = Math.floor(Date.now() / 1000);
    const payload: Record<string, unknown> = {};
    const claim = o.claim ?? 'both';
    if (claim === 'identity' || claim === 'both') payload.identity = user;
    if (claim === 'platform' || claim === 'both') payload[JWT_IDENTITY_CLAIM] = user;
    payload.iat = o.expired ? now - 7200 : now;
    payload.exp = o.expired ? now - 3600 : now + 30 * 24 * 3600;
    payload.jti = randomBytes(8).toString('hex');
    return signJwt(payload, o.secret ?? jwtSecret);
  };

  const addUser = (spec: ApoloUserSpec): string => {
    const idx = users.findIndex((u) => u.name === spec.name);
    if (idx >= 0) users.splice(idx, 1, structuredClone(spec));
    else users.push(structuredClone(spec));
    const existing = auth.principals.get(spec.name);
    if (existing) existing.grants.clear();
    auth.addPrincipal(spec.name, 'user');
    for (const m of spec.projects ?? []) {
      const rn = projectRoleName(m.cluster ?? firstCluster, m.org, m.project, m.role);
      if (!auth.has(rn)) {
        auth.addPrincipal(rn, 'role');
        auth.grant(rn, `secret://${m.cluster ?? firstCluster}/${m.org}/${m.project}`, PROJECT_ROLE_ACTIONS[m.role]);
      }
      auth.grant(spec.name, `role://${rn}`, 'read');
    }
    for (const p of spec.permissions ?? []) auth.grant(spec.name, p.uri, p.action);
    if (opts.userNamespaces) for (const c of clusters) auth.grant(spec.name, `secret://${c.name}/${spec.name}`, 'manage');
    tokens[spec.name] = makeToken(spec.name);
    refreshTokens[spec.name] = `rt-${spec.name}-${randomBytes(12).toString('hex')}`;
    return tokens[spec.name]!;
  };
  for (const u of [...users]) addUser(u);

  const store = (cluster: string, org: string, project: string, create: boolean): Map<string, string> | undefined => {
    const k = storeKey(cluster, org, project);
    let m = secrets.get(k);
    if (!m && create) {
      m = new Map();
      secrets.set(k, m);
    }
    return m;
  };
  const sortedKeys = (m: Map<string, string> | undefined): string[] =>
    [...(m?.keys() ?? [])].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));

  const state: ApoloEmulatorState = {
    auth,
    secrets,
    clusters,
    users,
    getSecret: (org, project, key, cluster = firstCluster) => store(cluster, org, project, false)?.get(key),
    setSecret: (org, project, key, value, cluster = firstCluster) => {
      store(cluster, org, project, true)!.set(key, value);
    },
    deleteSecret: (org, project, key, cluster = firstCluster) => !!store(cluster, org, project, false)?.delete(key),
    listKeys: (org, project, cluster = firstCluster) => sortedKeys(store(cluster, org, project, false)),
    grant: (principal, uri, action) => {
      if (!auth.has(principal)) auth.addPrincipal(principal, principal.includes('/') ? 'role' : 'user');
      return auth.grant(principal, uri, action);
    },
    revoke: (principal, uri) => auth.revoke(principal, uri),
    permissions: (principal, o = {}) => (o.expandRoles === false ? auth.direct(principal) : auth.effective(principal)),
    actionFor: (principal, uri) => auth.actionFor(principal, uri),
  };

  if (opts.seed) seedSecrets(clusters, state);

  // --- identity (neuro_auth_client.security + aiohttp_security.check_authorized) ---

  /** IdentityPolicy.identify: the bearer token, or null. Throws ValueErr for a malformed header. */
  function identify(ctx: Ctx): string | null {
    const h = ctx.req.headers.authorization;
    if (h === undefined) {
      const ws = ctx.req.headers['sec-websocket-protocol'];
      if (typeof ws === 'string') {
        for (const part of ws.trim().split(' ')) {
          if (part.toLowerCase().startsWith('bearer.apolo.us-')) {
            const t = part.slice('bearer.apolo.us-'.length);
            if (t) return t;
          }
        }
      }
      return firstQuery(ctx, 'neuro-auth-token') || null;
    }
    const sp = h.indexOf(' ');
    if (sp === -1) throw new ValueErr('No credentials');
    const scheme = h.slice(0, sp);
    const token = h.slice(sp + 1);
    if (scheme.toLowerCase() !== 'bearer') throw new ValueErr('Unexpected authorization scheme');
    if (!token) throw new ValueErr('No credentials');
    return token;
  }

  /** check_authorized: the user name, or 401. The auth service verifies signature, expiry, user. */
  function checkAuthorized(ctx: Ctx): string {
    const token = identify(ctx);
    if (token === null) throw plainError(401);
    const name = userNameFromClaims(unverifiedClaims(token));
    if (!name) throw plainError(401);
    const verified = verifyJwt(token, jwtSecret);
    if (!verified || userNameFromClaims(verified) !== name || !auth.isUser(name)) throw plainError(401);
    return name;
  }

  function checkPermissions(ctx: Ctx, perms: Permission[]): string {
    const user = checkAuthorized(ctx);
    const missing = auth.missing(user, perms);
    if (missing.length) throw forbidden(missing);
    return user;
  }

  // --- platform-secrets handlers (one instance per cluster) ---

  function secretsRoutes(prefix: string, cluster: string): Route[] {
    const projectUri = (org: string, project: string) => `secret://${cluster}/${org}/${project}`;
    const payload = (key: string, org: string, project: string) => ({
      key,
      owner: project,
      org_name: org,
      project_name: project,
    });

    const handlePost: Handler = (ctx) => {
      const body = requestJson(ctx);
      const v = secretRequestValidator(body);
      const key = v.get('key') as string;
      const value = v.get('value') as string;
      const org = v.get('org_name') as string;
      const project = v.get('project_name') as string;
      checkPermissions(ctx, [{ uri: projectUri(org, project), action: 'write' }]);
      // Kubernetes validates the data entry (Go base64) and the Secret's total size.
      const decoded = goStdBase64Decode(value);
      let total = decoded?.length ?? 0;
      for (const [k, val] of store(cluster, org, project, false) ?? []) {
        if (k !== key) total += goStdBase64Decode(val)?.length ?? 0;
      }
      if (!decoded || total > K8S_MAX_SECRET_SIZE) {
        throw new ValueErr(`Secret key ${pyRepr(key)} or its value not valid`);
      }
      store(cluster, org, project, true)!.set(key, value);
      return json(201, payload(key, org, project));
    };

    const handleList: Handler = (ctx) => {
      const user = checkAuthorized(ctx);
      const q = orgProjectValidator(mapFromQuery(ctx.query));
      const org = q.get('org_name') as string;
      const project = q.get('project_name') as string;
      const keys = sortedKeys(store(cluster, org, project, false)).filter(
        (k) => actionOrder(auth.actionFor(user, `${projectUri(org, project)}/${k}`)) >= actionOrder('read'),
      );
      return json(
        200,
        keys.map((k) => payload(k, org, project)),
      );
    };

    const handleGet: Handler = (ctx) => {
      const user = checkAuthorized(ctx);
      const q = orgProjectValidator(mapFromQuery(ctx.query));
      const org = q.get('org_name') as string;
      const project = q.get('project_name') as string;
      const key = secretKeyValidator(ctx.params.key);
      const uri = `${projectUri(org, project)}/${key}`;
      if (actionOrder(auth.actionFor(user, uri)) < actionOrder('read')) throw forbidden([{ uri, action: 'read' }]);
      const raw = store(cluster, org, project, false)?.get(key);
      if (raw === undefined) return json(404, { error: `Secret ${pyRepr(key)} not found` });
      // Kubernetes hands back the canonical base64 of the stored bytes.
      const canonical = (goStdBase64Decode(raw) ?? Buffer.alloc(0)).toString('base64');
      return json(200, { key, value: canonical, owner: project, org_name: org, project_name: project });
    };

    const handleDelete: Handler = (ctx) => {
      const q = orgProjectValidator(mapFromQuery(ctx.query));
      const org = q.get('org_name') as string;
      const project = q.get('project_name') as string;
      checkPermissions(ctx, [{ uri: projectUri(org, project), action: 'write' }]);
      const key = secretKeyValidator(ctx.params.key);
      const m = store(cluster, org, project, false);
      if (!m?.delete(key)) return json(404, { error: `Secret ${pyRepr(key)} not found` });
      return { status: 204 };
    };

    return [
      route(`${prefix}/api/v1/secrets`, { POST: handlePost, GET: handleList }),
      route(`${prefix}/api/v1/secrets/:key`, { GET: handleGet, DELETE: handleDelete }),
    ];
  }

  const pingRoutes: Route[] = [
    route('/ping', { GET: () => text(200, 'Pong') }),
    route('/api/v1/ping', { GET: () => text(200, 'Pong') }),
    route('/api/v1/secured-ping', {
      GET: (ctx) => {
        checkAuthorized(ctx);
        return text(200, 'Secured Pong');
      },
    }),
  ];

  // --- platform-auth handlers ---

  /** `{user}` in the path has "/" replaced by ":". */
  const pathUser = (ctx: Ctx): string => ctx.params.user!.replace(/:/g, '/');

  function requireTarget(name: string): void {
    // CHOICE: unknown user/role → 404 {"error": "User '<name>' not found"} (neuro-auth-client's
    // grant_role_permissions relies on a 404 for an unknown principal; the text is ours).
    if (!auth.has(name)) throw jsonError(404, { error: `User ${pyRepr(name)} not found` });
  }

  /** CHOICE: reading another principal's data needs `read` on `user://<name>` (users only have it on themselves). */
  function requireSelfOrRead(caller: string, target: string): void {
    if (caller === target) return;
    if (auth.subroles(caller).includes(target)) return;
    const uri = `user://${target}`;
    if (actionOrder(auth.actionFor(caller, uri)) < actionOrder('read')) throw forbidden([{ uri, action: 'read' }]);
  }

  const authRoutes: Route[] = [
    route('/api/v1/users', {
      POST: (ctx) => {
        const caller = checkAuthorized(ctx);
        const v = addRoleValidator(requestJson(ctx));
        const name = v.get('name') as string;
        if (name.includes(':')) throw new ValueErr(`Invalid name: ${pyRepr(name)}`);
        // CHOICE: a user may create roles under its own name ("alice/team"); the creator manages it.
        if (!name.startsWith(`${caller}/`)) throw forbidden([{ uri: `role://${name}`, action: 'manage' }]);
        if (auth.has(name)) throw jsonError(400, { error: `User ${pyRepr(name)} already exists` });
        auth.addPrincipal(name, 'role');
        auth.grant(caller, `role://${name}`, 'manage');
        return { status: 201 };
      },
    }),
    route('/api/v1/users/:user', {
      GET: (ctx) => {
        const caller = checkAuthorized(ctx);
        emptyQuery(mapFromQuery(ctx.query));
        const target = pathUser(ctx);
        requireTarget(target);
        requireSelfOrRead(caller, target);
        return json(200, { name: target });
      },
      DELETE: (ctx) => {
        const caller = checkAuthorized(ctx);
        emptyQuery(mapFromQuery(ctx.query));
        const target = pathUser(ctx);
        requireTarget(target);
        const uri = `role://${target}`;
        if (auth.isUser(target) || actionOrder(auth.actionFor(caller, uri)) < actionOrder('manage')) {
          throw forbidden([{ uri, action: 'manage' }]);
        }
        auth.principals.delete(target);
        for (const p of auth.principals.values()) auth.revoke(p.name, uri);
        return { status: 204 };
      },
    }),
    route('/api/v1/users/:user/permissions', {
      GET: (ctx) => {
        const caller = checkAuthorized(ctx);
        const q = permissionsGetQuery(mapFromQuery(ctx.query));
        const target = pathUser(ctx);
        requireTarget(target);
        requireSelfOrRead(caller, target);
        const expand = !['false', 'False', '0'].includes((q.get('expand_roles') as string | undefined) ?? 'true');
        const perms = expand ? auth.effective(target) : auth.direct(target);
        return json(
          200,
          AuthModel.filterUnder(perms, q.get('uri') as string | undefined).map((p) => ({ uri: p.uri, action: p.action })),
        );
      },
      POST: (ctx) => {
        const caller = checkAuthorized(ctx);
        const list = permissionListValidator(requestJson(ctx));
        const perms = list.map((m) => ({ uri: m.get('uri') as string, action: m.get('action') as Action }));
        for (const p of perms) {
          if (!parseUri(p.uri)) throw new ValueErr(`Invalid URI: ${pyRepr(p.uri)}`);
        }
        const target = pathUser(ctx);
        requireTarget(target);
        const missing = auth.missing(
          caller,
          perms.map((p) => ({ uri: p.uri, action: 'manage' as Action })),
        );
        if (missing.length) throw forbidden(missing);
        // CHOICE: the stored (and echoed) action is max(requested, the target's existing direct
        // grant on exactly that URI) — a grant never downgrades. Inherited access is not folded in.
        const granted = perms.map((p) => ({ uri: p.uri, action: auth.grant(target, p.uri, p.action) }));
        return json(201, granted);
      },
      DELETE: (ctx) => {
        const caller = checkAuthorized(ctx);
        const uris = ctx.query.filter(([k]) => k === 'uri').map(([, v]) => v);
        const extra = ctx.query.find(([k]) => k !== 'uri');
        if (extra) throw new DataError(new Map([[extra[0], new DataError(`${extra[0]} is not allowed key`)]]));
        if (!uris.length) throw new DataError(new Map([['uri', new DataError('is required')]]));
        const target = pathUser(ctx);
        requireTarget(target);
        const missing = auth.missing(
          caller,
          uris.map((uri) => ({ uri, action: 'manage' as Action })),
        );
        if (missing.length) throw forbidden(missing);
        // neuro-auth-client treats 400 "Operation has no effect" as benign on revoke.
        if (!uris.every((u) => auth.hasDirect(target, u))) throw jsonError(400, { error: 'Operation has no effect' });
        for (const u of uris) auth.revoke(target, u);
        return { status: 204 };
      },
    }),
    route('/api/v1/users/:user/permissions/shared', {
      GET: (ctx) => {
        const caller = checkAuthorized(ctx);
        const q = uriQueryOptional(mapFromQuery(ctx.query));
        const target = pathUser(ctx);
        requireTarget(target);
        requireSelfOrRead(caller, target);
        return json(200, auth.shared(target, q.get('uri') as string | undefined));
      },
    }),
    route('/api/v1/users/:user/permissions/tree', {
      GET: (ctx) => {
        const caller = checkAuthorized(ctx);
        const q = treeQuery(mapFromQuery(ctx.query));
        const target = pathUser(ctx);
        requireTarget(target);
        requireSelfOrRead(caller, target);
        const tree = auth.tree(target, q.get('uri') as string, q.get('depth') as number | undefined);
        return json(200, treeToPy(tree, true));
      },
    }),
    route('/api/v1/users/:user/permissions/check', {
      POST: (ctx) => {
        const caller = checkAuthorized(ctx);
        const list = permissionListValidator(requestJson(ctx));
        const target = pathUser(ctx);
        requireTarget(target);
        requireSelfOrRead(caller, target);
        const missing = auth.missing(
          target,
          list.map((m) => ({ uri: m.get('uri') as string, action: m.get('action') as Action })),
        );
        if (missing.length) throw forbidden(missing);
        return json(200, { missing: [] });
      },
    }),
    route('/api/v1/users/:user/subroles', {
      GET: (ctx) => {
        const caller = checkAuthorized(ctx);
        emptyQuery(mapFromQuery(ctx.query));
        const target = pathUser(ctx);
        requireTarget(target);
        requireSelfOrRead(caller, target);
        return json(200, { subroles: auth.subroles(target) });
      },
    }),
  ];

  // --- platform-api /config ---

  let mainUrl = '';
  const secretsUrls: Record<string, string> = {};

  function userView(name: string) {
    const spec = users.find((u) => u.name === name);
    const projects = (spec?.projects ?? []).map((p) => ({ ...p, cluster: p.cluster ?? firstCluster }));
    const orgRoles = new Map<string, OrgRole>();
    for (const o of spec?.orgs ?? []) orgRoles.set(o.name, o.role);
    for (const p of projects) if (!orgRoles.has(p.org)) orgRoles.set(p.org, 'user');
    return { projects, orgRoles };
  }

  function clusterPayload(c: ApoloClusterSpec, orgs: string[]): Record<string, unknown> {
    const api = `${mainUrl}/api/v1`;
    return {
      name: c.name,
      registry_url: `${mainUrl}/registry/${c.name}`,
      storage_url: `${api}/storage`,
      monitoring_url: `${api}/jobs`,
      secrets_url: secretsUrls[c.name],
      grafana_url: `${mainUrl}/grafana/${c.name}`,
      prometheus_url: `${mainUrl}/prometheus/${c.name}`,
      disks_url: `${api}/disk`,
      buckets_url: `${api}/buckets`,
      resource_pool_types: [
        {
          name: 'cpu',
          min_size: 0,
          max_size: 2,
          cpu: new PyFloat(4),
          available_cpu: new PyFloat(4),
          memory: 16 * 2 ** 30,
          available_memory: 16 * 2 ** 30,
          disk_size: 150 * 10 ** 9,
          available_disk_size: 150 * 10 ** 9,
        },
      ],
      resource_presets: [
        {
          name: 'cpu-small',
          credits_per_hour: '0',
          cpu: new PyFloat(1),
          memory: 2 * 2 ** 30,
          memory_mb: 2048,
          scheduler_enabled: false,
          preemptible_node: false,
          is_preemptible: false,
          is_preemptible_node_required: false,
          available_resource_pool_names: ['cpu'],
        },
      ],
      orgs,
      timezone: 'UTC',
      energy_schedules: [{ name: 'default', periods: [] }],
      storage_volumes: [],
      apps: { apps_hostname_templates: [`{app_name}.apps.${c.name}.local`], app_proxy_url: `${mainUrl}/apps-proxy`, launchpad_use_subdomain: false },
      users_url: `${api}/users`,
    };
  }

  const oauthFields = () => ({
    auth_url: `${mainUrl}/oauth/authorize`,
    token_url: `${mainUrl}/oauth/token`,
    logout_url: `${mainUrl}/oauth/logout`,
    client_id: clientId,
    audience: `${mainUrl}/api/v1`,
    callback_urls: ['http://127.0.0.1:54540', 'http://127.0.0.1:54541', 'http://127.0.0.1:54542'],
    headless_callback_url: `${mainUrl}/oauth/show-code`,
    success_redirect_url: `${mainUrl}/oauth/success`,
  });

  const configRoutes: Route[] = [
    route('/api/v1/config', {
      GET: (ctx) => {
        // platform-api's ConfigApiHandler catches only HTTPUnauthorized: with a missing, invalid or
        // expired token (or an unknown user) it answers 200 {"authorized": false, ...oauth} — the SDK
        // then raises AuthError("Cannot authorize user") because it sent a token. A malformed
        // Authorization header is a ValueError there too → 400 {"error": ...}. Query params are ignored.
        let user: string | null = null;
        try {
          user = checkAuthorized(ctx);
        } catch (e) {
          if (!(e instanceof HttpError && e.status === 401)) throw e;
        }
        const data: Record<string, unknown> = {};
        if (user === null) {
          data.authorized = false;
        } else {
          const { projects, orgRoles } = userView(user);
          data.authorized = true;
          data.orgs = [...orgRoles].map(([name, role]) => ({ name, role }));
          data.clusters = clusters
            .map((c) => {
              const orgs = c.orgs
                .map((o) => o.name)
                .filter((o) => orgRoles.has(o) || projects.some((p) => p.cluster === c.name && p.org === o));
              return orgs.length ? clusterPayload(c, orgs) : null;
            })
            .filter((c) => c !== null);
          data.projects = projects.map((p) => ({ name: p.project, role: p.role, cluster_name: p.cluster, org_name: p.org }));
          data.admin_url = `${mainUrl}/apis/admin/v1`;
          data.vcluster_url = `${mainUrl}/apis/vcluster/v1`;
        }
        Object.assign(data, oauthFields());
        return json(200, data);
      },
    }),
  ];

  // --- OAuth (Auth0-like; only what the CLI's login / refresh flows need) ---

  const oauthError = (status: number, error: string, description: string): Resp =>
    json(status, { error, error_description: description });

  const issueTokens = (user: string, withRefresh: boolean): Resp => {
    const access = makeToken(user);
    tokens[user] = access;
    const body: Record<string, unknown> = { access_token: access };
    if (withRefresh) body.refresh_token = refreshTokens[user];
    Object.assign(body, { expires_in: 86400, token_type: 'Bearer' });
    return json(200, body);
  };

  const oauthRoutes: Route[] = [
    route('/oauth/authorize', {
      GET: (ctx) => {
        const q = new Map(ctx.query);
        const redirectUri = q.get('redirect_uri');
        if (q.get('client_id') !== clientId) return text(400, 'invalid client_id');
        if (q.get('response_type') !== 'code' || !redirectUri) return text(400, 'invalid request');
        const code = randomBytes(16).toString('hex');
        authCodes.set(code, {
          user: emulator.oauthUser,
          redirectUri,
          challenge: q.get('code_challenge'),
          method: q.get('code_challenge_method'),
        });
        const target = new URL(redirectUri);
        target.searchParams.set('code', code);
        if (q.has('state')) target.searchParams.set('state', q.get('state')!);
        return { status: 302, headers: { Location: target.toString() }, body: '', contentType: TEXT_CT };
      },
    }),
    route('/oauth/token', {
      POST: (ctx) => {
        const form = new Map(new URLSearchParams(requestText(ctx)));
        if (form.get('client_id') !== clientId) return oauthError(401, 'access_denied', 'Unauthorized');
        const grant = form.get('grant_type');
        if (grant === 'refresh_token') {
          const user = Object.keys(refreshTokens).find((u) => refreshTokens[u] === form.get('refresh_token'));
          if (!user) return oauthError(403, 'invalid_grant', 'Unknown or invalid refresh token.');
          return issueTokens(user, false);
        }
        if (grant === 'authorization_code') {
          const entry = authCodes.get(form.get('code') ?? '');
          if (!entry) return oauthError(403, 'invalid_grant', 'Invalid authorization code');
          authCodes.delete(form.get('code')!);
          if (form.get('redirect_uri') !== entry.redirectUri) {
            return oauthError(403, 'invalid_grant', 'Invalid redirect_uri');
          }
          if (entry.challenge) {
            const verifier = form.get('code_verifier') ?? '';
            const computed =
              entry.method === 'S256' ? createHash('sha256').update(verifier).digest('base64url') : verifier;
            if (computed !== entry.challenge) return oauthError(403, 'invalid_grant', 'Failed to verify code verifier');
          }
          return issueTokens(entry.user, true);
        }
        return oauthError(403, 'unsupported_grant_type', 'Grant type is not supported');
      },
    }),
    route('/oauth/logout', { GET: () => text(200, 'Logged out') }),
    route('/oauth/show-code', { GET: () => text(200, 'Copy the code shown in the URL') }),
    route('/oauth/success', { GET: () => text(200, 'Signed in') }),
  ];

  // --- servers ---

  const send = (res: http.ServerResponse, r: Resp, withVersion: boolean): void => {
    const headers: Record<string, string> = { Server: 'Python/3.13 aiohttp/3.14.3' };
    if (r.contentType && r.body !== undefined) headers['Content-Type'] = r.contentType;
    Object.assign(headers, r.headers ?? {});
    if (withVersion) headers['X-Service-Version'] = `platform-secrets/${serviceVersion}`;
    if (r.body !== undefined && r.status !== 204 && r.status !== 304) {
      headers['Content-Length'] = String(Buffer.byteLength(r.body));
    }
    res.writeHead(r.status, reason(r.status), headers);
    res.end(r.status === 204 ? undefined : r.body);
  };

  const dispatch = async (ctx: Ctx): Promise<Resp> => {
    const rawSegs = ctx.path.split('/').slice(1);
    const allowed = new Set<string>();
    for (const r of ctx.origin.routes) {
      const params = matchRoute(r, rawSegs);
      if (!params) continue;
      const h = r.methods[ctx.method];
      if (h) {
        ctx.params = params;
        return await h(ctx);
      }
      Object.keys(r.methods).forEach((m) => allowed.add(m));
    }
    if (allowed.size) {
      const e = plainError(405);
      return { status: 405, body: e.body, contentType: e.contentType, headers: { Allow: [...allowed].sort().join(',') } };
    }
    throw plainError(404);
  };

  const handle = async (origin: Origin, req: http.IncomingMessage, res: http.ServerResponse): Promise<void> => {
    const chunks: Buffer[] = [];
    let size = 0;
    for await (const chunk of req as AsyncIterable<Buffer>) {
      size += chunk.length;
      if (size <= MAX_LOGGED_BODY) chunks.push(chunk);
    }
    const body = Buffer.concat(chunks);
    const rawUrl = req.url ?? '/';
    const qi = rawUrl.indexOf('?');
    const path = qi === -1 ? rawUrl : rawUrl.slice(0, qi);
    const query = parseQuery(qi === -1 ? '' : rawUrl.slice(qi + 1));
    const method = (req.method ?? 'GET').toUpperCase();
    requests.push({
      origin: origin.url,
      method,
      path,
      query: queryRecord(query),
      headers: { ...req.headers },
      body: body.toString('utf8'),
      url: rawUrl,
      time: Date.now(),
    });

    // Fault responses emulate infrastructure (proxies, gateways): no X-Service-Version.
    if (await faults.apply(req, method, path, (f) => send(res, f, false))) return;

    const ctx: Ctx = { req, method, rawUrl, path, query, body, bodySize: size, params: {}, origin };
    let r: Resp;
    try {
      r = await dispatch(ctx);
    } catch (e) {
      if (e instanceof HttpError) {
        r = { status: e.status, body: e.body, contentType: e.contentType, headers: e.headers };
      } else if (isValueError(e)) {
        r = json(400, { error: e.message });
      } else {
        // aiohttp's handle_exceptions: any other exception (e.g. LookupError for an unknown charset).
        const msg = e instanceof PyLookupError || e instanceof Error ? e.message : String(e);
        r = json(500, { error: `Unexpected exception: ${msg}. Path with query: ${rawUrl}.` });
      }
    }
    send(res, r, true);
  };

  const listen = async (routes: Route[], name: string, port: number): Promise<Origin> => {
    const origin: Origin = { name, server: http.createServer(), url: '', routes };
    origin.server.on('request', (req, res) => {
      handle(origin, req, res).catch((err: unknown) => {
        if (!res.headersSent) send(res, json(500, { error: `Unexpected exception: ${String(err)}` }), true);
        else res.destroy();
      });
    });
    origin.url = await servers.listen(origin.server, port);
    return origin;
  };

  const mainRoutes: Route[] = [...pingRoutes, ...configRoutes, ...authRoutes, ...oauthRoutes];
  const separate: ApoloClusterSpec[] = [];
  clusters.forEach((c, i) => {
    if (i > 0 || c.secretsOnSeparateOrigin) separate.push(c);
    else mainRoutes.push(...secretsRoutes('', c.name));
  });
  const origins: Origin[] = [];
  try {
    const main = await listen(mainRoutes, 'main', opts.port ?? 0);
    origins.push(main);
    mainUrl = main.url;
    if (!separate.includes(clusters[0]!)) secretsUrls[clusters[0]!.name] = `${mainUrl}/api/v1/secrets`;
    for (const c of separate) {
      const o = await listen([...pingRoutes, ...secretsRoutes('', c.name)], `secrets:${c.name}`, 0);
      origins.push(o);
      secretsUrls[c.name] = `${o.url}/api/v1/secrets`;
    }
  } catch (e) {
    await Promise.all(origins.map((o) => new Promise((r) => o.server.close(r))));
    throw e;
  }

  const emulator: ApoloEmulator = {
    url: mainUrl,
    apiUrl: `${mainUrl}/api/v1`,
    secretsUrls,
    tokens,
    refreshTokens,
    oauthUser: users[0]?.name ?? 'alice',
    clientId,
    makeToken,
    addUser,
    requests,
    faults: faults.control,
    state,
    close: async () => {
      faults.clear();
      await servers.close();
    },
  };
  return emulator;
}

function treeToPy(node: TreeNode | TreeRoot, root = false): Map<string, unknown> {
  const m = new Map<string, unknown>();
  if (root) m.set('path', (node as TreeRoot).path);
  m.set('action', node.action);
  const children = new Map<string, unknown>();
  for (const k of Object.keys(node.children).sort((a, b) => (a < b ? -1 : a > b ? 1 : 0))) {
    children.set(k, treeToPy(node.children[k]!));
  }
  m.set('children', children);
  return m;
}

/** Demo secrets (random dummy values) in the first cluster's first org: 3 in its first project, 1 in the second. */
function seedSecrets(clusters: ApoloClusterSpec[], state: ApoloEmulatorState): void {
  const c = clusters[0]!;
  const org = c.orgs[0];
  if (!org) return;
  const b64 = (s: string) => Buffer.from(s, 'utf8').toString('base64');
  const [p1, p2] = org.projects;
  if (p1) {
    state.setSecret(org.name, p1, 'WANDB_API_KEY', b64(randomBytes(20).toString('hex')), c.name);
    state.setSecret(org.name, p1, 'HF_TOKEN', b64(`hf_${randomToken(ALNUM, 34)}`), c.name);
    const aws = {
      aws_access_key_id: `AKIA${randomToken('ABCDEFGHIJKLMNOPQRSTUVWXYZ234567', 16)}`,
      aws_secret_access_key: randomToken(ALNUM + '+/', 40),
      region: 'us-east-1',
    };
    state.setSecret(org.name, p1, 'aws-creds.json', b64(JSON.stringify(aws, null, 2) + '\n'), c.name);
  }
  if (p2) state.setSecret(org.name, p2, 'OPENAI_API_KEY', b64(`sk-${randomToken(ALNUM, 48)}`), c.name);
}
