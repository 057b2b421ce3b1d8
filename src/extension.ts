// ML Secrets — the table of contents. Everything registered here is disposed with the extension.

import * as vscode from 'vscode';
import { HttpClient } from './core/http/httpClient';
import { ConnectionStore } from './connections/connectionStore';
import { SecretsModel } from './model/secretsModel';
import { ReferenceChecker } from './language/referenceChecker';
import { SecretsCodeLensProvider } from './language/codeLens';
import { SecretsHoverProvider } from './language/hover';
import { SecretsCodeActionProvider } from './language/codeActions';
import { SecretsTreeProvider } from './tree/secretsTree';
import { registerAuthCommands } from './commands/auth';
import { registerSecretCommands } from './commands/secrets';
import { command, optString, Services } from './commands/common';
import { bootstrapSandbox } from './sandbox';
import { Log } from './ui/log';

const JOB_FILES: vscode.DocumentSelector = [
  { language: 'yaml' },
  { pattern: '**/*.{yml,yaml}' },
  { language: 'python' },
];

export function activate(context: vscode.ExtensionContext): void {
  const started = Date.now();
  const log = new Log();
  const version = (context.extension.packageJSON as { version?: string }).version ?? '0';
  const setting = <T>(key: string, fallback: T) => vscode.workspace.getConfiguration('mlSecrets').get<T>(key) ?? fallback;
  const http = new HttpClient({
    timeoutMs: () => Math.max(1, setting('http.timeoutSeconds', 30)) * 1000,
    userAgent: `ml-secrets-vscode/${version} (${process.platform})`,
    log: log.fn,
  });
  const store = new ConnectionStore(context, log);
  const model = new SecretsModel(store, http, log, () => Math.max(0, setting('cacheTtlSeconds', 600)) * 1000);
  const checker = new ReferenceChecker(model, log);
  const tree = new SecretsTreeProvider(model);
  const s: Services = { context, store, model, checker, log, http };

  context.subscriptions.push(
    log,
    store,
    model,
    checker,
    tree,
    vscode.window.createTreeView('mlSecrets.secrets', { treeDataProvider: tree, showCollapseAll: true }),
    vscode.languages.registerCodeLensProvider(JOB_FILES, new SecretsCodeLensProvider(checker)),
    vscode.languages.registerHoverProvider(JOB_FILES, new SecretsHoverProvider(checker)),
    vscode.languages.registerCodeActionsProvider(JOB_FILES, new SecretsCodeActionProvider(checker), { providedCodeActionKinds: SecretsCodeActionProvider.kinds }),
    ...registerAuthCommands(s),
    ...registerSecretCommands(s),
    command(s, 'mlSecrets.refresh', 'Refresh', async (inv) => {
      const label = inv.node?.connection ?? optString(inv.args, 'connection');
      await model.refresh(label);
      checker.checkAllSoon(0);
    }),
    vscode.commands.registerCommand('mlSecrets.showLogs', () => log.show()),
  );

  const updateContext = () => void vscode.commands.executeCommand('setContext', 'mlSecrets.hasConnections', model.connections().length > 0);
  context.subscriptions.push(model.onDidChange(updateContext));
  updateContext();
  void vscode.commands.executeCommand('setContext', 'mlSecrets.activated', true);

  if (vscode.env.uiKind === vscode.UIKind.Web) {
    log.info('Running in a browser: VS Code may keep secret storage in memory only, so tokens may not survive a reload.');
  }
  void bootstrapSandbox(s).catch((e) => log.warn(`Sandbox sign-in failed: ${e instanceof Error ? e.message : String(e)}`));
  log.info(`ML Secrets ${version} activated in ${Date.now() - started} ms.`);
}

export function deactivate(): void {
  /* everything is in context.subscriptions */
}
