// What others shared with a connection's user and who holds grants on its secrets, read through the
// model's per-connection cache (./sideCache.ts) from the platform client's optional sharing methods
// (Apolo / Neu.ro's ACL). Generic: a client without them has neither. Names and levels, never values.

import type { AccessGrant, ScopeRef, SharedSecret } from '../core/platforms/types';
import { scopeKey, SecretsModel } from './secretsModel';
import type { SideState } from './sideCache';

/** The "shared with me" list: undefined when the connection isn't ready or its platform has none. */
export function sharedWithMeState(model: SecretsModel, label: string): SideState<SharedSecret[]> | undefined {
  const st = model.connectionState(label);
  const client = st.kind === 'ready' ? st.client : undefined;
  if (!client?.sharedWithMe) return undefined;
  return model.side(label)?.get('shared', () => (client.sharedWithMe as NonNullable<typeof client.sharedWithMe>)());
}

/** The grants others hold on one secret of the user: undefined when the platform can't say. */
export function accessState(model: SecretsModel, label: string, scope: ScopeRef, name: string): SideState<AccessGrant[]> | undefined {
  const st = model.connectionState(label);
  const client = st.kind === 'ready' ? st.client : undefined;
  if (!client?.whoHasAccess) return undefined;
  return model.side(label)?.get(accessKey(scope, name), () => (client.whoHasAccess as NonNullable<typeof client.whoHasAccess>)(scope, name));
}

/** Whether the platform of a ready connection can say who has access. */
export function canShowAccess(model: SecretsModel, label: string): boolean {
  const st = model.connectionState(label);
  return st.kind === 'ready' && !!st.client.whoHasAccess;
}

/** After a grant changed: read that secret's grants again. */
export async function reloadAccess(model: SecretsModel, label: string, scope: ScopeRef, name: string): Promise<void> {
  const client = await model.client(label);
  const side = model.side(label);
  if (!client?.whoHasAccess || !side) return;
  await side.ensure(accessKey(scope, name), () => (client.whoHasAccess as NonNullable<typeof client.whoHasAccess>)(scope, name), true);
}

function accessKey(scope: ScopeRef, name: string): string {
  return `access\u0000${scopeKey(scope)}\u0000${name}`;
}
