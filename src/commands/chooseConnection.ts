// mlSecrets.chooseConnection: sets a workspace folder's mlSecrets.connection (the connection its job
// files are checked against), or clears it.

import * as vscode from 'vscode';
import { ValidationError } from '../core/errors';
import { Command, findConnection, Invocation, optString, Services } from './common';

async function run(s: Services, inv: Invocation): Promise<string | undefined> {
  let label = optString(inv.args, 'connection');
  if (label) findConnection(s, label);
  const folder =
    (optString(inv.args, 'folder') && vscode.workspace.workspaceFolders?.find((f) => f.uri.fsPath === inv.args.folder)) ||
    (vscode.window.activeTextEditor && vscode.workspace.getWorkspaceFolder(vscode.window.activeTextEditor.document.uri)) ||
    vscode.workspace.workspaceFolders?.[0];
  if (!folder) throw new ValidationError('Open a folder first: the choice is saved in its settings.');
  if (!label) {
    if (!inv.interactive) throw new ValidationError("Missing 'connection' in the argument object.");
    const pick = await vscode.window.showQuickPick(
      [...s.model.connections().map((c) => ({ label: c.label, description: `${c.platform} · ${c.url}` })), { label: '$(close) None', description: 'pick by reference syntax' }],
      { placeHolder: `Connection for the job files in ${folder.name}`, ignoreFocusOut: true },
    );
    if (!pick) return undefined;
    label = pick.label.startsWith('$(close)') ? '' : pick.label;
  }
  await vscode.workspace.getConfiguration('mlSecrets', folder.uri).update('connection', label || undefined, vscode.ConfigurationTarget.WorkspaceFolder);
  return label || undefined;
}

export const chooseConnection: Command = { title: 'Choose connection', run };
