// Sign in, sign out, import the CLIs' own logins, choose a folder's connection.

import * as os from 'node:os';
import * as vscode from 'vscode';
import { describeError, UnsupportedError, ValidationError } from '../core/errors';
import { readApoloCliLogins } from '../core/credentials/apoloCli';
import { readZenmlCliLogins } from '../core/credentials/zenmlCli';
import { readFlyteCliLogins, readMosaicCliLogins } from '../core/credentials/mosaicFlyteCli';
import { MOSAIC_DEFAULT_ENDPOINT } from '../core/platforms/mosaic/client';
import { normaliseZenmlUrl } from '../core/platforms/zenml/client';
import { APOLO_DEFAULT_URL, normaliseApoloUrl } from '../core/platforms/apolo/client';
import { PLATFORM_NAMES, PlatformId, PLATFORM_IDS } from '../core/platforms/types';
import { ApoloProjectChoice, connectApolo, connectFlyte, connectMosaic, connectZenml, discoverApolo, projectChoices, saveApoloConnection } from './connect';
import { CommandTable, findConnection, Invocation, optString, pickConnection, reqString, Services, tell, withCancellableProgress } from './common';

const DEFAULT_URLS: Partial<Record<PlatformId, string>> = {
  apolo: APOLO_DEFAULT_URL,
  neuro: 'https://staging.neu.ro/api/v1',
  zenml: 'https://zenml.example.com',
  mosaic: MOSAIC_DEFAULT_ENDPOINT,
  flyte: 'https://tenant.example.com',
};
const SUPPORTED: PlatformId[] = ['apolo', 'neuro', 'zenml', 'mosaic', 'flyte'];

export const AUTH_COMMANDS: CommandTable = {
  'mlSecrets.signIn': { title: 'Sign in', run: signIn },
  'mlSecrets.signOut': { title: 'Sign out', run: signOut },
  'mlSecrets.importCliCredentials': { title: 'Import CLI credentials', run: importCli },
  'mlSecrets.chooseConnection': { title: 'Choose connection', run: chooseConnection },
};

function isLoopback(url: string): boolean {
  const h = new URL(url).hostname;
  return h === 'localhost' || h === '[::1]' || /^127\./.test(h);
}

