// Finds secret references in YAML text, with exact offsets. Pure: text in, references out.
//
// Recognised (docs/contract.md "References in job files"):
//   secret:NAME | secret:/PROJECT/NAME | secret://CLUSTER/ORG/PROJECT/NAME   (whole scalar, or the
//       value of a VAR=… / --env VAR=… style scalar)
//   secret:NAME:/mount/path                                                   (whole scalar, volumes)
//   <<NAME>> and <<NAME.KEY>>                                                 (anywhere in a scalar, several)
//   {{NAME.KEY}}                                                              (whole scalar; ZenML)
// Comments are never scalars, so text in them is never a reference. A line ending in
// `# ml-secrets-ignore` yields nothing.

import type { CST } from 'yaml';
import { yaml } from '../vendor';

export type ReferenceSyntax = 'apolo' | 'template' | 'zenml' | 'flyte';

export interface SecretReference {
  syntax: ReferenceSyntax;
  /** The reference's exact source text (what its diagnostic covers). */
  text: string;
  start: number;
  end: number;
  /** The secret name ('' when there is none to speak of). */
  name: string;
  /** Where `name` starts in the text, when it appears there verbatim (for "Did you mean" edits). */
  nameStart?: number;
  key?: string;
  /** Apolo forms. */
  form?: 'short' | 'project' | 'uri';
  cluster?: string;
  org?: string;
  project?: string;
  mountPath?: string;
  /** Set when the text is a reference but not a valid one; the message says why. */
  problem?: string;
  /** A templated part (`${{ … }}`) makes the name unknowable until run time: not checked. */
  dynamic?: boolean;
}

export interface ScanOptions {
  /** Skip the scan (and say so) above this many UTF-16 code units. */
  maxLength?: number;
  /**
   * Incremental re-scans (incremental.ts): build the item spans, which take a whole-file parse
   * (≈3× a scan), only in prepare() — which the editor calls when idle — and never while applying
   * a keystroke, so no keystroke costs more than a full scan.
   */
  deferSpans?: boolean;
}

export interface ScanResult {
  references: SecretReference[];
  /** Set when the file was not scanned. */
  skipped?: 'tooLarge';
  /** Set when the file holds more than MAX_REFERENCES references: only the first ones are reported. */
  truncated?: boolean;
}

/**
 * No job file a person writes holds this many references; a file that does (generated, or hostile)
 * gets its first ones checked and one notice, so the cost of a scan stays bounded by the text, not
 * by a pathological count of tiny references.
 */
export const MAX_REFERENCES = 5_000;

/** The first MAX_REFERENCES of the (ordered) references, and whether any were dropped. */
export function capReferences(refs: SecretReference[]): ScanResult {
  return refs.length > MAX_REFERENCES ? { references: refs.slice(0, MAX_REFERENCES), truncated: true } : { references: refs };
}

export const IGNORE_MARKER = '# ml-secrets-ignore';
const QUICK_TRIGGERS = ['secret:', '<<', '{{'];

/** The cheap prefilter: text without any trigger can't hold a reference. */
export function mayContainReferences(text: string): boolean {
  for (const t of QUICK_TRIGGERS) if (text.includes(t)) return true;
  return false;
}

/**
 * The scan: YAML's lexer only (no parse tree), which is several times cheaper than building one.
 * A scalar followed by `:` is a key and never a reference; every other scalar's text is examined.
 */
export function scanYaml(text: string, options: ScanOptions = {}): ScanResult {
  return scanYamlTail(text, options).result;
}

/**
 * scanYaml, also saying where a quoted scalar that never closes starts, when there is one: yaml's
 * lexer runs such a scalar to the end of the file, across document markers (for incremental.ts).
 */
