// Quick fixes of `plaintext-secret`: "Move to a platform secret…" (src/commands/moveToSecret.ts,
// prefilled with where the token is — never the token), "Clear this cell's output" for a token in a
// notebook's saved output (src/commands/clearCellOutput.ts), and "Ignore plaintext tokens on this line" (# ml-secrets-ignore).

import * as vscode from 'vscode';
import { IGNORE_MARKER } from '../../core/references/reference';
import { DIAGNOSTIC_SOURCE } from '../fileCheck';
import type { PlaintextChecker } from './checker';
import { PLAINTEXT_CODE } from './detection';

export class PlaintextCodeActionProvider implements vscode.CodeActionProvider {
  constructor(private readonly checker: PlaintextChecker) {}

  provideCodeActions(doc: vscode.TextDocument, _range: vscode.Range, ctx: vscode.CodeActionContext): vscode.CodeAction[] {
    const ours = ctx.diagnostics.filter((d) => d.source === DIAGNOSTIC_SOURCE && d.code === PLAINTEXT_CODE);
    const actions: vscode.CodeAction[] = [];
    const lines = new Set<number>();
    for (const d of ours) {
      if (this.checker.outputTokenOf(doc.uri, d)) {
        actions.push(clearOutput(doc, d));
        continue;
      }
      actions.push(moveAction(doc, d));
      if (!lines.has(d.range.start.line)) {
        lines.add(d.range.start.line);
        actions.push(ignoreLine(doc, d.range.start.line, ours));
      }
    }
    return actions;
  }
}

/** The argument object of mlSecrets.moveToSecret for the token a diagnostic covers. */
export function moveArgs(uri: vscode.Uri, range: vscode.Range): Record<string, unknown> {
  return {
    uri: uri.toString(),
    range: { start: { line: range.start.line, character: range.start.character }, end: { line: range.end.line, character: range.end.character } },
    interactive: true,
  };
}

function moveAction(doc: vscode.TextDocument, d: vscode.Diagnostic): vscode.CodeAction {
  const a = new vscode.CodeAction('Move to a platform secret…', vscode.CodeActionKind.QuickFix);
  a.command = { title: a.title, command: 'mlSecrets.moveToSecret', arguments: [moveArgs(doc.uri, d.range)] };
  a.diagnostics = [d];
  a.isPreferred = true;
  return a;
}

/** Clears the cell's outputs (src/commands/clearCellOutput.ts: one undoable notebook edit). */
function clearOutput(doc: vscode.TextDocument, d: vscode.Diagnostic): vscode.CodeAction {
  const a = new vscode.CodeAction("Clear this cell's output", vscode.CodeActionKind.QuickFix);
  a.command = { title: a.title, command: 'mlSecrets.clearCellOutput', arguments: [{ uri: doc.uri.toString() }] };
  a.diagnostics = [d];
  a.isPreferred = true;
  return a;
}

function ignoreLine(doc: vscode.TextDocument, line: number, ours: readonly vscode.Diagnostic[]): vscode.CodeAction {
  const a = new vscode.CodeAction('Ignore plaintext tokens on this line', vscode.CodeActionKind.QuickFix);
  a.edit = new vscode.WorkspaceEdit();
  const text = doc.lineAt(line).text;
  a.edit.insert(doc.uri, new vscode.Position(line, text.trimEnd().length), ` ${IGNORE_MARKER}`);
  a.diagnostics = ours.filter((x) => x.range.start.line === line);
  return a;
}
