// Finds Flyte 2 secret references in Python source, with exact offsets. Pure: text in, references
// out; no parser dependency (a small Python tokenizer below), linear time, never throws.
//
// Recognised (docs/contract.md "References in job files", docs/platform-apis.md §4.8), only inside
// the arguments of a `TaskEnvironment(...)` call (bare, `flyte.TaskEnvironment`, or any
// `x.TaskEnvironment`) or of a decorator whose expression ends in a call `.task(...)`
// (`@env.task(...)`, `@envs["gpu"].task(...)`; not a bare `@task(...)`):
//   secrets="NAME"                                   the literal is a reference
//   secrets=["NAME", ...] / secrets=("NAME", ...)    each literal element is one
//   secrets=flyte.Secret(key="NAME", ...)            the key (keyword or first positional argument)
//   secrets=[flyte.Secret("NAME", group=...), ...]   of `Secret(...)` / `<anything>.Secret(...)`
// `group=` does not change the name. Only the call's own `secrets=` keyword counts (not one of a
// nested call such as `image=...`), and a `Secret(...)` outside such a `secrets=` doesn't count.
//
// Not a reference, never reported: comments, docstrings and other strings (a string that merely
// contains `TaskEnvironment(` is one string token), variables, calls, `+` concatenations,
// comprehensions. Reported with `dynamic: true` (so not checked): an f-string with a `{}` field, a
// t-string, and implicit concatenation of adjacent literals (`"a" "b"`). Unterminated literals are
// skipped (the user is still typing). A line ending in `# ml-secrets-ignore` yields nothing.
//
// `problem` (→ reference-malformed) on the name's literal when the name is empty, is a bytes
// literal, doesn't match Flyte's name rule ^[-a-zA-Z0-9_]+$, or when Flyte would derive an invalid
// environment variable from it (no `as_env_var`/`mount`: (group_)key upper-cased, '-' → '_', must
// match ^[A-Z_][A-Z0-9_]*$, else `Secret()` raises). A literal `as_env_var=` that doesn't match
// ^[A-Z_][A-Z0-9_]*$, and a literal `mount=` (plain or `pathlib.Path("…")`) other than
// /etc/flyte/secrets, are each reported as a separate reference whose range is that literal, whose
// `name` is the secret's name (or '' when it isn't a literal), and whose `problem` says why.

import { capReferences, IGNORE_MARKER, positionAt, type ScanOptions, type ScanResult, type SecretReference } from './scanner';

const QUICK_TRIGGERS = ['secrets', 'Secret('];

/** The cheap prefilter: text without `secrets` or `Secret(` can't hold a Flyte reference. */
export function mayContainPythonReferences(text: string): boolean {
  for (const t of QUICK_TRIGGERS) if (text.includes(t)) return true;
  return false;
}

export const FLYTE_NAME_RULE = /^[-a-zA-Z0-9_]+$/;
export const FLYTE_ENV_VAR_RULE = /^[A-Z_][A-Z0-9_]*$/;
export const FLYTE_SECRET_MOUNT = '/etc/flyte/secrets';

export function scanPython(text: string, options: ScanOptions = {}): ScanResult {
  if (options.maxLength !== undefined && text.length > options.maxLength) return { references: [], skipped: 'tooLarge' };
  if (!mayContainPythonReferences(text)) return { references: [] };
  const lexed = tokenize(text);
  const refs = new Analyzer(text, lexed).run();
  refs.sort((a, b) => a.start - b.start || a.end - b.end);
  const out: SecretReference[] = [];
  for (const r of refs) {
    const prev = out[out.length - 1];
    if (prev && prev.start === r.start && prev.end === r.end) continue;
    out.push(r);
  }
  return capReferences(out);
}

// ---------------------------------------------------------------------------------------------
// Tokenizer. Tokens live in parallel typed arrays (no object per token: a 50,000-line file has
// hundreds of thousands of them).

const NAME = 0;
const STR = 1;
const NUM = 2;
const OP = 3;
const NL = 4; // end of a logical line (outside brackets)

// String flags.
const RAW = 1;
const BYTES = 2;
const FMT = 4;
const TMPL = 8;
const UNTERMINATED = 16;
const HAS_FIELD = 32;

