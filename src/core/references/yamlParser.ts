// The YAML scan that builds yaml's parse tree (CST): the same references as the lexer's scan
// (yamlLexer.ts), plus the line-aligned span of every block-mapping / block-sequence item and
// whether the parser saw an error — what incremental re-scans (incremental.ts) work from.

import type { CST } from 'yaml';
import { yaml } from '../vendor';
import { capReferences, lineStarts, positionAt, type ScanOptions, type ScanResult, type SecretReference } from './reference';
import { DOC_MARK, FLOW_END_MARK, lexerScan, SCALAR_MARK } from './yamlLexer';
import { finishReferences, mayContainReferences, scanEmptyKey, scanScalar, unterminated } from './yamlScalars';

/** Line-aligned span of a block-mapping / block-sequence item (for incremental re-scans). */
export interface ItemSpan {
  /** Offset of the item's first line (indentation included). */
  start: number;
  /** Offset just past the item's last line. */
  end: number;
  /** Column of the item's first token. */
  indent: number;
  /** The collection the item belongs to. */
  kind: 'map' | 'seq';
}

type Item = CST.BlockMap['items'][number] | CST.BlockSequence['items'][number];

/**
 * One parse that yields the references and, when asked, the item spans and whether the parser
 * reported an error (an unterminated quote or flow collection, a stray indicator).
 */
export function scanYamlDetailed(text: string, options: ScanOptions = {}, withSpans = true, parseAnyway = false): { result: ScanResult; spans: ItemSpan[]; hasErrors: boolean } {
  if (options.maxLength !== undefined && text.length > options.maxLength) return { result: { references: [], skipped: 'tooLarge' }, spans: [], hasErrors: false };
  if (!parseAnyway && !mayContainReferences(text)) return { result: { references: [] }, spans: [], hasErrors: false };
  const scan = new ParseScan(text, withSpans);
  const docs = [...new (yaml().Parser)().parse(text)];
  // Where each document's content ends: the line of the next document (computed backwards, once).
  const docEnds: number[] = new Array(docs.length);
  let nextDocLine = text.length;
  for (let i = docs.length - 1; i >= 0; i--) {
    docEnds[i] = nextDocLine;
    if (docs[i].type === 'document') nextDocLine = scan.lineStart(docs[i].offset);
  }
  for (let i = 0; i < docs.length; i++) {
    const d = docs[i];
    if (withSpans && !scan.hasErrors && containsError(d)) scan.hasErrors = true;
    scan.visit(d, docEnds[i]);
  }
  const { spans, hasErrors } = scan;
  if (withSpans) spans.sort((a, b) => a.start - b.start || b.end - a.end);
  if (scan.markerChars) return { result: lexerScan(text)?.result ?? { references: [] }, spans, hasErrors };
  return { result: capReferences(finishReferences(text, scan.refs)), spans, hasErrors };
}

class ParseScan {
  readonly spans: ItemSpan[] = [];
  readonly refs: SecretReference[] = [];
  hasErrors = false;
  /**
   * yaml's Parser takes a one-character token that looks like a lexer marker for one (`| \x02`
   * shifts every later offset): with such characters around, its offsets aren't trusted, and the
   * references come from the lexer's scan (whose offsets are the lexer's own).
   */
  readonly markerChars: boolean;
  private starts: number[] | undefined;
  /** An explicit stack, never recursion: nesting is as deep as the input makes it. */
  private readonly stack: Array<{ tok: CST.Token | undefined; end: number }> = [];

  constructor(
    private readonly text: string,
    private readonly withSpans: boolean,
  ) {
    this.markerChars = text.includes(DOC_MARK) || text.includes(FLOW_END_MARK) || text.includes(SCALAR_MARK);
    if (this.markerChars) this.hasErrors = true;
  }

  lineStart(off: number): number {
    this.starts ??= lineStarts(this.text);
    return this.starts[positionAt(this.starts, off).line];
  }

