// Plaintext tokens in files that aren't open (issue 16), so the Problems panel lists every leaked
// token of the workspace, as `ml-secrets check --plaintext` does: the files detection reads are
// found once, read in batches (yielding between them) and watched; an open file (or notebook)
// belongs to ./checker.ts and is handed back here when it closes. Starts with the workspace check
// (src/language/workspaceCheckLauncher.ts) and follows its setting: "off" scans nothing, "auto"
// scans a workspace of at most AUTO_MAX_FILES such files. A notebook that isn't open is read cell by
// cell and output by output, each token placed in the raw .ipynb text (src/core/plaintext/notebook.ts,
// as the command line does).

import * as vscode from 'vscode';
import { readSetting } from '../../ui/settings';
import type { Log } from '../../ui/log';
import { DIAGNOSTIC_SOURCE, positionsOf } from '../fileCheck';
import { AUTO_MAX_FILES } from '../workspaceCheck';
import type { PlaintextFinding } from '../../core/plaintext/types';
import { detection, notebookDetection, PLAINTEXT_CODE } from './detection';
import { isIgnoredByGit } from './gitIgnored';
import { outputMessage, tokenMessage } from './messages';

const FILES = '**/{*.yml,*.yaml,*.py,*.sh,*.bash,*.mk,*.md,*.ipynb,*.env,.env,.env.*,Makefile,makefile,GNUmakefile}';
const EXCLUDE = '**/{node_modules,.git,.venv,venv,site-packages,__pycache__,.tox,.mypy_cache}/**';
const EXCLUDED = /\/(node_modules|\.git|\.venv|venv|site-packages|__pycache__|\.tox|\.mypy_cache)(\/|$)/;
const MAX_FILES = 20_000;
const BATCH = 20;

interface FoundToken {
  start: number;
  end: number;
  finding: PlaintextFinding;
  /** The index of the saved output that holds it (a notebook's). */
  output?: number;
}

/** A raw .ipynb's tokens, cells and outputs alike, placed in the raw text as `ml-secrets check` places them. */
async function notebookTokens(json: string): Promise<FoundToken[]> {
  return (await notebookDetection().detectNotebook(json)).map((n) => ({ ...(n.raw ?? { start: 0, end: 0 }), finding: n.finding, output: n.output }));
}

export class PlaintextWorkspaceScan implements vscode.Disposable {
  readonly collection = vscode.languages.createDiagnosticCollection('mlSecrets.plaintextWorkspace');
  private readonly subs: vscode.Disposable[];
  private generation = 0;
  /** Bumped whenever a file is (re)read: a read that started earlier doesn't overwrite a newer one. */
  private readonly versions = new Map<string, number>();
  private disposed = false;

  constructor(private readonly log: Log) {
    const watcher = vscode.workspace.createFileSystemWatcher(FILES);
    const folders = vscode.workspace.createFileSystemWatcher('**/*', false, true, true);
    this.subs = [
      this.collection,
      watcher,
      watcher.onDidChange((u) => void this.scanFile(u)),
      watcher.onDidCreate((u) => void this.scanFile(u)),
      // A folder created with files in it (a checkout, an unpacked archive) may come as the folder's
      // event alone: its files are looked up.
      folders,
      folders.onDidCreate((u) => void this.scanFolder(u)),
      watcher.onDidDelete((u) => this.collection.delete(u)),
      vscode.workspace.onDidOpenTextDocument((d) => this.handOver(d.uri)),
      vscode.workspace.onDidOpenNotebookDocument((nb) => this.handOver(nb.uri)),
      vscode.workspace.onDidCloseTextDocument((d) => void this.scanFile(d.uri)),
      vscode.workspace.onDidCloseNotebookDocument((nb) => void this.scanFile(nb.uri)),
      vscode.workspace.onDidChangeConfiguration((e) => {
        if (e.affectsConfiguration('mlSecrets.plaintext') || e.affectsConfiguration('mlSecrets.workspaceCheck') || e.affectsConfiguration('mlSecrets.maxFileSizeKB')) void this.scanAll();
      }),
    ];
    void this.scanAll();
  }

