// Flyte 2 / Union client: ConnectRPC JSON over HTTP (`POST {base}/flyteidl2.secret.SecretService/<Method>`),
// camelCase fields, the Connect error envelope; auth by an API key (client-credentials token from the
// token endpoint that AuthMetadataService names) or a pasted bearer token. docs/platform-apis.md §4.

import { AuthError, CancelledError, ConflictError, HttpError, NetworkError, NotFoundError, PermissionError, ProtocolError, TimeoutError, UnsupportedError, ValidationError } from '../../errors';
import { HttpClient, HttpResponse, jsonObject, LogFn, RESPONSE_CAP } from '../../http/httpClient';
import { redact, redactor } from '../../redact';
import { RenewableToken } from '../../http/renewableToken';
import type { SecretReference } from '../../references/scanner';
import { printable } from '../apolo/names';
import { scopeLabelOf } from '../scopeLabels';
import { Capabilities, DeleteResult, PlatformClient, Scope, ScopeRef, SecretInfo, SecretInput, SecretUpdate } from '../types';

const SVC = 'flyteidl2.secret.SecretService';
const AUTH_SVC = 'flyteidl2.auth.AuthMetadataService';
const CLUSTER_SVC = 'flyteidl2.cluster.ClusterService';
const PAGE_LIMIT = 100;
const MAX_PAGES = 1000;
const NAME_RE = /^[-a-zA-Z0-9_]+$/;

export interface FlyteApiKey {
  endpoint: string;
  clientId: string;
  clientSecret: string;
  org?: string;
}

/** FLYTE_API_KEY = base64("<endpoint>:<client_id>:<client_secret>:<org>"); the endpoint may hold ':'. */
export function decodeFlyteApiKey(key: string): FlyteApiKey {
  let text: string;
  try {
    text = Buffer.from(key.trim(), 'base64').toString('utf8');
  } catch {
    throw new ValidationError('The Flyte API key is not base64.');
  }
  const parts = text.split(':');
  if (parts.length < 4 || /[\u0000-\u001f]/.test(text)) throw new ValidationError('The Flyte API key is not in the FLYTE_API_KEY format (base64 of endpoint:client_id:client_secret:org).');
  const org = parts.pop() as string;
  const clientSecret = parts.pop() as string;
  const clientId = parts.pop() as string;
  const endpoint = parts.join(':');
  if (!endpoint || !clientId || !clientSecret) throw new ValidationError('The Flyte API key is missing its endpoint, client id or client secret.');
  return { endpoint, clientId, clientSecret, org: org && org !== 'None' ? org : undefined };
}

