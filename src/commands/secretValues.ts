// Where a secret's value comes from: the argument object (`value`, `valueFile`, a typed secret's
// `values`) or, interactively, the user (typed hidden, or a file's contents).

import * as vscode from 'vscode';
import { ValidationError } from '../core/errors';
import { inScope } from '../core/platforms/scopeLabels';
import { printable } from '../core/text';
import type { Target } from '../platforms/secretsModule';
import { Invocation, optString } from './common';
import { pickFile, readValueFile } from './valueFiles';

/** `value` (a string, UTF-8 encoded) or else the bytes of `valueFile`, from the argument object. */
export async function valueFromArgs(inv: Invocation): Promise<Uint8Array | undefined> {
  let value: Uint8Array | undefined;
  const valueArg = inv.args.value;
  if (valueArg !== undefined && valueArg !== null) {
    if (typeof valueArg !== 'string') throw new ValidationError("'value' must be a string.");
    value = new TextEncoder().encode(valueArg);
  }
  const valueFile = optString(inv.args, 'valueFile');
  if (!value && valueFile) value = await readValueFile(valueFile);
  return value;
}

/** `values` of a typed secret (field → string), from the argument object. */
export function stringValues(inv: Invocation): Record<string, string> | undefined {
  const v = inv.args.values;
  if (v === undefined || v === null) return undefined;
  if (typeof v !== 'object' || Array.isArray(v)) throw new ValidationError("'values' must be an object of field → value.");
  const out: Record<string, string> = {};
  for (const [k, val] of Object.entries(v as Record<string, unknown>)) {
    if (typeof val !== 'string') throw new ValidationError(`'values.${printable(k)}' must be a string.`);
    out[k] = val;
  }
  return out;
}

/** Asks for the value: typed (hidden) or, where the platform takes file values, a file's contents. Undefined when cancelled. */
export async function promptValue(t: Target, name: string, verb: string): Promise<Uint8Array | undefined> {
  const how = t.client.capabilities.fileValues
    ? await vscode.window.showQuickPick(
        [
          { label: '$(key) Type the value', id: 'type' },
          { label: "$(file) Use a file's contents", description: "like the CLI's @file", id: 'file' },
        ],
        { title: `${verb} secret '${name}'`, ignoreFocusOut: true },
      )
    : { id: 'type' };
  if (!how) return undefined;
  if (how.id === 'file') {
    const path = await pickFile('Use as secret value');
    return path ? readValueFile(path) : undefined;
  }
  const typed = await vscode.window.showInputBox({
    title: `${verb} secret '${name}' ${inScope(t.scopeLabel)}`,
    prompt: 'Value (hidden; sent to the platform and never stored or shown by ML Secrets)',
    password: true,
    ignoreFocusOut: true,
    validateInput: (v) => (v.length ? undefined : 'A value is required.'),
  });
  return typed === undefined ? undefined : new TextEncoder().encode(typed);
}
