// The Flyte CLI's own login (docs/platform-apis.md §4.6, §4.7): the first config file in the CLI's
// search order, FLYTE_<SECTION>_<KEY> overrides, and FLYTE_API_KEY (which forces client credentials
// and overrides the endpoint). Pure: file access and environment are injected.

import * as path from 'node:path';
import { guardedCliFs, trimmed, type CliFs, type CliLoginsResult } from '../../credentials/cliFiles';
import { MAX_SECRET_FILE_BYTES, credentialProblem, describeType, displayPath, guardedReadText, isMapping, own, readTextOutcome, readYamlMapping, type CliFileIssue, type TextFs } from '../../credentials/guardedRead';
import { decodeFlyteApiKey } from './endpoint';

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

type Env = Record<string, string | undefined>;

/** Where one read's problems go: every one in `problems`, the file-level ones also in `issues`. */
interface Report {
  problems: string[];
  issues: CliFileIssue[];
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
export async function flyteConfigCandidates(env: Env, home: string, dirs: string[], fs: CliFs = guardedCliFs): Promise<string[]> {
  const out = await workspaceFlyteCandidates(dirs, fs);
  if (env.UCTL_CONFIG) out.push(env.UCTL_CONFIG);
  if (env.FLYTECTL_CONFIG) out.push(env.FLYTECTL_CONFIG);
  out.push(path.join(home, '.union', 'config.yaml'), path.join(home, '.flyte', 'config.yaml'));
  return [...new Set(out)];
}

function envOverride(env: Env, section: string, key: string): string | undefined {
  return env[`FLYTE_${section}_${key}`.toUpperCase()];
}

/** The first Flyte config in the search order (one with an admin or task section), as shown, and whether the workspace holds it. */
async function findConfig(env: Env, home: string, dirs: string[], fs: CliFs, report: Report): Promise<{ config: Record<string, unknown>; source?: string; fromWorkspace: boolean }> {
  const inWorkspace = new Set(await workspaceFlyteCandidates(dirs, fs));
  for (const c of await flyteConfigCandidates(env, home, dirs, fs)) {
    const shown = displayPath(c, home);
    const r = await readYamlMapping(fs, c, shown);
    if (r.status === 'missing') continue;
    if (r.status === 'problem') {
      report.issues.push(r.issue);
      report.problems.push(r.issue.message);
      continue;
    }
    // A ./config.yaml that isn't a Flyte config (it has no admin/task section) is not the CLI's.
    if (!own(r.value, 'admin') && !own(r.value, 'task')) continue;
    return { config: r.value, source: shown, fromWorkspace: inWorkspace.has(c) };
  }
  return { config: {}, fromWorkspace: false };
}

/** Reads `section.key` of the config, FLYTE_<SECTION>_<KEY> first; an unusable value is a problem and undefined. */
function configValue(env: Env, source: string | undefined, problems: string[], sec: string, obj: Record<string, unknown>, key: string): string | undefined {
  const fromEnv = envOverride(env, sec, key);
  if (fromEnv !== undefined) {
    // eslint-disable-next-line no-control-regex -- deliberately matches control characters (refused or replaced)
    if (fromEnv.length > 4096 || /[\u0000-\u001f\u007f]/.test(fromEnv)) {
      problems.push(`FLYTE_${sec}_${key}`.toUpperCase() + ' is too long or has control characters; ignoring it.');
    } else return trimmed(fromEnv);
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
  return trimmed(v);
}

/** FLYTE_API_KEY when it decodes (checked now, so a bad key is a problem here instead of a failed sign-in later). */
function envApiKey(env: Env, problems: string[]): string | undefined {
  const apiKeyEnv = trimmed(env.FLYTE_API_KEY);
  if (!apiKeyEnv) return undefined;
  let why = credentialProblem(apiKeyEnv);
  if (!why) {
    try {
      decodeFlyteApiKey(apiKeyEnv);
    } catch {
      why = 'is not a Flyte API key (base64 of endpoint:client_id:client_secret:org)';
    }
  }
  if (!why) return apiKeyEnv;
  problems.push(`FLYTE_API_KEY ${why}; ignoring it.`);
  return undefined;
}

/** The client secret: from the env var the config names, else from clientSecretLocation (read through the guard). */
async function clientSecret(env: Env, home: string, fs: CliFs, envVar: string | undefined, location: string | undefined, report: Report): Promise<string | undefined> {
  let secret: string | undefined;
  if (envVar && Object.prototype.hasOwnProperty.call(env, envVar)) secret = trimmed(env[envVar]);
  if (!secret && location) {
    const p = location.startsWith('~') ? path.join(home, location.slice(1)) : location;
    const shownSecret = displayPath(p, home);
    const secretFs: TextFs = fs === guardedCliFs ? { readFile: (f) => guardedReadText(f, MAX_SECRET_FILE_BYTES) } : fs;
    const r = await readTextOutcome(secretFs, p, shownSecret, MAX_SECRET_FILE_BYTES);
    if (r.status === 'ok') secret = trimmed(r.value);
    else if (r.status === 'problem') {
      report.issues.push(r.issue);
      report.problems.push(r.issue.message);
    }
  }
  return secret;
}

export async function readFlyteCliLogins(env: Env, home: string, dirs: string[], fs: CliFs = guardedCliFs): Promise<CliLoginsResult<FlyteCliLogin>> {
  const report: Report = { problems: [], issues: [] };
  const { problems, issues } = report;
  const { config, source, fromWorkspace } = await findConfig(env, home, dirs, fs, report);
  const section = (name: string): Record<string, unknown> => {
    const v = own(config, name);
    if (v === undefined || v === null) return {};
    if (isMapping(v)) return v;
    problems.push(`${source} has an ${name} section that is ${describeType(v)}, not a mapping; it was ignored.`);
    return {};
  };
  const admin = section('admin');
  const task = section('task');
  const get = (sec: string, obj: Record<string, unknown>, key: string) => configValue(env, source, problems, sec, obj, key);
  const org = get('task', task, 'org');
  const project = get('task', task, 'project');
  const domain = get('task', task, 'domain');
  const insecureRaw = envOverride(env, 'admin', 'insecure') ?? own(admin, 'insecure');
  const insecure = insecureRaw === true || (typeof insecureRaw === 'string' && /^(true|1|yes)$/i.test(insecureRaw));

  const apiKeyEnv = envApiKey(env, problems);
  if (apiKeyEnv) return { logins: [{ source: 'FLYTE_API_KEY', endpoint: '', insecure, apiKey: apiKeyEnv, org, project, domain }], problems, issues };
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
  let secret = await clientSecret(env, home, fs, get('admin', admin, 'clientSecretEnvVar'), get('admin', admin, 'clientSecretLocation'), report);
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