  /** Scans every file again (a new generation: an older pass still running stops). */
  async scanAll(): Promise<void> {
    const generation = ++this.generation;
    const mode = readSetting<string>('workspaceCheck') ?? 'auto';
    if (mode === 'off' || readSetting<boolean>('plaintext.enabled') === false) {
      this.collection.clear();
      return;
    }
    const files = await vscode.workspace.findFiles(FILES, EXCLUDE, MAX_FILES);
    if (generation !== this.generation) return;
    if (mode === 'auto' && files.length > AUTO_MAX_FILES) {
      this.log.info(`Plaintext tokens: ${files.length} files to read is more than ${AUTO_MAX_FILES}; only open files are checked (set mlSecrets.workspaceCheck to "on" to read them all).`);
      this.collection.clear();
      return;
    }
    const started = Date.now();
    for (let i = 0; i < files.length && generation === this.generation && !this.disposed; i += BATCH) {
      await Promise.all(files.slice(i, i + BATCH).map((u) => this.scanFile(u)));
      await new Promise((r) => setTimeout(r, 0));
    }
    if (generation !== this.generation) return;
    // What the pass didn't find any more (deleted, now excluded) leaves the Problems panel.
    const found = new Set(files.map((u) => u.toString()));
    const stale: vscode.Uri[] = [];
    this.collection.forEach((u) => {
      if (!found.has(u.toString())) stale.push(u);
    });
    for (const u of stale) this.collection.delete(u);
    let tokens = 0;
    this.collection.forEach((_u, ds) => (tokens += ds.length));
    this.log.info(`Plaintext tokens: read ${files.length} files that aren't open in ${Date.now() - started} ms; ${tokens} token(s) found.`);
  }

  private isOpen(uri: vscode.Uri): boolean {
    const key = uri.toString();
    return vscode.workspace.textDocuments.some((d) => d.uri.toString() === key) || vscode.workspace.notebookDocuments.some((n) => n.uri.toString() === key);
  }

  /** An opened file's problems belong to the open-file checker: drop them, and any read under way. */
  private handOver(uri: vscode.Uri): void {
    const key = uri.toString();
    if (this.versions.has(key)) this.versions.set(key, (this.versions.get(key) ?? 0) + 1);
    this.collection.delete(uri);
  }

  private async scanFolder(uri: vscode.Uri): Promise<void> {
    if (uri.scheme !== 'file' || EXCLUDED.test(uri.path)) return;
    try {
      if (((await vscode.workspace.fs.stat(uri)).type & vscode.FileType.Directory) === 0) return;
      const files = await vscode.workspace.findFiles(new vscode.RelativePattern(uri, FILES), EXCLUDE, MAX_FILES);
      for (let i = 0; i < files.length && !this.disposed; i += BATCH) await Promise.all(files.slice(i, i + BATCH).map((u) => this.scanFile(u)));
    } catch {
      /* gone already */
    }
  }

  /** Reads one file and sets its problems, unless it is open, or a newer read of it started meanwhile. */
  private async scanFile(uri: vscode.Uri): Promise<void> {
    const key = uri.toString();
    const version = (this.versions.get(key) ?? 0) + 1;
    this.versions.set(key, version);
    const current = () => !this.disposed && this.versions.get(key) === version && !this.isOpen(uri);
    if (uri.scheme !== 'file' || !current()) return;
    if (readSetting<boolean>('plaintext.enabled', uri) === false || readSetting<string>('workspaceCheck') === 'off') return this.collection.delete(uri);
    const notebook = uri.path.endsWith('.ipynb');
    const language = notebook ? 'plaintext' : detection().plaintextLanguageOf(uri.path);
    if (!language) return;
    try {
      const maxKB = readSetting<number>('maxFileSizeKB', uri) ?? 2048;
      const stat = await vscode.workspace.fs.stat(uri);
      // Only regular files (a FIFO would block a read for good), and not the huge ones.
      if ((stat.type & vscode.FileType.File) === 0 || stat.size > Math.max(16, maxKB) * 1024) return this.collection.delete(uri);
      const text = new TextDecoder().decode(await vscode.workspace.fs.readFile(uri));
      const found: FoundToken[] = notebook ? await notebookTokens(text) : (await detection().detectPlaintext(text, language)).map((f) => ({ start: f.start, end: f.end, finding: f }));
      if (!current()) return;
      if (!found.length) return this.collection.delete(uri);
      const ignored = await isIgnoredByGit(uri.fsPath);
      if (!current()) return;
      const at = positionsOf(text);
      this.collection.set(
        uri,
        found.map((t) => {
          const message = t.output === undefined ? tokenMessage(t.finding, ignored) : outputMessage(t.finding.label, t.output);
          const d = new vscode.Diagnostic(new vscode.Range(at.positionAt(t.start), at.positionAt(t.end)), message, vscode.DiagnosticSeverity.Warning);
          d.source = DIAGNOSTIC_SOURCE;
          d.code = PLAINTEXT_CODE;
          return d;
        }),
      );
    } catch (e) {
      // A file that vanished or can't be read has nothing to report; the log names it, never its text.
      this.collection.delete(uri);
      if (!(e instanceof vscode.FileSystemError)) this.log.warn(`Looking for plaintext tokens in ${uri.fsPath} failed: ${e instanceof Error ? e.message : String(e)}`);
    }
  }

  dispose(): void {
    this.disposed = true;
    for (const s of this.subs) s.dispose();
  }
}
