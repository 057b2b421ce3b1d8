// Flyte CLI logins as prepared connections: what `ml-secrets check` uses
// (src/core/platforms/cliConnections.ts) and Import CLI Credentials saves (src/commands/importCliCredentials.ts).
// The environment's and the home dir's configs; a workspace folder's only when the context names the
// folders (the editor, in a trusted workspace), and a login whose endpoint such a file chose only on
// the user's yes: a repository's own config must not choose the endpoint a client secret is sent to.

import { describeError } from '../../errors';
import { CliConnectionsReader, CliContext, prepareEach } from '../cliPrepare';
import { FlyteCliLogin, readFlyteCliLogins } from './cliLogins';
import { prepareFlyte } from './connect';

/** The origin of an endpoint as the user should see it (never a path or credentials; `dns:///host` is the host's). */
export function safeOrigin(endpoint: string): string {
  const e = endpoint.replace(/^dns:\/{3}/i, '');
  try {
    const origin = new URL(/^[a-z][a-z0-9+.-]*:\/\//i.test(e) ? e : `https://${e}`).origin;
    if (origin !== 'null') return origin;
  } catch {
    // not a URL: said so below
  }
  return 'an endpoint that is not a URL';
}

/** The logins that may be used, in order (asking one at a time); the others become notes. */
async function consented(ctx: CliContext, logins: readonly FlyteCliLogin[], notes: string[]): Promise<FlyteCliLogin[]> {
  const ok: FlyteCliLogin[] = [];
  for (const l of logins) {
    if (l.workspaceFile && !(ctx.confirmWorkspaceEndpoint && (await ctx.confirmWorkspaceEndpoint(l.workspaceFile, l.endpoint)))) {
      notes.push(`${l.source}: not imported — this workspace file chooses the endpoint (${safeOrigin(l.endpoint)}) your client secret would be sent to. Import it from the palette to confirm, or sign in with an API key.`);
    } else ok.push(l);
  }
  return ok;
}

export const cliConnections: CliConnectionsReader = async (ctx) => {
  const f = await readFlyteCliLogins(ctx.env, ctx.home, [...(ctx.workspaceDirs ?? [])]);
  const notes = [...f.problems];
  const logins = await consented(ctx, f.logins, notes);
  const r = await prepareEach(
    logins,
    (l) => prepareFlyte(ctx.http, { url: l.endpoint || undefined, apiKey: l.apiKey, org: l.org, project: l.project, domain: l.domain, insecure: l.insecure, source: l.source }),
    describeError,
  );
  return { prepared: r.prepared, notes, failed: r.failed };
};
