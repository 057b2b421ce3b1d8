// From a YAML scalar to its secret references, for both YAML scanners (the lexer's in yamlLexer.ts,
// the parser's in yamlParser.ts): where its source and value sit in the text, and what each syntax's
// recogniser (src/core/references/syntaxes.ts) finds there. Then the references of a whole text are
// ordered and those on ignored lines dropped.

import type { CST } from 'yaml';
import { yaml } from '../vendor';
import { bracesLookalike } from './lookalikes';
import { IGNORE_MARKER, type SecretReference } from './reference';
import type { ValueMatch, YamlRecogniser } from './syntax';
import { YAML_RECOGNISERS } from './syntaxes';

export type ScalarToken = CST.FlowScalar | CST.BlockScalar;

const TRIGGERS = YAML_RECOGNISERS.map((r) => r.trigger);
const IN_SOURCE = YAML_RECOGNISERS.filter((r) => r.inSource);
const IN_VALUE = YAML_RECOGNISERS.filter((r) => r.inValue);
const IN_EMPTY_KEY = YAML_RECOGNISERS.filter((r) => r.inEmptyKey);

/** The cheap prefilter: text without any syntax's trigger can't hold a reference. */
export function mayContainReferences(text: string): boolean {
  for (const t of TRIGGERS) if (text.includes(t)) return true;
  return false;
}

export function scanScalar(tok: ScalarToken, refs: SecretReference[]): void {
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

  // Anywhere in the raw source (templates), several per scalar.
  for (const r of IN_SOURCE) if (source.includes(r.trigger)) r.inSource?.(source, sourceStart, refs);

  if (tok.type === 'block-scalar') return;

  // Whole-value forms need the scalar's value and where that value sits in the text.
  const { value, valueStart } = scalarValue(tok);
  if (value === undefined) return;
  for (const r of IN_VALUE) {
    const hit = r.inValue?.(value);
    // Another tool's `{{ … }}` (Helm, Argo, Jinja: lookalikes.ts) is nobody's reference.
    if (hit && !bracesLookalike(hit.text)) {
      refs.push(placed(r, hit, tok, valueStart));
      return;
    }
  }
}

/**
 * A value's reference in the text: its own range where the value maps 1:1 onto the source, else
 * (escapes, quotes, folded lines in between) the whole scalar's source, with no known name start.
 */
function placed(r: YamlRecogniser, hit: ValueMatch, tok: CST.FlowScalar, valueStart: number | undefined): SecretReference {
  const start = valueStart !== undefined ? valueStart + hit.index : tok.offset;
  const text = valueStart !== undefined ? hit.text : tok.source;
  const ref: SecretReference = { ...hit.ref, start, end: start + text.length, text };
  if (valueStart !== undefined && ref.name && !ref.problem && !ref.dynamic) {
    const at = r.nameOffset?.(ref);
    if (at !== undefined) ref.nameStart = start + at;
  }
  return ref;
}

/** A plain one-line key that may be a reference with no name (`A: secret:`). */
export function scanEmptyKey(text: string, at: number, source: string, refs: SecretReference[]): void {
  for (const r of IN_EMPTY_KEY) r.inEmptyKey?.(text, at, source, refs);
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

/** The scalar's value; a scalar the parser can't resolve (an unterminated quote) has none. */
function resolveScalar(tok: CST.FlowScalar): { value: string } | undefined {
  try {
    return yaml().CST.resolveAsScalar(tok, false, () => undefined) ?? undefined;
  } catch {
    return undefined;
  }
}

/** Whether a quoted scalar's source lacks its closing quote (`''` and `\"` are escapes, not ends). */
export function unterminated(source: string): boolean {
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

/** Orders the references and drops those on ignored lines. */
export function finishReferences(text: string, refs: SecretReference[]): SecretReference[] {
  refs.sort((a, b) => a.start - b.start);
  // Each line's end is looked up once (many references on one long line stay linear).
  let lineEnd = -1;
  let ignored = false;
  return refs.filter((r) => {
    if (r.start > lineEnd) {
      lineEnd = text.indexOf('\n', r.start);
      if (lineEnd < 0) lineEnd = text.length;
      ignored = lineEndsIgnored(text, lineEnd);
    }
    return !ignored;
  });
}

/** Whether the line ending at `lineEnd` (a '\n' or the end) ends in `# ml-secrets-ignore`. */
function lineEndsIgnored(text: string, lineEnd: number): boolean {
  let e = lineEnd;
  if (e > 0 && text.charCodeAt(e - 1) === 0x0d) e--;
  // trimEnd(): whitespace before the line end (never past the line's start).
  while (e > 0 && text.charCodeAt(e - 1) !== 0x0a && /\s/.test(text[e - 1])) e--;
  return e >= IGNORE_MARKER.length && text.startsWith(IGNORE_MARKER, e - IGNORE_MARKER.length) && text.lastIndexOf('\n', e - 1) <= e - IGNORE_MARKER.length - 1;
}