function isLoopback(host: string): boolean {
  const h = host.replace(/^\[|\]$/g, '');
  return h === 'localhost' || h === '::1' || /^127\./.test(h);
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
    const loop = isLoopback(host.replace(/:\d+$/, ''));
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

export function validateFlyteName(name: string): string | undefined {
  if (!name) return 'A secret name is required.';
  if (!NAME_RE.test(name)) return `'${printable(name)}' is not a valid Flyte secret name: use letters, digits, '-' and '_' only (^[-a-zA-Z0-9_]+$).`;
  return undefined;
}

export interface FlyteAuthConfig {
  tokenEndpoint: string;
  authorizationMetadataKey: string;
  scopes?: string[];
  audience?: string;
}

export interface FlyteClientOptions {
  baseUrl: string;
  origins: readonly string[];
  http: HttpClient;
  org?: string;
  project?: string;
  domain?: string;
  /** Client credentials (from an API key); with them the client gets and renews its own token. */
  clientId?: string;
  clientSecret?: string;
  auth?: FlyteAuthConfig;
  accessToken?: string;
  expiresAt?: number;
  onToken?: (token: string, expiresAt: number | undefined) => void;
  /** Where notes go (e.g. "this server has no SelectCluster"). */
  log?: LogFn;
}

/** Where a scope's SecretService calls go: the control plane, or the data plane SelectCluster named. */
interface SecretRoute {
  baseUrl: string;
  /** The origins the token may go to for these calls: the connection's, plus the data plane's. */
  origins: readonly string[];
}

interface RawFlyteSecret {
  name: string;
  org?: string;
  domain: string;
  project: string;
  type?: string;
  created?: string;
  overall?: string;
  clusters: Array<{ name: string; presence: string }>;
}

export { scopeLabelOf };

export class FlyteClient implements PlatformClient {
  readonly platform = 'flyte' as const;
  readonly capabilities: Capabilities = {
    share: false,
    shareUnsupportedReason: "Flyte secrets have no per-user sharing in their API: who can use one is decided by its scope (org, domain, project/domain) and your organisation's access rules.",
    update: 'native',
    keys: false,
    fileValues: true,
    privateFlag: false,
  };
  private readonly session: RenewableToken;
  /** SelectCluster answers per scope, for the client's lifetime; a failed lookup is dropped. */
  private readonly routes = new Map<string, Promise<SecretRoute>>();

  constructor(private readonly o: FlyteClientOptions) {
    redactor.add(o.clientSecret);
    const { clientId, clientSecret, auth } = o;
    const renew = clientId && clientSecret && auth?.tokenEndpoint ? (signal?: AbortSignal) => flyteClientCredentialsToken(o.http, auth, clientId, clientSecret, o.origins, signal) : undefined;
    this.session = new RenewableToken(renew, o.accessToken || undefined, o.expiresAt, o.onToken, 'No Flyte token: sign in again.');
  }

  get org(): string | undefined {
    return this.o.org;
  }

  validateName(name: string): string | undefined {
    return validateFlyteName(name);
  }

  /** One Connect unary call with the token; on `unauthenticated` gets a new token once (when it can) and retries. */
  private async send(url: string, origins: readonly string[], body: unknown, publicFields: string[], maxResponseBytes: number, signal: AbortSignal | undefined, idempotent: boolean): Promise<HttpResponse> {
    const header = this.o.auth?.authorizationMetadataKey || 'authorization';
    return this.session.send(
      (token) =>
        this.o.http.request({
          method: 'POST',
          url,
          json: body,
          headers: { 'connect-protocol-version': '1' },
          auth: { origins, header, value: `Bearer ${token}` },
          publicFields,
          maxResponseBytes,
          idempotent,
          signal,
        }),
      signal,
    );
  }

  /** A SecretService call for a scope: SelectCluster first (cached per scope), then the endpoint it named. */
  private async call(method: string, ref: ScopeRef, body: unknown, what: string, signal?: AbortSignal, idempotent = false): Promise<Record<string, unknown>> {
    const route = await this.route(ref, signal);
    const res = await this.send(
      `${route.baseUrl}/${SVC}/${method}`,
      route.origins,
      body,
      // The secret's id (names), the page size and token, the type: everything else (the value)
      // is held in the redactor while the request runs.
      ['id', 'organization', 'domain', 'project', 'limit', 'token', 'secretSpec.type'],
      method === 'ListSecrets' ? RESPONSE_CAP.list : RESPONSE_CAP.write,
      signal,
      idempotent,
    );
    return connectResult(res, what);
  }

  /**
   * `ClusterService/SelectCluster(OPERATION_USE_SECRETS, scope)`, as the flyte SDK does before every
   * secret call (docs/platform-apis.md §4.5): an empty endpoint, or the control plane's own, means the
   * control plane; any other is a data-plane cluster that gets the call with the same token — over
   * https only (loopback aside), and only for that call. Cached per scope; failures are not.
   */
  private route(ref: ScopeRef, signal?: AbortSignal): Promise<SecretRoute> {
    const org = ref.org ?? this.o.org ?? '';
    const key = JSON.stringify([org, ref.domain ?? '', ref.project ?? '']);
    let p = this.routes.get(key);
    if (!p) {
      p = this.selectCluster(org, ref, signal);
      this.routes.set(key, p);
      p.catch(() => {
        if (this.routes.get(key) === p) this.routes.delete(key);
      });
    }
    return p;
  }

  private async selectCluster(org: string, ref: ScopeRef, signal?: AbortSignal): Promise<SecretRoute> {
    const control: SecretRoute = { baseUrl: this.o.baseUrl, origins: this.o.origins };
    const req: Record<string, unknown> = { operation: 'OPERATION_USE_SECRETS' };
    if (ref.project && ref.domain) req.projectId = { organization: org, name: ref.project, domain: ref.domain };
    else if (ref.domain) req.domainId = { organization: org, name: ref.domain };
    else req.orgId = { name: org };
    const label = scopeLabelOf(ref);
    let answer: Record<string, unknown>;
    try {
      const res = await this.send(`${this.o.baseUrl}/${CLUSTER_SVC}/SelectCluster`, this.o.origins, req, ['operation', 'projectId', 'domainId', 'orgId'], RESPONSE_CAP.auth, signal, true);
      answer = connectResult(res, `find the cluster that holds the secrets of ${label}`);
    } catch (e) {
      if (e instanceof UnsupportedError) {
        // An older server without ClusterService: its own SecretService is the one.
        (this.o.log ?? this.o.http.log)?.('info', `Flyte at ${this.o.baseUrl} has no ClusterService/SelectCluster (an older server): using its own SecretService for ${label}.`);
        return control;
      }
      throw selectClusterFailure(e);
    }
    const raw = answer.clusterEndpoint ?? answer.cluster_endpoint;
    if (raw !== undefined && typeof raw !== 'string') throw new ProtocolError('Flyte answered SelectCluster with a cluster endpoint that is not a string.');
    if (!raw) return control;
    return this.dataPlaneRoute(raw, control);
  }

  private dataPlaneRoute(raw: string, control: SecretRoute): SecretRoute {
    const shown = printable(raw.slice(0, 200));
    let base: string;
    try {
      // As the SDK opens a session: dns:///host[:port] and a bare host[:port] → https (loopback: http).
      base = flyteBaseUrl(raw);
    } catch {
      throw new ProtocolError(`Flyte's SelectCluster named a data-plane endpoint that is not an http(s) endpoint ('${shown}'); refusing.`);
    }
    const dp = new URL(base);
    const cp = new URL(control.baseUrl);
    if (dp.origin === cp.origin) return control;
    // The control plane naming itself under another scheme (OSS behind TLS without X-Forwarded-Proto
    // answers http://<its host>): still the control plane, reached as configured.
    const explicitPort = /^(?:[a-z][a-z0-9+.-]*:\/\/|dns:\/\/\/)?(?:\[[^\]]*\]|[^/:]*):\d+/i.test(raw.trim());
    if (dp.hostname === cp.hostname && (!explicitPort || dp.port === cp.port)) return control;
    if (dp.protocol !== 'https:' && !isLoopback(dp.hostname)) {
      throw new ProtocolError(`Flyte's SelectCluster named a data-plane endpoint over plain http (${dp.origin}); refusing to send your token there.`);
    }
    return { baseUrl: base, origins: [...control.origins, dp.origin] };
  }

  async listScopes(): Promise<Scope[]> {
    const { project, domain } = this.o;
    const scopes: Scope[] = [];
    if (project && domain) scopes.push({ id: `${project}/${domain}`, label: `${project} / ${domain}`, description: 'project + domain', ref: { org: this.o.org, project, domain }, isDefault: true, complete: true });
    if (domain) scopes.push({ id: `domain/${domain}`, label: `${domain}`, description: 'domain-wide', ref: { org: this.o.org, domain }, isDefault: !project, complete: true });
    scopes.push({ id: 'org', label: this.o.org ? `${this.o.org} (org-wide)` : 'org-wide', description: 'every project and domain', ref: { org: this.o.org }, isDefault: !domain, complete: true });
    return scopes;
  }

  private async listRaw(ref: ScopeRef, signal?: AbortSignal): Promise<RawFlyteSecret[]> {
    const out: RawFlyteSecret[] = [];
    let token: string | undefined;
    const seenTokens = new Set<string>();
    for (let page = 0; page < MAX_PAGES; page++) {
      const req: Record<string, unknown> = { organization: ref.org ?? this.o.org ?? '', domain: ref.domain ?? '', project: ref.project ?? '', limit: PAGE_LIMIT };
      if (token) req.token = token;
      const res = await this.call('ListSecrets', ref, req, `list the secrets of ${scopeLabelOf(ref)}`, signal, true);
      const secrets = res.secrets ?? [];
      if (!Array.isArray(secrets)) throw new ProtocolError('Flyte answered ListSecrets without a list of secrets.');
      for (const s of secrets) out.push(toRaw(s));
      token = typeof res.token === 'string' && res.token ? res.token : undefined;
      if (!token) return out;
      if (seenTokens.has(token)) throw new ProtocolError('Flyte sent the same continue token twice; stopped paging.');
      seenTokens.add(token);
    }
    throw new ProtocolError(`Flyte kept sending pages past ${MAX_PAGES}; stopped there.`);
  }

  async listSecrets(ref: ScopeRef, signal?: AbortSignal): Promise<SecretInfo[]> {
    const raw = await this.listRaw(ref, signal);
    // Each scope shows exactly its own secrets (a server may also return narrower ones).
    const mine = raw.filter((r) => (r.domain || undefined) === (ref.domain || undefined) && (r.project || undefined) === (ref.project || undefined));
    return mine.map((r) => {
      const missing = r.clusters.filter((c) => c.presence === 'MISSING').map((c) => c.name);
      const status =
        r.overall === 'PARTIALLY_PRESENT' ? `partially present${missing.length ? ` — missing on ${missing.join(', ')}` : ''}` : r.overall === 'UNKNOWN_STATUS' ? 'presence unknown' : undefined;
      return {
        name: r.name,
        type: r.type === 'SECRET_TYPE_IMAGE_PULL_SECRET' ? 'image pull' : undefined,
        scope: scopeLabelOf(ref),
        createdAt: r.created,
        status,
      };
    });
  }

  private id(name: string, ref: ScopeRef): Record<string, string> {
    if (ref.project && !ref.domain) throw new ValidationError('A project-scoped Flyte secret needs a domain too (the service requires it).');
    const id: Record<string, string> = { name, organization: ref.org ?? this.o.org ?? '' };
    if (ref.domain) id.domain = ref.domain;
    if (ref.project) id.project = ref.project;
    return id;
  }

  async addSecret(ref: ScopeRef, input: SecretInput, signal?: AbortSignal): Promise<void> {
    const problem = validateFlyteName(input.name);
    if (problem) throw new ValidationError(problem);
    const spec = secretSpec(input, ref);
    await this.withValue(input, () => this.call('CreateSecret', ref, { id: this.id(input.name, ref), secretSpec: spec }, `create '${printable(input.name)}' (${scopeLabelOf(ref)})`, signal));
  }

  async updateSecret(ref: ScopeRef, name: string, update: SecretUpdate, signal?: AbortSignal): Promise<void> {
    const problem = validateFlyteName(name);
    if (problem) throw new ValidationError(problem);
    const input: SecretInput = { name, value: update.value, values: update.values as Record<string, string> | undefined };
    const spec = secretSpec(input, ref);
    await this.withValue(input, () => this.call('UpdateSecret', ref, { id: this.id(name, ref), secretSpec: spec }, `update '${printable(name)}' (${scopeLabelOf(ref)})`, signal));
  }

  async deleteSecret(ref: ScopeRef, name: string, signal?: AbortSignal): Promise<DeleteResult> {
    const problem = validateFlyteName(name);
    if (problem) throw new ValidationError(problem);
    try {
      await this.call('DeleteSecret', ref, { id: this.id(name, ref) }, `delete '${printable(name)}' (${scopeLabelOf(ref)})`, signal);
      return { alreadyGone: false };
    } catch (e) {
      if (e instanceof NotFoundError) return { alreadyGone: true };
      throw e;
    }
  }

  private async withValue<T>(input: SecretInput, fn: () => Promise<T>): Promise<T> {
    const plain = input.value ? Buffer.from(input.value).toString('utf8') : undefined;
    redactor.add(plain);
    redactor.add(input.values?.password);
    try {
      return await fn();
    } finally {
      redactor.remove(plain);
      redactor.remove(input.values?.password);
    }
  }

  /** The runtime's lookup order: project+domain, then domain, then org. */
  scopeFor(ref: SecretReference): ScopeRef[] {
    const { org, project, domain } = this.o;
    const chain: ScopeRef[] = [];
    if (project && domain) chain.push({ org, project, domain });
    if (domain) chain.push({ org, domain });
    chain.push({ org });
    void ref;
    return chain;
  }

  reference(_scope: ScopeRef, name: string): string {
    return `flyte.Secret(key="${name}")`;
  }
}

