// Apolo / Neu.ro (one module, both ids; the id is passed in): the interactive sign-in (API URL,
// token, project, label), sign-in from an argument object, and the import of the CLIs' own logins.

import * as vscode from 'vscode';
import { ValidationError } from '../../core/errors';
import { cliConnections } from '../../core/platforms/apolo/cliConnect';
import { ApoloServerConfig, normaliseApoloUrl } from '../../core/platforms/apolo/config';
import { ApoloProjectChoice, discoverApolo, prepareApolo, prepareApoloConnection, probeApolo, projectChoices } from '../../core/platforms/apolo/connect';
import type { PreparedConnection } from '../../core/platforms/connect';
import { platformFacts } from '../../core/platforms/registry';
import type { PlatformId } from '../../core/platforms/types';
import { Args, Invocation, optString, reqString, Services } from '../../commands/common';
import { saveSignedIn } from '../../commands/saveConnection';
import { ask, askLabel, askUrl, confirmPlainHttp, host, invalid, precheck, urlSyntax } from '../../commands/signInSteps';
import type { SignInModule } from '../signInModule';

type ApoloId = 'apolo' | 'neuro';
type Discovered = { url: string; cfg: ApoloServerConfig };

/** The token step: a token from the arguments is checked first; the box opens when there is none or it fails. */
async function askToken(s: Services, args: Args, platform: ApoloId, url: string): Promise<{ token: string; discovered: Discovered } | undefined> {
  let token = optString(args, 'token') ?? optString(args, 'apiKey');
  let discovered: Discovered | undefined;
  let error: string | undefined;
  if (token) ({ result: discovered, error } = await precheck(`Connecting to ${host(url)}…`, (signal) => discoverApolo(s.http, { url, token: token as string }, signal)));
  if (!discovered) {
    const r = await ask({
      title: `Sign in to ${platformFacts(platform).name}: token`,
      prompt: `Token for ${host(url)} (\`${platform} config show-token\` prints it). Kept only in VS Code's secret storage.`,
      password: true,
      validate: (v) => (!v.trim() ? invalid('A token is required.') : /\s/.test(v.trim()) ? invalid('A token has no spaces.') : undefined),
      check: (v, signal) => discoverApolo(s.http, { url, token: v }, signal),
      value: token,
      error,
    });
    if (!r) return undefined;
    token = r.value;
    discovered = r.result;
  }
  return token ? { token, discovered } : undefined;
}

/** The project step: asked only when the server offers more than one (after the argument object's filter). */
async function askProject(args: Args, platform: ApoloId, cfg: ApoloServerConfig): Promise<ApoloProjectChoice | undefined> {
  const want = { cluster: optString(args, 'cluster'), org: optString(args, 'org'), project: optString(args, 'project') };
  const choices = projectChoices(cfg, want);
  if (choices.length <= 1) return choices[0];
  const pick = await vscode.window.showQuickPick(
    choices.map((c) => ({ label: c.project, description: `${c.org} · cluster ${c.cluster}${c.role ? ` · ${c.role}` : ''}`, c })),
    { title: `Sign in to ${platformFacts(platform).name}: the project whose secrets \`secret:NAME\` refers to`, ignoreFocusOut: true },
  );
  return pick?.c;
}

async function signInInteractive(s: Services, inv: Invocation, id: PlatformId, previousUrl: string | undefined): Promise<string | undefined> {
  const platform = id as ApoloId;
  const facts = platformFacts(platform);
  const url = await askUrl(optString(inv.args, 'url') ?? previousUrl, {
    title: `Sign in to ${facts.name}: API URL`,
    prompt: `The API URL the ${platform} CLI uses (\`${platform} config show\` prints it)`,
    fallback: facts.defaultUrl,
    validate: urlSyntax(normaliseApoloUrl),
    check: (v, signal) => probeApolo(s.http, platform, v, signal),
  });
  if (!url || !(await confirmPlainHttp(url))) return undefined;
  const signedIn = await askToken(s, inv.args, platform, url);
  if (!signedIn) return undefined;
  const { token, discovered } = signedIn;
  const choice = await askProject(inv.args, platform, discovered.cfg);
  if (!choice) return undefined;
  const prepared = prepareApoloConnection({ platform, url: discovered.url, token }, discovered.url, discovered.cfg, choice);
  const label = await askLabel(s, inv, platform, prepared.record.origin, prepared.record.label);
  if (!label) return undefined;
  return saveSignedIn(s, prepared, label);
}

async function prepareWithArguments(s: Services, inv: Invocation, platform: PlatformId, source: string | undefined): Promise<PreparedConnection> {
  const { args } = inv;
  const url = normaliseApoloUrl(reqString(inv, 'url', "the platform's API URL") as string);
  // `apiKey` is accepted too: what the platform calls its token varies by habit.
  const token = optString(args, 'token') ?? optString(args, 'apiKey');
  if (!token) throw new ValidationError("Missing 'token' (an API token) in the argument object.");
  const want = { cluster: optString(args, 'cluster'), org: optString(args, 'org'), project: optString(args, 'project') };
  return prepareApolo(s.http, { platform: platform as ApoloId, url, token, ...want, label: optString(args, 'label'), source });
}

const CLI_LOCATIONS: Record<ApoloId, string> = {
  apolo: 'Apolo: APOLO_PASSED_CONFIG, ~/.apolo (APOLO_CONFIG)',
  neuro: 'Neu.ro: NEURO_PASSED_CONFIG, ~/.neuro (NEUROMATION_CONFIG)',
};

export const signIn: SignInModule = {
  signInInteractive,
  prepareWithArguments,
  // After ZenML's, MosaicML's and Flyte's (the order the import has always had).
  cliImportOrder: 4,
  cliConnections,
  cliLocation: (platform) => CLI_LOCATIONS[platform as ApoloId],
};
