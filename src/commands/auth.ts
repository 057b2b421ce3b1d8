// Sign in, sign out, import the CLIs' own logins, choose a folder's connection.

import * as os from 'node:os';
import * as vscode from 'vscode';
import { CancelledError, describeError, UnsupportedError, ValidationError } from '../core/errors';
import { redact } from '../core/redact';
import { isLoopbackHost } from '../core/http/urls';
import { readApoloCliLogins } from '../core/credentials/apoloCli';
import { readZenmlCliLogins } from '../core/credentials/zenmlCli';
import { readFlyteCliLogins, readMosaicCliLogins } from '../core/credentials/mosaicFlyteCli';
import { normaliseMosaicEndpoint } from '../core/platforms/mosaic/client';
import { flyteBaseUrl } from '../core/platforms/flyte/client';
import { normaliseZenmlUrl } from '../core/platforms/zenml/client';
import { ApoloServerConfig, normaliseApoloUrl } from '../core/platforms/apolo/client';
import { platformFacts } from '../core/platforms/registry';
import { PLATFORM_NAMES, PlatformId, PLATFORM_IDS } from '../core/platforms/types';
import {
  ApoloProjectChoice,
  connectApolo,
  connectFlyte,
  connectMosaic,
  connectZenml,
  discoverApolo,
  flyteDefaultLabel,
  prepareApoloConnection,
  prepareFlyte,
  PreparedConnection,
  prepareMosaic,
  prepareZenml,
  probeApolo,
  probeFlyte,
  probeMosaic,
  probeZenml,
  projectChoices,
} from './connect';
import { CommandTable, findConnection, Invocation, optString, pickConnection, Services, tell, withCancellableProgress } from './common';
import type { ConnectionRecord } from '../core/connections';
import { connectWithArguments } from './connectWithArguments';

const DEFAULT_URLS = Object.fromEntries(PLATFORM_IDS.map((p) => [p, platformFacts(p).defaultUrl])) as Record<PlatformId, string>;
/** Where "Import CLI Credentials" looks (src/core/credentials/*), for "No CLI login found". */
const CLI_LOCATIONS = [
  'Apolo: APOLO_PASSED_CONFIG, ~/.apolo (APOLO_CONFIG)',
  'Neu.ro: NEURO_PASSED_CONFIG, ~/.neuro (NEUROMATION_CONFIG)',
  "ZenML: ZENML_STORE_URL + ZENML_STORE_API_KEY, ZenML's config directory (ZENML_CONFIG_PATH, else ~/.config/zenml)",
  'MosaicML: MOSAICML_API_KEY, ~/.mosaic/mcli_config (MCLI_CONFIG_PATH, MCLI_CONFIG_DIR)',
  'Flyte: FLYTE_API_KEY, then the first config.yaml of config.yaml and .flyte/config.yaml in a trusted workspace folder (and its git root), UCTL_CONFIG, FLYTECTL_CONFIG, ~/.union/config.yaml, ~/.flyte/config.yaml',
].join('; ');
const SUPPORTED: PlatformId[] = ['apolo', 'neuro', 'zenml', 'mosaic', 'flyte'];

export const AUTH_COMMANDS: CommandTable = {
  'mlSecrets.signIn': { title: 'Sign in', run: signIn },
  'mlSecrets.signOut': { title: 'Sign out', run: signOut },
  'mlSecrets.removeConnection': { title: 'Remove connection', run: removeConnection },
  'mlSecrets.importCliCredentials': { title: 'Import CLI credentials', run: importCli },
  'mlSecrets.chooseConnection': { title: 'Choose connection', run: chooseConnection },
};

// ---- Interactive steps -------------------------------------------------------------------------
// Each step is one input box that stays open until its value checks out: a URL is checked (reachable,
// the right platform) as soon as it is entered, a token as soon as it is typed, and a failure shows
// as the box's validation message with the value kept, so only the failing step is typed again.

