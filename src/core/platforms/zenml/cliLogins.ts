// The ZenML CLI's own login: its global config directory holds config.yaml (the active store:
// `store: {type: rest, url}`) and credentials.yaml (per server URL: api_key, username/password,
// api_token {access_token, expires_at}). ZENML_STORE_* environment variables override the store.
// docs/platform-apis.md §2.6. Pure: no vscode import; file access is injected.

import * as path from 'node:path';
import { credentialProblem, describeType, displayPath, guardedTextFs, isMapping, own, readYamlMapping, type CliFileIssue, type TextFs } from '../../credentials/guardedRead';

export interface ZenmlCliLogin {
  source: string;
  url: string;
  apiKey?: string;
  username?: string;
  password?: string;
  accessToken?: string;
  /** Unix ms. */
  expiresAt?: number;
}

/** File access; the default reads through the guard (regular files only, 1 MB, never blocks). */
export type ZenmlFs = TextFs;

export interface ZenmlCliLogins {
  logins: ZenmlCliLogin[];
  /** Human-readable, one per problem; never a token. */
  problems: string[];
  /** The file-level ones among them, typed (also in `problems`). */
  issues: CliFileIssue[];
}

/** Click's app dir for "zenml" on each OS, unless ZENML_CONFIG_PATH says otherwise. */
export function zenmlConfigDir(env: Record<string, string | undefined>, home: string, platform: NodeJS.Platform = process.platform): string {
  if (env.ZENML_CONFIG_PATH) return env.ZENML_CONFIG_PATH;
  if (platform === 'darwin') return path.join(home, 'Library', 'Application Support', 'zenml');
  if (platform === 'win32') return path.join(env.APPDATA ?? path.join(home, 'AppData', 'Roaming'), 'zenml');
  return path.join(env.XDG_CONFIG_HOME ?? path.join(home, '.config'), 'zenml');
}

function str(v: unknown): string | undefined {
  return typeof v === 'string' && v.trim() ? v.trim() : undefined;
}

function cleanUrl(u: string | undefined): string | undefined {
  if (!u || u.length > 2048) return undefined;
  try {
    const url = new URL(u);
    if (url.protocol !== 'https:' && url.protocol !== 'http:') return undefined;
    if (url.username || url.password) return undefined;
    return url.toString().replace(/\/+$/, '');
  } catch {
    return undefined;
  }
}

function isTrue(v: string | undefined): boolean {
  return !!v && /^(1|true|yes|on)$/i.test(v.trim());
}

/** A credential field: a usable string, or undefined (with a problem when it is there but unusable). */
function credentialField(entry: Record<string, unknown>, key: string, where: string, allowSpaces: boolean, problems: string[]): string | undefined {
  const v = own(entry, key);
  if (v === undefined || v === null || v === '') return undefined;
  const why = typeof v !== 'string' ? `is ${describeType(v)}, not a string` : credentialProblem(allowSpaces ? v : v.trim(), allowSpaces);
  if (why) {
    problems.push(`${where} has a ${key} that ${why}; it was not used.`);
    return undefined;
  }
  return allowSpaces ? (v as string) : (v as string).trim() || undefined;
}

/** The login a credentials entry (or config.yaml's store) holds for `url`, if it holds one. */
function loginFromEntry(url: string, entry: Record<string, unknown>, source: string, problems: string[]): ZenmlCliLogin | undefined {
  const where = `${source} (entry for ${new URL(url).origin})`;
  const field = (obj: Record<string, unknown>, key: string, allowSpaces: boolean) => credentialField(obj, key, where, allowSpaces, problems);
  const rawToken = own(entry, 'api_token');
  if (rawToken !== undefined && rawToken !== null && !isMapping(rawToken)) problems.push(`${where} has an api_token that is ${describeType(rawToken)}, not a mapping; it was not used.`);
  const token = isMapping(rawToken) ? rawToken : undefined;
  const expiresRaw = token ? own(token, 'expires_at') : undefined;
  const expiresText = expiresRaw instanceof Date ? expiresRaw.toISOString() : str(expiresRaw);
  const expires = expiresText && expiresText.length < 100 ? Date.parse(expiresText) : undefined;
  const login: ZenmlCliLogin = {
    source,
    url,
    apiKey: field(entry, 'api_key', false),
    username: field(entry, 'username', true)?.trim() || undefined,
    password: field(entry, 'password', true),
    accessToken: token ? field(token, 'access_token', false) : undefined,
    expiresAt: expires !== undefined && !Number.isNaN(expires) ? expires : undefined,
  };
  if (!login.apiKey && !(login.username && login.password) && !login.accessToken) return undefined;
  return login;
}

