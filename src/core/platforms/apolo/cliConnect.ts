// Apolo / Neu.ro CLI logins as prepared connections: what `ml-secrets check` uses
// (src/core/platforms/cliConnections.ts) and Import CLI Credentials saves (src/commands/importCliCredentials.ts).

import { describeError } from '../../errors';
import { CliConnectionsReader, prepareEach } from '../cliPrepare';
import { readApoloCliLogins } from './cliLogins';
import { prepareApolo } from './connect';

/** Both CLIs' logins in one read (`ctx.only`: just that platform's); an expired token is a note, not a connection. */
export const cliConnections: CliConnectionsReader = async (ctx) => {
  const { logins, problems } = await readApoloCliLogins(ctx.env, ctx.home);
  const notes = [...problems];
  const live = logins.filter((l) => {
    if (ctx.only && l.platform !== ctx.only) return false;
    const expired = l.expiresAt !== undefined && l.expiresAt < Date.now();
    if (expired) notes.push(`${l.source}: the token expired; run \`${l.platform} login\` and try again.`);
    return !expired;
  });
  const r = await prepareEach(live, (l) => prepareApolo(ctx.http, { platform: l.platform, url: l.url, token: l.token, cluster: l.cluster, org: l.org, project: l.project, source: l.source, expiresAt: l.expiresAt }), describeError);
  return { prepared: r.prepared, notes, failed: r.failed };
};
