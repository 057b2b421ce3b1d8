// Which workspace job files reference a secret (for the delete confirmation). Reads each matching
// file once, with the same size cap and prefilter as the diagnostics.

import * as vscode from 'vscode';
import { ConnectionRecord } from '../core/connections';
import { mayContainReferences, scanYaml } from '../core/references/scanner';
import { readSetting } from '../ui/settings';

const MAX_FILES = 5000;

export async function findReferencingFiles(name: string, rec: ConnectionRecord, token?: vscode.CancellationToken): Promise<string[]> {
  const folders = vscode.workspace.workspaceFolders ?? [];
  const out: string[] = [];
  for (const folder of folders) {
    const globs = readSetting<string[]>('jobFiles', folder.uri) ?? ['**/*.yaml', '**/*.yml'];
    const maxBytes = (readSetting<number>('maxFileSizeKB', folder.uri) ?? 2048) * 1024;
    const pattern = new vscode.RelativePattern(folder, globs.length === 1 ? globs[0] : `{${globs.join(',')}}`);
    const files = await vscode.workspace.findFiles(pattern, '**/{node_modules,.git}/**', MAX_FILES, token);
    for (const uri of files) {
      if (token?.isCancellationRequested) return out;
      try {
        const open = vscode.workspace.textDocuments.find((d) => d.uri.toString() === uri.toString());
        let text: string;
        if (open) text = open.getText();
        else {
          const stat = await vscode.workspace.fs.stat(uri);
          if (stat.size > maxBytes) continue;
          text = new TextDecoder().decode(await vscode.workspace.fs.readFile(uri));
        }
        if (!text.includes(name) || !mayContainReferences(text)) continue;
        const refs = scanYaml(text, { maxLength: maxBytes }).references;
        const hit = refs.some((r) => {
          if (r.syntax === 'zenml' && rec.platform !== 'zenml') return false;
          if (r.name === name) return !r.project || r.project === rec.scope.project || r.form === 'uri';
          return r.syntax === 'template' && r.key !== undefined && `${r.name}.${r.key}` === name;
        });
        if (hit) out.push(vscode.workspace.asRelativePath(uri, folders.length > 1));
      } catch {
        /* unreadable file: not a reference */
      }
    }
  }
  return out.sort();
}
