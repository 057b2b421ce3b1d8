// Python string literals, for the tokenizer (src/core/platforms/flyte/syntaxPythonTokenizer.ts):
// where a string ends (prefixes, triple quotes, escapes, line continuations, f-string and t-string
// replacement fields with strings nested inside them), and a literal's value from its body.
// Linear: every branch moves forward; recursion (strings inside f-string fields) is bounded.

import * as tokens from './syntaxPythonTokens';

// Local copies, taken once: the per-file CommonJS build (unit tests, benchmarks) reads an imported
// binding through a getter at every use, which would cost these hot loops several times over.
const { CH_BACKSLASH, CH_COLON, CH_CR, CH_DQ, CH_HASH, CH_LBRACE, CH_LBRACKET, CH_LF, CH_LPAREN, CH_RBRACE, CH_RBRACKET, CH_RPAREN, CH_SQ, BYTES, FMT, FSTR_RUN_DQ, FSTR_RUN_SQ, HAS_FIELD, IDENT_RUN, isIdentStart, MAX_FSTRING_NEST, prefixFlags, RAW, runEnd, STR_RUN_DQ, STR_RUN_SQ, TMPL, TO_EOL, UNTERMINATED } = tokens;

/** The string-scanning half of the tokenizer: a cursor over the text that knows physical lines. */
export class StringLexer {
  protected readonly n: number;
  /** Where the current physical line starts. */
  protected lineStart = 0;
  /** Set by scanString: the flags and the quote length of the string it scanned. */
  protected strFlags = 0;
  protected strQuoteLen = 1;

  constructor(protected readonly text: string) {
    this.n = text.length;
  }

  protected code(at: number): number {
    return at < this.n ? this.text.charCodeAt(at) : -1;
  }

  /** Passes a line break at `at` (CR, LF or CRLF); returns the offset after it. */
  protected lineBreak(at: number): number {
    const next = this.text.charCodeAt(at) === CH_CR && this.code(at + 1) === CH_LF ? at + 2 : at + 1;
    this.lineStart = next;
    return next;
  }

  /**
   * Scans a string whose opening quote is at `q`; returns its end, and sets `strFlags` and
   * `strQuoteLen`. An unterminated string ends at its line's end (single-quoted) or the text's.
   */
  protected scanString(q: number, flags: number, nest: number): number {
    const text = this.text;
    let fl = flags;
    const quote = text.charCodeAt(q);
    const triple = this.code(q + 1) === quote && this.code(q + 2) === quote;
    const ql = triple ? 3 : 1;
    let j = q + ql;
    let end = -1;
    const run = fl & (FMT | TMPL) ? (quote === CH_SQ ? FSTR_RUN_SQ : FSTR_RUN_DQ) : quote === CH_SQ ? STR_RUN_SQ : STR_RUN_DQ;
    while (j < this.n) {
      j = runEnd(run, text, j);
      if (j >= this.n) break;
      const c = text.charCodeAt(j);
      if (c === CH_BACKSLASH) j = this.escape(j, fl);
      else if (c === quote) {
        if (!triple) {
          end = j + 1;
          break;
        }
        if (this.code(j + 1) === quote && this.code(j + 2) === quote) {
          end = j + 3;
          break;
        }
        j++;
      } else if (c === CH_LF || c === CH_CR) {
        if (!triple) break;
        j = this.lineBreak(j);
      } else if (fl & (FMT | TMPL) && c === CH_LBRACE) {
        if (this.code(j + 1) === CH_LBRACE) j += 2;
        else {
          fl |= HAS_FIELD;
          j = this.scanField(j + 1, quote, triple, nest);
        }
      } else j++;
    }
    if (end < 0) {
      fl |= UNTERMINATED;
      end = j;
    }
    this.strFlags = fl;
    this.strQuoteLen = ql;
    return end;
  }

  /** A backslash at `j` inside a string: where scanning goes on. */
  private escape(j: number, fl: number): number {
    const d = this.code(j + 1);
    if (d === CH_LF || d === CH_CR) return this.lineBreak(j + 1);
    if (fl & FMT && (d === CH_LBRACE || d === CH_RBRACE)) return j + 1;
    return j + (d < 0 ? 1 : 2);
  }

