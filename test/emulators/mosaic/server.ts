/**
 * A strict emulator of MosaicML's `mcli` GraphQL API ("MAPI") for secrets, for tests:
 *   POST <path> (default /graphql)   one endpoint; the document decides the operation:
 *     query    getSecrets(getSecretsData: GetSecretsInput!): [Secret!]!
 *     mutation createSecret(createSecretData: CreateSecretInput!): [Secret!]!
 *     mutation deleteSecrets(getSecretsData: GetSecretsInput!): [Secret!]!
 *
 * Spec: docs/platform-apis.md §3 and §5 (cross-checked against the mcli sources it cites:
 * mcli/api/secrets/api_{get,create,delete}_secret(s).py, mcli/api/engine/engine.py,
 * mcli/api/exceptions.py, mcli/models/mcli_secret.py, mcli/objects/secrets/*.py,
 * mcli/utils/utils_string_validation.py).
 *
 * Faithful details:
 *  - Auth: `Authorization: <API key>` verbatim (no "Bearer"); or `Authorization: Bearer <access token>`
 *    (the MOSAICML_ACCESS_TOKEN_FILE / Databricks PAT style). Every secret belongs to exactly one user
 *    and is visible to that user only.
 *  - `data.<field>` is a LIST for all three operations (createSecret returns one item).
 *  - Errors are GraphQL `errors[]` items `{message, locations?, path?, extensions: {code: <int>}}`
 *    with int HTTP-like codes (400, 401, 403, 409, ...), which is what mcli maps.
 *  - Items: `id name type metadata createdAt`; createdAt like `2024-01-02T03:04:05.678Z`.
 *  - Secret types and `createSecretData` keys as in §3.3; name rule = mcli's validate_secret_name.
 *
 * The GraphQL layer is graphql-js: the schema below as SDL, `parse`, `validate` (specifiedRules plus
 * the emulator's restrictions as extra rules), `getVariableValues`, `executeSync` — so any whitespace,
 * commas, comments, field order, inline literals, variable defaults are fine and every parse /
 * validation / coercion error is graphql-js's own text. Places where the spec is silent are marked
 * "CHOICE:" below; the README lists them all.
 *
 * HTTP status summary (CHOICE, modelled on Apollo Server, which MAPI is built on — mcli's
 * exceptions.py cites the Apollo docs; mcli itself parses the JSON body whatever the status):
 *   success                                               200 {"data": {...}}
 *   resolver errors (400 input rules, 403, 409)           200 {"errors": [...], "data": null}
 *   missing / unknown Authorization (code 401)            200 {"errors": [...]}   (option authFailureStatus)
 *   bad Content-Type / body, GraphQL syntax, validation,
 *     unknown operationName, variable coercion (code 400) 400 {"errors": [...]}
 *   other method on the endpoint (code 405)               405 {"errors": [...]}, Allow: POST
 *   any other path                                        404 text/html "Cannot POST /x" (Express default;
 *                                                         non-JSON, i.e. mcli's `from_bad_response` path)
 */
import { randomBytes, randomUUID } from 'node:crypto';
import * as http from 'node:http';
import {
  ASTNode,
  ASTVisitor,
  buildSchema,
  DocumentNode,
  executeSync,
  getLocation,
  getNullableType,
  getOperationAST,
  getVariableValues,
  GraphQLError,
  GraphQLInputType,
  GraphQLSchema,
  isInputObjectType,
  isListType,
  isNonNullType,
  Kind,
  OperationDefinitionNode,
  OperationTypeNode,
  parse,
  print,
  specifiedRules,
  typeFromAST,
  validate,
  ValidationContext,
  ValueNode,
} from 'graphql';
import { FaultControl, FaultQueue, faultHeaders } from '../common/faults';
import { LocalServers } from '../common/http';
import { ALNUM, randomToken } from '../common/random';
import { LoggedRequestBase } from '../common/requests';

export type { FaultSpec } from '../common/faults';

// ---------------------------------------------------------------------------------------------
// Public API
// ---------------------------------------------------------------------------------------------

export type MapiSecretType = 'ENV_VAR' | 'MOUNTED' | 'SSH' | 'GIT_SSH' | 'SFTP_SSH' | 'GCP' | 'S3' | 'OCI' | 'DOCKER_REGISTRY' | 'DATABRICKS';

export const MAPI_SECRET_TYPES: readonly MapiSecretType[] = ['ENV_VAR', 'MOUNTED', 'SSH', 'GIT_SSH', 'SFTP_SSH', 'GCP', 'S3', 'OCI', 'DOCKER_REGISTRY', 'DATABRICKS'];

/** `createSecretData` key → MAPI type (§3.3). */
export const CREATE_SECRET_KEYS: Readonly<Record<string, MapiSecretType>> = {
  envVarSecret: 'ENV_VAR',
  mountedSecret: 'MOUNTED',
  sshSecret: 'SSH',
  gitSSHSecret: 'GIT_SSH',
  sftpSSHSecret: 'SFTP_SSH',
  gcpSecret: 'GCP',
  s3Secret: 'S3',
  ociSecret: 'OCI',
  dockerRegistrySecret: 'DOCKER_REGISTRY',
  databricksSecret: 'DATABRICKS',
};

