// What a secret needs besides its name, per type: MosaicML's eleven mcli types (env var name, mount
// path, key files, registry credentials…) and Flyte's image-pull secrets. From the argument object,
// or asked for field by field (file pickers for key and credential files, masked inputs for secrets).

import * as fs from 'node:fs/promises';
import * as vscode from 'vscode';
import { ValidationError } from '../core/errors';
import { printable } from '../core/text';
import { MOSAIC_TYPE_SPECS, MOSAIC_TYPES, MosaicType, validateEnvKey } from '../core/platforms/mosaic/client';
import { SecretInput } from '../core/platforms/types';
import { Invocation, optString } from './common';
import type { Target } from './secrets';

const MAX_FILE = 4 * 1024 * 1024;

async function readText(file: string): Promise<string> {
  try {
    const st = await fs.stat(file);
    if (!st.isFile()) throw new ValidationError(`${printable(file)} is not a file.`);
    if (st.size > MAX_FILE) throw new ValidationError(`${printable(file)} is too large (${Math.round(st.size / 1024)} KiB).`);
    return await fs.readFile(file, 'utf8');
  } catch (e) {
    if (e instanceof ValidationError) throw e;
    throw new ValidationError(`Can't read ${printable(file)}.`);
  }
}

function stringValues(inv: Invocation): Record<string, string> | undefined {
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

async function pickFile(label: string): Promise<string | undefined> {
  const uris = await vscode.window.showOpenDialog({ canSelectMany: false, openLabel: label });
  return uris?.[0]?.fsPath;
}

/**
 * The SecretInput for a MosaicML secret (without the single value, which the caller collects for
 * single-value types unless `valueIsFile`). Returns undefined when the user cancels.
 */
export async function mosaicInput(inv: Invocation, name: string, value: Uint8Array | undefined): Promise<SecretInput | undefined> {
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
  const spec = MOSAIC_TYPE_SPECS[type];
  const input: SecretInput = { name, type, extra: {} };

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
    input.extra = { envKey };
  } else if (spec.meta === 'mountPath' || spec.meta === 'mountDirectory') {
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
    input.extra = spec.meta === 'mountPath' ? { mountPath: p } : { mountDirectory: p };
  }

  if (spec.fields) {
    const values = stringValues(inv) ?? {};
    // File fields may be given as paths (`<field>File`), like the CLI's --config-file.
    for (const f of spec.fields) {
      const path = optString(inv.args, `${f.name}File`);
      if (values[f.name] === undefined && path && f.file) values[f.name] = await readText(path);
    }
    if (inv.interactive) {
      for (const f of spec.fields) {
        if (values[f.name] !== undefined) continue;
        if (f.file) {
          const path = await pickFile(`Use as ${f.label}`);
          if (!path) {
            if (f.optional) continue;
            return undefined;
          }
          values[f.name] = await readText(path);
        } else {
          const v = await vscode.window.showInputBox({ title: `${spec.label} '${name}': ${f.label}${f.optional ? ' (optional)' : ''}`, password: !!f.secret, ignoreFocusOut: true });
          if (v === undefined) return undefined;
          if (v) values[f.name] = v;
        }
      }
    }
    input.values = values;
    return input;
  }

  if (!value && inv.interactive && spec.valueIsFile) {
    const path = await pickFile(`Use as ${spec.valueLabel ?? 'value'}`);
    if (!path) return undefined;
    value = new TextEncoder().encode(await readText(path));
  }
  if (!value && inv.interactive) {
    const v = await vscode.window.showInputBox({ title: `${spec.label} '${name}': ${spec.valueLabel ?? 'value'}`, password: true, ignoreFocusOut: true, validateInput: (x) => (x ? undefined : 'A value is required.') });
    if (v === undefined) return undefined;
    value = new TextEncoder().encode(v);
  }
  if (!value) throw new ValidationError(`A ${spec.label} secret needs 'value' or 'valueFile'.`);
  input.value = value;
  return input;
}

/** Flyte: a regular value, or an image-pull secret (org-wide) from registry / username / password. */
export async function flyteInput(inv: Invocation, t: Target, name: string, value: Uint8Array | undefined, wantType?: string): Promise<SecretInput | undefined> {
  let type = wantType ?? optString(inv.args, 'type');
  if (!type && inv.interactive && !value && !t.scope.domain && !t.scope.project) {
    const pick = await vscode.window.showQuickPick(
      [
        { label: 'Regular secret', description: 'a value or a file', id: 'regular' },
        { label: 'Image-pull secret', description: 'registry credentials (org-wide only)', id: 'image_pull' },
      ],
      { title: `Add Flyte secret '${name}' (${t.scopeLabel})`, ignoreFocusOut: true },
    );
    if (!pick) return undefined;
    type = pick.id;
  }
  if (type !== 'image_pull') return { name, value, type };
  const values = stringValues(inv) ?? {};
  if (!value && inv.interactive) {
    for (const [field, title, secret] of [
      ['registry', 'Registry (e.g. ghcr.io)', false],
      ['username', 'User name', false],
      ['password', 'Password or token', true],
    ] as const) {
      if (values[field]) continue;
      const v = await vscode.window.showInputBox({ title: `Image-pull secret '${name}': ${title}`, password: secret, ignoreFocusOut: true, validateInput: (x) => (x ? undefined : 'Required.') });
      if (v === undefined) return undefined;
      values[field] = v;
    }
  }
  return { name, type: 'image_pull', value, values };
}
