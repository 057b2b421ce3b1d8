// The Get Started walkthrough (package.json contributes.walkthroughs): the context key its "open a job
// file" step completes on — set the first time a job file with references is checked — and opening it
// once, on the first activation of a fresh install with no connection: VS Code opens a walkthrough
// itself only for some installs (from the Marketplace view; not from the command line, and not from
// Install from VSIX in a browser workbench, as the install test saw). Never in the sandbox or under
// the test harness.

import * as vscode from 'vscode';
import type { ReferenceChecker } from '../language/referenceChecker';

export const WALKTHROUGH_ID = 'ml-secrets.ml-secrets#gettingStarted';
const SHOWN_KEY = 'mlSecrets.walkthroughShown';

export function walkthrough(context: vscode.ExtensionContext, checker: ReferenceChecker, hasConnections: boolean): vscode.Disposable {
  let checked = false;
  const sub = checker.onDidUpdate((uri) => {
    if (checked || !uri) return;
    const doc = vscode.workspace.textDocuments.find((d) => d.uri.toString() === uri.toString());
    if (!doc || !checker.findingsFor(doc)?.findings.length) return;
    checked = true;
    void vscode.commands.executeCommand('setContext', 'mlSecrets.jobFileChecked', true);
    // Once is enough: no more work on every later check.
    sub.dispose();
  });
  const fresh = !context.globalState.get<boolean>(SHOWN_KEY) && !hasConnections;
  if (fresh && !process.env.ML_SECRETS_SANDBOX && context.extensionMode !== vscode.ExtensionMode.Test) {
    void context.globalState.update(SHOWN_KEY, true);
    // Behind the file the user is reading, when activation came from opening one (as VS Code does).
    void vscode.commands.executeCommand('workbench.action.openWalkthrough', WALKTHROUGH_ID, { toSide: false, inactive: vscode.window.activeTextEditor !== undefined });
  }
  return sub;
}