export interface MosaicEmulatorOptions {
  /** 0 (default) = a free port. Always bound to 127.0.0.1. */
  port?: number;
  /** Default ['alice', 'bob']. */
  users?: string[];
  /** Demo secrets with random dummy values (see README). Default false. */
  seed?: boolean;
  /** The GraphQL endpoint path. Default '/graphql'. */
  path?: string;
  /**
   * HTTP status of the answer to a missing / unknown Authorization (the body is always the GraphQL
   * errors envelope with extensions.code 401). CHOICE: default 200, the usual GraphQL-server habit
   * (mcli: "Check response for errors in the header (typically 401/403)").
   */
  authFailureStatus?: number;
}

export interface LoggedRequest extends LoggedRequestBase {
  /** Raw request target (path + query string). */
  url: string;
  /** Body `operationName` when it is a string, else the name of the (first) operation in `query`. */
  operationName?: string;
  /** Body `variables` (when the body is a JSON object that has them). */
  variables?: unknown;
}

export interface MosaicStoredSecret {
  /** CHOICE: a random UUID. */
  id: string;
  name: string;
  type: MapiSecretType;
  /** {key} | {mountPath} | {mountDirectory} | {} (docker registry, databricks). */
  metadata: Record<string, unknown>;
  /**
   * string (ENV_VAR, MOUNTED, SSH, GIT_SSH, SFTP_SSH, GCP) | {config, credentials, profile?} (S3) |
   * {config, keyFile} (OCI) | {username, password, email?, server} (DOCKER_REGISTRY) |
   * {host, token} (DATABRICKS). Never sent in responses.
   */
  value: unknown;
  /** `2024-01-02T03:04:05.678Z` */
  createdAt: string;
}

export interface MosaicSetSecretSpec {
  name: string;
  type: MapiSecretType;
  /** Default by type: ENV_VAR {key: NAME_UPPER}, mount types {mountPath: /secrets/<name>}, S3/OCI {mountDirectory: /secrets/<name>}, else {}. */
  metadata?: Record<string, unknown>;
  value: unknown;
  id?: string;
  createdAt?: string;
}

export interface MosaicEmulatorState {
  /** user → name → secret, in creation order. Mutate freely (read on every request). */
  secrets: Map<string, Map<string, MosaicStoredSecret>>;
  /** Create, or replace (delete + recreate, moving it to the end) a secret of `user`. No validation. */
  setSecret(user: string, spec: MosaicSetSecretSpec): MosaicStoredSecret;
  getSecret(user: string, name: string): MosaicStoredSecret | undefined;
  deleteSecret(user: string, name: string): boolean;
  /** The user's secrets in creation order. */
  list(user: string): MosaicStoredSecret[];
}

export interface MosaicEmulator {
  /** http://127.0.0.1:PORT */
  url: string;
  /** http://127.0.0.1:PORT/graphql — what MOSAICML_API_ENDPOINT holds. */
  endpoint: string;
  /** user → API key, sent verbatim as the Authorization header. Read live: delete an entry to revoke it. */
  apiKeys: Record<string, string>;
  /** user → access token accepted as `Authorization: Bearer <token>`. Read live as well. */
  bearerTokens: Record<string, string>;
  requests: LoggedRequest[];
  faults: FaultControl;
  state: MosaicEmulatorState;
  close(): Promise<void>;
}

export const DEFAULT_USERS = ['alice', 'bob'];

// ---------------------------------------------------------------------------------------------
// Schema (CHOICE: every type name other than GetSecretsInput / CreateSecretInput, and the exact
// nullability, are not in the spec; required = what §3.3 lists as required)
// ---------------------------------------------------------------------------------------------

const MOUNT_PATH_INPUTS = ['MountedSecretInput', 'SSHSecretInput', 'GitSSHSecretInput', 'SFTPSSHSecretInput', 'GCPSecretInput'];

/**
 * The emulator's schema in SDL. CHOICE: `value` is NOT a field of Secret (responses never carry
 * values; §3.2 marks it [U]), so selecting it is a validation error. metadata is a JSON scalar (no
 * sub-selection). mcli sends `email: None` (JSON null) when no docker e-mail was given.
 */