const CH_TAB = 9;
const CH_LF = 10;
const CH_FF = 12;
const CH_CR = 13;
const CH_SPACE = 32;
const CH_DQ = 34;
const CH_HASH = 35;
const CH_SQ = 39;
const CH_LPAREN = 40;
const CH_RPAREN = 41;
const CH_STAR = 42;
const CH_COMMA = 44;
const CH_DOT = 46;
const CH_COLON = 58;
const CH_EQ = 61;
const CH_AT = 64;
const CH_LBRACKET = 91;
const CH_BACKSLASH = 92;
const CH_RBRACKET = 93;
const CH_LBRACE = 123;
const CH_RBRACE = 125;

/** Operator codes: a one-character operator is its char code; longer ones pack 2–3 char codes. */
const OP_STARSTAR = CH_STAR | (CH_STAR << 8);

/** First characters of the two-character operators ending in `=` (`==`, `+=`, `:=`, …). */
const OP_BEFORE_EQ = [...'=!<>:+-*/%&|^@'].map((ch) => ch.charCodeAt(0));

/** Nesting limit for strings inside f-string fields inside strings…; deeper, quotes end fields. */
const MAX_FSTRING_NEST = 16;

function isUnicodeSpace(c: number): boolean {
  return c === 0xa0 || c === 0x1680 || (c >= 0x2000 && c <= 0x200a) || c === 0x2028 || c === 0x2029 || c === 0x202f || c === 0x205f || c === 0x3000 || c === 0xfeff;
}

function isIdentStart(c: number): boolean {
  return (c >= 97 && c <= 122) || (c >= 65 && c <= 90) || c === 95 || (c >= 0x80 && !isUnicodeSpace(c));
}

function isIdentPart(c: number): boolean {
  return isIdentStart(c) || (c >= 48 && c <= 57);
}

