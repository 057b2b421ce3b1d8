// The YAML scan that uses yaml's lexer only (no parse tree), which is several times cheaper than
// building one. A scalar followed by `:` is a key and never a reference; every other scalar's text
// is examined (yamlScalars.ts). It also notes what incremental re-scans need to know: where a quoted
// scalar that never closes starts, and whether the text is too deep or broken to be worth a parse.

import { yaml } from '../vendor';
import { capReferences, MAX_REFERENCES, type ScanOptions, type ScanResult, type SecretReference } from './reference';
import { finishReferences, mayContainReferences, type ScalarToken, scanEmptyKey, scanScalar, unterminated } from './yamlScalars';

/** Deeper flow nesting than this makes yaml's Parser (≈5 µs a level) cost many full scans. */
const MAX_PARSED_FLOW_DEPTH = 256;

/** yaml's Lexer markers (zero-width tokens): a scalar follows, a document starts, a flow collection broke off. */
export const SCALAR_MARK = '\x1f';
export const DOC_MARK = '\x02';
export const FLOW_END_MARK = '\x18';

export interface TailScan {
  result: ScanResult;
  /** Where a quoted scalar that never closes starts: yaml's lexer runs it to the end of the file. */
  openFrom?: number;
  /** Flow collections broken off or nested too deep for a parse to pay off (or: not looked at). */
  deepOrBroken?: boolean;
}

/** The lexer's scan; undefined when this yaml's Lexer doesn't say where its tokens are. */
export function lexerScan(text: string, options: ScanOptions = {}): TailScan | undefined {
  if (options.maxLength !== undefined && text.length > options.maxLength) return { result: { references: [], skipped: 'tooLarge' } };
  if (!mayContainReferences(text)) return { result: { references: [] }, openFrom: 0, deepOrBroken: true }; // not looked at: say 'maybe'
  const lexer = new (yaml().Lexer)();
  const lx = lexer as unknown as { pos: number };
  if (typeof lx.pos !== 'number') return undefined;
  const scan = new LexScan(text);
  // Offsets come from the lexer's own position, never from guessing which tokens are markers: while
  // a token is being yielded, `pos` is where it starts (a marker's: where the next token starts), and
  // `pos` moves on by exactly the length of each real token (every advance in yaml's Lexer is a
  // `push…` right after its yield). So a real token is one after which `pos` moved: a one-character
  // token that could be either (a plain scalar `\0`…, a block header's junk `| \x1f`) is decided by
  // where the next token starts.
  let held: string | undefined;
  let heldAt = 0;
  for (const tok of lexer.lex(text)) {
    const at = lx.pos;
    if (held !== undefined) {
      scan.step(held, heldAt, at === heldAt);
      held = undefined;
    }
    if (tok.length === 1 && (tok === SCALAR_MARK || tok === DOC_MARK || tok === FLOW_END_MARK)) {
      if (text.charCodeAt(at) !== tok.charCodeAt(0)) scan.step(tok, at, true);
      else {
        held = tok;
        heldAt = at;
      }
      continue;
    }
    scan.step(tok, at, false);
    // Enough: the lexer goes in text order, so every reference not found yet comes after these.
    if (scan.refs.length > MAX_REFERENCES) break;
  }
  if (scan.refs.length > MAX_REFERENCES) return { result: { references: finishReferences(text, scan.refs).slice(0, MAX_REFERENCES), truncated: true }, openFrom: 0, deepOrBroken: true };
  if (held !== undefined) scan.step(held, heldAt, lx.pos === heldAt);
  scan.flush();
  const result = capReferences(finishReferences(text, scan.refs));
  return { result, openFrom: scan.openFrom, deepOrBroken: result.truncated || scan.flowBroken || scan.flowDepth > 0 || scan.maxFlowDepth > MAX_PARSED_FLOW_DEPTH };
}

/** The scan's state between tokens. */
class LexScan {
  readonly refs: SecretReference[] = [];
  openFrom: number | undefined;
  /** Flow nesting as the lexer saw it: a broken or very deep flow collection is not worth a parse. */
  flowDepth = 0;
  maxFlowDepth = 0;
  flowBroken = false;
  private scalarNext = false;
  private afterBlockHeader = false;
  /** A scalar seen but not yet known to be a key or a value. */
  private pending: ScalarToken | undefined;

  constructor(private readonly text: string) {}

  flush(): void {
    if (this.pending) scanScalar(this.pending, this.refs);
    this.pending = undefined;
  }

  /** One token at its offset; `marker` for the lexer's zero-width markers. */
  step(tok: string, offset: number, marker: boolean): void {
    if (marker) {
      // \x1f announces a scalar (plain, or a block scalar's body); \x02 and \x18 start a document
      // and end a broken flow collection.
      if (tok === SCALAR_MARK) this.scalarNext = true;
      else if (tok === FLOW_END_MARK) {
        this.flowBroken = true;
        this.flowDepth = 0;
      }
      return;
    }
    const c = tok.charCodeAt(0);
    if (this.scalarNext) this.scalar(tok, offset);
    else if (c === 0x22 || c === 0x27) this.quoted(tok, offset, c);
    else if (tok === ':') this.colon();
    else if (c === 0x5b || c === 0x7b) {
      this.flush();
      if (++this.flowDepth > this.maxFlowDepth) this.maxFlowDepth = this.flowDepth;
    } else if (c === 0x5d || c === 0x7d) {
      this.flush();
      if (this.flowDepth > 0) this.flowDepth--;
    } else if (c === 0x7c || c === 0x3e) {
      // | or > (with indicators): the next scalar is a block scalar's body.
      this.flush();
      this.afterBlockHeader = /^[|>][-+0-9]*$/.test(tok);
    } else if (c !== 0x20 && c !== 0x09 && !(this.afterBlockHeader && (c === 0x0a || c === 0x0d || c === 0x23))) {
      // Anything else (a newline included: implicit keys are one-line) settles the pending scalar.
      this.flush();
    }
  }

  /** A plain scalar, or a block scalar's body. */
  private scalar(tok: string, offset: number): void {
    this.scalarNext = false;
    this.flush();
    this.pending = this.afterBlockHeader
      ? ({ type: 'block-scalar', offset, indent: 0, props: [], source: tok } as unknown as ScalarToken)
      : ({ type: 'scalar', offset, indent: 0, source: tok, end: [] } as unknown as ScalarToken);
    this.afterBlockHeader = false;
  }

  /** A quoted scalar arrives without a marker. */
  private quoted(tok: string, offset: number, c: number): void {
    this.flush();
    this.pending = { type: c === 0x22 ? 'double-quoted-scalar' : 'single-quoted-scalar', offset, indent: 0, source: tok, end: [] } as unknown as ScalarToken;
    if (offset + tok.length === this.text.length && unterminated(tok)) this.openFrom = offset;
  }

  /** `key:` — a scalar right before `:` on its line was a key (a block scalar's body never is). */
  private colon(): void {
    const pending = this.pending;
    if (pending && pending.type !== 'block-scalar' && !pending.source.includes('\n')) {
      if (pending.type === 'scalar' && this.flowDepth === 0) scanEmptyKey(this.text, pending.offset, pending.source, this.refs);
      this.pending = undefined;
    } else this.flush();
  }
}
