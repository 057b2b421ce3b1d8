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
 * The GraphQL layer is a real (small) GraphQL implementation for exactly this schema: any whitespace,
 * commas, comments, field order, inline literals instead of variables, variable defaults; graphql-js
 * style parse / validation / variable-coercion errors. Places where the spec is silent are marked
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
  DefinitionNode,
  DirectiveNode,
  FieldNode,
  GraphQLSyntaxError,
  Loc,
  OperationDefinitionNode,
  parseDocument,
  parseTypeReference,
  printType,
  printValue,
  SelectionNode,
  TypeNode,
  ValueNode,
  VariableDefinitionNode,
} from './graphql';
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

interface ScalarType {
  kind: 'Scalar';
  name: string;
}
interface EnumType {
  kind: 'Enum';
  name: string;
  values: readonly string[];
}
interface InputObjectType {
  kind: 'InputObject';
  name: string;
  fields: ReadonlyArray<[string, TypeNode]>;
}
interface OutputField {
  type: TypeNode;
  args: ReadonlyArray<[string, TypeNode]>;
}
interface ObjectType {
  kind: 'Object';
  name: string;
  fields: Readonly<Record<string, OutputField>>;
}
type NamedType = ScalarType | EnumType | InputObjectType | ObjectType;

const T = parseTypeReference;
const TYPES = new Map<string, NamedType>();
const def = (t: NamedType) => TYPES.set(t.name, t);
const inputObject = (name: string, fields: Record<string, string>) =>
  def({ kind: 'InputObject', name, fields: Object.entries(fields).map(([k, v]) => [k, T(v)]) });

for (const s of ['String', 'Boolean', 'Int', 'Float', 'ID', 'JSON']) def({ kind: 'Scalar', name: s });
def({ kind: 'Enum', name: 'SecretType', values: MAPI_SECRET_TYPES });
inputObject('GetSecretsInput', { filters: 'SecretFiltersInput!', entity: 'EntityInput' });
inputObject('SecretFiltersInput', { name: 'StringInFilterInput', type: 'SecretTypeInFilterInput' });
inputObject('StringInFilterInput', { in: '[String!]!' });
inputObject('SecretTypeInFilterInput', { in: '[SecretType!]!' });
inputObject('EntityInput', { userIds: '[String!]', organizationIds: '[String!]' });
inputObject('CreateSecretInput', {
  envVarSecret: 'EnvVarSecretInput',
  mountedSecret: 'MountedSecretInput',
  sshSecret: 'SSHSecretInput',
  gitSSHSecret: 'GitSSHSecretInput',
  sftpSSHSecret: 'SFTPSSHSecretInput',
  gcpSecret: 'GCPSecretInput',
  s3Secret: 'S3SecretInput',
  ociSecret: 'OCISecretInput',
  dockerRegistrySecret: 'DockerRegistrySecretInput',
  databricksSecret: 'DatabricksSecretInput',
  entity: 'EntityInput',
});
inputObject('EnvVarSecretInput', { name: 'String!', metadata: 'EnvVarSecretMetadataInput!', value: 'String!' });
inputObject('EnvVarSecretMetadataInput', { key: 'String!' });
for (const n of ['MountedSecretInput', 'SSHSecretInput', 'GitSSHSecretInput', 'SFTPSSHSecretInput', 'GCPSecretInput']) {
  inputObject(n, { name: 'String!', metadata: 'MountPathMetadataInput!', value: 'String!' });
}
inputObject('MountPathMetadataInput', { mountPath: 'String!' });
inputObject('MountDirectoryMetadataInput', { mountDirectory: 'String!' });
inputObject('S3SecretInput', { name: 'String!', metadata: 'MountDirectoryMetadataInput!', value: 'S3SecretValueInput!' });
inputObject('S3SecretValueInput', { config: 'String!', credentials: 'String!', profile: 'String' });
inputObject('OCISecretInput', { name: 'String!', metadata: 'MountDirectoryMetadataInput!', value: 'OCISecretValueInput!' });
inputObject('OCISecretValueInput', { config: 'String!', keyFile: 'String!' });
inputObject('DockerRegistrySecretInput', { name: 'String!', value: 'DockerRegistrySecretValueInput!' });
// mcli sends `email: None` (JSON null) when no e-mail was given.
inputObject('DockerRegistrySecretValueInput', { username: 'String!', password: 'String!', email: 'String', server: 'String!' });
inputObject('DatabricksSecretInput', { name: 'String!', value: 'DatabricksSecretValueInput!' });
inputObject('DatabricksSecretValueInput', { host: 'String!', token: 'String!' });
// CHOICE: `value` is NOT a field of Secret (responses never carry values; §3.2 marks it [U]), so
// selecting it is a validation error. metadata is a JSON scalar (no sub-selection).
def({
  kind: 'Object',
  name: 'Secret',
  fields: {
    id: { type: T('ID!'), args: [] },
    name: { type: T('String!'), args: [] },
    type: { type: T('SecretType!'), args: [] },
    metadata: { type: T('JSON!'), args: [] },
    createdAt: { type: T('String!'), args: [] },
  },
});
def({ kind: 'Object', name: 'Query', fields: { getSecrets: { type: T('[Secret!]!'), args: [['getSecretsData', T('GetSecretsInput!')]] } } });
def({
  kind: 'Object',
  name: 'Mutation',
  fields: {
    createSecret: { type: T('[Secret!]!'), args: [['createSecretData', T('CreateSecretInput!')]] },
    deleteSecrets: { type: T('[Secret!]!'), args: [['getSecretsData', T('GetSecretsInput!')]] },
  },
});

