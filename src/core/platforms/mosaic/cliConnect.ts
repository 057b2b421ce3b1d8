// MosaicML CLI logins (mcli) as prepared connections: what `ml-secrets check` uses
// (src/core/platforms/cliConnections.ts) and Import CLI Credentials saves (src/commands/importCliCredentials.ts).

import { describeError } from '../../errors';
import { CliConnectionsReader, prepareEach } from '../cliPrepare';
import { readMosaicCliLogins } from './cliLogins';
import { prepareMosaic } from './connect';

export const cliConnections: CliConnectionsReader = async (ctx) => {
  const m = await readMosaicCliLogins(ctx.env, ctx.home);
  const r = await prepareEach(m.logins, (l) => prepareMosaic(ctx.http, { ...l, source: l.source }), describeError);
  return { prepared: r.prepared, notes: m.problems, failed: r.failed };
};
