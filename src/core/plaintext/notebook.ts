// Plaintext tokens in Jupyter notebooks (issue 16): an .ipynb (nbformat 4) read as its cells'
// sources (code as Python, Markdown as Markdown, raw as plain text) and its outputs' texts (plain
// text), each scanned by detectPlaintext; for the command line, each finding's place in the raw
// .ipynb text too. Bad JSON gives no cells and no findings, never a throw.

import { detectPlaintext } from './detect';
import type { PlaintextFinding, PlaintextLanguage } from './types';

export interface NotebookOutput {
  index: number;
  text: string;
}

export interface NotebookCell {
  index: number;
  kind: 'code' | 'markdown' | 'raw';
  source: string;
  outputs: NotebookOutput[];
}

/** A finding in a notebook: in cell `cell`'s source, or in its output `output`; offsets are into that text. */
export interface NotebookFinding {
  cell: number;
  output?: number;
  finding: PlaintextFinding;
  /** The token's place in the raw .ipynb text (its JSON-escaped form), when found there. */
  raw?: { start: number; end: number };
}

/** nbformat's multiline strings: a string, or a list of strings to join. */
function multiline(v: unknown): string {
  if (typeof v === 'string') return v;
  if (Array.isArray(v)) return v.filter((x) => typeof x === 'string').join('');
  return '';
}

/** An output's text: a stream's `text`, `data`'s text/plain, text/html and application/json, an error's traceback. */
function outputText(o: Record<string, unknown>): string {
  const parts: string[] = [];
  if (o.text !== undefined) parts.push(multiline(o.text));
  const data = o.data && typeof o.data === 'object' ? (o.data as Record<string, unknown>) : {};
  for (const mime of ['text/plain', 'text/html']) if (data[mime] !== undefined) parts.push(multiline(data[mime]));
  if (data['application/json'] !== undefined) parts.push(JSON.stringify(data['application/json']));
  if (Array.isArray(o.traceback)) parts.push(o.traceback.filter((x) => typeof x === 'string').join('\n'));
  return parts.filter(Boolean).join('\n');
}

/** The cells of an .ipynb text (nbformat 4); none when it isn't one. */
export function notebookParts(json: string): NotebookCell[] {
  let nb: unknown;
  try {
    nb = JSON.parse(json);
  } catch {
    return [];
  }
  const cells = nb && typeof nb === 'object' ? (nb as { cells?: unknown }).cells : undefined;
  if (!Array.isArray(cells)) return [];
  return cells.map((c: unknown, index): NotebookCell => {
    const cell = c && typeof c === 'object' ? (c as Record<string, unknown>) : {};
    const kind = cell.cell_type === 'markdown' || cell.cell_type === 'raw' ? cell.cell_type : 'code';
    const outputs = Array.isArray(cell.outputs) ? cell.outputs : [];
    return {
      index,
      kind,
      source: multiline(cell.source),
      outputs: outputs.map((o: unknown, i) => ({ index: i, text: o && typeof o === 'object' ? outputText(o as Record<string, unknown>) : '' })),
    };
  });
}

const LANGUAGE: Record<NotebookCell['kind'], PlaintextLanguage> = { code: 'python', markdown: 'markdown', raw: 'plaintext' };

/** Finds each token's JSON-escaped form in the raw text, in order (the k-th finding of a token → its k-th occurrence). */
function rawPlacer(json: string): (token: string) => { start: number; end: number } | undefined {
  const next = new Map<string, number>();
  return (token) => {
    const escaped = JSON.stringify(token).slice(1, -1);
    const at = json.indexOf(escaped, next.get(escaped) ?? 0);
    if (at < 0) return undefined;
    next.set(escaped, at + escaped.length);
    return { start: at, end: at + escaped.length };
  };
}

/** The plaintext tokens of a notebook, cell by cell (source, then outputs). Never throws. */
export async function detectNotebook(json: string): Promise<NotebookFinding[]> {
  try {
    const out: NotebookFinding[] = [];
    const place = rawPlacer(json);
    for (const cell of notebookParts(json)) {
      for (const finding of await detectPlaintext(cell.source, LANGUAGE[cell.kind])) out.push({ cell: cell.index, finding, raw: place(cell.source.slice(finding.start, finding.end)) });
      for (const o of cell.outputs) {
        for (const finding of await detectPlaintext(o.text, 'plaintext')) out.push({ cell: cell.index, output: o.index, finding, raw: place(o.text.slice(finding.start, finding.end)) });
      }
    }
    return out;
  } catch {
    return [];
  }
}