export const MOSAIC_SDL = `
scalar JSON
enum SecretType { ${MAPI_SECRET_TYPES.join(' ')} }
input GetSecretsInput { filters: SecretFiltersInput! entity: EntityInput }
input SecretFiltersInput { name: StringInFilterInput type: SecretTypeInFilterInput }
input StringInFilterInput { in: [String!]! }
input SecretTypeInFilterInput { in: [SecretType!]! }
input EntityInput { userIds: [String!] organizationIds: [String!] }
input CreateSecretInput {
  envVarSecret: EnvVarSecretInput
  mountedSecret: MountedSecretInput
  sshSecret: SSHSecretInput
  gitSSHSecret: GitSSHSecretInput
  sftpSSHSecret: SFTPSSHSecretInput
  gcpSecret: GCPSecretInput
  s3Secret: S3SecretInput
  ociSecret: OCISecretInput
  dockerRegistrySecret: DockerRegistrySecretInput
  databricksSecret: DatabricksSecretInput
  entity: EntityInput
}
input EnvVarSecretInput { name: String! metadata: EnvVarSecretMetadataInput! value: String! }
input EnvVarSecretMetadataInput { key: String! }
${MOUNT_PATH_INPUTS.map((n) => `input ${n} { name: String! metadata: MountPathMetadataInput! value: String! }`).join('\n')}
input MountPathMetadataInput { mountPath: String! }
input MountDirectoryMetadataInput { mountDirectory: String! }
input S3SecretInput { name: String! metadata: MountDirectoryMetadataInput! value: S3SecretValueInput! }
input S3SecretValueInput { config: String! credentials: String! profile: String }
input OCISecretInput { name: String! metadata: MountDirectoryMetadataInput! value: OCISecretValueInput! }
input OCISecretValueInput { config: String! keyFile: String! }
input DockerRegistrySecretInput { name: String! value: DockerRegistrySecretValueInput! }
input DockerRegistrySecretValueInput { username: String! password: String! email: String server: String! }
input DatabricksSecretInput { name: String! value: DatabricksSecretValueInput! }
input DatabricksSecretValueInput { host: String! token: String! }
type Secret { id: ID! name: String! type: SecretType! metadata: JSON! createdAt: String! }
type Query { getSecrets(getSecretsData: GetSecretsInput!): [Secret!]! }
type Mutation {
  createSecret(createSecretData: CreateSecretInput!): [Secret!]!
  deleteSecrets(getSecretsData: GetSecretsInput!): [Secret!]!
}
`;

const SCHEMA: GraphQLSchema = buildSchema(MOSAIC_SDL);

// ---------------------------------------------------------------------------------------------
// Errors
// ---------------------------------------------------------------------------------------------

interface Loc {
  line: number;
  column: number;
}

interface GqlError {
  message: string;
  locations?: readonly Loc[];
  path?: ReadonlyArray<string | number>;
  extensions: { code: number };
}

const gqlError = (message: string, code: number, locations?: readonly Loc[], path?: ReadonlyArray<string | number>): GqlError => ({
  message,
  ...(locations?.length ? { locations } : {}),
  ...(path ? { path } : {}),
  extensions: { code },
});

/** A graphql-js error in the emulator's shape (int code in extensions). */
const fromGraphQLError = (e: GraphQLError, code: number): GqlError => gqlError(e.message, code, e.locations, e.path);

/** A resolver error: 200 `{errors, data: null}`. */
class MapiError extends Error {
  constructor(
    readonly code: number,
    message: string,
  ) {
    super(message);
  }
}

// ---------------------------------------------------------------------------------------------
// Validation: graphql-js's specifiedRules plus the emulator's CHOICE restrictions
// ---------------------------------------------------------------------------------------------

const EMU = 'the MosaicML emulator';

/** CHOICE: what mcli never sends is rejected — see the README's "Strictness". */
function emulatorRestrictions(ctx: ValidationContext): ASTVisitor {
  const report = (message: string, node: ASTNode | undefined) => ctx.reportError(new GraphQLError(message, { nodes: node }));
  const noFragments = (node: ASTNode) => report(`Fragments are not supported by ${EMU}.`, node);
  return {
    Document(doc) {
      const ops = doc.definitions.filter((d): d is OperationDefinitionNode => d.kind === Kind.OPERATION_DEFINITION);
      if (ops.length !== 1) report(`The MosaicML emulator expects exactly one operation per document, got ${ops.length}.`, ops[1] ?? doc.definitions[0]);
    },
    OperationDefinition(op) {
      if (op.operation === OperationTypeNode.SUBSCRIPTION) report('Schema is not configured to execute subscription operation.', op);
      const n = op.selectionSet.selections.length;
      if (n !== 1) report(`The MosaicML emulator expects exactly one root field per operation, got ${n}.`, op.selectionSet.selections[1]);
    },
    FragmentDefinition: noFragments,
    FragmentSpread: noFragments,
    InlineFragment: noFragments,
    Field(f) {
      if (f.alias) report(`Aliases are not supported by ${EMU} ("${f.alias.value}: ${f.name.value}").`, f);
      if (f.name.value.startsWith('__')) report(`Introspection ("${f.name.value}") is not supported by ${EMU}.`, f);
    },
    Directive(d) {
      // Unknown directives get graphql-js's "Unknown directive"; @include / @skip are not emulated.
      if (d.name.value === 'include' || d.name.value === 'skip') report(`Directive "@${d.name.value}" is not supported by ${EMU}.`, d);
    },
  };
}

/** Literals of a list type must be lists. CHOICE: stricter than GraphQL, which wraps a single value into a list. */
function strictListLiterals(ctx: ValidationContext): ASTVisitor {
  const check = (node: ValueNode) => {
    const type = ctx.getInputType();
    if (type && isListType(getNullableType(type))) {
      ctx.reportError(new GraphQLError(`Expected value of type "${String(type)}", found ${print(node)}.`, { nodes: node }));
    }
  };
  return { StringValue: check, IntValue: check, FloatValue: check, BooleanValue: check, EnumValue: check, ObjectValue: check };
}

