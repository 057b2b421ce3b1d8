// ZenML CLI logins as connections for the command line (src/core/platforms/cliConnections.ts);
// as Import CLI Credentials does it (src/platforms/zenml/signIn.ts), without storing anything.

import { describeError } from '../../errors';
import { CliConnectionsReader, prepareEach } from '../cliPrepare';
import { readZenmlCliLogins } from './cliLogins';
import { prepareZenml } from './connect';

export const cliConnections: CliConnectionsReader = async (ctx) => {
  const z = await readZenmlCliLogins(ctx.env, ctx.home);
  const notes = [...z.problems];
  const live = z.logins.filter((l) => {
    const expired = !l.apiKey && !l.password && l.expiresAt !== undefined && l.expiresAt < Date.now();
    if (expired) notes.push(`${l.source}: the stored ZenML session for ${l.url} expired; run \`zenml login\`.`);
    return !expired;
  });
  const r = await prepareEach(live, (l) => prepareZenml(ctx.http, { ...l, source: l.source }), describeError);
  return { prepared: r.prepared, notes, failed: r.failed };
};
