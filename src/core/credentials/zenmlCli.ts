// The ZenML CLI's own login: its global config directory holds config.yaml (the active store:
// `store: {type: rest, url}`) and credentials.yaml (per server URL: api_key, username/password,
// api_token {access_token, expires_at}). ZENML_STORE_* environment variables override the store.
// docs/platform-apis.md §2.6. Pure: no vscode import; file access is injected.

import * as path from 'node:path';
import { yaml } from '../vendor';

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

export interface ZenmlFs {
  readFile(p: string): Promise<string>;
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
  if (!u) return undefined;
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

export async function readZenmlCliLogins(env: Record<string, string | undefined>, home: string, fs: ZenmlFs): Promise<{ logins: ZenmlCliLogin[]; problems: string[] }> {
  const problems: string[] = [];
  const dir = zenmlConfigDir(env, home);
  const shown = dir.startsWith(home) ? `~${dir.slice(home.length)}` : dir;
  const load = async (file: string): Promise<Record<string, unknown> | undefined> => {
    let text: string;
    try {
      text = await fs.readFile(path.join(dir, file));
    } catch {
      return undefined;
    }
    if (text.length > 4 * 1024 * 1024) {
      problems.push(`${shown}/${file} is too large to be a ZenML config file.`);
      return undefined;
    }
    try {
      const v = yaml().parse(text, { maxAliasCount: 50 }) as unknown;
      if (v === null || v === undefined) return {};
      if (typeof v !== 'object' || Array.isArray(v)) throw new Error('not a mapping');
      return v as Record<string, unknown>;
    } catch {
      problems.push(`${shown}/${file} is not valid YAML; skipped.`);
      return undefined;
    }
  };

  const config = (await load('config.yaml')) ?? {};
  const store = (config.store && typeof config.store === 'object' ? config.store : {}) as Record<string, unknown>;
  const envUrl = cleanUrl(str(env.ZENML_STORE_URL));
  const storeUrl = envUrl ?? (str(store.type) === 'rest' || !store.type ? cleanUrl(str(store.url)) : undefined);
  const creds = isTrue(env.DISABLE_CREDENTIALS_DISK_CACHING) ? {} : ((await load('credentials.yaml')) ?? {});

  const logins: ZenmlCliLogin[] = [];
  const seen = new Set<string>();
  const fromEntry = (url: string, entry: Record<string, unknown>, source: string): ZenmlCliLogin | undefined => {
    const token = (entry.api_token && typeof entry.api_token === 'object' ? entry.api_token : undefined) as Record<string, unknown> | undefined;
    const expires = str(token?.expires_at) ? Date.parse(str(token?.expires_at) as string) : undefined;
    const login: ZenmlCliLogin = {
      source,
      url,
      apiKey: str(entry.api_key),
      username: str(entry.username),
      password: typeof entry.password === 'string' ? entry.password : undefined,
      accessToken: str(token?.access_token),
      expiresAt: expires !== undefined && !Number.isNaN(expires) ? expires : undefined,
    };
    if (!login.apiKey && !(login.username && login.password) && !login.accessToken) return undefined;
    return login;
  };

  // The env-configured store first (what the CLI would use now), then the active store, then others.
  if (envUrl && (env.ZENML_STORE_API_KEY || (env.ZENML_STORE_USERNAME && env.ZENML_STORE_PASSWORD !== undefined))) {
    logins.push({ source: 'ZENML_STORE_* environment', url: envUrl, apiKey: str(env.ZENML_STORE_API_KEY), username: str(env.ZENML_STORE_USERNAME), password: env.ZENML_STORE_PASSWORD });
    seen.add(envUrl);
  }
  // Credentials placed directly in config.yaml's store are what the CLI moves to the credentials store.
  if (storeUrl && !seen.has(storeUrl)) {
    const inline = fromEntry(storeUrl, store, `${shown}/config.yaml`);
    if (inline) {
      logins.push(inline);
      seen.add(storeUrl);
    }
  }
  const entries = Object.entries(creds).filter(([, v]) => v && typeof v === 'object') as Array<[string, Record<string, unknown>]>;
  entries.sort(([a], [b]) => (cleanUrl(a) === storeUrl ? -1 : cleanUrl(b) === storeUrl ? 1 : 0));
  for (const [key, entry] of entries) {
    const url = cleanUrl(str(entry.url) ?? key);
    if (!url) {
      problems.push(`${shown}/credentials.yaml has an entry whose URL is not http(s); skipped.`);
      continue;
    }
    if (seen.has(url)) continue;
    const login = fromEntry(url, entry, `${shown}/credentials.yaml`);
    if (login) {
      logins.push(login);
      seen.add(url);
    }
  }
  if (!logins.length && storeUrl) problems.push(`The ZenML CLI points at ${storeUrl}, but no login for it is stored (run \`zenml login ${storeUrl}\`).`);
  return { logins, problems };
}
