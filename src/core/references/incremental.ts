// Re-scanning after an edit without re-parsing the whole file.
//
// A full scan also records the line-aligned span of every block-mapping / block-sequence item.
// After an edit, the smallest recorded item that contains it (and whose own first-line indentation
// is untouched) is re-parsed on its own; its references replace the old ones there and everything
// after it shifts. That is exact whenever the item parses the same standalone as in its context,
// which is checked: no parse error, its first line at the item's column, and no line indented
// less than the item (that line would belong to an ancestor). Otherwise the next larger item is
// tried, and in the end the whole file is scanned.

import { yaml } from '../vendor';
import { markOtherTool } from './lookalikes';
import type { ScanOptions, ScanResult, SecretReference } from './reference';
import { scanYaml, scanYamlTail } from './scanner';
import { type ItemSpan, scanYamlDetailed } from './yamlParser';

export interface TextChange {
  /** Offsets in the old text. */
  start: number;
  end: number;
  /** The replacement text. */
  text: string;
}

const MAX_ATTEMPTS = 4;

export class YamlScanState {
  private constructor(
    readonly text: string,
    readonly result: ScanResult,
    /** Item spans, from a parse tree built only when the first edit needs them. */
    private spans: ItemSpan[] | undefined,
    private readonly options: ScanOptions,
    /** The parse behind the spans had no error: only then are they trusted. */
    private clean: boolean,
    /** Whether the last update was incremental (for tests and benchmarks). */
    readonly incremental = false,
  ) {}

  /** A full scan (the lexer only; the item spans come later, if an edit needs them). */
  static full(text: string, options: ScanOptions = {}): YamlScanState {
    const { result, openFrom, deepOrBroken } = scanYamlTail(text, options);
    const s = new YamlScanState(text, result, undefined, options, false);
    s.openFrom = openFrom ?? Infinity;
    s.parseWorthy = !deepOrBroken && openFrom === undefined;
    return s;
  }

  /**
   * Whether parsing the whole text for item spans can pay off: not when the lexer already saw it
   * broken (a flow collection or quote never closed: the parse would have errors) or nested so
   * deep that the parse costs many full scans.
   */
  private parseWorthy = true;

  /** Where a quoted scalar that runs to the end of the file (across document markers) starts. */
  private openFrom = 0;

  /** Whether prepare() has work to do (item spans not built yet, and worth building). */
  get needsPreparation(): boolean {
    return !this.spans && this.parseWorthy && !!this.result.references.length && !this.result.truncated && !this.result.skipped;
  }

  /** Builds the item spans now (one parse), so that later edits re-scan only the item they touch. */
  prepare(): void {
    if (this.needsPreparation) {
      try {
        this.ensureSpans();
      } catch {
        this.parseWorthy = false;
      }
    }
  }

  private ensureSpans(): ItemSpan[] {
    if (!this.spans) {
      const d = scanYamlDetailed(this.text, this.options, true);
      this.spans = d.spans;
      this.clean = !d.hasErrors;
    }
    return this.spans;
  }

  /** Offsets of the document-marker lines (`---` / `...` at column 0), computed on first need. */
  private markers: number[] | undefined;

  private ensureMarkers(): number[] {
    this.markers ??= markerLines(this.text, 0, this.text.length);
    return this.markers;
  }

  /**
   * The state after `changes` (old-text offsets, as VS Code reports them) turned this text into
   * `newText`. Never throws, and never costs more than one cheap attempt plus a full scan: anything
   * unexpected (an input too deep for a parser, a bug) falls back to the full scan.
   */
  apply(newText: string, changes: readonly TextChange[]): YamlScanState {
    const o = this.options;
    try {
      if (changes.length !== 1 || this.result.skipped || (o.maxLength !== undefined && newText.length > o.maxLength)) return YamlScanState.full(newText, o);
      if (!this.result.references.length || this.result.truncated) return YamlScanState.full(newText, o);
      const c = changes[0];
      if (c.start < 0 || c.end < c.start || c.end > this.text.length || newText.length !== this.text.length + c.text.length - (c.end - c.start)) return YamlScanState.full(newText, o);
      // Several documents: re-scan only the document the edit is in.
      const markers = this.ensureMarkers();
      if (markers.length && !(markers.length === 1 && markers[0] === 0 && !this.spans)) {
        const byDoc = this.applyToDocument(newText, c, markers);
        if (byDoc) return byDoc;
        if (!this.spans) return YamlScanState.full(newText, o);
      }
      return this.applyToItem(newText, c) ?? YamlScanState.full(newText, o);
    } catch {
      return YamlScanState.full(newText, o);
    }
  }

