// What src/lazy.ts builds when ./launcher.ts starts detection: the checker and its quick fixes, for
// every file kind detection reads (notebook cells are python / markdown documents).

import * as vscode from 'vscode';
import type { Log } from '../../ui/log';
import { PlaintextCodeActionProvider } from './actions';
import { PlaintextChecker } from './checker';
import { PLAINTEXT_FILES } from '../selectors';

export function startPlaintextDetection(log: Log): vscode.Disposable {
  const checker = new PlaintextChecker(log);
  const actions = vscode.languages.registerCodeActionsProvider(PLAINTEXT_FILES, new PlaintextCodeActionProvider(checker), {
    providedCodeActionKinds: [vscode.CodeActionKind.QuickFix],
  });
  return vscode.Disposable.from(checker, actions);
}
