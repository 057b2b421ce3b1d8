// Add and update for platforms whose secrets hold several named keys (ZenML): values prompted one
// key at a time (masked) or read from a JSON/YAML file like the CLI's --values; updates add,
// replace or remove single keys (patch_values), rename, or flip private/public.

import * as fs from 'node:fs/promises';
import * as vscode from 'vscode';
import { yaml } from '../core/vendor';
import { ValidationError } from '../core/errors';
import { printable } from '../core/text';
import { SecretUpdate } from '../core/platforms/types';
import { validateZenmlKey } from '../core/platforms/zenml/client';
import { Invocation, optString, Services, tell, withCancellableProgress } from './common';
import type { Target } from './secrets';

const MAX_VALUES_FILE = 1024 * 1024;

/** `values` from the argument object: a map of strings (null = remove, on update). */
function valuesArg(inv: Invocation, allowNull: boolean): Record<string, string | null> | undefined {
  const v = inv.args.values;
  if (v === undefined || v === null) return undefined;
  if (typeof v !== 'object' || Array.isArray(v)) throw new ValidationError("'values' must be an object of key → value.");
  const out: Record<string, string | null> = {};
  for (const [k, val] of Object.entries(v as Record<string, unknown>)) {
    if (val === null && allowNull) out[k] = null;
    else if (typeof val === 'string') out[k] = val;
    else if (typeof val === 'number' || typeof val === 'boolean') out[k] = String(val);
    else throw new ValidationError(`The value of '${printable(k)}' must be a string${allowNull ? ' (or null to remove the key)' : ''}.`);
  }
  return out;
}

/** A JSON or YAML file holding a key → value map, like `zenml secret create --values @file`. */
export async function readValuesFile(file: string): Promise<Record<string, string>> {
  let text: string;
  try {
    const st = await fs.stat(file);
    if (st.size > MAX_VALUES_FILE) throw new ValidationError(`${printable(file)} is too large for a values file.`);
    text = await fs.readFile(file, 'utf8');
  } catch (e) {
    if (e instanceof ValidationError) throw e;
    throw new ValidationError(`Can't read ${printable(file)}.`);
  }
  let data: unknown;
  try {
    data = yaml().parse(text, { maxAliasCount: 50 });
  } catch {
    // Deliberately not quoting the parser's message: it may echo part of a value.
    throw new ValidationError(`${printable(file)} is not valid JSON or YAML.`);
  }
  if (!data || typeof data !== 'object' || Array.isArray(data)) throw new ValidationError(`${printable(file)} must hold a map of key → value.`);
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(data as Record<string, unknown>)) {
    if (v === null || typeof v === 'object') throw new ValidationError(`The value of '${printable(k)}' in ${printable(file)} must be a plain string.`);
    out[k] = String(v);
  }
  return out;
}

function checkKeys(values: Record<string, string | null>): void {
  for (const [k, v] of Object.entries(values)) {
    if (v === null) continue;
    const bad = validateZenmlKey(k);
    if (bad) throw new ValidationError(bad);
  }
}

/** Prompts key, then masked value, until the user is done. `firstKey` prefills the first key (the one a reference names). */
async function promptPairs(title: string, existing: readonly string[] = [], firstKey?: string): Promise<Record<string, string> | undefined> {
  const out: Record<string, string> = {};
  for (;;) {
    const prefill = !Object.keys(out).length && firstKey ? firstKey : undefined;
    const key = await vscode.window.showInputBox({
      title,
      value: prefill,
      prompt: Object.keys(out).length ? `Key ${Object.keys(out).length + 1} (leave empty when done)` : prefill ? `Key name (the reference uses '${printable(prefill, 60)}')` : 'Key name',
      ignoreFocusOut: true,
      validateInput: (v) => (!v && Object.keys(out).length ? undefined : validateZenmlKey(v) ?? (out[v] !== undefined ? `'${v}' is already set above.` : undefined)),
    });
    if (key === undefined) return undefined;
    if (!key) return out;
    const value = await vscode.window.showInputBox({
      title: `${title} — value of '${key}'${existing.includes(key) ? ' (replaces the current one)' : ''}`,
      prompt: 'Hidden; sent to ZenML and never stored or shown by ML Secrets',
      password: true,
      ignoreFocusOut: true,
    });
    if (value === undefined) return undefined;
    out[key] = value;
    const more = await vscode.window.showQuickPick(
      [
        { label: '$(check) Done', id: 'done' },
        { label: '$(add) Add another key', id: 'more' },
      ],
      { title: `${title} — ${Object.keys(out).length} key(s) so far`, ignoreFocusOut: true },
    );
    if (!more) return undefined;
    if (more.id === 'done') return out;
  }
}

