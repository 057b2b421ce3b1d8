// One code lens per line that references secrets: "✓ exists in org/project", "Missing — Create…",
// "Can't verify — Sign in…" — all of them, only the problems, or one per block (./lensDensity.ts,
// setting mlSecrets.codeLens.show). Built from the checker's findings; never shows a value.

import * as vscode from 'vscode';
import { Finding } from '../core/check/checker';
import { printable } from '../core/text';
import { ReferenceChecker } from './referenceChecker';
import { readSetting } from '../ui/settings';
import { fixCommand, scopeArgs } from './fixCommands';
import { syntaxOf } from '../core/references/syntaxes';
import { inScope } from '../core/platforms/scopeLabels';
import { lensMode, needsAttention, summaryLenses } from './lensDensity';

/** How long after a change the lenses of a visible job file must have been asked for, else we ask again. */
const NUDGE_DELAYS_MS = [800, 2000, 5000];

export class SecretsCodeLensProvider implements vscode.CodeLensProvider, vscode.Disposable {
  private readonly emitter = new vscode.EventEmitter<void>();
  readonly onDidChangeCodeLenses = this.emitter.event;
  private readonly subs: vscode.Disposable[];
  private timer: ReturnType<typeof setTimeout> | undefined;
  /**
   * Why the watchdog below exists: VS Code's code-lens controller asks for lenses after a debounce
   * (≥ 250 ms) when an editor gets its model and after each onDidChangeCodeLenses, and it CANCELS
   * that pending request when the editor text loses focus (onDidBlurEditorText); only refocusing the
   * editor, an edit, or another onDidChangeCodeLenses schedules it again. A file opened while focus
   * moves on (the Problems panel taking it back, a quick pick closing…) was checked — diagnostics
   * shown — but its lenses were never asked for. So: every change (a check, an editor becoming
   * visible) is stamped; provideCodeLenses records the stamp it served; a visible job file whose
   * lenses weren't asked for since its last change gets onDidChangeCodeLenses again, a few times.
   */
  private stamp = 0;
  private readonly changed = new Map<string, number>();
  private readonly served = new Map<string, number>();
  private nudgeTimer: ReturnType<typeof setTimeout> | undefined;
  private nudgeAttempt = 0;

  constructor(private readonly checker: ReferenceChecker) {
    // Checks come in bursts (every open file after each list arrives): tell VS Code once per burst,
    // so its own re-request of the lenses isn't postponed again and again.
    this.subs = [
      checker.onDidUpdate((uri) => {
        this.markChanged(uri ? [uri.toString()] : vscode.window.visibleTextEditors.map((e) => e.document.uri.toString()));
        if (this.timer) return;
        this.timer = setTimeout(() => {
          this.timer = undefined;
          this.emitter.fire();
        }, 100);
      }),
      vscode.window.onDidChangeVisibleTextEditors((editors) => {
        // A newly shown editor must be asked for its lenses: if it already was, nothing happens.
        const fresh = editors.map((e) => e.document.uri.toString()).filter((k) => !this.served.has(k));
        if (fresh.length) this.markChanged(fresh);
      }),
      vscode.workspace.onDidChangeConfiguration((e) => e.affectsConfiguration('mlSecrets.codeLens') && this.emitter.fire()),
      vscode.workspace.onDidCloseTextDocument((d) => {
        this.changed.delete(d.uri.toString());
        this.served.delete(d.uri.toString());
      }),
    ];
  }

  private markChanged(keys: readonly string[]): void {
    this.stamp++;
    for (const k of keys) this.changed.set(k, this.stamp);
    this.nudgeAttempt = 0;
    this.armNudge();
  }

  private armNudge(): void {
    if (this.nudgeTimer) clearTimeout(this.nudgeTimer);
    const delay = NUDGE_DELAYS_MS[this.nudgeAttempt];
    if (delay === undefined) return;
    this.nudgeTimer = setTimeout(() => {
      this.nudgeTimer = undefined;
      if (!this.unserved().length) return;
      this.nudgeAttempt++;
      this.emitter.fire();
      this.armNudge();
    }, delay);
  }

  /** Visible job files whose lenses VS Code hasn't asked for since they last changed. */
  unserved(): string[] {
    const out: string[] = [];
    for (const e of vscode.window.visibleTextEditors) {
      const k = e.document.uri.toString();
      const c = this.changed.get(k);
      if (c === undefined || (this.served.get(k) ?? -1) >= c) continue;
      if (this.checker.isJobFile(e.document)) out.push(k);
    }
    return out;
  }

