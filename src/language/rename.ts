// Rename on a secret reference: one WorkspaceEdit replacing the name of every use of the same secret
// on the same connection in the workspace (open files or not, ./secretUses.ts) and nothing else; the
// user previews it. The new name must pass the connection's name rule. A use whose name isn't
// written verbatim (an escape in a quoted string) can't be replaced safely: it is left as it is and
// the log says where. The secret on the platform keeps its name (values are never read to move one).

import * as vscode from 'vscode';
import { identityOf, nameOffsets } from '../core/check/secretIdentity';
import { syntaxOf } from '../core/references/syntaxes';
import { printable } from '../core/text';
import { Log } from '../ui/log';
import { findingAt, UseSources, usesOf } from './secretUses';

export class SecretsRenameProvider implements vscode.RenameProvider {
  constructor(
    private readonly src: UseSources,
    private readonly log: Log,
  ) {}

  prepareRename(doc: vscode.TextDocument, pos: vscode.Position): { range: vscode.Range; placeholder: string } {
    const at = findingAt(this.src.checker, doc, pos);
    if (!at) throw new Error('Put the cursor on a secret reference to rename the secret it names.');
    const id = identityOf(at.finding, at.result.connection);
    if (!id) throw new Error(at.result.connection ? 'This reference names no secret that can be renamed (its name is set at run time, or it is malformed).' : 'This file is checked against no connection: choose one first (ML Secrets: Choose Connection for Folder).');
    const offsets = nameOffsets(at.finding.ref, id.name, doc.getText());
    if (!offsets) throw new Error(`The name '${printable(id.name)}' isn't written verbatim here (an escape or a quoted form): rename it by hand.`);
    return { range: new vscode.Range(doc.positionAt(offsets.start), doc.positionAt(offsets.end)), placeholder: id.name };
  }

  async provideRenameEdits(doc: vscode.TextDocument, pos: vscode.Position, newName: string, token?: vscode.CancellationToken): Promise<vscode.WorkspaceEdit | undefined> {
    const at = findingAt(this.src.checker, doc, pos);
    const id = at && identityOf(at.finding, at.result.connection);
    if (!at || !id) return undefined;
    if (newName === id.name) return new vscode.WorkspaceEdit();
    const st = this.src.model.connectionState(id.connection);
    const problem = st.kind === 'ready' ? st.client.validateName(newName) : syntaxOf(at.finding.ref)?.validateName?.(newName);
    if (problem) throw new Error(`'${printable(newName)}' can't be a secret name on '${id.connection}': ${problem}`);
    const edit = new vscode.WorkspaceEdit();
    let skipped = 0;
    for (const use of await usesOf(id, this.src, token)) {
      if (!use.nameRange) {
        skipped++;
        this.log.warn(`Rename: ${vscode.workspace.asRelativePath(use.uri)}:${use.range.start.line + 1} refers to '${printable(id.name)}' without writing the name verbatim; left unchanged.`);
        continue;
      }
      edit.replace(use.uri, use.nameRange, newName, { needsConfirmation: false, label: `Rename secret reference '${printable(id.name)}' → '${printable(newName)}'` });
    }
    this.log.info(`Rename '${printable(id.name)}' → '${printable(newName)}' on '${id.connection}': ${edit.size} file(s)${skipped ? `, ${skipped} use(s) left unchanged (see above)` : ''}. The secret itself keeps its name on the platform.`);
    if (at.finding.status === 'ok') offerPlatformRename(id.connection, id.name, newName, id.scopeId);
    return edit;
  }
}

/** The references change; the secret doesn't: offer Rename Secret (ML Secrets: Rename Secret…) for the secret itself. */
function offerPlatformRename(connection: string, name: string, newName: string, scopeId?: string): void {
  const [, , project, domain] = (scopeId ?? '').split('/');
  const args = { connection, name, newName, ...(project ? { project } : {}), ...(domain ? { domain } : {}), interactive: true };
  void vscode.window
    .showInformationMessage(`Once you apply the rename, the references say '${printable(newName)}', but the secret on '${printable(connection)}' is still '${printable(name)}'.`, 'Rename the Secret Too…')
    .then((go) => (go ? vscode.commands.executeCommand('mlSecrets.renameSecret', args) : undefined));
}