export function scanYamlTail(text: string, options: ScanOptions = {}): { result: ScanResult; openFrom?: number; deepOrBroken?: boolean } {
  if (options.maxLength !== undefined && text.length > options.maxLength) return { result: { references: [], skipped: 'tooLarge' } };
  if (!mayContainReferences(text)) return { result: { references: [] }, openFrom: 0, deepOrBroken: true }; // not looked at: say 'maybe'
  let openFrom: number | undefined;
  // Flow nesting as the lexer saw it: a broken or very deep flow collection is not worth a parse.
  let flowDepth = 0;
  let maxFlowDepth = 0;
  let flowBroken = false;
  const refs: SecretReference[] = [];
  let scalarNext = false;
  let afterBlockHeader = false;
  // A scalar seen but not yet known to be a key or a value.
  let pending: ScalarToken | undefined;
  const flush = () => {
    if (pending) scanScalar(pending, refs);
    pending = undefined;
  };
  // One token at its offset; `marker` for the lexer's zero-width markers.
  const step = (tok: string, offset: number, marker: boolean): void => {
    if (marker) {
      // \x1f announces a scalar (plain, or a block scalar's body); \x02 and \x18 start a document
      // and end a broken flow collection.
      if (tok === SCALAR_MARK) scalarNext = true;
      else if (tok === FLOW_END_MARK) {
        flowBroken = true;
        flowDepth = 0;
      }
      return;
    }
    const c = tok.charCodeAt(0);
    if (scalarNext) {
      scalarNext = false;
      flush();
      pending = afterBlockHeader
        ? ({ type: 'block-scalar', offset, indent: 0, props: [], source: tok } as unknown as ScalarToken)
        : ({ type: 'scalar', offset, indent: 0, source: tok, end: [] } as unknown as ScalarToken);
      afterBlockHeader = false;
    } else if (c === 0x22 || c === 0x27) {
      // A quoted scalar arrives without a marker.
      flush();
      pending = { type: c === 0x22 ? 'double-quoted-scalar' : 'single-quoted-scalar', offset, indent: 0, source: tok, end: [] } as unknown as ScalarToken;
      if (offset + tok.length === text.length && unterminated(tok)) openFrom = offset;
    } else if (tok === ':') {
      // `key:` — a scalar right before `:` on its line was a key (a block scalar's body never is).
      if (pending && pending.type !== 'block-scalar' && !pending.source.includes('\n')) {
        if (pending.type === 'scalar' && flowDepth === 0) emptySecretKey(text, pending.offset, pending.source, refs);
        pending = undefined;
      }
      else flush();
    } else if (c === 0x5b || c === 0x7b) {
      flush();
      if (++flowDepth > maxFlowDepth) maxFlowDepth = flowDepth;
    } else if (c === 0x5d || c === 0x7d) {
      flush();
      if (flowDepth > 0) flowDepth--;
    } else if (c === 0x7c || c === 0x3e) {
      // | or > (with indicators): the next scalar is a block scalar's body.
      flush();
      afterBlockHeader = /^[|>][-+0-9]*$/.test(tok);
    } else if (c !== 0x20 && c !== 0x09 && !(afterBlockHeader && (c === 0x0a || c === 0x0d || c === 0x23))) {
      // Anything else (a newline included: implicit keys are one-line) settles the pending scalar.
      flush();
    }
  };
  // Offsets come from the lexer's own position, never from guessing which tokens are markers: while
  // a token is being yielded, `pos` is where it starts (a marker's: where the next token starts), and
  // `pos` moves on by exactly the length of each real token (every advance in yaml's Lexer is a
  // `push…` right after its yield). So a real token is one after which `pos` moved: a one-character
  // token that could be either (a plain scalar `\0`…, a block header's junk `| \x1f`) is decided by
  // where the next token starts.
  const lexer = new (yaml().Lexer)();
  const lx = lexer as unknown as { pos: number };
  if (typeof lx.pos !== 'number') return { result: scanYamlDetailed(text, options, false).result, openFrom: 0, deepOrBroken: true };
  let held: string | undefined;
  let heldAt = 0;
  for (const tok of lexer.lex(text)) {
    const at = lx.pos;
    if (held !== undefined) {
      step(held, heldAt, at === heldAt);
      held = undefined;
    }
    if (tok.length === 1 && (tok === SCALAR_MARK || tok === DOC_MARK || tok === FLOW_END_MARK)) {
      if (text.charCodeAt(at) !== tok.charCodeAt(0)) step(tok, at, true);
      else {
        held = tok;
        heldAt = at;
      }
      continue;
    }
    step(tok, at, false);
    // Enough: the lexer goes in text order, so every reference not found yet comes after these.
    if (refs.length > MAX_REFERENCES) break;
  }
  if (refs.length > MAX_REFERENCES) return { result: { references: finishReferences(text, refs).slice(0, MAX_REFERENCES), truncated: true }, openFrom: 0, deepOrBroken: true };
  if (held !== undefined) step(held, heldAt, lx.pos === heldAt);
  flush();
  const result = capReferences(finishReferences(text, refs));
  return { result, openFrom, deepOrBroken: result.truncated || flowBroken || flowDepth > 0 || maxFlowDepth > MAX_PARSED_FLOW_DEPTH };
}

