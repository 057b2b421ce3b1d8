// MosaicML: the interactive sign-in (GraphQL endpoint, API key, label), sign-in from an argument
// object, and the import of mcli's own login.

import { ValidationError } from '../../core/errors';
import { cliConnections } from '../../core/platforms/mosaic/cliConnect';
import type { PreparedConnection } from '../../core/platforms/connect';
import { normaliseMosaicEndpoint } from '../../core/platforms/mosaic/graphql';
import { prepareMosaic, probeMosaic } from '../../core/platforms/mosaic/connect';
import { platformFacts } from '../../core/platforms/registry';
import type { PlatformId } from '../../core/platforms/types';
import { Invocation, optString, Services } from '../../commands/common';
import { saveSignedIn } from '../../commands/saveConnection';
import { ask, askLabel, askUrl, confirmPlainHttp, invalid, urlSyntax } from '../../commands/signInSteps';
import type { SignInModule } from '../signInModule';

async function signInInteractive(s: Services, inv: Invocation, platform: PlatformId, previousUrl: string | undefined): Promise<string | undefined> {
  const { args } = inv;
  const url = await askUrl(optString(args, 'url') ?? previousUrl, {
    title: 'Sign in to MosaicML: GraphQL endpoint',
    prompt: 'The full GraphQL endpoint (MOSAICML_API_ENDPOINT)',
    fallback: platformFacts(platform).defaultUrl,
    validate: urlSyntax(normaliseMosaicEndpoint),
    check: (v, signal) => probeMosaic(s.http, v, signal),
  });
  if (!url || !(await confirmPlainHttp(url))) return undefined;
  const r = await ask({
    title: 'Sign in to MosaicML: API key',
    prompt: 'API key (`mcli set api-key` uses the same). Kept only in VS Code secret storage.',
    password: true,
    value: optString(args, 'apiKey') ?? optString(args, 'token'),
    validate: (v) => (v.trim() ? undefined : invalid('An API key is required.')),
    check: (v, signal) => prepareMosaic(s.http, { url, apiKey: v }, signal),
  });
  if (!r) return undefined;
  const label = await askLabel(s, inv, platform, r.result.record.origin, r.result.record.label);
  if (!label) return undefined;
  return saveSignedIn(s, r.result, label);
}

async function prepareWithArguments(s: Services, inv: Invocation, _platform: PlatformId, source: string | undefined): Promise<PreparedConnection> {
  const { args } = inv;
  const apiKey = optString(args, 'apiKey') ?? optString(args, 'token');
  if (!apiKey) throw new ValidationError("Missing 'apiKey' (the MosaicML API key) in the argument object.");
  return prepareMosaic(s.http, { url: optString(args, 'url'), apiKey, label: optString(args, 'label'), source });
}

export const signIn: SignInModule = {
  signInInteractive,
  prepareWithArguments,
  // After ZenML's (the order the import has always had: ZenML, MosaicML, Flyte, then Apolo / Neu.ro).
  cliImportOrder: 2,
  cliConnections,
  cliLocation: () => 'MosaicML: MOSAICML_API_KEY, ~/.mosaic/mcli_config (MCLI_CONFIG_PATH, MCLI_CONFIG_DIR)',
};
