// Plaintext tokens in open files (issue 16): each document detection reads (./detection.ts) gets a
// `plaintext-secret` Warning on every token — never the token in the message — and a notebook's
// saved outputs get one on the cell that holds them (./notebookOutputs.ts). Re-runs on edit
// (debounced), on settings changes and when a notebook's outputs change.

import * as vscode from 'vscode';
import type { PlaintextFinding, PlaintextLanguage } from '../../core/plaintext/types';
import { readSetting } from '../../ui/settings';
import type { Log } from '../../ui/log';
import { DIAGNOSTIC_SOURCE } from '../fileCheck';
import { detection, PLAINTEXT_CODE, plaintextLanguageOfDocument } from './detection';
import { isIgnoredByGit } from './gitIgnored';
import { isPlaintextCandidate } from './launcher';
import { KeyedTimers } from '../keyedTimers';
import { OutputToken, outputTokens } from './notebookOutputs';
import { tokenMessage } from './messages';

const EDIT_DEBOUNCE_MS = 300;

export interface DocumentTokens {
  version: number;
  language: PlaintextLanguage;
  findings: PlaintextFinding[];
}

export class PlaintextChecker implements vscode.Disposable {
  readonly collection = vscode.languages.createDiagnosticCollection('mlSecrets.plaintext');
  private readonly docs = new Map<string, DocumentTokens>();
  private readonly sourceDiagnostics = new Map<string, vscode.Diagnostic[]>();
  /** Cell document → the tokens in that cell's saved outputs. */
  private readonly outputs = new Map<string, OutputToken[]>();
  private readonly timers = new KeyedTimers();
  private readonly subs: vscode.Disposable[];

  constructor(private readonly log: Log) {
    this.subs = [
      this.collection,
      vscode.workspace.onDidOpenTextDocument((d) => void this.check(d)),
      vscode.workspace.onDidChangeTextDocument((e) => {
        if (e.contentChanges.length) this.checkSoon(e.document);
      }),
      vscode.workspace.onDidCloseTextDocument((d) => this.forget(d.uri)),
      vscode.workspace.onDidOpenNotebookDocument((nb) => this.checkOutputs(nb)),
      vscode.workspace.onDidChangeNotebookDocument((e) => {
        if (e.cellChanges.some((c) => c.outputs !== undefined) || e.contentChanges.length) this.checkOutputs(e.notebook);
      }),
      vscode.workspace.onDidCloseNotebookDocument((nb) => {
        for (const c of nb.getCells()) this.forget(c.document.uri);
      }),
      vscode.workspace.onDidChangeConfiguration((e) => {
        if (e.affectsConfiguration('mlSecrets.plaintext')) this.checkAll();
      }),
    ];
    this.checkAll();
  }

  /** The tokens of a document as last detected (the quick fixes use them), if its text hasn't moved on. */
  tokensOf(doc: vscode.TextDocument): DocumentTokens | undefined {
    const t = this.docs.get(doc.uri.toString());
    return t && t.version === doc.version ? t : undefined;
  }

  /** The output token a diagnostic on a notebook cell stands for, if it is one. */
  outputTokenOf(uri: vscode.Uri, d: vscode.Diagnostic): OutputToken | undefined {
    return this.outputs.get(uri.toString())?.find((o) => o.range.isEqual(d.range) && o.message === d.message);
  }

  checkAll(): void {
    for (const d of vscode.workspace.textDocuments) void this.check(d);
    for (const nb of vscode.workspace.notebookDocuments) this.checkOutputs(nb);
  }

  private enabled(uri: vscode.Uri): boolean {
    return readSetting<boolean>('plaintext.enabled', uri) !== false;
  }

  private checkSoon(doc: vscode.TextDocument): void {
    this.timers.schedule(doc.uri.toString(), EDIT_DEBOUNCE_MS, () => void this.check(doc));
  }

  /** Detects a document's tokens now; resolves when its diagnostics are set (or it isn't one detection reads). */
  async check(doc: vscode.TextDocument): Promise<DocumentTokens | undefined> {
    const key = doc.uri.toString();
    const language = isPlaintextCandidate(doc) && this.enabled(doc.uri) ? plaintextLanguageOfDocument(doc) : undefined;
    if (!language) {
      this.sourceDiagnostics.delete(key);
      this.docs.delete(key);
      this.publish(doc.uri);
      return undefined;
    }
    const version = doc.version;
    try {
      const maxKB = readSetting<number>('maxFileSizeKB', doc.uri) ?? 2048;
      const findings = await detection().detectPlaintext(doc.getText(), language, { maxLength: Math.max(16, maxKB) * 1024 });
      // A newer edit's check owns the diagnostics now.
      if (doc.version !== version || doc.isClosed) return undefined;
      const ignored = doc.uri.scheme === 'file' && findings.length ? await isIgnoredByGit(doc.uri.fsPath) : false;
      if (doc.version !== version || doc.isClosed) return undefined;
      const tokens = { version, language, findings };
      this.docs.set(key, tokens);
      this.sourceDiagnostics.set(
        key,
        findings.map((f) => tokenDiagnostic(new vscode.Range(doc.positionAt(f.start), doc.positionAt(f.end)), f, ignored)),
      );
      this.publish(doc.uri);
      return tokens;
    } catch (e) {
      // Detection must never take the editor down with it; the log names the file, never its text.
      this.log.error(`Looking for plaintext tokens in ${doc.uri.fsPath} failed: ${e instanceof Error ? e.message : String(e)}`);
      return undefined;
    }
  }

  private checkOutputs(nb: vscode.NotebookDocument): void {
    const on = this.enabled(nb.uri);
    void outputTokens(nb, on)
      .then((byCell) => {
        for (const c of nb.getCells()) {
          const key = c.document.uri.toString();
          const found = byCell.get(key) ?? [];
          if (found.length) this.outputs.set(key, found);
          else this.outputs.delete(key);
          this.publish(c.document.uri);
        }
      })
      .catch((e: unknown) => this.log.error(`Looking for plaintext tokens in the outputs of ${nb.uri.fsPath} failed: ${e instanceof Error ? e.message : String(e)}`));
  }

  private publish(uri: vscode.Uri): void {
    const key = uri.toString();
    const all = [...(this.sourceDiagnostics.get(key) ?? []), ...(this.outputs.get(key) ?? []).map(outputDiagnostic)];
    if (all.length) this.collection.set(uri, all);
    else this.collection.delete(uri);
  }

  private forget(uri: vscode.Uri): void {
    const key = uri.toString();
    this.docs.delete(key);
    this.sourceDiagnostics.delete(key);
    this.outputs.delete(key);
    this.timers.cancel(key);
    this.collection.delete(uri);
  }

  dispose(): void {
    this.timers.dispose();
    for (const s of this.subs) s.dispose();
  }
}

function tokenDiagnostic(range: vscode.Range, f: PlaintextFinding, ignoredByGit: boolean): vscode.Diagnostic {
  return diagnostic(range, tokenMessage(f, ignoredByGit));
}

function outputDiagnostic(o: OutputToken): vscode.Diagnostic {
  return diagnostic(o.range, o.message);
}

function diagnostic(range: vscode.Range, message: string): vscode.Diagnostic {
  const d = new vscode.Diagnostic(range, message, vscode.DiagnosticSeverity.Warning);
  d.source = DIAGNOSTIC_SOURCE;
  d.code = PLAINTEXT_CODE;
  return d;
}