interface Step<T> {
  title: string;
  prompt?: string;
  placeholder?: string;
  value?: string;
  password?: boolean;
  /** Checked as the user types; an Error-severity message (or a string) blocks Enter. */
  validate?: (v: string) => string | vscode.InputBoxValidationMessage | undefined;
  /** Run on Enter; what it throws is shown in the box and the box stays open. */
  check: (v: string, signal: AbortSignal) => Promise<T>;
  /** A message to show when the box opens (a previous attempt's error). */
  error?: string;
}

function blocks(m: string | vscode.InputBoxValidationMessage | undefined): boolean {
  return !!m && (typeof m === 'string' || m.severity === vscode.InputBoxValidationSeverity.Error);
}

function errorMessage(e: unknown): vscode.InputBoxValidationMessage {
  return { message: redact(describeError(e)), severity: vscode.InputBoxValidationSeverity.Error };
}

function ask<T>(step: Step<T>): Promise<{ value: string; result: T } | undefined> {
  return new Promise((resolve) => {
    const box = vscode.window.createInputBox();
    box.title = step.title;
    box.prompt = step.prompt;
    box.placeholder = step.placeholder;
    box.value = step.value ?? '';
    box.password = !!step.password;
    box.ignoreFocusOut = true;
    box.validationMessage = step.error ? { message: redact(step.error), severity: vscode.InputBoxValidationSeverity.Error } : step.value ? step.validate?.(step.value) : undefined;
    let done = false;
    let checking: AbortController | undefined;
    const finish = (r: { value: string; result: T } | undefined) => {
      if (done) return;
      done = true;
      checking?.abort();
      resolve(r);
      box.dispose();
    };
    box.onDidChangeValue((v) => {
      if (!checking) box.validationMessage = step.validate?.(v);
    });
    box.onDidAccept(async () => {
      if (checking) return;
      const value = box.value;
      const m = step.validate?.(value);
      if (blocks(m)) {
        box.validationMessage = m;
        return;
      }
      const ac = new AbortController();
      checking = ac;
      box.busy = true;
      box.enabled = false;
      try {
        const result = await step.check(value, ac.signal);
        finish({ value, result });
      } catch (e) {
        if (done) return;
        checking = undefined;
        box.busy = false;
        box.enabled = true;
        box.validationMessage = errorMessage(e);
      }
    });
    box.onDidHide(() => finish(undefined));
    box.show();
  });
}

/** Runs a check on a value that came with the arguments; its error (not thrown) opens the step. */
async function precheck<T>(title: string, fn: (signal: AbortSignal) => Promise<T>): Promise<{ result?: T; error?: string }> {
  try {
    return { result: await withCancellableProgress(title, fn) };
  } catch (e) {
    if (e instanceof CancelledError) throw e;
    return { error: describeError(e) };
  }
}

function host(url: string): string {
  return new URL(url).host;
}

/** Labels that a folder's mlSecrets.connection names but that are no connection (active editor's folder first). */
function missingFolderLabels(s: Services): string[] {
  const active = vscode.window.activeTextEditor && vscode.workspace.getWorkspaceFolder(vscode.window.activeTextEditor.document.uri);
  const folders = [...(active ? [active] : []), ...(vscode.workspace.workspaceFolders ?? []).filter((f) => f !== active)];
  const out: string[] = [];
  for (const f of folders) {
    const l = vscode.workspace.getConfiguration('mlSecrets', f.uri).get<string>('connection');
    if (l && !s.model.record(l) && !out.includes(l)) out.push(l);
  }
  return out;
}

/**
 * The label the label step offers: the connection being signed in again (from its Sign in node or
 * quick fix), a signed-out connection of the same platform, a folder setting's label that names no
 * connection, else the platform's default.
 */
