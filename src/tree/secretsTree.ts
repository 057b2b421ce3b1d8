// The Secrets view: connection → scope (project) → secrets. It only maps the model's state to
// tree items; states (signed out, offline, no permission, empty, loading) are nodes, never toasts.

import * as vscode from 'vscode';
import { PLATFORM_NAMES, Scope, SecretInfo } from '../core/platforms/types';
import { printable } from '../core/text';
import { presenceNote, scopeLabelOf } from '../core/platforms/scopeLabels';
import { ConnectionRecord } from '../core/connections';
import { SecretsModel } from '../model/secretsModel';
import { errorState } from '../ui/errors';

export type SecretsNode =
  | { kind: 'connection'; connection: string }
  | { kind: 'scope'; connection: string; scope: Scope }
  | { kind: 'secret'; connection: string; scope: Scope; secret: SecretInfo }
  | { kind: 'key'; connection: string; scope: Scope; secret: SecretInfo; key: string }
  | { kind: 'group'; connection: string; scope: Scope; type: string; secrets: SecretInfo[] }
  | { kind: 'state'; connection: string; id: string; title: string; description?: string; tooltip?: string; icon: string; command?: vscode.Command };

export class SecretsTreeProvider implements vscode.TreeDataProvider<SecretsNode>, vscode.Disposable {
  private readonly emitter = new vscode.EventEmitter<SecretsNode | undefined>();
  readonly onDidChangeTreeData = this.emitter.event;
  private readonly sub: vscode.Disposable;

  constructor(private readonly model: SecretsModel) {
    this.sub = model.onDidChange(() => this.emitter.fire(undefined));
  }

