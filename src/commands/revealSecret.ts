// mlSecrets.revealSecret: show a secret's row in the Secrets view ({connection, name, scopeId?,
// project?}), from a reference's hover. Registered with the view by extension.ts, which hands it the view; its code is in lazy.js (src/tree/reveal.ts).

import * as vscode from 'vscode';
import { ValidationError } from '../core/errors';
import { printable } from '../core/text';
import type { SecretsNode } from '../tree/nodes';
import { revealSecret as reveal, SecretPlace } from '../tree/reveal';

export async function revealSecret(view: vscode.TreeView<SecretsNode>, tree: { getChildren(n?: SecretsNode): SecretsNode[] }, arg?: unknown): Promise<boolean> {
  const a = (arg && typeof arg === 'object' ? arg : {}) as Record<string, unknown>;
  const str = (k: string) => (typeof a[k] === 'string' && a[k] ? (a[k] as string) : undefined);
  const connection = str('connection');
  const name = str('name');
  if (!connection || !name) throw new ValidationError("Missing 'connection' or 'name' in the argument object.");
  const where: SecretPlace = { connection, name, scopeId: str('scopeId'), project: str('project') };
  const shown = await reveal(view, tree, where);
  if (!shown) void vscode.window.showInformationMessage(`Secret '${printable(name, 80)}' is not shown in the Secrets view of '${printable(connection, 80)}' (yet).`);
  return shown;
}
