// What to offer for an unverified reference: the command behind a lens, a quick fix or a hover.

import * as vscode from 'vscode';
import { FixAction } from '../core/check/checker';

export function fixCommand(action: FixAction | undefined, connection: string | undefined): vscode.Command | undefined {
  switch (action) {
    case 'signIn':
      return { title: 'Sign in…', command: 'mlSecrets.signIn', arguments: connection ? [{ label: connection, interactive: true }] : [] };
    case 'retry':
      return { title: 'Retry', command: 'mlSecrets.refresh', arguments: connection ? [{ connection }] : [] };
    case 'chooseConnection':
      return { title: 'Choose connection…', command: 'mlSecrets.chooseConnection', arguments: [] };
    default:
      return undefined;
  }
}

/** `project` / `domain` of a checker scope id (cluster/org/project/domain), for prefilled commands. */
export function scopeArgs(scopeId: string | undefined): { project?: string; domain?: string } {
  if (!scopeId) return {};
  const [, , project, domain] = scopeId.split('/');
  return { project: project || undefined, domain: domain || undefined };
}