function suggestLabel(s: Services, inv: Invocation, platform: PlatformId, origin: string | undefined, fallback: string): string {
  const asked = optString(inv.args, 'label');
  if (asked) return asked;
  const signedOut = s.model.connections().filter((c) => c.platform === platform && s.model.connectionState(c.label).kind === 'signedOut');
  const same = signedOut.find((c) => c.origin === origin) ?? (signedOut.length === 1 ? signedOut[0] : undefined);
  if (same) return same.label;
  const missing = missingFolderLabels(s);
  const named = missing.find((l) => l.toLowerCase().includes(platform)) ?? (missing.length === 1 ? missing[0] : undefined);
  return named ?? fallback;
}

/** The label step: an existing label is never taken over silently. */
async function askLabel(s: Services, inv: Invocation, platform: PlatformId, origin: string, fallback: string): Promise<string | undefined> {
  const folderLabels = missingFolderLabels(s);
  const r = await ask({
    title: `Sign in to ${PLATFORM_NAMES[platform]}: name this connection`,
    prompt: 'A label for the tree and for the mlSecrets.connection setting',
    value: suggestLabel(s, inv, platform, origin, fallback),
    validate: (v) => {
      const t = v.trim();
      if (!t) return { message: 'A label is required.', severity: vscode.InputBoxValidationSeverity.Error };
      const rec = s.model.record(t);
      if (!rec) {
        return folderLabels.includes(t) ? { message: `The mlSecrets.connection setting of a folder names '${t}': its files will be checked against this connection.`, severity: vscode.InputBoxValidationSeverity.Info } : undefined;
      }
      const signedOut = s.model.connectionState(t).kind === 'signedOut';
      if (signedOut && rec.platform === platform && rec.origin === origin) return { message: `Signs in again to '${t}' (signed out).`, severity: vscode.InputBoxValidationSeverity.Info };
      return {
        message: `A connection '${t}' already exists (${PLATFORM_NAMES[rec.platform]} · ${host(rec.url)}${signedOut ? ', signed out' : ''}). Press Enter to replace it${rec.platform === platform ? ' (sign in again to it)' : ''}, or type another label.`,
        severity: vscode.InputBoxValidationSeverity.Warning,
      };
    },
    check: async (v) => v.trim(),
  });
  return r?.result;
}

function plainHttp(url: string): boolean {
  return new URL(url).protocol === 'http:' && !isLoopbackHost(new URL(url).hostname);
}

async function confirmPlainHttp(url: string): Promise<boolean> {
  if (!plainHttp(url)) return true;
  const go = await vscode.window.showWarningMessage(`${host(url)} uses plain http: your token would travel unencrypted. Continue?`, { modal: true }, 'Continue');
  return go === 'Continue';
}

/** The URL step: the given URL if it checks out, else the box with it (and the error) to correct. */
async function askUrl(given: string | undefined, step: Omit<Step<string>, 'value' | 'error'> & { fallback?: string }): Promise<string | undefined> {
  let error: string | undefined;
  if (given) {
    const pre = await precheck(`Checking ${given}…`, (signal) => step.check(given, signal));
    if (pre.result) return pre.result;
    error = pre.error;
  }
  const r = await ask({ ...step, value: given ?? step.fallback, error });
  return r?.result;
}

function urlSyntax(normalise: (v: string) => string): (v: string) => vscode.InputBoxValidationMessage | undefined {
  return (v) => {
    try {
      normalise(v);
      return undefined;
    } catch (e) {
      return errorMessage(e);
    }
  };
}

async function saveSignedIn(s: Services, p: PreparedConnection, label: string): Promise<string> {
  const rec = { ...p.record, label };
  await s.store.save(rec, p.credential);
  announce(s, rec);
  return rec.label;
}

/** The log line and the notification for a new connection. */
function announce(s: Services, rec: ConnectionRecord): void {
  s.log.info(`Signed in: '${rec.label}' (${rec.platform} ${rec.url}${rec.user ? ` as ${rec.user}` : ''})`);
  tell(`Signed in to ${PLATFORM_NAMES[rec.platform]}${rec.user ? ` as ${rec.user}` : ''} — connection '${rec.label}'.`);
}