/** The SecretSpec: bytes (base64 in JSON) for a value; an image-pull secret's dockerconfigjson. */
export function secretSpec(input: SecretInput, ref: ScopeRef): Record<string, unknown> {
  if (input.type === 'image_pull' || input.type === 'SECRET_TYPE_IMAGE_PULL_SECRET') {
    if (ref.domain || ref.project) throw new ValidationError('Image-pull secrets must be org-wide: give no project or domain.');
    let value = input.value;
    if (!value) {
      const v = input.values ?? {};
      if (!v.registry || !v.username || !v.password) throw new ValidationError("An image-pull secret needs values {registry, username, password} (or a dockerconfigjson 'valueFile').");
      const auth = Buffer.from(`${v.username}:${v.password}`).toString('base64');
      value = new TextEncoder().encode(JSON.stringify({ auths: { [v.registry]: { username: v.username, password: v.password, auth } } }));
    }
    return { binaryValue: Buffer.from(value).toString('base64'), type: 'SECRET_TYPE_IMAGE_PULL_SECRET' };
  }
  if (input.type && input.type !== 'regular' && input.type !== 'generic' && input.type !== 'SECRET_TYPE_GENERIC') {
    throw new ValidationError(`Unknown Flyte secret type '${printable(input.type)}': use regular or image_pull.`);
  }
  if (!input.value || !input.value.length) throw new ValidationError('A value is required.');
  return { binaryValue: Buffer.from(input.value).toString('base64') };
}

