// Flyte CLI logins as connections for the command line (src/core/platforms/cliConnections.ts); as
// Import CLI Credentials does it (src/platforms/flyte/signIn.ts), without storing anything. Only the
// environment's and the home dir's configs: a repository's own config must not choose the endpoint
// a client secret is sent to.

import { describeError } from '../../errors';
import { CliConnectionsReader, prepareEach } from '../cliPrepare';
import { readFlyteCliLogins } from './cliLogins';
import { prepareFlyte } from './connect';

export const cliConnections: CliConnectionsReader = async (ctx) => {
  const f = await readFlyteCliLogins(ctx.env, ctx.home, []);
  const r = await prepareEach(
    f.logins.filter((l) => !l.workspaceFile),
    (l) => prepareFlyte(ctx.http, { url: l.endpoint || undefined, apiKey: l.apiKey, org: l.org, project: l.project, domain: l.domain, insecure: l.insecure, source: l.source }),
    describeError,
  );
  return { prepared: r.prepared, notes: f.problems, failed: r.failed };
};
