// mlSecrets.signIn: picks the platform (or takes it from the argument object), then runs that
// platform's sign-in (src/platforms/<id>/signIn.ts): its prompts, or its argument object.

import * as vscode from 'vscode';
import type { ConnectionRecord } from '../core/connections';
import { UnsupportedError, ValidationError } from '../core/errors';
import { PLATFORM_IDS, PLATFORM_NAMES, PLATFORMS } from '../core/platforms/registry';
import type { PlatformId } from '../core/platforms/types';
import { platformModule } from '../platforms/registry';
import { Args, Command, Invocation, optString, Services } from './common';
import { announce, saveConnection } from './saveConnection';

function isPlatformId(id: string): id is PlatformId {
  return (PLATFORM_IDS as readonly string[]).includes(id);
}

/**
 * The contract's sign-in argument object → a saved connection, without a prompt: the one path for
 * `mlSecrets.signIn` with arguments and for the `npm start` sandbox (src/sandbox.ts).
 */
export async function connectWithArguments(s: Services, platform: PlatformId, args: Args, source?: string): Promise<ConnectionRecord> {
  if (!isPlatformId(platform)) throw new UnsupportedError(`Signing in to ${PLATFORM_NAMES[platform]} is not supported by this version of ML Secrets yet.`);
  const prepared = await platformModule(platform).prepareWithArguments(s, { args, interactive: false }, platform, source);
  return saveConnection(s.store, prepared);
}

/** The platform of the argument object (or of the connection it names), else the one the user picks. */
async function choosePlatform(inv: Invocation, existing: ConnectionRecord | undefined): Promise<PlatformId | undefined> {
  const platform: string | undefined = optString(inv.args, 'platform') ?? existing?.platform;
  if (platform) {
    if (!isPlatformId(platform)) throw new ValidationError(`Unknown platform '${platform}'. Use one of: ${PLATFORM_IDS.join(', ')}.`);
    return platform;
  }
  if (!inv.interactive) throw new ValidationError("Missing 'platform' in the argument object.");
  const pick = await vscode.window.showQuickPick(
    PLATFORMS.map((p) => ({ label: p.name, description: p.defaultUrl, id: p.id })),
    { placeHolder: 'Sign in to which platform?', ignoreFocusOut: true },
  );
  return pick?.id;
}

async function run(s: Services, inv: Invocation): Promise<string | undefined> {
  const label = optString(inv.args, 'label');
  const existing = label ? s.model.record(label) : undefined;
  const platform = await choosePlatform(inv, existing);
  if (!platform) return undefined;
  const previousUrl = existing?.platform === platform ? existing.url : undefined;
  if (inv.interactive) return platformModule(platform).signInInteractive(s, inv, platform, previousUrl);
  const rec = await connectWithArguments(s, platform, inv.args);
  announce(s, rec);
  return rec.label;
}

export const signIn: Command = { title: 'Sign in', run };
