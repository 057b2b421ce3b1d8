// The Secrets view: connection → scope (project) → secrets. It only maps the model's state to
// tree items; states (signed out, offline, no permission, empty, loading) are nodes, never toasts.
// The nodes are ./nodes.ts; how each one looks, ./treeItems.ts.

import * as vscode from 'vscode';
import { Scope, SecretInfo } from '../core/platforms/types';
import { ConnectionRecord } from '../core/connections';
import { SecretsModel } from '../model/secretsModel';
import { errorState } from '../ui/errors';
import type { SecretsNode } from './nodes';
import { missingChildren, missingGroup, MissingSource } from './missingNodes';
import { treeItem } from './treeItems';
import { parentOf } from './parents';
import { isStackNode, treeExtras } from './extras';
import type { StackSource } from './stackNodes';

export type { SecretsNode } from './nodes';

export class SecretsTreeProvider implements vscode.TreeDataProvider<SecretsNode>, vscode.Disposable {
  private readonly emitter = new vscode.EventEmitter<SecretsNode | undefined>();
  readonly onDidChangeTreeData = this.emitter.event;
  private readonly subs: vscode.Disposable[];
  private stackSource: StackSource | undefined;

  constructor(
    private readonly model: SecretsModel,
    private readonly missing?: MissingSource,
  ) {
    this.subs = [model.onDidChange(() => this.emitter.fire(undefined)), ...(missing ? [missing.onDidChangeMissing(() => this.emitter.fire(undefined))] : [])];
  }

  /** ZenML stacks, loaded with the view's extras (./extras.ts) the first time they are drawn. */
  private get stacks(): StackSource {
    this.stackSource ??= new (treeExtras().stacks.StackSource)(this.model, () => this.emitter.fire(undefined));
    return this.stackSource;
  }

  getChildren(node?: SecretsNode): SecretsNode[] {
    if (!node) return this.model.connections().map((c) => ({ kind: 'connection', connection: c.label }));
    if (node.kind === 'connection') return [...missingGroup(this.missing, node.connection), ...this.connectionChildren(node.connection), ...treeExtras().shared.sharedGroup(this.model, node.connection)];
    if (node.kind === 'scope') return this.scopeChildren(node.connection, node.scope);
    if (node.kind === 'secret') return [...this.keyChildren(node.connection, node.scope, node.secret), ...treeExtras().shared.accessGroup(this.model, node.connection, node.scope, node.secret)];
    if (node.kind === 'group') return node.secrets.map((secret) => ({ kind: 'secret', connection: node.connection, scope: node.scope, secret }));
    if (isStackNode(node)) return treeExtras().stacks.stackChildren(this.stacks, node);
    if (node.kind === 'missing' || node.kind === 'missingSecret') return missingChildren(node);
    return treeExtras().shared.sharedChildren(this.model, node) ?? missingChildren(node);
  }

  private connectionChildren(label: string): SecretsNode[] {
    const st = this.model.connectionState(label);
    const rec = this.model.record(label);
    switch (st.kind) {
      case 'idle':
      case 'loading':
        return [{ kind: 'state', connection: label, id: 'loading', title: 'Loading…', icon: 'loading~spin' }];
      case 'signedOut':
        return [
          {
            kind: 'state',
            connection: label,
            id: 'signedOut',
            title: 'Signed out',
            description: 'Click to sign in',
            tooltip: `No token is stored for '${label}'. Click to sign in again (the label stays '${label}', so files bound to it are checked again). To forget the connection, use ML Secrets: Remove Connection.`,
            icon: 'sign-in',
            command: { title: 'Sign In', command: 'mlSecrets.signIn', arguments: [rec ? { platform: rec.platform, url: rec.url, label: rec.label, interactive: true } : undefined] },
          },
        ];
      case 'error':
        return [this.errorNode(label, st.error, rec)];
      case 'ready':
        if (!st.scopes.length) {
          return [{ kind: 'state', connection: label, id: 'noScopes', title: 'No projects', description: 'Your user has no project here', icon: 'info' }];
        }
        return [...st.scopes.map((scope): SecretsNode => ({ kind: 'scope', connection: label, scope })), ...treeExtras().stacks.stacksGroup(this.stacks, this.model, label)];
    }
  }