function str(v: unknown): string | undefined {
  return typeof v === 'string' && v ? v : undefined;
}

function toRaw(s: unknown): RawFlyteSecret {
  if (!s || typeof s !== 'object') throw new ProtocolError('Flyte sent a secret that is not an object.');
  const o = s as Record<string, unknown>;
  const id = (o.id && typeof o.id === 'object' ? o.id : {}) as Record<string, unknown>;
  const name = str(id.name);
  if (!name) throw new ProtocolError('Flyte sent a secret without a name.');
  const meta = (o.secretMetadata ?? o.secret_metadata ?? {}) as Record<string, unknown>;
  const status = (meta.secretStatus ?? meta.secret_status ?? {}) as Record<string, unknown>;
  const clusters = (Array.isArray(status.clusterStatus) ? status.clusterStatus : Array.isArray(status.cluster_status) ? status.cluster_status : []) as Array<Record<string, unknown>>;
  return {
    name,
    org: str(id.organization),
    domain: str(id.domain) ?? '',
    project: str(id.project) ?? '',
    type: str(meta.type),
    created: str(meta.createdTime) ?? str(meta.created_time),
    overall: str(status.overallStatus) ?? str(status.overall_status),
    clusters: clusters.map((c) => ({ name: str((c.cluster as Record<string, unknown> | undefined)?.name) ?? '?', presence: str(c.presenceStatus) ?? str(c.presence_status) ?? 'UNKNOWN' })),
  };
}