// Sticky regexes for the hot runs (native speed even before the JIT warms up). Identifier
// characters: ASCII word characters and any non-ASCII character except Unicode spaces.
const IDENT_RUN = /[\w\u0080-\u009f\u00a1-\u167f\u1681-\u1fff\u200b-\u2027\u202a-\u202e\u2030-\u205e\u2060-\u2fff\u3001-\ufefe\uff00-\uffff]*/y;
const TO_EOL = /[^\r\n]*/y;
const STR_RUN_SQ = /[^'\\\r\n]*/y;
const STR_RUN_DQ = /[^"\\\r\n]*/y;
const FSTR_RUN_SQ = /[^'\\\r\n{]*/y;
const FSTR_RUN_DQ = /[^"\\\r\n{]*/y;

/** Where the run that `re` (sticky, `*`) matches from `at` ends. */
function runEnd(re: RegExp, text: string, at: number): number {
  re.lastIndex = at;
  re.test(text);
  return re.lastIndex;
}

function isDigit(c: number): boolean {
  return c >= 48 && c <= 57;
}

/** String flags for a prefix (`rb`, `F`, …), or -1 when it isn't one. */
function prefixFlags(p: string): number {
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

class Tokens {
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

interface Lexed {
  toks: Tokens;
  /** Line-start offsets of lines that end in `# ml-secrets-ignore` (a real comment). */
  ignored: Set<number>;
}

function tokenize(text: string): Lexed {
  const n = text.length;
  const toks = new Tokens(Math.max(64, n >> 2));
  const ignored = new Set<number>();
  const stack: number[] = [];
  let i = 0;
  let lineStart = 0;
  let firstOnLine = true;

  const code = (at: number): number => (at < n ? text.charCodeAt(at) : -1);

  /** Passes a line break at `at` (CR, LF or CRLF); returns the offset after it. */
  const lineBreak = (at: number): number => {
    const next = text.charCodeAt(at) === CH_CR && code(at + 1) === CH_LF ? at + 2 : at + 1;
    lineStart = next;
    return next;
  };

  const closeAll = (at: number): void => {
    for (const o of stack) {
      toks.m[o] = at;
      toks.after[o] = at;
    }
    stack.length = 0;
  };

  const newline = (at: number): void => {
    toks.add(NL, at, at, 0);
  };

  // Scans a string whose opening quote is at `q`; returns its end, and sets `strFlags` and
  // `strQuoteLen`. Linear: every branch moves forward; recursion (strings inside f-string fields)
  // is bounded by `nest`.
  let strFlags = 0;
  let strQuoteLen = 1;
  const scanString = (q: number, flags: number, nest: number): number => {
    let fl = flags;
    const quote = text.charCodeAt(q);
    const triple = code(q + 1) === quote && code(q + 2) === quote;
    const ql = triple ? 3 : 1;
    let j = q + ql;
    let end = -1;
    const run = fl & (FMT | TMPL) ? (quote === CH_SQ ? FSTR_RUN_SQ : FSTR_RUN_DQ) : quote === CH_SQ ? STR_RUN_SQ : STR_RUN_DQ;
    while (j < n) {
      j = runEnd(run, text, j);
      if (j >= n) break;
      const c = text.charCodeAt(j);
      if (c === CH_BACKSLASH) {
        const d = code(j + 1);
        if (d === CH_LF || d === CH_CR) {
          j = lineBreak(j + 1);
          continue;
        }
        if (fl & FMT && (d === CH_LBRACE || d === CH_RBRACE)) {
          j += 1;
          continue;
        }
        j += d < 0 ? 1 : 2;
        continue;
      }
      if (c === quote) {
        if (!triple) {
          end = j + 1;
          break;
        }
        if (code(j + 1) === quote && code(j + 2) === quote) {
          end = j + 3;
          break;
        }
        j++;
        continue;
      }
      if (c === CH_LF || c === CH_CR) {
        if (!triple) break;
        j = lineBreak(j);
        continue;
      }
      if (fl & (FMT | TMPL) && c === CH_LBRACE) {
        if (code(j + 1) === CH_LBRACE) {
          j += 2;
          continue;
        }
        fl |= HAS_FIELD;
        j = scanField(j + 1, quote, triple, nest);
        continue;
      }
      j++;
    }
    if (end < 0) {
      fl |= UNTERMINATED;
      end = j;
    }
    strFlags = fl;
    strQuoteLen = ql;
    return end;
  };

  // Scans an f-string replacement field's body starting at `j` (after `{`); returns the offset
  // after its closing `}`, or where the enclosing string's scan should resume (a line break of a
  // single-quoted string, the outer quote in a format spec, the end of the text).
  const scanField = (j: number, outerQuote: number, outerTriple: boolean, nest: number): number => {
    let depth = 0;
    let spec = false;
    while (j < n) {
      const c = text.charCodeAt(j);
      if (c === CH_LF || c === CH_CR) {
        if (!outerTriple) return j;
        j = lineBreak(j);
        continue;
      }
      if (spec) {
        // Format spec: literal text, with nested `{…}` fields, ends at `}`.
        if (c === CH_RBRACE) return j + 1;
        if (c === outerQuote) return j;
        if (c === CH_BACKSLASH) {
          const d = code(j + 1);
          j = d === CH_LF || d === CH_CR ? lineBreak(j + 1) : j + (d < 0 ? 1 : 2);
          continue;
        }
        if (c === CH_LBRACE) {
          j = nest < MAX_FSTRING_NEST ? scanField(j + 1, outerQuote, outerTriple, nest + 1) : j + 1;
          continue;
        }
        j++;
        continue;
      }
      if (c === CH_SQ || c === CH_DQ) {
        if (nest >= MAX_FSTRING_NEST) {
          if (c === outerQuote) return j;
          j++;
          continue;
        }
        j = scanString(j, 0, nest + 1);
        continue;
      }
      if (isIdentStart(c)) {
        let k = j + 1;
        k = runEnd(IDENT_RUN, text, k);
        const q = code(k);
        if ((q === CH_SQ || q === CH_DQ) && k - j <= 2 && nest < MAX_FSTRING_NEST) {
          const pf = prefixFlags(text.slice(j, k));
          if (pf >= 0) {
            j = scanString(k, pf, nest + 1);
            continue;
          }
        }
        j = k;
        continue;
      }
      if (c === CH_HASH) {
        // A comment inside a multi-line field (Python 3.12) runs to the end of the line.
        if (!outerTriple) return j;
        j = runEnd(TO_EOL, text, j);
        continue;
      }
      if (c === CH_LPAREN || c === CH_LBRACKET || c === CH_LBRACE) depth++;
      else if (c === CH_RPAREN || c === CH_RBRACKET) depth = Math.max(0, depth - 1);
      else if (c === CH_RBRACE) {
        if (depth === 0) return j + 1;
        depth--;
      } else if (c === CH_COLON && depth === 0) {
        spec = true;
      } else if (c === CH_BACKSLASH && (code(j + 1) === CH_LF || code(j + 1) === CH_CR)) {
        j = lineBreak(j + 1);
        continue;
      }
      j++;
    }
    return j;
  };

  const pushString = (start: number, quoteAt: number, fl: number): void => {
    const end = scanString(quoteAt, fl, 0);
    toks.add(STR, start, end, (quoteAt - start) | (strQuoteLen << 8) | (strFlags << 16));
    firstOnLine = false;
    i = end;
  };

  while (i < n) {
    const c = text.charCodeAt(i);
    if (c === CH_SPACE || c === CH_TAB || c === CH_FF || (c >= 0x80 && isUnicodeSpace(c))) {
      i++;
      continue;
    }
    if (c === CH_LF || c === CH_CR) {
      i = lineBreak(i);
      firstOnLine = true;
      if (stack.length === 0 && toks.count && toks.kind[toks.count - 1] !== NL) newline(i);
      continue;
    }
    if (c === CH_HASH) {
      const j = runEnd(TO_EOL, text, i + 1);
      let last = j;
      while (last > i && (text.charCodeAt(last - 1) === CH_SPACE || text.charCodeAt(last - 1) === CH_TAB || text.charCodeAt(last - 1) === CH_FF)) last--;
      if (last - i >= IGNORE_MARKER.length && text.startsWith(IGNORE_MARKER, last - IGNORE_MARKER.length)) ignored.add(lineStart);
      i = j;
      continue;
    }
    if (c === CH_BACKSLASH && (code(i + 1) === CH_LF || code(i + 1) === CH_CR)) {
      i = lineBreak(i + 1); // explicit line continuation: no logical line break
      continue;
    }
    if (c === CH_SQ || c === CH_DQ) {
      pushString(i, i, 0);
      continue;
    }
    if (isIdentStart(c)) {
      const j = runEnd(IDENT_RUN, text, i + 1);
      const q = code(j);
      if ((q === CH_SQ || q === CH_DQ) && j - i <= 2) {
        const pf = prefixFlags(text.slice(i, j));
        if (pf >= 0) {
          pushString(i, j, pf);
          continue;
        }
      }
      // Resynchronise on `def` / `class` starting a line inside brackets: that can't be valid
      // there, so an earlier bracket was left open (typing in progress).
      if (stack.length && firstOnLine && ((j - i === 3 && text.startsWith('def', i)) || (j - i === 5 && text.startsWith('class', i)))) {
        closeAll(toks.count);
        newline(i);
      }
      toks.add(NAME, i, j, 0);
      firstOnLine = false;
      i = j;
      continue;
    }
    if (isDigit(c) || (c === CH_DOT && isDigit(code(i + 1)))) {
      let j = i + 1;
      const hex = c === 48 && (code(j) === 120 || code(j) === 88);
      while (j < n) {
        const d = text.charCodeAt(j);
        if (isIdentPart(d) || d === CH_DOT) j++;
        else if ((d === 43 || d === 45) && !hex && (text.charCodeAt(j - 1) | 32) === 101) j++;
        else break;
      }
      toks.add(NUM, i, j, 0);
      firstOnLine = false;
      i = j;
      continue;
    }
    // Operators and punctuation.
    const c2 = code(i + 1);
    let len = 1;
    if (c === CH_DOT && c2 === CH_DOT && code(i + 2) === CH_DOT) len = 3;
    else if ((c === CH_STAR || c === 47 || c === 60 || c === 62) && c2 === c) len = code(i + 2) === CH_EQ ? 3 : 2; // ** // << >>
    else if (c2 === CH_EQ && OP_BEFORE_EQ.includes(c)) len = 2;
    else if ((c === 45 && c2 === 62) || (c === 60 && c2 === 62)) len = 2; // -> <>
    const opCode = len === 1 ? c : len === 2 ? c | (c2 << 8) : c | (c2 << 8) | (code(i + 2) << 16);
    if (len === 1 && c === CH_AT && stack.length && i === lineStart) {
      // `@` in column 0 inside brackets: a decorator after an unclosed bracket.
      closeAll(toks.count);
      newline(i);
    }
    const idx = toks.add(OP, i, i + len, opCode);
    firstOnLine = false;
    i += len;
    if (len !== 1) continue;
    if (c === CH_LPAREN || c === CH_LBRACKET || c === CH_LBRACE) {
      stack.push(idx);
    } else if (c === CH_RPAREN || c === CH_RBRACKET || c === CH_RBRACE) {
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
  closeAll(toks.count);
  return { toks, ignored };
}

// ---------------------------------------------------------------------------------------------
// Analysis

interface Literal {
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

interface Range {
  s: number;
  e: number;
}

const SECRET_PARAMS = ['key', 'group', 'mount', 'as_env_var'];

class Analyzer {
  private readonly toks: Tokens;
  private readonly refs: SecretReference[] = [];

  constructor(
    private readonly text: string,
    private readonly lexed: Lexed,
  ) {
    this.toks = lexed.toks;
  }

  run(): SecretReference[] {
    const { kind, info, count } = this.toks;
    for (let i = 0; i < count; i++) {
      const k = kind[i];
      if (k === NAME) {
        // TaskEnvironment(...) (and flyte.app's AppEnvironment(...)), and env.clone_with(...),
        // which flyte-sdk uses to give a copy of an environment its own secrets.
        const isEnv = this.isName(i, 'TaskEnvironment') || this.isName(i, 'AppEnvironment');
        const isClone = this.isName(i, 'clone_with') && this.isOp(i - 1, CH_DOT);
        if ((isEnv || isClone) && this.isOp(i + 1, CH_LPAREN) && !this.isName(i - 1, 'def') && !this.isName(i - 1, 'class')) this.call(i + 1);
      } else if (k === OP && info[i] === CH_AT && (i === 0 || kind[i - 1] === NL)) {
        this.decorator(i);
      }
    }
    return this.refs;
  }

  private isOp(j: number, op: number): boolean {
    return j >= 0 && j < this.toks.count && this.toks.kind[j] === OP && this.toks.info[j] === op;
  }

  private isName(j: number, word?: string): boolean {
    const t = this.toks;
    if (j < 0 || j >= t.count || t.kind[j] !== NAME) return false;
    return word === undefined || (t.end[j] - t.start[j] === word.length && this.text.startsWith(word, t.start[j]));
  }

  private nameText(j: number): string {
    return this.text.slice(this.toks.start[j], this.toks.end[j]);
  }

  /** `@<expr>.task(...)` ending the logical line. */
  private decorator(at: number): void {
    const { kind, info, after, count } = this.toks;
    let lastCall = -1;
    let j = at + 1;
    while (j < count && kind[j] !== NL) {
      if (after[j] >= 0) {
        lastCall = info[j] === CH_LPAREN ? j : -1;
        j = Math.max(after[j], j + 1);
        continue;
      }
      lastCall = -1;
      j++;
    }
    if (lastCall > at + 2 && this.isName(lastCall - 1, 'task') && this.isOp(lastCall - 2, CH_DOT)) this.call(lastCall);
  }

  /** Top-level comma-separated parts of [s, e). */
  private split(s: number, e: number): { parts: Range[]; trailingComma: boolean } {
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
  private args(open: number): Range[] {
    return this.split(open + 1, this.toks.m[open]).parts;
  }

  private keyword(r: Range): string | undefined {
    return r.e - r.s >= 2 && this.isName(r.s) && this.isOp(r.s + 1, CH_EQ) ? this.nameText(r.s) : undefined;
  }

  /** Strips parentheses that wrap a whole expression (not a tuple). */
  private unwrap(r: Range): Range {
    for (;;) {
      if (r.e - r.s < 2 || !this.isOp(r.s, CH_LPAREN) || this.toks.after[r.s] !== r.e) return r;
      const inner = { s: r.s + 1, e: this.toks.m[r.s] };
      const { parts, trailingComma } = this.split(inner.s, inner.e);
      if (parts.length !== 1 || trailingComma) return r;
      r = inner;
    }
  }

  /** A call `name(.name)*(...)` spanning exactly r: its last name and `(` index. */
  private dottedCall(r: Range): { last: string; open: number } | undefined {
    let j = r.s;
    if (!this.isName(j)) return undefined;
    j++;
    while (this.isOp(j, CH_DOT) && this.isName(j + 1)) j += 2;
    if (!this.isOp(j, CH_LPAREN) || this.toks.after[j] !== r.e) return undefined;
    return { last: this.nameText(j - 1), open: j };
  }

  private isStringChain(r: Range): boolean {
    if (r.e <= r.s) return false;
    for (let j = r.s; j < r.e; j++) if (this.toks.kind[j] !== STR) return false;
    return true;
  }

  /** The arguments of a TaskEnvironment(...) or @x.task(...) call: only `secrets=` matters. */
  private call(open: number): void {
    for (const a of this.args(open)) {
      if (this.keyword(a) === 'secrets') this.secretsValue({ s: a.s + 2, e: a.e }, true);
    }
  }

  private secretsValue(r0: Range, allowList: boolean): void {
    const r = this.unwrap(r0);
    if (r.e <= r.s) return;
    if (this.isStringChain(r)) {
      const lit = this.literal(r);
      if (lit) this.nameRef(lit, { derive: true, group: undefined });
      return;
    }
    const call = this.dottedCall(r);
    if (call) {
      if (call.last === 'Secret') this.secretCall(call.open);
      return;
    }
    if (allowList && (this.isOp(r.s, CH_LBRACKET) || this.isOp(r.s, CH_LPAREN)) && this.toks.after[r.s] === r.e) {
      for (const el of this.split(r.s + 1, this.toks.m[r.s]).parts) this.secretsValue(el, false);
    }
  }

  /** `Secret(key, group=None, mount=None, as_env_var=None)` */
  private secretCall(open: number): void {
    const given = new Map<string, Range>();
    let positional = 0;
    let positionalOk = true;
    for (const a of this.args(open)) {
      const kw = this.keyword(a);
      if (kw !== undefined) {
        if (!given.has(kw)) given.set(kw, { s: a.s + 2, e: a.e });
        continue;
      }
      if (this.isOp(a.s, CH_STAR) || this.isOp(a.s, OP_STARSTAR)) {
        positionalOk = false;
        continue;
      }
      if (positionalOk && positional < SECRET_PARAMS.length && !given.has(SECRET_PARAMS[positional])) given.set(SECRET_PARAMS[positional], a);
      positional++;
    }

    const key = this.literalArg(given.get('key'));
    const group = this.literalArg(given.get('group'));
    const asEnv = this.literalArg(given.get('as_env_var'));
    const mount = this.mountLiteral(given.get('mount'));
    const keyName = key && !key.dynamic ? key.value : '';

    // The env var Flyte derives when neither as_env_var nor mount is set (falsy): only knowable
    // when both are absent or empty literals and the group is absent or a plain literal.
    const knownEmpty = (l: Literal | undefined | null): boolean => l === undefined || (!!l && !l.dynamic && l.value === '');
    const derive = knownEmpty(asEnv) && (mount === undefined || (!!mount && !mount.lit.dynamic && mount.lit.value === '')) && (group === undefined || (!!group && !group.dynamic));
    if (key) this.nameRef(key, { derive, group: group && !group.dynamic ? group.value : undefined });

    if (asEnv && !asEnv.dynamic && asEnv.value !== '' && !FLYTE_ENV_VAR_RULE.test(asEnv.value)) {
      this.push(asEnv, keyName, `as_env_var ${show(asEnv.value)} is not a valid environment variable name for Flyte: it must match ^[A-Z_][A-Z0-9_]*$ (upper-case letters, digits and '_', not starting with a digit).`);
    }
    if (mount && !mount.lit.dynamic && mount.lit.value !== '') {
      const path = mount.viaPath ? normalizePosixPath(mount.lit.value) : mount.lit.value;
      if (path !== FLYTE_SECRET_MOUNT) this.push(mount.lit, keyName, `Flyte mounts secret files only at ${FLYTE_SECRET_MOUNT}; mount ${show(mount.lit.value)} is rejected by Secret().`);
    }
  }

  /** An argument's literal: undefined when not given, null when given but not a literal we can read. */
  private literalArg(r: Range | undefined): Literal | undefined | null {
    if (!r) return undefined;
    const u = this.unwrap(r);
    return this.isStringChain(u) ? (this.literal(u) ?? null) : null;
  }

  /** `mount="…"` or `mount=pathlib.Path("…")` / `Path("…")` / `PurePosixPath("…")`. */
  private mountLiteral(r: Range | undefined): { lit: Literal; viaPath: boolean } | undefined | null {
    if (!r) return undefined;
    const u = this.unwrap(r);
    if (this.isStringChain(u)) {
      const lit = this.literal(u);
      return lit ? { lit, viaPath: false } : null;
    }
    const call = this.dottedCall(u);
    if (call && /Path$/.test(call.last)) {
      const args = this.args(call.open);
      if (args.length === 1 && this.keyword(args[0]) === undefined) {
        const lit = this.literalArg(args[0]);
        return lit ? { lit, viaPath: true } : null;
      }
    }
    return null;
  }

  /** The reference for a secret's name literal, with its problem if any. */
  private nameRef(lit: Literal, opts: { derive: boolean; group: string | undefined }): void {
    if (lit.dynamic) {
      this.push(lit, lit.value, undefined, true);
      return;
    }
    let problem: string | undefined;
    const name = lit.value;
    if (lit.bytes) problem = `${show(lit.text)} is a bytes literal; a Flyte secret name must be a str.`;
    else if (name === '') problem = 'Empty secret name: a Flyte secret name must match ^[-a-zA-Z0-9_]+$.';
    else if (!FLYTE_NAME_RULE.test(name)) {
      const bad = [...name].find((ch) => !/[-a-zA-Z0-9_]/.test(ch)) ?? '';
      problem = `${show(name)} is not a valid Flyte secret name (it has ${show(bad)}): names must match ^[-a-zA-Z0-9_]+$ (letters, digits, '-' and '_').`;
    } else if (opts.derive) {
      const derived = (opts.group ? `${opts.group}_${name}` : name).replace(/-/g, '_').toUpperCase();
      if (!FLYTE_ENV_VAR_RULE.test(derived)) {
        problem = `Flyte derives the environment variable ${show(derived)} from this name (upper-cased, '-' → '_'), which doesn't match ^[A-Z_][A-Z0-9_]*$, so Secret() fails; use flyte.Secret(key=${show(name)}, as_env_var="…").`;
      }
    }
    this.push(lit, name, problem, false, lit.valueStart);
  }

  private lineStarts: number[] | undefined;

  /** The start of the physical line (Python's: CRLF, CR or LF ends one) holding `offset`. */
  private lineStartOf(offset: number): number {
    if (!this.lineStarts) {
      this.lineStarts = [0];
      const re = /\r\n?|\n/g;
      while (re.exec(this.text)) this.lineStarts.push(re.lastIndex);
    }
    return this.lineStarts[positionAt(this.lineStarts, offset).line];
  }

  private push(lit: Literal, name: string, problem?: string, dynamic = false, nameStart?: number): void {
    if (this.lexed.ignored.size && this.lexed.ignored.has(this.lineStartOf(lit.start))) return;
    const ref: SecretReference = { syntax: 'flyte', text: lit.text, start: lit.start, end: lit.end, name };
    if (nameStart !== undefined) ref.nameStart = nameStart;
    if (problem) ref.problem = problem;
    if (dynamic) ref.dynamic = true;
    this.refs.push(ref);
  }

  /** A string chain as a literal: undefined when any part is unterminated. */
  private literal(r: Range): Literal | undefined {
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

// ---------------------------------------------------------------------------------------------
// Helpers

const SIMPLE_ESCAPES: Record<string, string> = { '\\': '\\', "'": "'", '"': '"', a: '\x07', b: '\b', f: '\f', n: '\n', r: '\r', t: '\t', v: '\v' };

/** A literal's value from its body (between the quotes). */
function decodeBody(body: string, fl: number): string {
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

/** What str(pathlib.PurePosixPath(p)) gives for the simple cases. */
function normalizePosixPath(p: string): string {
  const abs = p.startsWith('/');
  const segs = p.split('/').filter((x) => x !== '' && x !== '.');
  const joined = segs.join('/');
  if (abs) return p.startsWith('//') && !p.startsWith('///') ? `//${joined}` : `/${joined}`;
  return joined || '.';
}

function show(s: string): string {
  const short = s.length > 60 ? `${s.slice(0, 57)}…` : s;
  // eslint-disable-next-line no-control-regex -- deliberately matches control characters (refused or replaced)
  return `'${short.replace(/[\u0000-\u001f\u007f]/g, (ch) => (ch === '\n' ? '\\n' : ch === '\t' ? '\\t' : ch === '\r' ? '\\r' : `\\x${ch.charCodeAt(0).toString(16).padStart(2, '0')}`))}'`;
}