  /**
   * yaml's lexer ends every scalar, flow collection and block at a line that starts with `---` or
   * `...` (then a space, tab, line break or the end), and is in the same state after that marker
   * whatever came before it. So a document's text (marker line to the next marker line) scans the
   * same standalone as in the file, provided the edit neither adds, removes nor touches a marker line.
   */
  private applyToDocument(newText: string, c: TextChange, markers: number[]): YamlScanState | undefined {
    const old = this.text;
    const delta = c.text.length - (c.end - c.start);
    const first = old.lastIndexOf('\n', c.start - 1) + 1;
    let last = old.indexOf('\n', c.end);
    if (last < 0) last = old.length;
    // The first marker at or after the edit's first line, and the last one before it.
    let lo = 0;
    let hi = markers.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (markers[mid] < first) lo = mid + 1;
      else hi = mid;
    }
    if (lo < markers.length && markers[lo] <= last) return undefined; // the edit touches a marker line
    const segStart = lo > 0 ? markers[lo - 1] : 0;
    const segEnd = lo < markers.length ? markers[lo] : old.length;
    // A document that is most of the file is better served by item re-scans.
    if (this.spans && segEnd - segStart > old.length / 2) return undefined;
    if (markerLines(newText, first, last + delta).length) return undefined; // the edit made one
    // A quote that never closes runs on to the end of the file, across markers: then documents
    // aren't independent (before the edit, from this document or an earlier one; after it, from this one).
    if (this.openFrom < segEnd) return undefined;
    // A quote left open in an earlier document (cut at its line's end) still looks ahead for its
    // closing quote, across documents: if the edit changes whether there is one, it would run on.
    if (segStart > 0 && (closingQuoteAfter(old, segStart, "'") !== closingQuoteAfter(newText, segStart, "'") || closingQuoteAfter(old, segStart, '"') !== closingQuoteAfter(newText, segStart, '"'))) return undefined;
    const scanned = scanYamlTail(newText.slice(segStart, segEnd + delta));
    if (scanned.openFrom !== undefined) return undefined;
    const sub = scanned.result.references;
    const refs: SecretReference[] = [];
    for (const r of this.result.references) if (r.start < segStart) refs.push(r);
    for (const r of sub) refs.push(shift(r, segStart));
    for (const r of this.result.references) if (r.start >= segEnd) refs.push(shift(r, delta));
    const next = new YamlScanState(newText, { references: markOtherTool(newText, refs) }, undefined, this.options, false, true);
    next.markers = delta ? markers.map((m) => (m > last ? m + delta : m)) : markers;
    next.openFrom = this.openFrom + delta;
    return next;
  }

  /** The smallest enclosing block item that re-parses standalone exactly (see the file's comment). */
  private applyToItem(newText: string, c: TextChange): YamlScanState | undefined {
    const o = this.options;
    if (!this.spans && (!this.parseWorthy || o.deferSpans)) return undefined;
    if (!this.ensureSpans().length || !this.clean) return undefined;
    const delta = c.text.length - (c.end - c.start);
    for (const item of this.containing(c.start, c.end)) {
      // What follows the item must be a sibling or an ancestor's (indented no deeper than the
      // item), else its meaning could depend on how the item ends.
      if (nextContentIndent(this.text, item.end) > item.indent) continue;
      const fragment = newText.slice(item.start, item.end + delta);
      if (!linesStayInside(fragment, item.indent) || !wellFormedItems(fragment, item.indent, item.kind)) continue;
      const sub = scanYamlDetailed(fragment, {}, true, true);
      if (sub.hasErrors) continue;
      const subRefs = scanYaml(fragment).references;
      const refs: SecretReference[] = [];
      for (const r of this.result.references) if (r.end <= item.start) refs.push(r);
      for (const r of subRefs) refs.push(shift(r, item.start));
      for (const r of this.result.references) if (r.start >= item.end) refs.push(shift(r, delta));
      const spans: ItemSpan[] = [];
      for (const s of this.spans ?? []) {
        if (s.end <= item.start) spans.push(s);
        else if (s.start <= item.start && s.end >= item.end && (s.start !== item.start || s.end !== item.end)) spans.push({ ...s, end: s.end + delta });
        else if (s.start >= item.end) spans.push({ ...s, start: s.start + delta, end: s.end + delta });
      }
      for (const s of sub.spans) spans.push({ ...s, start: s.start + item.start, end: s.end + item.start });
      spans.sort((a, b) => a.start - b.start || b.end - a.end);
      const next = new YamlScanState(newText, { references: markOtherTool(newText, refs) }, spans, o, true, true);
      // The whole file parsed clean before and the item does now: no quote runs to the end.
      next.openFrom = Infinity;
      return next;
    }
    return undefined;
  }

  /** Items that contain [start, end) and leave their first line's indentation alone, smallest first. */
  private containing(start: number, end: number): ItemSpan[] {
    const out: ItemSpan[] = [];
    // Spans are sorted by start: binary-search the last one starting at or before `start`.
    const spans = this.spans ?? [];
    let lo = 0;
    let hi = spans.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (spans[mid].start <= start) lo = mid;
      else hi = mid - 1;
    }
    for (let i = lo; i >= 0 && out.length < 64; i--) {
      const s = (this.spans as ItemSpan[])[i];
      if (s.start + s.indent <= start && end < s.end) out.push(s);
    }
    out.sort((a, b) => a.end - a.start - (b.end - b.start));
    return out.slice(0, MAX_ATTEMPTS);
  }
}