// ---- Sign in -------------------------------------------------------------------------------------

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
  const previousUrl = existing?.platform === platform ? existing.url : undefined;
  if (inv.interactive) {
    if (platform === 'zenml') return signInZenmlInteractive(s, inv, previousUrl);
    if (platform === 'mosaic') return signInMosaicInteractive(s, inv, previousUrl);
    if (platform === 'flyte') return signInFlyteInteractive(s, inv, previousUrl);
    return signInApoloInteractive(s, inv, platform as 'apolo' | 'neuro', previousUrl);
  }
  const rec = await connectWithArguments(s, platform, args);
  announce(s, rec);
  return rec.label;
}

async function signInApoloInteractive(s: Services, inv: Invocation, platform: 'apolo' | 'neuro', previousUrl: string | undefined): Promise<string | undefined> {
  const { args } = inv;
  const name = PLATFORM_NAMES[platform];
  const url = await askUrl(optString(args, 'url') ?? previousUrl, {
    title: `Sign in to ${name}: API URL`,
    prompt: `The API URL the ${platform} CLI uses (\`${platform} config show\` prints it)`,
    fallback: DEFAULT_URLS[platform],
    validate: urlSyntax(normaliseApoloUrl),
    check: (v, signal) => probeApolo(s.http, platform, v, signal),
  });
  if (!url || !(await confirmPlainHttp(url))) return undefined;

  const tokenStep: Omit<Step<{ url: string; cfg: ApoloServerConfig }>, 'value' | 'error'> = {
    title: `Sign in to ${name}: token`,
    prompt: `Token for ${host(url)} (\`${platform} config show-token\` prints it). Kept only in VS Code's secret storage.`,
    password: true,
    validate: (v) => (!v.trim() ? { message: 'A token is required.', severity: vscode.InputBoxValidationSeverity.Error } : /\s/.test(v.trim()) ? { message: 'A token has no spaces.', severity: vscode.InputBoxValidationSeverity.Error } : undefined),
    check: (v, signal) => discoverApolo(s.http, { url, token: v }, signal),
  };
  let token = optString(args, 'token') ?? optString(args, 'apiKey');
  let discovered: { url: string; cfg: ApoloServerConfig } | undefined;
  let error: string | undefined;
  if (token) ({ result: discovered, error } = await precheck(`Connecting to ${host(url)}…`, (signal) => discoverApolo(s.http, { url, token: token as string }, signal)));
  if (!discovered) {
    const r = await ask({ ...tokenStep, value: token, error });
    if (!r) return undefined;
    token = r.value;
    discovered = r.result;
  }
  const { cfg } = discovered;
  const want = { cluster: optString(args, 'cluster'), org: optString(args, 'org'), project: optString(args, 'project') };
  const choices = projectChoices(cfg, want);
  let choice: ApoloProjectChoice | undefined = choices[0];
  if (choices.length > 1) {
    const pick = await vscode.window.showQuickPick(
      choices.map((c) => ({ label: c.project, description: `${c.org} · cluster ${c.cluster}${c.role ? ` · ${c.role}` : ''}`, c })),
      { title: `Sign in to ${name}: the project whose secrets \`secret:NAME\` refers to`, ignoreFocusOut: true },
    );
    choice = pick?.c;
  }
  if (!choice || !token) return undefined;
  const prepared = prepareApoloConnection({ platform, url: discovered.url, token }, discovered.url, cfg, choice);
  const label = await askLabel(s, inv, platform, prepared.record.origin, prepared.record.label);
  if (!label) return undefined;
  return saveSignedIn(s, prepared, label);
}