  /**
   * Scans an f-string replacement field's body starting at `j` (after `{`); returns the offset
   * after its closing `}`, or where the enclosing string's scan should resume (a line break of a
   * single-quoted string, the outer quote in a format spec, the end of the text).
   */
  private scanField(j: number, outerQuote: number, outerTriple: boolean, nest: number): number {
    let depth = 0;
    while (j < this.n) {
      const c = this.text.charCodeAt(j);
      if (c === CH_LF || c === CH_CR) {
        if (!outerTriple) return j;
        j = this.lineBreak(j);
        continue;
      }
      if (c === CH_SQ || c === CH_DQ) {
        if (nest >= MAX_FSTRING_NEST) {
          if (c === outerQuote) return j;
          j++;
        } else j = this.scanString(j, 0, nest + 1);
        continue;
      }
      if (isIdentStart(c)) {
        j = this.fieldName(j, nest);
        continue;
      }
      if (c === CH_HASH) {
        // A comment inside a multi-line field (Python 3.12) runs to the end of the line.
        if (!outerTriple) return j;
        j = runEnd(TO_EOL, this.text, j);
        continue;
      }
      if (c === CH_LPAREN || c === CH_LBRACKET || c === CH_LBRACE) depth++;
      else if (c === CH_RPAREN || c === CH_RBRACKET) depth = Math.max(0, depth - 1);
      else if (c === CH_RBRACE) {
        if (depth === 0) return j + 1;
        depth--;
      } else if (c === CH_COLON && depth === 0) {
        return this.scanSpec(j + 1, outerQuote, outerTriple, nest);
      } else if (c === CH_BACKSLASH && (this.code(j + 1) === CH_LF || this.code(j + 1) === CH_CR)) {
        j = this.lineBreak(j + 1);
        continue;
      }
      j++;
    }
    return j;
  }

  /** A name in a field, or the prefix of a string nested there (`f"{x!r:{w}}"`, `f"{rb'…'}"`). */
  private fieldName(j: number, nest: number): number {
    const k = runEnd(IDENT_RUN, this.text, j + 1);
    const q = this.code(k);
    if ((q === CH_SQ || q === CH_DQ) && k - j <= 2 && nest < MAX_FSTRING_NEST) {
      const pf = prefixFlags(this.text.slice(j, k));
      if (pf >= 0) return this.scanString(k, pf, nest + 1);
    }
    return k;
  }

  /** A format spec (after a field's top-level `:`): literal text with nested `{…}` fields, ending at `}`. */
  private scanSpec(j: number, outerQuote: number, outerTriple: boolean, nest: number): number {
    while (j < this.n) {
      const c = this.text.charCodeAt(j);
      if (c === CH_LF || c === CH_CR) {
        if (!outerTriple) return j;
        j = this.lineBreak(j);
        continue;
      }
      if (c === CH_RBRACE) return j + 1;
      if (c === outerQuote) return j;
      if (c === CH_BACKSLASH) {
        const d = this.code(j + 1);
        j = d === CH_LF || d === CH_CR ? this.lineBreak(j + 1) : j + (d < 0 ? 1 : 2);
        continue;
      }
      if (c === CH_LBRACE) {
        j = nest < MAX_FSTRING_NEST ? this.scanField(j + 1, outerQuote, outerTriple, nest + 1) : j + 1;
        continue;
      }
      j++;
    }
    return j;
  }
}

const SIMPLE_ESCAPES: Record<string, string> = { '\\': '\\', "'": "'", '"': '"', a: '\x07', b: '\b', f: '\f', n: '\n', r: '\r', t: '\t', v: '\v' };

/** A literal's value from its body (between the quotes). */
export function decodeBody(body: string, fl: number): string {
  let s = body.includes('\r') ? body.replace(/\r\n?/g, '\n') : body;
  if (fl & FMT) s = s.replace(/\{\{/g, '{').replace(/\}\}/g, '}');
  if (fl & RAW || !s.includes('\\')) return s;
  let out = '';
  let i = 0;
  while (i < s.length) {
    const c = s[i];
    if (c !== '\\' || i + 1 >= s.length) {
      out += c;
      i++;
      continue;
    }
    const d = s[i + 1];
    if (d === '\n') {
      i += 2;
      continue;
    }
    if (d in SIMPLE_ESCAPES) {
      out += SIMPLE_ESCAPES[d];
      i += 2;
      continue;
    }
    if (d >= '0' && d <= '7') {
      const m = /^[0-7]{1,3}/.exec(s.slice(i + 1, i + 4)) as RegExpExecArray;
      out += String.fromCodePoint(parseInt(m[0], 8));
      i += 1 + m[0].length;
      continue;
    }
    const hexLen = d === 'x' ? 2 : !(fl & BYTES) && d === 'u' ? 4 : !(fl & BYTES) && d === 'U' ? 8 : 0;
    if (hexLen) {
      const hex = s.slice(i + 2, i + 2 + hexLen);
      const cp = /^[0-9a-fA-F]+$/.test(hex) && hex.length === hexLen ? parseInt(hex, 16) : NaN;
      if (cp <= 0x10ffff) {
        out += String.fromCodePoint(cp);
        i += 2 + hexLen;
        continue;
      }
    }
    // Unknown escapes (and \N{…}, which needs the Unicode name table) stay as written.
    out += c;
    i++;
  }
  return out;
}
