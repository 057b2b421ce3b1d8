// zenml: the key → value pairs of a secret: from the argument object's `values`, from a JSON or
// YAML file like the CLI's --values, or asked for one key at a time (values masked); key names
// checked against ZenML's rule.

import * as vscode from 'vscode';
import { Invocation } from '../../commands/common';
import { pickFile, readTextFile, VALUES_FILE } from '../../commands/valueFiles';
import { ValidationError } from '../../core/errors';
import { validateZenmlKey } from '../../core/platforms/zenml/names';
import { printable } from '../../core/text';
import { yaml } from '../../core/vendor';

/** `values` from the argument object: a map of strings (null = remove, on update). */
export function valuesArg(inv: Invocation, allowNull: boolean): Record<string, string | null> | undefined {
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
  const text = await readTextFile(file, VALUES_FILE);
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

/** Throws on the first key (of those set, not removed) that ZenML refuses. */
export function checkKeys(values: Record<string, string | null>): void {
  for (const [k, v] of Object.entries(values)) {
    if (v === null) continue;
    const bad = validateZenmlKey(k);
    if (bad) throw new ValidationError(bad);
  }
}

/** Prompts key, then masked value, until the user is done. `firstKey` prefills the first key (the one a reference names). */
export async function promptPairs(title: string, existing: readonly string[] = [], firstKey?: string): Promise<Record<string, string> | undefined> {
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

/** Typed pairs or a JSON/YAML file, as the user chooses. Undefined when cancelled. */
export async function promptValues(title: string, firstKey?: string): Promise<Record<string, string> | undefined> {
  const how = await vscode.window.showQuickPick(
    [
      { label: '$(key) Type key / value pairs', description: 'one at a time, values hidden', id: 'type' },
      { label: '$(file) Load from a JSON or YAML file', description: "like the CLI's --values", id: 'file' },
    ],
    { title, ignoreFocusOut: true },
  );
  if (!how) return undefined;
  if (how.id === 'type') return promptPairs(title, [], firstKey);
  const path = await pickFile('Use as secret values', { 'JSON / YAML': ['json', 'yaml', 'yml'] });
  if (!path) return undefined;
  return readValuesFile(path);
}