const RULES = [...specifiedRules, emulatorRestrictions, strictListLiterals];

// ---------------------------------------------------------------------------------------------
// Variables: graphql-js coerces; the emulator adds two CHOICE checks
// ---------------------------------------------------------------------------------------------

const isPlainObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** CHOICE: a single value in a list position is an error (graphql-js would wrap it into a list). */
function strictListVariable(value: unknown, type: GraphQLInputType, path: Array<string | number>, report: (path: Array<string | number>, value: unknown, type: GraphQLInputType) => void): void {
  if (isNonNullType(type)) {
    if (isListType(type.ofType) && value !== null && value !== undefined && !Array.isArray(value)) return report(path, value, type);
    return strictListVariable(value, type.ofType, path, report);
  }
  if (value === null || value === undefined) return;
  if (isListType(type)) {
    if (!Array.isArray(value)) return report(path, value, type);
    value.forEach((v, i) => strictListVariable(v, type.ofType, [...path, i], report));
    return;
  }
  if (isInputObjectType(type) && isPlainObject(value)) {
    for (const [n, f] of Object.entries(type.getFields())) {
      if (Object.prototype.hasOwnProperty.call(value, n)) strictListVariable(value[n], f.type, [...path, n], report);
    }
  }
}

/** Variable errors (HTTP 400): undeclared variables (CHOICE), single values for lists (CHOICE), then graphql-js's coercion. */
function variableErrors(op: OperationDefinitionNode, variables: Record<string, unknown>): GqlError[] {
  const errors: GqlError[] = [];
  for (const k of Object.keys(variables)) {
    // CHOICE: GraphQL ignores extra variables; the emulator rejects them (a misrouted payload).
    if (!(op.variableDefinitions ?? []).some((d) => d.variable.name.value === k)) errors.push(gqlError(`Variable "$${k}" is not defined by the operation.`, 400));
  }
  for (const d of op.variableDefinitions ?? []) {
    const name = d.variable.name.value;
    const type = typeFromAST(SCHEMA, d.type) as GraphQLInputType | undefined;
    if (!type || !Object.prototype.hasOwnProperty.call(variables, name)) continue;
    strictListVariable(variables[name], type, [], (path, value, t) => {
      const at = path.length ? ` at "${name}${path.map((p) => (typeof p === 'number' ? `[${p}]` : `.${p}`)).join('')}"` : '';
      errors.push(gqlError(`Variable "$${name}" got invalid value ${JSON.stringify(value)}${at}; Expected type "${String(t)}" to be a list.`, 400, d.loc ? [getLocation(d.loc.source, d.loc.start)] : undefined));
    });
  }
  if (errors.length) return errors;
  const coerced = getVariableValues(SCHEMA, op.variableDefinitions ?? [], variables);
  return 'errors' in coerced && coerced.errors ? coerced.errors.map((e) => fromGraphQLError(e, 400)) : [];
}

// ---------------------------------------------------------------------------------------------
// Input rules checked by the resolvers (code 400, HTTP 200) — mcli's client-side validators, which
// the spec marks as the only known rules (CHOICE: the server enforces them too, with mcli's texts)
// ---------------------------------------------------------------------------------------------

const LOWER_DIGITS = 'abcdefghijklmnopqrstuvwxyz0123456789';

/** mcli `rfc_verification`: returns mcli's message, or null when valid. */
function rfcVerification(text: string, length: number, special: string, shown: string, startAlnum: boolean, endAlnum: boolean): string | null {
  const n = [...text].length;
  if (n > length || n === 0) return `Name must be less than ${length} characters`;
  if (!new RegExp(`^[a-z0-9${special}]*$`).test(text)) return `Valid characters are only regex [${LOWER_DIGITS}${shown}]`;
  if (startAlnum && !/^[a-z0-9]/.test(text)) return 'The first character must be alphanumeric';
  if (endAlnum && !/[a-z0-9]$/.test(text)) return 'The last character must be alphanumeric';
  return null;
}

/** validate_secret_name → validate_dns_subdomain_name (≤ 253, [a-z0-9.-], alphanumeric first and last). */
export function secretNameProblem(name: string): string | null {
  const p = rfcVerification(name, 253, '\\-\\.', '\\-\\.', true, true);
  return p && `Invalid secret name ${JSON.stringify(name)}: ${p}. Secret names must be at most 253 characters of lowercase letters, digits, '-' and '.', and start and end with a letter or digit`;
}

/** validate_secret_key (≤ 253, [A-Za-z0-9._-]). CHOICE: applied to envVarSecret metadata.key. */
function envKeyProblem(key: string): string | null {
  const p = rfcVerification(key, 253, '\\-\\._A-Z', '\\-\\._A-Z', false, false);
  return p && `Invalid metadata.key ${JSON.stringify(key)}: ${p}`;
}

