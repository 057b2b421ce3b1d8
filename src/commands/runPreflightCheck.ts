// mlSecrets.runPreflightCheck: the pre-flight check a CI job runs (`ml-secrets check`, README
// "Checking a whole repository"), run as a VS Code task in a workspace folder so its findings land in
// the Problems panel through the `$ml-secrets` problem matcher. The walkthrough's last step.
// Argument object: {folder?} (a workspace folder's path; the only folder when left out).

import * as vscode from 'vscode';
import { ValidationError } from '../core/errors';
import { Command, Invocation, optString, Services } from './common';

/** What the task runs: the published command line, plaintext tokens included. */
// npx asks before it installs the package in a folder that doesn't have it (no --yes: never run an
// unexpected download unasked).
export const PREFLIGHT_COMMAND = 'npx ml-secrets check --plaintext';

async function folderOf(inv: Invocation): Promise<vscode.WorkspaceFolder | undefined> {
  const folders = vscode.workspace.workspaceFolders ?? [];
  const path = optString(inv.args, 'folder');
  if (path) {
    const f = folders.find((x) => x.uri.fsPath === path);
    if (!f) throw new ValidationError(`'${path}' is not a folder of this workspace.`);
    return f;
  }
  if (!folders.length) throw new ValidationError('Open a folder first: the check runs over its job files.');
  if (folders.length === 1 || !inv.interactive) return folders[0];
  return vscode.window.showWorkspaceFolderPick({ placeHolder: 'Run the pre-flight check in which folder?' });
}

async function run(_s: Services, inv: Invocation): Promise<string | undefined> {
  const folder = await folderOf(inv);
  if (!folder) return undefined;
  const task = new vscode.Task({ type: 'shell', task: 'ml-secrets-check' }, folder, 'ml-secrets: check workspace', 'ML Secrets', new vscode.ShellExecution(PREFLIGHT_COMMAND), '$ml-secrets');
  await vscode.tasks.executeTask(task);
  return task.name;
}

export const runPreflightCheck: Command = { title: 'Run the pre-flight check', run };
