// zenml: what the secret commands ask and do differently here. A secret holds several named keys:
// add takes key → value pairs (src/platforms/zenml/keyedValues.ts) and whether it is private;
// update adds, replaces or removes single keys (patch_values), renames, or flips private/public.

import * as vscode from 'vscode';
import { Invocation, optString, Services, tell, withCancellableProgress } from '../../commands/common';
import { ValidationError } from '../../core/errors';
import { SecretUpdate } from '../../core/platforms/types';
import { printable } from '../../core/text';
import type { SecretsModule, Target } from '../secretsModule';
import { checkKeys, promptPairs, promptValues, readValuesFile, valuesArg } from './keyedValues';

async function addKeyed(s: Services, inv: Invocation, t: Target, name: string): Promise<boolean> {
  let values: Record<string, string | null> | undefined = valuesArg(inv, false);
  const file = optString(inv.args, 'valueFile');
  if (!values && file) values = await readValuesFile(file);
  if (!values && inv.args.value !== undefined) throw new ValidationError("ZenML secrets hold key/value pairs: pass 'values' ({key: value}) or a JSON/YAML 'valueFile'.");
  let priv = typeof inv.args.private === 'boolean' ? inv.args.private : undefined;
  if (!values && !inv.interactive) throw new ValidationError("Missing 'values' (an object of key → value) or 'valueFile' in the argument object.");
  if (!values) {
    // `key` (from a reference's "Create…") prefills the first key prompt.
    values = await promptValues(`Add secret '${name}'`, optString(inv.args, 'key'));
    if (!values) return false;
  }
  if (!Object.keys(values).length) throw new ValidationError('A ZenML secret needs at least one key.');
  checkKeys(values);
  if (priv === undefined && inv.interactive) {
    const pick = await vscode.window.showQuickPick(
      [
        { label: 'Public', description: 'every user of this ZenML server can use it', id: false },
        { label: 'Private', description: 'only you can see and use it', id: true },
      ],
      { title: `Who can use '${name}'?`, ignoreFocusOut: true },
    );
    if (!pick) return false;
    priv = pick.id;
  }
  const input = { name, values: values as Record<string, string>, private: priv ?? false };
  if (inv.interactive) await withCancellableProgress(`Saving secret '${name}'…`, (signal) => t.client.addSecret(t.scope, input, signal));
  else await t.client.addSecret(t.scope, input);
  s.log.info(`Added ${input.private ? 'private' : 'public'} secret '${name}' with keys ${Object.keys(values).join(', ')} (${t.rec.label}).`);
  return true;
}

/** The update the argument object asks for: `values`/`valueFile`, `removeKeys`, `newName`, `private`, `which`. */
async function updateFromArgs(inv: Invocation): Promise<SecretUpdate> {
  const update: SecretUpdate = {};
  const values = valuesArg(inv, true);
  const file = optString(inv.args, 'valueFile');
  if (values) update.values = values;
  else if (file) update.values = await readValuesFile(file);
  const removeKeys = inv.args.removeKeys;
  if (Array.isArray(removeKeys)) for (const k of removeKeys) if (typeof k === 'string') (update.values ??= {})[k] = null;
  const newName = optString(inv.args, 'newName');
  if (newName) update.newName = newName;
  if (typeof inv.args.private === 'boolean') update.private = inv.args.private;
  const which = optString(inv.args, 'which');
  if (which === 'private' || which === 'public') update.which = which;
  return update;
}

const isEmpty = (u: SecretUpdate) => !u.values && u.newName === undefined && u.private === undefined;