  private scopeChildren(label: string, scope: Scope): SecretsNode[] {
    let ls = this.model.listState(label, scope.ref);
    if (!ls) {
      void this.model.ensureList(label, scope.ref);
      ls = { kind: 'loading' };
    }
    if (ls.kind === 'loading') return [{ kind: 'state', connection: label, id: `loading:${scope.id}`, title: 'Loading…', icon: 'loading~spin' }];
    if (ls.kind === 'error') return [this.errorNode(label, ls.error, this.model.record(label), scope)];
    if (!ls.secrets.length) {
      return [
        {
          kind: 'state',
          connection: label,
          id: `empty:${scope.id}`,
          title: 'No secrets yet',
          description: scope.complete ? 'Click to add one' : 'None shared with you',
          icon: 'info',
          command: { title: 'Add Secret', command: 'mlSecrets.addSecret', arguments: [{ connection: label, project: scope.ref.project, interactive: true }] },
        },
      ];
    }
    const st = this.model.connectionState(label);
    if (st.kind === 'ready' && st.client.capabilities.groupByType) {
      const groups = new Map<string, SecretInfo[]>();
      for (const sec of ls.secrets) groups.set(sec.type ?? 'other', [...(groups.get(sec.type ?? 'other') ?? []), sec]);
      return [...groups.entries()].sort(([a], [b]) => a.localeCompare(b)).map(([type, secrets]) => ({ kind: 'group', connection: label, scope, type, secrets }));
    }
    return ls.secrets.map((secret) => ({ kind: 'secret', connection: label, scope, secret }));
  }

  private keyChildren(label: string, scope: Scope, secret: SecretInfo): SecretsNode[] {
    const ks = this.model.keysState(label, scope.ref, secret);
    if (!ks) return [];
    if (ks.kind === 'loading') return [{ kind: 'state', connection: label, id: `keys:${scope.id}:${secret.name}`, title: 'Loading key names…', icon: 'loading~spin' }];
    if (ks.kind === 'error') return [this.errorNode(label, ks.error, this.model.record(label), scope)];
    return ks.keys.map((key) => ({ kind: 'key', connection: label, scope, secret, key }));
  }

  private errorNode(label: string, error: unknown, rec: ConnectionRecord | undefined, scope?: Scope): SecretsNode {
    const es = errorState(error);
    const retry: vscode.Command = { title: 'Retry', command: 'mlSecrets.refresh', arguments: [{ connection: label }] };
    const signIn: vscode.Command = {
      title: 'Sign In',
      command: 'mlSecrets.signIn',
      arguments: [rec ? { platform: rec.platform, url: rec.url, label: rec.label, interactive: true } : undefined],
    };
    const base = { kind: 'state' as const, connection: label, id: `${es.kind}:${scope?.id ?? ''}`, tooltip: es.reason };
    switch (es.kind) {
      case 'auth':
        return { ...base, title: 'Sign-in needed', description: 'The token was refused — click to sign in', icon: 'sign-in', command: signIn };
      case 'offline':
        return { ...base, title: 'Offline', description: 'Click to retry', icon: 'cloud-offline', command: retry };
      case 'noPermission':
        return { ...base, title: 'No permission', description: es.reason, icon: 'lock', command: retry };
      default:
        return { ...base, title: 'Could not load', description: 'Click to retry', icon: 'warning', command: retry };
    }
  }

  /** The node above (TreeView.reveal walks up with it: ./parents.ts). */
  getParent(node: SecretsNode): SecretsNode | undefined {
    return parentOf(this.model, node);
  }

  getTreeItem(node: SecretsNode): vscode.TreeItem {
    return treeItem(this.model, node);
  }

  dispose(): void {
    for (const d of this.subs) d.dispose();
    this.emitter.dispose();
  }
}
