// mlSecrets.filterSecrets: show only the secrets whose name contains a text ({text}; without it, an
// input box), across every connection; an empty text clears the filter. Registered with the view by
// extension.ts, which hands it the view's tree (src/tree/filter.ts); its code is in lazy.js.

import * as vscode from 'vscode';
import type { FilteredSecretsTree } from '../tree/filter';

export async function filterSecrets(tree: FilteredSecretsTree, arg?: unknown): Promise<string | undefined> {
  const given = arg && typeof arg === 'object' ? (arg as { text?: unknown }).text : undefined;
  let text = typeof given === 'string' ? given : undefined;
  if (text === undefined) {
    text = await vscode.window.showInputBox({
      title: 'Filter Secrets',
      prompt: 'Show the secrets whose name contains this text, in every connection (empty: show all)',
      value: tree.filter,
      placeHolder: 'e.g. wandb',
    });
    if (text === undefined) return tree.filter || undefined;
  }
  tree.setFilter(text);
  if (tree.filter) await vscode.commands.executeCommand('mlSecrets.secrets.focus');
  return tree.filter || undefined;
}