async function signIn(s: Services, inv: Invocation): Promise<string | undefined> {
  const { args } = inv;
  const existing = optString(args, 'label') ? s.model.record(optString(args, 'label') as string) : undefined;
  let platform = (optString(args, 'platform') ?? existing?.platform) as PlatformId | undefined;
  if (platform && !(PLATFORM_IDS as readonly string[]).includes(platform)) throw new ValidationError(`Unknown platform '${platform}'. Use one of: ${PLATFORM_IDS.join(', ')}.`);
  if (!platform) {
    if (!inv.interactive) throw new ValidationError("Missing 'platform' in the argument object.");
    const pick = await vscode.window.showQuickPick(
      SUPPORTED.map((p) => ({ label: PLATFORM_NAMES[p], description: DEFAULT_URLS[p], id: p })),
      { placeHolder: 'Sign in to which platform?', ignoreFocusOut: true },
    );
    if (!pick) return undefined;
    platform = pick.id;
  }
  if (!SUPPORTED.includes(platform)) throw new UnsupportedError(`Signing in to ${PLATFORM_NAMES[platform]} is not supported by this version of ML Secrets yet.`);
  if (platform === 'zenml') return signInZenml(s, inv, existing?.url);
  if (platform === 'mosaic') return signInMosaic(s, inv, existing?.url);
  if (platform === 'flyte') return signInFlyte(s, inv, existing?.url);
  const apolo = platform as 'apolo' | 'neuro';

  let url = reqString(inv, 'url', "the platform's API URL") ?? existing?.url;
  if (!url) {
    url = await vscode.window.showInputBox({
      title: `Sign in to ${PLATFORM_NAMES[platform]} (1/2)`,
      prompt: `API URL (the one the ${platform} CLI uses)`,
      value: DEFAULT_URLS[platform],
      ignoreFocusOut: true,
      validateInput: (v) => {
        try {
          normaliseApoloUrl(v);
          return undefined;
        } catch (e) {
          return describeError(e);
        }
      },
    });
    if (!url) return undefined;
  }
  url = normaliseApoloUrl(url);
  if (inv.interactive && new URL(url).protocol === 'http:' && !isLoopback(url)) {
    const go = await vscode.window.showWarningMessage(`${new URL(url).host} uses plain http: your token would travel unencrypted. Continue?`, { modal: true }, 'Continue');
    if (go !== 'Continue') return undefined;
  }

  // `apiKey` is accepted too: what the platform calls its token varies by habit.
  let token = optString(inv.args, 'token') ?? optString(inv.args, 'apiKey');
  if (!token && !inv.interactive) throw new ValidationError("Missing 'token' (an API token) in the argument object.");
  if (!token) {
    token = await vscode.window.showInputBox({
      title: `Sign in to ${PLATFORM_NAMES[platform]} (2/2)`,
      prompt: `Token for ${new URL(url).host} (\`${platform} config show-token\` prints it). Kept only in VS Code's secret storage.`,
      password: true,
      ignoreFocusOut: true,
      validateInput: (v) => (!v.trim() ? 'A token is required.' : /\s/.test(v.trim()) ? 'A token has no spaces.' : undefined),
    });
    if (!token) return undefined;
  }
  const want = { cluster: optString(args, 'cluster'), org: optString(args, 'org'), project: optString(args, 'project') };
  const label = optString(args, 'label');

  if (!inv.interactive) {
    const rec = await connectApolo(s.http, s.store, { platform: apolo, url, token, ...want, label });
    s.log.info(`Signed in: '${rec.label}' (${rec.platform} ${rec.url}, ${rec.scope.org}/${rec.scope.project})`);
    tell(`ML Secrets: signed in to ${PLATFORM_NAMES[rec.platform]} as '${rec.label}'.`);
    return rec.label;
  }

  const discovered = await withCancellableProgress(`Connecting to ${new URL(url).host}…`, (signal) =>
    discoverApolo(s.http, { url: url as string, token: token as string }, signal),
  );
  const { cfg } = discovered;
  url = discovered.url;
  const choices = projectChoices(cfg, want);
  let choice: ApoloProjectChoice | undefined = choices[0];
  if (choices.length > 1) {
    const pick = await vscode.window.showQuickPick(
      choices.map((c) => ({ label: c.project, description: `${c.org} · cluster ${c.cluster}${c.role ? ` · ${c.role}` : ''}`, c })),
      { title: 'Choose the project whose secrets `secret:NAME` refers to', ignoreFocusOut: true },
    );
    choice = pick?.c;
  }
  if (!choice) return undefined;
  const finalLabel =
    label ??
    (await vscode.window.showInputBox({
      title: 'Name this connection',
      prompt: 'A label for the tree and for the mlSecrets.connection setting',
      value: existing?.label ?? `${platform}:${choice.org}/${choice.project}`,
      ignoreFocusOut: true,
      validateInput: (v) => (v.trim() ? undefined : 'A label is required.'),
    }));
  if (!finalLabel) return undefined;
  const rec = await saveApoloConnection(s.store, { platform: apolo, url, token, label: finalLabel }, url, cfg, choice);
  s.log.info(`Signed in: '${rec.label}' (${rec.platform} ${rec.url}, ${rec.scope.org}/${rec.scope.project})`);
  tell(`Signed in to ${PLATFORM_NAMES[rec.platform]}${rec.user ? ` as ${rec.user}` : ''} — connection '${rec.label}'.`);
  return rec.label;
}