/**
 * The fragment is one document whose root is a block mapping of `key:` items or a block sequence
 * of `- ` items, all at the item's column: then where it ends cannot depend on what follows (a
 * value's continuation lines would have to be indented more than its key, and the next sibling
 * isn't).
 */
function wellFormedItems(fragment: string, indent: number, kind: 'map' | 'seq'): boolean {
  // Every line at the item's own column starts an item of that kind (`- ` or a `key:` line).
  for (const line of fragment.split('\n')) {
    const trimmed = line.trimStart();
    if (!trimmed || trimmed.startsWith('#') || line.length - trimmed.length !== indent) continue;
    if (kind === 'seq' ? !/^-(\s|$)/.test(trimmed) : !/:(\s|$)/.test(trimmed)) return false;
  }
  const docs = [...new (yaml().Parser)().parse(fragment)].filter((t) => t.type !== 'comment' && t.type !== 'newline' && t.type !== 'space');
  if (docs.length !== 1 || docs[0].type !== 'document') return false;
  const doc = docs[0];
  if ((doc.end ?? []).some((t) => t.type !== 'comment' && t.type !== 'newline' && t.type !== 'space')) return false;
  const root = doc.value;
  // Still the same kind of collection: a map item that became `- …` would change its parent.
  if (!root || root.type !== (kind === 'map' ? 'block-map' : 'block-seq') || root.indent !== indent) return false;
  for (const it of root.items) {
    if (root.type === 'block-map') {
      if (!(it.sep ?? []).some((t) => t.type === 'map-value-ind')) return false;
    } else if (!it.start.some((t) => t.type === 'seq-item-ind')) return false;
  }
  return true;
}

/**
 * Whether yaml's lexer, looking for the end of a quoted scalar opened before `from` (a line start),
 * finds a closing `quote` at or after `from` (`''` is an escaped single quote, `\"` a double one).
 */
