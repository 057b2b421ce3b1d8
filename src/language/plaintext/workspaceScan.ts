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
  private disposed = false;

  constructor(private readonly log: Log) {
    const watcher = vscode.workspace.createFileSystemWatcher(FILES);
    this.subs = [
      this.collection,
      watcher,
      watcher.onDidChange((u) => void this.scanFiles([u], this.generation)),
      watcher.onDidCreate((u) => void this.scanFiles([u], this.generation)),
      watcher.onDidDelete((u) => this.collection.delete(u)),
      vscode.workspace.onDidOpenTextDocument((d) => this.collection.delete(d.uri)),
      vscode.workspace.onDidOpenNotebookDocument((nb) => this.collection.delete(nb.uri)),
      vscode.workspace.onDidCloseTextDocument((d) => void this.scanFiles([d.uri], this.generation)),
      vscode.workspace.onDidCloseNotebookDocument((nb) => void this.scanFiles([nb.uri], this.generation)),
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
    this.collection.clear();
    for (let i = 0; i < files.length && generation === this.generation && !this.disposed; i += BATCH) {
      await this.scanFiles(files.slice(i, i + BATCH), generation);
      await new Promise((r) => setTimeout(r, 0));
    }
  }

  private isOpen(uri: vscode.Uri): boolean {
    const key = uri.toString();
    return vscode.workspace.textDocuments.some((d) => d.uri.toString() === key) || vscode.workspace.notebookDocuments.some((n) => n.uri.toString() === key);
  }

  private async scanFiles(uris: readonly vscode.Uri[], generation: number): Promise<void> {
    await Promise.all(uris.map((u) => this.scanFile(u, generation)));
  }

  private async scanFile(uri: vscode.Uri, generation: number): Promise<void> {
    if (this.disposed || generation !== this.generation || uri.scheme !== 'file' || this.isOpen(uri)) return;
    if (readSetting<boolean>('plaintext.enabled', uri) === false || readSetting<string>('workspaceCheck') === 'off') return this.collection.delete(uri);
    const notebook = uri.path.endsWith('.ipynb');
    const language = notebook ? 'plaintext' : detection().plaintextLanguageOf(uri.path);
    if (!language) return;
    try {
      const maxKB = readSetting<number>('maxFileSizeKB', uri) ?? 2048;
      const stat = await vscode.workspace.fs.stat(uri);
      if (stat.size > Math.max(16, maxKB) * 1024) return this.collection.delete(uri);
      const text = new TextDecoder().decode(await vscode.workspace.fs.readFile(uri));
      const found: FoundToken[] = notebook ? await notebookTokens(text) : (await detection().detectPlaintext(text, language)).map((f) => ({ start: f.start, end: f.end, finding: f }));
      if (generation !== this.generation || this.isOpen(uri)) return;
      if (!found.length) return this.collection.delete(uri);
      const ignored = await isIgnoredByGit(uri.fsPath);
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
