import type { ConnectionRecord, StoredCredential } from '../connections';
import type { HttpClient } from '../http/httpClient';
import type { SecretReference } from '../references/reference';

// One interface for every platform. A client says what it can do (capabilities) and the UI asks it,
// rather than switching on platform names.

export type PlatformId = 'apolo' | 'neuro' | 'zenml' | 'mosaic' | 'flyte';
/** Every platform's id and name, in the order a picker shows them (from the registry of platform facts). */
export { PLATFORM_IDS, PLATFORM_NAMES } from './registry';

/** Platform-specific coordinates of a place that holds secrets. */
export interface ScopeRef {
  cluster?: string;
  org?: string;
  project?: string;
  domain?: string;
  /** Flyte / Union: the cluster pool whose cluster holds the org-wide secrets (the SDK's --cluster-pool). */
  clusterPool?: string;
}

export interface Scope {
  /** Stable key, unique within a connection (e.g. "default/demo-org/demo-project"). */
  id: string;
  label: string;
  description?: string;
  ref: ScopeRef;
  /** The connection's own scope (the one `secret:NAME` resolves to). */
  isDefault: boolean;
  /** The user's role there, when the platform says. */
  role?: string;
  /** Whether a list of this scope shows every secret in it (false: only what was shared with the user). */
  complete: boolean;
}

/** What the tree, lenses, hovers and listSecrets show. Never a value. */
export interface SecretInfo {
  name: string;
  keys?: string[];
  type?: string;
  /** Human scope, e.g. "demo-org/demo-project". */
  scope?: string;
  owner?: string;
  createdAt?: string;
  updatedAt?: string;
  private?: boolean;
  /** The secret exists but this user can't read it. */
  inaccessible?: boolean;
  /** Extra state worth showing (Flyte: "partially present — missing on c2"). */
  status?: string;
  /** Another secret of the same name takes precedence when a reference is resolved (ZenML: private over public). */
  shadowed?: boolean;
}

export type Permission = 'read' | 'write' | 'manage';
export const PERMISSIONS: readonly Permission[] = ['read', 'write', 'manage'];

export interface ShareResult {
  /** The permission the user has now (may be higher than asked). */
  granted: string;
  requested: Permission;
  uri?: string;
  /** The user already had a higher permission than the one asked for (nothing was lowered). */
  alreadyHigher: boolean;
}

/** A secret another user or project granted this connection's user (Apolo / Neu.ro's ACL). Never a value. */
export interface SharedSecret {
  name: string;
  /** The granted resource, e.g. secret://default/demo-org/ml-team/NAME or secret://default/alice/NAME. */
  uri: string;
  /** Whose it is: "org/project", or the user of a user-scoped URI. */
  owner: string;
  /** The permission held on it (deny < list < read < write < manage). */
  level: string;
  /** The level lets a job read the value (read or higher). */
  readable: boolean;
  /** The scope a reference to it resolves in (its list holds it). */
  scope: ScopeRef;
}

/** Someone else's grant on a secret of this connection's user. */
export interface AccessGrant {
  user: string;
  uri: string;
  level: string;
}

export interface Capabilities {
  /** Share with another user; when false, `shareUnsupportedReason` says why. */
  share: boolean;
  shareUnsupportedReason?: string;
  /** 'native': an update call exists; 'replace': add overwrites; 'recreate': delete + add. */
  update: 'native' | 'replace' | 'recreate';
  /** Secrets hold named keys (ZenML). */
  keys: boolean;
  /** A value may be a file's bytes. */
  fileValues: boolean;
  privateFlag: boolean;
  /** Show secrets grouped by type in the tree (MosaicML). */
  groupByType?: boolean;
  /** False where the platform's API reports no creation date (Apolo / Neu.ro): the tooltip says so. */
  createdAt?: boolean;
  /** The platform renames a secret itself (an update with `newName`), its value never leaving the server (ZenML). */
  rename?: boolean;
}

export interface SecretInput {
  name: string;
  /** The value's bytes (a typed string is UTF-8 encoded by the caller). */
  value?: Uint8Array;
  values?: Record<string, string>;
  type?: string;
  private?: boolean;
  /** Where the secret lands at run time (MosaicML): env var name, mount path or directory. */
  extra?: { envKey?: string; mountPath?: string; mountDirectory?: string };
}

