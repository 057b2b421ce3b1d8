// Which workspace job files (YAML, and Flyte Python) reference a secret (the delete confirmation names them). The index is
// built on first use (one pass over the job files, src/core/references/referenceIndex.ts), kept
// up to date by a file watcher, and each answer is confirmed with the exact scanner — open
// editors' unsaved text included.

import * as vscode from 'vscode';
import { ConnectionRecord } from '../core/connections';
import { languageOf, ReferenceIndex, referencesIn } from '../core/references/referenceIndex';
import { readSetting } from '../ui/settings';

const MAX_FILES = 5000;

let shared: WorkspaceReferenceIndex | undefined;

export class WorkspaceReferenceIndex implements vscode.Disposable {
  private readonly index = new ReferenceIndex();
  private building: Promise<void> | undefined;
  private readonly disposables: vscode.Disposable[] = [];

  /** The extension's one index (created, and disposed with the extension, on first use). */
  static get(context: vscode.ExtensionContext): WorkspaceReferenceIndex {
    if (!shared) {
      shared = new WorkspaceReferenceIndex();
      context.subscriptions.push(shared);
    }
    return shared;
  }

  private maxBytes(uri?: vscode.Uri): number {
    return (readSetting<number>('maxFileSizeKB', uri) ?? 2048) * 1024;
  }

  private async readIfSmall(uri: vscode.Uri): Promise<string | undefined> {
    const open = vscode.workspace.textDocuments.find((d) => d.uri.toString() === uri.toString());
    if (open) return open.getText();
    try {
      const stat = await vscode.workspace.fs.stat(uri);
      if (stat.size > this.maxBytes(uri)) return undefined;
      return new TextDecoder().decode(await vscode.workspace.fs.readFile(uri));
    } catch {
      return undefined;
    }
  }

  private build(): Promise<void> {
    this.building ??= (async () => {
      const watcher = vscode.workspace.createFileSystemWatcher('**/*.{yml,yaml,py}');
      const refresh = async (uri: vscode.Uri) => {
        const text = await this.readIfSmall(uri);
        if (text === undefined) this.index.delete(uri.toString());
        else this.index.set(uri.toString(), text);
      };
      this.disposables.push(watcher, watcher.onDidChange(refresh), watcher.onDidCreate(refresh), watcher.onDidDelete((u) => this.index.delete(u.toString())));
      for (const folder of vscode.workspace.workspaceFolders ?? []) {
        // Job YAML as configured, and Python files (Flyte references; scanned by scanPython).
        const globs = [...(readSetting<string[]>('jobFiles', folder.uri) ?? ['**/*.yaml', '**/*.yml']), '**/*.py'];
        const pattern = new vscode.RelativePattern(folder, globs.length === 1 ? globs[0] : `{${globs.join(',')}}`);
        const files = await vscode.workspace.findFiles(pattern, '**/{node_modules,.git}/**', MAX_FILES);
        for (const uri of files) await refresh(uri);
      }
    })();
    return this.building;
  }

  /** Workspace-relative paths of the job files that reference `name` for this connection. */
  async filesReferencing(name: string, rec: ConnectionRecord): Promise<string[]> {
    await this.build();
    const folders = vscode.workspace.workspaceFolders ?? [];
    const candidates = new Set(this.index.candidates(name));
    // Unsaved edits: open job files are looked at as they are now.
    for (const d of vscode.workspace.textDocuments) if (/\.(ya?ml|py)$/i.test(d.uri.path) && d.getText().includes(name)) candidates.add(d.uri.toString());
    const out: string[] = [];
    for (const key of candidates) {
      const uri = vscode.Uri.parse(key);
      const text = await this.readIfSmall(uri);
      if (text === undefined) continue;
      const hit = referencesIn(text, name, this.maxBytes(uri), languageOf(uri.path)).some((r) => {
        if (r.syntax === 'zenml' && rec.platform !== 'zenml') return false;
        if (r.syntax === 'apolo' && r.project && r.form !== 'uri') return r.project === rec.scope.project;
        return true;
      });
      if (hit) out.push(vscode.workspace.asRelativePath(uri, folders.length > 1));
    }
    return out.sort();
  }

  dispose(): void {
    for (const d of this.disposables) d.dispose();
    if (shared === this) shared = undefined;
  }
}