async function signInZenml(s: Services, inv: Invocation, previousUrl: string | undefined): Promise<string | undefined> {
  const { args } = inv;
  let url = reqString(inv, 'url', 'the ZenML server URL') ?? previousUrl;
  if (!url) {
    url = await vscode.window.showInputBox({
      title: 'Sign in to ZenML (1/2)',
      prompt: 'Server URL (the one `zenml login` uses)',
      placeHolder: 'https://zenml.example.com',
      ignoreFocusOut: true,
      validateInput: (v) => {
        try {
          normaliseZenmlUrl(v);
          return undefined;
        } catch (e) {
          return describeError(e);
        }
      },
    });
    if (!url) return undefined;
  }
  url = normaliseZenmlUrl(url);
  let apiKey = optString(args, 'apiKey');
  let username = optString(args, 'username');
  let password = typeof args.password === 'string' ? args.password : undefined;
  const token = optString(args, 'token');
  if (!apiKey && token?.startsWith('ZENKEY_')) apiKey = token;
  if (!apiKey && !(username && password !== undefined)) {
    if (!inv.interactive) throw new ValidationError("Missing 'apiKey' (ZENKEY_…) or 'username' and 'password' in the argument object.");
    const how = await vscode.window.showQuickPick(
      [
        { label: '$(key) API key', description: 'ZENKEY_… — from `zenml service-account create`', id: 'key' },
        { label: '$(person) Username and password', id: 'password' },
      ],
      { title: `Sign in to ${new URL(url).host} (2/2)`, ignoreFocusOut: true },
    );
    if (!how) return undefined;
    if (how.id === 'key') {
      apiKey = await vscode.window.showInputBox({ title: 'ZenML API key', prompt: 'Kept only in VS Code secret storage', password: true, ignoreFocusOut: true, validateInput: (v) => (v.trim().startsWith('ZENKEY_') ? undefined : 'A ZenML API key starts with ZENKEY_.') });
      if (!apiKey) return undefined;
    } else {
      username = await vscode.window.showInputBox({ title: 'ZenML user name', ignoreFocusOut: true, validateInput: (v) => (v.trim() ? undefined : 'A user name is required.') });
      if (!username) return undefined;
      password = await vscode.window.showInputBox({ title: `Password for ${username}`, prompt: 'Kept only in VS Code secret storage, to log in again when the session expires', password: true, ignoreFocusOut: true });
      if (password === undefined) return undefined;
    }
  }
  const input = { url, apiKey, username, password, project: optString(args, 'project'), label: optString(args, 'label') };
  const rec = inv.interactive
    ? await withCancellableProgress(`Signing in to ${new URL(url).host}…`, (signal) => connectZenml(s.http, s.store, input, signal))
    : await connectZenml(s.http, s.store, input);
  s.log.info(`Signed in: '${rec.label}' (zenml ${rec.url}${rec.user ? ` as ${rec.user}` : ''})`);
  tell(`Signed in to ZenML${rec.user ? ` as ${rec.user}` : ''} — connection '${rec.label}'.`);
  return rec.label;
}

async function signInMosaic(s: Services, inv: Invocation, previousUrl: string | undefined): Promise<string | undefined> {
  const { args } = inv;
  let url = optString(args, 'url') ?? previousUrl;
  if (!url && inv.interactive) {
    url = await vscode.window.showInputBox({ title: 'Sign in to MosaicML (1/2)', prompt: 'GraphQL endpoint (MOSAICML_API_ENDPOINT)', value: MOSAIC_DEFAULT_ENDPOINT, ignoreFocusOut: true });
    if (!url) return undefined;
  }
  let apiKey = optString(args, 'apiKey') ?? optString(args, 'token');
  if (!apiKey && !inv.interactive) throw new ValidationError("Missing 'apiKey' (the MosaicML API key) in the argument object.");
  if (!apiKey) {
    apiKey = await vscode.window.showInputBox({ title: 'Sign in to MosaicML (2/2)', prompt: 'API key (`mcli set api-key` uses the same). Kept only in VS Code secret storage.', password: true, ignoreFocusOut: true, validateInput: (v) => (v.trim() ? undefined : 'An API key is required.') });
    if (!apiKey) return undefined;
  }
  const input = { url, apiKey, label: optString(args, 'label') };
  const rec = inv.interactive ? await withCancellableProgress('Signing in to MosaicML…', (signal) => connectMosaic(s.http, s.store, input, signal)) : await connectMosaic(s.http, s.store, input);
  s.log.info(`Signed in: '${rec.label}' (mosaic ${rec.url})`);
  tell(`Signed in to MosaicML — connection '${rec.label}'.`);
  return rec.label;
}

