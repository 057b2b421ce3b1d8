// mlSecrets.shareSecret: give another user (or role) read, write or manage permission on a secret,
// where the platform can share; the result says whether they already had more.

import * as vscode from 'vscode';
import { UnsupportedError, ValidationError } from '../core/errors';
import { inScope } from '../core/platforms/scopeLabels';
import { Permission, PERMISSIONS, PLATFORM_NAMES } from '../core/platforms/types';
import { printable } from '../core/text';
import { reloadAccess } from '../model/sharedAccess';
import { Command, Invocation, reqString, requireTrust, Services, tell } from './common';
import { currentSecrets, secretNameArg, Target, target } from './secretTarget';

async function run(s: Services, inv: Invocation): Promise<unknown> {
  requireTrust('Sharing a secret');
  const t = await target(s, inv);
  if (!t) return undefined;
  if (!t.client.capabilities.share || !t.client.shareSecret) {
    throw new UnsupportedError(t.client.capabilities.shareUnsupportedReason ?? `${PLATFORM_NAMES[t.rec.platform]} has no way to share a single secret with another user.`);
  }
  let name = secretNameArg(inv);
  if (!name) {
    const list = (await currentSecrets(s, t)) ?? [];
    const pick = await vscode.window.showQuickPick(list.map((x) => ({ label: x.name })), { placeHolder: 'Share which secret?', ignoreFocusOut: true });
    if (!pick) return undefined;
    name = pick.label;
  }
  let user = reqString(inv, 'user', 'the user or role to share with');
  if (!user) {
    user = await vscode.window.showInputBox({ title: `Share '${name}'`, prompt: 'User (or role) to share with', ignoreFocusOut: true, validateInput: (v) => (v.trim() ? undefined : 'A user name is required.') });
    if (!user) return undefined;
  }
  let permission = reqString(inv, 'permission', 'read, write or manage') as Permission | undefined;
  if (permission && !PERMISSIONS.includes(permission)) throw new ValidationError(`'permission' must be one of read, write, manage (got '${printable(permission)}').`);
  if (!permission) {
    permission = await askPermission(t, name, user);
    if (!permission) return undefined;
  }
  const result = await t.client.shareSecret(t.scope, name, user.trim(), permission);
  const higher = result.alreadyHigher;
  const msg = higher
    ? `${printable(user)} already had a higher permission (${result.granted}) on '${printable(name)}'; nothing was lowered.`
    : `Shared '${printable(name)}' with ${printable(user)} (${result.granted}).`;
  s.log.info(msg);
  await reloadAccess(s.model, t.rec.label, t.scope, name);
  tell(msg);
  return { ...result, alreadyHigher: higher, message: msg };
}

/** Which permission (picked), then a modal confirmation; undefined when either is cancelled. */
async function askPermission(t: Target, name: string, user: string): Promise<Permission | undefined> {
  const pick = await vscode.window.showQuickPick(
    [
      { label: 'read', description: 'use the secret in jobs', id: 'read' as Permission },
      { label: 'write', description: 'also change its value', id: 'write' as Permission },
      { label: 'manage', description: 'also delete it and share it further', id: 'manage' as Permission },
    ],
    { title: `Share '${name}' with ${user}`, ignoreFocusOut: true },
  );
  if (!pick) return undefined;
  const go = await vscode.window.showWarningMessage(`Give ${printable(user)} ${pick.id} permission on secret '${printable(name)}' ${inScope(t.scopeLabel)}?`, { modal: true }, 'Share');
  return go === 'Share' ? pick.id : undefined;
}

export const shareSecret: Command = { title: 'Share secret', run };
