// What an mcli run receives from the user's MosaicML secrets (every secret reaches every run:
// docs/platform-apis.md §3.7), set against what its `command` uses (./runYaml.ts): the lines a code
// lens shows. A warning only for an env var that looks like a secret, is read without a fallback,
// is set by neither the YAML nor the command, is not one the platform or a secret type provides,
// and no environment secret provides; never when a secret's type isn't known (then we can't tell).

import type { SecretInfo } from '../types';
import { EnvUse, parseRunYaml, RunYaml } from './runYaml';
import { MOSAIC_TYPES, MosaicType } from './secretTypes';

export interface RunLens {
  /** Offset in the file the lens sits at (the `command:` key). */
  offset: number;
  title: string;
  tooltip: string;
  /** "Create…" for a missing env var: `mlSecrets.addSecret`'s arguments (without the connection). */
  create?: { name: string; type: 'environment'; envKey: string };
}

/**
 * Env vars the run has without any secret, or that we can't be sure about (so never warned about):
 * the shell's, the launcher's (torch distributed, Composer), mcli's and the platform's own.
 */
export const RUNTIME_VARS: readonly string[] = ['HOME', 'PATH', 'PWD', 'OLDPWD', 'USER', 'SHELL', 'HOSTNAME', 'LANG', 'TERM', 'TMPDIR', 'PYTHONPATH', 'RANK', 'WORLD_SIZE',
  'LOCAL_RANK', 'LOCAL_WORLD_SIZE', 'NODE_RANK', 'NUM_NODES', 'MASTER_ADDR', 'MASTER_PORT', 'RUN_NAME', 'GIT_SSH_COMMAND', 'GOOGLE_APPLICATION_CREDENTIALS'];
/** Prefixes of the same: mcli/Composer/Databricks-hosted runs set these themselves (or may). */
export const RUNTIME_PREFIXES: readonly string[] = ['COMPOSER_', 'MOSAICML_', 'MCLI_', 'DATABRICKS_', 'NVIDIA_', 'CUDA_', 'NCCL_', 'SECRET_PATH_'];

/** Env vars a secret of each type sets besides an environment secret's own key (docs/platform-apis.md §3.3). */
function envOfSecret(s: SecretInfo, type: MosaicType): string[] {
  switch (type) {
    case 'environment':
    case 'hugging_face':
      return s.scope ? [s.scope] : [];
    case 'gcp':
      return ['GOOGLE_APPLICATION_CREDENTIALS'];
    case 'git-ssh':
      return ['GIT_SSH_COMMAND'];
    case 'sftp-ssh':
      return ['COMPOSER_SFTP_KEY_FILE', 'COMPOSER_SFTP_KNOWN_HOSTS_FILE'];
    case 'databricks':
      return ['DATABRICKS_HOST', 'DATABRICKS_TOKEN'];
    case 's3':
      return ['AWS_CONFIG_FILE', 'AWS_SHARED_CREDENTIALS_FILE', 'AWS_PROFILE'];
    case 'oci':
      return ['OCI_CLI_CONFIG_FILE', 'OCI_CONFIG_FILE'];
    default:
      return [];
  }
}

/** A name that reads as a secret: one of its `_` parts is KEY/TOKEN (or ends so), SECRET, PASSWORD, PASS, CREDENTIALS… */
export function looksLikeSecret(name: string): boolean {
  return name.split('_').some((p) => /^[A-Z0-9]*(KEY|TOKEN)S?$/i.test(p) || /^(SECRETS?|PASSWORD|PASSWD|PASS|PASSPHRASE|CREDENTIALS?|CREDS)$/i.test(p));
}

function isRuntime(name: string): boolean {
  return RUNTIME_VARS.includes(name) || RUNTIME_PREFIXES.some((p) => name.startsWith(p));
}

/** What one secret shows as in the lens: its env var, its mount path, or its kind. */
function describe(s: SecretInfo, type: MosaicType | undefined): string {
  if (type === 'environment' || type === 'hugging_face') return s.scope ? `${s.scope} (env)` : `${s.name} (env)`;
  if (type === 'docker_registry') return 'docker registry';
  if (type === 'databricks') return 'Databricks (DATABRICKS_HOST, DATABRICKS_TOKEN)';
  if (s.scope?.startsWith('/')) return `${s.scope} (${type ?? 'mount'})`;
  return `${s.name} (${type ?? s.type ?? 'secret'})`;
}