function namedOf(t: TypeNode): string {
  return t.kind === 'Named' ? t.name : namedOf(t.type);
}

function isInputType(t: TypeNode): boolean {
  const n = TYPES.get(namedOf(t));
  return n !== undefined && n.kind !== 'Object';
}

/** graphql-js isTypeSubTypeOf for input positions. */
function isSubType(sub: TypeNode, sup: TypeNode): boolean {
  if (sup.kind === 'NonNull') return sub.kind === 'NonNull' && isSubType(sub.type, sup.type);
  if (sub.kind === 'NonNull') return isSubType(sub.type, sup);
  if (sup.kind === 'List') return sub.kind === 'List' && isSubType(sub.type, sup.type);
  if (sub.kind === 'List') return false;
  return sub.name === (sup as { name: string }).name;
}

// ---------------------------------------------------------------------------------------------
// Errors
// ---------------------------------------------------------------------------------------------

interface GqlError {
  message: string;
  locations?: Loc[];
  path?: Array<string | number>;
  extensions: { code: number };
}

const gqlError = (message: string, code: number, loc?: Loc, path?: Array<string | number>): GqlError => ({
  message,
  ...(loc ? { locations: [loc] } : {}),
  ...(path ? { path } : {}),
  extensions: { code },
});

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
// Validation (graphql-js rule texts, plus the emulator's CHOICE restrictions)
// ---------------------------------------------------------------------------------------------

const EMU = 'the MosaicML emulator';

interface VarUsage {
  name: string;
  /** Undefined when the position is unknown (an unknown field / argument / input field). */
  type?: TypeNode;
  loc: Loc;
}

class Validator {
  readonly errors: GqlError[] = [];
  readonly usages: VarUsage[] = [];

  err(message: string, loc?: Loc): void {
    this.errors.push(gqlError(message, 400, loc));
  }

  /** Records the variables used in a value at an unknown position (NoUnusedVariables still counts them). */
  untypedVars(node: ValueNode): void {
    if (node.kind === 'Variable') this.usages.push({ name: node.name, loc: node.loc });
    else if (node.kind === 'List') node.values.forEach((v) => this.untypedVars(v));
    else if (node.kind === 'Object') node.fields.forEach((f) => this.untypedVars(f.value));
  }

  untypedSelectionVars(sel: SelectionNode[] | undefined): void {
    for (const s of sel ?? []) {
      for (const d of s.directives) d.arguments.forEach((a) => this.untypedVars(a.value));
      if (s.kind === 'Field') s.arguments.forEach((a) => this.untypedVars(a.value));
      if (s.kind !== 'FragmentSpread') this.untypedSelectionVars(s.selectionSet);
    }
  }

  directives(ds: DirectiveNode[]): void {
    for (const d of ds) {
      d.arguments.forEach((a) => this.untypedVars(a.value));
      // CHOICE: @include / @skip are not emulated (mcli never sends directives).
      if (d.name === 'include' || d.name === 'skip') this.err(`Directive "@${d.name}" is not supported by ${EMU}.`, d.loc);
      else this.err(`Unknown directive "@${d.name}".`, d.loc);
    }
  }

