// Starts plaintext-token detection (issue 16; ./checker.ts, shipped in lazy.js with secretlint in
// plaintext.js) the first time a file it reads is open — job YAML, .env, Python, shell scripts,
// Makefiles, Markdown or a notebook — so activation loads none of it. With the setting
// mlSecrets.plaintext.enabled off everywhere it never loads.

import * as vscode from 'vscode';
import { PLAINTEXT_FILES } from '../selectors';

/** The language ids detection reads (notebook cells are python / markdown documents). */
const LANGUAGES = new Set(PLAINTEXT_FILES.flatMap((f) => (f.language ? [f.language] : [])));
/** File names it reads whatever language an editor gives them (.env files before VS Code knew dotenv). */
const PATHS = /(^|\/)(\.env(\.[^/]*)?|[^/]+\.env|[^/]+\.ya?ml|[^/]+\.ipynb)$/i;

export function isPlaintextCandidate(doc: vscode.TextDocument): boolean {
  if (doc.uri.scheme !== 'file' && doc.uri.scheme !== 'untitled' && doc.uri.scheme !== 'vscode-notebook-cell' && doc.uri.scheme !== 'vscode-remote') return false;
  return LANGUAGES.has(doc.languageId) || PATHS.test(doc.uri.path);
}

export class PlaintextLauncher implements vscode.Disposable {
  private started: vscode.Disposable | undefined;
  private readonly subs: vscode.Disposable[];

  constructor(private readonly load: () => vscode.Disposable) {
    this.subs = [
      vscode.workspace.onDidOpenTextDocument((d) => this.consider(d)),
      vscode.workspace.onDidOpenNotebookDocument(() => this.start()),
      vscode.workspace.onDidChangeConfiguration((e) => {
        if (e.affectsConfiguration('mlSecrets.plaintext')) this.startIfAny();
      }),
    ];
    this.startIfAny();
  }

  private startIfAny(): void {
    if (vscode.workspace.notebookDocuments.length) this.start();
    for (const d of vscode.workspace.textDocuments) this.consider(d);
  }

  private consider(doc: vscode.TextDocument): void {
    if (!this.started && isPlaintextCandidate(doc) && vscode.workspace.getConfiguration('mlSecrets', doc.uri).get<boolean>('plaintext.enabled') !== false) this.start();
  }

  private start(): void {
    if (this.started) return;
    this.started = this.load();
  }

  dispose(): void {
    for (const s of this.subs) s.dispose();
    this.started?.dispose();
  }
}
