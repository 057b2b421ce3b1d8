// Everything that isn't needed to activate: the commands, the platform modules (clients, sign-in,
// prompts), the HTTP layer and the CLI-credential readers. The bundler ships it as dist/lazy.js,
// loaded the first time a command runs or a connection is used (see esbuild.mjs); extension.ts only
// knows its shape.

import { chooseConnection } from './commands/chooseConnection';
import { importCliCredentials } from './commands/importCliCredentials';
import { removeConnection } from './commands/removeConnection';
import { signIn } from './commands/signIn';
import { signOut } from './commands/signOut';
import { Command, runCommand, Services } from './commands/common';
import type { LazyCommandId } from './commands/list';
import { addSecret } from './commands/addSecret';
import { updateSecret } from './commands/updateSecret';
import { deleteSecret } from './commands/deleteSecret';
import { shareSecret } from './commands/shareSecret';
import { revokeAccess } from './commands/revokeAccess';
import { listSecrets } from './commands/listSecrets';
import { copyReference } from './commands/copyReference';
import { registerStackSecrets } from './commands/registerStackSecrets';
import { findReferences } from './commands/findReferences';
import { renameSecret } from './commands/renameSecret';
import { moveToSecret } from './commands/moveToSecret';
import { clearCellOutput } from './commands/clearCellOutput';
import { runPreflightCheck } from './commands/runPreflightCheck';
import { ConnectionRecord, StoredCredential } from './core/connections';
import { HttpClient, HttpClientOptions } from './core/http/httpClient';
import type { PlatformClient, TokenListener } from './core/platforms/types';
import { platformModule } from './platforms/registry';
import { WorkspaceReferenceIndex } from './language/referenceIndex';
import { WorkspaceChecker } from './language/workspaceCheck';
import { PlaintextWorkspaceScan } from './language/plaintext/workspaceScan';
import { SecretDefinitionProvider } from './language/definition';
import { SecretsReferenceProvider } from './language/references';
import { SecretsRenameProvider } from './language/rename';
import { SecretsCompletionProvider } from './language/completion';
import { SecretsHoverProvider } from './language/hover';
import { SecretsCodeActionProvider } from './language/codeActions';
import type { LanguageProviders } from './language/lazyProviders';
import type { SecretsNode } from './tree/nodes';
import * as sharedNodes from './tree/sharedNodes';
import * as stackNodes from './tree/stackNodes';
import { setTreeExtras, TreeExtras } from './tree/extras';
import { FilteredSecretsTree } from './tree/filter';
import type { MissingSource } from './tree/missingNodes';
import { SecretsTreeProvider } from './tree/secretsTree';
import type { UsedSource } from './tree/unused';
export { revealSecret } from './commands/revealSecret';
export { filterSecrets } from './commands/filterSecrets';
export { clearSecretsFilter } from './commands/clearSecretsFilter';
import type { ReferenceChecker } from './language/referenceChecker';
import type { SecretsModel } from './model/secretsModel';
import type { Log } from './ui/log';
import type * as vscode from 'vscode';

export { bootstrapSandbox } from './sandbox';
/** Plaintext-token detection, started by src/language/plaintext/launcher.ts. */
export { startPlaintextDetection } from './language/plaintext/start';

/** Each lazy command (src/commands/list.ts) → its file's export. */
const COMMANDS: Record<LazyCommandId, Command> = {
  'mlSecrets.signIn': signIn,
  'mlSecrets.signOut': signOut,
  'mlSecrets.removeConnection': removeConnection,
  'mlSecrets.importCliCredentials': importCliCredentials,
  'mlSecrets.chooseConnection': chooseConnection,

  'mlSecrets.addSecret': addSecret,
  'mlSecrets.updateSecret': updateSecret,
  'mlSecrets.deleteSecret': deleteSecret,
  'mlSecrets.shareSecret': shareSecret,
  'mlSecrets.revokeAccess': revokeAccess,
  'mlSecrets.listSecrets': listSecrets,
  'mlSecrets.copyReference': copyReference,
  'mlSecrets.registerStackSecrets': registerStackSecrets,
  'mlSecrets.findReferences': findReferences,
  'mlSecrets.renameSecret': renameSecret,
  'mlSecrets.moveToSecret': moveToSecret,
  'mlSecrets.clearCellOutput': clearCellOutput,
  'mlSecrets.runPreflightCheck': runPreflightCheck,
};

export function run(id: LazyCommandId, s: Services, arg: unknown): Promise<unknown> {
  const c = COMMANDS[id];
  if (!c) return Promise.reject(new Error(`Unknown command ${id}`));
  return runCommand(s, c.title, (inv) => c.run(s, inv), arg);
}

let http: HttpClient | undefined;
/** The one HTTP client of the extension host. */
export function httpClient(options: HttpClientOptions): HttpClient {
  http ??= new HttpClient(options);
  return http;
}

export function client(http: HttpClient, rec: ConnectionRecord, cred: StoredCredential, onToken?: TokenListener): PlatformClient {
  return platformModule(rec.platform).createClient(rec, cred, http, onToken);
}

/** The workspace-wide check (and the plaintext-token scan of unopened files), started by src/language/workspaceCheckLauncher.ts; the one reference index lives in this bundle. */
export function workspaceChecker(context: vscode.ExtensionContext, model: SecretsModel, checker: ReferenceChecker, log: Log): WorkspaceChecker {
  // Plaintext tokens of files that aren't open go to the Problems panel with it.
  context.subscriptions.push(new PlaintextWorkspaceScan(log));
  return new WorkspaceChecker(model, checker, WorkspaceReferenceIndex.get(context), log);
}


let providers: LanguageProviders | undefined;
/** Definition, references, rename and completion, built on first use (src/language/lazyProviders.ts forwards to them). */
export function languageProviders(context: vscode.ExtensionContext, model: SecretsModel, checker: ReferenceChecker, view: vscode.TreeView<SecretsNode>, log: Log): LanguageProviders {
  if (providers) return providers;
  const src = { model, checker, index: () => WorkspaceReferenceIndex.get(context) };
  const definition = new SecretDefinitionProvider(checker, model, view, log);
  context.subscriptions.push(definition);
  providers = {
    definition,
    references: new SecretsReferenceProvider(src),
    rename: new SecretsRenameProvider(src, log),
    completion: new SecretsCompletionProvider(checker, model),
    hover: new SecretsHoverProvider(checker),
    codeActions: new SecretsCodeActionProvider(checker),
  };
  return providers;
}

/** The Secrets view's platform extras (src/tree/extras.ts). */
const treeExtras: TreeExtras = { shared: sharedNodes, stacks: stackNodes };

/** The Secrets view's tree with its filter, built when the view (or a view command) first needs it (src/tree/lazyTree.ts). */
export function secretsTree(model: SecretsModel, workspaceCheck: MissingSource & UsedSource): FilteredSecretsTree {
  setTreeExtras(() => treeExtras);
  return new FilteredSecretsTree(new SecretsTreeProvider(model, workspaceCheck), workspaceCheck);
}
