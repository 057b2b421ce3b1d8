// What a platform's command-line connections reader (src/core/platforms/<id>/cliConnect.ts) gets and
// gives; listed in src/core/platforms/cliConnections.ts.

import type { HttpClient } from '../http/httpClient';
import type { PreparedConnection } from './connect';

/** Where a command-line run looks for logins: its environment and home dir. */
export interface CliContext {
  http: HttpClient;
  env: Record<string, string | undefined>;
  home: string;
}

/** The connections a platform's CLI logins give, and a note (never a token) for each that failed. */
export interface CliConnections {
  prepared: PreparedConnection[];
  notes: string[];
  /** The logins that were there but could not be used (rejected token, unreachable server): never a token. */
  failed?: string[];
}

export type CliConnectionsReader = (ctx: CliContext) => Promise<CliConnections>;

/** Prepares each login; a login that fails becomes a note. */
export async function prepareEach<L extends { source: string }>(logins: readonly L[], prepare: (l: L) => Promise<PreparedConnection>, describe: (e: unknown) => string): Promise<CliConnections> {
  const prepared: PreparedConnection[] = [];
  const failed: string[] = [];
  await Promise.all(
    logins.map(async (l) => {
      try {
        prepared.push(await prepare(l));
      } catch (e) {
        failed.push(`${l.source}: ${describe(e)}`);
      }
    }),
  );
  return { prepared, notes: [], failed };
}
