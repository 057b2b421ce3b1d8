// mlSecrets.clearCellOutput: the quick fix for a token in a notebook cell's saved output
// (src/language/plaintext/actions.ts). Replaces the cell with itself minus its outputs — one
// undoable notebook edit; the cell's source and metadata stay. Argument object: {uri} of the cell
// (its vscode-notebook-cell URI), or {uri, cell} with the notebook's URI and the cell's index.

import * as vscode from 'vscode';
import { ValidationError } from '../core/errors';
import { Command, Invocation, Services } from './common';

function cellOf(inv: Invocation): vscode.NotebookCell {
  const raw = inv.args.uri;
  const uri = raw instanceof vscode.Uri ? raw : typeof raw === 'string' ? vscode.Uri.parse(raw) : undefined;
  if (!uri) throw new ValidationError("Missing 'uri' (the notebook cell, or the notebook with 'cell') in the argument object.");
  const index = inv.args.cell;
  for (const nb of vscode.workspace.notebookDocuments) {
    if (typeof index === 'number' && nb.uri.toString() === uri.toString()) {
      if (index < 0 || index >= nb.cellCount) throw new ValidationError(`The notebook has no cell ${index}.`);
      return nb.cellAt(index);
    }
    const cell = nb.getCells().find((c) => c.document.uri.toString() === uri.toString());
    if (cell) return cell;
  }
  throw new ValidationError('That notebook cell is not open.');
}

async function run(_s: Services, inv: Invocation): Promise<boolean> {
  const cell = cellOf(inv);
  if (!cell.outputs.length) return false;
  const data = new vscode.NotebookCellData(cell.kind, cell.document.getText(), cell.document.languageId);
  data.metadata = cell.metadata;
  data.outputs = [];
  const edit = new vscode.WorkspaceEdit();
  edit.set(cell.notebook.uri, [vscode.NotebookEdit.replaceCells(new vscode.NotebookRange(cell.index, cell.index + 1), [data])]);
  if (!(await vscode.workspace.applyEdit(edit))) throw new Error("VS Code did not apply the edit that clears the cell's output.");
  return true;
}

export const clearCellOutput: Command = { title: "Clear the cell's output", run };
