// mlSecrets.findReferences (a secret of the Secrets view, or { connection, name, project? }): every
// use of the secret on that connection in the workspace's job files, open or not (the same search
// as Find All References in an editor, src/language/secretUses.ts), shown in the references peek.
// Returns the uses as { file, line, character } (workspace-relative, 0-based); names only.

import * as vscode from 'vscode';
import { printable } from '../core/text';
import { WorkspaceReferenceIndex } from '../language/referenceIndex';
import { usesOf } from '../language/secretUses';
import { scopeKey } from '../model/secretsModel';
import { Command, Invocation, Services, tell } from './common';
import { placeOf, secretNameArg, target } from './secretTarget';

async function run(s: Services, inv: Invocation): Promise<{ file: string; line: number; character: number }[] | undefined> {
  const t = await target(s, inv);
  const name = t && secretNameArg(inv);
  if (!t || !name) return undefined;
  const uses = await usesOf({ connection: t.rec.label, name, scopeId: scopeKey(t.scope) }, { model: s.model, checker: s.checker, index: () => WorkspaceReferenceIndex.get(s.context) });
  s.log.info(`Find All References: '${printable(name)}' in ${placeOf(t)} is used ${uses.length} time(s) in the workspace.`);
  if (inv.interactive) {
    if (!uses.length) tell(`No file in the workspace uses '${printable(name)}' of ${placeOf(t)}.`);
    else await vscode.commands.executeCommand('editor.action.showReferences', uses[0].uri, uses[0].range.start, uses.map((u) => new vscode.Location(u.uri, u.range)));
  }
  return uses.map((u) => ({ file: vscode.workspace.asRelativePath(u.uri, (vscode.workspace.workspaceFolders?.length ?? 0) > 1), line: u.range.start.line, character: u.range.start.character }));
}

export const findReferences: Command = { title: 'Find all references', run };