/**
 * A failed SelectCluster aborts the command, as in the SDK ("SelectCluster failed for
 * OPERATION_USE_SECRETS: …"), keeping the kind of failure — except that its not_found /
 * already_exists never read as "the secret is gone / taken".
 */
function selectClusterFailure(e: unknown): unknown {
  if (!(e instanceof Error) || e instanceof CancelledError) return e;
  const m = `SelectCluster failed for OPERATION_USE_SECRETS: ${e.message}`;
  if (e instanceof NotFoundError || e instanceof ConflictError) {
    return new HttpError(e.status, `SelectCluster failed for OPERATION_USE_SECRETS: Flyte answered ${e.status === 404 ? 'not_found' : 'already_exists'}${e.serverMessage ? `: ${e.serverMessage}` : '.'}`, e.serverMessage);
  }
  if (e instanceof HttpError) return new HttpError(e.status, m, e.serverMessage, e.retryAfterMs);
  if (e instanceof AuthError) return new AuthError(m);
  if (e instanceof PermissionError) return new PermissionError(m);
  if (e instanceof TimeoutError) return new TimeoutError(m);
  if (e instanceof NetworkError) return new NetworkError(m, e.code);
  if (e instanceof ProtocolError) return new ProtocolError(m);
  return e;
}

/** A Connect unary answer: the message, or the error envelope as a typed error. */
export function connectResult(res: HttpResponse, what: string): Record<string, unknown> {
  if (res.status === 200) {
    // Connect sends every unary answer as a JSON message (`{}` when empty): an empty body, an HTML
    // page or garbage is a protocol fault, never a success.
    let ok: unknown;
    try {
      ok = JSON.parse(res.text);
    } catch {
      throw new ProtocolError(`Flyte answered with a body that is not a JSON message while trying to ${what}${/^\s*</.test(res.text) ? ' (an HTML page: a sign-in page or proxy?)' : ''}.`);
    }
    if (!ok || typeof ok !== 'object' || Array.isArray(ok)) throw new ProtocolError(`Flyte answered with something other than a message while trying to ${what}.`);
    return ok as Record<string, unknown>;
  }
  let body: unknown;
  try {
    body = res.text ? JSON.parse(res.text) : {};
  } catch {
    body = {};
  }
  const b = (body && typeof body === 'object' ? body : {}) as { code?: unknown; message?: unknown };
  // Connect codes are short snake_case words; anything else a server puts there is not quoted.
  const code = typeof b.code === 'string' && /^[a-z_]{1,40}$/.test(b.code) ? b.code : httpToConnect(res.status);
  const msg = typeof b.message === 'string' ? redact(b.message).slice(0, 300) : undefined;
  const suffix = msg ? `: ${msg}` : '.';
  switch (code) {
    case 'unauthenticated':
      return fail(new AuthError(`Flyte did not accept the token when trying to ${what}. Sign in again.`));
    case 'permission_denied':
      return fail(new PermissionError(`Flyte refused to ${what}${suffix}`));
    case 'not_found':
      return fail(new NotFoundError(`Not found while trying to ${what}${suffix}`, msg));
    case 'already_exists':
      return fail(new ConflictError(`Couldn't ${what}: a secret with that name already exists in that scope${msg ? ` (${msg})` : ''}. Use Update Secret to change it.`, msg));
    case 'invalid_argument':
    case 'failed_precondition':
    case 'out_of_range':
      return fail(new HttpError(400, `Flyte rejected the request to ${what}${suffix}`, msg));
    case 'unimplemented':
      return fail(new UnsupportedError(`This Flyte server can't ${what}${suffix}`));
    case 'resource_exhausted':
      return fail(new HttpError(429, `Flyte is rate-limiting requests; couldn't ${what}. Try again shortly.`, msg));
    case 'deadline_exceeded':
      return fail(new TimeoutError(`Flyte timed out trying to ${what}.`));
    case 'unavailable':
      return fail(new HttpError(503, `Flyte is unavailable; couldn't ${what}${suffix}`, msg));
    default:
      return fail(new HttpError(res.status, `Flyte had an error (${code}, ${res.status}) trying to ${what}${suffix}`, msg));
  }
}

