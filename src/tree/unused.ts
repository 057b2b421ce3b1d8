// The "unused" mark of the Secrets view: a secret row whose name no workspace file references
// (open or not) gets "unused" at the end of its description. Shown only once the workspace-wide
// check (src/language/workspaceCheck.ts) has checked every job file; matched by connection and
// name (not scope), so a secret is never called unused when a file might use it.

import * as vscode from 'vscode';
import type { FileFindings } from '../language/missingSecrets';
import type { SecretsNode } from './nodes';

/** Where the view reads the referenced names from; undefined while the workspace check hasn't run. */
export interface UsedSource {
  used(): ReadonlySet<string> | undefined;
}

const ANY = '\u0000*';
const keyOf = (connection: string, name: string) => `${connection}\u0000${name}`;

/** Every (connection, name) the files reference; a file checked against no connection may use any connection's name. */
export function usedSecrets(files: Iterable<FileFindings>): Set<string> {
  const out = new Set<string>();
  for (const f of files) {
    for (const x of f.findings) {
      const name = x.secret?.name ?? x.missingName ?? x.ref.name;
      if (!name) continue;
      out.add(f.connection ? keyOf(f.connection, name) : keyOf(ANY, name));
    }
  }
  return out;
}

export function isUnused(used: ReadonlySet<string> | undefined, connection: string, name: string): boolean {
  return !!used && !used.has(keyOf(connection, name)) && !used.has(keyOf(ANY, name));
}

/** Adds "unused" to a secret row's description (and says why in its tooltip). */
export function markUnused(item: vscode.TreeItem, node: SecretsNode, used: ReadonlySet<string> | undefined): void {
  if (node.kind !== 'secret' || !isUnused(used, node.connection, node.secret.name)) return;
  const d = typeof item.description === 'string' ? item.description : '';
  item.description = d ? `${d} · unused` : 'unused';
  const note = 'Unused: no file of this workspace references it.';
  item.tooltip = typeof item.tooltip === 'string' ? `${item.tooltip}\n${note}` : item.tooltip instanceof vscode.MarkdownString ? item.tooltip.appendText(`\n${note}`) : note;
}
