// The "Stacks (N)" group of the Secrets view, for connections whose client lists stacks (ZenML):
// stack → component (type · flavor) → the `{{name.key}}` references in its configuration, each with
// its status (exists / missing / key missing) from the connection's cached list and key names
// (src/model/stackStatus.ts). Stacks are fetched again when that list is (a refresh, a change made
// through the extension). Names only, never a value.

import * as vscode from 'vscode';
import type { PlatformClient, Scope, ScopeRef, StackInfo } from '../core/platforms/types';
import { printable } from '../core/text';
import type { SecretsModel } from '../model/secretsModel';
import { countsText, countStatus, RefStatus, refStatus, StatusCounts, stackRefs } from '../model/stackStatus';
import { errorState } from '../ui/errors';
import type { SecretsNode } from './nodes';

type NodeOf<K extends SecretsNode['kind']> = Extract<SecretsNode, { kind: K }>;
export type StackNode = NodeOf<'stacks'> | NodeOf<'stack'> | NodeOf<'stackComponent'> | NodeOf<'stackRef'>;
type StacksState = { kind: 'loading' } | { kind: 'ok'; stacks: StackInfo[] } | { kind: 'error'; error: unknown };

interface Entry {
  state: StacksState;
  client: PlatformClient;
  /** When the connection's list was fetched, as last seen: a newer list means the stacks load again. */
  listAt?: number;
  loading: boolean;
}

/** The connection's own scope (where stack references resolve), when it is ready. */
export function ownScope(model: SecretsModel, label: string): Scope | undefined {
  const st = model.connectionState(label);
  return st.kind === 'ready' ? (st.scopes.find((s) => s.isDefault) ?? st.scopes[0]) : undefined;
}

/** Each connection's stacks, loaded on first look and again with its secret list. */
export class StackSource {
  private readonly entries = new Map<string, Entry>();

  constructor(
    private readonly model: SecretsModel,
    private readonly changed: () => void,
  ) {}

  /** undefined: the connection isn't ready or its platform has no stacks. */
  state(label: string): StacksState | undefined {
    const st = this.model.connectionState(label);
    if (st.kind !== 'ready' || !st.client.listStacks) return undefined;
    const scope = ownScope(this.model, label);
    const ls = scope ? this.model.listState(label, scope.ref) : undefined;
    const listAt = ls?.kind === 'ok' ? ls.fetchedAt : undefined;
    const cur = this.entries.get(label);
    if (cur && cur.client === st.client) {
      if (cur.listAt === undefined) cur.listAt = listAt;
      if (cur.loading || listAt === undefined || cur.listAt === listAt) return cur.state;
    }
    const entry: Entry = { state: cur?.state.kind === 'ok' && cur.client === st.client ? cur.state : { kind: 'loading' }, client: st.client, listAt, loading: true };
    this.entries.set(label, entry);
    const list = st.client.listStacks.bind(st.client);
    void list().then(
      (stacks): StacksState => ({ kind: 'ok', stacks }),
      (error: unknown): StacksState => ({ kind: 'error', error }),
    ).then((state) => {
      if (this.entries.get(label) !== entry) return;
      entry.state = state;
      entry.loading = false;
      this.changed();
    });
    return entry.state;
  }
}

/**
 * The group row under a connection whose platform has stacks, once they are loaded and every
 * reference's status is known (reading the statuses starts the key-name fetches): rows appear with
 * their final text, which is also what a screen reader is told.
 */
export function stacksGroup(source: StackSource, model: SecretsModel, label: string): SecretsNode[] {
  const s = source.state(label);
  if (!s || s.kind === 'loading') return [];
  if (s.kind === 'ok') {
    const scope = ownScope(model, label)?.ref ?? {};
    if (countStatus(model, label, scope, s.stacks.flatMap(stackRefs)).loading) return [];
  }
  return [{ kind: 'stacks', connection: label, stacks: s.kind === 'ok' ? s.stacks : undefined }];
}

export function isStackNode(node: SecretsNode): node is StackNode {
  return node.kind === 'stacks' || node.kind === 'stack' || node.kind === 'stackComponent' || node.kind === 'stackRef';
}

export function stackChildren(source: StackSource, node: StackNode): SecretsNode[] {
  const { connection } = node;
  if (node.kind === 'stacks') {
    const s = source.state(connection);
    if (!s || s.kind === 'loading') return [{ kind: 'state', connection, id: 'stacks:loading', title: 'Loading stacks…', icon: 'loading~spin' }];
    if (s.kind === 'error') {
      const es = errorState(s.error);
      return [{ kind: 'state', connection, id: 'stacks:error', title: 'Could not load stacks', description: 'Click to retry', tooltip: es.reason, icon: 'warning', command: { title: 'Retry', command: 'mlSecrets.refresh', arguments: [{ connection }] } }];
    }
    if (!s.stacks.length) return [{ kind: 'state', connection, id: 'stacks:none', title: 'No stacks', icon: 'info' }];
    return s.stacks.map((stack) => ({ kind: 'stack', connection, stack }));
  }
  if (node.kind === 'stack') return node.stack.components.map((component) => ({ kind: 'stackComponent', connection, stack: node.stack, component }));
  if (node.kind === 'stackComponent') return node.component.references.map((ref) => ({ kind: 'stackRef', connection, stack: node.stack, component: node.component, ref }));
  return [];
}

