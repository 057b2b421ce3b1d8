// The Secrets view's platform extras — Shared with me / Who has access (./sharedNodes.ts) and ZenML
// stacks (./stackNodes.ts) — ship in lazy.js, not in the activation bundle. They are first needed
// when a connection's children are drawn, which needs that connection's client (lazy.js) anyway.
// src/extension.ts hands over the loader.

import type * as SharedNodes from './sharedNodes';
import type * as StackNodes from './stackNodes';
import type { SecretsNode } from './nodes';

export interface TreeExtras {
  shared: typeof SharedNodes;
  stacks: typeof StackNodes;
}

let loader: (() => TreeExtras) | undefined;

export function setTreeExtras(load: () => TreeExtras): void {
  loader = load;
}

export function treeExtras(): TreeExtras {
  if (!loader) throw new Error('The Secrets view extras were asked for before the extension set them up.');
  return loader();
}

const STACK_KINDS: ReadonlySet<string> = new Set(['stacks', 'stack', 'stackComponent', 'stackRef']);

/** A node of the ZenML Stacks group. */
export function isStackNode(node: SecretsNode): node is Extract<SecretsNode, { kind: 'stacks' | 'stack' | 'stackComponent' | 'stackRef' }> {
  return STACK_KINDS.has(node.kind);
}