/** validate_simple_absolute_filename / _directory. CHOICE: applied to mountPath / mountDirectory. */
function pathProblem(field: string, path: string, isFile: boolean): string | null {
  const p = rfcVerification(path, 253, '\\-\\._/', '\\-\\._/', false, false);
  const bad = (m: string) => `Invalid metadata.${field} ${JSON.stringify(path)}: ${m}`;
  if (p) return bad(p);
  if (!path.startsWith('/')) return bad("Path must be absolute and start with '/'");
  if (isFile && path.endsWith('/')) return bad('Must end with a valid filename');
  return null;
}

// ---------------------------------------------------------------------------------------------
// Helpers
// ---------------------------------------------------------------------------------------------

const JSON_CT = 'application/json; charset=utf-8';

function reason(status: number): string {
  return http.STATUS_CODES[status] ?? 'Unknown';
}

function defaultMetadata(type: MapiSecretType, name: string): Record<string, unknown> {
  switch (type) {
    case 'ENV_VAR':
      return { key: name.toUpperCase().replace(/[^A-Z0-9_]/g, '_') };
    case 'MOUNTED':
    case 'SSH':
    case 'GIT_SSH':
    case 'SFTP_SSH':
    case 'GCP':
      return { mountPath: `/secrets/${name}` };
    case 'S3':
    case 'OCI':
      return { mountDirectory: `/secrets/${name}` };
    default:
      return {};
  }
}

