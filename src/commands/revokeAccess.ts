// mlSecrets.revokeAccess: take away the grant a user (or role) holds on one of your secrets, where the
// platform has an ACL (Apolo / Neu.ro: DELETE /users/{user}/permissions?uri=…), after a modal
// confirmation naming the user and the secret (skipped with `confirm: true`; Cancel keeps the grant).
// From the tree: a user row under the secret's "Who has access" group.

import * as vscode from 'vscode';
import { UnsupportedError, ValidationError } from '../core/errors';
import { inScope, scopeLabelFor } from '../core/platforms/scopeLabels';
import { PLATFORM_NAMES, PlatformClient, ScopeRef } from '../core/platforms/types';
import { printable } from '../core/text';
import { reloadAccess } from '../model/sharedAccess';
import { Command, Invocation, requireTrust, reqString, Services, tell } from './common';
import { secretNameArg, target } from './secretTarget';

interface RevokeTarget {
  label: string;
  client: PlatformClient;
  scope: ScopeRef;
  scopeLabel: string;
  name: string;
  user: string;
  level?: string;
}

async function run(s: Services, inv: Invocation): Promise<unknown> {
  requireTrust('Revoking access');
  const r = await revokeTarget(s, inv);
  if (!r) return undefined;
  if (inv.args.confirm !== true && !(await confirmRevoke(r))) return { revoked: false, cancelled: true };
  const res = await (r.client.revokeAccess as NonNullable<PlatformClient['revokeAccess']>)(r.scope, r.name, r.user);
  const msg = res.alreadyGone
    ? `${printable(r.user)} had no grant on '${printable(r.name)}' ${inScope(r.scopeLabel)}.`
    : `Revoked ${printable(r.user)}'s access to '${printable(r.name)}' ${inScope(r.scopeLabel)}.`;
  s.log.info(`${msg} (${r.label})`);
  await reloadAccess(s.model, r.label, r.scope, r.name);
  // Another connection of the revoked user to the same server (two accounts in one window) sees it at once.
  const origin = s.model.record(r.label)?.origin;
  await Promise.all(s.model.connections().filter((c) => c.label !== r.label && c.user === r.user && c.origin === origin).map((c) => s.model.refresh(c.label)));
  tell(msg);
  return { revoked: !res.alreadyGone, alreadyGone: res.alreadyGone, message: msg };
}

/** The grant to revoke: a "Who has access" row of the tree, or the argument object / prompts. */
async function revokeTarget(s: Services, inv: Invocation): Promise<RevokeTarget | undefined> {
  const node = inv.node;
  if (node?.kind === 'grant') {
    const client = await s.model.client(node.connection);
    if (!client) throw new ValidationError(`Connection '${node.connection}' is not ready.`);
    const scopeLabel = scopeLabelFor(client, node.scope.ref) ?? node.connection;
    return supported({ label: node.connection, client, scope: node.scope.ref, scopeLabel, name: node.secret.name, user: node.grant.user, level: node.grant.level });
  }
  const t = await target(s, inv);
  if (!t) return undefined;
  const base = { label: t.rec.label, client: t.client, scope: t.scope, scopeLabel: t.scopeLabel };
  supported({ ...base, name: '', user: '' });
  const name = secretNameArg(inv) ?? (await vscode.window.showInputBox({ title: 'Revoke access', prompt: `Secret ${inScope(t.scopeLabel)}`, ignoreFocusOut: true }));
  if (!name) return undefined;
  const bad = t.client.validateName(name);
  if (bad) throw new ValidationError(bad);
  let user = reqString(inv, 'user', 'the user or role whose access to take away');
  let level: string | undefined;
  if (!user) {
    const grants = (await t.client.whoHasAccess?.(t.scope, name)) ?? [];
    if (!grants.length) throw new ValidationError(`No one else has been granted access to '${printable(name)}' ${inScope(t.scopeLabel)}.`);
    const pick = await vscode.window.showQuickPick(grants.map((g) => ({ label: g.user, description: g.level })), { title: `Revoke access to '${name}'`, ignoreFocusOut: true });
    if (!pick) return undefined;
    user = pick.label;
    level = pick.description;
  }
  return { ...base, name, user: user.trim(), level };
}

function supported(r: RevokeTarget): RevokeTarget {
  if (!r.client.revokeAccess) throw new UnsupportedError(`${PLATFORM_NAMES[r.client.platform]} has no per-secret grants to revoke.`);
  return r;
}

async function confirmRevoke(r: RevokeTarget): Promise<boolean> {
  const go = await vscode.window.showWarningMessage(
    `Revoke ${printable(r.user)}'s access to secret '${printable(r.name)}' ${inScope(r.scopeLabel)}?`,
    { modal: true, detail: `${printable(r.user)}${r.level ? ` holds ${r.level}` : ' has access'} now. Afterwards their jobs that use it fail, and their references to it are flagged.` },
    'Revoke',
  );
  return go === 'Revoke';
}

export const revokeAccess: Command = { title: 'Revoke access', run };
