// The nodes of the Secrets view (src/tree/secretsTree.ts): connection → scope → (type group →)
// secret → key, and the state rows (signed out, offline, loading, empty) that stand in for them.

import type * as vscode from 'vscode';
import type { Scope, SecretInfo, StackComponentInfo, StackInfo, StackSecretRef } from '../core/platforms/types';
import type { MissingSecret } from '../language/missingSecrets';
import type { SharedNode } from './sharedNodeTypes';

export type SecretsNode =
  | { kind: 'connection'; connection: string }
  | { kind: 'scope'; connection: string; scope: Scope }
  | { kind: 'secret'; connection: string; scope: Scope; secret: SecretInfo }
  | { kind: 'key'; connection: string; scope: Scope; secret: SecretInfo; key: string }
  | { kind: 'group'; connection: string; scope: Scope; type: string; secrets: SecretInfo[] }
  | { kind: 'state'; connection: string; id: string; title: string; description?: string; tooltip?: string; icon: string; command?: vscode.Command }
  | { kind: 'missing'; connection: string; secrets: MissingSecret[] }
  | { kind: 'missingSecret'; connection: string; secret: MissingSecret }
  | { kind: 'missingUse'; connection: string; secret: MissingSecret; use: number }
  | SharedNode
  // ZenML stacks (./stackNodes.ts): Stacks (N) → stack → component → secret reference.
  | { kind: 'stacks'; connection: string; stacks?: StackInfo[] }
  | { kind: 'stack'; connection: string; stack: StackInfo }
  | { kind: 'stackComponent'; connection: string; stack: StackInfo; component: StackComponentInfo }
  | { kind: 'stackRef'; connection: string; stack: StackInfo; component: StackComponentInfo; ref: StackSecretRef };
