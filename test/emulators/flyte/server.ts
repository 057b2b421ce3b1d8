/**
 * A strict emulator of Flyte 2 / Union's secret service for tests: a real Connect server (connect-es
 * `@connectrpc/connect` router on the generated flyteidl2 service descriptors, unary, Connect protocol)
 *   POST /flyteidl2.secret.SecretService/{CreateSecret,UpdateSecret,GetSecret,DeleteSecret,ListSecrets}
 *   POST|GET /flyteidl2.auth.AuthMetadataService/{GetOAuth2Metadata,GetPublicClientConfig}   (anonymous)
 *   POST /flyteidl2.cluster.ClusterService/SelectCluster   (OPERATION_USE_SECRETS; with `dataPlane`, a second
 *        listener serves SecretService for the routed scopes — see README.md "Data plane")
 *   POST /oauth2/token      OAuth2 client_credentials grant, HTTP Basic client authentication (not Connect)
 *
 * Spec: docs/platform-apis.md §4 and §5, cross-checked against
 *   flyteorg/flyte @ 6fadb90d (v2.0.43): flyteidl2/secret/{definition,payload,secret}.proto,
 *     flyteidl2/auth/auth_service.proto, secret/service/secret_service.go, secret/setup.go,
 *     gen/go/flyteidl2/secret/secretconnect/secret.connect.go, gen/go/.../auth_service.connect.go,
 *     flyteplugins/go/tasks/pluginmachinery/secret/{utils,k8s_utils}.go;
 *   flyteorg/flyte-sdk @ 7e2d4231: src/flyte/remote/_secret.py, src/flyte/remote/_client/auth/*;
 *   connectrpc/connect-go @ 96463260 (handler.go, protocol_connect.go) for what connect-es is set up
 *   to match; connectrpc.com docs/protocol.md.
 *
 * The Connect layer (connect-es 2, `createConnectRouter` + connect-node's universal request/response —
 * what `connectNodeAdapter` does, with the request body read once so it can be logged first):
 *  - Codecs: binary (`application/proto`) and JSON (`application/json`, `; charset=utf-8`), both with the
 *    generated types (`src/core/platforms/flyte/gen`); JSON reads ignore unknown fields and unknown enum
 *    names (as connect-go's DiscardUnknown), accept lowerCamel and snake_case names. Decode failures →
 *    invalid_argument with connect-es / protobuf-es texts ("cannot decode message ... from JSON: ...").
 *    `protoCodec: false` (CLI `--json-only`) is connect-go configured without the proto codec: an
 *    `application/proto` request (GET: `encoding=proto`) to a served procedure is answered 415, no body,
 *    `Accept-Post: application/json, application/json; charset=utf-8` before it reaches the router.
 *  - Compression: gzip both ways (`Content-Encoding` in, `Accept-Encoding` → gzip'd answer; a gzip'd
 *    request without Accept-Encoding gets a gzip'd answer too — connect-es's asymmetric rule), any size
 *    (compressMinBytes 0, connect-go's default); another encoding → unimplemented "unknown compression
 *    "br": supported encodings are gzip". `compressResponses: false` stops response compression.
 *  - Routing like the generated connect-go handler on an http.ServeMux: a path that is not a served
 *    procedure (an unknown method, an unknown service, ClusterService with `clusterService: false`,
 *    anything but SecretService on the data plane) is a plain Go `http.NotFound` (404, text/plain
 *    "404 page not found\n", no Connect envelope); a Connect client reads 404 as `unimplemented`
 *    (protocol.md "HTTP to Error Code").
 *  - Method: POST; GET (Connect GET, `?connect=v1&encoding=json&message=...`) only for the
 *    NO_SIDE_EFFECTS AuthMetadataService methods; else 405, no body. A content type connect-es cannot
 *    read (gRPC, gRPC-Web, Connect streaming, text/plain, ...) → 415, no body. CHOICE: only the Connect
 *    protocol is served (connect-go also serves gRPC and gRPC-Web).
 *  - Connect-Protocol-Version: CHOICE: required by default (`requireConnectProtocolHeader`; missing →
 *    400 invalid_argument "missing required header: set Connect-Protocol-Version to "1""), as connect-go's
 *    WithRequireConnectProtocolHeader() does; OSS Flyte does not turn it on, so
 *    `requireConnectProtocolVersion: false` gives the OSS behaviour. A value other than "1" → invalid_argument.
 *  - Connect-Timeout-Ms: parsed by connect-es (a malformed value → invalid_argument "protocol error:
 *    invalid connect timeout value: ..."); the handlers answer at once, so no deadline is ever hit.
 *  - CHOICE: request messages over 4 MiB (after decompression) → resource_exhausted (readMaxBytes; the
 *    real server sets no limit).
 *  - Errors: `{"code": "<snake_case>", "message": "..."}`, `Content-Type: application/json` whatever the
 *    codec, HTTP status from the Connect table (docs/platform-apis.md §4.3). No `details` (CHOICE:
 *    protovalidate's `buf.validate.Violations` detail is not produced).
 *  - Responses: the generated response messages in the request's codec; as JSON that is protojson —
 *    lowerCamel names, enums by name, default values omitted (an empty `secrets` list is omitted,
 *    `type: SECRET_TYPE_GENERIC` never appears, presence UNKNOWN (0) makes a cluster entry
 *    `{"cluster": {...}}`), timestamps RFC 3339 UTC.
 *  - TLS (`tls: true`, CLI `--tls`): both listeners are https with one self-signed certificate for
 *    127.0.0.1 and localhost (IP and DNS subjectAltName) generated at start, never written to disk;
 *    `emu.tlsCa` is its PEM for a client to trust.
 *
 * Secret-service semantics (OSS secret_service.go unless marked CHOICE):
 *  - Request validation as buf.validate declares it (the OSS server never runs protovalidate, Union
 *    presumably does; the brief asks for enforcement): `id` required; `id.name` min_len 1 and
 *    `^[-a-zA-Z0-9_]+$`; `secret_spec` present ⇒ exactly one of string_value/binary_value. Message:
 *    protovalidate's "validation error:\n - id.name: value does not match regex pattern `...` [string.pattern]".
 *    A missing `secret_spec` on Create/Update → invalid_argument "string or binary value expected, got <nil>" (OSS).
 *  - Scope: project without domain → invalid_argument "project-scoped secrets must also specify a
 *    domain, got project="p" domain=""" (all five RPCs).
 *  - Create on an existing identifier → already_exists `secrets "<k8s name>" already exists` (k8s text).
 *    Update/Get/Delete of a missing one → not_found "secret <name> not found".
 *  - Get echoes the request's identifier (OSS: `Id: req.Msg.GetId()`, so `organization` comes back as
 *    sent); List items carry only name/domain/project (OSS does not echo `organization`).
 *  - ListSecrets scope: the OSS server selects by k8s labels `app.flyte.org/domain` and
 *    `app.flyte.org/project` only when set, so an org-wide list returns EVERY secret of the org, a
 *    domain list returns the domain's secrets AND the project secrets of that domain, and a
 *    project+domain list returns exactly that scope (the proto comment agrees: "With org scope, user is
 *    given all secrets at org, domain, project-domain level"). That is the default (`listScope:
 *    'subtree'`); `listScope: 'exact'` returns only secrets of exactly the requested scope.
 *  - Paging: k8s list semantics. `limit` 0 → no limit (CHOICE: `defaultListLimit` can set a server-side
 *    page size); negative → invalid_argument (CHOICE). Items come in k8s order: by the k8s object name,
 *    i.e. md5 hex of the storage id (so NOT alphabetical). `token` is a k8s continue token
 *    (base64url JSON {v, rv, start}); it is returned when the page is full and ANY stored key follows
 *    the last item, matching or not, so the last page may be empty (k8s etcd3 behaviour). An undecodable
 *    token → invalid_argument (CHOICE: OSS would pass k8s' 400 on as `internal`). `per_cluster_tokens`
 *    is accepted and ignored, never returned.
 *  - Presence: `clusterStatus` lists every configured cluster in order as `{cluster: {name}, presenceStatus}`
 *    (OSS fills only ClusterIdentifier.name). Overall: all PRESENT → FULLY_PRESENT; any MISSING →
 *    PARTIALLY_PRESENT (CHOICE, also when all are MISSING, as the brief says); any UNKNOWN (an
 *    extension of the state type) → UNKNOWN_STATUS; no clusters configured → UNKNOWN_STATUS (CHOICE).
 *    Create and Update (CHOICE) mark every cluster PRESENT.
 *  - created_time: k8s creationTimestamp, whole seconds (CHOICE: seeded secrets get fixed times).
 *  - System secrets (`system: true`, e.g. EAGER_API_KEY) are hidden from List and are not_found for
 *    Get/Delete unless include_system_secrets (proto comments). CHOICE: UpdateSecret (no such flag) treats
 *    them as not_found; CreateSecret of a taken name gives already_exists even when the holder is hidden
 *    (the storage id exists).
 *  - CHOICE (Union semantics, not in OSS): an image-pull secret (type SECRET_TYPE_IMAGE_PULL_SECRET) with
 *    a domain or project → invalid_argument "image pull secrets must be org-scoped: ...". The type is
 *    stored and reported as `secretMetadata.type` (OSS never reports it). Update replaces the type with
 *    the one in the new spec (the SecretSpec is the whole spec). An unknown enum NUMBER for `type` →
 *    invalid_argument (CHOICE; names are ignored as protojson does).
 *  - CHOICE (k8s limits the OSS server inherits): domain/project must be valid k8s label values
 *    (≤ 63 chars, `(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?`), the storage id (the k8s data key) must
 *    be ≤ 253 chars and the value ≤ 1 MiB; violations → invalid_argument (OSS would answer `internal`).
 *  - Organization: CHOICE: "" means the emulator's org (OSS ignores the field entirely); another org →
 *    permission_denied; `requireOrganization: true` makes "" invalid_argument.
 *
 * Auth (Union; OSS Flyte 2 has none on this service):
 *  - Every SecretService and ClusterService call needs `<authorizationMetadataKey>: Bearer <token>`
 *    (scheme case-insensitive, RFC 7235). Missing / malformed / unknown / expired → unauthenticated (401).
 *    CHOICE: with a custom key (e.g. `flyte-authorization`) a token in `authorization` is NOT accepted.
 *    It is a Connect interceptor: after protocol negotiation and message decoding, before request validation.
 *  - Tokens: HS256 JWTs (iss = url, sub = client id, scp, exp); `expireAllTokens()` invalidates all.
 *  - /oauth2/token: RFC 6749 §4.4 + §2.3.1 (Basic credentials are form-urlencoded, then base64; the
 *    flyte SDK quote_plus-encodes the secret). Answers `{access_token, token_type: "Bearer", expires_in}`
 *    with `Cache-Control: no-store`, or `{error, error_description}`: invalid_request (400: not a form,
 *    repeated parameter, no grant_type, two client-auth methods), invalid_client (401 +
 *    `WWW-Authenticate: Basic realm="flyte"`: no/bad Basic credentials, unknown client, wrong secret;
 *    CHOICE: client_secret_post is not supported), unsupported_grant_type (400), invalid_scope (400:
 *    a scope not in `scopes`), invalid_target (400, RFC 8707: an `audience` other than the configured
 *    one). Parameters with empty values count as absent (RFC 6749 §3.1). Non-POST → 405 invalid_request.
 *
 * Around the router (a Node http/https server): every request is logged (`emu.requests`), then queued
 * faults apply (status / delay / reset / garbage bodies, before any Connect handling), then
 * /oauth2/token, the Go 404 and the `--json-only` 415 are answered, then the router.
 *
 * Everything the client sees on failure is listed in README.md.
 */