function escapeHtml(s: string): string {
  return s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

interface Resp {
  status: number;
  body: string;
  headers: Record<string, string>;
}

const jsonResp = (status: number, payload: unknown, headers: Record<string, string> = {}): Resp => ({
  status,
  body: JSON.stringify(payload),
  headers: { 'content-type': JSON_CT, ...headers },
});

const errorsResp = (status: number, errors: GqlError[], withData = false): Resp =>
  jsonResp(status, withData ? { errors, data: null } : { errors });

// ---------------------------------------------------------------------------------------------
// Server
// ---------------------------------------------------------------------------------------------

export async function startMosaicEmulator(opts: MosaicEmulatorOptions = {}): Promise<MosaicEmulator> {
  const userNames = opts.users ?? DEFAULT_USERS;
  if (userNames.length === 0) throw new Error('startMosaicEmulator: users must not be empty');
  if (new Set(userNames).size !== userNames.length) throw new Error('startMosaicEmulator: duplicate user names');
  const gqlPath = opts.path ?? '/graphql';
  if (!gqlPath.startsWith('/')) throw new Error('startMosaicEmulator: path must start with "/"');
  const authFailureStatus = opts.authFailureStatus ?? 200;

  const apiKeys: Record<string, string> = {};
  const bearerTokens: Record<string, string> = {};
  for (const u of userNames) {
    // CHOICE: key formats are not specified; random, distinct per user.
    apiKeys[u] = randomToken(ALNUM, 40);
    bearerTokens[u] = `dapi${randomBytes(16).toString('hex')}`;
  }

  const secrets = new Map<string, Map<string, MosaicStoredSecret>>();
  for (const u of userNames) secrets.set(u, new Map());
  const userMap = (user: string): Map<string, MosaicStoredSecret> => {
    const m = secrets.get(user);
    if (!m) throw new Error(`unknown user: ${user}`);
    return m;
  };

  const state: MosaicEmulatorState = {
    secrets,
    setSecret(user, spec) {
      if (!MAPI_SECRET_TYPES.includes(spec.type)) throw new Error(`unknown secret type: ${spec.type}`);
      const m = userMap(user);
      const s: MosaicStoredSecret = {
        id: spec.id ?? randomUUID(),
        name: spec.name,
        type: spec.type,
        metadata: { ...(spec.metadata ?? defaultMetadata(spec.type, spec.name)) },
        value: spec.value,
        createdAt: spec.createdAt ?? new Date().toISOString(),
      };
      m.delete(spec.name);
      m.set(spec.name, s);
      return s;
    },
    getSecret: (user, name) => userMap(user).get(name),
    deleteSecret: (user, name) => userMap(user).delete(name),
    list: (user) => [...userMap(user).values()],
  };

  const requests: LoggedRequest[] = [];
  // CHOICE: a fault body defaults to `{"errors":[{"message":"<reason phrase>","extensions":{"code":<status>}}]}`.
  const faults = new FaultQueue({ faultBody: (s) => JSON.stringify({ errors: [gqlError(reason(s), s)] }), jsonContentType: JSON_CT });
  const servers = new LocalServers();

  // --- auth ------------------------------------------------------------------------------------

  /** The user, or an error message. Reads apiKeys / bearerTokens live. */
  const authenticate = (header: string | undefined): { user: string } | { error: string } => {
    if (header === undefined || header === '') {
      return { error: 'Unauthorized: no API key was sent. Send the API key (verbatim) in the Authorization header' };
    }
    for (const [u, k] of Object.entries(apiKeys)) if (secrets.has(u) && k === header) return { user: u };
    // CHOICE: the auth scheme is matched case-insensitively (RFC 9110); exactly one space.
    const m = /^bearer (\S+)$/i.exec(header);
    if (m) {
      for (const [u, t] of Object.entries(bearerTokens)) if (secrets.has(u) && t === m[1]) return { user: u };
    }
    // An API key sent as "Bearer <key>" is rejected: mcli sends API keys verbatim.
    return { error: 'Unauthorized: the API key or access token is invalid' };
  };

  // --- resolvers -------------------------------------------------------------------------------

  const checkEntity = (input: Record<string, unknown>): void => {
    // CHOICE: the emulator has no admins; admin-only entity targeting (§3.2) → 403.
    if (input.entity !== undefined && input.entity !== null) {
      throw new MapiError(403, 'Only admins may target other users or organizations (entity.userIds / entity.organizationIds)');
    }
  };

  const matching = (user: string, input: Record<string, unknown>): MosaicStoredSecret[] => {
    const filters = (input.filters ?? {}) as Record<string, { in: string[] } | null | undefined>;
    const names = filters.name ? new Set(filters.name.in) : null;
    const types = filters.type ? new Set(filters.type.in) : null;
    // CHOICE: an empty `in` list matches nothing (SQL `IN ()`); an absent / null filter matches all.
    return state.list(user).filter((s) => (!names || names.has(s.name)) && (!types || types.has(s.type)));
  };

  const createSecret = (user: string, input: Record<string, unknown>): MosaicStoredSecret[] => {
    const given = Object.keys(input).filter((k) => k !== 'entity');
    const all = Object.keys(CREATE_SECRET_KEYS).join(', ');
    if (given.length !== 1) {
      throw new MapiError(400, `createSecretData must contain exactly one secret type (one of ${all}); got ${given.length ? given.map((k) => (input[k] === null ? `${k} (null)` : k)).join(', ') : 'none'}`);
    }
    const key = given[0]!;
    const body = input[key] as Record<string, unknown> | null;
    // CHOICE (like @oneOf): the one type key must not be null.
    if (body === null) throw new MapiError(400, `createSecretData.${key} must not be null`);
    checkEntity(input);
    const type = CREATE_SECRET_KEYS[key]!;
    const name = body.name as string;
    const problem = secretNameProblem(name);
    if (problem) throw new MapiError(400, problem);
    const metadata = (body.metadata ?? {}) as Record<string, string>;
    let metaProblem: string | null = null;
    if (type === 'ENV_VAR') metaProblem = envKeyProblem(metadata.key!);
    else if ('mountPath' in metadata) metaProblem = pathProblem('mountPath', metadata.mountPath!, true);
    else if ('mountDirectory' in metadata) metaProblem = pathProblem('mountDirectory', metadata.mountDirectory!, false);
    if (metaProblem) throw new MapiError(400, metaProblem);
    const value = body.value as string | Record<string, string | null>;
    // CHOICE: every given value string must be non-empty (an empty secret is a client bug).
    if (typeof value === 'string') {
      if (value === '') throw new MapiError(400, `${key}.value must not be empty`);
    } else {
      for (const [k, v] of Object.entries(value)) {
        if (v === '') throw new MapiError(400, `${key}.value.${k} must not be empty`);
      }
    }
    if (type === 'GCP') {
      // CHOICE: the GCP value must be the service-account key JSON (an object).
      let parsed: unknown;
      try {
        parsed = JSON.parse(value as string);
      } catch (e) {
        throw new MapiError(400, `gcpSecret.value must be the service-account key JSON: ${(e as Error).message}`);
      }
      if (!isPlainObject(parsed)) throw new MapiError(400, 'gcpSecret.value must be the service-account key JSON (an object)');
    }
    if (userMap(user).has(name)) {
      throw new MapiError(409, `A secret named "${name}" already exists. Secret names are unique per user: delete the existing secret first or choose another name`);
    }
    let stored: unknown = value;
    if (typeof value !== 'string') {
      // Drop null optionals (docker email: null) from the stored value.
      stored = Object.fromEntries(Object.entries(value).filter(([, v]) => v !== null && v !== undefined));
    }
    return [state.setSecret(user, { name, type, metadata: { ...metadata }, value: stored })];
  };

  const resolve = (user: string, field: string, args: Record<string, unknown>): MosaicStoredSecret[] => {
    switch (field) {
      case 'getSecrets': {
        const input = args.getSecretsData as Record<string, unknown>;
        checkEntity(input);
        return matching(user, input);
      }
      case 'deleteSecrets': {
        const input = args.getSecretsData as Record<string, unknown>;
        checkEntity(input);
        // CHOICE: names that do not exist are ignored (the answer lists what was deleted; [] is no error).
        const victims = matching(user, input);
        for (const s of victims) userMap(user).delete(s.name);
        return victims;
      }
      case 'createSecret':
        return createSecret(user, args.createSecretData as Record<string, unknown>);
      default:
        throw new MapiError(500, `no resolver for ${field}`);
    }
  };

  // --- the GraphQL request ---------------------------------------------------------------------

  const graphql = (ctx: { req: http.IncomingMessage; method: string; body: Buffer }): Resp => {
    if (ctx.method !== 'POST') {
      return jsonResp(405, { errors: [gqlError(`Method ${ctx.method} not allowed: the MAPI endpoint only accepts POST`, 405)] }, { allow: 'POST' });
    }
    const auth = authenticate(ctx.req.headers.authorization);
    if ('error' in auth) return errorsResp(authFailureStatus, [gqlError(auth.error, 401)]);
    const user = auth.user;

    const bad = (message: string) => errorsResp(400, [gqlError(message, 400)]);

    // Envelope.
    const ct = ctx.req.headers['content-type'];
    const media = (ct ?? '').split(';')[0]!.trim().toLowerCase();
    if (media !== 'application/json') {
      return bad(`Content-Type must be application/json, got ${ct === undefined ? 'none' : JSON.stringify(ct)}`);
    }
    const charset = /;\s*charset\s*=\s*"?([^";\s]+)/i.exec(ct ?? '');
    if (charset && !/^utf-?8$/i.test(charset[1]!)) return bad(`Unsupported charset "${charset[1]}" (only utf-8)`);
    let text: string;
    try {
      text = new TextDecoder('utf-8', { fatal: true }).decode(ctx.body);
    } catch {
      return bad('POST body is not valid UTF-8');
    }
    let env: unknown;
    try {
      env = JSON.parse(text);
    } catch (e) {
      return bad(`POST body is not valid JSON: ${(e as Error).message}`);
    }
    if (!isPlainObject(env)) return bad('POST body must be a JSON object {"query": ..., "variables": {...}}');
    // CHOICE: only the standard GraphQL-over-HTTP keys are accepted.
    for (const k of Object.keys(env)) {
      if (!['query', 'variables', 'operationName', 'extensions'].includes(k)) return bad(`Unknown key "${k}" in the POST body (allowed: query, variables, operationName, extensions)`);
    }
    if (typeof env.query !== 'string' || env.query.trim() === '') return bad('POST body must contain a non-empty string "query"');
    if (env.variables !== undefined && env.variables !== null && !isPlainObject(env.variables)) return bad('"variables" must be a JSON object');
    if (env.operationName !== undefined && env.operationName !== null && typeof env.operationName !== 'string') return bad('"operationName" must be a string');
    if (env.extensions !== undefined && env.extensions !== null && !isPlainObject(env.extensions)) return bad('"extensions" must be a JSON object');
    const variables = (env.variables ?? {}) as Record<string, unknown>;

    // Parse and validate (graphql-js, plus the emulator's restrictions).
    let document: DocumentNode;
    try {
      document = parse(env.query);
    } catch (e) {
      if (e instanceof GraphQLError) return errorsResp(400, [fromGraphQLError(e, 400)]);
      throw e;
    }
    const invalid = validate(SCHEMA, document, RULES);
    if (invalid.length) return errorsResp(400, invalid.map((e) => fromGraphQLError(e, 400)));
    const op = getOperationAST(document)!; // exactly one, validated above

    if (typeof env.operationName === 'string' && env.operationName !== op.name?.value) {
      return bad(`Unknown operation named "${env.operationName}".`);
    }

    // Coerce variables.
    const varErrors = variableErrors(op, variables);
    if (varErrors.length) return errorsResp(400, varErrors);

    // Execute. Resolver errors (and graphql-js's argument errors) are field errors: 200 {errors, data: null}.
    const result = executeSync({ schema: SCHEMA, document, rootValue: resolvers, contextValue: { user }, variableValues: variables });
    if (result.errors?.length) {
      const errors = result.errors.map((e) => {
        const orig = e.originalError;
        if (orig instanceof MapiError) return fromGraphQLError(e, orig.code);
        if (orig === undefined || orig instanceof GraphQLError) return fromGraphQLError(e, 400);
        throw orig; // a bug in the emulator: 500
      });
      return errorsResp(200, errors, true);
    }
    return jsonResp(200, { data: result.data });
  };

  type Ctx = { user: string };
  const resolvers = {
    getSecrets: (args: Record<string, unknown>, ctx: Ctx) => resolve(ctx.user, 'getSecrets', args),
    createSecret: (args: Record<string, unknown>, ctx: Ctx) => resolve(ctx.user, 'createSecret', args),
    deleteSecrets: (args: Record<string, unknown>, ctx: Ctx) => resolve(ctx.user, 'deleteSecrets', args),
  };

  // --- HTTP ------------------------------------------------------------------------------------

  const send = (res: http.ServerResponse, r: Resp): void => {
    res.writeHead(r.status, reason(r.status), { ...r.headers, 'content-length': String(Buffer.byteLength(r.body)) });
    res.end(r.body);
  };

  const describeOperation = (body: string): { operationName?: string; variables?: unknown } => {
    try {
      const env: unknown = JSON.parse(body);
      if (!isPlainObject(env)) return {};
      const out: { operationName?: string; variables?: unknown } = {};
      if ('variables' in env) out.variables = env.variables;
      if (typeof env.operationName === 'string') out.operationName = env.operationName;
      else if (typeof env.query === 'string') {
        try {
          const op = parse(env.query).definitions.find((d): d is OperationDefinitionNode => d.kind === Kind.OPERATION_DEFINITION);
          if (op?.name) out.operationName = op.name.value;
        } catch {
          // not parseable: no operation name
        }
      }
      return out;
    } catch {
      return {};
    }
  };

  const handle = async (req: http.IncomingMessage, res: http.ServerResponse): Promise<void> => {
    const chunks: Buffer[] = [];
    for await (const chunk of req as AsyncIterable<Buffer>) chunks.push(chunk);
    const body = Buffer.concat(chunks);
    const rawUrl = req.url ?? '/';
    const qi = rawUrl.indexOf('?');
    const rawPath = qi === -1 ? rawUrl : rawUrl.slice(0, qi);
    const method = (req.method ?? 'GET').toUpperCase();
    const bodyText = body.toString('utf8');
    requests.push({ method, path: rawPath, url: rawUrl, headers: { ...req.headers }, body: bodyText, ...describeOperation(bodyText), time: Date.now() });

    if (await faults.apply(req, method, rawPath, (f) => send(res, { status: f.status, body: f.body, headers: faultHeaders(f) }))) return;

    let r: Resp;
    if (rawPath !== gqlPath) {
      // CHOICE: Express's default 404 page (HTML, not JSON). Also for a trailing slash.
      r = {
        status: 404,
        body: `<!DOCTYPE html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n<title>Error</title>\n</head>\n<body>\n<pre>Cannot ${escapeHtml(method)} ${escapeHtml(rawPath)}</pre>\n</body>\n</html>\n`,
        headers: { 'content-type': 'text/html; charset=utf-8', 'content-security-policy': "default-src 'none'", 'x-content-type-options': 'nosniff' },
      };
    } else {
      try {
        r = graphql({ req, method, body });
      } catch (e) {
        r = errorsResp(500, [gqlError(`Internal server error: ${e instanceof Error ? e.message : String(e)}`, 500)]);
      }
    }
    send(res, r);
  };

  const server = http.createServer((req, res) => {
    handle(req, res).catch(() => {
      if (!res.headersSent) send(res, errorsResp(500, [gqlError('Internal server error', 500)]));
      else res.destroy();
    });
  });
  const url = await servers.listen(server, opts.port ?? 0);

  if (opts.seed) seedSecrets(state, userNames);

  return {
    url,
    endpoint: `${url}${gqlPath}`,
    apiKeys,
    bearerTokens,
    requests,
    faults: faults.control,
    state,
    close: async () => {
      faults.clear();
      await servers.close();
    },
  };
}

