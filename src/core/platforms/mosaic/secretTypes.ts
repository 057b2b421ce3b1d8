// mcli's secret types: their CLI and MAPI names, what each holds (one value, or named fields) and
// where it lands at run time (an env var, a mount path or directory), and the `createSecretData`
// object a new secret of each type is sent as.

import { ValidationError } from '../../errors';
import { printable } from '../../text';
import type { SecretInput } from '../types';
import { validateEnvKey } from './names';

/** mcli's secret types, by their CLI names. */
export const MOSAIC_TYPES = ['environment', 'mounted', 'ssh', 'git-ssh', 'sftp-ssh', 'docker_registry', 's3', 'gcp', 'oci', 'databricks', 'hugging_face'] as const;
export type MosaicType = (typeof MOSAIC_TYPES)[number];

export interface TypeSpec {
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

export interface MosaicSecretExtra {
  /** environment / hugging_face: the variable name. */
  envKey?: string;
  /** mounted / ssh / git-ssh / sftp-ssh / gcp: where the file lands. */
  mountPath?: string;
  /** s3 / oci: the directory. */
  mountDirectory?: string;
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
