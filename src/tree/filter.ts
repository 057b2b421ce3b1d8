// The Secrets view as shown: the tree (./secretsTree.ts) with its filter (mlSecrets.filterSecrets)
// and the "unused" mark (./unused.ts). A filter keeps the secrets whose name contains it, across
// every connection and scope (collapsed ones too: their lists are fetched), with their ancestors,
// expanded; the view's description says which filter is on.

import * as vscode from 'vscode';
import { printable } from '../core/text';
import type { SecretsNode } from './nodes';
import { markUnused, UsedSource } from './unused';

export interface TreeSource {
  readonly onDidChangeTreeData: vscode.Event<SecretsNode | undefined>;
  getChildren(node?: SecretsNode): SecretsNode[];
  getParent(node: SecretsNode): SecretsNode | undefined;
  getTreeItem(node: SecretsNode): vscode.TreeItem;
}

/** Rows that lead to secrets, and so are kept (and expanded) when they hold a match. */
const CONTAINERS = new Set<SecretsNode['kind']>(['connection', 'scope', 'group']);

export class FilteredSecretsTree implements vscode.TreeDataProvider<SecretsNode>, vscode.Disposable {
  private text = '';
  private readonly emitter = new vscode.EventEmitter<SecretsNode | undefined>();
  readonly onDidChangeTreeData = this.emitter.event;
  private readonly subs: vscode.Disposable[];
  private view: vscode.TreeView<SecretsNode> | undefined;

  /** `tree` is owned: disposed with this one when it can be. */
  constructor(private readonly tree: TreeSource & Partial<vscode.Disposable>, private readonly usedSource?: UsedSource) {
    this.subs = [this.emitter, tree.onDidChangeTreeData((n) => this.emitter.fire(n))];
  }

  /** The view that shows this tree: its description says which filter is on. */
  attach(view: vscode.TreeView<SecretsNode>): vscode.TreeView<SecretsNode> {
    this.view = view;
    return view;
  }

  get filter(): string {
    return this.text;
  }

  setFilter(text: string): void {
    this.text = text.trim();
    void vscode.commands.executeCommand('setContext', 'mlSecrets.filtered', !!this.text);
    if (this.view) this.view.description = this.text ? `filter: ${printable(this.text, 40)}` : undefined;
    this.emitter.fire(undefined);
  }

  private matches(name: string): boolean {
    return name.toLowerCase().includes(this.text.toLowerCase());
  }

  getChildren(node?: SecretsNode): SecretsNode[] {
    const children = this.tree.getChildren(node);
    if (!this.text || (node && !CONTAINERS.has(node.kind))) return children;
    return children.filter((c) => this.keep(c));
  }

  /** A matching secret, a container holding one, or a row saying a list is still loading. */
  private keep(n: SecretsNode): boolean {
    if (n.kind === 'secret') return this.matches(n.secret.name);
    if (n.kind === 'state') return n.icon === 'loading~spin';
    if (!CONTAINERS.has(n.kind)) return false;
    return this.tree.getChildren(n).some((c) => this.keep(c));
  }

  getParent(node: SecretsNode): SecretsNode | undefined {
    return this.tree.getParent(node);
  }

  getTreeItem(node: SecretsNode): vscode.TreeItem {
    const item = this.tree.getTreeItem(node);
    markUnused(item, node, this.usedSource?.used());
    if (this.text && CONTAINERS.has(node.kind)) {
      // Its own id while filtered, so the row opens even where the user had collapsed it.
      item.collapsibleState = vscode.TreeItemCollapsibleState.Expanded;
      if (item.id) item.id = `${item.id}\u0000filter:${this.text}`;
    }
    return item;
  }

  dispose(): void {
    this.tree.dispose?.();
    for (const d of this.subs) d.dispose();
  }
}