function fakePrivateKey(): string {
  const body = randomBytes(300).toString('base64').replace(/(.{70})/g, '$1\n');
  return `-----BEGIN OPENSSH PRIVATE KEY-----\n${body}\n-----END OPENSSH PRIVATE KEY-----\n`;
}

/**
 * Demo secrets, random dummy values, creation times one minute apart (a day ago).
 *   first user (alice):  wandb-key ENV_VAR {key: WANDB_API_KEY}; hf-token ENV_VAR {key: HF_TOKEN}
 *                        (mcli's hugging_face flavour); git-ssh GIT_SSH {mountPath: /secrets/git-ssh};
 *                        s3-creds S3 {mountDirectory: /secrets/s3-creds}; docker-hub DOCKER_REGISTRY {}
 *   second user (bob):   openai-key ENV_VAR {key: OPENAI_API_KEY}
 */
function seedSecrets(state: MosaicEmulatorState, userNames: string[]): void {
  let t = Date.now() - 86_400_000;
  const at = () => new Date((t += 60_000)).toISOString();
  const first = userNames[0]!;
  const second = userNames[1];
  state.setSecret(first, { name: 'wandb-key', type: 'ENV_VAR', metadata: { key: 'WANDB_API_KEY' }, value: randomBytes(20).toString('hex'), createdAt: at() });
  state.setSecret(first, { name: 'hf-token', type: 'ENV_VAR', metadata: { key: 'HF_TOKEN' }, value: `hf_${randomToken(ALNUM, 34)}`, createdAt: at() });
  state.setSecret(first, { name: 'git-ssh', type: 'GIT_SSH', metadata: { mountPath: '/secrets/git-ssh' }, value: fakePrivateKey(), createdAt: at() });
  const akid = `AKIA${randomToken('ABCDEFGHIJKLMNOPQRSTUVWXYZ234567', 16)}`;
  state.setSecret(first, {
    name: 's3-creds',
    type: 'S3',
    metadata: { mountDirectory: '/secrets/s3-creds' },
    value: {
      config: '[default]\nregion = us-west-2\noutput = json\n',
      credentials: `[default]\naws_access_key_id = ${akid}\naws_secret_access_key = ${randomToken(ALNUM + '+/', 40)}\n`,
    },
    createdAt: at(),
  });
  state.setSecret(first, {
    name: 'docker-hub',
    type: 'DOCKER_REGISTRY',
    metadata: {},
    value: { username: 'demo-user', password: randomToken(ALNUM, 24), server: 'https://index.docker.io/v1/' },
    createdAt: at(),
  });
  if (second !== undefined) {
    state.setSecret(second, { name: 'openai-key', type: 'ENV_VAR', metadata: { key: 'OPENAI_API_KEY' }, value: `sk-${randomToken(ALNUM, 48)}`, createdAt: at() });
  }
}