  getChildren(node?: SecretsNode): SecretsNode[] {
    if (!node) return this.model.connections().map((c) => ({ kind: 'connection', connection: c.label }));
    if (node.kind === 'connection') return this.connectionChildren(node.connection);
    if (node.kind === 'scope') return this.scopeChildren(node.connection, node.scope);
    if (node.kind === 'secret') return this.keyChildren(node.connection, node.scope, node.secret);
    if (node.kind === 'group') return node.secrets.map((secret) => ({ kind: 'secret', connection: node.connection, scope: node.scope, secret }));
    return [];
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
        return st.scopes.map((scope) => ({ kind: 'scope', connection: label, scope }));
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

  getTreeItem(node: SecretsNode): vscode.TreeItem {
    switch (node.kind) {
      case 'connection': {
        const rec = this.model.record(node.connection);
        const st = this.model.connectionState(node.connection);
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
      case 'scope': {
        const { scope } = node;
        const item = new vscode.TreeItem(printable(scope.label, 200), scope.isDefault ? vscode.TreeItemCollapsibleState.Expanded : vscode.TreeItemCollapsibleState.Collapsed);
        item.id = `s:${node.connection}:${scope.id}`;
        const d = scopeText(scope);
        item.description = d.description;
        item.tooltip = plainTooltip(d.tooltip);
        item.iconPath = new vscode.ThemeIcon(scope.isDefault ? 'folder-active' : 'folder');
        item.contextValue = `mlSecrets.scope platform:${this.model.record(node.connection)?.platform ?? 'unknown'} signedIn`;
        return item;
      }
      case 'secret': {
        const { secret, scope } = node;
        const rec = this.model.record(node.connection);
        const st0 = this.model.connectionState(node.connection);
        const keyed = !!secret.keys?.length || (st0.kind === 'ready' && st0.client.capabilities.keys && !secret.inaccessible);
        const item = new vscode.TreeItem(printable(secret.name, 200), keyed ? vscode.TreeItemCollapsibleState.Collapsed : vscode.TreeItemCollapsibleState.None);
        item.id = `k:${node.connection}:${scope.id}:${secret.private ? 'p' : ''}:${secret.name}`;
        const presence = presenceNote(secret.status);
        // The scope the row sits under says where it is: a secret's own scope text only when it
        // says more (MosaicML: the env var or mount path).
        const sameScope = !secret.scope || secret.scope === scope.label || secret.scope === [scope.ref.org, scope.ref.project].filter(Boolean).join('/') || secret.scope === scopeLabelOf(scope.ref);
        const ownerIsProject = !!secret.owner && secret.owner === scope.ref.project;
        item.description = [
          // What needs attention first (it must survive a narrow sidebar), then the details.
          presence?.short ?? '',
          secret.shadowed ? 'hidden by the private one' : '',
          secret.private === true ? 'private' : secret.private === false ? 'public' : sameScope ? '' : (secret.scope ?? ''),
          secret.type && !this.grouped(node.connection) ? secret.type : '',
          secret.owner && !ownerIsProject ? `owner ${secret.owner}` : '',
          secret.keys?.length ? `${secret.keys.length} key${secret.keys.length === 1 ? '' : 's'}` : '',
          secret.createdAt ? shortDate(secret.createdAt) : '',
        ]
          .filter(Boolean)
          .join(' · ');
        item.tooltip = plainTooltip([
          `Secret ${secret.name}`,
          presence?.detail ?? '',
          secret.shadowed ? 'A private secret of the same name takes precedence: references resolve to that one.' : '',
          secret.private === true ? 'Private: only you can see and use it.' : secret.private === false ? 'Public: shared with the other users of the server.' : '',
          sameScope ? `In ${scope.label}${scope.ref.org && scope.ref.project ? ` (org ${scope.ref.org}${scope.ref.cluster ? `, cluster ${scope.ref.cluster}` : ''})` : ''}` : `${secret.private === undefined ? 'In ' : ''}${secret.scope}${scope.ref.cluster ? ` on cluster ${scope.ref.cluster}` : ''}`,
          secret.owner && !ownerIsProject ? `Owner: ${secret.owner}` : '',
          secret.keys?.length ? `Keys: ${secret.keys.join(', ')}` : '',
          secret.createdAt ? `Created: ${secret.createdAt}` : rec && st0.kind === 'ready' && st0.client.capabilities.createdAt === false ? `${PLATFORM_NAMES[rec.platform]} doesn't report when a secret was created.` : '',
          secret.updatedAt && secret.updatedAt !== secret.createdAt ? `Updated: ${secret.updatedAt}` : '',
          `Connection: ${node.connection}`,
          'Values are never shown.',
        ]);
        item.iconPath = new vscode.ThemeIcon(secret.inaccessible ? 'lock' : secret.status ? 'warning' : 'key');
        const st = this.model.connectionState(node.connection);
        const cap = st.kind === 'ready' ? st.client.capabilities : undefined;
        const caps = [cap?.share ? 'share' : '', 'update'].filter(Boolean).join(' ');
        item.contextValue = `mlSecrets.secret platform:${rec?.platform ?? 'unknown'} ${caps}`;
        return item;
      }
      case 'group': {
        const item = new vscode.TreeItem(printable(node.type, 80), vscode.TreeItemCollapsibleState.Expanded);
        item.id = `g:${node.connection}:${node.scope.id}:${node.type}`;
        item.description = `${node.secrets.length} secret${node.secrets.length === 1 ? '' : 's'}`;
        item.tooltip = plainTooltip([`${node.secrets.length} secret${node.secrets.length === 1 ? '' : 's'} of type ${node.type}`]);
        item.iconPath = new vscode.ThemeIcon('symbol-folder');
        item.contextValue = 'mlSecrets.group';
        return item;
      }
      case 'key': {
        const item = new vscode.TreeItem(printable(node.key, 200), vscode.TreeItemCollapsibleState.None);
        item.id = `kk:${node.connection}:${node.scope.id}:${node.secret.private ? 'p' : ''}:${node.secret.name}:${node.key}`;
        item.tooltip = plainTooltip([`Key ${node.key} of secret ${node.secret.name}`, 'The value is never shown.']);
        item.iconPath = new vscode.ThemeIcon('symbol-field');
        item.contextValue = `mlSecrets.key platform:${this.model.record(node.connection)?.platform ?? 'unknown'}`;
        return item;
      }
      case 'state': {
        const item = new vscode.TreeItem(node.title, vscode.TreeItemCollapsibleState.None);
        item.id = `st:${node.connection}:${node.id}`;
        item.description = node.description;
        if (node.tooltip) item.tooltip = plainTooltip([node.tooltip]);
        item.iconPath = new vscode.ThemeIcon(node.icon);
        item.command = node.command;
        item.contextValue = `mlSecrets.state ${node.id.split(':')[0]}`;
        return item;
      }
    }
  }

  private grouped(label: string): boolean {
    const st = this.model.connectionState(label);
    return st.kind === 'ready' && !!st.client.capabilities.groupByType;
  }

  dispose(): void {
    this.sub.dispose();
    this.emitter.dispose();
  }
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