  provideCodeLenses(doc: vscode.TextDocument, token?: vscode.CancellationToken): vscode.CodeLens[] {
    const served = () => {
      // What VS Code gets now reflects every change stamped so far (findingsFor brought the check up to date).
      if (!token?.isCancellationRequested) this.served.set(doc.uri.toString(), this.stamp);
    };
    if (!readSetting<boolean>('codeLens.enabled', doc.uri)) {
      served();
      return [];
    }
    const result = this.checker.findingsFor(doc);
    served();
    if (!result) return [];
    const byLine = new Map<number, Finding[]>();
    for (const f of result.findings) {
      // A name set at run time (an expression) gets a lens that says so; checking off gets none.
      if (f.status === 'skipped' && !f.runTime) continue;
      const line = doc.positionAt(f.ref.start).line;
      const list = byLine.get(line) ?? [];
      list.push(f);
      byLine.set(line, list);
    }
    const mode = lensMode(doc.uri, byLine.size);
    if (mode === 'summary') return summaryLenses(doc, byLine, result.connection, lensCommand);
    const lenses: vscode.CodeLens[] = [];
    for (const [line, findings] of byLine) {
      if (mode === 'problems' && !needsAttention(findings)) continue;
      const range = new vscode.Range(line, 0, line, 0);
      lenses.push(new vscode.CodeLens(range, lensCommand(findings, result.connection)));
    }
    return lenses;
  }

  dispose(): void {
    if (this.timer) clearTimeout(this.timer);
    if (this.nudgeTimer) clearTimeout(this.nudgeTimer);
    for (const d of this.subs) d.dispose();
    this.emitter.dispose();
  }
}

function names(fs: Finding[]): string {
  // On platforms with keys, an existing secret's reference names its key too: `aws.key_id`.
  const n = [...new Set(fs.map((f) => printable(f.status === 'ok' && f.ref.key && f.secret?.keys ? `${f.ref.name}.${f.ref.key}` : (f.missingName ?? f.ref.name), 60)))];
  return n.length > 2 ? `${n.slice(0, 2).join(', ')} +${n.length - 2}` : n.join(', ');
}

/**
 * The key a missing secret must hold for this reference (`{{name.key}}`, `<<name.key>>` on ZenML), and
 * why it can't be created when its syntax's key rule refuses it. Only a syntax of one platform's own
 * (ZenML's `{{…}}`) has a key rule; `<<name.key>>` may be a dotted name on a platform without keys,
 * so its key is only a prefill hint.
 */
export function keyOfReference(f: Finding): { key?: string; refused?: string } {
  const key = f.ref.key;
  if (key === undefined) return {};
  const rule = syntaxOf(f.ref)?.validateKey;
  return rule ? { key, refused: rule(key) } : { key };
}

/** The argument object of "Create…": the referenced name, scope and key are filled in. */
export function createArgs(f: Finding, connection: string | undefined): Record<string, unknown> {
  const { key } = keyOfReference(f);
  return { connection, name: f.missingName ?? f.ref.name, ...scopeArgs(f.scopeId), ...(key !== undefined ? { key } : {}), interactive: true };
}

/** The argument object of "Add key…" for a key-missing finding (ZenML): the secret and the key. */
export function addKeyArgs(f: Finding, connection: string | undefined): Record<string, unknown> | undefined {
  const { key, refused } = keyOfReference(f);
  if (key === undefined || refused || !f.secret) return undefined;
  return { connection, name: f.secret.name, ...scopeArgs(f.scopeId), key, interactive: true };
}

function lensCommand(findings: Finding[], connection: string | undefined): vscode.Command {
  const missing = findings.filter((f) => f.code === 'secret-missing');
  if (missing.length) {
    const first = missing[0];
    const { key, refused } = keyOfReference(first);
    if (refused) {
      // A secret can't hold this key (ZenML reserves it): no "Create…" that would end in a refusal.
      return {
        title: `$(error) Missing: ${names(missing)} — can't be created with key '${printable(key ?? '', 40)}': ${refused}`,
        command: '',
        tooltip: `${first.message}\n${refused} Rename the key in this reference, then create the secret.`,
      };
    }
    return {
      title: `$(error) Missing: ${names(missing)} — Create…`,
      command: 'mlSecrets.addSecret',
      arguments: [createArgs(first, connection)],
      tooltip: first.message,
    };
  }
  const keyMissing = findings.filter((f) => f.code === 'key-missing');
  if (keyMissing.length) {
    const first = keyMissing[0];
    const args = addKeyArgs(first, connection);
    const { key, refused } = keyOfReference(first);
    if (args) return { title: `$(error) ${first.message} — Add key '${printable(key ?? '', 40)}'…`, command: 'mlSecrets.updateSecret', arguments: [args], tooltip: first.message };
    return { title: `$(error) ${first.message}${refused ? ` — ${refused}` : ''}`, command: '', tooltip: first.message };
  }
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
  if (!ok.length) return { title: '$(clock) secret name set at run time — not checked', command: '', tooltip: findings.find((f) => f.runTime)?.message };
  // A secret that isn't present everywhere (Flyte: missing on a cluster) gets a ⚠, as in the tree.
  const caution = ok.find((f) => f.caution);
  if (caution?.caution) return { title: `$(warning) ${printable(caution.ref.name, 60)} ${caution.caution.short}`, command: '', tooltip: `${caution.message}\n${caution.caution.detail}` };
  const where = ok[0]?.scopeLabel ?? '';
  const what = ok.length === 1 ? `${names(ok)} exists` : `${names(ok)} exist`;
  return { title: `✓ ${what}${where ? ` ${inScope(where)}` : ''}`, command: '', tooltip: ok.map((f) => f.message).join('\n') };
}
