// mosaic: what a secret needs besides its name, per mcli type (eleven of them): where it lands (env
// variable name, mount path or directory) and its value or named fields (key files, registry
// credentials…). From the argument object, or asked for field by field (file pickers for key and
// credential files, masked inputs for secrets).

import * as vscode from 'vscode';
import { Invocation, optString } from '../../commands/common';
import { stringValues } from '../../commands/secretValues';
import { FIELD_FILE, pickFile, readTextFile } from '../../commands/valueFiles';
import { ValidationError } from '../../core/errors';
import { MOSAIC_TYPE_SPECS, MOSAIC_TYPES, MosaicType } from '../../core/platforms/mosaic/secretTypes';
import { validateEnvKey } from '../../core/platforms/mosaic/names';
import type { SecretInput } from '../../core/platforms/types';
import { printable } from '../../core/text';

type TypeSpec = (typeof MOSAIC_TYPE_SPECS)[MosaicType];

/**
 * The SecretInput for a MosaicML secret: its type, where it lands, and its value (`value` when
 * given, else asked for) or fields. Undefined when the user cancels.
 */
export async function mosaicInput(inv: Invocation, name: string, value: Uint8Array | undefined): Promise<SecretInput | undefined> {
  const type = await secretType(inv, name);
  if (!type) return undefined;
  const spec = MOSAIC_TYPE_SPECS[type];
  const extra = await landing(inv, name, type, spec);
  if (!extra) return undefined;
  const input: SecretInput = { name, type, extra };
  if (spec.fields) {
    const values = await fieldValues(inv, name, spec);
    if (!values) return undefined;
    input.values = values;
    return input;
  }
  const v = await singleValue(inv, name, spec, value);
  if (!v) return undefined;
  input.value = v;
  return input;
}

/** The type: `type`, or settled by the fields given (contract), or picked. */
async function secretType(inv: Invocation, name: string): Promise<MosaicType | undefined> {
  let type = optString(inv.args, 'type') as MosaicType | undefined;
  if (type && !(MOSAIC_TYPES as readonly string[]).includes(type)) throw new ValidationError(`Unknown MosaicML secret type '${printable(type)}'. Use one of: ${MOSAIC_TYPES.join(', ')}.`);
  // The fields settle the type when it is left out (contract): a mount path → mounted, an env name → environment.
  if (!type && optString(inv.args, 'mountPath')) type = 'mounted';
  else if (!type && optString(inv.args, 'envKey')) type = 'environment';
  if (!type && !inv.interactive) type = 'environment';
  if (!type) {
    const pick = await vscode.window.showQuickPick(
      MOSAIC_TYPES.map((t) => ({ label: t, description: MOSAIC_TYPE_SPECS[t].label, id: t })),
      { title: `Type of MosaicML secret '${name}'`, ignoreFocusOut: true },
    );
    if (!pick) return undefined;
    type = pick.id;
  }
  return type;
}

/** Where the secret lands at run time: the env variable, the mount path or directory (none for some types). */
async function landing(inv: Invocation, name: string, type: MosaicType, spec: TypeSpec): Promise<SecretInput['extra'] | undefined> {
  if (spec.meta === 'key') {
    let envKey = optString(inv.args, 'envKey') ?? (type === 'hugging_face' ? 'HF_TOKEN' : undefined);
    if (!envKey && !inv.interactive) throw new ValidationError("An environment secret needs 'envKey' (the variable name, e.g. WANDB_API_KEY).");
    if (!envKey) {
      envKey = await vscode.window.showInputBox({
        title: `Environment variable for '${name}'`,
        value: name.toUpperCase().replace(/[-.]/g, '_'),
        ignoreFocusOut: true,
        validateInput: validateEnvKey,
      });
      if (!envKey) return undefined;
    }
    return { envKey };
  }
  if (spec.meta === 'mountPath' || spec.meta === 'mountDirectory') {
    let p = optString(inv.args, spec.meta === 'mountPath' ? 'mountPath' : 'mountDirectory') ?? optString(inv.args, 'mountPath');
    if (!p && inv.interactive) {
      p = await vscode.window.showInputBox({
        title: `${spec.meta === 'mountPath' ? 'Mount path' : 'Mount directory'} for '${name}'`,
        value: `/secrets/${name}`,
        ignoreFocusOut: true,
        validateInput: (v) => (v.startsWith('/') ? undefined : 'An absolute path, e.g. /secrets/my-key'),
      });
      if (!p) return undefined;
    }
    return spec.meta === 'mountPath' ? { mountPath: p } : { mountDirectory: p };
  }
  return {};
}

/** A type with named fields: from `values` and `<field>File`, the rest asked for (interactive). */
async function fieldValues(inv: Invocation, name: string, spec: TypeSpec): Promise<Record<string, string> | undefined> {
  const fields = spec.fields ?? [];
  const values = stringValues(inv) ?? {};
  // File fields may be given as paths (`<field>File`), like the CLI's --config-file.
  for (const f of fields) {
    const path = optString(inv.args, `${f.name}File`);
    if (values[f.name] === undefined && path && f.file) values[f.name] = await readTextFile(path, FIELD_FILE);
  }
  if (!inv.interactive) return values;
  for (const f of fields) {
    if (values[f.name] !== undefined) continue;
    if (f.file) {
      const path = await pickFile(`Use as ${f.label}`);
      if (!path) {
        if (f.optional) continue;
        return undefined;
      }
      values[f.name] = await readTextFile(path, FIELD_FILE);
    } else {
      const v = await vscode.window.showInputBox({ title: `${spec.label} '${name}': ${f.label}${f.optional ? ' (optional)' : ''}`, password: !!f.secret, ignoreFocusOut: true });
      if (v === undefined) return undefined;
      if (v) values[f.name] = v;
    }
  }
  return values;
}

/** A single-value type: `value`, else (interactive) a file for file types, else a masked input. */
async function singleValue(inv: Invocation, name: string, spec: TypeSpec, value: Uint8Array | undefined): Promise<Uint8Array | undefined> {
  if (!value && inv.interactive && spec.valueIsFile) {
    const path = await pickFile(`Use as ${spec.valueLabel ?? 'value'}`);
    if (!path) return undefined;
    value = new TextEncoder().encode(await readTextFile(path, FIELD_FILE));
  }
  if (!value && inv.interactive) {
    const v = await vscode.window.showInputBox({ title: `${spec.label} '${name}': ${spec.valueLabel ?? 'value'}`, password: true, ignoreFocusOut: true, validateInput: (x) => (x ? undefined : 'A value is required.') });
    if (v === undefined) return undefined;
    value = new TextEncoder().encode(v);
  }
  if (!value) throw new ValidationError(`A ${spec.label} secret needs 'value' or 'valueFile'.`);
  return value;
}
