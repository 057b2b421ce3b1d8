// The MosaicML CLI's own login (docs/platform-apis.md §3.1, §3.6): ~/.mosaic/mcli_config
// (MCLI_CONFIG_DIR / MCLI_CONFIG_PATH), MOSAICML_API_KEY (env first, even when empty), per-mode keys
// in mcloud_envs, MCLI_MODE and MOSAICML_API_ENDPOINT for the endpoint. Pure: file access and
// environment are injected.

import * as path from 'node:path';
import { guardedCliFs, type CliFs, type CliLoginsResult } from '../../credentials/cliFiles';
import { credentialProblem, describeType, displayPath, isMapping, own, readYamlMapping, type CliFileIssue } from '../../credentials/guardedRead';

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

function httpUrl(v: string): boolean {
  if (v.length > 2048) return false;
  try {
    const u = new URL(v);
    return (u.protocol === 'https:' || u.protocol === 'http:') && !u.username && !u.password;
  } catch {
    return false;
  }
}

/** The endpoint mcli would use (MOSAICML_API_ENDPOINT, else the mode's), or undefined after saying why not. */
function mcliEndpoint(env: Record<string, string | undefined>, mode: string, problems: string[]): string | undefined {
  const endpoint = env.MOSAICML_API_ENDPOINT || (Object.prototype.hasOwnProperty.call(MCLI_ENDPOINTS, mode) ? MCLI_ENDPOINTS[mode] : undefined);
  if (!endpoint) {
    const named = /^[A-Z0-9_-]{1,40}$/.test(mode) ? `MCLI_MODE=${mode}` : 'MCLI_MODE';
    problems.push(`${named} is not a mode mcli knows; set MOSAICML_API_ENDPOINT.`);
    return undefined;
  }
  if (!httpUrl(endpoint)) {
    problems.push('MOSAICML_API_ENDPOINT is not an http(s) URL without a user name or password; ignoring the MosaicML login.');
    return undefined;
  }
  return endpoint;
}

/** A key as mcli would send it (`Authorization: <key>` verbatim, "Bearer <PAT>" allowed), or undefined after saying why not. */
function usableKey(v: unknown, where: string, problems: string[]): string | undefined {
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
}

/** The key from mcli_config: the mode's in mcloud_envs (outside PROD), else MOSAICML_API_KEY. */
function configKey(config: Record<string, unknown>, mode: string, shown: string, problems: string[]): string | undefined {
  let apiKey: string | undefined;
  if (mode !== 'PROD') {
    const envs = own(config, 'mcloud_envs');
    if (envs !== undefined && envs !== null && !isMapping(envs)) problems.push(`${shown} has mcloud_envs that is ${describeType(envs)}, not a mapping; it was ignored.`);
    else if (isMapping(envs)) apiKey = usableKey(own(envs, mode), `${shown} (mcloud_envs.${/^[A-Z0-9_-]{1,40}$/.test(mode) ? mode : '…'})`, problems);
  }
  return apiKey ?? usableKey(own(config, 'MOSAICML_API_KEY'), `${shown} (MOSAICML_API_KEY)`, problems);
}

export async function readMosaicCliLogins(env: Record<string, string | undefined>, home: string, fs: CliFs = guardedCliFs): Promise<CliLoginsResult<MosaicCliLogin>> {
  const problems: string[] = [];
  const issues: CliFileIssue[] = [];
  const file = env.MCLI_CONFIG_PATH || path.join(env.MCLI_CONFIG_DIR || path.join(home, '.mosaic'), 'mcli_config');
  const shown = displayPath(file, home);
  const mode = (env.MCLI_MODE || 'PROD').toUpperCase();
  const endpoint = mcliEndpoint(env, mode, problems);
  let config: Record<string, unknown> = {};
  const r = await readYamlMapping(fs, file, shown);
  if (r.status === 'ok') config = r.value;
  else if (r.status === 'problem') {
    issues.push(r.issue);
    problems.push(r.issue.message);
  }
  const fromEnv = env.MOSAICML_API_KEY !== undefined;
  const apiKey = fromEnv ? usableKey(env.MOSAICML_API_KEY, 'MOSAICML_API_KEY', problems) : configKey(config, mode, shown, problems);
  if (!apiKey || !endpoint) return { logins: [], problems, issues };
  return { logins: [{ source: fromEnv ? 'MOSAICML_API_KEY' : shown, url: endpoint, apiKey }], problems, issues };
}
