// What a platform's module offers the secret commands (add, update, delete, share, list, copy): the
// places where a platform asks or does something its own way. Every member is optional, so a
// platform without differences has `{}`. Each platform's part is src/platforms/<id>/secrets.ts.

import type { Invocation, Services } from '../commands/common';
import type { ConnectionRecord } from '../core/connections';
import type { PlatformClient, Scope, ScopeRef, SecretInfo, SecretInput } from '../core/platforms/types';

/** The connection, its client and the scope a secret command acts on (found by src/commands/secretTarget.ts). */
export interface Target {
  rec: ConnectionRecord;
  scopes: Scope[];
  client: PlatformClient;
  scope: ScopeRef;
  scopeLabel: string;
  known?: Scope;
  /** The platform's part of the secret commands. */
  module: SecretsModule;
}

export type SaveMode = 'add' | 'update';

/** What a platform needs to settle the scope of a command that no tree node placed. */
export interface ScopeRequest {
  inv: Invocation;
  rec: ConnectionRecord;
  /** The connection's scopes, its own one first. */
  scopes: Scope[];
  /** `project` and `domain` of the argument object. */
  project?: string;
  domain?: string;
  /** The command may ask which scope (add, update, delete), when interactive. */
  askScope: boolean;
}

/** Add and update for secrets that hold several named keys. Each returns false when the user cancelled. */
export interface KeyedSecrets {
  add(s: Services, inv: Invocation, t: Target, name: string): Promise<boolean>;
  /** `keys`: the secret's current key names; `isPrivate`: whether it is private, when the list says. */
  update(s: Services, inv: Invocation, t: Target, name: string, keys: readonly string[], isPrivate?: boolean): Promise<boolean>;
}

export interface SecretsModule {
  /**
   * The scope a command acts on when no tree node gives one (Flyte: org / domain / project+domain).
   * Undefined when the user cancelled a pick. Without it: the connection's scope with the given
   * `project`, else the connection's default scope.
   */
  resolveScope?(req: ScopeRequest): Promise<ScopeRef | undefined>;
  /**
   * What a secret needs besides its name and value (MosaicML's types, env name, mount path; Flyte's
   * image-pull secrets), from the argument object or asked for. `value` is what `value` or
   * `valueFile` gave; `current` is the secret being updated, when it is listed. Undefined when the
   * user cancelled. Without it a secret is a name and one value.
   */
  secretInput?(inv: Invocation, t: Target, name: string, value: Uint8Array | undefined, mode: SaveMode, current: SecretInfo | undefined): Promise<SecretInput | undefined>;
  /** Secrets hold named keys (ZenML): add and update take their own flows (values per key, rename, private/public). */
  keyedSecrets?: KeyedSecrets;
  /** listSecrets without a tree node, `project` or `domain` lists every scope of the connection (Flyte), not one. */
  listsEveryScope?: boolean;
}