  /** ValuesOfCorrectType + records variable usages for VariablesInAllowedPosition. */
  literal(node: ValueNode, type: TypeNode, outer: TypeNode = type): void {
    if (node.kind === 'Variable') {
      this.usages.push({ name: node.name, type: outer, loc: node.loc });
      return;
    }
    const bad = (extra?: string) =>
      this.err(`Expected value of type "${printType(outer)}", found ${printValue(node)}${extra ? `; ${extra}` : '.'}`, node.loc);
    if (type.kind === 'NonNull') {
      if (node.kind === 'Null') return bad();
      return this.literal(node, type.type, outer);
    }
    if (node.kind === 'Null') return;
    if (type.kind === 'List') {
      // CHOICE: stricter than GraphQL's input coercion, which wraps a single value into a list.
      if (node.kind !== 'List') return bad();
      for (const v of node.values) this.literal(v, type.type);
      return;
    }
    const named = TYPES.get(type.name)!;
    switch (named.kind) {
      case 'InputObject': {
        if (node.kind !== 'Object') return bad();
        const seen = new Set<string>();
        for (const f of node.fields) {
          if (seen.has(f.name)) {
            this.err(`There can be only one input field named "${f.name}".`, f.loc);
            continue;
          }
          seen.add(f.name);
          const fdef = named.fields.find(([n]) => n === f.name);
          if (!fdef) {
            this.err(`Field "${f.name}" is not defined by type "${named.name}".`, f.loc);
            this.untypedVars(f.value);
            continue;
          }
          this.literal(f.value, fdef[1]);
        }
        for (const [n, t] of named.fields) {
          if (t.kind === 'NonNull' && !seen.has(n)) {
            this.err(`Field "${named.name}.${n}" of required type "${printType(t)}" was not provided.`, node.loc);
          }
        }
        return;
      }
      case 'Enum':
        if (node.kind !== 'Enum') return this.err(`Enum "${named.name}" cannot represent non-enum value: ${printValue(node)}.`, node.loc);
        if (!named.values.includes(node.value)) this.err(`Value "${node.value}" does not exist in "${named.name}" enum.`, node.loc);
        return;
      case 'Scalar':
        if (named.name === 'String' && node.kind !== 'String') return bad(`String cannot represent a non string value: ${printValue(node)}`);
        if (named.name === 'ID' && node.kind !== 'String' && node.kind !== 'Int') return bad(`ID cannot represent a non-string and non-integer value: ${printValue(node)}`);
        return;
      case 'Object':
        return;
    }
  }

  selectionSet(sel: SelectionNode[], parent: ObjectType, isRoot: boolean): void {
    if (isRoot && sel.length !== 1) {
      // CHOICE: mcli sends exactly one root field; batching several is not emulated.
      this.err(`The MosaicML emulator expects exactly one root field per operation, got ${sel.length}.`, sel[1]?.loc ?? sel[0]?.loc);
    }
    for (const s of sel) {
      if (s.kind !== 'Field') {
        this.err(`Fragments are not supported by ${EMU}.`, s.loc);
        this.untypedSelectionVars([s]);
        continue;
      }
      this.field(s, parent);
    }
  }

  field(f: FieldNode, parent: ObjectType): void {
    this.directives(f.directives);
    if (f.alias !== undefined) this.err(`Aliases are not supported by ${EMU} ("${f.alias}: ${f.name}").`, f.loc);
    const fdef = f.name.startsWith('__') ? undefined : parent.fields[f.name];
    if (!fdef) {
      if (f.name.startsWith('__')) this.err(`Introspection ("${f.name}") is not supported by ${EMU}.`, f.loc);
      else this.err(`Cannot query field "${f.name}" on type "${parent.name}".`, f.loc);
      f.arguments.forEach((a) => this.untypedVars(a.value));
      this.untypedSelectionVars(f.selectionSet);
      return;
    }
    const seen = new Set<string>();
    for (const a of f.arguments) {
      if (seen.has(a.name)) {
        this.err(`There can be only one argument named "${a.name}".`, a.loc);
        continue;
      }
      seen.add(a.name);
      const adef = fdef.args.find(([n]) => n === a.name);
      if (!adef) {
        this.err(`Unknown argument "${a.name}" on field "${parent.name}.${f.name}".`, a.loc);
        this.untypedVars(a.value);
        continue;
      }
      this.literal(a.value, adef[1]);
    }
    for (const [n, t] of fdef.args) {
      if (t.kind === 'NonNull' && !seen.has(n)) {
        this.err(`Field "${f.name}" argument "${n}" of type "${printType(t)}" is required, but it was not provided.`, f.loc);
      }
    }
    const target = TYPES.get(namedOf(fdef.type))!;
    if (target.kind === 'Object') {
      if (!f.selectionSet) {
        this.err(`Field "${f.name}" of type "${printType(fdef.type)}" must have a selection of subfields. Did you mean "${f.name} { ... }"?`, f.loc);
      } else {
        this.selectionSet(f.selectionSet, target, false);
      }
    } else if (f.selectionSet) {
      this.err(`Field "${f.name}" must not have a selection since type "${printType(fdef.type)}" has no subfields.`, f.loc);
      this.untypedSelectionVars(f.selectionSet);
    }
  }

