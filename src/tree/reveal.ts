// Finding a secret's row in the Secrets view and revealing it (mlSecrets.revealSecret, from a hover),
// and each node's parent, which TreeView.reveal needs (the provider's getParent delegates here).
// Walks the provider's own getChildren, so what is found is exactly what the view shows.

import * as vscode from 'vscode';
import { scopeKey } from '../model/secretsModel';
import type { SecretsNode } from './nodes';

interface Children {
  getChildren(node?: SecretsNode): SecretsNode[];
}

/** The parent of a connection → scope → (type group →) secret → key row; undefined for the others. */
export function parentOf(tree: Children, node: SecretsNode): SecretsNode | undefined {
  if (node.kind === 'connection') return undefined;
  const conn: SecretsNode = { kind: 'connection', connection: node.connection };
  if (node.kind === 'scope') return conn;
  if (node.kind === 'group') return tree.getChildren(conn).find((n) => n.kind === 'scope' && n.scope.id === node.scope.id);
  if (node.kind === 'key') return { kind: 'secret', connection: node.connection, scope: node.scope, secret: node.secret };
  if (node.kind !== 'secret') return undefined;
  const scope = tree.getChildren(conn).find((n) => n.kind === 'scope' && n.scope.id === node.scope.id);
  if (!scope) return undefined;
  const group = tree.getChildren(scope).find((n) => n.kind === 'group' && n.secrets.some((x) => x.name === node.secret.name));
  return group ?? scope;
}

export interface SecretPlace {
  connection: string;
  name: string;
  /** The checker's scope id (cluster/org/project/domain), or just the project. */
  scopeId?: string;
  project?: string;
}

/** The secret's row, found through getChildren (connection → scope → group → secret). */
export function findSecretNode(tree: Children, where: SecretPlace): SecretsNode | undefined {
  const scopes = tree.getChildren({ kind: 'connection', connection: where.connection }).filter((n) => n.kind === 'scope');
  const wanted = scopes.filter((n) => n.kind === 'scope' && (where.scopeId ? scopeKey(n.scope.ref) === where.scopeId : !where.project || n.scope.ref.project === where.project));
  for (const scope of wanted.length ? wanted : scopes) {
    for (const n of tree.getChildren(scope)) {
      if (n.kind === 'secret' && n.secret.name === where.name) return n;
      if (n.kind === 'group') {
        const hit = tree.getChildren(n).find((x) => x.kind === 'secret' && x.secret.name === where.name);
        if (hit) return hit;
      }
    }
  }
  return undefined;
}

/** Focuses the Secrets view and selects the secret's row; false when the view doesn't show it. */
export async function revealSecret(view: vscode.TreeView<SecretsNode>, tree: Children, where: SecretPlace): Promise<boolean> {
  const node = findSecretNode(tree, where);
  if (!node) return false;
  await view.reveal(node, { select: true, focus: true, expand: false });
  return true;
}
