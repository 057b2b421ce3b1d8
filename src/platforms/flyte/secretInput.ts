// flyte: what a secret needs besides its name: a regular value, or an image-pull secret (org-wide)
// made of registry, user name and password, from `values` or asked for field by field.

import * as vscode from 'vscode';
import { Invocation, optString } from '../../commands/common';
import { stringValues } from '../../commands/secretValues';
import type { SecretInfo, SecretInput } from '../../core/platforms/types';
import type { SaveMode, Target } from '../secretsModule';

export function secretInput(inv: Invocation, t: Target, name: string, value: Uint8Array | undefined, mode: SaveMode, current: SecretInfo | undefined): Promise<SecretInput | undefined> {
  // An update keeps an image-pull secret's type.
  const currentType = current?.type === 'image pull' ? 'image_pull' : undefined;
  return flyteInput(inv, t, name, value, mode === 'update' ? currentType : undefined);
}

/** A regular value, or an image-pull secret (org-wide) from registry / username / password. */
async function flyteInput(inv: Invocation, t: Target, name: string, value: Uint8Array | undefined, wantType?: string): Promise<SecretInput | undefined> {
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
