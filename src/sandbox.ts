// The `npm start` sandbox signs its demo connections in by itself. It names a JSON file in the
// extension host's environment (ML_SECRETS_SANDBOX) — never a setting, so a workspace can't use
// it to point a token anywhere. Each entry goes through the ordinary sign-in path.

import * as fs from 'node:fs/promises';
import { connectWithArguments } from './commands/signIn';
import type { Services } from './commands/common';
import type { PlatformId } from './core/platforms/types';

/** One entry: `mlSecrets.signIn`'s argument object (docs/contract.md), with a label. */
interface SandboxConnection {
  platform: PlatformId;
  url?: string;
  token?: string;
  apiKey?: string;
  username?: string;
  password?: string;
  label: string;
  cluster?: string;
  org?: string;
  project?: string;
  domain?: string;
}

export async function bootstrapSandbox(s: Services): Promise<void> {
  const file = process.env.ML_SECRETS_SANDBOX;
  if (!file) return;
  const list = JSON.parse(await fs.readFile(file, 'utf8')) as SandboxConnection[];
  for (const c of Array.isArray(list) ? list : []) {
    const rec = s.store.get(c.label);
    if (rec && (await s.store.credential(rec))) continue;
    try {
      await connectWithArguments(s, c.platform, { ...c }, 'sandbox');
    } catch (e) {
      s.log.warn(`Sandbox: could not sign in '${c.label}': ${e instanceof Error ? e.message : String(e)}`);
      continue;
    }
    s.log.info(`Sandbox: signed in '${c.label}'.`);
  }
}
