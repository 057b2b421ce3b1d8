// The parent of a Secrets view node, for TreeView.reveal (Go to Definition selects a secret or key):
// scope → connection, secret → its type group or scope, key → secret. Other rows aren't revealed.

import type { SecretsModel } from '../model/secretsModel';
import type { SecretsNode } from './nodes';

export function parentOf(model: SecretsModel, node: SecretsNode): SecretsNode | undefined {
  switch (node.kind) {
    case 'scope':
    case 'group':
      return node.kind === 'scope' ? { kind: 'connection', connection: node.connection } : { kind: 'scope', connection: node.connection, scope: node.scope };
    case 'key':
      return { kind: 'secret', connection: node.connection, scope: node.scope, secret: node.secret };
    case 'secret': {
      const st = model.connectionState(node.connection);
      if (st.kind !== 'ready' || !st.client.capabilities.groupByType) return { kind: 'scope', connection: node.connection, scope: node.scope };
      const type = node.secret.type ?? 'other';
      const ls = model.listState(node.connection, node.scope.ref);
      const secrets = ls?.kind === 'ok' ? ls.secrets.filter((s) => (s.type ?? 'other') === type) : [node.secret];
      return { kind: 'group', connection: node.connection, scope: node.scope, type, secrets };
    }
    default:
      return undefined;
  }
}