function mosaicType(s: SecretInfo): MosaicType | undefined {
  return (MOSAIC_TYPES as readonly string[]).includes(s.type ?? '') ? (s.type as MosaicType) : undefined;
}

/** Whether the command uses this secret: its env var(s), or a path at or under its mount. */
function usedBy(run: RunYaml, s: SecretInfo, type: MosaicType | undefined): boolean {
  const env = type ? envOfSecret(s, type) : [];
  if (env.some((e) => run.uses.some((u) => u.name === e))) return true;
  const mount = s.scope?.startsWith('/') ? s.scope.replace(/\/+$/, '') : undefined;
  return !!mount && run.paths.some((p) => p === mount || p.startsWith(`${mount}/`));
}

/** The env vars the command reads that nothing provides and that look like secrets. */
export function unprovided(run: RunYaml, secrets: readonly SecretInfo[]): EnvUse[] {
  // A secret of a type we don't know may set variables we can't name: then no warning at all.
  if (secrets.some((s) => !mosaicType(s))) return [];
  const provided = new Set(secrets.flatMap((s) => envOfSecret(s, mosaicType(s) as MosaicType)));
  return run.uses.filter((u) => !u.hasDefault && !/[a-z]/.test(u.name) && looksLikeSecret(u.name) && !run.selfSet.has(u.name) && !isRuntime(u.name) && !provided.has(u.name));
}

/** A secret name mcli accepts for an env var (`WANDB_API_KEY` → `wandb-api-key`). */
function secretNameFor(envVar: string): string {
  return envVar.toLowerCase().replace(/[^a-z0-9.-]+/g, '-').replace(/^[^a-z0-9]+|[^a-z0-9]+$/g, '') || 'secret';
}

function list(items: readonly string[], max: number): string {
  return items.length > max ? `${items.slice(0, max).join(', ')} +${items.length - max} more` : items.join(', ');
}

/** The lenses for a run YAML against the user's secrets (a fetched list). */
export function runLenses(run: RunYaml, secrets: readonly SecretInfo[], connection: string): RunLens[] {
  const offset = run.commandOffset;
  const items = secrets.map((s) => ({ s, type: mosaicType(s) })).map(({ s, type }) => ({ s, text: describe(s, type), used: usedBy(run, s, type) }));
  const n = items.length;
  const head = n === 0 ? 'This run receives no secrets' : `This run receives ${n} secret${n === 1 ? '' : 's'}: ${list(items.map((i) => i.text), 3)}`;
  const tooltip = [
    `Every MosaicML secret of '${connection}' is injected into every run: env secrets as variables, file secrets mounted.`,
    ...items.map((i) => `• ${i.s.name}: ${i.text}${i.used ? ' — used by this command' : ''}`),
  ].join('\n');
  const lenses: RunLens[] = [{ offset, title: head, tooltip }];
  const missing = unprovided(run, secrets);
  if (missing.length) {
    const names = missing.map((u) => `$${u.name}`);
    const first = missing[0].name;
    lenses.push({
      offset,
      title: `$(warning) uses ${list(names, 2)}: no environment secret provides ${missing.length === 1 ? 'it' : 'them'} — Create…`,
      tooltip:
        `The command reads ${names.join(', ')}, which looks like a secret, but none of the MosaicML secrets of '${connection}' sets ` +
        `${missing.length === 1 ? 'it' : 'them'} and this YAML doesn't set ${missing.length === 1 ? 'it' : 'them'} (env_variables). ` +
        `Create an environment secret with that variable name, or set it in the YAML.`,
      create: { name: secretNameFor(first), type: 'environment', envKey: first },
    });
  }
  return lenses;
}

/** The lens hook MosaicML's facts carry (./facts.ts): the file's lenses, or none when it isn't a run YAML. */
export function runFileLenses(text: string, secrets: readonly SecretInfo[], connection: string): RunLens[] {
  const run = parseRunYaml(text);
  return run ? runLenses(run, secrets, connection) : [];
}