import { createHash, createHmac, randomBytes, randomUUID, timingSafeEqual } from 'node:crypto';
import * as http from 'node:http';
import * as https from 'node:https';
import type { AddressInfo } from 'node:net';
import { gunzipSync } from 'node:zlib';
import { fromBinary, toJson } from '@bufbuild/protobuf';
import { timestampFromDate } from '@bufbuild/protobuf/wkt';
import { Code, ConnectError, createConnectRouter, type ConnectRouter, type ConnectRouterOptions, type HandlerContext, type Interceptor } from '@connectrpc/connect';
import { compressionGzip, universalRequestFromNodeRequest, universalResponseToNodeResponse } from '@connectrpc/connect-node';
import { generate as generateCertificate } from 'selfsigned';
import { AuthMetadataService } from '../../../src/core/platforms/flyte/gen/flyteidl2/auth/auth_service_pb';
import { SelectClusterRequest_Operation, SelectClusterRequest_OperationSchema, SelectClusterRequestSchema, type SelectClusterRequest } from '../../../src/core/platforms/flyte/gen/flyteidl2/cluster/payload_pb';
import { ClusterService } from '../../../src/core/platforms/flyte/gen/flyteidl2/cluster/service_pb';
import { OverallStatus, SecretPresenceStatus, SecretType, type SecretIdentifier, type SecretSpec } from '../../../src/core/platforms/flyte/gen/flyteidl2/secret/definition_pb';
import { SecretService } from '../../../src/core/platforms/flyte/gen/flyteidl2/secret/secret_pb';
import { FLYTE_METHODS } from '../../../src/core/platforms/flyte/methods';
import { FaultControl, FaultQueue, faultHeaders } from '../common/faults';
import { LocalServers } from '../common/http';
import { LoggedRequestBase } from '../common/requests';

export type { FaultSpec } from '../common/faults';

// ---------------------------------------------------------------------------------------------
// Public API
// ---------------------------------------------------------------------------------------------

export type FlyteSecretType = 'SECRET_TYPE_GENERIC' | 'SECRET_TYPE_IMAGE_PULL_SECRET';
/** 'UNKNOWN' is an extension (enum value 0: omitted on the wire, overall UNKNOWN_STATUS). */
export type FlytePresence = 'PRESENT' | 'MISSING' | 'UNKNOWN';

export interface FlyteClientApp {
  clientId: string;
  clientSecret: string;
}

export interface FlyteEmulatorOptions {
  /** 0 (default) = a free port. Always bound to 127.0.0.1. */
  port?: number;
  /** Default 'demo'. */
  org?: string;
  /** Default ['c1', 'c2']. Presence is tracked per cluster. */
  clusters?: string[];
  /** OAuth2 client-credentials apps. Default: one, `ml-secrets-ci` with a random (URL-safe) secret. */
  clients?: FlyteClientApp[];
  /** Demo secrets (see README). Default false. */
  seed?: boolean;
  /** The header the bearer token goes in, as GetPublicClientConfig reports. Default 'authorization'. */
  authorizationMetadataKey?: string;
  /** Access-token lifetime. Default 3600. Fractions allowed (`expires_in` is rounded up). */
  tokenTtlSeconds?: number;
  /** Scopes advertised and grantable. Default ['all']. */
  scopes?: string[];
  /** Audience reported by GetPublicClientConfig and required (if sent) at the token endpoint. Default none. */
  audience?: string;
  /** See the header comment. Default true. */
  requireConnectProtocolVersion?: boolean;
  /** Default 'subtree' (OSS label selection); 'exact' = only the requested scope. */
  listScope?: 'subtree' | 'exact';
  /** Page size used when ListSecrets has limit 0. Default 0 = everything (k8s). */
  defaultListLimit?: number;
  /** Gzip responses when the client accepts gzip (or sent gzip), at any size (connect-go default). Default true. */
  compressResponses?: boolean;
  /** Reject an empty `organization`. Default false (OSS ignores the field). */
  requireOrganization?: boolean;
  /**
   * Union's layout: `ClusterService/SelectCluster(OPERATION_USE_SECRETS, scope)` names a second
   * listener on 127.0.0.1 (the data plane) for these scopes, and that listener serves their
   * SecretService calls. Default none: every scope is the control plane's and SelectCluster answers
   * an empty endpoint. See the header comment.
   */
  dataPlane?: FlyteDataPlaneOptions;
  /** cluster_endpoint for scopes the control plane serves: 'empty' (default) or 'self' (its own URL, as OSS does). */
  selectClusterSelf?: 'empty' | 'self';
  /** Serve ClusterService at all. false: an older server where SelectCluster is a Go 404. Default true. */
  clusterService?: boolean;
  /**
   * Also accept the binary proto codec (`application/proto`), as connect-go does by default and as the
   * official `flyte` CLI sends. Default true; false (CLI `--json-only`) serves JSON only (proto → 415).
   */
  protoCodec?: boolean;
  /**
   * Serve https on both listeners with a self-signed certificate for 127.0.0.1 / localhost generated at
   * start (`emu.tlsCa`). Default false (CLI `--tls`).
   */
  tls?: boolean;
}

