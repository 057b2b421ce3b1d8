// Flyte 2 / Union client: the flyteidl2 SecretService over Connect (`POST {base}/flyteidl2.secret.
// SecretService/<Method>`), each call routed through ClusterService/SelectCluster as the flyte SDK does;
// auth by an API key (client-credentials token from the token endpoint that AuthMetadataService names)
// or a pasted bearer token. docs/platform-apis.md §4. The wire (generated types, the Connect stack) is
// ./wire.ts, loaded on the first call; this file holds the platform's rules and imports only its types.

import { AuthError, CancelledError, ConflictError, HttpError, NetworkError, NotFoundError, PermissionError, ProtocolError, TimeoutError, UnsupportedError, ValidationError } from '../../errors';
import { HttpClient, jsonObject, LogFn, RESPONSE_CAP } from '../../http/httpClient';
import { isLoopbackHost } from '../../http/urls';
import { redact, redactor } from '../../redact';
import { RenewableToken } from '../../http/renewableToken';
import type { SecretReference } from '../../references/scanner';
import { printable } from '../../text';
import { scopeLabelOf } from '../scopeLabels';
import { Capabilities, DeleteResult, PlatformClient, Scope, ScopeRef, SecretInfo, SecretInput, SecretUpdate } from '../types';
import type { FlyteCodec, FlyteWire, WireCall } from './wire';
import type { Secret } from './gen/flyteidl2/secret/definition_pb';
import type { MessageInitShape } from '@bufbuild/protobuf';
import type { SelectClusterRequestSchema } from './gen/flyteidl2/cluster/payload_pb';

type WireModule = typeof import('./wire');
let wireModule: Promise<WireModule> | undefined;

/** The wire bundle (dist/flyteWire.js): loaded once, on the first Flyte call. */
export function loadFlyteWire(): Promise<WireModule> {
  wireModule ??= import('./wire.js');
  return wireModule;
}

const PAGE_LIMIT = 100;
const MAX_PAGES = 1000;
const NAME_RE = /^[-a-zA-Z0-9_]+$/;

export interface FlyteApiKey {
  endpoint: string;
  clientId: string;
  clientSecret: string;
  org?: string;
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
  let body = text.slice(scheme.length);
  let host: string;
  if (body.startsWith('[')) {
    const close = body.indexOf(']');
    if (close < 0 || body[close + 1] !== ':') throw new ValidationError(format);
    host = body.slice(0, close + 1);
    body = body.slice(close + 2);
  } else {
    const colon = body.indexOf(':');
    if (colon < 0) throw new ValidationError(format);
    host = body.slice(0, colon);
    body = body.slice(colon + 1);
  }
  const fields = body.split(':');
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
  /**
   * Union's cluster pool (the SDK's `--cluster-pool`): org-wide secret calls are routed by
   * SelectCluster(cluster_pool_id) to the pool's cluster. Default none.
   */
  clusterPool?: string;
  /** Client credentials (from an API key); with them the client gets and renews its own token. */
  clientId?: string;
  clientSecret?: string;
  auth?: FlyteAuthConfig;
  accessToken?: string;
  expiresAt?: number;
  onToken?: (token: string, expiresAt: number | undefined) => void;
  /** 'auto' (default): binary protobuf, as the SDK sends; JSON after a server refuses it with 415. */
  codec?: FlyteCodec | 'auto';
  /** Where notes go (e.g. "this server has no SelectCluster"). */
  log?: LogFn;
}

/** Where a scope's SecretService calls go: the control plane, or the data plane SelectCluster named. */
interface SecretRoute {
  baseUrl: string;
  /** The origins the token may go to for these calls: the connection's, plus the data plane's. */
  origins: readonly string[];
  /** The cluster SelectCluster named (for the tree), if any. */
  cluster?: string;
}

interface RawFlyteSecret {
  name: string;
  domain: string;
  project: string;
  imagePull: boolean;
  created?: string;
  overall: 'partial' | 'unknown' | undefined;
  missingOn: string[];
}

export { scopeLabelOf };

