// Which workspace job files (YAML, Python, shell scripts and Makefiles) reference a secret (the delete confirmation names them). The index is
// built on first use (one pass over the job files, src/core/references/referenceIndex.ts), kept
// up to date by a file watcher, and each answer is confirmed with the exact scanner — open
// editors' unsaved text included.

import * as vscode from 'vscode';
import { chooseTarget, platformHints, ConnectionSummary, referencesForTarget, TargetChoice } from '../core/check/target';
import { ConnectionRecord } from '../core/connections';
import type { SecretReference } from '../core/references/reference';
import { languageOf, ReferenceIndex, refersToName, scanIndexed } from '../core/references/referenceIndex';
import { syntaxOf } from '../core/references/syntaxes';
import { readSetting } from '../ui/settings';

const MAX_FILES = 5000;
/** At most this much text (UTF-16 code units) is kept between the index's read and the workspace check's. */
const MAX_KEPT_CHARS = 32 * 1024 * 1024;
/** Files of the languages a syntax scans (src/core/references/syntaxes.ts languageOfPath says which is which). */
const SCANNED = ['**/*.py', '**/*.sh', '**/*.bash', '**/Makefile', '**/makefile', '**/GNUmakefile', '**/*.mk', '**/*.md', '**/*.markdown'];
const WATCHED = ['**/*.yml', '**/*.yaml', ...SCANNED];

let shared: WorkspaceReferenceIndex | undefined;

