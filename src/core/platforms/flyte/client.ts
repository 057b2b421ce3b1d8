// Flyte 2 / Union client: the flyteidl2 SecretService over Connect (`POST {base}/flyteidl2.secret.
// SecretService/<Method>`), each call routed through ClusterService/SelectCluster as the flyte SDK does
// (./routing.ts); auth by an API key (client-credentials token from the token endpoint that
// AuthMetadataService names, ./oauth.ts) or a pasted bearer token. docs/platform-apis.md §4. The wire
// (generated types, the Connect stack) is ./wire.ts, loaded on the first call (./wireLoader.ts); this
// file holds the platform's rules and imports only its types.

import { NotFoundError, ProtocolError, ValidationError } from '../../errors';
import { HttpClient, LogFn, RESPONSE_CAP } from '../../http/httpClient';
import { redactor } from '../../redact';
import { RenewableToken } from '../../http/renewableToken';
import type { SecretReference } from '../../references/reference';
import { printable } from '../../text';
import { scopeLabelOf } from '../scopeLabels';
import { Capabilities, DeleteResult, PlatformClient, Scope, ScopeRef, SecretInfo, SecretInput, SecretUpdate } from '../types';
import type { FlyteCodec, FlyteWire, WireCall } from './wire';
import { validateFlyteName } from './names';
import { FlyteAuthConfig, flyteClientCredentialsToken } from './oauth';
import { ClusterRoutes, SecretRoute } from './routing';
import { RawFlyteSecret, scopeSecrets, secretSpec, toRaw } from './secretMessages';
import { loadFlyteWire } from './wireLoader';

export { scopeLabelOf };

const PAGE_LIMIT = 100;
const MAX_PAGES = 1000;

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
  private readonly routes: ClusterRoutes;
  private wirePromise: Promise<FlyteWire> | undefined;

  constructor(private readonly o: FlyteClientOptions) {
    redactor.add(o.clientSecret);
    const { clientId, clientSecret, auth } = o;
    const renew = clientId && clientSecret && auth?.tokenEndpoint ? (signal?: AbortSignal) => flyteClientCredentialsToken(o.http, auth, clientId, clientSecret, o.origins, signal) : undefined;
    this.session = new RenewableToken(renew, o.accessToken || undefined, o.expiresAt, o.onToken, 'No Flyte token: sign in again.');
    this.routes = new ClusterRoutes({
      baseUrl: o.baseUrl,
      origins: o.origins,
      org: o.org,
      clusterPool: o.clusterPool,
      wire: () => this.wire(),
      callOptions: (route, what, max, idempotent, signal) => this.callOptions(route, what, max, idempotent, signal),
      note: (message) => this.note(message),
    });
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
    const route = await this.routes.route(ref, signal);
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
    return scopeSecrets(await this.listRaw(ref, signal), ref);
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
    await withValue(input, async () => {
      const route = await this.routes.route(ref, signal);
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
    const route = await this.routes.route(ref, signal);
    const wire = await this.wire();
    try {
      await wire.unary(wire.flyte.SecretService.deleteSecret, { id }, this.callOptions(route, `delete '${printable(name)}' (${scopeLabelOf(ref)})`, RESPONSE_CAP.write, false, signal));
      return { alreadyGone: false };
    } catch (e) {
      if (e instanceof NotFoundError) return { alreadyGone: true };
      throw e;
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

/** Runs `fn` with the value (and an image-pull password) held in the redactor. */
async function withValue<T>(input: SecretInput, fn: () => Promise<T>): Promise<T> {
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