async function signInZenmlInteractive(s: Services, inv: Invocation, previousUrl: string | undefined): Promise<string | undefined> {
  const { args } = inv;
  const url = await askUrl(optString(args, 'url') ?? previousUrl, {
    title: 'Sign in to ZenML: server URL',
    prompt: 'The server root that `zenml login` uses',
    placeholder: 'https://zenml.example.com',
    validate: urlSyntax(normaliseZenmlUrl),
    check: (v, signal) => probeZenml(s.http, v, signal),
  });
  if (!url || !(await confirmPlainHttp(url))) return undefined;
  const project = optString(args, 'project');
  const how = await vscode.window.showQuickPick(
    [
      { label: '$(key) API key', description: 'ZENKEY_… — from `zenml service-account create`', id: 'key' },
      { label: '$(person) Username and password', id: 'password' },
    ],
    { title: `Sign in to ZenML at ${host(url)}: how?`, ignoreFocusOut: true },
  );
  if (!how) return undefined;
  let prepared: PreparedConnection | undefined;
  if (how.id === 'key') {
    const r = await ask({
      title: 'Sign in to ZenML: API key',
      prompt: 'Kept only in VS Code secret storage',
      password: true,
      validate: (v) => (v.trim().startsWith('ZENKEY_') ? undefined : { message: 'A ZenML API key starts with ZENKEY_.', severity: vscode.InputBoxValidationSeverity.Error }),
      check: (v, signal) => prepareZenml(s.http, { url, apiKey: v, project }, signal),
    });
    prepared = r?.result;
  } else {
    const user = await ask({
      title: 'Sign in to ZenML: user name',
      validate: (v) => (v.trim() ? undefined : { message: 'A user name is required.', severity: vscode.InputBoxValidationSeverity.Error }),
      check: async (v) => v.trim(),
    });
    if (!user) return undefined;
    const r = await ask({
      title: `Sign in to ZenML: password for ${user.result}`,
      prompt: 'Kept only in VS Code secret storage, to log in again when the session expires',
      password: true,
      check: (v, signal) => prepareZenml(s.http, { url, username: user.result, password: v, project }, signal),
    });
    prepared = r?.result;
  }
  if (!prepared) return undefined;
  const label = await askLabel(s, inv, 'zenml', prepared.record.origin, prepared.record.label);
  if (!label) return undefined;
  return saveSignedIn(s, prepared, label);
}

async function signInMosaicInteractive(s: Services, inv: Invocation, previousUrl: string | undefined): Promise<string | undefined> {
  const { args } = inv;
  const url = await askUrl(optString(args, 'url') ?? previousUrl, {
    title: 'Sign in to MosaicML: GraphQL endpoint',
    prompt: 'The full GraphQL endpoint (MOSAICML_API_ENDPOINT)',
    fallback: DEFAULT_URLS.mosaic,
    validate: urlSyntax(normaliseMosaicEndpoint),
    check: (v, signal) => probeMosaic(s.http, v, signal),
  });
  if (!url || !(await confirmPlainHttp(url))) return undefined;
  const r = await ask({
    title: 'Sign in to MosaicML: API key',
    prompt: 'API key (`mcli set api-key` uses the same). Kept only in VS Code secret storage.',
    password: true,
    value: optString(args, 'apiKey') ?? optString(args, 'token'),
    validate: (v) => (v.trim() ? undefined : { message: 'An API key is required.', severity: vscode.InputBoxValidationSeverity.Error }),
    check: (v, signal) => prepareMosaic(s.http, { url, apiKey: v }, signal),
  });
  if (!r) return undefined;
  const label = await askLabel(s, inv, 'mosaic', r.result.record.origin, r.result.record.label);
  if (!label) return undefined;
  return saveSignedIn(s, r.result, label);
}

