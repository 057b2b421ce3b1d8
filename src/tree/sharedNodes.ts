// Sharing in the Secrets view, for platforms whose client can say (Apolo / Neu.ro's ACL, through the
// optional PlatformClient.sharedWithMe / whoHasAccess): a "Shared with me (N)" group under each
// connection (name, owner, your level) and a "Who has access" group under each of your secrets (each
// user with their level, and an inline Revoke: mlSecrets.revokeAccess). Names and levels, never values.

import * as vscode from 'vscode';
import type { Scope, SecretInfo } from '../core/platforms/types';
import { printable } from '../core/text';
import { accessState, canShowAccess, sharedWithMeState } from '../model/sharedAccess';
import type { SecretsModel } from '../model/secretsModel';
import type { SideState } from '../model/sideCache';
import { errorState } from '../ui/errors';
import type { SecretsNode } from './nodes';
import type { SharedNode } from './sharedNodeTypes';

type NodeOf<K extends SharedNode['kind']> = Extract<SharedNode, { kind: K }>;

/** The "Shared with me" group of a connection whose platform has one. */
export function sharedGroup(model: SecretsModel, connection: string): SecretsNode[] {
  return sharedWithMeState(model, connection) ? [{ kind: 'shared', connection }] : [];
}

/** The "Who has access" group under a secret of the user's (none for one the user can't read). */
export function accessGroup(model: SecretsModel, connection: string, scope: Scope, secret: SecretInfo): SecretsNode[] {
  return canShowAccess(model, connection) && !secret.inaccessible ? [{ kind: 'access', connection, scope, secret }] : [];
}

/** The children of a sharing node; undefined for any other node. */
export function sharedChildren(model: SecretsModel, node: SecretsNode): SecretsNode[] | undefined {
  if (node.kind === 'shared') {
    const st = sharedWithMeState(model, node.connection);
    return rows(node.connection, `shared`, st, 'Nothing is shared with you', (list) => list.map((shared): SecretsNode => ({ kind: 'sharedSecret', connection: node.connection, shared })));
  }
  if (node.kind === 'access') {
    const st = accessState(model, node.connection, node.scope.ref, node.secret.name);
    const id = `access:${node.scope.id}:${node.secret.name}`;
    return rows(node.connection, id, st, 'No one else has been granted access', (list) => list.map((grant): SecretsNode => ({ kind: 'grant', connection: node.connection, scope: node.scope, secret: node.secret, grant })));
  }
  return undefined;
}

function rows<T>(connection: string, id: string, st: SideState<T[]> | undefined, none: string, map: (list: T[]) => SecretsNode[]): SecretsNode[] {
  if (!st || st.kind === 'loading') return [{ kind: 'state', connection, id: `loading:${id}`, title: 'Loading…', icon: 'loading~spin' }];
  if (st.kind === 'error') {
    const es = errorState(st.error);
    const retry: vscode.Command = { title: 'Retry', command: 'mlSecrets.refresh', arguments: [{ connection }] };
    return [{ kind: 'state', connection, id: `error:${id}`, title: 'Could not load', description: es.reason, tooltip: es.reason, icon: 'warning', command: retry }];
  }
  return st.value.length ? map(st.value) : [{ kind: 'state', connection, id: `none:${id}`, title: none, icon: 'info' }];
}

export function sharedItem(model: SecretsModel, node: SharedNode): vscode.TreeItem {
  switch (node.kind) {
    case 'shared':
      return sharedGroupItem(model, node);
    case 'sharedSecret':
      return sharedSecretItem(node);
    case 'access':
      return accessGroupItem(model, node);
    case 'grant':
      return grantItem(node);
  }
}

function sharedGroupItem(model: SecretsModel, node: NodeOf<'shared'>): vscode.TreeItem {
  const st = sharedWithMeState(model, node.connection);
  const n = st?.kind === 'ok' ? st.value.length : undefined;
  const item = new vscode.TreeItem(n === undefined ? 'Shared with me' : `Shared with me (${n})`, vscode.TreeItemCollapsibleState.Collapsed);
  item.id = `sh:${node.connection}`;
  item.tooltip = "Secrets other users granted you (Apolo's `acl grant`). They don't appear in your own list; references to them resolve here.";
  item.iconPath = new vscode.ThemeIcon('gift');
  item.contextValue = 'mlSecrets.shared';
  item.accessibilityInformation = { label: `${String(item.label)}: secrets shared with you` };
  return item;
}

function sharedSecretItem(node: NodeOf<'sharedSecret'>): vscode.TreeItem {
  const s = node.shared;
  const item = new vscode.TreeItem(printable(s.name, 200), vscode.TreeItemCollapsibleState.None);
  item.id = `shs:${node.connection}:${s.uri}`;
  item.description = `${printable(s.owner, 80)} · ${s.level}`;
  item.tooltip = [
    `Secret ${printable(s.name, 200)}, shared with you`,
    `Owner: ${printable(s.owner, 100)}`,
    s.readable ? `Your level: ${s.level} (a job of yours can read it)` : `Your level: ${s.level} (below read: you see that it exists, but a job of yours can't read it)`,
    `Reference: ${printable(s.uri, 300)}`,
    'Values are never shown.',
  ].join('\n');
  item.iconPath = new vscode.ThemeIcon(s.readable ? 'key' : 'lock');
  item.contextValue = `mlSecrets.sharedSecret ${s.readable ? 'readable' : 'unreadable'}`;
  item.accessibilityInformation = { label: `${printable(s.name, 200)}, shared by ${printable(s.owner, 80)}, level ${s.level}` };
  return item;
}

function accessGroupItem(model: SecretsModel, node: NodeOf<'access'>): vscode.TreeItem {
  const st = accessState(model, node.connection, node.scope.ref, node.secret.name);
  const item = new vscode.TreeItem('Who has access', vscode.TreeItemCollapsibleState.Collapsed);
  item.id = `a:${node.connection}:${node.scope.id}:${node.secret.name}`;
  if (st?.kind === 'ok') item.description = `${st.value.length} user${st.value.length === 1 ? '' : 's'}`;
  item.tooltip = `The users and roles you granted access to '${printable(node.secret.name, 200)}' (its project's members have access through the project).`;
  item.iconPath = new vscode.ThemeIcon('organization');
  item.contextValue = 'mlSecrets.access';
  // A string tooltip would otherwise be the row's accessible name.
  item.accessibilityInformation = { label: `Who has access${item.description ? ` (${item.description})` : ''} to ${printable(node.secret.name, 200)}` };
  return item;
}

function grantItem(node: NodeOf<'grant'>): vscode.TreeItem {
  const g = node.grant;
  const item = new vscode.TreeItem(printable(g.user, 120), vscode.TreeItemCollapsibleState.None);
  item.id = `ag:${node.connection}:${node.scope.id}:${node.secret.name}:${g.user}:${g.uri}`;
  item.description = g.level;
  item.tooltip = `${printable(g.user, 120)} holds ${g.level} on ${printable(g.uri, 300)}. Revoke takes it away (you are asked first).`;
  item.iconPath = new vscode.ThemeIcon('person');
  item.contextValue = 'mlSecrets.grant revoke';
  item.accessibilityInformation = { label: `${printable(g.user, 120)}, ${g.level}` };
  return item;
}
