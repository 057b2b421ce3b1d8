// MosaicML (mcli "MAPI") client: one GraphQL endpoint, the API key as the raw Authorization
// header (as mcli sends it), list-shaped results, errors[].extensions.code. docs/platform-apis.md §3.
// Secrets can't be modified: an update is delete + recreate, with type, mount path and env key kept.

import { AuthError, ConflictError, HttpError, NotFoundError, PermissionError, ProtocolError, UnsupportedError, ValidationError } from '../../errors';
import { HttpClient, HttpResponse, parseJsonBody, RESPONSE_CAP } from '../../http/httpClient';
import { parseServiceUrl } from '../../http/urls';
import { redact, redactor } from '../../redact';
import type { SecretReference } from '../../references/scanner';
import { printable } from '../../text';
import { deleteThenRecreate, RecreateOptions } from '../recreate';
import { Capabilities, DeleteResult, PlatformClient, Scope, ScopeRef, SecretInfo, SecretInput, SecretUpdate } from '../types';
import { MOSAIC_DEFAULT_ENDPOINT } from './facts';


/** mcli's secret types, by their CLI names. */
export const MOSAIC_TYPES = ['environment', 'mounted', 'ssh', 'git-ssh', 'sftp-ssh', 'docker_registry', 's3', 'gcp', 'oci', 'databricks', 'hugging_face'] as const;
export type MosaicType = (typeof MOSAIC_TYPES)[number];

interface TypeSpec {
  mapi: string;
  inputKey: string;
  label: string;
  /** 'mountPath' | 'mountDirectory' | 'key' | none */
  meta?: 'mountPath' | 'mountDirectory' | 'key';
  /** Single text value, or these named fields (value is an object). */
  fields?: Array<{ name: string; label: string; optional?: boolean; file?: boolean; secret?: boolean }>;
  valueLabel?: string;
  valueIsFile?: boolean;
}

export const MOSAIC_TYPE_SPECS: Record<MosaicType, TypeSpec> = {
  environment: { mapi: 'ENV_VAR', inputKey: 'envVarSecret', label: 'Environment variable', meta: 'key', valueLabel: 'Value' },
  hugging_face: { mapi: 'ENV_VAR', inputKey: 'envVarSecret', label: 'Hugging Face token (HF_TOKEN)', meta: 'key', valueLabel: 'Hugging Face token' },
  mounted: { mapi: 'MOUNTED', inputKey: 'mountedSecret', label: 'Mounted file', meta: 'mountPath', valueLabel: 'File contents', valueIsFile: true },
  ssh: { mapi: 'SSH', inputKey: 'sshSecret', label: 'SSH private key', meta: 'mountPath', valueLabel: 'Private key file', valueIsFile: true },
  'git-ssh': { mapi: 'GIT_SSH', inputKey: 'gitSSHSecret', label: 'Git SSH key', meta: 'mountPath', valueLabel: 'Private key file', valueIsFile: true },
  'sftp-ssh': { mapi: 'SFTP_SSH', inputKey: 'sftpSSHSecret', label: 'SFTP SSH key', meta: 'mountPath', valueLabel: 'Private key file', valueIsFile: true },
  gcp: { mapi: 'GCP', inputKey: 'gcpSecret', label: 'GCP service account', meta: 'mountPath', valueLabel: 'Service-account JSON file', valueIsFile: true },
  s3: {
    mapi: 'S3',
    inputKey: 's3Secret',
    label: 'S3 credentials',
    meta: 'mountDirectory',
    fields: [
      { name: 'config', label: 'AWS config file', file: true },
      { name: 'credentials', label: 'AWS credentials file', file: true, secret: true },
      { name: 'profile', label: 'Profile', optional: true },
    ],
  },
  oci: {
    mapi: 'OCI',
    inputKey: 'ociSecret',
    label: 'OCI credentials',
    meta: 'mountDirectory',
    fields: [
      { name: 'config', label: 'OCI config file', file: true },
      { name: 'keyFile', label: 'OCI key file', file: true, secret: true },
    ],
  },
  docker_registry: {
    mapi: 'DOCKER_REGISTRY',
    inputKey: 'dockerRegistrySecret',
    label: 'Docker registry',
    fields: [
      { name: 'username', label: 'User name' },
      { name: 'password', label: 'Password', secret: true },
      { name: 'server', label: 'Registry server (e.g. https://index.docker.io/v1/)' },
      { name: 'email', label: 'E-mail', optional: true },
    ],
  },
  databricks: {
    mapi: 'DATABRICKS',
    inputKey: 'databricksSecret',
    label: 'Databricks',
    fields: [
      { name: 'host', label: 'Workspace host' },
      { name: 'token', label: 'Token', secret: true },
    ],
  },
};

