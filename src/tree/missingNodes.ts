// The "Missing (N)" group of the Secrets view: referenced secrets that don't exist (gathered by
// src/language/workspaceCheck.ts from open and unopened job files), each with the files that use
// it (a click opens the file at the reference) and a one-click Create row (mlSecrets.addSecret,
// prefilled as the quick fix is). Names only: never a value.

import * as vscode from 'vscode';
import { printable } from '../core/text';
import { createArgsOf, MissingSecret } from '../language/missingSecrets';
import type { SecretsNode } from './nodes';

type NodeOf<K extends SecretsNode['kind']> = Extract<SecretsNode, { kind: K }>;

/** Where the Secrets view reads the missing secrets from. */
export interface MissingSource {
  missing(): Map<string, MissingSecret[]>;
  readonly onDidChangeMissing: vscode.Event<void>;
}

/** The group node of a connection, when something is missing there. */
export function missingGroup(source: MissingSource | undefined, connection: string): SecretsNode[] {
  const secrets = source?.missing().get(connection);
  return secrets?.length ? [{ kind: 'missing', connection, secrets }] : [];
}

export function missingChildren(node: SecretsNode): SecretsNode[] {
  if (node.kind === 'missing') return node.secrets.map((secret) => ({ kind: 'missingSecret', connection: node.connection, secret }));
  if (node.kind === 'missingSecret') {
    const create: SecretsNode = {
      kind: 'state',
      connection: node.connection,
      id: `create:${node.secret.scopeId ?? ''}:${node.secret.name}`,
      title: `Create '${printable(node.secret.name, 120)}'…`,
      description: node.secret.scopeLabel ? `in ${printable(node.secret.scopeLabel, 80)}` : undefined,
      icon: 'add',
      command: { title: 'Create Secret', command: 'mlSecrets.addSecret', arguments: [createArgsOf(node.secret)] },
    };
    return [create, ...node.secret.uses.map((_, i): SecretsNode => ({ kind: 'missingUse', connection: node.connection, secret: node.secret, use: i }))];
  }
  return [];
}

export function missingItem(node: NodeOf<'missing'> | NodeOf<'missingSecret'> | NodeOf<'missingUse'>): vscode.TreeItem {
  if (node.kind === 'missing') {
    const item = new vscode.TreeItem(`Missing (${node.secrets.length})`, vscode.TreeItemCollapsibleState.Expanded);
    item.id = `m:${node.connection}`;
    item.tooltip = `Secrets that job files reference but that don't exist in '${printable(node.connection, 100)}'.`;
    item.iconPath = new vscode.ThemeIcon('warning');
    item.contextValue = 'mlSecrets.missing';
    // A string tooltip would otherwise be what a screen reader (and an accessible name lookup) says.
    item.accessibilityInformation = { label: `Missing (${node.secrets.length}): ${item.tooltip}` };
    return item;
  }
  const s = node.secret;
  if (node.kind === 'missingSecret') {
    const item = new vscode.TreeItem(printable(s.name, 200), vscode.TreeItemCollapsibleState.Collapsed);
    item.id = `ms:${node.connection}:${s.scopeId ?? ''}:${s.name}`;
    const files = new Set(s.uses.map((u) => u.file)).size;
    item.description = `${s.scopeLabel ? `${printable(s.scopeLabel, 80)} · ` : ''}${files} file${files === 1 ? '' : 's'}`;
    item.tooltip = [`Secret ${printable(s.name, 200)} doesn't exist${s.scopeLabel ? ` in ${printable(s.scopeLabel, 100)}` : ''}. Expand to create it or open a file that uses it.`, ...s.uses.map((u) => `Used in ${relative(u.file)}`).slice(0, 10)].join('\n');
    item.iconPath = new vscode.ThemeIcon('error');
    item.contextValue = 'mlSecrets.missingSecret';
    item.accessibilityInformation = { label: `${printable(s.name, 200)}, missing, ${item.description}` };
    return item;
  }
  const use = s.uses[node.use];
  const uri = vscode.Uri.parse(use.file);
  const item = new vscode.TreeItem(uri, vscode.TreeItemCollapsibleState.None);
  item.id = `mu:${node.connection}:${s.scopeId ?? ''}:${s.name}:${use.file}:${use.start}`;
  item.label = printable(uri.path.split('/').pop() ?? use.file, 200);
  item.description = `${relative(use.file)}${use.line !== undefined ? `:${use.line + 1}` : ''}`;
  const at = new vscode.Position(use.line ?? 0, use.character ?? 0);
  item.command = { title: 'Open', command: 'vscode.open', arguments: [uri, { selection: new vscode.Range(at, at) }] };
  item.contextValue = 'mlSecrets.missingUse';
  item.accessibilityInformation = { label: `${item.label}, ${item.description}` };
  return item;
}

function relative(file: string): string {
  return printable(vscode.workspace.asRelativePath(vscode.Uri.parse(file), (vscode.workspace.workspaceFolders?.length ?? 0) > 1), 200);
}
