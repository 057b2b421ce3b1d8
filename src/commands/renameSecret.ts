// mlSecrets.renameSecret: rename a secret on its platform. Where the platform renames itself
// (capabilities.rename: ZenML) one update with the new name, the value never leaving the server.
// Elsewhere a platform never hands a value back, so the user supplies it (argument `value` /
// `valueFile`, or a masked prompt through Add Secret's own flow): the new secret is created first,
// and only then is the old one deleted — after a modal question, or per `deleteOld` — so the user is
// never left with neither. Offered after a Rename of a reference (src/language/rename.ts).

import * as vscode from 'vscode';
import { ValidationError } from '../core/errors';
import { printable } from '../core/text';
import { Command, Invocation, optString, requireTrust, Services, tell } from './common';
import { saveSecret } from './saveSecret';
import { currentSecrets, secretNameArg, Target, target } from './secretTarget';

async function newNameOf(inv: Invocation, t: Target, name: string): Promise<string | undefined> {
  const given = optString(inv.args, 'newName');
  if (given !== undefined || !inv.interactive) {
    if (!given) throw new ValidationError("Missing 'newName' in the argument object.");
    return given;
  }
  return vscode.window.showInputBox({
    title: `Rename secret '${printable(name)}' in ${t.scopeLabel}`,
    prompt: 'The new name',
    value: name,
    ignoreFocusOut: true,
    validateInput: (v) => t.client.validateName(v.trim()),
  });
}

/** Deletes the old secret once the new one exists: asked modally unless `deleteOld` says. */
async function deleteOld(s: Services, inv: Invocation, t: Target, name: string, newName: string): Promise<boolean> {
  const said = inv.args.deleteOld;
  if (said === false) return false;
  if (said !== true) {
    if (!inv.interactive) return false;
    const go = await vscode.window.showWarningMessage(`'${printable(newName)}' now exists in ${t.scopeLabel}. Delete the old secret '${printable(name)}'?`, { modal: true, detail: 'Jobs still referring to the old name will fail once it is gone.' }, 'Delete Old Secret');
    if (go !== 'Delete Old Secret') return false;
  }
  await t.client.deleteSecret(t.scope, name);
  s.log.info(`Rename: deleted the old secret '${name}' from ${t.scopeLabel} (${t.rec.label}).`);
  return true;
}

async function run(s: Services, inv: Invocation): Promise<void> {
  requireTrust('Renaming a secret');
  const t = await target(s, inv, true);
  if (!t) return;
  const name = secretNameArg(inv);
  if (!name) throw new ValidationError("Missing 'name' (the secret to rename) in the argument object.");
  const newName = (await newNameOf(inv, t, name))?.trim();
  if (!newName || newName === name) return;
  const bad = t.client.validateName(newName);
  if (bad) throw new ValidationError(bad);
  const existing = await currentSecrets(s, t);
  if (existing && !existing.some((x) => x.name === name)) throw new ValidationError(`There is no secret '${printable(name)}' in ${t.scopeLabel} to rename.`);
  if (existing?.some((x) => x.name === newName)) throw new ValidationError(`A secret '${printable(newName)}' already exists in ${t.scopeLabel}.`);
  if (t.client.capabilities.rename && t.client.updateSecret) {
    await t.client.updateSecret(t.scope, name, { newName });
    s.log.info(`Renamed secret '${name}' to '${newName}' in ${t.scopeLabel} (${t.rec.label}), on the server.`);
    await s.model.reloadList(t.rec.label, t.scope);
    tell(`Renamed secret '${printable(name)}' to '${printable(newName)}' in ${t.scopeLabel}.`);
    return;
  }
  // The platform can't rename and never returns a value: create the new secret from a value the user gives.
  if (inv.interactive && inv.args.value === undefined && inv.args.valueFile === undefined) {
    const go = await vscode.window.showInformationMessage(
      `${t.rec.label} can't rename a secret, and ML Secrets never reads a value back. Create '${printable(newName)}' with a value you enter, then choose whether to delete '${printable(name)}'?`,
      { modal: true },
      'Enter the Value…',
    );
    if (go !== 'Enter the Value…') return;
  }
  await saveSecret(s, { ...inv, args: { ...inv.args, name: newName } }, 'add');
  const now = await currentSecrets(s, t);
  if (now && !now.some((x) => x.name === newName)) return; // not created (cancelled): the old one stays
  const deleted = await deleteOld(s, inv, t, name, newName);
  await s.model.reloadList(t.rec.label, t.scope);
  tell(deleted ? `Renamed secret '${printable(name)}' to '${printable(newName)}' in ${t.scopeLabel}.` : `Created '${printable(newName)}' in ${t.scopeLabel}; '${printable(name)}' is still there.`);
}

export const renameSecret: Command = { title: 'Rename secret', run };
