// ZenML CLI logins as prepared connections: what `ml-secrets check` uses
// (src/core/platforms/cliConnections.ts) and Import CLI Credentials saves (src/commands/importCliCredentials.ts).

import { describeError } from '../../errors';
import { CliConnectionsReader, prepareEach } from '../cliPrepare';
import { readZenmlCliLogins } from './cliLogins';
import { prepareZenml } from './connect';

/** The CLI's logins; a stored session that expired (no key or password to log in again) is a note, not a connection. */
export const cliConnections: CliConnectionsReader = async (ctx) => {
  // The readers' default file access is guarded (regular files only, size caps, never blocks).
  const z = await readZenmlCliLogins(ctx.env, ctx.home);
  const notes = [...z.problems];
  const live = z.logins.filter((l) => {
    const expired = !l.apiKey && !l.password && l.expiresAt !== undefined && l.expiresAt < Date.now();
    if (expired) notes.push(`${l.source}: the stored ZenML session for ${l.url} expired; run \`zenml login\` and try again.`);
    return !expired;
  });
  // One credentials file holds a login per server: a failure names the server too.
  const r = await prepareEach(live, (l) => prepareZenml(ctx.http, { ...l, source: l.source }), describeError, (l) => `${l.source} (${l.url})`);
  return { prepared: r.prepared, notes, failed: r.failed };
};