function httpToConnect(status: number): string {
  switch (status) {
    case 400:
      return 'invalid_argument';
    case 401:
      return 'unauthenticated';
    case 403:
      return 'permission_denied';
    case 404:
      return 'unimplemented';
    case 429:
    case 502:
    case 503:
    case 504:
      return 'unavailable';
    default:
      return 'unknown';
  }
}

function fail(e: Error): never {
  throw e;
}

/** Anonymous discovery: the token endpoint and the header the token goes in. */
export async function discoverFlyteAuth(http: HttpClient, baseUrl: string, signal?: AbortSignal): Promise<FlyteAuthConfig> {
  const origin = new URL(baseUrl).origin;
  const post = async (m: string) => {
    // Anonymous, and what it answers decides where the client secret goes: it never follows a
    // redirect to another origin (the HTTP layer's default, stated here so it stays so), and an
    // answer from anywhere but the endpoint itself is refused.
    const res = await http.request({
      method: 'POST',
      url: `${baseUrl}/${AUTH_SVC}/${m}`,
      json: {},
      headers: { 'connect-protocol-version': '1' },
      idempotent: true,
      allowCrossOriginRedirect: false,
      maxResponseBytes: RESPONSE_CAP.auth,
      signal,
    });
    if (new URL(res.url).origin !== origin) throw new ProtocolError(`Flyte's sign-in discovery at ${origin} was answered by ${new URL(res.url).origin}; refusing.`);
    return res;
  };
  const meta = connectResult(await post('GetOAuth2Metadata'), 'read the OAuth2 metadata');
  const tokenEndpoint = checkTokenEndpoint(str(meta.tokenEndpoint) ?? str(meta.token_endpoint), baseUrl);
  let pub: Record<string, unknown> = {};
  try {
    pub = connectResult(await post('GetPublicClientConfig'), 'read the public client config');
  } catch {
    /* optional: defaults below */
  }
  const scopes = Array.isArray(pub.scopes) ? (pub.scopes as unknown[]).filter((x): x is string => typeof x === 'string') : undefined;
  return {
    tokenEndpoint,
    authorizationMetadataKey: (str(pub.authorizationMetadataKey) ?? str(pub.authorization_metadata_key) ?? 'authorization').toLowerCase(),
    scopes,
    audience: str(pub.audience),
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
  if (base.protocol === 'https:' && u.protocol !== 'https:' && !isLoopback(u.hostname)) {
    throw new ProtocolError(`Flyte named a token endpoint (${u.origin}) that would take the client secret off HTTPS; refusing.`);
  }
  return u.toString();
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
    let err = '';
    try {
      const b = JSON.parse(res.text) as { error?: unknown };
      // RFC 6749 §5.2 error codes are short ASCII words; anything else is not quoted.
      err = typeof b.error === 'string' && /^[\x20-\x7e]{1,60}$/.test(b.error) ? ` (${b.error})` : '';
    } catch {
      /* plain text */
    }
    throw new AuthError(`Flyte's token endpoint did not accept the API key's client credentials${redact(err)}.`);
  }
  if (res.status !== 200) throw new HttpError(res.status, `Flyte's token endpoint answered ${res.status}.`);
  const b = jsonObject(res, "Flyte's token endpoint");
  if (typeof b.access_token !== 'string' || !b.access_token) throw new ProtocolError("Flyte's token endpoint sent no access token.");
  redactor.add(b.access_token);
  return { token: b.access_token, expiresAt: typeof b.expires_in === 'number' ? Date.now() + b.expires_in * 1000 : undefined };
}