export interface FlyteDataPlaneOptions {
  /** The scopes whose secrets live on the data plane: 'all', or exact scopes ({} = org-wide, {domain}, {domain, project}). */
  scopes: 'all' | FlyteScope[];
  /** Cluster pools (cluster_pool_id.name) routed there too. Default none. */
  clusterPools?: string[];
  /** The cluster name SelectCluster reports. Default the first configured cluster (or 'dp'). */
  cluster?: string;
  /**
   * Answer this cluster_endpoint instead of the listener's URL: a string (e.g. a non-loopback http URL a
   * client must refuse), or a function of the listener's URL (e.g. its `dns:///127.0.0.1:PORT` form).
   */
  advertise?: string | ((dataPlaneUrl: string) => string);
  /** 0 (default) = a free port. */
  port?: number;
}

export interface LoggedRequest extends LoggedRequestBase {
  /** Raw query string without '?' ('' when none). */
  query: string;
  /** Which listener got it: the control plane (`url`) or the data plane (`dataPlaneUrl`). */
  listener: 'control' | 'data';
  /**
   * Body as UTF-8 text ('' when none); a gzip request body is logged decompressed, an `application/proto`
   * body of a known procedure as the protojson of its decoded request (`toJson` of the generated type).
   */
  body: string;
}

export interface FlyteStoredSecret {
  name: string;
  organization: string;
  /** '' = not set. */
  domain: string;
  /** '' = not set. */
  project: string;
  type: FlyteSecretType;
  value: Uint8Array;
  /** Which oneof member carried the value. */
  valueField: 'stringValue' | 'binaryValue';
  /** RFC 3339 UTC, whole seconds ("2026-05-01T10:00:00Z"). */
  createdTime: string;
  /** cluster name → presence; every configured cluster has an entry. */
  clusterPresence: Record<string, FlytePresence>;
  /** System-provisioned (hidden unless include_system_secrets). */
  system?: boolean;
}

export interface FlyteScope {
  domain?: string;
  project?: string;
}

export interface FlyteSetSecretSpec extends FlyteScope {
  name: string;
  /** Default: 16 random hex chars. A string is stored as UTF-8 (valueField 'stringValue'). */
  value?: string | Uint8Array;
  type?: FlyteSecretType;
  system?: boolean;
  /** Default: now (whole seconds). */
  createdTime?: string;
  /** Default: every cluster PRESENT; entries given here override. */
  clusterPresence?: Record<string, FlytePresence>;
}

export interface FlyteEmulatorState {
  /** storage id (`u__org__<org>__domain__<d>__project__<p>__key__<name>`) → secret. Mutate freely. */
  secrets: Map<string, FlyteStoredSecret>;
  storageId(name: string, scope?: FlyteScope): string;
  getSecret(name: string, scope?: FlyteScope): FlyteStoredSecret | undefined;
  /** Create, or replace (keeping createdTime unless given) the secret with this name and scope. */
  setSecret(spec: FlyteSetSecretSpec): FlyteStoredSecret;
  deleteSecret(name: string, scope?: FlyteScope): boolean;
  /** Throws for an unknown secret or cluster. */
  setPresence(name: string, scope: FlyteScope, cluster: string, status: FlytePresence): void;
}

export interface FlyteEmulator {
  /** http://127.0.0.1:PORT (https:// with `tls`) */
  url: string;
  /** The data plane's http(s)://127.0.0.1:PORT (only with the `dataPlane` option). */
  dataPlaneUrl?: string;
  /** dns:///127.0.0.1:PORT (the `admin.endpoint` form; use with insecure: true unless `tls`) */
  endpoint: string;
  /** With `tls`: the PEM of the self-signed certificate both listeners present (trust it as a CA). */
  tlsCa?: string;
  org: string;
  clusters: string[];
  /**
   * FLYTE_API_KEY for the default (first) client: base64("dns:///127.0.0.1:PORT:<id>:<secret>:<org>").
   * NOTE: the endpoint holds ':' — only a parser that takes the last three fields from the right can
   * read it (flyte-sdk's decode_api_key splits from the left and cannot).
   */
  apiKey: string;
  /** Any API key: defaults are the endpoint, the first client and the org. */
  makeApiKey(o?: { endpoint?: string; clientId?: string; clientSecret?: string; org?: string }): string;
  clientId: string;
  clientSecret: string;
  clients: FlyteClientApp[];
  /** `mint()` returns a fresh valid access token (for the first client unless told). */
  tokens: { mint(o?: { clientId?: string; ttlSeconds?: number }): string };
  /** Every access token issued so far becomes invalid (unauthenticated, as if expired). */
  expireAllTokens(): void;
  requests: LoggedRequest[];
  faults: FaultControl;
  state: FlyteEmulatorState;
  close(): Promise<void>;
}

// ---------------------------------------------------------------------------------------------
// Constants
// ---------------------------------------------------------------------------------------------

export const SECRET_SERVICE = SecretService.typeName;
export const AUTH_METADATA_SERVICE = AuthMetadataService.typeName;
export const CLUSTER_SERVICE = ClusterService.typeName;
export const NAME_PATTERN = '^[-a-zA-Z0-9_]+$';
const NAME_RE = new RegExp(NAME_PATTERN);
export const TOKEN_PATH = '/oauth2/token';
export const DEFAULT_CLIENT_ID = 'ml-secrets-ci';
/** CHOICE: request message size limit (after decompression). */
export const READ_MAX_BYTES = 4 * 1024 * 1024;
/** k8s Secret size limit. */
export const K8S_MAX_SECRET_BYTES = 1024 * 1024;

/** The Connect code → HTTP status table (protocol.md); fault bodies use its inverse. */
export const CONNECT_CODE_TO_HTTP: Record<string, number> = {
  canceled: 499,
  unknown: 500,
  invalid_argument: 400,
  deadline_exceeded: 504,
  not_found: 404,
  already_exists: 409,
  permission_denied: 403,
  resource_exhausted: 429,
  failed_precondition: 400,
  aborted: 409,
  out_of_range: 400,
  unimplemented: 501,
  internal: 500,
  unavailable: 503,
  data_loss: 500,
  unauthenticated: 401,
};

/** `--json-only`: connect-go's Accept-Post for the JSON codec alone. */
const ACCEPT_POST_JSON = 'application/json, application/json; charset=utf-8';
/** The content types connect-es reads with the binary codec (unary and streaming Connect). */
const PROTO_CONTENT_TYPE = /^application\/(connect\+)?proto$/i;

const SECRET_TYPE_NAMES: Record<number, FlyteSecretType> = { [SecretType.GENERIC]: 'SECRET_TYPE_GENERIC', [SecretType.IMAGE_PULL_SECRET]: 'SECRET_TYPE_IMAGE_PULL_SECRET' };
const SECRET_TYPE_NUM: Record<FlyteSecretType, SecretType> = { SECRET_TYPE_GENERIC: SecretType.GENERIC, SECRET_TYPE_IMAGE_PULL_SECRET: SecretType.IMAGE_PULL_SECRET };
const PRESENCE_NUM: Record<FlytePresence, SecretPresenceStatus> = { UNKNOWN: SecretPresenceStatus.UNKNOWN, MISSING: SecretPresenceStatus.MISSING, PRESENT: SecretPresenceStatus.PRESENT };

