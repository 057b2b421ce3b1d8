// How each node of the Secrets view (./nodes.ts) looks: its label, description, plain-text tooltip,
// icon and context value (which menus it gets). Names come from servers and files, so everything
// shown is printable text, never trusted markdown.

import * as vscode from 'vscode';
import { PLATFORM_NAMES, Scope } from '../core/platforms/types';
import { printable } from '../core/text';
import { presenceNote, scopeLabelOf } from '../core/platforms/scopeLabels';
import type { SecretsModel } from '../model/secretsModel';
import { missingItem } from './missingNodes';
import { treeExtras } from './extras';
import { canShowAccess } from '../model/sharedAccess';
import type { SecretsNode } from './nodes';

type NodeOf<K extends SecretsNode['kind']> = Extract<SecretsNode, { kind: K }>;

/** The tree item of a node. */
export function treeItem(model: SecretsModel, node: SecretsNode): vscode.TreeItem {
  switch (node.kind) {
    case 'connection':
      return connectionItem(model, node);
    case 'scope':
      return scopeItem(model, node);
    case 'secret':
      return secretItem(model, node);
    case 'group':
      return groupItem(node);
    case 'key':
      return keyItem(model, node);
    case 'state':
      return stateItem(node);
    case 'missing':
    case 'missingSecret':
    case 'missingUse':
      return missingItem(node);
    case 'shared':
    case 'sharedSecret':
    case 'access':
    case 'grant':
      return treeExtras().shared.sharedItem(model, node);
    case 'stacks':
    case 'stack':
    case 'stackComponent':
    case 'stackRef':
      return treeExtras().stacks.stackItem(model, node);
  }
}

function connectionItem(model: SecretsModel, node: NodeOf<'connection'>): vscode.TreeItem {
  const rec = model.record(node.connection);
  const st = model.connectionState(node.connection);
  const item = new vscode.TreeItem(node.connection, vscode.TreeItemCollapsibleState.Expanded);
  item.id = `c:${node.connection}`;
  const host = rec ? safeHost(rec.url) : '';
  item.description = rec ? `${PLATFORM_NAMES[rec.platform]} · ${rec.user ? `${printable(rec.user)} @ ` : ''}${host}${st.kind === 'signedOut' ? ' · signed out' : ''}` : '';
  item.tooltip = plainTooltip([
    `${node.connection}`,
    rec ? `${PLATFORM_NAMES[rec.platform]} — ${rec.url}` : '',
    rec?.scope.project ? `Project: ${rec.scope.org}/${rec.scope.project} on cluster ${rec.scope.cluster}` : '',
    rec?.source ? `From: ${rec.source}` : '',
  ]);
  item.iconPath = new vscode.ThemeIcon(st.kind === 'signedOut' ? 'debug-disconnect' : 'cloud');
  item.contextValue = `mlSecrets.connection platform:${rec?.platform ?? 'unknown'} ${st.kind === 'signedOut' ? 'signedOut' : 'signedIn'}`;
  return item;
}

function scopeItem(model: SecretsModel, node: NodeOf<'scope'>): vscode.TreeItem {
  const { scope } = node;
  const item = new vscode.TreeItem(printable(scope.label, 200), scope.isDefault ? vscode.TreeItemCollapsibleState.Expanded : vscode.TreeItemCollapsibleState.Collapsed);
  item.id = `s:${node.connection}:${scope.id}`;
  const d = scopeText(scope);
  item.description = d.description;
  item.tooltip = plainTooltip(d.tooltip);
  item.iconPath = new vscode.ThemeIcon(scope.isDefault ? 'folder-active' : 'folder');
  item.contextValue = `mlSecrets.scope platform:${model.record(node.connection)?.platform ?? 'unknown'} signedIn`;
  return item;
}

/**
 * Whether the scope the row sits under already says where the secret is: a secret's own scope text
 * is shown only when it says more (MosaicML: the env var or mount path).
 */
