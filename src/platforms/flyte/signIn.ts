// Flyte / Union: the interactive sign-in (an API key, or an endpoint and a bearer token; then the
// domain and project the code runs in, and the label), sign-in from an argument object, and the
// import of the flyte / union CLIs' own logins.

import * as vscode from 'vscode';
import { ValidationError } from '../../core/errors';
import type { CliContext } from '../../core/platforms/cliPrepare';
import { cliConnections } from '../../core/platforms/flyte/cliConnect';
import type { PreparedConnection } from '../../core/platforms/connect';
import { flyteBaseUrl } from '../../core/platforms/flyte/endpoint';
import { flyteDefaultLabel, prepareFlyte, probeFlyte } from '../../core/platforms/flyte/connect';
import { platformFacts } from '../../core/platforms/registry';
import type { PlatformId, ScopeRef } from '../../core/platforms/types';
import { Args, Invocation, optString, Services } from '../../commands/common';
import { saveSignedIn } from '../../commands/saveConnection';
import { ask, askLabel, askUrl, confirmPlainHttp, host, invalid, urlSyntax } from '../../commands/signInSteps';
import type { SignInModule } from '../signInModule';
import { consentToWorkspaceEndpoint } from './signInConsent';

interface Options {
  org: string | undefined;
  insecure: boolean;
}

async function askApiKey(s: Services, o: Options): Promise<PreparedConnection | undefined> {
  const r = await ask({
    title: 'Sign in to Flyte: API key',
    prompt: 'FLYTE_API_KEY (it names its endpoint). Kept only in VS Code secret storage.',
    password: true,
    validate: (v) => (v.trim() ? undefined : invalid('An API key is required.')),
    check: (v, signal) => prepareFlyte(s.http, { apiKey: v.trim(), org: o.org, insecure: o.insecure }, signal),
  });
  return r?.result;
}

async function askEndpointAndToken(s: Services, given: string | undefined, platform: PlatformId, o: Options): Promise<PreparedConnection | undefined> {
  const url = await askUrl(given, {
    title: 'Sign in to Flyte: endpoint',
    prompt: 'http(s)://host:port or dns:///host',
    fallback: platformFacts(platform).defaultUrl,
    validate: urlSyntax((v) => flyteBaseUrl(v, o.insecure)),
    check: (v, signal) => probeFlyte(s.http, v, o.insecure, signal),
  });
  if (!url || !(await confirmPlainHttp(url))) return undefined;
  const r = await ask({
    title: 'Sign in to Flyte: access token',
    prompt: `A bearer token for ${host(url)}. Kept only in VS Code secret storage.`,
    password: true,
    validate: (v) => (v.trim() ? undefined : invalid('A token is required.')),
    check: (v, signal) => prepareFlyte(s.http, { url, token: v, org: o.org, insecure: o.insecure }, signal),
  });
  return r?.result;
}

/** The domain and project steps (unless the argument object names either); undefined: cancelled. */
async function askScope(args: Args, org: string | undefined): Promise<ScopeRef | undefined> {
  let project = optString(args, 'project');
  let domain = optString(args, 'domain');
  if (!project && !domain) {
    domain = await vscode.window.showInputBox({ title: 'Sign in to Flyte: the domain your code runs in (for the project → domain → org lookup)', value: 'development', ignoreFocusOut: true });
    if (domain === undefined) return undefined;
    project = domain ? await vscode.window.showInputBox({ title: 'Sign in to Flyte: project', prompt: 'Leave empty for domain-wide', ignoreFocusOut: true }) : undefined;
    if (project === undefined && domain) return undefined;
  }
  const scope = { org, project: project || undefined, domain: domain || undefined };
  if (scope.project && !scope.domain) throw new ValidationError('A Flyte project needs a domain too (e.g. development).');
  return scope;
}

async function signInInteractive(s: Services, inv: Invocation, platform: PlatformId, previousUrl: string | undefined): Promise<string | undefined> {
  const { args } = inv;
  const o: Options = { org: optString(args, 'org'), insecure: args.insecure === true };
  const how = await vscode.window.showQuickPick(
    [
      { label: '$(key) API key', description: 'FLYTE_API_KEY — from `flyte create api-key`', id: 'key' },
      { label: '$(pass) Bearer token', description: 'paste an access token', id: 'token' },
    ],
    { title: 'Sign in to Flyte / Union: how?', ignoreFocusOut: true },
  );
  if (!how) return undefined;
  const prepared = how.id === 'key' ? await askApiKey(s, o) : await askEndpointAndToken(s, optString(args, 'url') ?? previousUrl, platform, o);
  if (!prepared) return undefined;
  const scope = await askScope(args, prepared.record.scope.org);
  if (!scope) return undefined;
  const label = await askLabel(s, inv, platform, prepared.record.origin, flyteDefaultLabel(scope.org, host(prepared.record.url), scope.project, scope.domain));
  if (!label) return undefined;
  return saveSignedIn(s, { ...prepared, record: { ...prepared.record, scope } }, label);
}

async function prepareWithArguments(s: Services, inv: Invocation, _platform: PlatformId, source: string | undefined): Promise<PreparedConnection> {
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
  return prepareFlyte(s.http, input);
}

/** Workspace-local Flyte configs are read only in a trusted workspace, and a login whose endpoint one chose only on the user's yes. */
function cliImportContext(inv: Invocation): Partial<CliContext> {
  const workspaceDirs = vscode.workspace.isTrusted ? (vscode.workspace.workspaceFolders ?? []).map((f) => f.uri.fsPath) : [];
  return { workspaceDirs, confirmWorkspaceEndpoint: (file, endpoint) => consentToWorkspaceEndpoint(inv, file, endpoint) };
}

export const signIn: SignInModule = {
  signInInteractive,
  prepareWithArguments,
  // After ZenML's and MosaicML's, before Apolo / Neu.ro's (the order the import has always had).
  cliImportOrder: 3,
  cliConnections,
  cliImportContext,
  cliLocation: () =>
    'Flyte: FLYTE_API_KEY, then the first config.yaml of config.yaml and .flyte/config.yaml in a trusted workspace folder (and its git root), UCTL_CONFIG, FLYTECTL_CONFIG, ~/.union/config.yaml, ~/.flyte/config.yaml',
};
