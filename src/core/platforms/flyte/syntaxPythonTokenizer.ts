// A small Python tokenizer (no parser dependency, linear time, never throws): names, strings,
// numbers, operators and logical-line ends, with each bracket group's extent, and the lines that end
// in `# ml-secrets-ignore`. Tolerant of code being typed: an unclosed bracket is cut off where a
// `def`, `class` or column-0 decorator shows it must have ended.

import { IGNORE_MARKER } from '../../references/reference';
import { StringLexer } from './syntaxPythonStrings';
import type { Lexed } from './syntaxPythonTokens';
import * as tokens from './syntaxPythonTokens';

// Local copies, taken once: the per-file CommonJS build (unit tests, benchmarks) reads an imported
// binding through a getter at every use, which would cost these hot loops several times over.
const { CH_AT, CH_BACKSLASH, CH_CR, CH_DOT, CH_DQ, CH_EQ, CH_FF, CH_HASH, CH_LBRACE, CH_LBRACKET, CH_LF, CH_LPAREN, CH_RBRACE, CH_RBRACKET, CH_RPAREN, CH_SPACE, CH_SQ, CH_STAR, CH_TAB, IDENT_RUN, isDigit, isIdentPart, isIdentStart, isUnicodeSpace, NAME, NL, NUM, OP, OP_BEFORE_EQ, prefixFlags, runEnd, STR, TO_EOL, Tokens } = tokens;

export function tokenize(text: string): Lexed {
  return new Tokenizer(text).run();
}

class Tokenizer extends StringLexer {
  private readonly toks: tokens.Tokens;
  private readonly ignored = new Set<number>();
  /** The opening brackets not closed yet. */
  private readonly stack: number[] = [];
  private firstOnLine = true;

  constructor(text: string) {
    super(text);
    this.toks = new Tokens(Math.max(64, text.length >> 2));
  }

  run(): Lexed {
    const text = this.text;
    let i = 0;
    while (i < this.n) {
      const c = text.charCodeAt(i);
      if (c === CH_SPACE || c === CH_TAB || c === CH_FF || (c >= 0x80 && isUnicodeSpace(c))) i++;
      else if (c === CH_LF || c === CH_CR) {
        i = this.lineBreak(i);
        this.firstOnLine = true;
        if (this.stack.length === 0 && this.toks.count && this.toks.kind[this.toks.count - 1] !== NL) this.newline(i);
      } else if (c === CH_HASH) i = this.comment(i);
      else if (c === CH_BACKSLASH && (this.code(i + 1) === CH_LF || this.code(i + 1) === CH_CR)) {
        i = this.lineBreak(i + 1); // explicit line continuation: no logical line break
      } else if (c === CH_SQ || c === CH_DQ) i = this.pushString(i, i, 0);
      else if (isIdentStart(c)) i = this.identifier(i);
      else if (isDigit(c) || (c === CH_DOT && isDigit(this.code(i + 1)))) i = this.number(i);
      else i = this.operator(i, c);
    }
    this.closeAll(this.toks.count);
    return { toks: this.toks, ignored: this.ignored };
  }

  private newline(at: number): void {
    this.toks.add(NL, at, at, 0);
  }

  /** Ends every open bracket group at token index `at` (a bracket left open while typing). */
  private closeAll(at: number): void {
    for (const o of this.stack) {
      this.toks.m[o] = at;
      this.toks.after[o] = at;
    }
    this.stack.length = 0;
  }

  /** A comment at `i`: notes an ignore marker ending it; returns the line's end. */
  private comment(i: number): number {
    const text = this.text;
    const j = runEnd(TO_EOL, text, i + 1);
    let last = j;
    while (last > i && (text.charCodeAt(last - 1) === CH_SPACE || text.charCodeAt(last - 1) === CH_TAB || text.charCodeAt(last - 1) === CH_FF)) last--;
    if (last - i >= IGNORE_MARKER.length && text.startsWith(IGNORE_MARKER, last - IGNORE_MARKER.length)) this.ignored.add(this.lineStart);
    return j;
  }