export interface SecretUpdate {
  /** A new value (single-value platforms). */
  value?: Uint8Array;
  /** Keys to add or replace, and keys to remove (null) — ZenML's patch_values semantics. */
  values?: Record<string, string | null>;
  newName?: string;
  private?: boolean;
  /** Which of two same-named secrets (ZenML: a private and a public one) is meant. */
  which?: 'private' | 'public';
}

/** A `{{name.key}}` reference in a stack component's configuration (ZenML): names only, never a value. */
export interface StackSecretRef {
  /** The configuration attribute that holds it. */
  attribute: string;
  name: string;
  key: string;
}

/** A stack component (ZenML: orchestrator, artifact store, …) and the secrets its configuration references. */
export interface StackComponentInfo {
  id: string;
  name: string;
  type: string;
  flavor: string;
  references: StackSecretRef[];
}

/** A stack: components whose configurations reference secrets of the connection's own scope. */
export interface StackInfo {
  id: string;
  name: string;
  components: StackComponentInfo[];
}

export interface DeleteResult {
  /** It was already gone (the platform said 404). */
  alreadyGone: boolean;
}

export interface PlatformClient {
  readonly platform: PlatformId;
  readonly capabilities: Capabilities;
  /** A message quoting the platform's rule when the name breaks it, else undefined. */
  validateName(name: string): string | undefined;
  /** The scopes this connection can list, its own one first. */
  listScopes(signal?: AbortSignal): Promise<Scope[]>;
  listSecrets(scope: ScopeRef, signal?: AbortSignal): Promise<SecretInfo[]>;
  addSecret(scope: ScopeRef, input: SecretInput, signal?: AbortSignal): Promise<void>;
  /** Key names of one secret, for platforms whose lists don't carry them (ZenML). */
  secretKeys?(scope: ScopeRef, secret: SecretInfo, signal?: AbortSignal): Promise<string[] | undefined>;
  /** Present when the platform has an update call (capabilities.update === 'native'). */
  updateSecret?(scope: ScopeRef, name: string, update: SecretUpdate, signal?: AbortSignal): Promise<void>;
  deleteSecret(scope: ScopeRef, name: string, signal?: AbortSignal, which?: 'private' | 'public'): Promise<DeleteResult>;
  shareSecret?(scope: ScopeRef, name: string, user: string, permission: Permission, signal?: AbortSignal): Promise<ShareResult>;
  /** What others shared with this user (platforms with an ACL: Apolo / Neu.ro). */
  sharedWithMe?(signal?: AbortSignal): Promise<SharedSecret[]>;
  /** Who holds a grant on one of this user's secrets (the grants made on its URI). */
  whoHasAccess?(scope: ScopeRef, name: string, signal?: AbortSignal): Promise<AccessGrant[]>;
  /** Takes a user's grant on a secret away; `alreadyGone` when there was none. */
  revokeAccess?(scope: ScopeRef, name: string, user: string, signal?: AbortSignal): Promise<DeleteResult>;
  /** The scope a reference in a job file points at, or why it can't be checked with this connection. */
  scopeFor(ref: SecretReference): ScopeRef | ScopeRef[] | { unverified: string };
  /** The text a job file uses to reference this secret from the connection's own scope. */
  reference(scope: ScopeRef, name: string, key?: string): string;
  /** Stacks whose components reference secrets (ZenML), resolved in the connection's own scope. */
  listStacks?(signal?: AbortSignal): Promise<StackInfo[]>;
  /** How a scope reads in messages, when not "org/project" (Flyte: "project/domain", "domain D", "org-wide"). */
  scopeLabel?(scope: ScopeRef): string;
}

/** Called when a client got a new access token by itself (silent re-login), so it can be stored. */
export type TokenListener = (token: string, expiresAt: number | undefined) => void;

/** Builds a connection's client (each platform's `createClient` in src/core/platforms/<id>/index.ts). */
export type ClientFactory = (rec: ConnectionRecord, cred: StoredCredential, http: HttpClient, onToken?: TokenListener) => PlatformClient;