const MAPI_TO_TYPE: Record<string, MosaicType> = {
  ENV_VAR: 'environment',
  MOUNTED: 'mounted',
  SSH: 'ssh',
  GIT_SSH: 'git-ssh',
  SFTP_SSH: 'sftp-ssh',
  DOCKER_REGISTRY: 'docker_registry',
  S3: 's3',
  GCP: 'gcp',
  OCI: 'oci',
  DATABRICKS: 'databricks',
};

const GET_SECRETS = `query GetSecrets($getSecretsData: GetSecretsInput!) {
  getSecrets(getSecretsData: $getSecretsData) {
    id
    name
    type
    metadata
    createdAt
  }
}`;
const CREATE_SECRET = `mutation CreateSecret($createSecretData: CreateSecretInput!) {
  createSecret(createSecretData: $createSecretData) {
    name
    type
    metadata
    createdAt
  }
}`;
const DELETE_SECRETS = `mutation DeleteSecrets($getSecretsData: GetSecretsInput!) {
  deleteSecrets(getSecretsData: $getSecretsData) {
    name
    type
    metadata
    createdAt
  }
}`;

/** Kubernetes DNS-subdomain rule, as mcli's validate_secret_name. */
export function validateMosaicName(name: string): string | undefined {
  if (!name) return 'A secret name is required.';
  if (name.length > 253) return `Secret names are at most 253 characters (this one has ${name.length}).`;
  if (!/^[a-z0-9]([a-z0-9.-]*[a-z0-9])?$/.test(name)) {
    return `'${printable(name)}' is not a valid MosaicML secret name: use lower-case letters, digits, '-' and '.', starting and ending with a letter or digit (a DNS subdomain name).`;
  }
  return undefined;
}

export function validateEnvKey(key: string): string | undefined {
  if (!key) return 'An environment variable name is required.';
  if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(key)) return `'${printable(key)}' is not a valid environment variable name (letters, digits and _, not starting with a digit).`;
  return undefined;
}

export function normaliseMosaicEndpoint(url: string): string {
  const u = parseServiceUrl(url, 'endpoint', MOSAIC_DEFAULT_ENDPOINT);
  return u.toString().replace(/\/+$/, '');
}

export interface MosaicSecretExtra {
  /** environment / hugging_face: the variable name. */
  envKey?: string;
  /** mounted / ssh / git-ssh / sftp-ssh / gcp: where the file lands. */
  mountPath?: string;
  /** s3 / oci: the directory. */
  mountDirectory?: string;
}

interface MosaicItem {
  name: string;
  type: string;
  metadata: Record<string, unknown>;
  createdAt?: string;
}

export function mosaicTypeOf(item: { type: string; metadata: Record<string, unknown> }): MosaicType | undefined {
  if (item.type === 'ENV_VAR' && item.metadata.key === 'HF_TOKEN') return 'hugging_face';
  return MAPI_TO_TYPE[item.type];
}

/** What mcli shows beside a secret: the env var name, or the mount path / directory. */
export function mosaicDetail(item: { metadata: Record<string, unknown> }): string | undefined {
  const m = item.metadata;
  for (const k of ['key', 'mountPath', 'mountDirectory']) if (typeof m[k] === 'string') return m[k] as string;
  return undefined;
}