/** Interactively, what to change: add or replace keys, remove one, rename, or flip private/public. False when cancelled. */
async function askUpdate(t: Target, name: string, keys: readonly string[], isPrivate: boolean | undefined, update: SecretUpdate): Promise<boolean> {
  const pick = await vscode.window.showQuickPick(
    [
      { label: '$(add) Add or replace keys…', id: 'set' },
      { label: '$(remove) Remove a key…', id: 'remove' },
      { label: '$(edit) Rename…', id: 'rename' },
      // Only the change that applies (both when the list doesn't say which it is).
      ...(isPrivate !== true ? [{ label: '$(lock) Make private', description: 'only you can see and use it', id: 'private' }] : []),
      ...(isPrivate !== false ? [{ label: '$(globe) Make public', description: 'other users of this server can use it', id: 'public' }] : []),
    ],
    { title: `Update secret '${name}'`, ignoreFocusOut: true },
  );
  if (!pick) return false;
  if (pick.id === 'set') {
    const v = await promptPairs(`Update '${name}'`, keys);
    if (!v || !Object.keys(v).length) return false;
    update.values = v;
  } else if (pick.id === 'remove') {
    const k = await vscode.window.showQuickPick(keys.map((x) => ({ label: x })), { title: `Remove which key of '${name}'?`, ignoreFocusOut: true });
    if (!k) return false;
    const go = await vscode.window.showWarningMessage(`Remove key '${k.label}' from '${name}'? Jobs that use it will fail.`, { modal: true }, 'Remove');
    if (go !== 'Remove') return false;
    update.values = { [k.label]: null };
  } else if (pick.id === 'rename') {
    const n = await vscode.window.showInputBox({ title: `Rename '${name}'`, value: name, ignoreFocusOut: true, validateInput: (v) => t.client.validateName(v) });
    if (!n || n === name) return false;
    update.newName = n;
  } else update.private = pick.id === 'private';
  return true;
}

async function updateKeyed(s: Services, inv: Invocation, t: Target, name: string, keys: readonly string[], isPrivate?: boolean): Promise<boolean> {
  const updateSecret = t.client.updateSecret?.bind(t.client);
  if (!updateSecret) throw new ValidationError('This platform cannot update secrets.');
  const update = await updateFromArgs(inv);
  const addKey = optString(inv.args, 'key');
  if (isEmpty(update) && addKey && inv.interactive) {
    // "Add key…" from a reference to a key the secret lacks: straight to that key's value.
    const v = await promptPairs(`Add key to '${name}'`, keys, addKey);
    if (!v || !Object.keys(v).length) return false;
    update.values = v;
  }
  if (isEmpty(update)) {
    if (!inv.interactive) throw new ValidationError("Nothing to update: give 'values' (null removes a key), 'removeKeys', 'newName' or 'private'.");
    if (!(await askUpdate(t, name, keys, isPrivate, update))) return false;
  }
  if (update.values) checkKeys(update.values);
  if (update.newName !== undefined) {
    const bad = t.client.validateName(update.newName);
    if (bad) throw new ValidationError(bad);
  }
  const doIt = (signal?: AbortSignal) => updateSecret(t.scope, name, update, signal);
  if (inv.interactive) await withCancellableProgress(`Updating secret '${name}'…`, doIt);
  else await doIt();
  const what = changes(update);
  s.log.info(`Updated secret '${name}' (${t.rec.label}): ${what.join('; ')}.`);
  tell(`Updated secret '${printable(name)}': ${what.join('; ')}.`);
  return true;
}

/** "set a, b", "removed c", "renamed to 'x'", "made private": what an update did. */
function changes(update: SecretUpdate): string[] {
  const set = Object.entries(update.values ?? {}).filter(([, v]) => v !== null).map(([k]) => k);
  const removed = Object.entries(update.values ?? {}).filter(([, v]) => v === null).map(([k]) => k);
  return [
    set.length ? `set ${set.join(', ')}` : '',
    removed.length ? `removed ${removed.join(', ')}` : '',
    update.newName ? `renamed to '${update.newName}'` : '',
    update.private !== undefined ? `made ${update.private ? 'private' : 'public'}` : '',
  ].filter(Boolean);
}

export const secrets: SecretsModule = { keyedSecrets: { add: addKeyed, update: updateKeyed } };