/** Deeper flow nesting than this makes yaml's Parser (≈5 µs a level) cost many full scans. */
const MAX_PARSED_FLOW_DEPTH = 256;

/** yaml's Lexer markers (zero-width tokens): a scalar follows, a document starts, a flow collection broke off. */
const SCALAR_MARK = '\x1f';
const DOC_MARK = '\x02';
const FLOW_END_MARK = '\x18';

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

/**
 * One parse that yields the references and, when asked, the item spans and whether the parser
 * reported an error (an unterminated quote or flow collection, a stray indicator).
 */
export function scanYamlDetailed(text: string, options: ScanOptions = {}, withSpans = true, parseAnyway = false): { result: ScanResult; spans: ItemSpan[]; hasErrors: boolean } {
  const spans: ItemSpan[] = [];
  if (options.maxLength !== undefined && text.length > options.maxLength) return { result: { references: [], skipped: 'tooLarge' }, spans, hasErrors: false };
  if (!parseAnyway && !mayContainReferences(text)) return { result: { references: [] }, spans, hasErrors: false };
  const refs: SecretReference[] = [];
  let hasErrors = false;
  // yaml's Parser takes a one-character token that looks like a lexer marker for one (`| \x02`
  // shifts every later offset): with such characters around, its offsets aren't trusted, and the
  // references come from scanYaml (whose offsets are the lexer's own).
  const markerChars = text.includes(DOC_MARK) || text.includes(FLOW_END_MARK) || text.includes(SCALAR_MARK);
  if (markerChars) hasErrors = true;
  let starts: number[] | undefined;
  const lineStart = (off: number): number => {
    starts ??= lineStarts(text);
    return starts[positionAt(starts, off).line];
  };
  type Item = CST.BlockMap['items'][number] | CST.BlockSequence['items'][number];
  const firstOffset = (it: Item): number | undefined => {
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
  };
  // An explicit stack, never recursion: nesting is as deep as the input makes it.
  const stack: Array<{ tok: CST.Token | undefined; end: number }> = [];
  const visit = (root: CST.Token, rootEnd: number): void => {
    stack.push({ tok: root, end: rootEnd });
    while (stack.length) {
      const { tok, end } = stack.pop() as { tok: CST.Token | undefined; end: number };
      if (!tok) continue;
      switch (tok.type) {
        case 'document':
          stack.push({ tok: tok.value, end });
          break;
        case 'block-map':
        case 'block-seq': {
          const items = tok.items as Item[];
          if (tok.type === 'block-map' && !markerChars) {
            for (const it of items) {
              const key = (it as { key?: CST.Token | null }).key;
              if (key && key.type === 'scalar') emptySecretKey(text, key.offset, key.source, refs);
            }
          }
          if (!withSpans) {
            for (const it of items) stack.push({ tok: it.value, end });
            break;
          }
          // Each item ends where the next item with a position starts (found backwards: linear).
          const firsts = items.map(firstOffset);
          let next: number | undefined;
          for (let i = items.length - 1; i >= 0; i--) {
            const st = firsts[i];
            const itemEnd = next !== undefined ? lineStart(next) : end;
            if (st !== undefined) {
              const ls = lineStart(st);
              if (itemEnd > ls) spans.push({ start: ls, end: itemEnd, indent: st - ls, kind: tok.type === 'block-map' ? 'map' : 'seq' });
              next = st;
            }
            stack.push({ tok: items[i].value, end: itemEnd });
          }
          break;
        }
        case 'flow-collection':
          if (!tok.end.length) hasErrors = true;
          for (const it of tok.items) stack.push({ tok: it.value, end });
          break;
        case 'scalar':
        case 'single-quoted-scalar':
        case 'double-quoted-scalar':
        case 'block-scalar':
          if ((tok.type === 'single-quoted-scalar' || tok.type === 'double-quoted-scalar') && unterminated(tok.source)) hasErrors = true;
          if (!markerChars) scanScalar(tok, refs);
          break;
        case 'error':
          hasErrors = true;
          break;
        default:
          break;
      }
    }
  };
  const docs = [...new (yaml().Parser)().parse(text)];
  // Where each document's content ends: the line of the next document (computed backwards, once).
  const docEnds: number[] = new Array(docs.length);
  let nextDocLine = text.length;
  for (let i = docs.length - 1; i >= 0; i--) {
    docEnds[i] = nextDocLine;
    if (docs[i].type === 'document') nextDocLine = lineStart(docs[i].offset);
  }
  for (let i = 0; i < docs.length; i++) {
    const d = docs[i];
    if (withSpans && !hasErrors && containsError(d)) hasErrors = true;
    visit(d, docEnds[i]);
  }
  if (withSpans) spans.sort((a, b) => a.start - b.start || b.end - a.end);
  if (markerChars) return { result: scanYaml(text), spans, hasErrors };
  return { result: capReferences(finishReferences(text, refs)), spans, hasErrors };
}

