// mlSecrets.deleteSecret: delete a secret, after a modal confirmation that names the workspace
// files referencing it (skipped with `confirm: true`).

import * as vscode from 'vscode';
import { ValidationError } from '../core/errors';
import { PLATFORM_NAMES } from '../core/platforms/types';
import { printable } from '../core/text';
import { WorkspaceReferenceIndex } from '../language/referenceIndex';
import { Command, Invocation, requireTrust, Services, tell } from './common';
import { currentSecrets, secretNameArg, Target, target } from './secretTarget';

async function run(s: Services, inv: Invocation): Promise<void> {
  requireTrust('Deleting a secret');
  const t = await target(s, inv, true);
  if (!t) return;
  let name = secretNameArg(inv);
  if (!name) {
    const list = (await currentSecrets(s, t)) ?? [];
    const pick = await vscode.window.showQuickPick(list.map((x) => ({ label: x.name, description: x.scope })), { placeHolder: `Delete which secret of ${t.scopeLabel}?`, ignoreFocusOut: true });
    if (!pick) return;
    name = pick.label;
  }
  const bad = t.client.validateName(name);
  if (bad) throw new ValidationError(bad);
  if (inv.args.confirm !== true && !(await confirmDelete(s, t, name))) return;
  const which = inv.args.private === true ? 'private' : inv.args.private === false ? 'public' : inv.node?.kind === 'secret' && inv.node.secret.private !== undefined ? (inv.node.secret.private ? 'private' : 'public') : undefined;
  const res = await t.client.deleteSecret(t.scope, name, undefined, which);
  s.log.info(`Deleted secret '${name}' from ${t.scopeLabel} (${t.rec.label})${res.alreadyGone ? ' — it was already gone' : ''}.`);
  await s.model.reloadList(t.rec.label, t.scope);
  tell(res.alreadyGone ? `Secret '${printable(name)}' was already gone from ${t.scopeLabel}.` : `Deleted secret '${printable(name)}' from ${t.scopeLabel}.`);
}

/** Asks (modally) whether to delete, saying which workspace files reference the secret. */
async function confirmDelete(s: Services, t: Target, name: string): Promise<boolean> {
  const files = await WorkspaceReferenceIndex.get(s.context).filesReferencing(name, t.rec, s.model.connections());
  const where = files.length
    ? `It is referenced in ${files.length} workspace file${files.length > 1 ? 's' : ''}: ${files.slice(0, 8).join(', ')}${files.length > 8 ? ', …' : ''}. Jobs using them will fail.`
    : 'No file in this workspace references it.';
  const go = await vscode.window.showWarningMessage(
    `Delete secret '${printable(name)}' from ${t.scopeLabel} (${PLATFORM_NAMES[t.rec.platform]})?`,
    { modal: true, detail: `${where}\n\nThis cannot be undone.` },
    'Delete',
  );
  return go === 'Delete';
}

export const deleteSecret: Command = { title: 'Delete secret', run };
