// ML Secrets — the table of contents. Everything registered here is disposed with the extension.
// Activation loads only the reference checking and the Secrets view's stand-in; the tree's code,
// commands, platform clients and the HTTP layer come from lazy.ts on first use, yaml and node-fetch
// from src/core/vendor.ts.

import * as vscode from 'vscode';
import type { HttpClient } from './core/http/httpClient';
import { ConnectionStore } from './connections/connectionStore';
import { SecretsModel } from './model/secretsModel';
import { ReferenceChecker } from './language/referenceChecker';
import { WorkspaceCheckLauncher } from './language/workspaceCheckLauncher';
import { PlaintextLauncher } from './language/plaintext/launcher';
import { SecretsCodeLensProvider } from './language/codeLens';
import { RunSecretsLensProvider } from './language/runSecretsLens';
import { registerLazyProviders } from './language/lazyProviders';
import { ConnectionStatusItem, LanguageStatusState } from './language/languageStatus';
import type { SecretsNode } from './tree/nodes';
import { LazySecretsTree } from './tree/lazyTree';
import type { Services } from './commands/common';
import { LAZY_COMMANDS } from './commands/list';
import { refresh } from './commands/refresh';
import { showLogs } from './commands/showLogs';
import { walkthrough } from './ui/walkthrough';
import { Log } from './ui/log';
import { JOB_FILES } from './language/selectors';

type Lazy = typeof import('./lazy');
let lazyModule: Lazy | undefined;
function lazy(): Lazy {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  lazyModule ??= require('./lazy') as Lazy;
  return lazyModule;
}

/** What the extension exports: the Secrets view's data, read-only (the integration tests inspect it; names only, never a value). */
export interface MlSecretsApi {
  secretsTree: Pick<vscode.TreeDataProvider<unknown>, 'getChildren' | 'getTreeItem'>;
  /** What the `{}` language status item shows for the active editor. */
  languageStatus(): LanguageStatusState | undefined;
}

export function activate(context: vscode.ExtensionContext): MlSecretsApi {
  const started = Date.now();
  const log = new Log();
  const version = (context.extension.packageJSON as { version?: string }).version ?? '0';
  const setting = <T>(key: string, fallback: T) => vscode.workspace.getConfiguration('mlSecrets').get<T>(key) ?? fallback;
  const http = (): HttpClient =>
    lazy().httpClient({
      timeoutMs: () => Math.max(1, setting('http.timeoutSeconds', 30)) * 1000,
      userAgent: `ml-secrets-vscode/${version} (${process.platform})`,
      log: log.fn,
    });
  const store = new ConnectionStore(context, log);
  const model = new SecretsModel(store, (rec, cred, onToken) => lazy().client(http(), rec, cred, onToken), log, () => Math.max(0, setting('cacheTtlSeconds', 600)) * 1000);
  const checker = new ReferenceChecker(model, log);
  const workspaceCheck = new WorkspaceCheckLauncher(() => lazy().workspaceChecker(context, model, checker, log));
  // The tree's code loads from lazy.js when the view first asks for rows (src/tree/lazyTree.ts).
  const tree = new LazySecretsTree(() => lazy().secretsTree(model, workspaceCheck));
  const view = tree.attach(vscode.window.createTreeView('mlSecrets.secrets', { treeDataProvider: tree, showCollapseAll: true }));
  const status = new ConnectionStatusItem(JOB_FILES, checker, model);
  const s: Services = {
    context,
    store,
    model,
    checker,
    log,
    get http() {
      return http();
    },
  };

  context.subscriptions.push(
    log,
    store,
    model,
    checker,
    workspaceCheck,
    tree,
    view,
    workspaceCheck.watch(view),
    status,
    ...languageFeatures(context, model, checker, view, log),
    ...LAZY_COMMANDS.map((id) => vscode.commands.registerCommand(id, (arg?: unknown) => lazy().run(id, s, arg))),
    vscode.commands.registerCommand('mlSecrets.refresh', (arg?: unknown) => refresh(model, checker, log, arg)),
    vscode.commands.registerCommand('mlSecrets.showLogs', () => showLogs(log)),
    ...viewCommands(view, tree),
  );

  context.subscriptions.push(walkthrough(context, checker, model.connections().length > 0));
  const updateContext = () => void vscode.commands.executeCommand('setContext', 'mlSecrets.hasConnections', model.connections().length > 0);
  context.subscriptions.push(model.onDidChange(updateContext));
  updateContext();
  void vscode.commands.executeCommand('setContext', 'mlSecrets.activated', true);

  if (vscode.env.uiKind === vscode.UIKind.Web) {
    log.info('Running in a browser: VS Code may keep secret storage in memory only, so tokens may not survive a reload.');
  }
  // The npm start sandbox names its demo connections in the environment (never a setting).
  if (process.env.ML_SECRETS_SANDBOX) void model.whileSigningIn(lazy().bootstrapSandbox(s)).catch((e: unknown) => log.warn(`Sandbox sign-in failed: ${e instanceof Error ? e.message : String(e)}`));
  log.info(`ML Secrets ${version} activated in ${Date.now() - started} ms.`);
  return { secretsTree: { getChildren: (n) => tree.getChildren(n as SecretsNode | undefined), getTreeItem: (n) => tree.getTreeItem(n as SecretsNode) }, languageStatus: () => status.state() };
}

/** The commands that need the Secrets view itself (registered here, with the view; their code is in lazy.js, see src/commands/list.ts). */
function viewCommands(view: vscode.TreeView<SecretsNode>, tree: LazySecretsTree): vscode.Disposable[] {
  return [
    vscode.commands.registerCommand('mlSecrets.revealSecret', (arg?: unknown) => lazy().revealSecret(view, tree, arg)),
    vscode.commands.registerCommand('mlSecrets.filterSecrets', (arg?: unknown) => lazy().filterSecrets(tree.tree(), arg)),
    vscode.commands.registerCommand('mlSecrets.clearSecretsFilter', () => lazy().clearSecretsFilter(tree.tree())),
  ];
}

/** What job files get in the editor: lenses, hovers, fixes, navigation, completion; plaintext-token detection. */
function languageFeatures(context: vscode.ExtensionContext, model: SecretsModel, checker: ReferenceChecker, view: vscode.TreeView<SecretsNode>, log: Log): vscode.Disposable[] {
  const runLenses = new RunSecretsLensProvider(model);
  return [
    vscode.languages.registerCodeLensProvider(JOB_FILES, new SecretsCodeLensProvider(checker)),
    runLenses,
    vscode.languages.registerCodeLensProvider(JOB_FILES, runLenses),
    ...registerLazyProviders(JOB_FILES, () => lazy().languageProviders(context, model, checker, view, log)),
    new PlaintextLauncher(() => lazy().startPlaintextDetection(log)),
  ];
}

export function deactivate(): void {
  /* everything is in context.subscriptions */
}
