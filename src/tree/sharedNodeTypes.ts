// The Secrets view's sharing nodes (./sharedNodes.ts builds and draws them): "Shared with me" under a
// connection, "Who has access" under one of your secrets, and their rows. Types only.

import type { AccessGrant, Scope, SecretInfo, SharedSecret } from '../core/platforms/types';

export type SharedNode =
  | { kind: 'shared'; connection: string }
  | { kind: 'sharedSecret'; connection: string; shared: SharedSecret }
  | { kind: 'access'; connection: string; scope: Scope; secret: SecretInfo }
  | { kind: 'grant'; connection: string; scope: Scope; secret: SecretInfo; grant: AccessGrant };