  variableDefinitions(op: OperationDefinitionNode): void {
    const seen = new Set<string>();
    for (const v of op.variableDefinitions) {
      this.directives(v.directives);
      if (seen.has(v.name)) this.err(`There can be only one variable named "$${v.name}".`, v.loc);
      seen.add(v.name);
      const named = TYPES.get(namedOf(v.type));
      if (!named) {
        this.err(`Unknown type "${namedOf(v.type)}".`, v.type.loc);
        continue;
      }
      if (!isInputType(v.type)) {
        this.err(`Variable "$${v.name}" cannot be non-input type "${printType(v.type)}".`, v.type.loc);
        continue;
      }
      if (v.defaultValue) this.literal(v.defaultValue, v.type);
    }
  }

  /** NoUndefinedVariables, NoUnusedVariables, VariablesInAllowedPosition. */
  variableUsages(op: OperationDefinitionNode): void {
    const forOp = op.name ? ` by operation "${op.name}"` : '';
    const inOp = op.name ? ` in operation "${op.name}"` : '';
    const used = new Set<string>();
    for (const u of this.usages) {
      used.add(u.name);
      const vdef = op.variableDefinitions.find((v) => v.name === u.name);
      if (!vdef) {
        this.err(`Variable "$${u.name}" is not defined${forOp}.`, u.loc);
        continue;
      }
      if (!u.type || !TYPES.has(namedOf(vdef.type)) || !isInputType(vdef.type)) continue;
      let varType = vdef.type;
      // A nullable variable with a non-null default may be used in a non-null position.
      if (u.type.kind === 'NonNull' && varType.kind !== 'NonNull' && vdef.defaultValue && vdef.defaultValue.kind !== 'Null') {
        varType = { kind: 'NonNull', type: varType, loc: varType.loc };
      }
      if (!isSubType(varType, u.type)) {
        this.err(`Variable "$${u.name}" of type "${printType(vdef.type)}" used in position expecting type "${printType(u.type)}".`, u.loc);
      }
    }
    for (const v of op.variableDefinitions) {
      if (!used.has(v.name)) this.err(`Variable "$${v.name}" is never used${inOp}.`, v.loc);
    }
  }
}

// ---------------------------------------------------------------------------------------------
// Value coercion
// ---------------------------------------------------------------------------------------------

const isPlainObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const inspect = (v: unknown): string => (v === undefined ? 'undefined' : JSON.stringify(v));

