// Go to Definition (and its read-only description documents), Find All References, Rename,
// completion, hovers and quick fixes load from lazy.js on first use, so activation stays small:
// these providers only forward to the real ones (./definition.ts, ./references.ts, ./rename.ts,
// ./completion.ts, ./hover.ts, ./codeActions.ts), which src/lazy.ts builds once.

import * as vscode from 'vscode';
import type { SecretsCodeActionProvider } from './codeActions';
import type { SecretsCompletionProvider } from './completion';
import type { SecretDefinitionProvider } from './definition';
import type { SecretsReferenceProvider } from './references';
import type { SecretsHoverProvider } from './hover';
import type { SecretsRenameProvider } from './rename';

/** The URI scheme of the read-only documents Go to Definition opens. */
export const DEFINITION_SCHEME = 'ml-secrets';
/** The characters after which completion is asked for inside a reference. */
export const COMPLETION_TRIGGERS = [':', '<', '{', '.', '"', "'"];

export interface LanguageProviders {
  definition: SecretDefinitionProvider;
  references: SecretsReferenceProvider;
  rename: SecretsRenameProvider;
  completion: SecretsCompletionProvider;
  hover: SecretsHoverProvider;
  codeActions: SecretsCodeActionProvider;
}

export function registerLazyProviders(selector: vscode.DocumentSelector, load: () => LanguageProviders): vscode.Disposable[] {
  const changed = new vscode.EventEmitter<vscode.Uri>();
  let forwarding: vscode.Disposable | undefined;
  const get = (): LanguageProviders => {
    const p = load();
    forwarding ??= p.definition.onDidChange((u) => changed.fire(u));
    return p;
  };
  return [
    changed,
    { dispose: () => forwarding?.dispose() },
    vscode.workspace.registerTextDocumentContentProvider(DEFINITION_SCHEME, { onDidChange: changed.event, provideTextDocumentContent: (u) => get().definition.provideTextDocumentContent(u) }),
    vscode.languages.registerDefinitionProvider(selector, { provideDefinition: (d, p, t) => get().definition.provideDefinition(d, p, t) }),
    vscode.languages.registerReferenceProvider(selector, { provideReferences: (d, p, c, t) => get().references.provideReferences(d, p, c, t) }),
    vscode.languages.registerRenameProvider(selector, {
      prepareRename: (d, p) => get().rename.prepareRename(d, p),
      provideRenameEdits: (d, p, n, t) => get().rename.provideRenameEdits(d, p, n, t),
    }),
    vscode.languages.registerCompletionItemProvider(selector, { provideCompletionItems: (d, p) => get().completion.provideCompletionItems(d, p) }, ...COMPLETION_TRIGGERS),
    vscode.languages.registerHoverProvider(selector, { provideHover: (d, p, t) => get().hover.provideHover(d, p, t) }),
    vscode.languages.registerCodeActionsProvider(selector, { provideCodeActions: (d, r, c) => get().codeActions.provideCodeActions(d, r, c) }, { providedCodeActionKinds: [vscode.CodeActionKind.QuickFix] }),
  ];
}
