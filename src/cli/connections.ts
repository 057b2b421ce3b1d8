// The command line's connections: every platform CLI login on this machine (the environment and the
// home dir, as Import CLI Credentials reads them), plus one per `.ml-secrets.json` folder binding
// (that platform's login with the folder's scope). Each becomes a client (the extension's own
// `createClient`); nothing is stored.

import { describeError } from '../core/errors';
import type { HttpClient } from '../core/http/httpClient';
import { CLI_CONNECTION_READERS, CLIENT_FACTORIES } from '../core/platforms/cliConnections';
import type { PreparedConnection } from '../core/platforms/connect';
import type { PlatformClient, PlatformId } from '../core/platforms/types';
import { CONFIG_FILE, FolderBinding } from './config';

export interface CliConnection {
  label: string;
  platform: PlatformId;
  client: PlatformClient;
}

export interface Connections {
  connections: CliConnection[];
  /** What the readers noticed (never a token). */
  notes: string[];
  /** Logins that are there but could not be used: a token rejected, a server unreachable (never a token). */
  failed: string[];
}

/** The connection label of a folder binding (what the file's "setting" names). */
export function bindingLabel(b: FolderBinding): string {
  return `${CONFIG_FILE}:${b.folder || '.'}`;
}

function clientOf(p: PreparedConnection, http: HttpClient): PlatformClient {
  return CLIENT_FACTORIES[p.record.platform](p.record, p.credential, http);
}

export async function loadConnections(http: HttpClient, env: Record<string, string | undefined>, home: string, bindings: readonly FolderBinding[]): Promise<Connections> {
  const notes: string[] = [];
  const failed: string[] = [];
  const prepared: PreparedConnection[] = [];
  const read = await Promise.all(CLI_CONNECTION_READERS.map((r) => r({ http, env, home }).catch((e: unknown) => ({ prepared: [], notes: [], failed: [describeError(e)] }))));
  for (const r of read) {
    prepared.push(...r.prepared);
    notes.push(...r.notes);
    failed.push(...(r.failed ?? []));
  }
  const connections: CliConnection[] = [];
  const labels = new Set<string>();
  for (const p of prepared) {
    let label = p.record.label;
    for (let i = 2; labels.has(label); i++) label = `${p.record.label} (${i})`;
    labels.add(label);
    connections.push({ label, platform: p.record.platform, client: clientOf(p, http) });
  }
  for (const b of bindings) {
    const login = prepared.find((p) => p.record.platform === b.platform);
    if (!login) {
      notes.push(`${CONFIG_FILE}: folder '${b.folder}' is bound to ${b.platform}, but no ${b.platform} CLI login was found (environment or home dir).`);
      continue;
    }
    const record = { ...login.record, scope: { ...login.record.scope, ...b.scope }, label: bindingLabel(b) };
    connections.push({ label: record.label, platform: b.platform, client: clientOf({ record, credential: login.credential }, http) });
  }
  return { connections, notes, failed };
}