async function signInFlyte(s: Services, inv: Invocation, previousUrl: string | undefined): Promise<string | undefined> {
  const { args } = inv;
  let apiKey = optString(args, 'apiKey');
  let token = optString(args, 'token');
  let url = optString(args, 'url') ?? previousUrl;
  if (!apiKey && !token) {
    if (!inv.interactive) throw new ValidationError("Missing 'apiKey' (FLYTE_API_KEY format) or 'token' (with 'url') in the argument object.");
    const how = await vscode.window.showQuickPick(
      [
        { label: '$(key) API key', description: 'FLYTE_API_KEY — from `flyte create api-key`', id: 'key' },
        { label: '$(pass) Bearer token', description: 'paste an access token', id: 'token' },
      ],
      { title: 'Sign in to Flyte / Union', ignoreFocusOut: true },
    );
    if (!how) return undefined;
    if (how.id === 'key') {
      apiKey = await vscode.window.showInputBox({ title: 'Flyte API key', prompt: 'Kept only in VS Code secret storage', password: true, ignoreFocusOut: true, validateInput: (v) => (v.trim() ? undefined : 'An API key is required.') });
      if (!apiKey) return undefined;
    } else {
      url ??= await vscode.window.showInputBox({ title: 'Flyte endpoint', prompt: 'http(s)://host:port or dns:///host', value: DEFAULT_URLS.flyte, ignoreFocusOut: true });
      if (!url) return undefined;
      token = await vscode.window.showInputBox({ title: 'Flyte access token', password: true, ignoreFocusOut: true, validateInput: (v) => (v.trim() ? undefined : 'A token is required.') });
      if (!token) return undefined;
    }
  }
  let project = optString(args, 'project');
  let domain = optString(args, 'domain');
  if (inv.interactive && !project && !domain) {
    domain = await vscode.window.showInputBox({ title: 'Domain your code runs in (for the project → domain → org lookup)', value: 'development', ignoreFocusOut: true });
    if (domain === undefined) return undefined;
    project = domain ? await vscode.window.showInputBox({ title: 'Project', prompt: 'Leave empty for domain-wide', ignoreFocusOut: true }) : undefined;
    if (project === undefined && domain) return undefined;
  }
  const input = {
    url,
    apiKey,
    token,
    org: optString(args, 'org'),
    project: project || undefined,
    domain: domain || undefined,
    insecure: args.insecure === true,
    label: optString(args, 'label'),
  };
  const rec = inv.interactive ? await withCancellableProgress('Signing in to Flyte…', (signal) => connectFlyte(s.http, s.store, input, signal)) : await connectFlyte(s.http, s.store, input);
  s.log.info(`Signed in: '${rec.label}' (flyte ${rec.url})`);
  tell(`Signed in to Flyte — connection '${rec.label}'.`);
  return rec.label;
}

async function signOut(s: Services, inv: Invocation): Promise<void> {
  const rec = await pickConnection(s, inv, 'Sign out of which connection? Its token is removed from secret storage.', true);
  if (!rec) return;
  await s.store.remove(rec.label);
  s.log.info(`Signed out of '${rec.label}'; its token was removed from secret storage.`);
  if (inv.interactive) tell(`Signed out of '${rec.label}'.`);
}