export class MosaicClient implements PlatformClient {
  readonly platform = 'mosaic' as const;
  readonly capabilities: Capabilities = {
    share: false,
    shareUnsupportedReason: 'MosaicML secrets belong to your user and are injected into every run you start; mcli has no way to share a secret with another user.',
    update: 'recreate',
    keys: false,
    fileValues: true,
    privateFlag: false,
    groupByType: true,
  };
  private readonly endpoint: string;

  constructor(private readonly o: { endpoint: string; apiKey: string; origins: readonly string[]; http: HttpClient }) {
    this.endpoint = normaliseMosaicEndpoint(o.endpoint);
    redactor.add(o.apiKey);
  }

  validateName(name: string): string | undefined {
    return validateMosaicName(name);
  }

  private async gql(query: string, operationName: string, variables: Record<string, unknown>, field: string, what: string, signal?: AbortSignal): Promise<MosaicItem[]> {
    const res = await this.o.http.request({
      method: 'POST',
      url: this.endpoint,
      json: { query, variables, operationName },
      headers: { 'x-mosaicml-client': 'mcli', 'x-mosaicml-client-version': 'ml-secrets' },
      // mcli sends the key verbatim (no "Bearer"); a Databricks PAT arrives already as "Bearer …".
      auth: { origins: this.o.origins, header: 'Authorization', value: this.o.apiKey },
      // Names and metadata (env var name, mount path); every value string is held in the redactor.
      publicFields: ['query', 'operationName', 'variables.getSecretsData', 'variables.createSecretData.*.name', 'variables.createSecretData.*.metadata'],
      idempotent: operationName === 'GetSecrets',
      maxResponseBytes: operationName === 'GetSecrets' ? RESPONSE_CAP.list : RESPONSE_CAP.write,
      signal,
    });
    return parseMosaicAnswer(res, field, what);
  }

  async listScopes(): Promise<Scope[]> {
    return [{ id: 'user', label: 'Your secrets', description: new URL(this.endpoint).host, ref: {}, isDefault: true, complete: true }];
  }

  async listSecrets(_scope: ScopeRef, signal?: AbortSignal): Promise<SecretInfo[]> {
    const items = await this.gql(GET_SECRETS, 'GetSecrets', { getSecretsData: { filters: {} } }, 'getSecrets', 'list secrets', signal);
    return items.map((it) => ({ name: it.name, type: mosaicTypeOf(it) ?? it.type.toLowerCase(), scope: mosaicDetail(it), createdAt: it.createdAt }));
  }

  async addSecret(_scope: ScopeRef, input: SecretInput, signal?: AbortSignal): Promise<void> {
    const problem = validateMosaicName(input.name);
    if (problem) throw new ValidationError(problem);
    const data = buildCreateInput(input);
    const plain = input.value ? Buffer.from(input.value).toString('utf8') : undefined;
    redactor.add(plain);
    for (const v of Object.values(input.values ?? {})) redactor.add(v);
    try {
      const items = await this.gql(CREATE_SECRET, 'CreateSecret', { createSecretData: data }, 'createSecret', `create '${printable(input.name)}'`, signal);
      if (items.length !== 1) throw new ProtocolError(`MosaicML answered the create with ${items.length} items; expected 1.`);
    } finally {
      redactor.remove(plain);
      for (const v of Object.values(input.values ?? {})) redactor.remove(v);
    }
  }