const STATUS_ICON: Record<RefStatus, [string, string | undefined]> = {
  exists: ['pass', 'testing.iconPassed'],
  missing: ['error', 'list.errorForeground'],
  keyMissing: ['warning', 'list.warningForeground'],
  unknown: ['question', undefined],
  loading: ['loading~spin', undefined],
};
const STATUS_TEXT: Record<RefStatus, string> = { exists: 'exists', missing: 'secret missing', keyMissing: 'key missing', unknown: 'unknown', loading: 'checking…' };

function icon(status: RefStatus): vscode.ThemeIcon {
  const [id, color] = STATUS_ICON[status];
  return new vscode.ThemeIcon(id, color ? new vscode.ThemeColor(color) : undefined);
}

function summaryStatus(c: StatusCounts): RefStatus {
  return c.missing ? 'missing' : c.keyMissing ? 'keyMissing' : c.unknown ? 'unknown' : c.loading ? 'loading' : 'exists';
}

export function stackItem(model: SecretsModel, node: StackNode): vscode.TreeItem {
  const scope: ScopeRef = ownScope(model, node.connection)?.ref ?? {};
  const c = node.connection;
  if (node.kind === 'stacks') {
    const n = node.stacks?.length;
    const item = new vscode.TreeItem(n === undefined ? 'Stacks' : `Stacks (${n})`, vscode.TreeItemCollapsibleState.Collapsed);
    item.id = `stacks:${c}`;
    item.tooltip = 'Stacks on this server and the secrets their components reference ({{name.key}} in a configuration).';
    item.iconPath = new vscode.ThemeIcon('layers');
    item.contextValue = 'mlSecrets.stacks';
    item.accessibilityInformation = { label: `${item.label as string}: ${item.tooltip as string}` };
    return item;
  }
  if (node.kind === 'stack') {
    const counts = countStatus(model, c, scope, stackRefs(node.stack));
    const item = new vscode.TreeItem(printable(node.stack.name, 200), vscode.TreeItemCollapsibleState.Collapsed);
    item.id = `stack:${c}:${node.stack.id}`;
    item.description = countsText(counts);
    item.tooltip = `Stack ${printable(node.stack.name, 200)}: ${node.stack.components.length} component${node.stack.components.length === 1 ? '' : 's'}, ${countsText(counts)}.`;
    item.iconPath = counts.total ? icon(summaryStatus(counts)) : new vscode.ThemeIcon('layers');
    item.contextValue = `mlSecrets.stack ${counts.missing || counts.keyMissing ? 'missing' : 'complete'}`;
    item.accessibilityInformation = { label: `${printable(node.stack.name, 200)}, stack, ${countsText(counts)}` };
    return item;
  }
  if (node.kind === 'stackComponent') {
    const { component } = node;
    const counts = countStatus(model, c, scope, component.references);
    const item = new vscode.TreeItem(printable(component.name, 200), component.references.length ? vscode.TreeItemCollapsibleState.Collapsed : vscode.TreeItemCollapsibleState.None);
    item.id = `stackc:${c}:${node.stack.id}:${component.id}`;
    const kind = [component.type, component.flavor].filter(Boolean).map((x) => printable(x, 80)).join(' · ');
    item.description = component.references.length ? `${kind} · ${countsText(counts)}` : kind;
    item.tooltip = `${kind} ${printable(component.name, 200)}: ${countsText(counts)}.`;
    item.iconPath = component.references.length ? icon(summaryStatus(counts)) : new vscode.ThemeIcon('package');
    item.contextValue = 'mlSecrets.stackComponent';
    item.accessibilityInformation = { label: `${printable(component.name, 200)}, ${kind}, ${countsText(counts)}` };
    return item;
  }
  const { ref } = node;
  const status = refStatus(model, c, scope, ref);
  const item = new vscode.TreeItem(`${printable(ref.name, 200)}.${printable(ref.key, 200)}`, vscode.TreeItemCollapsibleState.None);
  // The status is part of the id: a row whose status changes is a new row, with a fresh accessible name.
  item.id = `stackr:${c}:${node.stack.id}:${node.component.id}:${ref.attribute}:${status}`;
  item.description = `${printable(ref.attribute, 100)} · ${STATUS_TEXT[status]}`;
  item.tooltip = `${printable(ref.attribute, 100)} = {{${printable(ref.name, 200)}.${printable(ref.key, 200)}}}: ${STATUS_TEXT[status]}.${status === 'missing' || status === 'keyMissing' ? ' Register Missing Secrets for Stack creates it.' : ''}`;
  item.iconPath = icon(status);
  item.contextValue = `mlSecrets.stackRef ${status}`;
  item.accessibilityInformation = { label: `${printable(ref.name, 200)}.${printable(ref.key, 200)}, ${STATUS_TEXT[status]}` };
  return item;
}