/** graphql-js coerceInputValue for a JSON variable value (strict on lists, see CHOICE above). */
function coerceJson(
  value: unknown,
  type: TypeNode,
  path: Array<string | number>,
  onError: (path: Array<string | number>, invalid: unknown, msg: string) => void,
  outer: TypeNode = type,
): unknown {
  if (type.kind === 'NonNull') {
    if (value === null || value === undefined) {
      onError(path, value, `Expected non-nullable type "${printType(type)}" not to be null.`);
      return undefined;
    }
    return coerceJson(value, type.type, path, onError, outer);
  }
  if (value === null) return null;
  if (type.kind === 'List') {
    if (!Array.isArray(value)) {
      // CHOICE: GraphQL would wrap a single value into a one-item list; the emulator rejects it.
      onError(path, value, `Expected type "${printType(outer)}" to be a list.`);
      return undefined;
    }
    return value.map((v, i) => coerceJson(v, type.type, [...path, i], onError));
  }
  const named = TYPES.get(type.name)!;
  switch (named.kind) {
    case 'InputObject': {
      if (!isPlainObject(value)) {
        onError(path, value, `Expected type "${named.name}" to be an object.`);
        return undefined;
      }
      const out: Record<string, unknown> = {};
      for (const [n, t] of named.fields) {
        if (!Object.prototype.hasOwnProperty.call(value, n)) {
          if (t.kind === 'NonNull') onError(path, value, `Field "${n}" of required type "${printType(t)}" was not provided.`);
          continue;
        }
        out[n] = coerceJson(value[n], t, [...path, n], onError);
      }
      for (const k of Object.keys(value)) {
        if (!named.fields.some(([n]) => n === k)) onError(path, value, `Field "${k}" is not defined by type "${named.name}".`);
      }
      return out;
    }
    case 'Enum':
      if (typeof value !== 'string') {
        onError(path, value, `Enum "${named.name}" cannot represent non-string value: ${inspect(value)}.`);
        return undefined;
      }
      if (!named.values.includes(value)) {
        onError(path, value, `Value "${value}" does not exist in "${named.name}" enum.`);
        return undefined;
      }
      return value;
    case 'Scalar':
      switch (named.name) {
        case 'String':
          if (typeof value !== 'string') {
            onError(path, value, `String cannot represent a non string value: ${inspect(value)}`);
            return undefined;
          }
          return value;
        case 'ID':
          if (typeof value === 'string') return value;
          if (typeof value === 'number' && Number.isInteger(value)) return String(value);
          onError(path, value, `ID cannot represent value: ${inspect(value)}`);
          return undefined;
        case 'Boolean':
          if (typeof value !== 'boolean') {
            onError(path, value, `Boolean cannot represent a non boolean value: ${inspect(value)}`);
            return undefined;
          }
          return value;
        case 'Int':
          if (typeof value !== 'number' || !Number.isInteger(value) || Math.abs(value) > 2147483647) {
            onError(path, value, `Int cannot represent non-integer value: ${inspect(value)}`);
            return undefined;
          }
          return value;
        case 'Float':
          if (typeof value !== 'number' || !Number.isFinite(value)) {
            onError(path, value, `Float cannot represent non numeric value: ${inspect(value)}`);
            return undefined;
          }
          return value;
        default:
          return value;
      }
    case 'Object':
      return undefined;
  }
}

