// MosaicML CLI logins (mcli) as connections for the command line (src/core/platforms/cliConnections.ts);
// as Import CLI Credentials does it (src/platforms/mosaic/signIn.ts), without storing anything.

import { describeError } from '../../errors';
import { CliConnectionsReader, prepareEach } from '../cliPrepare';
import { readMosaicCliLogins } from './cliLogins';
import { prepareMosaic } from './connect';

export const cliConnections: CliConnectionsReader = async (ctx) => {
  const m = await readMosaicCliLogins(ctx.env, ctx.home);
  const r = await prepareEach(m.logins, (l) => prepareMosaic(ctx.http, { ...l, source: l.source }), describeError);
  return { prepared: r.prepared, notes: m.problems, failed: r.failed };
};
