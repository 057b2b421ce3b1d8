// mlSecrets.copyReference: put the text a job file uses to reference a secret (one key of it, where
// secrets hold named keys) on the clipboard, and return it.

import * as vscode from 'vscode';
import { ValidationError } from '../core/errors';
import { printable } from '../core/text';
import { Command, Invocation, optString, Services } from './common';
import { currentSecrets, secretNameArg, Target, target } from './secretTarget';

/** Copies the reference to `name` (and `key`) in the target's scope; returns its text. */
export async function copyReferenceText(s: Services, t: Target, name: string, key?: string): Promise<string> {
  const text = t.client.reference(t.scope, name, key);
  await vscode.env.clipboard.writeText(text);
  s.log.info(`Copied reference ${text}`);
  return text;
}

async function run(s: Services, inv: Invocation): Promise<string | undefined> {
  const t = await target(s, inv);
  if (!t) return undefined;
  let name = secretNameArg(inv);
  if (!name) {
    const list = (await currentSecrets(s, t)) ?? [];
    const pick = await vscode.window.showQuickPick(list.map((x) => ({ label: x.name })), { placeHolder: 'Copy the reference of which secret?' });
    if (!pick) return undefined;
    name = pick.label;
  }
  let key = inv.node?.kind === 'key' ? inv.node.key : optString(inv.args, 'key');
  if (!key && t.client.capabilities.keys) {
    key = await whichKey(s, inv, t, name);
    if (key === undefined) return undefined;
  }
  const text = await copyReferenceText(s, t, name, key);
  if (inv.interactive) void vscode.window.setStatusBarMessage(`Copied ${text}`, 3000);
  return text;
}

/**
 * A reference names one key: the only one, or (interactively) the chosen one; undefined when the
 * pick is cancelled. Lists don't carry key names (ZenML): they are fetched for this one secret.
 */
async function whichKey(s: Services, inv: Invocation, t: Target, name: string): Promise<string | undefined> {
  const info = (await currentSecrets(s, t))?.find((x) => x.name === name && !x.shadowed);
  let keys = info?.keys ?? [];
  if (info && !info.keys) {
    const st = await s.model.ensureKeys(t.rec.label, t.scope, info);
    if (st.kind === 'ok') keys = st.keys;
  }
  if (keys.length > 1 && inv.interactive) {
    const pick = await vscode.window.showQuickPick(keys.map((k) => ({ label: k })), { title: `Which key of '${printable(name)}'?`, placeHolder: 'A reference names one key: pick the one to copy' });
    return pick?.label;
  }
  if (keys.length === 1) return keys[0];
  if (keys.length > 1) throw new ValidationError(`Secret '${printable(name)}' has ${keys.length} keys (${keys.map((k) => printable(k, 40)).join(', ')}): say which one in 'key'.`);
  throw new ValidationError(`Secret '${printable(name)}' has no keys to reference${info ? '' : ' (or was not found)'}; add a key first.`);
}

export const copyReference: Command = { title: 'Copy reference', run };
