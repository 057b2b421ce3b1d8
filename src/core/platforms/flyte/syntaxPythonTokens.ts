// The Python tokenizer's vocabulary (src/core/platforms/flyte/syntaxPythonTokenizer.ts): token kinds,
// string flags, character classes, and the token store. Tokens live in parallel typed arrays (no
// object per token: a 50,000-line file has hundreds of thousands of them).

export const NAME = 0;
export const STR = 1;
export const NUM = 2;
export const OP = 3;
export const NL = 4; // end of a logical line (outside brackets)

// String flags.
export const RAW = 1;
export const BYTES = 2;
export const FMT = 4;
export const TMPL = 8;
export const UNTERMINATED = 16;
export const HAS_FIELD = 32;

export const CH_TAB = 9;
export const CH_LF = 10;
export const CH_FF = 12;
export const CH_CR = 13;
export const CH_SPACE = 32;
export const CH_DQ = 34;
export const CH_HASH = 35;
export const CH_SQ = 39;
export const CH_LPAREN = 40;
export const CH_RPAREN = 41;
export const CH_STAR = 42;
export const CH_COMMA = 44;
export const CH_DOT = 46;
export const CH_COLON = 58;
export const CH_EQ = 61;
export const CH_AT = 64;
export const CH_LBRACKET = 91;
export const CH_BACKSLASH = 92;
export const CH_RBRACKET = 93;
export const CH_LBRACE = 123;
export const CH_RBRACE = 125;

/** Operator codes: a one-character operator is its char code; longer ones pack 2–3 char codes. */
export const OP_STARSTAR = CH_STAR | (CH_STAR << 8);

/** First characters of the two-character operators ending in `=` (`==`, `+=`, `:=`, …). */
export const OP_BEFORE_EQ = [...'=!<>:+-*/%&|^@'].map((ch) => ch.charCodeAt(0));

/** Nesting limit for strings inside f-string fields inside strings…; deeper, quotes end fields. */
export const MAX_FSTRING_NEST = 16;

export function isUnicodeSpace(c: number): boolean {
  return c === 0xa0 || c === 0x1680 || (c >= 0x2000 && c <= 0x200a) || c === 0x2028 || c === 0x2029 || c === 0x202f || c === 0x205f || c === 0x3000 || c === 0xfeff;
}

export function isIdentStart(c: number): boolean {
  return (c >= 97 && c <= 122) || (c >= 65 && c <= 90) || c === 95 || (c >= 0x80 && !isUnicodeSpace(c));
}

export function isIdentPart(c: number): boolean {
  return isIdentStart(c) || (c >= 48 && c <= 57);
}

// Sticky regexes for the hot runs (native speed even before the JIT warms up). Identifier
// characters: ASCII word characters and any non-ASCII character except Unicode spaces.
export const IDENT_RUN = /[\w\u0080-\u009f\u00a1-\u167f\u1681-\u1fff\u200b-\u2027\u202a-\u202e\u2030-\u205e\u2060-\u2fff\u3001-\ufefe\uff00-\uffff]*/y;
export const TO_EOL = /[^\r\n]*/y;
export const STR_RUN_SQ = /[^'\\\r\n]*/y;
export const STR_RUN_DQ = /[^"\\\r\n]*/y;
export const FSTR_RUN_SQ = /[^'\\\r\n{]*/y;
export const FSTR_RUN_DQ = /[^"\\\r\n{]*/y;

/** Where the run that `re` (sticky, `*`) matches from `at` ends. */
export function runEnd(re: RegExp, text: string, at: number): number {
  re.lastIndex = at;
  re.test(text);
  return re.lastIndex;
}

export function isDigit(c: number): boolean {
  return c >= 48 && c <= 57;
}

/** String flags for a prefix (`rb`, `F`, …), or -1 when it isn't one. */
export function prefixFlags(p: string): number {
  if (p.length === 0 || p.length > 2) return -1;
  let fl = 0;
  for (const ch of p.toLowerCase()) {
    const bit = ch === 'r' ? RAW : ch === 'b' ? BYTES : ch === 'f' ? FMT : ch === 't' ? TMPL : ch === 'u' ? 0 : -1;
    if (bit < 0) return -1;
    if (ch === 'u' && p.length > 1) return -1;
    if (bit & fl) return -1;
    fl |= bit;
  }
  // Only r may combine with one of b / f / t.
  if (p.length === 2 && (!(fl & RAW) || fl === RAW)) return -1;
  return fl;
}

export class Tokens {
  count = 0;
  kind: Uint8Array;
  start: Int32Array;
  end: Int32Array;
  /** OP: operator code. STR: prefix length | quote length << 8 | flags << 16. */
  info: Int32Array;
  /** Opening brackets: where the group's content ends (exclusive index: the closer, or the cut-off); else -1. */
  m: Int32Array;
  /** Opening brackets: the index of the first token after the group; else -1. */
  after: Int32Array;

  constructor(capacity: number) {
    this.kind = new Uint8Array(capacity);
    this.start = new Int32Array(capacity);
    this.end = new Int32Array(capacity);
    this.info = new Int32Array(capacity);
    this.m = new Int32Array(capacity);
    this.after = new Int32Array(capacity);
  }

  add(kind: number, start: number, end: number, info: number): number {
    if (this.count === this.kind.length) this.grow();
    const i = this.count++;
    this.kind[i] = kind;
    this.start[i] = start;
    this.end[i] = end;
    this.info[i] = info;
    this.m[i] = -1;
    this.after[i] = -1;
    return i;
  }

  private grow(): void {
    const cap = this.kind.length * 2;
    const g = <T extends Uint8Array | Int32Array>(a: T, make: (n: number) => T): T => {
      const b = make(cap);
      b.set(a);
      return b;
    };
    this.kind = g(this.kind, (n) => new Uint8Array(n));
    this.start = g(this.start, (n) => new Int32Array(n));
    this.end = g(this.end, (n) => new Int32Array(n));
    this.info = g(this.info, (n) => new Int32Array(n));
    this.m = g(this.m, (n) => new Int32Array(n));
    this.after = g(this.after, (n) => new Int32Array(n));
  }
}

export interface Lexed {
  toks: Tokens;
  /** Line-start offsets of lines that end in `# ml-secrets-ignore` (a real comment). */
  ignored: Set<number>;
}