/** References whose text is the scalar's source rather than its value (escapes, folding). */
const notVerbatim = new WeakSet<SecretReference>();

/** Drops references on ignored lines, orders them, and notes where each name starts. */
function finishReferences(text: string, refs: SecretReference[]): SecretReference[] {
  refs.sort((a, b) => a.start - b.start);
  // Each line's end is looked up once (many references on one long line stay linear).
  let lineEnd = -1;
  let ignored = false;
  const filtered = refs.filter((r) => {
    if (r.start > lineEnd) {
      lineEnd = text.indexOf('\n', r.start);
      if (lineEnd < 0) lineEnd = text.length;
      ignored = lineEndsIgnored(text, lineEnd);
    }
    return !ignored;
  });
  for (const r of filtered) {
    // Only where the text is the value itself (no escapes, quotes or folded lines in between) is
    // the name's place in the text known.
    if (!r.name || r.problem || r.dynamic || notVerbatim.has(r)) continue;
    if (r.syntax === 'apolo' && r.form === 'uri') {
      // The name is the URI's last segment, percent-decoded: only an undecoded one is verbatim.
      if (r.text.endsWith(`/${r.name}`)) r.nameStart = r.end - r.name.length;
      continue;
    }
    const skip = r.syntax === 'apolo' ? r.text.lastIndexOf('/', r.mountPath !== undefined ? r.text.length - r.mountPath.length - 1 : r.text.length) : 0;
    const from = r.syntax === 'apolo' ? Math.max(skip + 1, 'secret:'.length) : 0;
    const at = r.text.indexOf(r.name, from);
    if (at >= 0) r.nameStart = r.start + at;
  }
  return filtered;
}

