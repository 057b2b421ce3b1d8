// Hover on a reference: what it resolves to, where, and how fresh the answer is, and actions
// (Create, Copy reference, Reveal in tree, Refresh). Names, scopes and dates only — never a value.
// Text from files and servers goes in as escaped text; the markdown trusts only our own commands
// (./hoverActions.ts), whose arguments are built from the connection and checked names.

import * as vscode from 'vscode';
import { printable } from '../core/text';
import { ReferenceChecker } from './referenceChecker';
import { appendActions, HOVER_COMMANDS } from './hoverActions';

export class SecretsHoverProvider implements vscode.HoverProvider {
  constructor(private readonly checker: ReferenceChecker) {}

  provideHover(doc: vscode.TextDocument, pos: vscode.Position, token?: vscode.CancellationToken): vscode.Hover | undefined {
    if (token?.isCancellationRequested) return undefined;
    const result = this.checker.findingsFor(doc);
    if (!result) return undefined;
    const offset = doc.offsetAt(pos);
    const f = result.findings.find((x) => x.ref.start <= offset && offset <= x.ref.end);
    if (!f) return undefined;
    const md = new vscode.MarkdownString(undefined, false);
    md.isTrusted = { enabledCommands: [...HOVER_COMMANDS] };
    md.supportHtml = false;
    // Before any text goes in: appendText then escapes `$(icon)` in names too.
    md.supportThemeIcons = true;
    md.appendMarkdown('**ML Secrets** — ');
    md.appendText(`secret ${f.ref.name ? printable(f.ref.name) : '(no name)'}${f.ref.key ? `, key ${printable(f.ref.key)}` : ''}`);
    // A problem's sentence is already in the diagnostic that VS Code shows in the same hover: say
    // it once. What the hover adds is the status of the rest, and which connection and why.
    if (f.status !== 'problem') {
      md.appendMarkdown('\n\n');
      md.appendText(f.status === 'ok' ? `${f.caution ? '⚠' : '✓'} ${f.message}` : f.message);
      if (f.caution) {
        md.appendMarkdown('\n\n');
        md.appendText(f.caution.detail);
      }
    }
    if (result.connection) {
      md.appendMarkdown('\n\n');
      md.appendText(`Connection: ${result.connection}`);
      if (result.connectionWhy) {
        // Escaped markdown rather than appendText (whose &nbsp; makes a long line break mid-word).
        md.appendMarkdown(` — ${escapeMarkdown(result.connectionWhy)}`);
      }
    }
    if (f.secret?.createdAt) {
      md.appendMarkdown('\n\n');
      md.appendText(`Created: ${f.secret.createdAt}`);
    }
    appendActions(md, f, result.connection);
    return new vscode.Hover(md, new vscode.Range(doc.positionAt(f.ref.start), doc.positionAt(f.ref.end)));
  }
}

/** Text shown as itself in markdown: every character markdown could read as syntax is escaped. */
function escapeMarkdown(text: string): string {
  return printable(text, 400).replace(/[\\`*_{}[\]()#+\-.!|<>~&:]/g, (c) => `\\${c}`);
}