/** The scope's key for the SelectCluster cache. */
function routeKey(org: string, ref: ScopeRef, pool: string | undefined): string {
  return JSON.stringify([org, ref.domain ?? '', ref.project ?? '', pool ?? '']);
}

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
  private wirePromise: Promise<FlyteWire> | undefined;

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

  private wire(): Promise<FlyteWire> {
    this.wirePromise ??= loadFlyteWire().then((m) => new m.FlyteWire(this.o.http, this.o.codec ?? 'auto', (msg) => this.note(msg)));
    return this.wirePromise;
  }

  private note(message: string): void {
    (this.o.log ?? this.o.http.log)?.('info', message);
  }

  private callOptions(route: SecretRoute, what: string, maxResponseBytes: number, idempotent: boolean, signal?: AbortSignal): WireCall {
    const header = this.o.auth?.authorizationMetadataKey || 'authorization';
    return { baseUrl: route.baseUrl, auth: { origins: route.origins, header, session: this.session }, what, idempotent, maxResponseBytes, signal };
  }

  /**
   * `ClusterService/SelectCluster(OPERATION_USE_SECRETS, scope)`, as the flyte SDK does before every
   * secret call (docs/platform-apis.md §4.5): an empty endpoint, or the control plane's own, means the
   * control plane; any other is a data-plane cluster that gets the call with the same token — over
   * https only (loopback aside), and only for that call. Cached per scope; failures are not.
   */
  private route(ref: ScopeRef, signal?: AbortSignal): Promise<SecretRoute> {
    const org = ref.org ?? this.o.org ?? '';
    // A cluster pool names where org-wide secrets live (the SDK's --cluster-pool excludes -p/-d).
    const pool = !ref.domain && !ref.project ? this.o.clusterPool : undefined;
    const key = routeKey(org, ref, pool);
    let p = this.routes.get(key);
    if (!p) {
      p = this.selectCluster(org, ref, pool, signal);
      this.routes.set(key, p);
      p.catch(() => {
        if (this.routes.get(key) === p) this.routes.delete(key);
      });
    }
    return p;
  }

  private async selectCluster(org: string, ref: ScopeRef, pool: string | undefined, signal?: AbortSignal): Promise<SecretRoute> {
    const control: SecretRoute = { baseUrl: this.o.baseUrl, origins: this.o.origins };
    const resource: MessageInitShape<typeof SelectClusterRequestSchema>['resource'] = pool
      ? { case: 'clusterPoolId', value: { organization: org, name: pool } }
      : ref.project && ref.domain
        ? { case: 'projectId', value: { organization: org, name: ref.project, domain: ref.domain } }
        : ref.domain
          ? { case: 'domainId', value: { organization: org, name: ref.domain } }
          : { case: 'orgId', value: { name: org } };
    const label = pool ? `cluster pool ${pool}` : scopeLabelOf(ref);
    const wire = await this.wire();
    let answer: { clusterEndpoint: string; cluster: string };
    try {
      answer = await wire.unary(wire.flyte.ClusterService.selectCluster, { operation: wire.flyte.USE_SECRETS, resource }, this.callOptions(control, `find the cluster that holds the secrets of ${label}`, RESPONSE_CAP.auth, true, signal));
    } catch (e) {
      if (e instanceof UnsupportedError) {
        // An older server without ClusterService: its own SecretService is the one.
        this.note(`Flyte at ${this.o.baseUrl} has no ClusterService/SelectCluster (an older server): using its own SecretService for ${label}.`);
        return control;
      }
      throw selectClusterFailure(e);
    }
    const cluster = answer.cluster ? printable(answer.cluster.slice(0, 100)) : undefined;
    if (!answer.clusterEndpoint) return { ...control, cluster };
    return { ...this.dataPlaneRoute(answer.clusterEndpoint, control), cluster };
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
    if (dp.protocol !== 'https:' && !isLoopbackHost(dp.hostname)) {
      throw new ProtocolError(`Flyte's SelectCluster named a data-plane endpoint over plain http (${dp.origin}); refusing to send your token there.`);
    }
    return { baseUrl: base, origins: [...control.origins, dp.origin] };
  }

  async listScopes(): Promise<Scope[]> {
    const { project, domain } = this.o;
    const scopes: Scope[] = [];
    if (project && domain) scopes.push({ id: `${project}/${domain}`, label: `${project} / ${domain}`, description: 'project + domain', ref: { org: this.o.org, project, domain }, isDefault: true, complete: true });
    if (domain) scopes.push({ id: `domain/${domain}`, label: `${domain}`, description: 'domain-wide', ref: { org: this.o.org, domain }, isDefault: !project, complete: true });
    const orgLabel = this.o.org ? `${this.o.org} (org-wide)` : 'org-wide';
    scopes.push({
      id: 'org',
      label: orgLabel,
      description: this.o.clusterPool ? `every project and domain · cluster pool ${this.o.clusterPool}` : 'every project and domain',
      ref: { org: this.o.org },
      isDefault: !domain,
      complete: true,
    });
    return scopes;
  }

  private async listRaw(ref: ScopeRef, signal?: AbortSignal): Promise<RawFlyteSecret[]> {
    const route = await this.route(ref, signal);
    const wire = await this.wire();
    const what = `list the secrets of ${scopeLabelOf(ref)}`;
    const out: RawFlyteSecret[] = [];
    let token = '';
    let perClusterTokens: Record<string, string> = {};
    const seen = new Set<string>();
    for (let page = 0; page < MAX_PAGES; page++) {
      const res = await wire.unary(
        wire.flyte.SecretService.listSecrets,
        { organization: ref.org ?? this.o.org ?? '', domain: ref.domain ?? '', project: ref.project ?? '', limit: PAGE_LIMIT, token, perClusterTokens },
        this.callOptions(route, what, RESPONSE_CAP.list, true, signal),
      );
      for (const s of res.secrets) out.push(toRaw(s, wire.flyte));
      token = res.token;
      perClusterTokens = { ...res.perClusterTokens };
      // Paging ends when the server sends no continuation: no token, and no per-cluster tokens
      // (Union collates clusters and may continue by those alone).
      const next = JSON.stringify([token, Object.entries(perClusterTokens).sort()]);
      if (!token && !Object.keys(perClusterTokens).length) return out;
      if (seen.has(next)) throw new ProtocolError('Flyte sent the same continue token twice; stopped paging.');
      seen.add(next);
    }
    throw new ProtocolError(`Flyte kept sending pages past ${MAX_PAGES}; stopped there.`);
  }

  async listSecrets(ref: ScopeRef, signal?: AbortSignal): Promise<SecretInfo[]> {
    const raw = await this.listRaw(ref, signal);
    // Each scope shows exactly its own secrets (a server may also return narrower ones).
    const mine = raw.filter((r) => (r.domain || undefined) === (ref.domain || undefined) && (r.project || undefined) === (ref.project || undefined));
    return mine.map((r) => ({
      name: r.name,
      type: r.imagePull ? 'image pull' : undefined,
      scope: scopeLabelOf(ref),
      createdAt: r.created,
      status: r.overall === 'partial' ? `partially present${r.missingOn.length ? ` — missing on ${r.missingOn.join(', ')}` : ''}` : r.overall === 'unknown' ? 'presence unknown' : undefined,
    }));
  }

  private id(name: string, ref: ScopeRef): { name: string; organization: string; domain: string; project: string } {
    if (ref.project && !ref.domain) throw new ValidationError('A project-scoped Flyte secret needs a domain too (the service requires it).');
    return { name, organization: ref.org ?? this.o.org ?? '', domain: ref.domain ?? '', project: ref.project ?? '' };
  }

  /** Create or Update: SelectCluster, then the call, with the value held in the redactor throughout. */
  private async write(kind: 'create' | 'update', ref: ScopeRef, input: SecretInput, signal?: AbortSignal): Promise<void> {
    const problem = validateFlyteName(input.name);
    if (problem) throw new ValidationError(problem);
    const spec = secretSpec(input, ref);
    const id = this.id(input.name, ref);
    await this.withValue(input, async () => {
      const route = await this.route(ref, signal);
      const wire = await this.wire();
      const secretSpec = { value: { case: 'binaryValue' as const, value: spec.value }, type: spec.imagePull ? wire.flyte.SecretType.IMAGE_PULL_SECRET : wire.flyte.SecretType.GENERIC };
      const what = `${kind} '${printable(input.name)}' (${scopeLabelOf(ref)})`;
      const opts = this.callOptions(route, what, RESPONSE_CAP.write, false, signal);
      if (kind === 'create') await wire.unary(wire.flyte.SecretService.createSecret, { id, secretSpec }, opts);
      else await wire.unary(wire.flyte.SecretService.updateSecret, { id, secretSpec }, opts);
    });
  }

  async addSecret(ref: ScopeRef, input: SecretInput, signal?: AbortSignal): Promise<void> {
    await this.write('create', ref, input, signal);
  }

  async updateSecret(ref: ScopeRef, name: string, update: SecretUpdate, signal?: AbortSignal): Promise<void> {
    await this.write('update', ref, { name, value: update.value, values: update.values as Record<string, string> | undefined }, signal);
  }

  async deleteSecret(ref: ScopeRef, name: string, signal?: AbortSignal): Promise<DeleteResult> {
    const problem = validateFlyteName(name);
    if (problem) throw new ValidationError(problem);
    const id = this.id(name, ref);
    const route = await this.route(ref, signal);
    const wire = await this.wire();
    try {
      await wire.unary(wire.flyte.SecretService.deleteSecret, { id }, this.callOptions(route, `delete '${printable(name)}' (${scopeLabelOf(ref)})`, RESPONSE_CAP.write, false, signal));
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

  scopeLabel(scope: ScopeRef): string {
    return scopeLabelOf(scope);
  }

  reference(_scope: ScopeRef, name: string): string {
    return `flyte.Secret(key="${name}")`;
  }
}

/** The SecretSpec's parts: the value as bytes (binary_value, as the CLI sends), and whether it is an image-pull secret. */
export function secretSpec(input: SecretInput, ref: ScopeRef): { value: Uint8Array; imagePull: boolean } {
  if (input.type === 'image_pull' || input.type === 'SECRET_TYPE_IMAGE_PULL_SECRET') {
    if (ref.domain || ref.project) throw new ValidationError('Image-pull secrets must be org-wide: give no project or domain.');
    let value = input.value;
    if (!value) {
      const v = input.values ?? {};
      if (!v.registry || !v.username || !v.password) throw new ValidationError("An image-pull secret needs values {registry, username, password} (or a dockerconfigjson 'valueFile').");
      const auth = Buffer.from(`${v.username}:${v.password}`).toString('base64');
      value = new TextEncoder().encode(JSON.stringify({ auths: { [v.registry]: { username: v.username, password: v.password, auth } } }));
    }
    return { value, imagePull: true };
  }
  if (input.type && input.type !== 'regular' && input.type !== 'generic' && input.type !== 'SECRET_TYPE_GENERIC') {
    throw new ValidationError(`Unknown Flyte secret type '${printable(input.type)}': use regular or image_pull.`);
  }
  if (!input.value || !input.value.length) throw new ValidationError('A value is required.');
  return { value: input.value, imagePull: false };
}

function toRaw(s: Secret, flyte: WireModule['flyte']): RawFlyteSecret {
  const name = s.id?.name;
  if (!name) throw new ProtocolError('Flyte sent a secret without a name.');
  const meta = s.secretMetadata;
  const status = meta?.secretStatus;
  const { OverallStatus, SecretPresenceStatus, SecretType } = flyte;
  const createdAt = meta?.createdTime ? flyte.timestampDate(meta.createdTime) : undefined;
  // RFC 3339 in whole seconds, as the server keeps them; a time out of Date's range is left out.
  const created = createdAt && !Number.isNaN(createdAt.getTime()) ? createdAt.toISOString().replace('.000Z', 'Z') : undefined;
  return {
    name,
    domain: s.id?.domain ?? '',
    project: s.id?.project ?? '',
    imagePull: meta?.type === SecretType.IMAGE_PULL_SECRET,
    created,
    overall: status?.overallStatus === OverallStatus.PARTIALLY_PRESENT ? 'partial' : status?.overallStatus === OverallStatus.UNKNOWN_STATUS ? 'unknown' : undefined,
    missingOn: (status?.clusterStatus ?? []).filter((c) => c.presenceStatus === SecretPresenceStatus.MISSING).map((c) => printable((c.cluster?.name || '?').slice(0, 100))),
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
