// Where a scope's SecretService calls go: `ClusterService/SelectCluster(OPERATION_USE_SECRETS, scope)`,
// as the flyte SDK asks before every secret call (docs/platform-apis.md §4.5), answered by the control
// plane itself or a data-plane cluster. Cached per scope for the client's lifetime; failures are not.

import { AuthError, CancelledError, ConflictError, HttpError, NetworkError, NotFoundError, PermissionError, ProtocolError, TimeoutError, UnsupportedError } from '../../errors';
import { RESPONSE_CAP } from '../../http/httpClient';
import { isLoopbackHost } from '../../http/urls';
import { printable } from '../../text';
import { scopeLabelOf } from '../scopeLabels';
import type { ScopeRef } from '../types';
import { flyteBaseUrl } from './endpoint';
import type { MessageInitShape } from '@bufbuild/protobuf';
import type { SelectClusterRequestSchema } from './gen/flyteidl2/cluster/payload_pb';
import type { FlyteWire, WireCall } from './wire';

/** Where a scope's SecretService calls go: the control plane, or the data plane SelectCluster named. */
export interface SecretRoute {
  baseUrl: string;
  /** The origins the token may go to for these calls: the connection's, plus the data plane's. */
  origins: readonly string[];
  /** The cluster SelectCluster named (for the tree), if any. */
  cluster?: string;
}

/** What the router needs from its client. */
export interface RouteContext {
  baseUrl: string;
  origins: readonly string[];
  org?: string;
  /** Union's cluster pool: org-wide calls are routed by cluster_pool_id. */
  clusterPool?: string;
  wire(): Promise<FlyteWire>;
  callOptions(route: SecretRoute, what: string, maxResponseBytes: number, idempotent: boolean, signal?: AbortSignal): WireCall;
  note(message: string): void;
}

type SelectResource = MessageInitShape<typeof SelectClusterRequestSchema>['resource'];

/** The scope's key for the SelectCluster cache. */
function routeKey(org: string, ref: ScopeRef, pool: string | undefined): string {
  return JSON.stringify([org, ref.domain ?? '', ref.project ?? '', pool ?? '']);
}

/** SelectCluster's resource for a scope: the cluster pool, or the project / domain / org id. */
function selectResource(org: string, ref: ScopeRef, pool: string | undefined): SelectResource {
  if (pool) return { case: 'clusterPoolId', value: { organization: org, name: pool } };
  if (ref.project && ref.domain) return { case: 'projectId', value: { organization: org, name: ref.project, domain: ref.domain } };
  if (ref.domain) return { case: 'domainId', value: { organization: org, name: ref.domain } };
  return { case: 'orgId', value: { name: org } };
}

export class ClusterRoutes {
  /** SelectCluster answers per scope, for the client's lifetime; a failed lookup is dropped. */
  private readonly routes = new Map<string, Promise<SecretRoute>>();

  constructor(private readonly c: RouteContext) {}

  /**
   * An empty endpoint, or the control plane's own, means the control plane; any other is a
   * data-plane cluster that gets the call with the same token — over https only (loopback aside),
   * and only for that call.
   */
  route(ref: ScopeRef, signal?: AbortSignal): Promise<SecretRoute> {
    const org = ref.org ?? this.c.org ?? '';
    // A cluster pool names where org-wide secrets live (the SDK's --cluster-pool excludes -p/-d).
    const pool = !ref.domain && !ref.project ? this.c.clusterPool : undefined;
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
    const control: SecretRoute = { baseUrl: this.c.baseUrl, origins: this.c.origins };
    const resource = selectResource(org, ref, pool);
    const label = pool ? `cluster pool ${pool}` : scopeLabelOf(ref);
    const wire = await this.c.wire();
    let answer: { clusterEndpoint: string; cluster: string };
    try {
      const what = `find the cluster that holds the secrets of ${label}`;
      answer = await wire.unary(wire.flyte.ClusterService.selectCluster, { operation: wire.flyte.USE_SECRETS, resource }, this.c.callOptions(control, what, RESPONSE_CAP.auth, true, signal));
    } catch (e) {
      if (e instanceof UnsupportedError) {
        // An older server without ClusterService: its own SecretService is the one.
        this.c.note(`Flyte at ${this.c.baseUrl} has no ClusterService/SelectCluster (an older server): using its own SecretService for ${label}.`);
        return control;
      }
      throw selectClusterFailure(e);
    }
    const cluster = answer.cluster ? printable(answer.cluster.slice(0, 100)) : undefined;
    if (!answer.clusterEndpoint) return { ...control, cluster };
    return { ...dataPlaneRoute(answer.clusterEndpoint, control), cluster };
  }
}

function dataPlaneRoute(raw: string, control: SecretRoute): SecretRoute {
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
