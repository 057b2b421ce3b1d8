// Quick fixes, found by diagnostic code: create the missing secret, "did you mean", sign in /
// retry / choose a connection, and ignore this line.

import * as vscode from 'vscode';
import { IGNORE_MARKER, SecretReference } from '../core/references/scanner';
import { suggest } from '../core/check/checker';
import { printable } from '../core/text';
import { DIAGNOSTIC_SOURCE, ReferenceChecker } from './referenceChecker';
import { fixCommand, referenceRulesCommand } from './fixCommands';
import { addKeyArgs, createArgs, keyOfReference } from './codeLens';

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
        const { key, refused } = keyOfReference(f);
        const create = new vscode.CodeAction(
          `Create secret '${printable(f.missingName ?? f.ref.name)}'${key !== undefined ? ` with key '${printable(key, 40)}'` : ''} in ${f.scopeLabel ?? 'the project'}…`,
          vscode.CodeActionKind.QuickFix,
        );
        if (refused) create.disabled = { reason: `${refused} Rename the key in this reference first.` };
        else {
          create.command = { title: create.title, command: 'mlSecrets.addSecret', arguments: [createArgs(f, result?.connection)] };
          create.isPreferred = true;
        }
        create.diagnostics = [d];
        actions.push(create);
      }
      if (f && d.code === 'key-missing') {
        const args = addKeyArgs(f, result?.connection);
        if (args) {
          const add = new vscode.CodeAction(`Add key '${printable(String(args.key), 40)}' to secret '${printable(String(args.name))}'…`, vscode.CodeActionKind.QuickFix);
          add.command = { title: add.title, command: 'mlSecrets.updateSecret', arguments: [args] };
          add.diagnostics = [d];
          actions.push(add);
        }
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
      if (f && d.code === 'reference-malformed') actions.push(...malformedFixes(doc, f.ref, d));
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

/**
 * Fixes for a malformed reference where one is obvious (drop a volume's `:ro`, make a mount path
 * absolute); always a way to read the reference rules. Edits only text that is still exactly what
 * was scanned.
 */
function malformedFixes(doc: vscode.TextDocument, ref: SecretReference, d: vscode.Diagnostic): vscode.CodeAction[] {
  const out: vscode.CodeAction[] = [];
  const here = doc.getText(new vscode.Range(doc.positionAt(ref.start), doc.positionAt(ref.end)));
  if (ref.syntax === 'apolo' && here === ref.text && ref.mountPath !== undefined) {
    const suffix = /:(ro|rw)$/.exec(ref.text);
    if (suffix) {
      const fix = new vscode.CodeAction(`Remove '${suffix[0]}' (secret volumes are always read-only)`, vscode.CodeActionKind.QuickFix);
      fix.edit = new vscode.WorkspaceEdit();
      fix.edit.delete(doc.uri, new vscode.Range(doc.positionAt(ref.end - suffix[0].length), doc.positionAt(ref.end)));
      fix.diagnostics = [d];
      fix.isPreferred = true;
      out.push(fix);
    } else if (ref.mountPath && !ref.mountPath.startsWith('/')) {
      const at = ref.text.indexOf(':', 'secret:'.length);
      if (at > 0 && ref.text.slice(at + 1) === ref.mountPath) {
        const fix = new vscode.CodeAction(`Make the mount path absolute: '/${printable(ref.mountPath, 60)}'`, vscode.CodeActionKind.QuickFix);
        fix.edit = new vscode.WorkspaceEdit();
        fix.edit.insert(doc.uri, doc.positionAt(ref.start + at + 1), '/');
        fix.diagnostics = [d];
        fix.isPreferred = true;
        out.push(fix);
      }
    }
  }
  const rules = referenceRulesCommand();
  if (rules) {
    const a = new vscode.CodeAction(rules.title, vscode.CodeActionKind.QuickFix);
    a.command = rules;
    a.diagnostics = [d];
    out.push(a);
  }
  return out;
}
