// What a platform's CLI logins reader (src/core/platforms/<id>/cliConnect.ts) gets and gives: the one
// place that decides which logins exist, which are unusable, and how each becomes a prepared
// connection. The command line (src/cli/connections.ts, through src/core/platforms/cliConnections.ts)
// uses the connections as they are; the editor's Import CLI Credentials
// (src/commands/importCliCredentials.ts) saves each.

import type { HttpClient } from '../http/httpClient';
import type { PreparedConnection } from './connect';
import type { PlatformId } from './types';

/** Where a run looks for logins: its environment and home dir (and what only the editor adds). */
export interface CliContext {
  http: HttpClient;
  env: Record<string, string | undefined>;
  home: string;
  /** Just this platform's logins (a reader serving several ids skips the others' before preparing). */
  only?: PlatformId;
  /** Folders whose own CLI configs may be read too (the editor, in a trusted workspace); the command line gives none. */
  workspaceDirs?: readonly string[];
  /** Asked before a login whose endpoint a workspace file chose is used; without it such a login is only a note. */
  confirmWorkspaceEndpoint?: (file: string, endpoint: string) => Promise<boolean>;
}

/** The connections a platform's CLI logins give, and a note (never a token) for each that failed. */
export interface CliConnections {
  /** In the order of the logins read (the CLI's own precedence first). */
  prepared: PreparedConnection[];
  /** Logins read but not used (expired, refused), and what the files said: never a token. */
  notes: string[];
  /** The logins that were there but could not be used (rejected token, unreachable server): never a token. */
  failed?: string[];
}

export type CliConnectionsReader = (ctx: CliContext) => Promise<CliConnections>;

/** Prepares each login (all at once, results in the logins' order); a login that fails becomes a `failed` note named by `name` (default: its source). */
export async function prepareEach<L extends { source: string }>(
  logins: readonly L[],
  prepare: (l: L) => Promise<PreparedConnection>,
  describe: (e: unknown) => string,
  name: (l: L) => string = (l) => l.source,
): Promise<CliConnections> {
  const done = await Promise.all(logins.map((l) => prepare(l).then((p) => ({ p }), (e: unknown) => ({ note: `${name(l)}: ${describe(e)}` }))));
  const prepared: PreparedConnection[] = [];
  const failed: string[] = [];
  for (const d of done) {
    if ('p' in d) prepared.push(d.p);
    else failed.push(d.note);
  }
  return { prepared, notes: [], failed };
}
