// What a secret command acts on: the connection (ready), its client, the scope (tree node, argument
// object, the platform's own rule or the default) and the platform's part of the secret commands;
// plus the secret name and the scope's current list, which most of those commands need.

import { ValidationError } from '../core/errors';
import { scopeLabelFor } from '../core/platforms/scopeLabels';
import { ScopeRef, SecretInfo } from '../core/platforms/types';
import { scopeKey } from '../model/secretsModel';
import { platformModule } from '../platforms/registry';
import type { Target } from '../platforms/secretsModule';
import { Invocation, optString, pickConnection, reqString, Services } from './common';

export type { Target } from '../platforms/secretsModule';

/** The connection's client and the scope the command acts on (tree node, `project` arg, or the default). */
export async function target(s: Services, inv: Invocation, askScope = false): Promise<Target | undefined> {
  const rec = await pickConnection(s, inv);
  if (!rec) return undefined;
  const st = await s.model.ensureConnection(rec.label);
  if (st.kind === 'signedOut') throw new ValidationError(`Connection '${rec.label}' is signed out; sign in again first.`);
  if (st.kind === 'error') throw st.error instanceof Error ? st.error : new Error(String(st.error));
  if (st.kind !== 'ready') throw new Error(`Connection '${rec.label}' is not ready.`);
  const node = inv.node;
  let scope: ScopeRef | undefined = node && (node.kind === 'scope' || node.kind === 'secret' || node.kind === 'key' || node.kind === 'group') ? node.scope.ref : undefined;
  const project = optString(inv.args, 'project');
  const domain = optString(inv.args, 'domain');
  const module = platformModule(rec.platform);
  if (!scope && module.resolveScope) {
    scope = await module.resolveScope({ inv, rec, scopes: st.scopes, project, domain, askScope });
    if (!scope) return undefined;
  } else if (!scope && project) scope = { ...rec.scope, project };
  if (!scope) scope = st.scopes.find((x) => x.isDefault)?.ref ?? rec.scope;
  const known = st.scopes.find((x) => scopeKey(x.ref) === scopeKey(scope as ScopeRef));
  const scopeLabel = scopeLabelFor(st.client, scope) ?? rec.label;
  return { rec, client: st.client, scope, scopeLabel, known, scopes: st.scopes, module };
}

/** "flytesnacks/development (flyte-demo)", or just the connection when the scope is the connection. */
export function placeOf(t: Target): string {
  return t.scopeLabel === t.rec.label ? t.rec.label : `${t.scopeLabel} (${t.rec.label})`;
}

/** The scope's secrets (fetched if not yet listed), or undefined when the list failed. */
export async function currentSecrets(s: Services, t: Target): Promise<SecretInfo[] | undefined> {
  const ls = await s.model.ensureList(t.rec.label, t.scope);
  return ls.kind === 'ok' ? ls.secrets : undefined;
}

/** The secret the tree node is (or holds the key), else `name` of the argument object (required there). */
export function secretNameArg(inv: Invocation): string | undefined {
  return inv.node?.kind === 'secret' || inv.node?.kind === 'key' ? inv.node.secret.name : reqString(inv, 'name', 'the secret name');
}
