// The MosaicML and Flyte CLIs' own logins. Pure: file access and environment are injected.
//
// MosaicML (docs/platform-apis.md §3.1, §3.6): ~/.mosaic/mcli_config (MCLI_CONFIG_DIR / MCLI_CONFIG_PATH),
//   MOSAICML_API_KEY (env first, even when empty), per-mode keys in mcloud_envs, MCLI_MODE and
//   MOSAICML_API_ENDPOINT for the endpoint.
// Flyte (§4.6, §4.7): the first config file in the CLI's search order, FLYTE_<SECTION>_<KEY>
//   overrides, and FLYTE_API_KEY (which forces client credentials and overrides the endpoint).

import * as path from 'node:path';
import { promises as nodeFs } from 'node:fs';
import { decodeFlyteApiKey } from '../platforms/flyte/client';
import {
  MAX_SECRET_FILE_BYTES,
  credentialProblem,
  describeType,
  displayPath,
  guardedReadText,
  guardedTextFs,
  isMapping,
  own,
  readTextOutcome,
  readYamlMapping,
  type CliFileIssue,
  type TextFs,
} from './guardedRead';

/**
 * File access. `readFile` of the default goes through the guard (regular files only, size-capped,
 * never blocks); a missing file is an error with code ENOENT. `exists` is only used to find `.git`.
 */
export interface CliFs extends TextFs {
  readFile(p: string): Promise<string>;
  exists(p: string): Promise<boolean>;
}

export const guardedCliFs: CliFs = {
  readFile: guardedTextFs.readFile,
  exists: (p) => nodeFs.lstat(p).then(() => true, () => false),
};

export interface MosaicCliLogin {
  source: string;
  url: string;
  apiKey: string;
}

export interface CliLoginsResult<L> {
  logins: L[];
  /** Human-readable, one per problem; never a token. */
  problems: string[];
  /** The file-level ones among them, typed (also in `problems`). */
  issues: CliFileIssue[];
}

const MCLI_ENDPOINTS: Record<string, string> = {
  PROD: 'https://api.mosaicml.com/graphql',
  STAGING: 'https://staging.api.mosaicml.com/graphql',
  DEV: 'https://dev.api.mosaicml.com/graphql',
  LOCAL: 'http://localhost:3001/graphql',
  DBX_AWS_STAGING: 'https://oregon.staging.cloud.databricks.com/api/2.0/genai-mapi/graphql',
  DBX_AZURE_STAGING: 'https://westus.staging.azuredatabricks.net/api/2.0/genai-mapi/graphql',
};

function s(v: unknown): string | undefined {
  return typeof v === 'string' && v.trim() ? v.trim() : undefined;
}

function httpUrl(v: string): boolean {
  if (v.length > 2048) return false;
  try {
    const u = new URL(v);
    return (u.protocol === 'https:' || u.protocol === 'http:') && !u.username && !u.password;
  } catch {
    return false;
  }
}

export async function readMosaicCliLogins(env: Record<string, string | undefined>, home: string, fs: CliFs = guardedCliFs): Promise<CliLoginsResult<MosaicCliLogin>> {
  const problems: string[] = [];
  const issues: CliFileIssue[] = [];
  const file = env.MCLI_CONFIG_PATH || path.join(env.MCLI_CONFIG_DIR || path.join(home, '.mosaic'), 'mcli_config');
  const shown = displayPath(file, home);
  const mode = (env.MCLI_MODE || 'PROD').toUpperCase();
  let endpoint = env.MOSAICML_API_ENDPOINT || (Object.prototype.hasOwnProperty.call(MCLI_ENDPOINTS, mode) ? MCLI_ENDPOINTS[mode] : undefined);
  if (!endpoint) {
    const named = /^[A-Z0-9_-]{1,40}$/.test(mode) ? `MCLI_MODE=${mode}` : 'MCLI_MODE';
    problems.push(`${named} is not a mode mcli knows; set MOSAICML_API_ENDPOINT.`);
  } else if (!httpUrl(endpoint)) {
    problems.push('MOSAICML_API_ENDPOINT is not an http(s) URL without a user name or password; ignoring the MosaicML login.');
    endpoint = undefined;
  }
  let config: Record<string, unknown> = {};
  const r = await readYamlMapping(fs, file, shown);
  if (r.status === 'ok') config = r.value;
  else if (r.status === 'problem') {
    issues.push(r.issue);
    problems.push(r.issue.message);
  }
  let apiKey: string | undefined;
  let source = shown;
  /** A key as mcli would send it (`Authorization: <key>` verbatim, "Bearer <PAT>" allowed). */
  const usable = (v: unknown, where: string): string | undefined => {
    if (v === undefined || v === null) return undefined;
    if (typeof v !== 'string') {
      problems.push(`${where} is ${describeType(v)}, not a string; it was not used.`);
      return undefined;
    }
    const t = v.trim();
    if (!t) return undefined;
    const why = credentialProblem(t, true);
    if (why) {
      problems.push(`${where} ${why}; it was not used.`);
      return undefined;
    }
    return t;
  };
  if (env.MOSAICML_API_KEY !== undefined) {
    apiKey = usable(env.MOSAICML_API_KEY, 'MOSAICML_API_KEY');
    source = 'MOSAICML_API_KEY';
  } else {
    if (mode !== 'PROD') {
      const envs = own(config, 'mcloud_envs');
      if (envs !== undefined && envs !== null && !isMapping(envs)) problems.push(`${shown} has mcloud_envs that is ${describeType(envs)}, not a mapping; it was ignored.`);
      else if (isMapping(envs)) apiKey = usable(own(envs, mode), `${shown} (mcloud_envs.${/^[A-Z0-9_-]{1,40}$/.test(mode) ? mode : '…'})`);
    }
    apiKey ??= usable(own(config, 'MOSAICML_API_KEY'), `${shown} (MOSAICML_API_KEY)`);
  }
  if (!apiKey || !endpoint) return { logins: [], problems, issues };
  return { logins: [{ source, url: endpoint, apiKey }], problems, issues };
}

