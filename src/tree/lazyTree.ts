// The Secrets view's data provider as activation registers it: a stand-in that builds the real tree
// (./filter.ts over ./secretsTree.ts, in lazy.js) the first time the view, a test or a view command
// asks for it. A job file opened before the view is ever shown activates the extension without the
// tree's code; the tree is drawn when the view shows, which needs lazy.js (the clients) anyway.

import * as vscode from 'vscode';
import type { FilteredSecretsTree } from './filter';
import type { SecretsNode } from './nodes';

export class LazySecretsTree implements vscode.TreeDataProvider<SecretsNode>, vscode.Disposable {
  private built: FilteredSecretsTree | undefined;
  private readonly emitter = new vscode.EventEmitter<SecretsNode | undefined>();
  readonly onDidChangeTreeData = this.emitter.event;
  private view: vscode.TreeView<SecretsNode> | undefined;
  private readonly subs: vscode.Disposable[] = [this.emitter];

  /** `build` makes the real tree (and owns what it subscribes to: disposing the tree ends it). */
  constructor(private readonly build: () => FilteredSecretsTree) {}

  /** The view that shows this tree (handed on to the real one: its description names the filter). */
  attach(view: vscode.TreeView<SecretsNode>): vscode.TreeView<SecretsNode> {
    this.view = view;
    this.built?.attach(view);
    return view;
  }

  /** The real tree, built on first use. */
  tree(): FilteredSecretsTree {
    if (!this.built) {
      const t = this.build();
      this.built = t;
      this.subs.push(t, t.onDidChangeTreeData((n) => this.emitter.fire(n)));
      if (this.view) t.attach(this.view);
    }
    return this.built;
  }

  getChildren(node?: SecretsNode): SecretsNode[] {
    return this.tree().getChildren(node);
  }

  getParent(node: SecretsNode): SecretsNode | undefined {
    return this.tree().getParent(node);
  }

  getTreeItem(node: SecretsNode): vscode.TreeItem {
    return this.tree().getTreeItem(node);
  }

  dispose(): void {
    for (const d of this.subs.splice(0)) d.dispose();
  }
}