  /**
   * Secrets are not modifiable: delete, then create again with the same type and metadata
   * (src/core/platforms/recreate.ts says why that order, and how the new value is never lost).
   */
  async updateSecret(scope: ScopeRef, name: string, update: SecretUpdate, signal?: AbortSignal): Promise<void> {
    const current = (await this.gql(GET_SECRETS, 'GetSecrets', { getSecretsData: { filters: { name: { in: [name] } } } }, 'getSecrets', `read '${printable(name)}'`, signal)).find((i) => i.name === name);
    if (!current) throw new NotFoundError(`Secret '${printable(name)}' does not exist; use Add Secret to create it.`);
    const type = mosaicTypeOf(current);
    if (!type) throw new UnsupportedError(`Secrets of type ${current.type} can't be recreated by ML Secrets.`);
    // Our own copy: the caller wipes its buffer when the command ends, and a failed re-create must
    // still hold the new value for Retry.
    const value = update.value ? Uint8Array.from(update.value) : undefined;
    const values = update.values ? Object.fromEntries(Object.entries(update.values).filter((e): e is [string, string] => typeof e[1] === 'string')) : undefined;
    const input: SecretInput = { name, type, value, values, extra: {} };
    const meta = MOSAIC_TYPE_SPECS[type].meta;
    const detail = mosaicDetail(current);
    if (meta === 'key') input.extra = { envKey: detail };
    else if (meta === 'mountPath') input.extra = { mountPath: detail };
    else if (meta === 'mountDirectory') input.extra = { mountDirectory: detail };
    buildCreateInput(input); // validate before anything is deleted
    await deleteThenRecreate(
      {
        label: printable(name),
        remove: (s) => this.deleteSecret(scope, name, s),
        create: (s) => this.addSecret(scope, input, s),
        exists: async (s) => (await this.gql(GET_SECRETS, 'GetSecrets', { getSecretsData: { filters: { name: { in: [name] } } } }, 'getSecrets', `read '${printable(name)}'`, s)).some((i) => i.name === name),
        wipe: () => {
          value?.fill(0);
          input.values = undefined;
        },
      },
      signal,
      this.recreateOptions,
    );
  }

  /** Test seam: how the re-create after a delete is retried. */
  recreateOptions: RecreateOptions = {};

  async deleteSecret(_scope: ScopeRef, name: string, signal?: AbortSignal): Promise<DeleteResult> {
    const problem = validateMosaicName(name);
    if (problem) throw new ValidationError(problem);
    // Always by name: empty filters would delete every secret of the user.
    const items = await this.gql(DELETE_SECRETS, 'DeleteSecrets', { getSecretsData: { filters: { name: { in: [name] } } } }, 'deleteSecrets', `delete '${printable(name)}'`, signal);
    return { alreadyGone: !items.some((i) => i.name === name) };
  }

  scopeFor(_ref: SecretReference): ScopeRef {
    return {};
  }

  reference(_scope: ScopeRef, name: string): string {
    return `<<${name}>>`;
  }
}

/** The `createSecretData` object for one secret (exactly one type key). */
export function buildCreateInput(input: SecretInput): Record<string, unknown> {
  const type = (input.type ?? 'environment') as MosaicType;
  const spec = MOSAIC_TYPE_SPECS[type];
  if (!spec) throw new ValidationError(`Unknown MosaicML secret type '${printable(String(input.type))}'. Use one of: ${MOSAIC_TYPES.join(', ')}.`);
  const extra = input.extra ?? {};
  const body: Record<string, unknown> = { name: input.name };
  if (spec.meta === 'key') {
    const key = type === 'hugging_face' ? (extra.envKey ?? 'HF_TOKEN') : extra.envKey;
    if (!key) throw new ValidationError("An environment secret needs 'envKey' (the variable name).");
    const bad = validateEnvKey(key);
    if (bad) throw new ValidationError(bad);
    body.metadata = { key };
  } else if (spec.meta === 'mountPath') {
    const p = extra.mountPath ?? `/secrets/${input.name}`;
    if (!p.startsWith('/')) throw new ValidationError(`The mount path '${printable(p)}' must be absolute.`);
    body.metadata = { mountPath: p };
  } else if (spec.meta === 'mountDirectory') {
    const p = extra.mountDirectory ?? extra.mountPath ?? `/secrets/${input.name}`;
    if (!p.startsWith('/')) throw new ValidationError(`The mount directory '${printable(p)}' must be absolute.`);
    body.metadata = { mountDirectory: p };
  }
  if (spec.fields) {
    const values = input.values ?? {};
    const value: Record<string, string> = {};
    for (const f of spec.fields) {
      const v = values[f.name];
      if (v === undefined || v === '') {
        if (!f.optional) throw new ValidationError(`A ${spec.label} secret needs '${f.name}' (${f.label}) in values.`);
        continue;
      }
      value[f.name] = v;
    }
    const unknown = Object.keys(values).filter((k) => !spec.fields?.some((f) => f.name === k));
    if (unknown.length) throw new ValidationError(`A ${spec.label} secret has no field ${unknown.map((k) => `'${printable(k)}'`).join(', ')}; its fields are ${spec.fields.map((f) => f.name).join(', ')}.`);
    body.value = value;
  } else {
    if (!input.value || !input.value.length) throw new ValidationError(`A ${spec.label} secret needs a value${spec.valueIsFile ? ' (valueFile)' : ''}.`);
    body.value = Buffer.from(input.value).toString('utf8');
  }
  return { [spec.inputKey]: body };
}