/** The origin of an endpoint as the user should see it (never a path or credentials). */
function safeOrigin(endpoint: string): string {
  try {
    return new URL(/^[a-z][a-z0-9+.-]*:\/\//i.test(endpoint) ? endpoint : `https://${endpoint.replace(/^dns:\/{3}/, '')}`).origin;
  } catch {
    return 'an endpoint that is not a URL';
  }
}

/**
 * A Flyte config inside the workspace names the endpoint, and the client secret comes from the
 * user's own environment or files: only an explicit yes from the user (never an argument object)
 * sends it there.
 */
async function consentToWorkspaceEndpoint(inv: Invocation, file: string, endpoint: string): Promise<boolean> {
  if (!inv.interactive) return false;
  const origin = safeOrigin(endpoint);
  const pick = await vscode.window.showWarningMessage(
    `Send your Flyte client secret to ${origin}?`,
    {
      modal: true,
      detail: `${file} is part of this workspace, and it names ${origin} as the Flyte endpoint. Importing signs in there with the client secret from your environment or files. Continue only if you trust that server.`,
    },
    `Sign In to ${origin}`,
  );
  return pick === `Sign In to ${origin}`;
}

async function importCli(s: Services, inv: Invocation): Promise<string[]> {
  const only = optString(inv.args, 'platform') as PlatformId | undefined;
  if (only && !(PLATFORM_IDS as readonly string[]).includes(only)) throw new ValidationError(`Unknown platform '${only}'.`);
  const labels: string[] = [];
  const notes: string[] = [];
  if (!only || only === 'zenml') {
    // The readers' default file access is guarded (regular files only, size caps, never blocks).
    const z = await readZenmlCliLogins(process.env, os.homedir());
    notes.push(...z.problems);
    for (const login of z.logins) {
      if (!login.apiKey && !login.password && login.expiresAt !== undefined && login.expiresAt < Date.now()) {
        notes.push(`${login.source}: the stored ZenML session for ${login.url} expired; run \`zenml login\` and import again.`);
        continue;
      }
      try {
        const rec = await connectZenml(s.http, s.store, { ...login, source: login.source });
        labels.push(rec.label);
      } catch (e) {
        notes.push(`${login.source} (${login.url}): ${describeError(e)}`);
      }
    }
  }
  if (!only || only === 'mosaic') {
    const m = await readMosaicCliLogins(process.env, os.homedir());
    notes.push(...m.problems);
    for (const login of m.logins) {
      try {
        labels.push((await connectMosaic(s.http, s.store, { ...login, source: login.source })).label);
      } catch (e) {
        notes.push(`${login.source}: ${describeError(e)}`);
      }
    }
  }
  if (!only || only === 'flyte') {
    // Workspace-local Flyte configs are read only in a trusted workspace: a repository must not be
    // able to point your client secret at its own endpoint.
    const dirs = vscode.workspace.isTrusted ? (vscode.workspace.workspaceFolders ?? []).map((f) => f.uri.fsPath) : [];
    const f = await readFlyteCliLogins(process.env, os.homedir(), dirs);
    notes.push(...f.problems);
    for (const login of f.logins) {
      if (login.workspaceFile && !(await consentToWorkspaceEndpoint(inv, login.workspaceFile, login.endpoint))) {
        notes.push(`${login.source}: not imported — this workspace file chooses the endpoint (${safeOrigin(login.endpoint)}) your client secret would be sent to. Import it from the palette to confirm, or sign in with an API key.`);
        continue;
      }
      try {
        labels.push((await connectFlyte(s.http, s.store, { url: login.endpoint || undefined, apiKey: login.apiKey, org: login.org, project: login.project, domain: login.domain, insecure: login.insecure, source: login.source })).label);
      } catch (e) {
        notes.push(`${login.source}: ${describeError(e)}`);
      }
    }
  }
  const apoloWanted = !only || only === 'apolo' || only === 'neuro';
  const { logins, problems } = apoloWanted ? await readApoloCliLogins(process.env, os.homedir()) : { logins: [], problems: [] };
  notes.push(...problems);
  for (const login of logins) {
    if (only && login.platform !== only) continue;
    if (login.expiresAt !== undefined && login.expiresAt < Date.now()) {
      notes.push(`${login.source}: the token expired; run \`${login.platform} login\` and import again.`);
      continue;
    }
    try {
      const rec = await connectApolo(s.http, s.store, {
        platform: login.platform,
        url: login.url,
        token: login.token,
        cluster: login.cluster,
        org: login.org,
        project: login.project,
        source: login.source,
        expiresAt: login.expiresAt,
      });
      labels.push(rec.label);
    } catch (e) {
      notes.push(`${login.source}: ${describeError(e)}`);
    }
  }
  for (const n of notes) s.log.warn(`Import: ${n}`);
  if (labels.length) tell(`Imported ${labels.length} connection${labels.length > 1 ? 's' : ''} from the CLI: ${labels.join(', ')}.${notes.length ? ` ${notes.length} problem(s) — see Show Logs.` : ''}`);
  else if (inv.interactive) {
    const msg = notes.length ? `No CLI login could be imported: ${notes[0]}` : "No CLI login found (looked in ~/.apolo, ~/.neuro, APOLO_PASSED_CONFIG, NEURO_PASSED_CONFIG and ZenML's config directory).";
    void vscode.window.showWarningMessage(msg, 'Show Logs').then((p) => p && s.log.show());
  }
  return labels;
}

async function chooseConnection(s: Services, inv: Invocation): Promise<string | undefined> {
  let label = optString(inv.args, 'connection');
  if (label) findConnection(s, label);
  const folder =
    (optString(inv.args, 'folder') && vscode.workspace.workspaceFolders?.find((f) => f.uri.fsPath === inv.args.folder)) ||
    (vscode.window.activeTextEditor && vscode.workspace.getWorkspaceFolder(vscode.window.activeTextEditor.document.uri)) ||
    vscode.workspace.workspaceFolders?.[0];
  if (!folder) throw new ValidationError('Open a folder first: the choice is saved in its settings.');
  if (!label) {
    if (!inv.interactive) throw new ValidationError("Missing 'connection' in the argument object.");
    const pick = await vscode.window.showQuickPick(
      [...s.model.connections().map((c) => ({ label: c.label, description: `${c.platform} · ${c.url}` })), { label: '$(close) None', description: 'pick by reference syntax' }],
      { placeHolder: `Connection for the job files in ${folder.name}`, ignoreFocusOut: true },
    );
    if (!pick) return undefined;
    label = pick.label.startsWith('$(close)') ? '' : pick.label;
  }
  await vscode.workspace.getConfiguration('mlSecrets', folder.uri).update('connection', label || undefined, vscode.ConfigurationTarget.WorkspaceFolder);
  return label || undefined;
}
