// ZenML: the interactive sign-in (server URL, then an API key or a user name and password, then the
// label), sign-in from an argument object, and the import of the ZenML CLI's own logins.

import * as vscode from 'vscode';
import { ValidationError } from '../../core/errors';
import { cliConnections } from '../../core/platforms/zenml/cliConnect';
import type { PreparedConnection } from '../../core/platforms/connect';
import { normaliseZenmlUrl } from '../../core/platforms/zenml/session';
import { prepareZenml, probeZenml } from '../../core/platforms/zenml/connect';
import type { PlatformId } from '../../core/platforms/types';
import { Invocation, optString, reqString, Services } from '../../commands/common';
import { saveSignedIn } from '../../commands/saveConnection';
import { ask, askLabel, askUrl, confirmPlainHttp, host, invalid, urlSyntax } from '../../commands/signInSteps';
import type { SignInModule } from '../signInModule';

/** The credential steps: an API key, or a user name and then its password; each is checked by logging in. */
async function askLogin(s: Services, url: string, project: string | undefined): Promise<PreparedConnection | undefined> {
  const how = await vscode.window.showQuickPick(
    [
      { label: '$(key) API key', description: 'ZENKEY_… — from `zenml service-account create`', id: 'key' },
      { label: '$(person) Username and password', id: 'password' },
    ],
    { title: `Sign in to ZenML at ${host(url)}: how?`, ignoreFocusOut: true },
  );
  if (!how) return undefined;
  if (how.id === 'key') {
    const r = await ask({
      title: 'Sign in to ZenML: API key',
      prompt: 'Kept only in VS Code secret storage',
      password: true,
      validate: (v) => (v.trim().startsWith('ZENKEY_') ? undefined : invalid('A ZenML API key starts with ZENKEY_.')),
      check: (v, signal) => prepareZenml(s.http, { url, apiKey: v, project }, signal),
    });
    return r?.result;
  }
  const user = await ask({
    title: 'Sign in to ZenML: user name',
    validate: (v) => (v.trim() ? undefined : invalid('A user name is required.')),
    check: async (v) => v.trim(),
  });
  if (!user) return undefined;
  const r = await ask({
    title: `Sign in to ZenML: password for ${user.result}`,
    prompt: 'Kept only in VS Code secret storage, to log in again when the session expires',
    password: true,
    check: (v, signal) => prepareZenml(s.http, { url, username: user.result, password: v, project }, signal),
  });
  return r?.result;
}

async function signInInteractive(s: Services, inv: Invocation, platform: PlatformId, previousUrl: string | undefined): Promise<string | undefined> {
  const url = await askUrl(optString(inv.args, 'url') ?? previousUrl, {
    title: 'Sign in to ZenML: server URL',
    prompt: 'The server root that `zenml login` uses',
    placeholder: 'https://zenml.example.com',
    validate: urlSyntax(normaliseZenmlUrl),
    check: (v, signal) => probeZenml(s.http, v, signal),
  });
  if (!url || !(await confirmPlainHttp(url))) return undefined;
  const prepared = await askLogin(s, url, optString(inv.args, 'project'));
  if (!prepared) return undefined;
  const label = await askLabel(s, inv, platform, prepared.record.origin, prepared.record.label);
  if (!label) return undefined;
  return saveSignedIn(s, prepared, label);
}

async function prepareWithArguments(s: Services, inv: Invocation, _platform: PlatformId, source: string | undefined): Promise<PreparedConnection> {
  const { args } = inv;
  const url = normaliseZenmlUrl(reqString(inv, 'url', 'the ZenML server URL') as string);
  let apiKey = optString(args, 'apiKey');
  const username = optString(args, 'username');
  const password = typeof args.password === 'string' ? args.password : undefined;
  const token = optString(args, 'token');
  if (!apiKey && token?.startsWith('ZENKEY_')) apiKey = token;
  if (!apiKey && !(username && password !== undefined)) throw new ValidationError("Missing 'apiKey' (ZENKEY_…) or 'username' and 'password' in the argument object.");
  return prepareZenml(s.http, { url, apiKey, username, password, project: optString(args, 'project'), label: optString(args, 'label'), source });
}

export const signIn: SignInModule = {
  signInInteractive,
  prepareWithArguments,
  // First (the order the import has always had: ZenML, MosaicML, Flyte, then Apolo / Neu.ro).
  cliImportOrder: 1,
  cliConnections,
  cliLocation: () => "ZenML: ZENML_STORE_URL + ZENML_STORE_API_KEY, ZenML's config directory (ZENML_CONFIG_PATH, else ~/.config/zenml)",
};
