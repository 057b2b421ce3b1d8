// Finding a secret's row in the Secrets view and revealing it (mlSecrets.revealSecret, from a hover).
// Walks the provider's own getChildren, so what is found is exactly what the view shows; the
// provider's getParent (./parents.ts) lets TreeView.reveal walk back up.

import * as vscode from 'vscode';
import { scopeKey } from '../model/secretsModel';
import type { SecretsNode } from './nodes';

interface Children {
  getChildren(node?: SecretsNode): SecretsNode[];
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