function inItsScope(node: NodeOf<'secret'>): boolean {
  const { secret, scope } = node;
  return !secret.scope || secret.scope === scope.label || secret.scope === [scope.ref.org, scope.ref.project].filter(Boolean).join('/') || secret.scope === scopeLabelOf(scope.ref);
}

/** A secret row's description: what needs attention first (it must survive a narrow sidebar), then the details. */
function secretDescription(model: SecretsModel, node: NodeOf<'secret'>): string {
  const { secret, scope } = node;
  const presence = presenceNote(secret.status);
  const ownerIsProject = !!secret.owner && secret.owner === scope.ref.project;
  const st = model.connectionState(node.connection);
  const grouped = st.kind === 'ready' && !!st.client.capabilities.groupByType;
  return [
    presence?.short ?? '',
    secret.shadowed ? 'hidden by the private one' : '',
    secret.private === true ? 'private' : secret.private === false ? 'public' : inItsScope(node) ? '' : (secret.scope ?? ''),
    secret.type && !grouped ? secret.type : '',
    secret.owner && !ownerIsProject ? `owner ${secret.owner}` : '',
    secret.keys?.length ? `${secret.keys.length} key${secret.keys.length === 1 ? '' : 's'}` : '',
    secret.createdAt ? shortDate(secret.createdAt) : '',
  ]
    .filter(Boolean)
    .join(' · ');
}

function secretTooltip(model: SecretsModel, node: NodeOf<'secret'>): string[] {
  const { secret, scope } = node;
  const rec = model.record(node.connection);
  const st = model.connectionState(node.connection);
  const ownerIsProject = !!secret.owner && secret.owner === scope.ref.project;
  return [
    `Secret ${secret.name}`,
    presenceNote(secret.status)?.detail ?? '',
    secret.shadowed ? 'A private secret of the same name takes precedence: references resolve to that one.' : '',
    secret.private === true ? 'Private: only you can see and use it.' : secret.private === false ? 'Public: shared with the other users of the server.' : '',
    inItsScope(node)
      ? `In ${scope.label}${scope.ref.org && scope.ref.project ? ` (org ${scope.ref.org}${scope.ref.cluster ? `, cluster ${scope.ref.cluster}` : ''})` : ''}`
      : `${secret.private === undefined ? 'In ' : ''}${secret.scope}${scope.ref.cluster ? ` on cluster ${scope.ref.cluster}` : ''}`,
    secret.owner && !ownerIsProject ? `Owner: ${secret.owner}` : '',
    secret.keys?.length ? `Keys: ${secret.keys.join(', ')}` : '',
    secret.createdAt ? `Created: ${secret.createdAt}` : rec && st.kind === 'ready' && st.client.capabilities.createdAt === false ? `${PLATFORM_NAMES[rec.platform]} doesn't report when a secret was created.` : '',
    secret.updatedAt && secret.updatedAt !== secret.createdAt ? `Updated: ${secret.updatedAt}` : '',
    `Connection: ${node.connection}`,
    'Values are never shown.',
  ];
}

function secretItem(model: SecretsModel, node: NodeOf<'secret'>): vscode.TreeItem {
  const { secret, scope } = node;
  const rec = model.record(node.connection);
  const st = model.connectionState(node.connection);
  const cap = st.kind === 'ready' ? st.client.capabilities : undefined;
  const keyed = !!secret.keys?.length || (!!cap?.keys && !secret.inaccessible);
  const expandable = keyed || (canShowAccess(model, node.connection) && !secret.inaccessible);
  const item = new vscode.TreeItem(printable(secret.name, 200), expandable ? vscode.TreeItemCollapsibleState.Collapsed : vscode.TreeItemCollapsibleState.None);
  item.id = `k:${node.connection}:${scope.id}:${secret.private ? 'p' : ''}:${secret.name}`;
  item.description = secretDescription(model, node);
  item.tooltip = plainTooltip(secretTooltip(model, node));
  item.iconPath = new vscode.ThemeIcon(secret.inaccessible ? 'lock' : secret.status ? 'warning' : 'key');
  const caps = [cap?.share ? 'share' : '', 'update'].filter(Boolean).join(' ');
  item.contextValue = `mlSecrets.secret platform:${rec?.platform ?? 'unknown'} ${caps}`;
  return item;
}

