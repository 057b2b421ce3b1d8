// Quick fixes, found by diagnostic code: create the missing secret, "did you mean", sign in /
// retry / choose a connection, and ignore this line.

import * as vscode from 'vscode';
import { IGNORE_MARKER } from '../core/references/scanner';
import { suggest } from '../core/check/checker';
import { printable } from '../core/platforms/apolo/names';
import { DIAGNOSTIC_SOURCE, ReferenceChecker } from './referenceChecker';
import { fixCommand, scopeArgs } from './fixCommands';

export class SecretsCodeActionProvider implements vscode.CodeActionProvider {
  static readonly kinds = [vscode.CodeActionKind.QuickFix];

  constructor(private readonly checker: ReferenceChecker) {}

  provideCodeActions(doc: vscode.TextDocument, _range: vscode.Range, ctx: vscode.CodeActionContext): vscode.CodeAction[] {
    const ours = ctx.diagnostics.filter((d) => d.source === DIAGNOSTIC_SOURCE);
    if (!ours.length) return [];
    const result = this.checker.findingsFor(doc);
    const actions: vscode.CodeAction[] = [];
    const ignoredLines = new Set<number>();
    for (const d of ours) {
      const f = result?.findings.find((x) => x.ref.start === doc.offsetAt(d.range.start) && x.ref.end === doc.offsetAt(d.range.end));
      if (f && d.code === 'secret-missing') {
        const create = new vscode.CodeAction(`Create secret '${printable(f.missingName ?? f.ref.name)}' in ${f.scopeLabel ?? 'the project'}…`, vscode.CodeActionKind.QuickFix);
        create.command = {
          title: create.title,
          command: 'mlSecrets.addSecret',
          arguments: [{ connection: result?.connection, name: f.missingName ?? f.ref.name, ...scopeArgs(f.scopeId), interactive: true }],
        };
        create.diagnostics = [d];
        create.isPreferred = true;
        actions.push(create);
      }
      const suggestions = f && (d.code === 'secret-missing' || d.code === 'key-missing') && f.candidates ? suggest((d.code === 'key-missing' ? f.ref.key : f.ref.name) ?? '', f.candidates()) : [];
      if (f && suggestions.length) {
        const isKey = d.code === 'key-missing';
        const current = isKey ? f.ref.key : f.ref.name;
        const at = isKey ? (current ? f.ref.start + f.ref.text.lastIndexOf(current) : -1) : f.ref.nameStart;
        const range = current && at !== undefined && at >= 0 ? new vscode.Range(doc.positionAt(at), doc.positionAt(at + current.length)) : undefined;
        // The edit touches only the name, and only while the document still holds exactly that name
        // there (findings can lag an edit by a moment): never rewrite characters we didn't scan.
        if (range && doc.getText(range) === current && d.range.contains(range)) {
          for (const s of suggestions) {
            const fix = new vscode.CodeAction(`Did you mean '${printable(s)}'?`, vscode.CodeActionKind.QuickFix);
            fix.edit = new vscode.WorkspaceEdit();
            fix.edit.replace(doc.uri, range, s);
            fix.diagnostics = [d];
            actions.push(fix);
          }
        }
      }
      if (f && d.code === 'secret-unverified') {
        const cmd = fixCommand(f.action, result?.connection);
        if (cmd) {
          const a = new vscode.CodeAction(cmd.title, vscode.CodeActionKind.QuickFix);
          a.command = cmd;
          a.diagnostics = [d];
          actions.push(a);
        }
      }
      const line = d.range.start.line;
      if (!ignoredLines.has(line)) {
        ignoredLines.add(line);
        const ignore = new vscode.CodeAction('Ignore secret references on this line', vscode.CodeActionKind.QuickFix);
        ignore.edit = new vscode.WorkspaceEdit();
        const text = doc.lineAt(line).text;
        ignore.edit.insert(doc.uri, new vscode.Position(line, text.trimEnd().length), ` ${IGNORE_MARKER}`);
        ignore.diagnostics = ours.filter((x) => x.range.start.line === line);
        actions.push(ignore);
      }
    }
    return actions;
  }
}
