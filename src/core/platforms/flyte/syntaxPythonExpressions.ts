// Reading Python expressions off the token arrays (src/core/platforms/flyte/syntaxPythonTokens.ts):
// names and operators at an index, a bracket group's comma-separated parts, keyword arguments,
// parentheses that only wrap, dotted calls, and string literals with their decoded values.

import { decodeBody } from './syntaxPythonStrings';
import type { Lexed, Tokens } from './syntaxPythonTokens';
import * as tokens from './syntaxPythonTokens';

// Local copies, taken once: the per-file CommonJS build (unit tests, benchmarks) reads an imported
// binding through a getter at every use, which would cost these hot loops several times over.
const { BYTES, CH_COMMA, CH_EQ, CH_LPAREN, CH_DOT, HAS_FIELD, NAME, OP, STR, TMPL, UNTERMINATED } = tokens;

export interface Literal {
  start: number;
  end: number;
  text: string;
  /** The decoded value (the source text for dynamic ones). */
  value: string;
  /** Where the value starts in the text, when it appears there verbatim. */
  valueStart?: number;
  dynamic?: boolean;
  bytes?: boolean;
}

/** Token indexes [s, e). */
export interface Range {
  s: number;
  e: number;
}

export class TokenView {
  protected readonly toks: Tokens;

  constructor(
    protected readonly text: string,
    protected readonly lexed: Lexed,
  ) {
    this.toks = lexed.toks;
  }

  protected isOp(j: number, op: number): boolean {
    return j >= 0 && j < this.toks.count && this.toks.kind[j] === OP && this.toks.info[j] === op;
  }

  protected isName(j: number, word?: string): boolean {
    const t = this.toks;
    if (j < 0 || j >= t.count || t.kind[j] !== NAME) return false;
    return word === undefined || (t.end[j] - t.start[j] === word.length && this.text.startsWith(word, t.start[j]));
  }

  protected nameText(j: number): string {
    return this.text.slice(this.toks.start[j], this.toks.end[j]);
  }

  /** Top-level comma-separated parts of [s, e). */
  protected split(s: number, e: number): { parts: Range[]; trailingComma: boolean } {
    const { kind, info, after } = this.toks;
    const parts: Range[] = [];
    let from = s;
    let j = s;
    while (j < e) {
      if (after[j] >= 0) {
        j = Math.max(after[j], j + 1);
        continue;
      }
      if (kind[j] === OP && info[j] === CH_COMMA) {
        parts.push({ s: from, e: j });
        from = j + 1;
      }
      j++;
    }
    const trailingComma = from === e && parts.length > 0;
    if (from < e) parts.push({ s: from, e });
    return { parts, trailingComma };
  }

  /** The arguments of the call whose `(` is at `open`. */
  protected args(open: number): Range[] {
    return this.split(open + 1, this.toks.m[open]).parts;
  }

  protected keyword(r: Range): string | undefined {
    return r.e - r.s >= 2 && this.isName(r.s) && this.isOp(r.s + 1, CH_EQ) ? this.nameText(r.s) : undefined;
  }

  /** Strips parentheses that wrap a whole expression (not a tuple). */
  protected unwrap(r: Range): Range {
    for (;;) {
      if (r.e - r.s < 2 || !this.isOp(r.s, CH_LPAREN) || this.toks.after[r.s] !== r.e) return r;
      const inner = { s: r.s + 1, e: this.toks.m[r.s] };
      const { parts, trailingComma } = this.split(inner.s, inner.e);
      if (parts.length !== 1 || trailingComma) return r;
      r = inner;
    }
  }

  /** A call `name(.name)*(...)` spanning exactly r: its last name and `(` index. */
  protected dottedCall(r: Range): { last: string; open: number } | undefined {
    let j = r.s;
    if (!this.isName(j)) return undefined;
    j++;
    while (this.isOp(j, CH_DOT) && this.isName(j + 1)) j += 2;
    if (!this.isOp(j, CH_LPAREN) || this.toks.after[j] !== r.e) return undefined;
    return { last: this.nameText(j - 1), open: j };
  }

  protected isStringChain(r: Range): boolean {
    if (r.e <= r.s) return false;
    for (let j = r.s; j < r.e; j++) if (this.toks.kind[j] !== STR) return false;
    return true;
  }

  /** An argument's literal: undefined when not given, null when given but not a literal we can read. */
  protected literalArg(r: Range | undefined): Literal | undefined | null {
    if (!r) return undefined;
    const u = this.unwrap(r);
    return this.isStringChain(u) ? (this.literal(u) ?? null) : null;
  }

  /** A string chain as a literal: undefined when any part is unterminated. */
  protected literal(r: Range): Literal | undefined {
    const { start, end, info } = this.toks;
    for (let j = r.s; j < r.e; j++) if ((info[j] >> 16) & UNTERMINATED) return undefined;
    const f = r.s;
    const s = start[f];
    const e = end[r.e - 1];
    const text = this.text.slice(s, e);
    // Implicit concatenation: treated as dynamic (not checked).
    if (r.e - r.s > 1) return { start: s, end: e, text, value: text, dynamic: true };
    const pre = info[f] & 0xff;
    const ql = (info[f] >> 8) & 0xff;
    const fl = info[f] >> 16;
    const bodyStart = s + pre + ql;
    const raw = text.slice(pre + ql, text.length - ql);
    if (fl & (TMPL | HAS_FIELD)) return { start: s, end: e, text, value: raw, dynamic: true };
    const value = decodeBody(raw, fl);
    const lit: Literal = { start: s, end: e, text, value };
    if (fl & BYTES) lit.bytes = true;
    if (value === raw) lit.valueStart = bodyStart;
    return lit;
  }
}
