// The `npm start` sandbox signs its demo connections in by itself. It names a JSON file in the
// extension host's environment (ML_SECRETS_SANDBOX) — never a setting, so a workspace can't use
// it to point a token anywhere. Each entry goes through the ordinary sign-in path.

import * as fs from 'node:fs/promises';
import { connectApolo, connectFlyte, connectMosaic, connectZenml } from './commands/connect';
import type { Services } from './commands/common';

interface SandboxConnection {
  platform: 'apolo' | 'neuro' | 'zenml' | 'mosaic' | 'flyte';
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
    if (c.platform === 'zenml' && c.url) await connectZenml(s.http, s.store, { ...c, url: c.url, source: 'sandbox' });
    else if (c.platform === 'mosaic' && c.apiKey) await connectMosaic(s.http, s.store, { url: c.url, apiKey: c.apiKey, label: c.label, source: 'sandbox' });
    else if (c.platform === 'flyte') await connectFlyte(s.http, s.store, { ...c, source: 'sandbox' });
    else if ((c.platform === 'apolo' || c.platform === 'neuro') && c.token && c.url) await connectApolo(s.http, s.store, { ...c, url: c.url, platform: c.platform, token: c.token, source: 'sandbox' });
    else continue;
    s.log.info(`Sandbox: signed in '${c.label}'.`);
  }
}
