// Diagnostics for job files: scan (cached per document version) → pick the connection → check
// against the model's cached lists → diagnostics. Re-runs on edit (debounced), on settings changes,
// and whenever the model changes (refresh, sign-in/out, add/delete, a list arriving).

import * as vscode from 'vscode';
import { Finding } from '../core/check/checker';
import { ScanResult } from '../core/references/reference';
import { diffChange, YamlScanState } from '../core/references/incremental';
import { languageScanner } from '../core/references/syntaxes';
import { SecretsModel } from '../model/secretsModel';
import { Log } from '../ui/log';
import { readSetting } from '../ui/settings';
import { diagnosticsOf, findingsOf, languageOfDocument } from './fileCheck';
import { KeyedTimers } from './keyedTimers';

export { DIAGNOSTIC_SOURCE } from './fileCheck';
const EDIT_DEBOUNCE_MS = 250;
/** How long a document must sit still before its item spans are built (see prepareWhenIdle). */
const PREPARE_IDLE_MS = 600;

export interface DocumentFindings {
  version: number;
  findings: Finding[];
  connection?: string;
  /** Why this connection (the folder's setting, the only one of its platform, …), for hovers and lenses. */
  connectionWhy?: string;
  skipped?: 'tooLarge';
  /** More references than MAX_REFERENCES: only the first were checked. */
  truncated?: boolean;
}

export class ReferenceChecker implements vscode.Disposable {
  readonly collection = vscode.languages.createDiagnosticCollection('mlSecrets');
  private readonly scans = new Map<string, { version: number; result: ScanResult; state?: YamlScanState }>();
  private readonly results = new Map<string, DocumentFindings>();
  private readonly timers = new KeyedTimers();
  private allTimer: ReturnType<typeof setTimeout> | undefined;
  private readonly emitter = new vscode.EventEmitter<vscode.Uri | undefined>();
  /** Fires after a document's findings changed (code lenses listen). */
  readonly onDidUpdate = this.emitter.event;
  private readonly disposables: vscode.Disposable[] = [this.collection, this.emitter];

  constructor(private readonly model: SecretsModel, private readonly log: Log) {
    this.disposables.push(
      vscode.workspace.onDidOpenTextDocument((d) => this.check(d)),
      vscode.workspace.onDidChangeTextDocument((e) => {
        if (e.contentChanges.length) this.checkSoon(e.document);
      }),
      vscode.workspace.onDidCloseTextDocument((d) => this.forget(d.uri)),
      vscode.workspace.onDidChangeConfiguration((e) => {
        if (e.affectsConfiguration('mlSecrets')) {
          if (e.affectsConfiguration('mlSecrets.maxFileSizeKB')) this.scans.clear();
          this.checkAllSoon(0);
        }
      }),
      vscode.workspace.onDidGrantWorkspaceTrust(() => this.checkAllSoon(0)),
      model.onDidChange(() => this.checkAllSoon(50)),
    );
    this.checkAllSoon(0);
  }

  /** Findings of a document, brought up to date first (lenses, hovers and quick fixes use them). */
  findingsFor(doc: vscode.TextDocument): DocumentFindings | undefined {
    const r = this.results.get(doc.uri.toString());
    if (!r || r.version !== doc.version) return this.check(doc);
    return r;
  }

  isJobFile(doc: vscode.TextDocument): boolean {
    if (doc.uri.scheme !== 'file' && doc.uri.scheme !== 'untitled' && doc.uri.scheme !== 'vscode-remote') return false;
    if (languageOfDocument(doc) !== 'yaml') return true;
    const yamlish = doc.languageId === 'yaml' || /\.ya?ml$/i.test(doc.uri.path);
    if (!yamlish) return false;
    const globs = readSetting<string[]>('jobFiles', doc.uri) ?? ['**/*.yaml', '**/*.yml'];
    if (doc.uri.scheme === 'untitled') return true;
    return globs.some((g) => vscode.languages.match({ pattern: g }, doc) > 0);
  }

  private checkSoon(doc: vscode.TextDocument): void {
    this.timers.schedule(doc.uri.toString(), EDIT_DEBOUNCE_MS, () => this.check(doc));
  }