export interface FlyteCliLogin {
  source: string;
  endpoint: string;
  insecure?: boolean;
  /**
   * Set when the endpoint comes from a config file inside the workspace (a file the repository
   * controls) while the client secret comes from the user's environment or files: sending it there
   * needs the user's explicit consent. The path as shown.
   */
  workspaceFile?: string;
  /** FLYTE_API_KEY format (for client-credentials logins, built from clientId + secret when needed). */
  apiKey: string;
  org?: string;
  project?: string;
  domain?: string;
}

/** The candidates inside the current directories (workspace folders) and their git roots: files a repository controls. */
export async function workspaceFlyteCandidates(dirs: string[], fs: CliFs = guardedCliFs): Promise<string[]> {
  const out: string[] = [];
  for (const d of dirs) {
    out.push(path.join(d, 'config.yaml'), path.join(d, '.flyte', 'config.yaml'));
    let cur = d;
    for (let i = 0; i < 40; i++) {
      if (await fs.exists(path.join(cur, '.git'))) {
        out.push(path.join(cur, '.flyte', 'config.yaml'));
        break;
      }
      const up = path.dirname(cur);
      if (up === cur) break;
      cur = up;
    }
  }
  return [...new Set(out)];
}

/** The CLI's search order; `dirs` are the current directories (workspace folders), each with its git root. */
export async function flyteConfigCandidates(env: Record<string, string | undefined>, home: string, dirs: string[], fs: CliFs = guardedCliFs): Promise<string[]> {
  const out = await workspaceFlyteCandidates(dirs, fs);
  if (env.UCTL_CONFIG) out.push(env.UCTL_CONFIG);
  if (env.FLYTECTL_CONFIG) out.push(env.FLYTECTL_CONFIG);
  out.push(path.join(home, '.union', 'config.yaml'), path.join(home, '.flyte', 'config.yaml'));
  return [...new Set(out)];
}

function envOverride(env: Record<string, string | undefined>, section: string, key: string): string | undefined {
  return env[`FLYTE_${section}_${key}`.toUpperCase()];
}