async function promptValues(title: string, firstKey?: string): Promise<Record<string, string> | undefined> {
  const how = await vscode.window.showQuickPick(
    [
      { label: '$(key) Type key / value pairs', description: 'one at a time, values hidden', id: 'type' },
      { label: '$(file) Load from a JSON or YAML file', description: "like the CLI's --values", id: 'file' },
    ],
    { title, ignoreFocusOut: true },
  );
  if (!how) return undefined;
  if (how.id === 'type') return promptPairs(title, [], firstKey);
  const uris = await vscode.window.showOpenDialog({ canSelectMany: false, openLabel: 'Use as secret values', filters: { 'JSON / YAML': ['json', 'yaml', 'yml'] } });
  if (!uris?.[0]) return undefined;
  return readValuesFile(uris[0].fsPath);
}

export async function addKeyed(s: Services, inv: Invocation, t: Target, name: string): Promise<boolean> {
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

export async function updateKeyed(s: Services, inv: Invocation, t: Target, name: string, keys: readonly string[], isPrivate?: boolean): Promise<boolean> {
  if (!t.client.updateSecret) throw new ValidationError('This platform cannot update secrets.');
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

  const addKey = optString(inv.args, 'key');
  if (!update.values && update.newName === undefined && update.private === undefined && addKey && inv.interactive) {
    // "Add key…" from a reference to a key the secret lacks: straight to that key's value.
    const v = await promptPairs(`Add key to '${name}'`, keys, addKey);
    if (!v || !Object.keys(v).length) return false;
    update.values = v;
  }
  if (!update.values && update.newName === undefined && update.private === undefined) {
    if (!inv.interactive) throw new ValidationError("Nothing to update: give 'values' (null removes a key), 'removeKeys', 'newName' or 'private'.");
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
  }
  if (update.values) checkKeys(update.values);
  if (update.newName !== undefined) {
    const bad = t.client.validateName(update.newName);
    if (bad) throw new ValidationError(bad);
  }
  const doIt = (signal?: AbortSignal) => (t.client.updateSecret as NonNullable<typeof t.client.updateSecret>)(t.scope, name, update, signal);
  if (inv.interactive) await withCancellableProgress(`Updating secret '${name}'…`, doIt);
  else await doIt();
  const what = [
    update.values && Object.entries(update.values).some(([, v]) => v !== null) ? `set ${Object.entries(update.values).filter(([, v]) => v !== null).map(([k]) => k).join(', ')}` : '',
    update.values && Object.entries(update.values).some(([, v]) => v === null) ? `removed ${Object.entries(update.values).filter(([, v]) => v === null).map(([k]) => k).join(', ')}` : '',
    update.newName ? `renamed to '${update.newName}'` : '',
    update.private !== undefined ? `made ${update.private ? 'private' : 'public'}` : '',
  ].filter(Boolean);
  s.log.info(`Updated secret '${name}' (${t.rec.label}): ${what.join('; ')}.`);
  tell(`Updated secret '${printable(name)}': ${what.join('; ')}.`);
  return true;
}