// ---------------------------------------------------------------------------------------------
// Helpers
// ---------------------------------------------------------------------------------------------

interface Resp {
  status: number;
  body?: Buffer | string;
  headers: Record<string, string>;
}

function oauthError(status: number, error: string, description: string, headers: Record<string, string> = {}): Resp {
  return {
    status,
    body: JSON.stringify({ error, error_description: description }),
    headers: { 'content-type': 'application/json;charset=UTF-8', 'cache-control': 'no-store', pragma: 'no-cache', ...headers },
  };
}

/** Go's http.NotFound. */
function goNotFound(): Resp {
  return { status: 404, body: '404 page not found\n', headers: { 'content-type': 'text/plain; charset=utf-8', 'x-content-type-options': 'nosniff' } };
}

/** The Connect code a client infers from a bare HTTP status, widened for fault bodies. */
function codeForStatus(status: number): string {
  for (const [code, s] of Object.entries(CONNECT_CODE_TO_HTTP)) if (s === status) return code;
  return 'unknown';
}

/** RFC 3339 as Go's protojson writes a Timestamp (0, 3, 6 or 9 fractional digits). */
function rfc3339(iso: string): string {
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) throw new Error(`bad timestamp ${iso}`);
  return d.toISOString().replace('.000Z', 'Z');
}

function nowSeconds(): string {
  return new Date(Math.floor(Date.now() / 1000) * 1000).toISOString().replace('.000Z', 'Z');
}