async function signInFlyteInteractive(s: Services, inv: Invocation, previousUrl: string | undefined): Promise<string | undefined> {
  const { args } = inv;
  const org = optString(args, 'org');
  const insecure = args.insecure === true;
  const how = await vscode.window.showQuickPick(
    [
      { label: '$(key) API key', description: 'FLYTE_API_KEY — from `flyte create api-key`', id: 'key' },
      { label: '$(pass) Bearer token', description: 'paste an access token', id: 'token' },
    ],
    { title: 'Sign in to Flyte / Union: how?', ignoreFocusOut: true },
  );
  if (!how) return undefined;
  let prepared: PreparedConnection | undefined;
  if (how.id === 'key') {
    const r = await ask({
      title: 'Sign in to Flyte: API key',
      prompt: 'FLYTE_API_KEY (it names its endpoint). Kept only in VS Code secret storage.',
      password: true,
      validate: (v) => (v.trim() ? undefined : { message: 'An API key is required.', severity: vscode.InputBoxValidationSeverity.Error }),
      check: (v, signal) => prepareFlyte(s.http, { apiKey: v.trim(), org, insecure }, signal),
    });
    prepared = r?.result;
  } else {
    const url = await askUrl(optString(args, 'url') ?? previousUrl, {
      title: 'Sign in to Flyte: endpoint',
      prompt: 'http(s)://host:port or dns:///host',
      fallback: DEFAULT_URLS.flyte,
      validate: urlSyntax((v) => flyteBaseUrl(v, insecure)),
      check: (v, signal) => probeFlyte(s.http, v, insecure, signal),
    });
    if (!url || !(await confirmPlainHttp(url))) return undefined;
    const r = await ask({
      title: 'Sign in to Flyte: access token',
      prompt: `A bearer token for ${host(url)}. Kept only in VS Code secret storage.`,
      password: true,
      validate: (v) => (v.trim() ? undefined : { message: 'A token is required.', severity: vscode.InputBoxValidationSeverity.Error }),
      check: (v, signal) => prepareFlyte(s.http, { url, token: v, org, insecure }, signal),
    });
    prepared = r?.result;
  }
  if (!prepared) return undefined;
  let project = optString(args, 'project');
  let domain = optString(args, 'domain');
  if (!project && !domain) {
    domain = await vscode.window.showInputBox({ title: 'Sign in to Flyte: the domain your code runs in (for the project → domain → org lookup)', value: 'development', ignoreFocusOut: true });
    if (domain === undefined) return undefined;
    project = domain ? await vscode.window.showInputBox({ title: 'Sign in to Flyte: project', prompt: 'Leave empty for domain-wide', ignoreFocusOut: true }) : undefined;
    if (project === undefined && domain) return undefined;
  }
  const scope = { org: prepared.record.scope.org, project: project || undefined, domain: domain || undefined };
  if (scope.project && !scope.domain) throw new ValidationError('A Flyte project needs a domain too (e.g. development).');
  prepared = { ...prepared, record: { ...prepared.record, scope } };
  const label = await askLabel(s, inv, 'flyte', prepared.record.origin, flyteDefaultLabel(scope.org, host(prepared.record.url), scope.project, scope.domain));
  if (!label) return undefined;
  return saveSignedIn(s, prepared, label);
}

async function signOut(s: Services, inv: Invocation): Promise<void> {
  const rec = await pickConnection(s, inv, 'Sign out of which connection? Its token is removed from secret storage.', true);
  if (!rec) return;
  await s.store.signOut(rec.label);
  s.log.info(`Signed out of '${rec.label}'; its token was removed from secret storage. The connection stays (signed out) until it is removed.`);
  if (inv.interactive) tell(`Signed out of '${rec.label}'. It stays in the Secrets view as "Signed out" — sign in again from there, or remove it (ML Secrets: Remove Connection).`);
}

/** Forgets a connection: its token and its record (Sign Out keeps the record). */
async function removeConnection(s: Services, inv: Invocation): Promise<void> {
  const rec = await pickConnection(s, inv, 'Remove which connection? Its token and its entry are forgotten.', true);
  if (!rec) return;
  await s.store.remove(rec.label);
  s.log.info(`Removed the connection '${rec.label}' and its token.`);
  if (inv.interactive) tell(`Removed the connection '${rec.label}'.`);
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
    const msg = notes.length ? `No CLI login could be imported: ${notes[0]}` : `No CLI login found. Looked in: ${CLI_LOCATIONS}.`;
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
