// The MosaicML and Flyte CLIs' own logins. Pure: file access and environment are injected.
//
// MosaicML (docs/platform-apis.md §3.1, §3.6): ~/.mosaic/mcli_config (MCLI_CONFIG_DIR / MCLI_CONFIG_PATH),
//   MOSAICML_API_KEY (env first, even when empty), per-mode keys in mcloud_envs, MCLI_MODE and
//   MOSAICML_API_ENDPOINT for the endpoint.
// Flyte (§4.6, §4.7): the first config file in the CLI's search order, FLYTE_<SECTION>_<KEY>
//   overrides, and FLYTE_API_KEY (which forces client credentials and overrides the endpoint).

import * as path from 'node:path';
import { yaml } from '../vendor';

export interface CliFs {
  readFile(p: string): Promise<string>;
  exists(p: string): Promise<boolean>;
}

export interface MosaicCliLogin {
  source: string;
  url: string;
  apiKey: string;
}

const MCLI_ENDPOINTS: Record<string, string> = {
  PROD: 'https://api.mosaicml.com/graphql',
  STAGING: 'https://staging.api.mosaicml.com/graphql',
  DEV: 'https://dev.api.mosaicml.com/graphql',
  LOCAL: 'http://localhost:3001/graphql',
  DBX_AWS_STAGING: 'https://oregon.staging.cloud.databricks.com/api/2.0/genai-mapi/graphql',
  DBX_AZURE_STAGING: 'https://westus.staging.azuredatabricks.net/api/2.0/genai-mapi/graphql',
};

function loadYaml(text: string): Record<string, unknown> | undefined {
  try {
    const v = yaml().parse(text, { maxAliasCount: 50 }) as unknown;
    return v && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : v == null ? {} : undefined;
  } catch {
    return undefined;
  }
}

function s(v: unknown): string | undefined {
  return typeof v === 'string' && v.trim() ? v.trim() : undefined;
}

function tilde(p: string, home: string): string {
  return p.startsWith(home) ? `~${p.slice(home.length)}` : p;
}

export async function readMosaicCliLogins(env: Record<string, string | undefined>, home: string, fs: CliFs): Promise<{ logins: MosaicCliLogin[]; problems: string[] }> {
  const problems: string[] = [];
  const file = env.MCLI_CONFIG_PATH || path.join(env.MCLI_CONFIG_DIR || path.join(home, '.mosaic'), 'mcli_config');
  const mode = (env.MCLI_MODE || 'PROD').toUpperCase();
  const endpoint = env.MOSAICML_API_ENDPOINT || MCLI_ENDPOINTS[mode];
  if (!endpoint) problems.push(`MCLI_MODE=${mode} is not a mode mcli knows; set MOSAICML_API_ENDPOINT.`);
  let config: Record<string, unknown> = {};
  if (await fs.exists(file)) {
    const parsed = loadYaml(await fs.readFile(file).catch(() => ''));
    if (parsed) config = parsed;
    else problems.push(`${tilde(file, home)} is not valid YAML; skipped.`);
  }
  let apiKey: string | undefined;
  let source = tilde(file, home);
  if (env.MOSAICML_API_KEY !== undefined) {
    apiKey = s(env.MOSAICML_API_KEY);
    source = 'MOSAICML_API_KEY';
  } else if (mode !== 'PROD' && config.mcloud_envs && typeof config.mcloud_envs === 'object') {
    apiKey = s((config.mcloud_envs as Record<string, unknown>)[mode]);
  }
  apiKey ??= env.MOSAICML_API_KEY === undefined ? s(config.MOSAICML_API_KEY) : undefined;
  if (!apiKey || !endpoint) return { logins: [], problems };
  return { logins: [{ source, url: endpoint, apiKey }], problems };
}

export interface FlyteCliLogin {
  source: string;
  endpoint: string;
  insecure?: boolean;
  /** FLYTE_API_KEY format (for client-credentials logins, built from clientId + secret when needed). */
  apiKey: string;
  org?: string;
  project?: string;
  domain?: string;
}

