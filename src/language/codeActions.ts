// Quick fixes, found by diagnostic code: create the missing secret, "did you mean", sign in /
// retry / choose a connection, mend a malformed reference, and ignore this line.

import * as vscode from 'vscode';
import { Finding, suggest } from '../core/check/checker';
import { IGNORE_MARKER, SecretReference } from '../core/references/reference';
import { syntaxOf } from '../core/references/syntaxes';
import { printable } from '../core/text';
import { DIAGNOSTIC_SOURCE, ReferenceChecker } from './referenceChecker';
import { fixCommand, referenceRulesCommand } from './fixCommands';
import { addKeyArgs, createArgs, keyOfReference } from './codeLens';

export class SecretsCodeActionProvider implements vscode.CodeActionProvider {
  static readonly kinds = [vscode.CodeActionKind.QuickFix];

  constructor(private readonly checker: ReferenceChecker) {}

  provideCodeActions(doc: vscode.TextDocument, _range: vscode.Range, ctx: vscode.CodeActionContext): vscode.CodeAction[] {
    // Plaintext tokens have their own fixes (./plaintext/actions.ts).
    const ours = ctx.diagnostics.filter((d) => d.source === DIAGNOSTIC_SOURCE && d.code !== 'plaintext-secret');
    if (!ours.length) return [];
    const result = this.checker.findingsFor(doc);
    const connection = result?.connection;
    const actions: vscode.CodeAction[] = [];
    const ignoredLines = new Set<number>();
    for (const d of ours) {
      const f = result?.findings.find((x) => x.ref.start === doc.offsetAt(d.range.start) && x.ref.end === doc.offsetAt(d.range.end));
      if (f) actions.push(...fixesFor(doc, f, d, connection));
      const line = d.range.start.line;
      if (!ignoredLines.has(line)) {
        ignoredLines.add(line);
        actions.push(ignoreLine(doc, line, ours));
      }
    }
    return actions;
  }
}

/** The fixes for one of our diagnostics, by its code. */
function fixesFor(doc: vscode.TextDocument, f: Finding, d: vscode.Diagnostic, connection: string | undefined): vscode.CodeAction[] {
  const out: vscode.CodeAction[] = [];
  if (d.code === 'secret-missing') out.push(createSecret(f, d, connection));
  if (d.code === 'key-missing') {
    const args = addKeyArgs(f, connection);
    if (args) {
      const add = new vscode.CodeAction(`Add key '${printable(String(args.key), 40)}' to secret '${printable(String(args.name))}'…`, vscode.CodeActionKind.QuickFix);
      add.command = { title: add.title, command: 'mlSecrets.updateSecret', arguments: [args] };
      add.diagnostics = [d];
      out.push(add);
    }
  }
  if (d.code === 'secret-missing' || d.code === 'key-missing') out.push(...didYouMean(doc, f, d));
  if (d.code === 'reference-malformed') out.push(...malformedFixes(doc, f.ref, d));
  if (d.code === 'secret-unverified') {
    const cmd = fixCommand(f.action, connection);
    if (cmd) {
      const a = new vscode.CodeAction(cmd.title, vscode.CodeActionKind.QuickFix);
      a.command = cmd;
      a.diagnostics = [d];
      out.push(a);
    }
  }
  return out;
}

function createSecret(f: Finding, d: vscode.Diagnostic, connection: string | undefined): vscode.CodeAction {
  const { key, refused } = keyOfReference(f);
  const create = new vscode.CodeAction(
    `Create secret '${printable(f.missingName ?? f.ref.name)}'${key !== undefined ? ` with key '${printable(key, 40)}'` : ''} in ${f.scopeLabel ?? 'the project'}…`,
    vscode.CodeActionKind.QuickFix,
  );
  if (refused) create.disabled = { reason: `${refused} Rename the key in this reference first.` };
  else {
    create.command = { title: create.title, command: 'mlSecrets.addSecret', arguments: [createArgs(f, connection)] };
    create.isPreferred = true;
  }
  create.diagnostics = [d];
  return create;
}

/** "Did you mean '…'?": near misses of the missing name (or key), replacing just that name. */
function didYouMean(doc: vscode.TextDocument, f: Finding, d: vscode.Diagnostic): vscode.CodeAction[] {
  const isKey = d.code === 'key-missing';
  const suggestions = f.candidates ? suggest((isKey ? f.ref.key : f.ref.name) ?? '', f.candidates()) : [];
  if (!suggestions.length) return [];
  const current = isKey ? f.ref.key : f.ref.name;
  const at = isKey ? (current ? f.ref.start + f.ref.text.lastIndexOf(current) : -1) : f.ref.nameStart;
  const range = current && at !== undefined && at >= 0 ? new vscode.Range(doc.positionAt(at), doc.positionAt(at + current.length)) : undefined;
  // The edit touches only the name, and only while the document still holds exactly that name
  // there (findings can lag an edit by a moment): never rewrite characters we didn't scan.
  if (!range || doc.getText(range) !== current || !d.range.contains(range)) return [];
  return suggestions.map((s) => {
    const fix = new vscode.CodeAction(`Did you mean '${printable(s)}'?`, vscode.CodeActionKind.QuickFix);
    fix.edit = new vscode.WorkspaceEdit();
    fix.edit.replace(doc.uri, range, s);
    fix.diagnostics = [d];
    return fix;
  });
}

function ignoreLine(doc: vscode.TextDocument, line: number, ours: readonly vscode.Diagnostic[]): vscode.CodeAction {
  const ignore = new vscode.CodeAction('Ignore secret references on this line', vscode.CodeActionKind.QuickFix);
  ignore.edit = new vscode.WorkspaceEdit();
  const text = doc.lineAt(line).text;
  ignore.edit.insert(doc.uri, new vscode.Position(line, text.trimEnd().length), ` ${IGNORE_MARKER}`);
  ignore.diagnostics = ours.filter((x) => x.range.start.line === line);
  return ignore;
}

/**
 * Fixes for a malformed reference where its syntax knows an obvious one (drop a volume's `:ro`,
 * make a mount path absolute); always a way to read the reference rules. Edits only text that is
 * still exactly what was scanned.
 */
function malformedFixes(doc: vscode.TextDocument, ref: SecretReference, d: vscode.Diagnostic): vscode.CodeAction[] {
  const out: vscode.CodeAction[] = [];
  const here = doc.getText(new vscode.Range(doc.positionAt(ref.start), doc.positionAt(ref.end)));
  if (here === ref.text) {
    for (const s of syntaxOf(ref)?.fixes?.(ref) ?? []) {
      const fix = new vscode.CodeAction(s.title, vscode.CodeActionKind.QuickFix);
      fix.edit = new vscode.WorkspaceEdit();
      fix.edit.replace(doc.uri, new vscode.Range(doc.positionAt(s.start), doc.positionAt(s.end)), s.newText);
      fix.diagnostics = [d];
      if (s.preferred) fix.isPreferred = true;
      out.push(fix);
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
