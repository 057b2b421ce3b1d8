// Flyte's CLI import may find a config inside the workspace that names the endpoint while the client
// secret comes from the user's own environment or files: it is sent there only on the user's explicit
// yes (src/core/platforms/flyte/cliConnect.ts asks through src/platforms/flyte/signIn.ts).

import * as vscode from 'vscode';
import type { Invocation } from '../../commands/common';
import { safeOrigin } from '../../core/platforms/flyte/cliConnect';

/**
 * A Flyte config inside the workspace names the endpoint, and the client secret comes from the
 * user's own environment or files: only an explicit yes from the user (never an argument object)
 * sends it there.
 */
export async function consentToWorkspaceEndpoint(inv: Invocation, file: string, endpoint: string): Promise<boolean> {
  if (!inv.interactive) return false;
  const origin = safeOrigin(endpoint);
  const pick = await vscode.window.showWarningMessage(
    `Send your Flyte client secret to ${origin}?`,
    {
      modal: true,
      detail: `${file} is part of this workspace, and it names ${origin} as the Flyte endpoint. Importing signs in there with the client secret from your environment or files. Continue only if you trust that server.`,
    },
    `Sign In to ${origin}`,
  );
  return pick === `Sign In to ${origin}`;
}
