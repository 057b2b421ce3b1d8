// mlSecrets.signIn's argument object (docs/contract.md) → a saved connection, without a prompt:
// the one path for the command called with arguments and for the `npm start` sandbox.

import type { ConnectionRecord } from '../core/connections';
import { UnsupportedError, ValidationError } from '../core/errors';
import { normaliseApoloUrl } from '../core/platforms/apolo/client';
import { normaliseZenmlUrl } from '../core/platforms/zenml/client';
import { PLATFORM_NAMES, PlatformId } from '../core/platforms/types';
import { Args, Invocation, optString, reqString, Services } from './common';
import { connectApolo, connectFlyte, connectMosaic, connectZenml } from './connect';

type ArgumentPlatform = 'apolo' | 'neuro' | 'zenml' | 'mosaic' | 'flyte';

/**
 * The contract's sign-in argument object → a saved connection, without a prompt: the one path for
 * `mlSecrets.signIn` with arguments and for the `npm start` sandbox (src/sandbox.ts).
 */
export async function connectWithArguments(s: Services, platform: PlatformId, args: Args, source?: string): Promise<ConnectionRecord> {
  const connect = CONNECT_WITH_ARGUMENTS[platform as ArgumentPlatform];
  if (!connect) throw new UnsupportedError(`Signing in to ${PLATFORM_NAMES[platform]} is not supported by this version of ML Secrets yet.`);
  return connect(s, { args, interactive: false }, platform, source);
}

const CONNECT_WITH_ARGUMENTS: Record<ArgumentPlatform, (s: Services, inv: Invocation, platform: PlatformId, source?: string) => Promise<ConnectionRecord>> = {
  apolo: connectApoloWith,
  neuro: connectApoloWith,
  zenml: connectZenmlWith,
  mosaic: connectMosaicWith,
  flyte: connectFlyteWith,
};

async function connectApoloWith(s: Services, inv: Invocation, platform: PlatformId, source?: string): Promise<ConnectionRecord> {
  const { args } = inv;
  const url = normaliseApoloUrl(reqString(inv, 'url', "the platform's API URL") as string);
  // `apiKey` is accepted too: what the platform calls its token varies by habit.
  const token = optString(args, 'token') ?? optString(args, 'apiKey');
  if (!token) throw new ValidationError("Missing 'token' (an API token) in the argument object.");
  const want = { cluster: optString(args, 'cluster'), org: optString(args, 'org'), project: optString(args, 'project') };
  return connectApolo(s.http, s.store, { platform: platform as 'apolo' | 'neuro', url, token, ...want, label: optString(args, 'label'), source });
}

async function connectZenmlWith(s: Services, inv: Invocation, _platform: PlatformId, source?: string): Promise<ConnectionRecord> {
  const { args } = inv;
  const url = normaliseZenmlUrl(reqString(inv, 'url', 'the ZenML server URL') as string);
  let apiKey = optString(args, 'apiKey');
  const username = optString(args, 'username');
  const password = typeof args.password === 'string' ? args.password : undefined;
  const token = optString(args, 'token');
  if (!apiKey && token?.startsWith('ZENKEY_')) apiKey = token;
  if (!apiKey && !(username && password !== undefined)) throw new ValidationError("Missing 'apiKey' (ZENKEY_…) or 'username' and 'password' in the argument object.");
  return connectZenml(s.http, s.store, { url, apiKey, username, password, project: optString(args, 'project'), label: optString(args, 'label'), source });
}

async function connectMosaicWith(s: Services, inv: Invocation, _platform: PlatformId, source?: string): Promise<ConnectionRecord> {
  const { args } = inv;
  const apiKey = optString(args, 'apiKey') ?? optString(args, 'token');
  if (!apiKey) throw new ValidationError("Missing 'apiKey' (the MosaicML API key) in the argument object.");
  return connectMosaic(s.http, s.store, { url: optString(args, 'url'), apiKey, label: optString(args, 'label'), source });
}

async function connectFlyteWith(s: Services, inv: Invocation, _platform: PlatformId, source?: string): Promise<ConnectionRecord> {
  const { args } = inv;
  const apiKey = optString(args, 'apiKey');
  const token = optString(args, 'token');
  if (!apiKey && !token) throw new ValidationError("Missing 'apiKey' (FLYTE_API_KEY format) or 'token' (with 'url') in the argument object.");
  const input = {
    url: optString(args, 'url'),
    apiKey,
    token,
    org: optString(args, 'org'),
    project: optString(args, 'project'),
    domain: optString(args, 'domain'),
    clusterPool: optString(args, 'clusterPool'),
    insecure: args.insecure === true,
    label: optString(args, 'label'),
    source,
  };
  return connectFlyte(s.http, s.store, input);
}