function groupItem(node: NodeOf<'group'>): vscode.TreeItem {
  const item = new vscode.TreeItem(printable(node.type, 80), vscode.TreeItemCollapsibleState.Expanded);
  item.id = `g:${node.connection}:${node.scope.id}:${node.type}`;
  item.description = `${node.secrets.length} secret${node.secrets.length === 1 ? '' : 's'}`;
  item.tooltip = plainTooltip([`${node.secrets.length} secret${node.secrets.length === 1 ? '' : 's'} of type ${node.type}`]);
  item.iconPath = new vscode.ThemeIcon('symbol-folder');
  item.contextValue = 'mlSecrets.group';
  return item;
}

function keyItem(model: SecretsModel, node: NodeOf<'key'>): vscode.TreeItem {
  const item = new vscode.TreeItem(printable(node.key, 200), vscode.TreeItemCollapsibleState.None);
  item.id = `kk:${node.connection}:${node.scope.id}:${node.secret.private ? 'p' : ''}:${node.secret.name}:${node.key}`;
  item.tooltip = plainTooltip([`Key ${node.key} of secret ${node.secret.name}`, 'The value is never shown.']);
  item.iconPath = new vscode.ThemeIcon('symbol-field');
  item.contextValue = `mlSecrets.key platform:${model.record(node.connection)?.platform ?? 'unknown'}`;
  return item;
}

function stateItem(node: NodeOf<'state'>): vscode.TreeItem {
  const item = new vscode.TreeItem(node.title, vscode.TreeItemCollapsibleState.None);
  item.id = `st:${node.connection}:${node.id}`;
  item.description = node.description;
  if (node.tooltip) item.tooltip = plainTooltip([node.tooltip]);
  item.iconPath = new vscode.ThemeIcon(node.icon);
  item.command = node.command;
  item.contextValue = `mlSecrets.state ${node.id.split(':')[0]}`;
  return item;
}

/** Tooltips hold names from servers and files: plain text only, never trusted markdown. */
function plainTooltip(lines: string[]): vscode.MarkdownString {
  const md = new vscode.MarkdownString(undefined, false);
  md.isTrusted = false;
  md.supportHtml = false;
  lines.filter(Boolean).forEach((l, i) => {
    if (i) md.appendMarkdown('\n\n');
    md.appendText(printable(l, 300));
  });
  return md;
}

/** A scope row: the short facts first ("default · role admin"), the explanation in the tooltip. */
function scopeText(scope: Scope): { description: string; tooltip: string[] } {
  const { ref } = scope;
  if (ref.cluster && ref.org && ref.project) {
    // Apolo / Neu.ro: a project in an org on a cluster.
    return {
      description: [scope.isDefault ? 'default' : '', scope.role ? `role ${scope.role}` : '', scope.complete ? '' : 'shared with you'].filter(Boolean).join(' · '),
      tooltip: [
        `Project ${ref.project} of org ${ref.org}, on cluster ${ref.cluster}`,
        scope.isDefault ? "This connection's own project: secret:NAME in a job file means a secret here." : 'Another project you can see: reference its secrets as secret:/PROJECT/NAME.',
        scope.role ? `Your role here: ${scope.role}` : '',
        scope.complete ? '' : 'You are not a member of this project: only secrets shared with you are listed.',
      ],
    };
  }
  return {
    description: [scope.isDefault ? 'default' : '', scope.description ?? ''].filter(Boolean).join(' · '),
    tooltip: [scope.label, scope.description ?? '', scope.isDefault ? "This connection's own scope: references resolve here first." : '', scope.complete ? '' : 'Only secrets shared with you are listed here.'],
  };
}

function shortDate(iso: string): string {
  const d = new Date(iso);
  return Number.isNaN(d.getTime()) ? iso : d.toISOString().slice(0, 10);
}

function safeHost(url: string): string {
  try {
    return new URL(url).host;
  } catch {
    return url;
  }
}