/** The scalar's value; a scalar the parser can't resolve (an unterminated quote) has none. */
function resolveScalar(tok: CST.FlowScalar): { value: string } | undefined {
  try {
    return yaml().CST.resolveAsScalar(tok, false, () => undefined) ?? undefined;
  } catch {
    return undefined;
  }
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

/** Whether a quoted scalar's source lacks its closing quote (`''` and `\"` are escapes, not ends). */
function unterminated(source: string): boolean {
  const q = source[0];
  const n = source.length;
  if (n < 2 || source[n - 1] !== q) return true;
  if (q === '"') {
    // A closing quote preceded by an odd number of backslashes is escaped.
    let k = 0;
    for (let i = n - 2; i > 0 && source[i] === '\\'; i--) k++;
    return k % 2 === 1;
  }
  // Single-quoted: the lexer ends the scalar at the first lone quote, so it is closed exactly when
  // the quotes after the opening one pair up except for the last.
  let i = 1;
  while (i < n) {
    const at = source.indexOf("'", i);
    if (at < 0) return true;
    if (at === n - 1) return false;
    if (source[at + 1] === "'") i = at + 2;
    else return true;
  }
  return true;
}

/** Whether the line ending at `lineEnd` (a '\n' or the end) ends in `# ml-secrets-ignore`. */
function lineEndsIgnored(text: string, lineEnd: number): boolean {
  let e = lineEnd;
  if (e > 0 && text.charCodeAt(e - 1) === 0x0d) e--;
  // trimEnd(): whitespace before the line end (never past the line's start).
  while (e > 0 && text.charCodeAt(e - 1) !== 0x0a && /\s/.test(text[e - 1])) e--;
  return e >= IGNORE_MARKER.length && text.startsWith(IGNORE_MARKER, e - IGNORE_MARKER.length) && text.lastIndexOf('\n', e - 1) <= e - IGNORE_MARKER.length - 1;
}

type ScalarToken = CST.FlowScalar | CST.BlockScalar;

function scanScalar(tok: ScalarToken, refs: SecretReference[]): void {
  const source = tok.source;
  if (!source || !mayContainReferences(source)) return;

  // Where the scalar's source starts in the text. For block scalars the token's offset is that of
  // the header (`|`), and its source is the body that follows the header line.
  let sourceStart = tok.offset;
  if (tok.type === 'block-scalar' && tok.props.length) {
    const props = tok.props;
    const last = props[props.length - 1];
    sourceStart = last && 'source' in last && 'offset' in last ? last.offset + last.source.length : tok.offset;
  }

  // Templates: anywhere in the raw source, several per scalar.
  if (source.includes('<<')) findTemplates(source, sourceStart, refs);

  if (tok.type === 'block-scalar') return;

  // Whole-scalar forms need the scalar's value and where that value sits in the text.
  const { value, valueStart } = scalarValue(tok);
  if (value === undefined) return;
  const trimmed = value.trim();
  if (trimmed.startsWith('{{') && trimmed.endsWith('}}')) {
    const at = valueStart !== undefined ? valueStart + value.indexOf(trimmed) : tok.offset;
    const len = valueStart !== undefined ? trimmed.length : source.length;
    const ref = parseZenml(trimmed, at, len, valueStart !== undefined ? trimmed : source);
    if (valueStart === undefined) notVerbatim.add(ref);
    refs.push(ref);
    return;
  }
  const apolo = findApoloInValue(value);
  if (apolo) {
    const start = valueStart !== undefined ? valueStart + apolo.index : tok.offset;
    const refText = valueStart !== undefined ? apolo.text : source;
    const ref: SecretReference = { ...parseApoloRef(apolo.text), start, end: start + refText.length, text: refText };
    if (valueStart === undefined) notVerbatim.add(ref);
    refs.push(ref);
  }
}

/** The scalar's value, and its start offset in the text when the value maps 1:1 onto the source. */
function scalarValue(tok: CST.FlowScalar): { value: string | undefined; valueStart: number | undefined } {
  const src = tok.source;
  if (tok.type === 'scalar') {
    if (!src.includes('\n')) return { value: src, valueStart: tok.offset };
    const r = resolveScalar(tok);
    return { value: r?.value, valueStart: undefined };
  }
  // An unterminated quote (the user is typing, or the file ends) holds whatever is there up to the
  // end of the file or of its line: nothing of it is dropped for a missing closing quote.
  const open = unterminated(src);
  const inner = open ? src.slice(1) : src.slice(1, -1);
  if (tok.type === 'single-quoted-scalar') {
    if (!inner.includes("'") && !inner.includes('\n') && !inner.includes('\r')) return { value: inner, valueStart: tok.offset + 1 };
  } else if (!inner.includes('\\') && !inner.includes('\n') && !inner.includes('\r')) return { value: inner, valueStart: tok.offset + 1 };
  if (!open) {
    const r = resolveScalar(tok);
    return { value: r?.value, valueStart: undefined };
  }
  // Resolve as if it were closed (a trailing lone backslash stays a backslash).
  let closed = src;
  if (tok.type === 'double-quoted-scalar') {
    let n = 0;
    for (let i = src.length - 1; i > 0 && src[i] === '\\'; i--) n++;
    if (n % 2 === 1) closed += '\\';
  }
  const r = resolveScalar({ ...tok, source: closed + src[0] });
  return { value: r?.value, valueStart: undefined };
}

// `<<` NAME [`.` KEY] `>>` with optional inner whitespace. The body may not hold whitespace
// or angle brackets: `cat <<EOF … >> log` in a shell line is not a template.
// Inner whitespace is allowed only on both sides (`<< name.key >>`), so `cat <<EOF >> log` is not one.
// A body of name-like words with whitespace between them (`<<bad name.key>>`, no whitespace at
// either end) is a template too, a malformed one; `<< parameters.x >>` (CircleCI) keeps its form.
const TEMPLATE_RE = /<<(?:[ \t]+([^\s<>]+)[ \t]+|([A-Za-z_][\w.-]*(?:[ \t]+[\w.-]+)+)|([^\s<>]*))>>/g;

function findTemplates(source: string, base: number, refs: SecretReference[]): void {
  TEMPLATE_RE.lastIndex = 0;
  let last: SecretReference | undefined;
  let m: RegExpExecArray | null;
  while ((m = TEMPLATE_RE.exec(source))) {
    if (refs.length > MAX_REFERENCES) return;
    const start = base + m.index;
    const text = m[0];
    if (last && last.text === text) {
      // A scalar repeating one template (hundreds of thousands of times) shares its strings.
      const ref: SecretReference = { syntax: 'template', text: last.text, start, end: start + text.length, name: last.name };
      if (last.key !== undefined) ref.key = last.key;
      if (last.problem !== undefined) ref.problem = last.problem;
      if (last.dynamic) ref.dynamic = true;
      refs.push(ref);
      continue;
    }
    const spaced = m[2] !== undefined;
    const body = m[1] ?? m[2] ?? m[3] ?? '';
    const ref: SecretReference = { syntax: 'template', text, start, end: start + text.length, name: body };
    last = ref;
    if (spaced) {
      const dot = body.indexOf('.');
      if (dot > 0) {
        ref.name = body.slice(0, dot);
        ref.key = body.slice(dot + 1);
      }
      ref.problem = `Template ${text} has whitespace inside: write <<NAME>> or <<NAME.KEY>>, with no spaces.`;
    } else if (!body) {
      ref.problem = 'Empty template: write <<NAME>> or <<NAME.KEY>>.';
    } else if (body.includes('{{')) {
      ref.dynamic = true;
    } else {
      const dot = body.indexOf('.');
      if (dot >= 0) {
        ref.name = body.slice(0, dot);
        ref.key = body.slice(dot + 1);
        if (!ref.name) ref.problem = `Template <<${body}>> has no secret name before the '.'.`;
        else if (!ref.key) ref.problem = `Template <<${body}>> has an empty key after the '.'.`;
      }
    }
    refs.push(ref);
  }
}

function parseZenml(trimmed: string, start: number, length: number, text: string): SecretReference {
  const inner = trimmed.slice(2, -2).trim();
  const ref: SecretReference = { syntax: 'zenml', text, start, end: start + length, name: inner };
  const dot = inner.indexOf('.');
  if (!inner) ref.problem = 'Empty reference: write {{NAME.KEY}}.';
  else if (dot < 0) ref.problem = `{{${inner}}} names no key: write {{NAME.KEY}}.`;
  else {
    ref.name = inner.slice(0, dot).trim();
    ref.key = inner.slice(dot + 1).trim();
    if (!ref.name) ref.problem = `{{${inner}}} has no secret name before the '.'.`;
    else if (!ref.key) ref.problem = `{{${inner}}} has an empty key after the '.'.`;
  }
  return ref;
}

// A whole value `secret:…`, or the value part of `VAR=secret:…`, `--env VAR=secret:…`,
// `-e VAR=secret:…`, `--env=VAR=secret:…`, `--volume secret:…`, `-v secret:…`.
const ENV_PREFIX_RE = /^(?:(?:--env|-e)(?:\s+|=))?[A-Za-z_][A-Za-z0-9_]*=(?=secret:)/;
const VOLUME_PREFIX_RE = /^(?:--volume|-v)(?:\s+|=)(?=secret:)/;

function findApoloInValue(value: string): { text: string; index: number } | undefined {
  if (!value.includes('secret:')) return undefined;
  const lead = value.length - value.trimStart().length;
  const v = value.trim();
  let found: { text: string; index: number } | undefined;
  if (v.startsWith('secret:')) found = { text: v, index: lead };
  else {
    const m = ENV_PREFIX_RE.exec(v) ?? VOLUME_PREFIX_RE.exec(v);
    if (m) found = { text: v.slice(m[0].length), index: lead + m[0].length };
  }
  // Whitespace after `secret:` means prose ("secret: keep it safe") or a longer command line,
  // not a reference: those are never flagged.
  if (found && /\s/.test(found.text)) return undefined;
  return found;
}

/**
 * `A: secret:` or `- VAR=secret:` — a reference with no name, which YAML reads as a key with no
 * value. Reported (malformed) when the key follows `- ` or `key: ` on its line, only a comment
 * follows its `:`, and no value for it follows on the next lines. Both scanners call this with the
 * same plain key (never inside a flow collection), so they agree.
 */
function emptySecretKey(text: string, at: number, source: string, refs: SecretReference[]): void {
  if (!source.endsWith('secret') || source.includes('\n')) return;
  const colon = at + source.length;
  if (text.charCodeAt(colon) !== 0x3a) return;
  const found = findApoloInValue(`${source}:`);
  if (!found || found.text !== 'secret:') return;
  const ls = text.lastIndexOf('\n', at - 1) + 1;
  const prefix = text.slice(ls, at);
  const before = prefix.trimEnd();
  if (!before.trim() || before.length === prefix.length || !(before.endsWith('-') || before.endsWith(':'))) return;
  let le = text.indexOf('\n', colon);
  if (le < 0) le = text.length;
  if (!/^[ \t]*(?:#.*)?\r?$/.test(text.slice(colon + 1, le))) return;
  // A value on the next lines (`- secret:` then an indented map, as in Kubernetes volumes): a key.
  const column = at - ls;
  for (let i = le + 1; i < text.length; ) {
    let e = text.indexOf('\n', i);
    if (e < 0) e = text.length;
    const line = text.slice(i, e);
    const content = line.trimStart();
    if (content && !content.startsWith('#') && content !== '\r') {
      const indent = line.length - content.length;
      if (indent > column || (indent === column && /^-(?:\s|$)/.test(content))) return;
      break;
    }
    i = e + 1;
  }
  const start = at + found.index;
  refs.push({ ...parseApoloRef('secret:'), start, end: start + 'secret:'.length, text: 'secret:' });
}

/** Parses one `secret:` text (already known to start with `secret:`). */
export function parseApoloRef(text: string): Omit<SecretReference, 'start' | 'end' | 'text'> {
  const body = text.slice('secret:'.length);
  const base = { syntax: 'apolo' as const, name: '' };
  if (body.includes('${{') || body.includes('$[[')) return { ...base, name: body, dynamic: true };
  if (/\s/.test(body)) return { ...base, name: body, problem: `'${text}' contains whitespace; a secret reference is secret:NAME.` };
  if (body.startsWith('//')) {
    const rest = body.slice(2);
    if (rest.includes('?') || rest.includes('#')) return { ...base, name: rest, form: 'uri', problem: 'A secret URI cannot have a query (?) or fragment (#); use %3F / %23.' };
    const segs = rest.split('/');
    if (segs.length !== 4 || segs.some((s) => !s)) {
      return { ...base, name: segs[segs.length - 1] ?? '', form: 'uri', problem: `A secret URI has exactly four parts: secret://CLUSTER/ORG/PROJECT/NAME (this one has ${segs.filter(Boolean).length}).` };
    }
    if (segs[0].includes('@') || segs[0].includes(':')) return { ...base, name: segs[3], form: 'uri', problem: 'A secret URI cannot carry a user, password or port.' };
    return { ...base, form: 'uri', cluster: segs[0], org: segs[1], project: segs[2], name: decodeSafe(segs[3]) };
  }
  // secret:NAME[:/mount/path] or secret:/PROJECT/NAME[:/mount/path]
  let refPart = body;
  let mountPath: string | undefined;
  const colon = body.indexOf(':');
  if (colon >= 0) {
    refPart = body.slice(0, colon);
    mountPath = body.slice(colon + 1);
    if (!mountPath) return { ...base, name: refPart, problem: `'${text}' ends with ':'; a secret volume is secret:NAME:/container/path.` };
    if (/:(ro|rw)$/.test(mountPath)) return { ...base, name: refPart, mountPath, problem: "Secret volumes can't be marked :ro or :rw; drop the suffix." };
    if (!mountPath.startsWith('/')) return { ...base, name: refPart, mountPath, problem: `The mount path '${mountPath}' must be absolute (start with '/').` };
  }
  if (refPart.startsWith('/')) {
    const segs = refPart.slice(1).split('/');
    if (segs.length !== 2 || !segs[0] || !segs[1]) return { ...base, name: segs[segs.length - 1] ?? '', form: 'project', mountPath, problem: `'secret:${refPart}' should be secret:/PROJECT/NAME.` };
    return { ...base, form: 'project', project: segs[0], name: segs[1], mountPath };
  }
  if (!refPart) return { ...base, form: 'short', mountPath, problem: "'secret:' names no secret: write secret:NAME (or secret:/PROJECT/NAME)." };
  if (refPart.includes('/')) return { ...base, name: refPart, form: 'short', mountPath, problem: `'secret:${refPart}': a name can't contain '/'; use secret:/PROJECT/NAME or secret://CLUSTER/ORG/PROJECT/NAME.` };
  return { ...base, form: 'short', name: refPart, mountPath };
}

function decodeSafe(s: string): string {
  try {
    return decodeURIComponent(s);
  } catch {
    return s;
  }
}

/** Offsets of line starts, for offset → line/column without a vscode document. */
export function lineStarts(text: string): number[] {
  const out = [0];
  for (let i = text.indexOf('\n'); i >= 0; i = text.indexOf('\n', i + 1)) out.push(i + 1);
  return out;
}

export function positionAt(starts: number[], offset: number): { line: number; character: number } {
  let lo = 0;
  let hi = starts.length - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (starts[mid] <= offset) lo = mid;
    else hi = mid - 1;
  }
  return { line: lo, character: offset - starts[lo] };
}
