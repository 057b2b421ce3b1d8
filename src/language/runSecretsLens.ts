// Code lenses for a platform's run files that take no reference syntax (MosaicML's mcli run YAML:
// every secret reaches every run): which secrets the run receives, and a warning lens when its
// command reads a secret-looking env var nothing provides. What to show is the platform's
// `runFileLenses` hook (src/core/platforms/facts.ts); this file only picks the connection the way
// src/core/check/target.ts does (the folder's connection, else the only one of such a platform) and
// reads that connection's fetched list from the model. No list yet, signed out, or an error: no
// lens at all, never a warning. Lenses only, never diagnostics.

import * as vscode from 'vscode';
import { chooseTarget, ConnectionSummary } from '../core/check/target';
import type { PlatformFacts } from '../core/platforms/facts';
import { platformFacts } from '../core/platforms/registry';
import type { SecretInfo } from '../core/platforms/types';
import { SecretsModel } from '../model/secretsModel';
import { readSetting } from '../ui/settings';

const NO_SYNTAXES = new Set<never>();

export class RunSecretsLensProvider implements vscode.CodeLensProvider, vscode.Disposable {
  private readonly emitter = new vscode.EventEmitter<void>();
  readonly onDidChangeCodeLenses = this.emitter.event;
  private readonly subs: vscode.Disposable[];
  private timer: ReturnType<typeof setTimeout> | undefined;

  constructor(private readonly model: SecretsModel) {
    // A list arriving, a sign-in or a folder's connection changing: ask for the lenses again (once per burst).
    const soon = () => {
      if (this.timer) return;
      this.timer = setTimeout(() => {
        this.timer = undefined;
        this.emitter.fire();
      }, 150);
    };
    this.subs = [
      model.onDidChange(soon),
      vscode.workspace.onDidChangeConfiguration((e) => {
        if (e.affectsConfiguration('mlSecrets')) soon();
      }),
    ];
  }

  provideCodeLenses(doc: vscode.TextDocument): vscode.CodeLens[] {
    if (!isRunFileCandidate(doc) || !readSetting<boolean>('codeLens.enabled', doc.uri)) return [];
    const text = doc.getText();
    const maxKB = readSetting<number>('maxFileSizeKB', doc.uri) ?? 2048;
    if (text.length > Math.max(16, maxKB) * 1024) return [];
    const target = this.target(doc);
    if (!target) return [];
    const secrets = this.secretsOf(target.label);
    if (!secrets) return [];
    return target.facts.runFileLenses?.(text, secrets, target.label).map((l) => {
      const pos = doc.positionAt(l.offset);
      const range = new vscode.Range(pos.line, 0, pos.line, 0);
      const command = l.create ? 'mlSecrets.addSecret' : '';
      const args = l.create ? [{ connection: target.label, ...l.create, interactive: true }] : undefined;
      return new vscode.CodeLens(range, { title: l.title, tooltip: l.tooltip, command, arguments: args });
    }) ?? [];
  }

  /** The connection the file is checked against, when it is one of a platform with run-file lenses. */
  private target(doc: vscode.TextDocument): { label: string; facts: PlatformFacts } | undefined {
    const all: ConnectionSummary[] = this.model.connections().map((c) => ({ label: c.label, platform: c.platform, signedIn: this.model.connectionState(c.label).kind !== 'signedOut' }));
    const settingLabel = readSetting<string>('connection', doc.uri) || undefined;
    // A folder's connection decides; without one, only a connection of such a platform can apply.
    const pool = settingLabel ? all : all.filter((c) => hasRunFiles(c.platform));
    if (!pool.length) return undefined;
    const choice = chooseTarget(doc.uri.path, NO_SYNTAXES, settingLabel, pool);
    if (!('label' in choice) || !hasRunFiles(choice.platform)) return undefined;
    return { label: choice.label, facts: platformFacts(choice.platform) };
  }

  /** The connection's fetched list (asked for when not yet), or undefined while it isn't known. */
  private secretsOf(label: string): readonly SecretInfo[] | undefined {
    const st = this.model.connectionState(label);
    if (st.kind !== 'ready') return undefined;
    const scope = st.scopes.find((s) => s.isDefault) ?? st.scopes[0];
    if (!scope || st.scopes.length !== 1) return undefined;
    const ls = this.model.listState(label, scope.ref);
    if (!ls) void this.model.ensureList(label, scope.ref);
    return ls?.kind === 'ok' ? ls.secrets : undefined;
  }

  dispose(): void {
    if (this.timer) clearTimeout(this.timer);
    for (const d of this.subs) d.dispose();
    this.emitter.dispose();
  }
}

function hasRunFiles(platform: ConnectionSummary['platform']): boolean {
  try {
    return !!platformFacts(platform).runFileLenses;
  } catch {
    return false;
  }
}

/** A YAML file on disk (or unsaved) — the hook itself decides whether it is a run file. */
function isRunFileCandidate(doc: vscode.TextDocument): boolean {
  if (doc.uri.scheme !== 'file' && doc.uri.scheme !== 'untitled' && doc.uri.scheme !== 'vscode-remote') return false;
  return doc.languageId === 'yaml' || /\.ya?ml$/i.test(doc.uri.path);
}
