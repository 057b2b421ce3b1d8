// Problems for job files that aren't open (setting mlSecrets.workspaceCheck): the workspace
// reference index (./referenceIndex.ts) finds and watches the files, and each is checked by the
// same pipeline as an open file (./fileCheck.ts), against the model's cached lists. An open file's
// diagnostics belong to ./referenceChecker.ts; when it closes, this check takes it back. Files are
// checked in batches, yielding between them, and re-checked when they change on disk, when a list
// changes and when settings change. It also gathers the "Missing" group of the Secrets view.

import * as vscode from 'vscode';
import { ScanResult } from '../core/references/reference';
import { languageOfPath } from '../core/references/syntaxes';
import { SecretsModel } from '../model/secretsModel';
import { Log } from '../ui/log';
import { readSetting } from '../ui/settings';
import { diagnosticsOf, findingsOf, positionsOf, scanText, TextPositions } from './fileCheck';
import { FileFindings, MissingSecret, missingSecrets } from './missingSecrets';
import type { ReferenceChecker } from './referenceChecker';
import type { WorkspaceReferenceIndex } from './referenceIndex';
import { usedSecrets } from '../tree/unused';

/** "auto" checks a workspace of at most this many job files. */
export const AUTO_MAX_FILES = 3000;
const BATCH = 25;
const DEBOUNCE_MS = 300;

interface Scanned {
  scan: ScanResult;
  positions: TextPositions;
}

export class WorkspaceChecker implements vscode.Disposable {
  readonly collection = vscode.languages.createDiagnosticCollection('mlSecrets.workspace');
  private readonly scans = new Map<string, Scanned | undefined>();
  /** Bumped when a file changes on disk: a read that started before the change doesn't overwrite the newer check. */
  private readonly versions = new Map<string, number>();
  private readonly results = new Map<string, FileFindings>();
  private generation = 0;
  /** How many job files the last full pass saw ("auto" decides by it). */
  private count = 0;
  private timer: ReturnType<typeof setTimeout> | undefined;
  private missingTimer: ReturnType<typeof setTimeout> | undefined;
  private missingCache: Map<string, MissingSecret[]> | undefined;
  private usedCache: Set<string> | undefined;
  /** A whole pass has checked every job file (the "unused" mark waits for it). */
  private passDone = false;
  private readonly emitter = new vscode.EventEmitter<void>();
  /** The missing secrets changed (the Secrets view listens). */
  readonly onDidChangeMissing = this.emitter.event;
  private readonly disposables: vscode.Disposable[] = [this.collection, this.emitter];

  constructor(
    private readonly model: SecretsModel,
    private readonly checker: ReferenceChecker,
    private readonly index: WorkspaceReferenceIndex,
    private readonly log: Log,
  ) {
    this.disposables.push(
      index.onDidChangeFile((uri) => {
        this.scans.delete(uri.toString());
        this.versions.set(uri.toString(), (this.versions.get(uri.toString()) ?? 0) + 1);
        void this.checkFiles([uri], this.generation);
      }),
      vscode.workspace.onDidOpenTextDocument((d) => this.release(d.uri)),
      vscode.workspace.onDidCloseTextDocument((d) => {
        this.scans.delete(d.uri.toString());
        void this.checkFiles([d.uri], this.generation);
      }),
      vscode.workspace.onDidChangeConfiguration((e) => {
        if (!e.affectsConfiguration('mlSecrets')) return;
        if (e.affectsConfiguration('mlSecrets.maxFileSizeKB')) this.scans.clear();
        this.checkAllSoon(0);
      }),
      vscode.workspace.onDidGrantWorkspaceTrust(() => this.checkAllSoon(0)),
      model.onDidChange(() => this.checkAllSoon(DEBOUNCE_MS)),
      checker.onDidUpdate(() => this.missingChangedSoon()),
    );
    this.checkAllSoon(DEBOUNCE_MS);
  }

  /** Missing secrets of open and unopened job files, by connection. */
  missing(): Map<string, MissingSecret[]> {
    return (this.missingCache ??= missingSecrets(this.allFindings()));
  }

  /** The names the workspace's job files reference (src/tree/unused.ts); undefined until a whole pass has run. */
  used(): ReadonlySet<string> | undefined {
    if (!this.passDone || !this.enabled()) return undefined;
    return (this.usedCache ??= usedSecrets(this.allFindings()));
  }

  /** The findings of unopened and open job files. */
  private allFindings(): FileFindings[] {
    const files: FileFindings[] = [...this.results.values()];
    for (const d of vscode.workspace.textDocuments) {
      if (!this.checker.isJobFile(d)) continue;
      const r = this.checker.findingsFor(d);
      if (r) files.push({ file: d.uri.toString(), connection: r.connection, findings: r.findings, at: (o) => d.positionAt(o) });
    }
    return files;
  }