/** Reads `data[field]` (a list) or maps `errors[]` to typed errors. */
export function parseMosaicAnswer(res: HttpResponse, field: string, what: string): MosaicItem[] {
  let body: unknown;
  try {
    body = JSON.parse(res.text);
  } catch {
    if (res.status === 401 || res.status === 403) throw new AuthError(`MosaicML did not accept the API key (${res.status}).`);
    // A success status with an HTML page or garbage is a protocol fault, not an HTTP one.
    if (res.status >= 200 && res.status < 300) parseJsonBody(res.text, res.status, res.headers.get('content-type'), 'MosaicML', undefined);
    throw new HttpError(res.status, `MosaicML answered ${res.status} with a body that is not JSON while trying to ${what}.`);
  }
  const b = (body && typeof body === 'object' ? body : {}) as { data?: Record<string, unknown> | null; errors?: unknown };
  if (Array.isArray(b.errors) && b.errors.length) {
    const first = b.errors[0] as { message?: unknown; extensions?: { code?: unknown } };
    const code = typeof first?.extensions?.code === 'number' ? first.extensions.code : Number(first?.extensions?.code) || (res.status >= 400 ? res.status : 500);
    const msg = typeof first?.message === 'string' ? redact(first.message).slice(0, 300) : 'no message';
    const more = b.errors.length > 1 ? ` (+${b.errors.length - 1} more)` : '';
    switch (code) {
      case 401:
        return thrower(new AuthError(`MosaicML did not accept the API key when trying to ${what}: ${msg}`));
      case 403:
        return thrower(new PermissionError(`MosaicML refused to ${what}: ${msg}`));
      case 404:
        return thrower(new NotFoundError(`Not found while trying to ${what}: ${msg}`, msg));
      case 409:
        return thrower(new ConflictError(`Couldn't ${what}: that name is taken (${msg}).`, msg));
      case 400:
        return thrower(new HttpError(400, `MosaicML rejected the request to ${what}: ${msg}${more}`, msg));
      default:
        return thrower(new HttpError(code, `MosaicML ${code === 503 ? 'is offline' : `had an error (${code})`} while trying to ${what}: ${msg}${more}`, msg));
    }
  }
  if (res.status === 401 || res.status === 403) throw new AuthError(`MosaicML did not accept the API key (${res.status}).`);
  if (res.status !== 200) throw new HttpError(res.status, `MosaicML answered ${res.status} while trying to ${what}.`);
  const list = b.data?.[field];
  if (!Array.isArray(list)) throw new ProtocolError(`Malformed response data: MosaicML sent no ${field} list.`);
  return list.map((it) => {
    if (!it || typeof it !== 'object') throw new ProtocolError('MosaicML sent a secret that is not an object.');
    const o = it as Record<string, unknown>;
    if (typeof o.name !== 'string' || typeof o.type !== 'string') throw new ProtocolError('MosaicML sent a secret without a name or type.');
    const metadata = o.metadata && typeof o.metadata === 'object' ? (o.metadata as Record<string, unknown>) : {};
    return { name: o.name, type: o.type, metadata, createdAt: typeof o.createdAt === 'string' ? o.createdAt : undefined };
  });
}

function thrower(e: Error): never {
  throw e;
}
