// What to offer for an unverified reference: the command behind a lens, a quick fix or a hover.

import * as fs from 'node:fs';
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

let rulesLine: number | undefined;

/** Opens the README at "References it checks" (the forms, and what makes one malformed). */
export function referenceRulesCommand(): vscode.Command | undefined {
  const ext = vscode.extensions.getExtension('ml-secrets.ml-secrets');
  if (!ext) return undefined;
  const uri = vscode.Uri.joinPath(ext.extensionUri, 'README.md');
  if (rulesLine === undefined) {
    try {
      const lines = fs.readFileSync(uri.fsPath, 'utf8').split('\n');
      rulesLine = Math.max(0, lines.findIndex((l) => /^##\s+References/.test(l)));
    } catch {
      rulesLine = 0;
    }
  }
  const at = new vscode.Range(rulesLine, 0, rulesLine, 0);
  return { title: 'Show the reference rules', command: 'vscode.open', arguments: [uri, { selection: at, preview: true }] };
}