/** The login the ZENML_STORE_* variables give for the env-configured store, if they give one. */
function envLogin(env: Record<string, string | undefined>, envUrl: string, problems: string[]): ZenmlCliLogin | undefined {
  const envCred = (name: string, allowSpaces: boolean): string | undefined => {
    const v = env[name];
    if (v === undefined || v === '') return undefined;
    const why = credentialProblem(allowSpaces ? v : v.trim(), allowSpaces);
    if (why) {
      problems.push(`${name} ${why}; ignoring it.`);
      return undefined;
    }
    return allowSpaces ? v : v.trim() || undefined;
  };
  const apiKey = envCred('ZENML_STORE_API_KEY', false);
  const username = envCred('ZENML_STORE_USERNAME', true)?.trim() || undefined;
  const password = envCred('ZENML_STORE_PASSWORD', true) ?? (env.ZENML_STORE_PASSWORD === '' ? '' : undefined);
  if (!apiKey && !(username && password !== undefined)) return undefined;
  return { source: 'ZENML_STORE_* environment', url: envUrl, apiKey, username, password };
}

/** config.yaml's store (a mapping, else reported and empty) and the store URL the CLI would use now. */
function activeStore(config: Record<string, unknown>, env: Record<string, string | undefined>, shown: string, report: (issue: CliFileIssue) => void, problems: string[]) {
  const rawStore = own(config, 'store');
  if (rawStore !== undefined && rawStore !== null && !isMapping(rawStore)) {
    report({ file: `${shown}/config.yaml`, problem: 'invalid', message: `${shown}/config.yaml has a store that is ${describeType(rawStore)}, not a mapping; it was ignored.` });
  }
  const store = isMapping(rawStore) ? rawStore : {};
  const rawEnvUrl = str(env.ZENML_STORE_URL);
  const envUrl = cleanUrl(rawEnvUrl);
  if (rawEnvUrl && !envUrl) problems.push('ZENML_STORE_URL is not an http(s) URL without a user name or password; ignoring it.');
  const storeType = own(store, 'type');
  const storeUrl = envUrl ?? (str(storeType) === 'rest' || !storeType ? cleanUrl(str(own(store, 'url'))) : undefined);
  return { store, envUrl, storeUrl };
}

/** The logins of credentials.yaml, the active store's first, skipping servers already in `seen`. */
function credentialLogins(creds: Record<string, unknown>, storeUrl: string | undefined, shown: string, seen: Set<string>, problems: string[]): ZenmlCliLogin[] {
  const entries: Array<[string, Record<string, unknown>]> = [];
  for (const [key, v] of Object.entries(creds)) {
    if (isMapping(v)) entries.push([key, v]);
    else problems.push(`${shown}/credentials.yaml has an entry that is ${describeType(v)}, not a mapping; skipped.`);
  }
  entries.sort(([a], [b]) => (cleanUrl(a) === storeUrl ? -1 : cleanUrl(b) === storeUrl ? 1 : 0));
  const logins: ZenmlCliLogin[] = [];
  for (const [key, entry] of entries) {
    const url = cleanUrl(str(own(entry, 'url')) ?? key);
    if (!url) {
      problems.push(`${shown}/credentials.yaml has an entry whose URL is not http(s); skipped.`);
      continue;
    }
    if (seen.has(url)) continue;
    const login = loginFromEntry(url, entry, `${shown}/credentials.yaml`, problems);
    if (login) {
      logins.push(login);
      seen.add(url);
    }
  }
  return logins;
}

export async function readZenmlCliLogins(env: Record<string, string | undefined>, home: string, fs: ZenmlFs = guardedTextFs): Promise<ZenmlCliLogins> {
  const problems: string[] = [];
  const issues: CliFileIssue[] = [];
  const dir = zenmlConfigDir(env, home);
  const shown = displayPath(dir, home);
  const fileIssue = (issue: CliFileIssue) => {
    issues.push(issue);
    problems.push(issue.message);
  };
  const load = async (file: string): Promise<Record<string, unknown> | undefined> => {
    const r = await readYamlMapping(fs, path.join(dir, file), `${shown}/${file}`);
    if (r.status === 'problem') fileIssue(r.issue);
    return r.status === 'ok' ? r.value : undefined;
  };

  const config = (await load('config.yaml')) ?? {};
  const { store, envUrl, storeUrl } = activeStore(config, env, shown, fileIssue, problems);
  const creds = isTrue(env.DISABLE_CREDENTIALS_DISK_CACHING) ? {} : ((await load('credentials.yaml')) ?? {});

  const logins: ZenmlCliLogin[] = [];
  const seen = new Set<string>();
  // The env-configured store first (what the CLI would use now), then the active store, then others.
  const fromEnv = envUrl ? envLogin(env, envUrl, problems) : undefined;
  if (fromEnv && envUrl) {
    logins.push(fromEnv);
    seen.add(envUrl);
  }
  // Credentials placed directly in config.yaml's store are what the CLI moves to the credentials store.
  if (storeUrl && !seen.has(storeUrl)) {
    const inline = loginFromEntry(storeUrl, store, `${shown}/config.yaml`, problems);
    if (inline) {
      logins.push(inline);
      seen.add(storeUrl);
    }
  }
  logins.push(...credentialLogins(creds, storeUrl, shown, seen, problems));
  if (!logins.length && storeUrl) problems.push(`The ZenML CLI points at ${new URL(storeUrl).origin}, but no login for it is stored (run \`zenml login ${new URL(storeUrl).origin}\`).`);
  return { logins, problems, issues };
}
