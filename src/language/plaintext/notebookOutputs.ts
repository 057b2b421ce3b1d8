// Tokens in a notebook's saved outputs (huggingface_hub.login() and print(os.environ) leave them
// there, and GitHub's scanning misses them): each output's text items are read with the detection
// rules, and a token is reported on the cell that produced it — on the cell's last line, nearest
// the output — with "Clear this cell's output" as its fix (./actions.ts).

import * as vscode from 'vscode';
import { detection } from './detection';
import { outputMessage } from './messages';

export interface OutputToken {
  cellIndex: number;
  outputIndex: number;
  label: string;
  range: vscode.Range;
  message: string;
}

/** The output kinds that hold text. */
const TEXT_MIMES = new Set([
  'text/plain',
  'text/html',
  'text/markdown',
  'text/latex',
  'application/json',
  'application/vnd.code.notebook.stdout',
  'application/vnd.code.notebook.stderr',
  'application/vnd.code.notebook.error',
]);

/** Per cell document: the tokens its outputs hold (none when detection is off). */
export async function outputTokens(nb: vscode.NotebookDocument, enabled: boolean): Promise<Map<string, OutputToken[]>> {
  const byCell = new Map<string, OutputToken[]>();
  if (!enabled) return byCell;
  const decoder = new TextDecoder();
  for (const cell of nb.getCells()) {
    const found: OutputToken[] = [];
    for (let i = 0; i < cell.outputs.length; i++) {
      const labels = new Set<string>();
      for (const item of cell.outputs[i].items) {
        if (!TEXT_MIMES.has(item.mime) || item.data.byteLength > 4 * 1024 * 1024) continue;
        for (const f of await detection().detectPlaintext(decoder.decode(item.data), 'plaintext')) labels.add(f.label);
      }
      const doc = cell.document;
      const last = Math.max(0, doc.lineCount - 1);
      const range = new vscode.Range(last, 0, last, doc.lineAt(last).text.length);
      for (const label of labels) {
        found.push({ cellIndex: cell.index, outputIndex: i, label, range, message: outputMessage(label, i) });
      }
    }
    if (found.length) byCell.set(cell.document.uri.toString(), found);
  }
  return byCell;
}