  checkAllSoon(delay: number): void {
    if (this.allTimer) clearTimeout(this.allTimer);
    this.allTimer = setTimeout(() => {
      this.allTimer = undefined;
      for (const d of vscode.workspace.textDocuments) this.check(d);
    }, delay);
  }

  private forget(uri: vscode.Uri): void {
    const key = uri.toString();
    this.scans.delete(key);
    this.results.delete(key);
    this.collection.delete(uri);
    this.timers.cancel(key);
  }

  check(doc: vscode.TextDocument): DocumentFindings | undefined {
    const key = doc.uri.toString();
    if (!this.isJobFile(doc)) {
      if (this.results.has(key)) this.forget(doc.uri);
      return undefined;
    }
    try {
      const result = this.compute(doc);
      const before = this.results.get(key);
      this.results.set(key, result);
      // Re-checks after every list refresh mostly change nothing: only tell lenses and the
      // Problems panel when something they show did change (or the text moved under them).
      if (!before || before.version !== result.version || signature(before) !== signature(result)) {
        this.collection.set(doc.uri, this.toDiagnostics(doc, result));
        this.emitter.fire(doc.uri);
      }
      return result;
    } catch (e) {
      // A checker bug must never take the editor down with it.
      this.log.error(`Checking ${doc.uri.fsPath} failed: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}`);
      return undefined;
    }
  }

  private scan(doc: vscode.TextDocument): ScanResult {
    const key = doc.uri.toString();
    const cached = this.scans.get(key);
    if (cached && cached.version === doc.version) return cached.result;
    const maxKB = readSetting<number>('maxFileSizeKB', doc.uri) ?? 2048;
    const opts = { maxLength: Math.max(16, maxKB) * 1024, deferSpans: true };
    const text = doc.getText();
    // A file language with its own scanners (Python, shell, Makefiles) is scanned whole, every time.
    const own = languageScanner(languageOfDocument(doc));
    if (own) {
      const result = own(text, opts);
      this.scans.set(key, { version: doc.version, result });
      return result;
    }
    // After an edit only the YAML item around it is parsed again (exact, or a full scan).
    const prev = cached?.state;
    const state = prev && prev.text.length <= opts.maxLength ? prev.apply(text, [diffChange(prev.text, text)]) : YamlScanState.full(text, opts);
    this.scans.set(key, { version: doc.version, result: state.result, state });
    if (state.needsPreparation) this.prepareWhenIdle(key, state);
    return state.result;
  }

  private readonly prepTimers = new KeyedTimers();

  /**
   * The parse that lets later edits re-scan one item costs a few full scans: it runs once the user
   * pauses, never inside a keystroke, and only if the document hasn't moved on meanwhile.
   */
  private prepareWhenIdle(key: string, state: YamlScanState): void {
    this.prepTimers.schedule(key, PREPARE_IDLE_MS, () => {
      if (this.scans.get(key)?.state !== state) return;
      try {
        state.prepare();
      } catch {
        /* a full scan on the next edit, as before */
      }
    });
  }

  private compute(doc: vscode.TextDocument): DocumentFindings {
    return findingsOf(this.model, doc.uri, this.scan(doc), doc.version);
  }

  private toDiagnostics(doc: vscode.TextDocument, r: DocumentFindings): vscode.Diagnostic[] {
    return diagnosticsOf(doc.uri, r, { positionAt: (o) => doc.positionAt(o), firstLineLength: doc.lineAt(0).text.length });
  }

  dispose(): void {
    this.timers.dispose();
    this.prepTimers.dispose();
    if (this.allTimer) clearTimeout(this.allTimer);
    for (const d of this.disposables) d.dispose();
  }
}

/** What a document's findings show (status, place, wording, the secret's date), for change detection. */
function signature(r: DocumentFindings): string {
  let out = `${r.connection ?? ''}|${r.connectionWhy ?? ''}|${r.skipped ?? ''}|${r.truncated ? 'truncated' : ''}`;
  for (const f of r.findings) {
    out += `\n${f.status}|${f.code ?? ''}|${f.severity ?? ''}|${f.ref.start}|${f.ref.end}|${f.message}|${f.scopeId ?? ''}|${f.missingName ?? ''}|${f.action ? JSON.stringify(f.action) : ''}|${f.secret ? JSON.stringify(f.secret) : ''}`;
  }
  return out;
}