/** graphql-js valueFromAST (the document has been validated and the variables coerced already). */
function valueFromLiteral(node: ValueNode, type: TypeNode, vars: Record<string, unknown>): unknown {
  if (node.kind === 'Variable') return vars[node.name];
  if (type.kind === 'NonNull') return valueFromLiteral(node, type.type, vars);
  switch (node.kind) {
    case 'Null':
      return null;
    case 'List':
      return node.values.map((v) => valueFromLiteral(v, (type as { type: TypeNode }).type, vars));
    case 'Object': {
      const named = TYPES.get(namedOf(type)) as InputObjectType;
      const out: Record<string, unknown> = {};
      for (const f of node.fields) {
        // A field given as an unset variable is omitted (GraphQL semantics).
        if (f.value.kind === 'Variable' && !Object.prototype.hasOwnProperty.call(vars, f.value.name)) continue;
        out[f.name] = valueFromLiteral(f.value, named.fields.find(([n]) => n === f.name)![1], vars);
      }
      return out;
    }
    case 'Int':
      return namedOf(type) === 'ID' ? node.value : Number(node.value);
    case 'Float':
      return Number(node.value);
    case 'String':
    case 'Enum':
      return node.value;
    case 'Boolean':
      return node.value;
  }
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

    const bad = (message: string, loc?: Loc) => errorsResp(400, [gqlError(message, 400, loc)]);

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

    // Parse.
    let defs: DefinitionNode[];
    try {
      defs = parseDocument(env.query);
    } catch (e) {
      if (e instanceof GraphQLSyntaxError) return bad(e.message, e.loc);
      throw e;
    }

    // Validate.
    const v = new Validator();
    for (const d of defs) if (d.kind === 'FragmentDefinition') v.err(`Fragments are not supported by ${EMU}.`, d.loc);
    const ops = defs.filter((d): d is OperationDefinitionNode => d.kind === 'OperationDefinition');
    if (ops.length !== 1) {
      // CHOICE: exactly one operation per document (mcli sends one).
      v.err(`The MosaicML emulator expects exactly one operation per document, got ${ops.length}.`, ops[1]?.loc ?? defs[0]?.loc);
      return errorsResp(400, v.errors);
    }
    const op = ops[0]!;
    if (op.operation === 'subscription') return bad('Schema is not configured to execute subscription operation.', op.loc);
    const root = TYPES.get(op.operation === 'query' ? 'Query' : 'Mutation') as ObjectType;
    v.directives(op.directives);
    v.variableDefinitions(op);
    v.selectionSet(op.selectionSet, root, true);
    v.variableUsages(op);
    if (v.errors.length) return errorsResp(400, v.errors);

    if (typeof env.operationName === 'string' && env.operationName !== op.name) {
      return bad(`Unknown operation named "${env.operationName}".`);
    }

    // Coerce variables.
    const coerced: Record<string, unknown> = {};
    const varErrors: GqlError[] = [];
    for (const k of Object.keys(variables)) {
      // CHOICE: GraphQL ignores extra variables; the emulator rejects them (a misrouted payload).
      if (!op.variableDefinitions.some((d) => d.name === k)) varErrors.push(gqlError(`Variable "$${k}" is not defined by the operation.`, 400));
    }
    for (const d of op.variableDefinitions) coerceVariable(d, variables, coerced, varErrors);
    if (varErrors.length) return errorsResp(400, varErrors);

    // Execute (one root field, validated above).
    const field = op.selectionSet[0] as FieldNode;
    const fdef = root.fields[field.name]!;
    const args: Record<string, unknown> = {};
    for (const [n, t] of fdef.args) {
      const a = field.arguments.find((x) => x.name === n)!;
      args[n] = valueFromLiteral(a.value, t, coerced);
    }
    let items: MosaicStoredSecret[];
    try {
      // A variable in a non-null position can still be an explicit JSON null when it was declared nullable
      // with a default (`$f: SecretFiltersInput = {}` then `{"f": null}`): GraphQL reports a field error.
      for (const [n, t] of fdef.args) {
        const problems: string[] = [];
        coerceJson(args[n], t, [], (p, _invalid, msg) => problems.push(`at "${n}${p.map((x) => (typeof x === 'number' ? `[${x}]` : `.${x}`)).join('')}": ${msg}`));
        if (problems.length) throw new MapiError(400, `Argument "${n}" has an invalid value ${problems.join(' ')}`);
      }
      items = resolve(user, field.name, args);
    } catch (e) {
      if (e instanceof MapiError) return errorsResp(200, [gqlError(e.message, e.code, field.loc, [field.name])], true);
      throw e;
    }
    const selected = [...new Set((field.selectionSet ?? []).map((s) => (s as FieldNode).name))];
    const out = items.map((s) => {
      const o: Record<string, unknown> = {};
      for (const f of selected) {
        if (f === 'metadata') o[f] = { ...s.metadata };
        else o[f] = s[f as 'id' | 'name' | 'type' | 'createdAt'];
      }
      return o;
    });
    return jsonResp(200, { data: { [field.name]: out } });
  };

  const coerceVariable = (d: VariableDefinitionNode, raw: Record<string, unknown>, out: Record<string, unknown>, errors: GqlError[]): void => {
    const has = Object.prototype.hasOwnProperty.call(raw, d.name);
    const typeStr = printType(d.type);
    if (!has) {
      if (d.defaultValue) out[d.name] = valueFromLiteral(d.defaultValue, d.type, {});
      else if (d.type.kind === 'NonNull') errors.push(gqlError(`Variable "$${d.name}" of required type "${typeStr}" was not provided.`, 400, d.loc));
      return;
    }
    const value = raw[d.name];
    if (value === null && d.type.kind === 'NonNull') {
      errors.push(gqlError(`Variable "$${d.name}" of non-null type "${typeStr}" must not be null.`, 400, d.loc));
      return;
    }
    out[d.name] = coerceJson(value, d.type, [], (path, invalid, msg) => {
      const at = path.length ? ` at "${d.name}${path.map((p) => (typeof p === 'number' ? `[${p}]` : `.${p}`)).join('')}"` : '';
      errors.push(gqlError(`Variable "$${d.name}" got invalid value ${inspect(invalid)}${at}; ${msg}`, 400, d.loc));
    });
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
          const op = parseDocument(env.query).find((d) => d.kind === 'OperationDefinition');
          if (op?.name) out.operationName = op.name;
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
