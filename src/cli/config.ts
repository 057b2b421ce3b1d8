// The repository's `.ml-secrets.json`: folders bound to a platform and scope, e.g.
// {"folders": {"jobs/apolo": {"platform": "apolo", "project": "p"}}}. It is committed with the code,
// so it never carries a token, a key or a URL: those come only from the environment and the user's
// own CLI config. Such a key is refused with a clear error (exit code 2).

import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { PLATFORM_IDS, PlatformId, ScopeRef } from '../core/platforms/types';

export const CONFIG_FILE = '.ml-secrets.json';

export interface FolderBinding {
  /** Relative to the repository root, forward slashes, no trailing slash. */
  folder: string;
  platform: PlatformId;
  scope: ScopeRef;
}

export class ConfigError extends Error {}

const SCOPE_KEYS = ['cluster', 'org', 'project', 'domain'] as const;
const FORBIDDEN = /token|url|endpoint|host|key|secret|password|credential|auth/i;

function binding(folder: string, v: unknown): FolderBinding {
  const where = `${CONFIG_FILE}: folders["${folder}"]`;
  if (!v || typeof v !== 'object' || Array.isArray(v)) throw new ConfigError(`${where} must be an object like {"platform": "apolo", "project": "p"}.`);
  const o = v as Record<string, unknown>;
  for (const k of Object.keys(o)) {
    if (FORBIDDEN.test(k)) throw new ConfigError(`${where} has "${k}": ${CONFIG_FILE} is committed with your code and must never hold a token, key or URL. Tokens and endpoints come only from the environment or your platform CLI's own config.`);
    if (k !== 'platform' && !(SCOPE_KEYS as readonly string[]).includes(k)) throw new ConfigError(`${where} has an unknown key "${k}" (allowed: platform, ${SCOPE_KEYS.join(', ')}).`);
  }
  if (typeof o.platform !== 'string' || !(PLATFORM_IDS as readonly string[]).includes(o.platform)) throw new ConfigError(`${where}.platform must be one of ${PLATFORM_IDS.join(', ')}.`);
  const scope: ScopeRef = {};
  for (const k of SCOPE_KEYS) {
    if (o[k] === undefined) continue;
    if (typeof o[k] !== 'string' || !o[k]) throw new ConfigError(`${where}.${k} must be a non-empty string.`);
    scope[k] = o[k];
  }
  return { folder: folder.replace(/\\/g, '/').replace(/^\.\/|\/+$/g, ''), platform: o.platform as PlatformId, scope };
}

/** The bindings of `root`/.ml-secrets.json (none when there is no such file); throws ConfigError when it is wrong. */
export async function readConfig(root: string): Promise<FolderBinding[]> {
  let text: string;
  try {
    text = await fs.readFile(path.join(root, CONFIG_FILE), 'utf8');
  } catch {
    return [];
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    throw new ConfigError(`${CONFIG_FILE} is not valid JSON.`);
  }
  if (!json || typeof json !== 'object' || Array.isArray(json)) throw new ConfigError(`${CONFIG_FILE} must hold an object like {"folders": {…}}.`);
  for (const k of Object.keys(json)) {
    if (FORBIDDEN.test(k)) throw new ConfigError(`${CONFIG_FILE} has "${k}": it must never hold a token, key or URL.`);
    if (k !== 'folders') throw new ConfigError(`${CONFIG_FILE} has an unknown key "${k}" (allowed: folders).`);
  }
  const folders = (json as { folders?: unknown }).folders ?? {};
  if (!folders || typeof folders !== 'object' || Array.isArray(folders)) throw new ConfigError(`${CONFIG_FILE}: "folders" must be an object.`);
  return Object.entries(folders).map(([f, v]) => binding(f, v));
}

/** The binding of the deepest bound folder holding `rel` (a path relative to the root, forward slashes). */
export function bindingFor(bindings: readonly FolderBinding[], rel: string): FolderBinding | undefined {
  let best: FolderBinding | undefined;
  for (const b of bindings) {
    const inside = b.folder === '' || b.folder === '.' || rel.startsWith(`${b.folder}/`);
    if (inside && (!best || b.folder.length > best.folder.length)) best = b;
  }
  return best;
}
