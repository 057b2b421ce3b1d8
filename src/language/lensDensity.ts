// How many code lenses a job file gets (setting mlSecrets.codeLens.show): `all` (one per line that
// references secrets), `problems` (only lines that need something: missing, can't verify, …),
// `summary` (one per block: "6 secrets ✓", "2 of 6 missing"), or `auto` (the default): `all` in a
// file with at most AUTO_ALL_LINES lines of references, `problems` above (a sweep file). A block is found by indentation
// alone (any file language): a YAML document's job under `jobs:` (the second level), else its
// top-level key; a `---` starts a new document. Built from the checker's findings; never a value.

import * as vscode from 'vscode';
import { Finding } from '../core/check/checker';
import { printable } from '../core/text';
import { readSetting } from '../ui/settings';

export type LensMode = 'all' | 'problems' | 'summary';

/** Under `auto`, a file with more lines of references than this gets only the lenses that need something. */
export const AUTO_ALL_LINES = 50;

/** The mode for a file with `referenceLines` lines that reference secrets. */
export function lensMode(uri: vscode.Uri, referenceLines: number): LensMode {
  const v = readSetting<string>('codeLens.show', uri);
  if (v === 'all' || v === 'summary' || v === 'problems') return v;
  return referenceLines <= AUTO_ALL_LINES ? 'all' : 'problems';
}

/** A line's findings call for a lens under `problems`: something is wrong, or a resolved secret comes with a caveat. */
export function needsAttention(findings: readonly Finding[]): boolean {
  return findings.some((f) => f.status === 'problem' || (f.status === 'ok' && !!f.caution));
}

type LensCommandOf = (findings: Finding[], connection: string | undefined) => vscode.Command;

/** One lens per block, on its first line: the count of references and what's wrong; a click runs the first problem's fix. */
export function summaryLenses(doc: vscode.TextDocument, byLine: ReadonlyMap<number, Finding[]>, connection: string | undefined, commandOf: LensCommandOf): vscode.CodeLens[] {
  if (!byLine.size) return [];
  const blockOf = blockHeads(doc, Math.max(...byLine.keys()));
  const blocks = new Map<number, Finding[]>();
  for (const [line, fs] of byLine) {
    const head = blockOf[line] ?? line;
    blocks.set(head, [...(blocks.get(head) ?? []), ...fs]);
  }
  const lenses: vscode.CodeLens[] = [];
  for (const [head, fs] of [...blocks].sort(([a], [b]) => a - b)) lenses.push(new vscode.CodeLens(new vscode.Range(head, 0, head, 0), summaryCommand(fs, connection, commandOf)));
  return lenses;
}

function summaryCommand(fs: Finding[], connection: string | undefined, commandOf: LensCommandOf): vscode.Command {
  const total = fs.length;
  const noun = `secret${total === 1 ? '' : 's'}`;
  const missing = fs.filter((f) => f.code === 'secret-missing' || f.code === 'key-missing');
  const problems = fs.filter((f) => f.status === 'problem' || (f.status === 'ok' && f.caution));
  const tooltip = problems.slice(0, 12).map((f) => printable(f.message, 200)).join('\n') || undefined;
  if (problems.length) {
    const fix = commandOf(problems, connection);
    const what = missing.length ? `${missing.length} of ${total} missing` : `${problems.length} of ${total} ${noun} need attention`;
    return { title: `$(${missing.length || problems.some((f) => f.severity === 'error') ? 'error' : 'warning'}) ${what}${fix.command ? ` — ${fix.title.replace(/^\$\([^)]*\)\s*/, '').replace(/^.* — /, '')}` : ''}`, command: fix.command, arguments: fix.arguments, tooltip };
  }
  if (fs.some((f) => f.status === 'pending')) return { title: `$(sync~spin) Checking ${total} ${noun}…`, command: '' };
  const ok = fs.filter((f) => f.status === 'ok').length;
  if (!ok) return { title: `$(clock) ${total} ${noun} set at run time — not checked`, command: '' };
  return { title: `${ok} ${noun} ✓${ok < total ? ` (${total - ok} set at run time)` : ''}`, command: '', tooltip: fs.map((f) => printable(f.message, 200)).slice(0, 12).join('\n') };
}

/**
 * For each line up to `last`, the first line of its block: the second-level ancestor by indentation
 * (a job under `jobs:`) of a line below it, else the top-level one, else the document's first line. One pass.
 */
function blockHeads(doc: vscode.TextDocument, last: number): number[] {
  const heads: number[] = [];
  let stack: { indent: number; line: number }[] = [];
  let docStart = 0;
  for (let i = 0; i <= last && i < doc.lineCount; i++) {
    const text = doc.lineAt(i).text;
    if (/^(---|\.\.\.)(\s|$)/.test(text)) {
      stack = [];
      docStart = i + 1;
      heads[i] = docStart;
      continue;
    }
    const trimmed = text.trimStart();
    const indent = text.length - trimmed.length;
    if (trimmed && !trimmed.startsWith('#')) {
      while (stack.length && stack[stack.length - 1].indent >= indent) stack.pop();
      stack.push({ indent, line: i });
    }
    // A line that is itself at the second level (`  A: secret:x` under `env:`) belongs to its top-level key.
    heads[i] = stack.length >= 3 ? stack[1].line : (stack[0]?.line ?? docStart);
  }
  return heads;
}