export class WorkspaceReferenceIndex implements vscode.Disposable {
  private readonly index = new ReferenceIndex();
  private building: Promise<void> | undefined;
  /** Every job file found or seen changing (the workspace check walks them), by URI string. */
  private readonly known = new Set<string>();
  private readonly changed = new vscode.EventEmitter<vscode.Uri>();
  /** A job file changed, appeared or went away on disk (after the index took it in). */
  readonly onDidChangeFile = this.changed.event;
  private readonly disposables: vscode.Disposable[] = [this.changed];
  /**
   * While the workspace check walks the files (keepTexts), the texts the index just read, each
   * handed out once by read(): a cold start reads every file once, not twice. Bounded in bytes.
   */
  private readonly texts = new Map<string, string>();
  private textBytes = 0;
  keepTexts = false;

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
      const watcher = vscode.workspace.createFileSystemWatcher(`{${WATCHED.join(',')}}`);
      const refresh = async (uri: vscode.Uri) => {
        const text = await this.readIfSmall(uri);
        if (text === undefined) this.index.delete(uri.toString());
        else this.index.set(uri.toString(), text);
        this.keep(uri.toString(), text);
        this.known.add(uri.toString());
      };
      const changed = async (uri: vscode.Uri) => {
        await refresh(uri);
        this.changed.fire(uri);
      };
      const deleted = (uri: vscode.Uri) => {
        this.index.delete(uri.toString());
        this.known.delete(uri.toString());
        this.changed.fire(uri);
      };
      this.update = async (uri) => {
        if (!/\.ya?ml$/i.test(uri.path) && languageOf(uri.path) === 'yaml') return;
        try {
          await vscode.workspace.fs.stat(uri);
        } catch {
          return deleted(uri);
        }
        await changed(uri);
      };
      this.disposables.push(
        watcher,
        watcher.onDidChange(changed),
        watcher.onDidCreate(changed),
        watcher.onDidDelete(deleted),
        // Files created or renamed through VS Code reach the index at once, even where the file watcher is slow.
        vscode.workspace.onDidCreateFiles((e) => e.files.forEach((u) => void this.touch(u))),
        vscode.workspace.onDidRenameFiles((e) => e.files.forEach((f) => void this.touch(f.oldUri).then(() => this.touch(f.newUri)))),
      );
      for (const folder of vscode.workspace.workspaceFolders ?? []) {
        // Job YAML as configured, and the files of the languages a syntax scans (Python, shell, Makefiles).
        const globs = [...(readSetting<string[]>('jobFiles', folder.uri) ?? ['**/*.yaml', '**/*.yml']), ...SCANNED];
        const pattern = new vscode.RelativePattern(folder, globs.length === 1 ? globs[0] : `{${globs.join(',')}}`);
        const files = await vscode.workspace.findFiles(pattern, '**/{node_modules,.git}/**', MAX_FILES);
        for (const uri of files) await refresh(uri);
      }
    })();
    return this.building;
  }

  private update?: (uri: vscode.Uri) => Promise<void>;

  /** Takes a file's current state from disk now (VS Code said it was created or renamed), as the watcher would. */
  async touch(uri: vscode.Uri): Promise<void> {
    await this.build();
    await this.update?.(uri);
  }

  /** The job files of the workspace (built on first use), as URIs. */
  async files(): Promise<vscode.Uri[]> {
    await this.build();
    return [...this.known].map((k) => vscode.Uri.parse(k));
  }

  private keep(key: string, text: string | undefined): void {
    const old = this.texts.get(key);
    if (old !== undefined) this.textBytes -= old.length;
    this.texts.delete(key);
    if (!this.keepTexts || text === undefined || this.textBytes + text.length > MAX_KEPT_CHARS) return;
    this.texts.set(key, text);
    this.textBytes += text.length;
  }

  /** Forgets the texts kept for the workspace check (its pass is over). */
  dropTexts(): void {
    this.texts.clear();
    this.textBytes = 0;
  }

  /** A file's text as the index reads it (an open editor's text first; else the text the index just read, once), or undefined when too large or gone. */
  read(uri: vscode.Uri): Promise<string | undefined> {
    const key = uri.toString();
    const kept = this.texts.get(key);
    if (kept === undefined || vscode.workspace.textDocuments.some((d) => d.uri.toString() === key)) return this.readIfSmall(uri);
    this.keep(key, undefined);
    return Promise.resolve(kept);
  }

  /**
   * Workspace-relative paths of the job files that reference `name` for this connection. With the
   * connections (`connections`), a file checked against another platform's connection (its folder's
   * mlSecrets.connection, or the only connection its syntax fits) doesn't count for its references
   * that any connection could resolve (`<<NAME.KEY>>`).
   */
  async filesReferencing(name: string, rec: ConnectionRecord, connections?: readonly ConnectionSummary[]): Promise<string[]> {
    const folders = vscode.workspace.workspaceFolders ?? [];
    const out: string[] = [];
    for (const { uri, text } of await this.candidateTexts(name)) {
      const scanned = scanIndexed(text, this.maxBytes(uri), languageOf(uri.path)).references;
      // What the editor would check in that file (another tool's file, a syntax that counts only for its platforms).
      const all = connections ? referencesForTarget(scanned, targetOf(uri, scanned, connections), connections) : scanned;
      let elsewhere: boolean | undefined;
      const hit = all.some((r) => {
        if (!refersToName(r, name) || !mayReferTo(r, rec)) return false;
        // A reference any connection could resolve (a template) is the file's connection's.
        if (syntaxOf(r)?.platforms || !connections) return true;
        elsewhere ??= checkedElsewhere(uri, all, rec, connections);
        return !elsewhere;
      });
      if (hit) out.push(vscode.workspace.asRelativePath(uri, folders.length > 1));
    }
    return out.sort();
  }

  /**
   * The job files that may reference `name`, each with its text now (an open editor's unsaved text
   * first): filesReferencing and Find All References / Rename (./references.ts) confirm them with the exact scanner.
   */
  async candidateTexts(name: string): Promise<{ uri: vscode.Uri; text: string }[]> {
    await this.build();
    const candidates = new Set(this.index.candidates(name));
    // Unsaved edits: open job files are looked at as they are now.
    for (const d of vscode.workspace.textDocuments) if ((/\.ya?ml$/i.test(d.uri.path) || languageOf(d.uri.path) !== 'yaml') && d.getText().includes(name)) candidates.add(d.uri.toString());
    const out: { uri: vscode.Uri; text: string }[] = [];
    for (const key of candidates) {
      const uri = vscode.Uri.parse(key);
      const text = await this.readIfSmall(uri);
      if (text !== undefined) out.push({ uri, text });
    }
    return out;
  }

  dispose(): void {
    for (const d of this.disposables) d.dispose();
    if (shared === this) shared = undefined;
  }
}

/** Whether a reference may name a secret of this connection: its syntax's platforms and scope rule say. */
function mayReferTo(ref: SecretReference, rec: ConnectionRecord): boolean {
  const s = syntaxOf(ref);
  if (s?.onlyForItsPlatforms && !s.platforms?.includes(rec.platform)) return false;
  return s?.inScope?.(ref, rec.scope) ?? true;
}

/** Whether the file is checked against a connection of another platform than `rec`'s (src/core/check/target.ts). */
function targetOf(uri: vscode.Uri, refs: readonly SecretReference[], connections: readonly ConnectionSummary[]): TargetChoice {
  return chooseTarget(uri.path, new Set(refs.map((r) => r.syntax)), readSetting<string>('connection', uri) || undefined, connections, platformHints(refs));
}

function checkedElsewhere(uri: vscode.Uri, refs: readonly SecretReference[], rec: ConnectionRecord, connections: readonly ConnectionSummary[]): boolean {
  const choice = targetOf(uri, refs, connections);
  return 'label' in choice && choice.platform !== rec.platform;
}
