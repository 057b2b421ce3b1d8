// Apolo / Neu.ro CLI logins as connections for the command line (src/core/platforms/cliConnections.ts);
// as Import CLI Credentials does it (src/platforms/apolo/signIn.ts), without storing anything.

import { describeError } from '../../errors';
import { CliConnectionsReader, prepareEach } from '../cliPrepare';
import { readApoloCliLogins } from './cliLogins';
import { prepareApolo } from './connect';

export const cliConnections: CliConnectionsReader = async (ctx) => {
  const { logins, problems } = await readApoloCliLogins(ctx.env, ctx.home);
  const notes = [...problems];
  const live = logins.filter((l) => {
    const expired = l.expiresAt !== undefined && l.expiresAt < Date.now();
    if (expired) notes.push(`${l.source}: the token expired; run \`${l.platform} login\`.`);
    return !expired;
  });
  const r = await prepareEach(live, (l) => prepareApolo(ctx.http, { platform: l.platform, url: l.url, token: l.token, cluster: l.cluster, org: l.org, project: l.project, source: l.source, expiresAt: l.expiresAt }), describeError);
  return { prepared: r.prepared, notes, failed: r.failed };
};
