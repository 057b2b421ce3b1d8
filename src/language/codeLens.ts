// One code lens per line that references secrets: "✓ exists in org/project", "Missing — Create…",
// "Can't verify — Sign in…". Built from the checker's findings; never shows a value.

import * as vscode from 'vscode';
import { Finding } from '../core/check/checker';
import { printable } from '../core/platforms/apolo/names';
import { ReferenceChecker } from './referenceChecker';
import { readSetting } from '../ui/settings';
import { fixCommand, scopeArgs } from './fixCommands';
import { inScope } from '../core/platforms/scopeLabels';

export class SecretsCodeLensProvider implements vscode.CodeLensProvider, vscode.Disposable {
  private readonly emitter = new vscode.EventEmitter<void>();
  readonly onDidChangeCodeLenses = this.emitter.event;
  private readonly sub: vscode.Disposable;
  private timer: ReturnType<typeof setTimeout> | undefined;

  constructor(private readonly checker: ReferenceChecker) {
    // Checks come in bursts (every open file after each list arrives): tell VS Code once per burst,
    // so its own re-request of the lenses isn't postponed again and again.
    this.sub = checker.onDidUpdate(() => {
      if (this.timer) return;
      this.timer = setTimeout(() => {
        this.timer = undefined;
        this.emitter.fire();
      }, 100);
    });
  }

  provideCodeLenses(doc: vscode.TextDocument): vscode.CodeLens[] {
    if (!readSetting<boolean>('codeLens.enabled', doc.uri)) return [];
    const result = this.checker.findingsFor(doc);
    if (!result) return [];
    const byLine = new Map<number, Finding[]>();
    for (const f of result.findings) {
      if (f.status === 'skipped') continue;
      const line = doc.positionAt(f.ref.start).line;
      const list = byLine.get(line) ?? [];
      list.push(f);
      byLine.set(line, list);
    }
    const lenses: vscode.CodeLens[] = [];
    for (const [line, findings] of byLine) {
      const range = new vscode.Range(line, 0, line, 0);
      lenses.push(new vscode.CodeLens(range, lensCommand(findings, result.connection)));
    }
    return lenses;
  }

  dispose(): void {
    if (this.timer) clearTimeout(this.timer);
    this.sub.dispose();
    this.emitter.dispose();
  }
}

function names(fs: Finding[]): string {
  // On platforms with keys, an existing secret's reference names its key too: `aws.key_id`.
  const n = [...new Set(fs.map((f) => printable(f.status === 'ok' && f.ref.key && f.secret?.keys ? `${f.ref.name}.${f.ref.key}` : (f.missingName ?? f.ref.name), 60)))];
  return n.length > 2 ? `${n.slice(0, 2).join(', ')} +${n.length - 2}` : n.join(', ');
}

function lensCommand(findings: Finding[], connection: string | undefined): vscode.Command {
  const missing = findings.filter((f) => f.code === 'secret-missing');
  if (missing.length) {
    const first = missing[0];
    return {
      title: `$(error) Missing: ${names(missing)} — Create…`,
      command: 'mlSecrets.addSecret',
      arguments: [{ connection, name: first.missingName ?? first.ref.name, ...scopeArgs(first.scopeId), interactive: true }],
      tooltip: first.message,
    };
  }
  const keyMissing = findings.filter((f) => f.code === 'key-missing');
  if (keyMissing.length) return { title: `$(error) ${keyMissing[0].message}`, command: '', tooltip: keyMissing[0].message };
  const malformed = findings.filter((f) => f.code === 'reference-malformed');
  if (malformed.length) return { title: `$(error) Malformed reference: ${printable(malformed[0].message, 80)}`, command: '', tooltip: malformed[0].message };
  const inaccessible = findings.filter((f) => f.code === 'secret-inaccessible');
  if (inaccessible.length) return { title: `$(lock) ${names(inaccessible)} exists but you can't read it`, command: '', tooltip: inaccessible[0].message };
  const unverified = findings.filter((f) => f.code === 'secret-unverified');
  if (unverified.length) {
    const u = unverified[0];
    const fix = fixCommand(u.action, connection);
    return { title: `$(question) Can't verify ${names(unverified)}${fix ? ` — ${fix.title}` : ''}`, command: fix?.command ?? '', arguments: fix?.arguments, tooltip: u.message };
  }
  const pending = findings.filter((f) => f.status === 'pending');
  if (pending.length) return { title: `$(sync~spin) Checking ${names(pending)}…`, command: '' };
  const ok = findings.filter((f) => f.status === 'ok');
  // A secret that isn't present everywhere (Flyte: missing on a cluster) gets a ⚠, as in the tree.
  const caution = ok.find((f) => f.caution);
  if (caution?.caution) return { title: `$(warning) ${printable(caution.ref.name, 60)} ${caution.caution.short}`, command: '', tooltip: `${caution.message}\n${caution.caution.detail}` };
  const where = ok[0]?.scopeLabel ?? '';
  const what = ok.length === 1 ? `${names(ok)} exists` : `${names(ok)} exist`;
  return { title: `✓ ${what}${where ? ` ${inScope(where)}` : ''}`, command: '', tooltip: ok.map((f) => f.message).join('\n') };
}