/** k8s label value syntax. */
function labelValueProblem(v: string): string | null {
  if (v.length > 63) return 'must be no more than 63 characters';
  if (!/^(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?$/.test(v)) {
    return "a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyValue',  or 'my_value',  or '12345', regex used for validation is '(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?')";
  }
  return null;
}

function md5hex(s: string): string {
  return createHash('md5').update(s).digest('hex');
}

function b64url(data: Buffer | string): string {
  return Buffer.from(data).toString('base64url');
}

/** RFC 6749 Appendix B decoding (application/x-www-form-urlencoded); null when malformed. */
function formDecode(s: string): string | null {
  try {
    return decodeURIComponent(s.replace(/\+/g, ' '));
  } catch {
    return null;
  }
}

const invalid = (message: string): ConnectError => new ConnectError(message, Code.InvalidArgument);

/** A self-signed certificate for 127.0.0.1 and localhost (kept in memory only). */
async function selfSignedCertificate(): Promise<{ key: string; cert: string }> {
  const pems = await generateCertificate([{ name: 'commonName', value: '127.0.0.1' }], {
    keyType: 'ec',
    curve: 'P-256',
    notBeforeDate: new Date(Date.now() - 3600_000),
    notAfterDate: new Date(Date.now() + 7 * 86400_000),
    algorithm: 'sha256',
    extensions: [
      { name: 'basicConstraints', cA: true },
      { name: 'keyUsage', digitalSignature: true, keyEncipherment: true, keyCertSign: true },
      { name: 'extKeyUsage', serverAuth: true },
      {
        name: 'subjectAltName',
        altNames: [
          { type: 7, ip: '127.0.0.1' },
          { type: 2, value: 'localhost' },
        ],
      },
    ],
  });
  return { key: pems.private, cert: pems.cert };
}

// ---------------------------------------------------------------------------------------------
// The emulator
// ---------------------------------------------------------------------------------------------

type Plane = 'control' | 'data';

/** What the token endpoint reads. */
interface Ctx {
  req: http.IncomingMessage;
  method: string;
  body: Buffer;
}

type Handler = ConnectRouter['handlers'][number];

export async function startFlyteEmulator(opts: FlyteEmulatorOptions = {}): Promise<FlyteEmulator> {
  const org = opts.org ?? 'demo';
  const clusters = [...(opts.clusters ?? ['c1', 'c2'])];
  const clients: FlyteClientApp[] = (opts.clients ?? [{ clientId: DEFAULT_CLIENT_ID, clientSecret: randomBytes(24).toString('base64url') }]).map((c) => ({ ...c }));
  if (clients.length === 0) throw new Error('at least one OAuth2 client is required');
  const authKey = (opts.authorizationMetadataKey ?? 'authorization').toLowerCase();
  const tokenTtl = opts.tokenTtlSeconds ?? 3600;
  const scopes = [...(opts.scopes ?? ['all'])];
  const audience = opts.audience;
  const requireVersion = opts.requireConnectProtocolVersion ?? true;
  const protoCodec = opts.protoCodec ?? true;
  const listScope = opts.listScope ?? 'subtree';
  const defaultListLimit = opts.defaultListLimit ?? 0;
  const compressResponses = opts.compressResponses ?? true;
  const requireOrganization = opts.requireOrganization ?? false;
  const selectClusterSelf = opts.selectClusterSelf ?? 'empty';
  const jwtSecret = randomBytes(32).toString('hex');
  const requests: LoggedRequest[] = [];
  // CHOICE: a fault body defaults to a Connect envelope `{"code": <code for the status>, "message": "<reason phrase>"}`.
  const faults = new FaultQueue({
    faultBody: (s) => JSON.stringify({ code: codeForStatus(s), message: http.STATUS_CODES[s] ?? 'fault' }),
    jsonContentType: 'application/json',
  });
  const servers = new LocalServers();
  let tokenGeneration = 0;
  let resourceVersion = 1000;
  let url = '';

  // --- state ---
  const secrets = new Map<string, FlyteStoredSecret>();
  const storageIdOf = (name: string, domain: string, project: string, o = org): string =>
    `u__org__${o}__domain__${domain}__project__${project}__key__${name}`;
  const presenceAll = (status: FlytePresence): Record<string, FlytePresence> => Object.fromEntries(clusters.map((c) => [c, status]));

  const state: FlyteEmulatorState = {
    secrets,
    storageId: (name, scope = {}) => storageIdOf(name, scope.domain ?? '', scope.project ?? ''),
    getSecret: (name, scope = {}) => secrets.get(storageIdOf(name, scope.domain ?? '', scope.project ?? '')),
    setSecret(spec) {
      const domain = spec.domain ?? '';
      const project = spec.project ?? '';
      if (project && !domain) throw new Error('a project-scoped secret needs a domain');
      const id = storageIdOf(spec.name, domain, project);
      const existing = secrets.get(id);
      const v = spec.value ?? randomBytes(8).toString('hex');
      for (const c of Object.keys(spec.clusterPresence ?? {})) if (!clusters.includes(c)) throw new Error(`unknown cluster ${c}`);
      const s: FlyteStoredSecret = {
        name: spec.name,
        organization: org,
        domain,
        project,
        type: spec.type ?? 'SECRET_TYPE_GENERIC',
        value: typeof v === 'string' ? new Uint8Array(Buffer.from(v, 'utf8')) : new Uint8Array(v),
        valueField: typeof v === 'string' ? 'stringValue' : 'binaryValue',
        createdTime: spec.createdTime ? rfc3339(spec.createdTime) : (existing?.createdTime ?? nowSeconds()),
        clusterPresence: { ...presenceAll('PRESENT'), ...(spec.clusterPresence ?? {}) },
      };
      if (spec.system) s.system = true;
      secrets.set(id, s);
      resourceVersion++;
      return s;
    },
    deleteSecret(name, scope = {}) {
      resourceVersion++;
      return secrets.delete(storageIdOf(name, scope.domain ?? '', scope.project ?? ''));
    },
    setPresence(name, scope, cluster, status) {
      const s = secrets.get(storageIdOf(name, scope.domain ?? '', scope.project ?? ''));
      if (!s) throw new Error(`unknown secret ${name}`);
      if (!clusters.includes(cluster)) throw new Error(`unknown cluster ${cluster}`);
      s.clusterPresence[cluster] = status;
    },
  };

  // --- tokens (HS256 JWT) ---
  const mint = (o: { clientId?: string; ttlSeconds?: number; scope?: string[] } = {}): string => {
    const nowSec = Date.now() / 1000;
    const claims = {
      iss: url,
      aud: audience ?? url,
      sub: o.clientId ?? clients[0]!.clientId,
      client_id: o.clientId ?? clients[0]!.clientId,
      scp: o.scope ?? scopes,
      iat: Math.floor(nowSec),
      // CHOICE: a fractional NumericDate (RFC 7519 allows it) so sub-second TTLs in tests are exact.
      exp: Math.round((nowSec + (o.ttlSeconds ?? tokenTtl)) * 1000) / 1000,
      jti: randomUUID(),
      gen: tokenGeneration,
    };
    const head = `${b64url(JSON.stringify({ alg: 'HS256', typ: 'JWT' }))}.${b64url(JSON.stringify(claims))}`;
    return `${head}.${createHmac('sha256', jwtSecret).update(head).digest('base64url')}`;
  };

  /** null when valid, else the unauthenticated message. */
  const tokenProblem = (token: string): string | null => {
    const parts = token.split('.');
    if (parts.length !== 3) return 'invalid access token';
    const expected = createHmac('sha256', jwtSecret).update(`${parts[0]}.${parts[1]}`).digest();
    const got = Buffer.from(parts[2]!, 'base64url');
    if (got.length !== expected.length || !timingSafeEqual(got, expected)) return 'invalid access token';
    let claims: Record<string, unknown>;
    try {
      claims = JSON.parse(Buffer.from(parts[1]!, 'base64url').toString('utf8')) as Record<string, unknown>;
    } catch {
      return 'invalid access token';
    }
    if (claims.gen !== tokenGeneration || typeof claims.exp !== 'number' || claims.exp <= Date.now() / 1000) return 'access token expired';
    return null;
  };

  /** A Connect interceptor: every call but AuthMetadataService's needs a valid bearer token. */
  const authInterceptor: Interceptor = (next) => async (req) => {
    if (req.service.typeName !== AUTH_METADATA_SERVICE) {
      const value = req.header.get(authKey);
      if (value === null || value === '') throw new ConnectError(`missing "${authKey}" metadata: expected "Bearer <access token>"`, Code.Unauthenticated);
      const m = /^([^ ]+) +(.+)$/.exec(value.trim());
      if (!m || m[1]!.toLowerCase() !== 'bearer') throw new ConnectError(`"${authKey}" metadata must be "Bearer <access token>"`, Code.Unauthenticated);
      const problem = tokenProblem(m[2]!);
      if (problem) throw new ConnectError(problem, Code.Unauthenticated);
    }
    return next(req);
  };

  // --- secret service helpers ---

  interface Id {
    name: string;
    organization: string;
    domain: string;
    project: string;
  }
  const idOf = (d: SecretIdentifier | undefined): Id => ({ name: d?.name ?? '', organization: d?.organization ?? '', domain: d?.domain ?? '', project: d?.project ?? '' });

  /** protovalidate (buf.validate) rules of the request, all violations in one message. */
  const validate = (msg: { id?: SecretIdentifier; secretSpec?: SecretSpec }, withSpecField: boolean): void => {
    const v: string[] = [];
    if (msg.id === undefined) v.push('id: value is required [required]');
    else {
      const name = msg.id.name;
      if ([...name].length < 1) v.push('id.name: value length must be at least 1 characters [string.min_len]');
      if (!NAME_RE.test(name)) v.push(`id.name: value does not match regex pattern \`${NAME_PATTERN}\` [string.pattern]`);
    }
    if (withSpecField && msg.secretSpec !== undefined && msg.secretSpec.value.case === undefined) {
      v.push('secret_spec.value: exactly one field is required in oneof [required]');
    }
    if (v.length) throw invalid(`validation error:${v.map((x) => `\n - ${x}`).join('')}`);
  };

  const checkOrg = (o: string): void => {
    if (o === '') {
      if (requireOrganization) throw invalid('organization is required');
      return;
    }
    if (o !== org) throw new ConnectError(`organization "${o}" does not match the caller's organization "${org}"`, Code.PermissionDenied);
  };

  const validateScope = (domain: string, project: string): void => {
    if (domain === '' && project !== '') {
      throw invalid(`project-scoped secrets must also specify a domain, got project=${JSON.stringify(project)} domain=${JSON.stringify(domain)}`);
    }
  };

  /** The id checks every RPC with an identifier makes, in order. */
  const checkId = (msg: { id?: SecretIdentifier; secretSpec?: SecretSpec }, withSpecField: boolean): Id => {
    validate(msg, withSpecField);
    const id = idOf(msg.id);
    checkOrg(id.organization);
    validateScope(id.domain, id.project);
    return id;
  };

  interface Value {
    bytes: Uint8Array;
    field: 'stringValue' | 'binaryValue';
    type: FlyteSecretType;
  }
  /** buildK8sSecret + the CHOICE checks of a write. */
  const checkWrite = (id: Id, spec: SecretSpec | undefined): Value => {
    let bytes: Uint8Array;
    let valueField: Value['field'];
    if (spec?.value.case === 'stringValue') {
      bytes = new Uint8Array(Buffer.from(spec.value.value, 'utf8'));
      valueField = 'stringValue';
    } else if (spec?.value.case === 'binaryValue') {
      bytes = new Uint8Array(spec.value.value);
      valueField = 'binaryValue';
    } else {
      throw invalid('string or binary value expected, got <nil>');
    }
    const type = SECRET_TYPE_NAMES[spec.type];
    if (type === undefined) throw invalid(`secret_spec.type: unknown secret type ${spec.type}`);
    if (type === 'SECRET_TYPE_IMAGE_PULL_SECRET' && (id.domain || id.project)) {
      throw invalid(`image pull secrets must be org-scoped: project ${JSON.stringify(id.project)} and domain ${JSON.stringify(id.domain)} must be empty`);
    }
    for (const [label, v] of [
      ['app.flyte.org/domain', id.domain],
      ['app.flyte.org/project', id.project],
    ] as const) {
      const p = labelValueProblem(v);
      if (p) throw invalid(`Secret is invalid: metadata.labels: Invalid value: ${JSON.stringify(v)}: ${p} (label ${label})`);
    }
    const key = storageIdOf(id.name, id.domain, id.project);
    if (key.length > 253) throw invalid(`Secret is invalid: data[${key}]: Invalid value: ${JSON.stringify(key)}: must be no more than 253 characters`);
    if (bytes.length > K8S_MAX_SECRET_BYTES) throw invalid(`Secret is invalid: data: Too long: must have at most ${K8S_MAX_SECRET_BYTES} bytes`);
    return { bytes, field: valueField, type };
  };

  const visible = (s: FlyteStoredSecret, includeSystem: boolean): boolean => includeSystem || !s.system;

  const statusOf = (s: FlyteStoredSecret) => {
    const entries = clusters.map((c) => s.clusterPresence[c] ?? 'UNKNOWN');
    let overallStatus: OverallStatus;
    if (clusters.length === 0 || entries.includes('UNKNOWN')) overallStatus = OverallStatus.UNKNOWN_STATUS;
    else if (entries.every((e) => e === 'PRESENT')) overallStatus = OverallStatus.FULLY_PRESENT;
    else overallStatus = OverallStatus.PARTIALLY_PRESENT;
    return { overallStatus, clusterStatus: clusters.map((c, i) => ({ cluster: { name: c }, presenceStatus: PRESENCE_NUM[entries[i]!] })) };
  };

  const metadataOf = (s: FlyteStoredSecret) => ({ createdTime: timestampFromDate(new Date(s.createdTime)), secretStatus: statusOf(s), type: SECRET_TYPE_NUM[s.type] });

  const lookup = (id: Id, includeSystem: boolean): FlyteStoredSecret => {
    const s = secrets.get(storageIdOf(id.name, id.domain, id.project));
    if (!s || !visible(s, includeSystem)) throw new ConnectError(`secret ${id.name} not found`, Code.NotFound);
    return s;
  };

  // --- continue tokens (k8s: base64url(JSON{v, rv, start})) ---
  const encodeContinue = (lastKey: string): string => b64url(JSON.stringify({ v: 'meta.k8s.io/v1', rv: resourceVersion, start: `${lastKey}\u0000` }));
  const decodeContinue = (token: string): string => {
    const bad = (): never => {
      throw invalid(`continue key is not valid: ${JSON.stringify(token)}`);
    };
    if (!/^[A-Za-z0-9_-]+$/.test(token)) bad();
    let o: unknown;
    try {
      o = JSON.parse(Buffer.from(token, 'base64url').toString('utf8'));
    } catch {
      return bad();
    }
    const t = o as { v?: unknown; rv?: unknown; start?: unknown };
    if (!o || typeof o !== 'object' || t.v !== 'meta.k8s.io/v1' || typeof t.rv !== 'number' || typeof t.start !== 'string' || !t.start.endsWith('\u0000')) bad();
    const start = (t.start as string).slice(0, -1);
    if (!/^[0-9a-f]{32}$/.test(start)) bad();
    return start;
  };

  // --- data-plane routing (Union: SelectCluster names where a scope's secrets live) ---
  const dataPlane = opts.dataPlane;
  const dataPlaneCluster = dataPlane?.cluster ?? clusters[0] ?? 'dp';
  let dataPlaneUrl: string | undefined;
  const routed = (domain: string, project: string): boolean => {
    if (!dataPlane) return false;
    if (dataPlane.scopes === 'all') return true;
    return dataPlane.scopes.some((x) => (x.domain ?? '') === domain && (x.project ?? '') === project);
  };
  const scopeText = (domain: string, project: string): string => (project ? `project ${project} / domain ${domain}` : domain ? `domain ${domain}` : 'the organization');
  /** A SecretService call on the listener that does not hold the scope: failed_precondition (CHOICE), so a client that skips SelectCluster is caught. */
  const checkPlane = (plane: Plane, domain: string, project: string): void => {
    const want = routed(domain, project) ? 'data' : 'control';
    if (plane === want) return;
    // A cluster pool's cluster (the data plane, with `clusterPools`) holds org-wide secrets too: the
    // SDK's --cluster-pool routes org-wide calls there by pool, not by scope.
    if (plane === 'data' && !domain && !project && dataPlane?.clusterPools?.length) return;
    if (want === 'data') {
      throw new ConnectError(
        `the secrets of ${scopeText(domain, project)} are stored on cluster ${JSON.stringify(dataPlaneCluster)}: resolve it with ${CLUSTER_SERVICE}/SelectCluster (OPERATION_USE_SECRETS) and call its endpoint`,
        Code.FailedPrecondition,
      );
    }
    throw new ConnectError(`cluster ${JSON.stringify(dataPlaneCluster)} does not store the secrets of ${scopeText(domain, project)}`, Code.FailedPrecondition);
  };

  const selectCluster = (msg: SelectClusterRequest, ctx: HandlerContext) => {
    // protovalidate (buf.validate) rules, all violations in one message. CHOICE: an empty
    // `organization` / org name means the emulator's org (as for SecretService; the rules say min_len 1)
    // unless requireOrganization.
    const v: string[] = [];
    const r = msg.resource;
    const op = msg.operation;
    if (r.case === undefined) v.push('resource: exactly one field is required in oneof [required]');
    if (op === SelectClusterRequest_Operation.UNSPECIFIED) v.push('operation: value must not be in list [0] [enum.not_in]');
    const minLen = (path: string, value: string) => {
      if (value === '') v.push(`${path}: value length must be at least 1 characters [string.min_len]`);
    };
    let orgName = '';
    if (r.case === 'orgId') {
      orgName = r.value.name;
      if (orgName !== '' && (orgName.length > 63 || !/^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/.test(orgName))) {
        v.push('org_id.name: value does not match regex pattern `^[a-z0-9]([-a-z0-9]*[a-z0-9])?$` [string.pattern]');
      }
    } else if (r.case === 'projectId') {
      orgName = r.value.organization;
      minLen('project_id.domain', r.value.domain);
      minLen('project_id.name', r.value.name);
    } else if (r.case === 'domainId') {
      orgName = r.value.organization;
      minLen('domain_id.name', r.value.name);
    } else if (r.case === 'clusterId') {
      orgName = r.value.organization;
      minLen('cluster_id.name', r.value.name);
    } else if (r.case === 'clusterPoolId') orgName = r.value.organization;
    if (v.length) throw invalid(`validation error:${v.map((x) => `\n - ${x}`).join('')}`);
    // CHOICE: the emulator routes secrets only; any other operation, or a resource secrets are not scoped by.
    if (op !== SelectClusterRequest_Operation.USE_SECRETS) {
      throw invalid(`operation ${SelectClusterRequest_OperationSchema.value[op]?.name ?? String(op)} is not supported by this server: only OPERATION_USE_SECRETS`);
    }
    let toData: boolean;
    if (r.case === 'clusterPoolId') toData = !!dataPlane?.clusterPools?.includes(r.value.name);
    else if (r.case === 'orgId') toData = routed('', '');
    else if (r.case === 'domainId') toData = routed(r.value.name, '');
    else if (r.case === 'projectId') toData = routed(r.value.domain, r.value.name);
    else throw invalid(`OPERATION_USE_SECRETS is resolved by org_id, domain_id, project_id or cluster_pool_id, not ${SelectClusterRequestSchema.field[r.case!]!.name}`);
    checkOrg(orgName);
    if (toData) {
      const a = dataPlane!.advertise;
      return { clusterEndpoint: typeof a === 'function' ? a(dataPlaneUrl!) : (a ?? dataPlaneUrl!), cluster: dataPlaneCluster };
    }
    if (selectClusterSelf === 'self') {
      // OSS: scheme from X-Forwarded-Proto (CHOICE: else the listener's, http unless `tls`) + the request's Host.
      const host = ctx.requestHeader.get('host') ?? '';
      const fwd = (ctx.requestHeader.get('x-forwarded-proto') ?? '').split(',')[0]!.trim().toLowerCase();
      const scheme = fwd === 'https' || fwd === 'http' ? fwd : new URL(ctx.url).protocol.replace(':', '');
      return host ? { clusterEndpoint: `${scheme}://${host}` } : {};
    }
    return {};
  };

  /** SecretService on one listener. */
  const secretService = (plane: Plane) => ({
    createSecret(msg: { id?: SecretIdentifier; secretSpec?: SecretSpec }) {
      const id = checkId(msg, true);
      checkPlane(plane, id.domain, id.project);
      const value = checkWrite(id, msg.secretSpec);
      const key = storageIdOf(id.name, id.domain, id.project);
      if (secrets.has(key)) throw new ConnectError(`secrets "${md5hex(key)}" already exists`, Code.AlreadyExists);
      secrets.set(key, {
        name: id.name,
        organization: org,
        domain: id.domain,
        project: id.project,
        type: value.type,
        value: value.bytes,
        valueField: value.field,
        createdTime: nowSeconds(),
        clusterPresence: presenceAll('PRESENT'),
      });
      resourceVersion++;
      return {};
    },
    updateSecret(msg: { id?: SecretIdentifier; secretSpec?: SecretSpec }) {
      const id = checkId(msg, true);
      checkPlane(plane, id.domain, id.project);
      const existing = lookup(id, false);
      const value = checkWrite(id, msg.secretSpec);
      existing.value = value.bytes;
      existing.valueField = value.field;
      existing.type = value.type;
      existing.clusterPresence = presenceAll('PRESENT');
      resourceVersion++;
      return {};
    },
    getSecret(msg: { id?: SecretIdentifier; includeSystemSecrets: boolean }) {
      const id = checkId(msg, false);
      checkPlane(plane, id.domain, id.project);
      const s = lookup(id, msg.includeSystemSecrets);
      return { secret: { id, secretMetadata: metadataOf(s) } };
    },
    deleteSecret(msg: { id?: SecretIdentifier; includeSystemSecrets: boolean }) {
      const id = checkId(msg, false);
      checkPlane(plane, id.domain, id.project);
      lookup(id, msg.includeSystemSecrets);
      secrets.delete(storageIdOf(id.name, id.domain, id.project));
      resourceVersion++;
      return {};
    },
    listSecrets(msg: { organization: string; domain: string; project: string; limit: number; token: string; includeSystemSecrets: boolean }) {
      const { domain, project } = msg;
      checkOrg(msg.organization);
      validateScope(domain, project);
      checkPlane(plane, domain, project);
      if (msg.limit < 0) throw invalid(`limit must be >= 0, got ${msg.limit}`);
      const limit = msg.limit || defaultListLimit;
      const startAfter = msg.token ? decodeContinue(msg.token) : '';
      const matches = (s: FlyteStoredSecret): boolean => {
        if (!visible(s, msg.includeSystemSecrets)) return false;
        if (listScope === 'exact') return s.domain === domain && s.project === project;
        return (domain === '' || s.domain === domain) && (project === '' || s.project === project);
      };
      const all = [...secrets.entries()]
        .filter(([, s]) => s.organization === org)
        .map(([k, s]) => ({ key: md5hex(k), s }))
        .sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
      let i = startAfter ? all.findIndex((x) => x.key > startAfter) : 0;
      if (i === -1) i = all.length;
      const page: Array<{ key: string; s: FlyteStoredSecret }> = [];
      for (; i < all.length; i++) {
        if (matches(all[i]!.s)) page.push(all[i]!);
        if (limit > 0 && page.length === limit) break;
      }
      return {
        secrets: page.map(({ s }) => ({ id: { name: s.name, domain: s.domain, project: s.project }, secretMetadata: metadataOf(s) })),
        token: limit > 0 && page.length === limit && i + 1 < all.length ? encodeContinue(page[page.length - 1]!.key) : '',
      };
    },
  });

  const authMetadataService = {
    getOAuth2Metadata: () => ({
      issuer: url,
      authorizationEndpoint: `${url}/oauth2/authorize`,
      tokenEndpoint: `${url}${TOKEN_PATH}`,
      responseTypesSupported: ['code', 'token', 'code token'],
      scopesSupported: scopes,
      tokenEndpointAuthMethodsSupported: ['client_secret_basic'],
      codeChallengeMethodsSupported: ['S256'],
      grantTypesSupported: ['client_credentials'],
    }),
    getPublicClientConfig: () => ({
      clientId: 'flytectl',
      redirectUri: 'http://localhost:53593/callback',
      scopes,
      authorizationMetadataKey: authKey,
      audience: audience ?? '',
    }),
  };

  // --- the Connect routers: one per listener ---
  const routerOptions: ConnectRouterOptions = {
    connect: true,
    grpc: false,
    grpcWeb: false,
    requireConnectProtocolHeader: requireVersion,
    readMaxBytes: READ_MAX_BYTES,
    acceptCompression: [compressionGzip],
    compressMinBytes: compressResponses ? 0 : Number.MAX_SAFE_INTEGER,
    jsonOptions: { ignoreUnknownFields: true },
    interceptors: [authInterceptor],
  };
  const routes = (plane: Plane): Map<string, Handler> => {
    const router = createConnectRouter(routerOptions);
    router.service(SecretService, secretService(plane));
    // The data plane serves only SecretService; an older server (clusterService: false) has no ClusterService.
    if (plane === 'control') {
      router.service(AuthMetadataService, authMetadataService);
      if (opts.clusterService !== false) router.service(ClusterService, { selectCluster });
    }
    return new Map(router.handlers.map((h) => [h.requestPath, h]));
  };
  const handlers: Record<Plane, Map<string, Handler>> = { control: routes('control'), data: routes('data') };

  // --- OAuth2 token endpoint ---
  const tokenEndpoint = (ctx: Ctx): Resp => {
    if (ctx.method !== 'POST') return oauthError(405, 'invalid_request', 'the token endpoint accepts POST only', { allow: 'POST' });
    const ct = String(ctx.req.headers['content-type'] ?? '');
    if (ct.split(';')[0]!.trim().toLowerCase() !== 'application/x-www-form-urlencoded') {
      return oauthError(400, 'invalid_request', 'the request body must be application/x-www-form-urlencoded');
    }
    let text: string;
    try {
      text = new TextDecoder('utf-8', { fatal: true }).decode(ctx.body);
    } catch {
      return oauthError(400, 'invalid_request', 'the request body is not valid UTF-8');
    }
    const form = new Map<string, string>();
    for (const pair of text.split('&')) {
      if (pair === '') continue;
      const eq = pair.indexOf('=');
      const k = formDecode(eq === -1 ? pair : pair.slice(0, eq));
      const v = formDecode(eq === -1 ? '' : pair.slice(eq + 1));
      if (k === null || v === null) return oauthError(400, 'invalid_request', 'malformed form encoding');
      if (v === '') continue; // RFC 6749 §3.1: parameters without a value are treated as omitted
      if (form.has(k)) return oauthError(400, 'invalid_request', `parameter ${k} is repeated`);
      form.set(k, v);
    }
    const grant = form.get('grant_type');
    if (grant === undefined) return oauthError(400, 'invalid_request', 'missing grant_type');

    const challenge = { 'www-authenticate': 'Basic realm="flyte"' };
    const authz = ctx.req.headers.authorization;
    if (authz === undefined) {
      if (form.has('client_secret')) return oauthError(401, 'invalid_client', 'client_secret_post is not supported: authenticate with HTTP Basic', challenge);
      return oauthError(401, 'invalid_client', 'client authentication required (HTTP Basic)', challenge);
    }
    if (form.has('client_secret')) return oauthError(400, 'invalid_request', 'more than one client authentication method');
    const m = /^([^ ]+) +([A-Za-z0-9+/]+={0,2})\s*$/.exec(authz);
    if (!m || m[1]!.toLowerCase() !== 'basic') return oauthError(401, 'invalid_client', 'malformed HTTP Basic credentials', challenge);
    const decoded = Buffer.from(m[2]!, 'base64').toString('utf8');
    const colon = decoded.indexOf(':');
    if (colon === -1) return oauthError(401, 'invalid_client', 'malformed HTTP Basic credentials', challenge);
    const clientId = formDecode(decoded.slice(0, colon));
    const clientSecret = formDecode(decoded.slice(colon + 1));
    if (clientId === null || clientSecret === null) return oauthError(401, 'invalid_client', 'malformed HTTP Basic credentials', challenge);
    const client = clients.find((c) => c.clientId === clientId);
    const secretOk = (want: string, got: string): boolean => {
      const a = Buffer.from(want);
      const b = Buffer.from(got);
      return a.length === b.length && timingSafeEqual(a, b);
    };
    if (!client || !secretOk(client.clientSecret, clientSecret)) return oauthError(401, 'invalid_client', 'client authentication failed', challenge);
    const bodyId = form.get('client_id');
    if (bodyId !== undefined && bodyId !== clientId) return oauthError(400, 'invalid_request', 'client_id does not match the authenticated client');

    if (grant !== 'client_credentials') return oauthError(400, 'unsupported_grant_type', `grant type ${JSON.stringify(grant)} is not supported`);
    const scopeParam = form.get('scope');
    const requested = scopeParam === undefined ? scopes : scopeParam.split(' ').filter((s) => s !== '');
    const unknownScope = requested.find((s) => !scopes.includes(s));
    if (unknownScope !== undefined) return oauthError(400, 'invalid_scope', `scope ${JSON.stringify(unknownScope)} is not available`);
    const aud = form.get('audience');
    if (aud !== undefined && aud !== audience) return oauthError(400, 'invalid_target', `audience ${JSON.stringify(aud)} is not accepted`);

    return {
      status: 200,
      body: JSON.stringify({ access_token: mint({ clientId: client.clientId, scope: requested }), token_type: 'Bearer', expires_in: Math.max(1, Math.ceil(tokenTtl)) }),
      headers: { 'content-type': 'application/json;charset=UTF-8', 'cache-control': 'no-store', pragma: 'no-cache' },
    };
  };

  // --- HTTP plumbing ---
  const send = (res: http.ServerResponse, r: Resp): void => {
    const headers: Record<string, string> = { ...r.headers };
    const body = r.body === undefined ? Buffer.alloc(0) : Buffer.isBuffer(r.body) ? r.body : Buffer.from(r.body, 'utf8');
    headers['content-length'] = String(body.length);
    res.writeHead(r.status, headers);
    res.end(body);
  };

  /** The logged body: decompressed; a binary request as the protojson of its decoded message. */
  const loggedBody = (path: string, req: http.IncomingMessage, body: Buffer): string => {
    let data = body;
    if (String(req.headers['content-encoding'] ?? '') === 'gzip' && body.length) {
      try {
        data = gunzipSync(body, { maxOutputLength: READ_MAX_BYTES + 1 });
      } catch {
        /* keep raw */
      }
    }
    const method = FLYTE_METHODS.get(path);
    if (method && PROTO_CONTENT_TYPE.test(String(req.headers['content-type'] ?? '').trim())) {
      try {
        return JSON.stringify(toJson(method.input, fromBinary(method.input, new Uint8Array(data))));
      } catch {
        /* undecodable: logged as text */
      }
    }
    return data.toString('utf8');
  };

  /** `protoCodec: false`: does the request ask for the binary codec? */
  const wantsProto = (req: http.IncomingMessage, method: string, query: URLSearchParams): boolean =>
    method === 'GET' ? query.get('encoding') === 'proto' : PROTO_CONTENT_TYPE.test(String(req.headers['content-type'] ?? '').trim());

  const handle = async (plane: Plane, req: http.IncomingMessage, res: http.ServerResponse): Promise<void> => {
    const start = Date.now();
    const chunks: Buffer[] = [];
    for await (const chunk of req as AsyncIterable<Buffer>) chunks.push(chunk);
    const body = Buffer.concat(chunks);
    const rawUrl = req.url ?? '/';
    const qi = rawUrl.indexOf('?');
    const path = qi === -1 ? rawUrl : rawUrl.slice(0, qi);
    const query = qi === -1 ? '' : rawUrl.slice(qi + 1);
    const method = (req.method ?? 'GET').toUpperCase();
    requests.push({ method, path, query, headers: { ...req.headers }, body: loggedBody(path, req, body), time: start, listener: plane });

    if (await faults.apply(req, method, path, (f) => send(res, { status: f.status, body: f.body, headers: faultHeaders(f) }))) return;

    if (path === TOKEN_PATH && plane === 'control') return send(res, tokenEndpoint({ req, method, body }));
    const handler = handlers[plane].get(path);
    if (!handler) return send(res, goNotFound());
    if (!protoCodec && wantsProto(req, method, new URLSearchParams(query))) return send(res, { status: 415, headers: { 'accept-post': ACCEPT_POST_JSON } });
    // connectNodeAdapter's work, with the body already read
    const uReq = universalRequestFromNodeRequest(req, res, undefined, undefined);
    const uRes = await handler({
      ...uReq,
      body: (async function* () {
        yield new Uint8Array(body);
      })(),
    });
    await universalResponseToNodeResponse(uRes, res);
  };

  const tls = opts.tls ? await selfSignedCertificate() : undefined;
  const listener = (plane: Plane): http.Server => {
    const onRequest = (req: http.IncomingMessage, res: http.ServerResponse): void => {
      handle(plane, req, res).catch(() => {
        if (!res.headersSent) send(res, { status: 500, body: 'Internal Server Error', headers: { 'content-type': 'text/plain; charset=utf-8' } });
        else res.destroy();
      });
    };
    // LocalServers only needs listen/close/closeAllConnections and 'connection', which https.Server has too
    return tls ? (https.createServer({ key: tls.key, cert: tls.cert }, onRequest) as unknown as http.Server) : http.createServer(onRequest);
  };
  const scheme = (u: string): string => (tls ? u.replace(/^http:/, 'https:') : u);
  const server = listener('control');
  url = scheme(await servers.listen(server, opts.port ?? 0));
  if (dataPlane) dataPlaneUrl = scheme(await servers.listen(listener('data'), dataPlane.port ?? 0));
  const port = (server.address() as AddressInfo).port;
  const endpoint = `dns:///127.0.0.1:${port}`;

  if (opts.seed) seedSecrets(state, clusters);

  const makeApiKey = (o: { endpoint?: string; clientId?: string; clientSecret?: string; org?: string } = {}): string => {
    const c = o.clientId !== undefined ? clients.find((x) => x.clientId === o.clientId) : clients[0];
    const id = o.clientId ?? c!.clientId;
    const secret = o.clientSecret ?? c?.clientSecret ?? '';
    return Buffer.from(`${o.endpoint ?? endpoint}:${id}:${secret}:${o.org ?? org}`, 'utf8').toString('base64');
  };

  return {
    url,
    dataPlaneUrl,
    endpoint,
    tlsCa: tls?.cert,
    org,
    clusters,
    apiKey: makeApiKey(),
    makeApiKey,
    clientId: clients[0]!.clientId,
    clientSecret: clients[0]!.clientSecret,
    clients,
    tokens: { mint: (o) => mint(o) },
    expireAllTokens: () => {
      tokenGeneration++;
    },
    requests,
    faults: faults.control,
    state,
    close: async () => {
      faults.clear();
      await servers.close();
    },
  };
}

/** Extra org-wide secrets so that ListSecrets with limit 10 needs more than one page. */
export const SEED_EXTRA_ORG_SECRETS = [
  'anthropic-key',
  'aws-access-key-id',
  'aws-secret-access-key',
  'cohere-api-key',
  'comet-api-key',
  'github-token',
  'mlflow-tracking-token',
  'neptune-api-token',
  'pinecone-api-key',
  'slack-webhook-url',
];

/**
 * Demo secrets (org = the emulator's org), random dummy values, fixed created times
 * 2026-05-01T10:00:00Z + n minutes:
 *   org-wide   openai-key, ghcr-pull (SECRET_TYPE_IMAGE_PULL_SECRET, a dockerconfigjson), and the 10
 *              SEED_EXTRA_ORG_SECRETS → 12 visible org-wide secrets
 *   org-wide   EAGER_API_KEY (system: hidden unless include_system_secrets)
 *   domain     development: wandb-key
 *   project    flytesnacks + domain development: hf-token, PRESENT on the first cluster only
 *              (PARTIALLY_PRESENT when there are 2+ clusters)
 */
function seedSecrets(state: FlyteEmulatorState, clusters: string[]): void {
  let n = 0;
  const t = () => new Date(Date.UTC(2026, 4, 1, 10, n++, 0)).toISOString().replace('.000Z', 'Z');
  const hex = (k: number) => randomBytes(k).toString('hex');
  const alnum = (k: number) => randomBytes(k * 2).toString('base64').replace(/[^A-Za-z0-9]/g, '').slice(0, k);
  state.setSecret({ name: 'openai-key', value: new TextEncoder().encode(`sk-${alnum(48)}`), createdTime: t() });
  state.setSecret({ name: 'wandb-key', domain: 'development', value: new TextEncoder().encode(hex(20)), createdTime: t() });
  const presence: Record<string, FlytePresence> = {};
  clusters.forEach((c, i) => (presence[c] = i === 0 ? 'PRESENT' : 'MISSING'));
  state.setSecret({ name: 'hf-token', domain: 'development', project: 'flytesnacks', value: new TextEncoder().encode(`hf_${alnum(34)}`), createdTime: t(), clusterPresence: presence });
  const user = 'ml-bot';
  const pass = `ghp_${alnum(36)}`;
  const dockerconfig = { auths: { 'ghcr.io': { username: user, password: pass, auth: Buffer.from(`${user}:${pass}`).toString('base64') } } };
  state.setSecret({ name: 'ghcr-pull', type: 'SECRET_TYPE_IMAGE_PULL_SECRET', value: new TextEncoder().encode(JSON.stringify(dockerconfig)), createdTime: t() });
  state.setSecret({ name: 'EAGER_API_KEY', system: true, value: new TextEncoder().encode(alnum(40)), createdTime: t() });
  for (const name of SEED_EXTRA_ORG_SECRETS) state.setSecret({ name, value: new TextEncoder().encode(alnum(32)), createdTime: t() });
}