  visit(root: CST.Token, rootEnd: number): void {
    const stack = this.stack;
    stack.push({ tok: root, end: rootEnd });
    while (stack.length) {
      const { tok, end } = stack.pop() as { tok: CST.Token | undefined; end: number };
      if (!tok) continue;
      switch (tok.type) {
        case 'document':
          stack.push({ tok: tok.value, end });
          break;
        case 'block-map':
        case 'block-seq':
          this.collection(tok, end);
          break;
        case 'flow-collection':
          if (!tok.end.length) this.hasErrors = true;
          for (const it of tok.items) stack.push({ tok: it.value, end });
          break;
        case 'scalar':
        case 'single-quoted-scalar':
        case 'double-quoted-scalar':
        case 'block-scalar':
          if ((tok.type === 'single-quoted-scalar' || tok.type === 'double-quoted-scalar') && unterminated(tok.source)) this.hasErrors = true;
          if (!this.markerChars) scanScalar(tok, this.refs);
          break;
        case 'error':
          this.hasErrors = true;
          break;
        default:
          break;
      }
    }
  }

  /** A block collection: its keys that may be references, its items' spans, and its values to visit. */
  private collection(tok: CST.BlockMap | CST.BlockSequence, end: number): void {
    const items = tok.items as Item[];
    if (tok.type === 'block-map' && !this.markerChars) {
      for (const it of items) {
        const key = (it as { key?: CST.Token | null }).key;
        if (key && key.type === 'scalar') scanEmptyKey(this.text, key.offset, key.source, this.refs);
      }
    }
    if (!this.withSpans) {
      for (const it of items) this.stack.push({ tok: it.value, end });
      return;
    }
    // Each item ends where the next item with a position starts (found backwards: linear).
    const firsts = items.map(firstOffset);
    let next: number | undefined;
    for (let i = items.length - 1; i >= 0; i--) {
      const st = firsts[i];
      const itemEnd = next !== undefined ? this.lineStart(next) : end;
      if (st !== undefined) {
        const ls = this.lineStart(st);
        if (itemEnd > ls) this.spans.push({ start: ls, end: itemEnd, indent: st - ls, kind: tok.type === 'block-map' ? 'map' : 'seq' });
        next = st;
      }
      this.stack.push({ tok: items[i].value, end: itemEnd });
    }
  }
}

/** Where an item's first token (not space, newline or comment) starts. */
function firstOffset(it: Item): number | undefined {
  let min: number | undefined;
  const see = (o: number) => {
    if (min === undefined || o < min) min = o;
  };
  for (const t of it.start) if (t.type !== 'space' && t.type !== 'newline' && t.type !== 'comment') see(t.offset);
  const key = (it as { key?: CST.Token | null }).key;
  if (key) see(key.offset);
  if (it.sep) for (const t of it.sep) see(t.offset);
  if (it.value) see(it.value.offset);
  return min;
}

/** Any error token anywhere in the CST (in item props, separators, document ends…). */
function containsError(tok: unknown): boolean {
  const stack: unknown[] = [tok];
  while (stack.length) {
    const t = stack.pop();
    if (!t || typeof t !== 'object') continue;
    if (Array.isArray(t)) {
      for (const x of t) stack.push(x);
      continue;
    }
    const o = t as Record<string, unknown>;
    if (o.type === 'error') return true;
    if ((o.type === 'double-quoted-scalar' || o.type === 'single-quoted-scalar') && typeof o.source === 'string' && unterminated(o.source)) return true;
    if (o.type === 'flow-collection' && Array.isArray(o.end) && !o.end.length) return true;
    // The CST parser accepts structures the YAML composer rejects (a sequence where a mapping's
    // key should be, a key with no ':'): treat them as errors too.
    if (o.type === 'block-map' && Array.isArray(o.items)) {
      for (const it of o.items as Array<{ start?: Array<{ type: string }>; key?: { type: string } | null; sep?: Array<{ type: string }> }>) {
        const explicit = (it.start ?? []).some((x) => x.type === 'explicit-key-ind');
        if (!explicit && !(it.sep ?? []).some((x) => x.type === 'map-value-ind')) return true;
        if (!explicit && it.key && (it.key.type === 'block-map' || it.key.type === 'block-seq')) return true;
      }
    }
    for (const k of ['start', 'key', 'sep', 'value', 'items', 'end', 'props']) if (o[k] !== undefined) stack.push(o[k]);
  }
  return false;
}