  private pushString(start: number, quoteAt: number, fl: number): number {
    const end = this.scanString(quoteAt, fl, 0);
    this.toks.add(STR, start, end, (quoteAt - start) | (this.strQuoteLen << 8) | (this.strFlags << 16));
    this.firstOnLine = false;
    return end;
  }

  /** A name at `i`, or a string's prefix (`rb"…"`). */
  private identifier(i: number): number {
    const text = this.text;
    const j = runEnd(IDENT_RUN, text, i + 1);
    const q = this.code(j);
    if ((q === CH_SQ || q === CH_DQ) && j - i <= 2) {
      const pf = prefixFlags(text.slice(i, j));
      if (pf >= 0) return this.pushString(i, j, pf);
    }
    // Resynchronise on `def` / `class` starting a line inside brackets: that can't be valid
    // there, so an earlier bracket was left open (typing in progress).
    if (this.stack.length && this.firstOnLine && ((j - i === 3 && text.startsWith('def', i)) || (j - i === 5 && text.startsWith('class', i)))) {
      this.closeAll(this.toks.count);
      this.newline(i);
    }
    this.toks.add(NAME, i, j, 0);
    this.firstOnLine = false;
    return j;
  }

  private number(i: number): number {
    const text = this.text;
    let j = i + 1;
    const hex = text.charCodeAt(i) === 48 && (this.code(j) === 120 || this.code(j) === 88);
    while (j < this.n) {
      const d = text.charCodeAt(j);
      if (isIdentPart(d) || d === CH_DOT) j++;
      else if ((d === 43 || d === 45) && !hex && (text.charCodeAt(j - 1) | 32) === 101) j++;
      else break;
    }
    this.toks.add(NUM, i, j, 0);
    this.firstOnLine = false;
    return j;
  }

  /** Operators and punctuation; brackets open and close groups. */
  private operator(i: number, c: number): number {
    const c2 = this.code(i + 1);
    let len = 1;
    if (c === CH_DOT && c2 === CH_DOT && this.code(i + 2) === CH_DOT) len = 3;
    else if ((c === CH_STAR || c === 47 || c === 60 || c === 62) && c2 === c) len = this.code(i + 2) === CH_EQ ? 3 : 2; // ** // << >>
    else if (c2 === CH_EQ && OP_BEFORE_EQ.includes(c)) len = 2;
    else if ((c === 45 && c2 === 62) || (c === 60 && c2 === 62)) len = 2; // -> <>
    const opCode = len === 1 ? c : len === 2 ? c | (c2 << 8) : c | (c2 << 8) | (this.code(i + 2) << 16);
    if (len === 1 && c === CH_AT && this.stack.length && i === this.lineStart) {
      // `@` in column 0 inside brackets: a decorator after an unclosed bracket.
      this.closeAll(this.toks.count);
      this.newline(i);
    }
    const idx = this.toks.add(OP, i, i + len, opCode);
    this.firstOnLine = false;
    if (len === 1) {
      if (c === CH_LPAREN || c === CH_LBRACKET || c === CH_LBRACE) this.stack.push(idx);
      else if (c === CH_RPAREN || c === CH_RBRACKET || c === CH_RBRACE) this.close(idx, c);
    }
    return i + len;
  }

  /** A closing bracket (token `idx`): ends the group it closes. */
  private close(idx: number, c: number): void {
    const { toks, stack } = this;
    const want = c === CH_RPAREN ? CH_LPAREN : c === CH_RBRACKET ? CH_LBRACKET : CH_LBRACE;
    const top = stack.length ? stack[stack.length - 1] : -1;
    if (top >= 0 && toks.info[top] === want) {
      stack.pop();
      toks.m[top] = idx;
      toks.after[top] = idx + 1;
    } else if (top >= 0 && stack.length >= 2 && toks.info[stack[stack.length - 2]] === want) {
      // The innermost bracket was never closed: it ends here, and this closes the one outside it.
      stack.pop();
      toks.m[top] = idx;
      toks.after[top] = idx;
      const outer = stack.pop() as number;
      toks.m[outer] = idx;
      toks.after[outer] = idx + 1;
    }
    // Otherwise a stray closer: an ordinary token.
  }
}