export async function readFlyteCliLogins(
  env: Record<string, string | undefined>,
  home: string,
  dirs: string[],
  fs: CliFs = guardedCliFs,
): Promise<CliLoginsResult<FlyteCliLogin>> {
  const problems: string[] = [];
  const issues: CliFileIssue[] = [];
  let config: Record<string, unknown> = {};
  let source: string | undefined;
  let fromWorkspace = false;
  const inWorkspace = new Set(await workspaceFlyteCandidates(dirs, fs));
  for (const c of await flyteConfigCandidates(env, home, dirs, fs)) {
    const shown = displayPath(c, home);
    const r = await readYamlMapping(fs, c, shown);
    if (r.status === 'missing') continue;
    if (r.status === 'problem') {
      issues.push(r.issue);
      problems.push(r.issue.message);
      continue;
    }
    // A ./config.yaml that isn't a Flyte config (it has no admin/task section) is not the CLI's.
    if (!own(r.value, 'admin') && !own(r.value, 'task')) continue;
    config = r.value;
    source = shown;
    fromWorkspace = inWorkspace.has(c);
    break;
  }
  const section = (name: string): Record<string, unknown> => {
    const v = own(config, name);
    if (v === undefined || v === null) return {};
    if (isMapping(v)) return v;
    problems.push(`${source} has an ${name} section that is ${describeType(v)}, not a mapping; it was ignored.`);
    return {};
  };
  const admin = section('admin');
  const task = section('task');
  const get = (sec: string, obj: Record<string, unknown>, key: string): string | undefined => {
    const fromEnv = envOverride(env, sec, key);
    if (fromEnv !== undefined) {
      // eslint-disable-next-line no-control-regex -- deliberately matches control characters (refused or replaced)
      if (fromEnv.length > 4096 || /[\u0000-\u001f\u007f]/.test(fromEnv)) {
        problems.push(`FLYTE_${sec}_${key}`.toUpperCase() + ' is too long or has control characters; ignoring it.');
      } else return s(fromEnv);
    }
    const v = own(obj, key);
    if (v === undefined || v === null) return undefined;
    if (typeof v !== 'string') {
      if (typeof v === 'number' || typeof v === 'boolean') return String(v);
      problems.push(`${source} has ${sec}.${key} that is ${describeType(v)}, not a string; it was ignored.`);
      return undefined;
    }
    // eslint-disable-next-line no-control-regex -- deliberately matches control characters (refused or replaced)
    if (v.length > 4096 || /[\u0000-\u001f\u007f]/.test(v.trim())) {
      problems.push(`${source} has ${sec}.${key} that is too long or has control characters; it was ignored.`);
      return undefined;
    }
    return s(v);
  };
  const org = get('task', task, 'org');
  const project = get('task', task, 'project');
  const domain = get('task', task, 'domain');
  const insecureRaw = envOverride(env, 'admin', 'insecure') ?? own(admin, 'insecure');
  const insecure = insecureRaw === true || (typeof insecureRaw === 'string' && /^(true|1|yes)$/i.test(insecureRaw));

  const apiKeyEnv = s(env.FLYTE_API_KEY);
  if (apiKeyEnv) {
    // Checked here, so a key that doesn't decode is a problem now instead of a failed sign-in later.
    let why = credentialProblem(apiKeyEnv);
    if (!why) {
      try {
        decodeFlyteApiKey(apiKeyEnv);
      } catch {
        why = 'is not a Flyte API key (base64 of endpoint:client_id:client_secret:org)';
      }
    }
    if (!why) return { logins: [{ source: 'FLYTE_API_KEY', endpoint: '', insecure, apiKey: apiKeyEnv, org, project, domain }], problems, issues };
    problems.push(`FLYTE_API_KEY ${why}; ignoring it.`);
  }
  if (!source) return { logins: [], problems, issues };
  const endpoint = get('admin', admin, 'endpoint');
  if (!endpoint) {
    problems.push(`${source} has no admin.endpoint.`);
    return { logins: [], problems, issues };
  }
  const authTypeShown = get('admin', admin, 'authType') ?? 'Pkce';
  if (authTypeShown.toLowerCase() !== 'clientsecret') {
    const named = /^[A-Za-z]{1,30}$/.test(authTypeShown) ? authTypeShown : 'a login type';
    problems.push(`${source} signs in with ${named} (a browser or device login) whose token lives in the OS keyring; sign in to Flyte with an API key instead (flyte create api-key).`);
    return { logins: [], problems, issues };
  }
  const clientId = get('admin', admin, 'clientId');
  let secret: string | undefined;
  const secretEnvVar = get('admin', admin, 'clientSecretEnvVar');
  const secretLocation = get('admin', admin, 'clientSecretLocation');
  if (secretEnvVar && Object.prototype.hasOwnProperty.call(env, secretEnvVar)) secret = s(env[secretEnvVar]);
  if (!secret && secretLocation) {
    const p = secretLocation.startsWith('~') ? path.join(home, secretLocation.slice(1)) : secretLocation;
    const shownSecret = displayPath(p, home);
    const secretFs: TextFs = fs === guardedCliFs ? { readFile: (f) => guardedReadText(f, MAX_SECRET_FILE_BYTES) } : fs;
    const r = await readTextOutcome(secretFs, p, shownSecret, MAX_SECRET_FILE_BYTES);
    if (r.status === 'ok') secret = s(r.value);
    else if (r.status === 'problem') {
      issues.push(r.issue);
      problems.push(r.issue.message);
    }
  }
  if (secret && credentialProblem(secret)) {
    problems.push(`${source}: the client secret ${credentialProblem(secret)}; it was not used.`);
    secret = undefined;
  }
  if (!clientId || !secret) {
    problems.push(`${source}: ClientSecret login needs admin.clientId and a client secret (clientSecretLocation or clientSecretEnvVar).`);
    return { logins: [], problems, issues };
  }
  const apiKey = Buffer.from(`${endpoint}:${clientId}:${secret}:${org ?? ''}`).toString('base64');
  return { logins: [{ source, endpoint, insecure, apiKey, org, project, domain, ...(fromWorkspace ? { workspaceFile: source } : {}) }], problems, issues };
}