  checkAllSoon(delay: number): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = setTimeout(() => {
      this.timer = undefined;
      void this.checkAll();
    }, delay);
  }

  private async checkAll(): Promise<void> {
    const generation = ++this.generation;
    this.index.keepTexts = readSetting<string>('workspaceCheck') !== 'off';
    const files = readSetting<string>('workspaceCheck') === 'off' ? [] : await this.index.files();
    if (generation !== this.generation) return;
    this.count = files.length;
    if (!files.length || !this.enabled()) {
      this.collection.clear();
      this.results.clear();
      this.scans.clear();
      this.index.dropTexts();
      this.passDone = this.enabled();
      this.missingChangedSoon();
      return;
    }
    const present = new Set(files.map((u) => u.toString()));
    for (const key of [...this.results.keys()]) if (!present.has(key)) this.release(vscode.Uri.parse(key));
    await this.checkFiles(files, generation);
    if (generation === this.generation) {
      this.index.dropTexts();
      this.passDone = true;
      this.missingChangedSoon();
    }
  }

  private enabled(): boolean {
    const mode = readSetting<string>('workspaceCheck') ?? 'auto';
    return mode === 'on' || (mode !== 'off' && this.count <= AUTO_MAX_FILES);
  }

  /** Checks files in batches, yielding to the editor between them; stops when a newer pass started. */
  private async checkFiles(files: readonly vscode.Uri[], generation: number): Promise<void> {
    if (!this.enabled()) return;
    for (let i = 0; i < files.length; i += BATCH) {
      if (i) await new Promise((r) => setTimeout(r, 0));
      if (generation !== this.generation) return;
      for (const uri of files.slice(i, i + BATCH)) await this.checkFile(uri);
    }
  }

  private async checkFile(uri: vscode.Uri): Promise<void> {
    const key = uri.toString();
    try {
      if (isOpen(uri) || !isJobPath(uri)) return this.release(uri);
      let s = this.scans.get(key);
      if (!this.scans.has(key)) {
        const version = this.versions.get(key);
        const text = await this.index.read(uri);
        if (this.versions.get(key) !== version) return; // changed meanwhile: the newer check has it
        s = text === undefined ? undefined : { scan: scanText(text, languageOfPath(uri.path) ?? 'yaml', readSetting<number>('maxFileSizeKB', uri) ?? 2048), positions: positionsOf(text) };
        this.scans.set(key, s);
        if (isOpen(uri)) return this.release(uri);
      }
      if (!s) return this.release(uri);
      const r = findingsOf(this.model, uri, s.scan, 0);
      this.results.set(key, { file: key, connection: r.connection, findings: r.findings, at: (o) => s.positions.positionAt(o) });
      this.collection.set(uri, diagnosticsOf(uri, r, s.positions));
      this.missingChangedSoon();
    } catch (e) {
      this.log.error(`Checking ${uri.fsPath} failed: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}`);
    }
  }

  /** The file's diagnostics go (it is open, gone, or no longer a job file). */
  private release(uri: vscode.Uri): void {
    const key = uri.toString();
    this.collection.delete(uri);
    if (this.results.delete(key)) this.missingChangedSoon();
  }

  private missingChangedSoon(): void {
    if (this.missingTimer) return;
    this.missingTimer = setTimeout(() => {
      this.missingTimer = undefined;
      const before = this.missingCache;
      const usedBefore = this.usedCache ? [...this.usedCache].sort().join('\n') : undefined;
      this.missingCache = undefined;
      this.usedCache = undefined;
      const used = this.used();
      const usedChanged = usedBefore !== (used ? [...used].sort().join('\n') : undefined);
      if (usedChanged || JSON.stringify([...(before ?? new Map()).entries()]) !== JSON.stringify([...this.missing().entries()])) this.emitter.fire();
    }, 100);
  }

  dispose(): void {
    this.generation++;
    if (this.timer) clearTimeout(this.timer);
    if (this.missingTimer) clearTimeout(this.missingTimer);
    for (const d of this.disposables) d.dispose();
  }
}

function isOpen(uri: vscode.Uri): boolean {
  const key = uri.toString();
  return vscode.workspace.textDocuments.some((d) => d.uri.toString() === key);
}

/** A job file by its path, as the open-file checker decides for a document (mlSecrets.jobFiles for YAML). */
function isJobPath(uri: vscode.Uri): boolean {
  if (languageOfPath(uri.path)) return true;
  if (!/\.ya?ml$/i.test(uri.path)) return false;
  const globs = readSetting<string[]>('jobFiles', uri) ?? ['**/*.yaml', '**/*.yml'];
  const doc = { uri, languageId: 'yaml', fileName: uri.fsPath } as unknown as vscode.TextDocument;
  try {
    return globs.some((g) => vscode.languages.match({ pattern: g }, doc) > 0);
  } catch {
    return true;
  }
}