function closingQuoteAfter(text: string, from: number, quote: "'" | '"'): boolean {
  let i = text.indexOf(quote, from);
  if (quote === "'") {
    while (i !== -1 && text[i + 1] === "'") i = text.indexOf("'", i + 2);
    return i !== -1;
  }
  while (i !== -1) {
    let n = 0;
    while (text[i - 1 - n] === '\\') n++;
    if (n % 2 === 0) return true;
    i = text.indexOf('"', i + 1);
  }
  return false;
}

/** Line starts in [from, to] whose line is a document marker for yaml's lexer (`---` / `...` + blank or end). */
function markerLines(text: string, from: number, to: number): number[] {
  const out: number[] = [];
  // A native search (a loop over every line costs ≈ 1 ms per 20,000 lines, on every keystroke).
  const re = /^(?:---|\.\.\.)(?=[ \t\r\n]|$)/gm;
  re.lastIndex = from === 0 ? 0 : text.lastIndexOf('\n', from - 1) + 1;
  let m: RegExpExecArray | null;
  while ((m = re.exec(text)) && m.index <= to) {
    // `^` also matches after a lone \r or U+2028/9; the lexer's lines end only at \n.
    if (m.index === 0 || text.charCodeAt(m.index - 1) === 0x0a) out.push(m.index);
  }
  return out;
}

/** Indentation of the first non-blank, non-comment line at or after `from` (-1 at the end). */
function nextContentIndent(text: string, from: number): number {
  let pos = from;
  while (pos < text.length) {
    let nl = text.indexOf('\n', pos);
    if (nl < 0) nl = text.length;
    const line = text.slice(pos, nl);
    const trimmed = line.trimStart();
    if (trimmed && !trimmed.startsWith('#')) return line.length - trimmed.length;
    pos = nl + 1;
  }
  return -1;
}

function shift(r: SecretReference, by: number): SecretReference {
  if (!by) return r;
  return { ...r, start: r.start + by, end: r.end + by, nameStart: r.nameStart === undefined ? undefined : r.nameStart + by };
}

/** Whole lines; the first content line at the item's column, none left of it, no tabs, no document markers. */
function linesStayInside(fragment: string, indent: number): boolean {
  if (!fragment.length) return false;
  let lineStart = 0;
  let first = true;
  while (lineStart < fragment.length) {
    let nl = fragment.indexOf('\n', lineStart);
    if (nl < 0) nl = fragment.length;
    const line = fragment.slice(lineStart, nl);
    const trimmed = line.trimStart();
    if (trimmed && !trimmed.startsWith('#')) {
      const ind = line.length - trimmed.length;
      if (ind < indent || (first && ind !== indent) || line.includes('\t') || /^(---|\.\.\.)(\s|$)/.test(trimmed)) return false;
      first = false;
    }
    lineStart = nl + 1;
  }
  return !first;
}

/** One change that turns `before` into `after` (common prefix and suffix kept): covers any burst of edits. */
export function diffChange(before: string, after: string): TextChange {
  const max = Math.min(before.length, after.length);
  // Chunks first (native comparison of string slices), then characters: a keystroke in a
  // megabyte-long file shouldn't cost a million charCodeAt calls.
  const CHUNK = 2048;
  let p = 0;
  while (p + CHUNK <= max && before.slice(p, p + CHUNK) === after.slice(p, p + CHUNK)) p += CHUNK;
  while (p < max && before.charCodeAt(p) === after.charCodeAt(p)) p++;
  let q = 0;
  while (q + CHUNK <= max - p && before.slice(before.length - q - CHUNK, before.length - q) === after.slice(after.length - q - CHUNK, after.length - q)) q += CHUNK;
  while (q < max - p && before.charCodeAt(before.length - 1 - q) === after.charCodeAt(after.length - 1 - q)) q++;
  return { start: p, end: before.length - q, text: after.slice(p, after.length - q) };
}
