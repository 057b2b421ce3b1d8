// Helpers for the suites that run inside the real VS Code extension host.
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';

export const EXTENSION_ID = 'ml-secrets.ml-secrets';

export async function activate(): Promise<void> {
  const ext = vscode.extensions.getExtension(EXTENSION_ID);
  if (!ext) throw new Error(`${EXTENSION_ID} not installed`);
  await ext.activate();
}

export function workspaceDir(): string {
  const f = vscode.workspace.workspaceFolders?.[0];
  if (!f) throw new Error('the integration suite needs a workspace folder');
  return f.uri.fsPath;
}

/** Writes a file into the workspace and opens it in an editor. */
export async function openJobFile(rel: string, text: string): Promise<vscode.TextDocument> {
  const file = path.join(workspaceDir(), rel);
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, text);
  const doc = await vscode.workspace.openTextDocument(vscode.Uri.file(file));
  await vscode.window.showTextDocument(doc, { preview: false });
  return doc;
}

export async function closeAll(): Promise<void> {
  await vscode.commands.executeCommand('workbench.action.closeAllEditors');
}

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Polls until fn returns a truthy value (or throws the last assertion error after the timeout). */
export async function waitFor<T>(fn: () => T | Promise<T>, what: string, timeoutMs = 10_000): Promise<NonNullable<T>> {
  const end = Date.now() + timeoutMs;
  let last: unknown;
  for (;;) {
    try {
      const v = await fn();
      if (v) return v as NonNullable<T>;
    } catch (e) {
      last = e;
    }
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}${last ? `: ${last instanceof Error ? last.message : String(last)}` : ''}`);
    await sleep(60);
  }
}

export function ours(uri: vscode.Uri): vscode.Diagnostic[] {
  return vscode.languages.getDiagnostics(uri).filter((d) => d.source === 'ML Secrets');
}

export function codeOf(d: vscode.Diagnostic): string {
  return typeof d.code === 'object' && d.code ? String(d.code.value) : String(d.code);
}

/** Diagnostics as "line:col-line:col code text" strings, for readable assertions. */
export function describeDiagnostics(doc: vscode.TextDocument): string[] {
  return ours(doc.uri)
    .map((d) => `${d.range.start.line}:${d.range.start.character}-${d.range.end.line}:${d.range.end.character} ${codeOf(d)} ${doc.getText(d.range)}`)
    .sort();
}

export async function lenses(doc: vscode.TextDocument): Promise<vscode.CodeLens[]> {
  return (await vscode.commands.executeCommand<vscode.CodeLens[]>('vscode.executeCodeLensProvider', doc.uri, 100)) ?? [];
}

/**
 * Records strings that must never be written anywhere (tokens, secret values). After the run the
 * test runner searches every file VS Code and the extension wrote (logs, storage, the workspace)
 * for them, raw and base64-encoded.
 */
export function recordCanaries(values: Iterable<string | undefined>): void {
  const file = process.env.ML_SECRETS_CANARY_FILE;
  if (!file) return;
  const list = [...values].filter((v): v is string => typeof v === 'string' && v.length >= 6);
  fs.appendFileSync(file, list.map((v) => JSON.stringify(v)).join('\n') + '\n');
}