/** The CLI's search order; `dirs` are the current directories (workspace folders), each with its git root. */
export async function flyteConfigCandidates(env: Record<string, string | undefined>, home: string, dirs: string[], fs: CliFs): Promise<string[]> {
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
  if (env.UCTL_CONFIG) out.push(env.UCTL_CONFIG);
  if (env.FLYTECTL_CONFIG) out.push(env.FLYTECTL_CONFIG);
  out.push(path.join(home, '.union', 'config.yaml'), path.join(home, '.flyte', 'config.yaml'));
  return [...new Set(out)];
}

function envOverride(env: Record<string, string | undefined>, section: string, key: string): string | undefined {
  return env[`FLYTE_${section}_${key}`.toUpperCase()];
}

export async function readFlyteCliLogins(env: Record<string, string | undefined>, home: string, dirs: string[], fs: CliFs): Promise<{ logins: FlyteCliLogin[]; problems: string[] }> {
  const problems: string[] = [];
  let config: Record<string, unknown> = {};
  let source: string | undefined;
  for (const c of await flyteConfigCandidates(env, home, dirs, fs)) {
    if (!(await fs.exists(c))) continue;
    const parsed = loadYaml(await fs.readFile(c).catch(() => ''));
    if (!parsed || (!parsed.admin && !parsed.task)) {
      // A ./config.yaml that isn't a Flyte config (it has no admin/task section) is not the CLI's.
      if (!parsed) problems.push(`${tilde(c, home)} is not valid YAML; skipped.`);
      continue;
    }
    config = parsed;
    source = tilde(c, home);
    break;
  }
  const admin = (config.admin && typeof config.admin === 'object' ? config.admin : {}) as Record<string, unknown>;
  const task = (config.task && typeof config.task === 'object' ? config.task : {}) as Record<string, unknown>;
  const get = (sec: string, obj: Record<string, unknown>, key: string) => envOverride(env, sec, key) ?? s(obj[key]);
  const org = get('task', task, 'org');
  const project = get('task', task, 'project');
  const domain = get('task', task, 'domain');
  const insecureRaw = envOverride(env, 'admin', 'insecure') ?? admin.insecure;
  const insecure = insecureRaw === true || (typeof insecureRaw === 'string' && /^(true|1|yes)$/i.test(insecureRaw));

  const apiKeyEnv = s(env.FLYTE_API_KEY);
  if (apiKeyEnv) {
    return { logins: [{ source: 'FLYTE_API_KEY', endpoint: '', insecure, apiKey: apiKeyEnv, org, project, domain }], problems };
  }
  if (!source) return { logins: [], problems };
  const endpoint = get('admin', admin, 'endpoint');
  if (!endpoint) {
    problems.push(`${source} has no admin.endpoint.`);
    return { logins: [], problems };
  }
  const authType = (get('admin', admin, 'authType') ?? 'Pkce').toLowerCase();
  if (authType !== 'clientsecret') {
    problems.push(`${source} signs in with ${get('admin', admin, 'authType') ?? 'Pkce'} (a browser or device login) whose token lives in the OS keyring; sign in to Flyte with an API key instead (flyte create api-key).`);
    return { logins: [], problems };
  }
  const clientId = get('admin', admin, 'clientId');
  let secret: string | undefined;
  const secretEnvVar = get('admin', admin, 'clientSecretEnvVar');
  const secretLocation = get('admin', admin, 'clientSecretLocation');
  if (secretEnvVar) secret = s(env[secretEnvVar]);
  if (!secret && secretLocation) {
    const p = secretLocation.startsWith('~') ? path.join(home, secretLocation.slice(1)) : secretLocation;
    secret = s(await fs.readFile(p).catch(() => ''));
  }
  if (!clientId || !secret) {
    problems.push(`${source}: ClientSecret login needs admin.clientId and a client secret (clientSecretLocation or clientSecretEnvVar).`);
    return { logins: [], problems };
  }
  const apiKey = Buffer.from(`${endpoint}:${clientId}:${secret}:${org ?? ''}`).toString('base64');
  return { logins: [{ source, endpoint, insecure, apiKey, org, project, domain }], problems };
}
