// A small Python lexer for ZenML's `get_secret` scanner (pythonScanner.ts): names, string literals
// (with their prefix and content), operators; comments and whitespace dropped. Linear, never throws.
// Only what the scanner needs: numbers and other text come out as `other` tokens.

export interface PyToken {
  kind: 'name' | 'string' | 'op' | 'other';
  /** A name's or operator's text; a string literal's content (between the quotes, undecoded). */
  value: string;
  start: number;
  end: number;
  /** A string literal's prefix (`f`, `rb`, …; '' for none). */
  prefix: string;
  /** Where a string literal's content starts. */
  contentStart: number;
  /** The first token of a logical line. */
  lineStart: boolean;
}

const OPS2 = new Set(['==', '!=', '<=', '>=', ':=', '->', '**', '//', '+=', '-=', '*=', '/=']);
const NAME_START = /[A-Za-z_\u0080-\uffff]/;
const NAME_PART = /[A-Za-z0-9_\u0080-\uffff]/;
const PREFIX = /^(?:[rRbBuUfFtT]{1,2})$/;

export function tokenizePython(text: string): PyToken[] {
  const out: PyToken[] = [];
  let depth = 0;
  let lineStart = true;
  let i = 0;
  const push = (kind: PyToken['kind'], value: string, start: number, end: number, prefix = '', contentStart = start) => {
    out.push({ kind, value, start, end, prefix, contentStart, lineStart });
    lineStart = false;
  };
  while (i < text.length) {
    const c = text[i];
    if (c === '\n') {
      if (depth === 0) lineStart = true;
      i++;
    } else if (c === ' ' || c === '\t' || c === '\r' || c === '\f') i++;
    else if (c === '\\' && (text[i + 1] === '\n' || text[i + 1] === '\r')) i += 2;
    else if (c === '#') {
      const e = text.indexOf('\n', i);
      i = e < 0 ? text.length : e;
    } else if (c === '"' || c === "'") i = string(text, i, '', push);
    else if (NAME_START.test(c)) {
      let j = i + 1;
      while (j < text.length && NAME_PART.test(text[j])) j++;
      const word = text.slice(i, j);
      if ((text[j] === '"' || text[j] === "'") && PREFIX.test(word)) i = string(text, j, word, push);
      else {
        push('name', word, i, j);
        i = j;
      }
    } else if (/[0-9]/.test(c)) {
      let j = i + 1;
      while (j < text.length && NAME_PART.test(text[j])) j++;
      push('other', text.slice(i, j), i, j);
      i = j;
    } else {
      const two = text.slice(i, i + 2);
      const op = OPS2.has(two) ? two : c;
      if (op === '(' || op === '[' || op === '{') depth++;
      else if ((op === ')' || op === ']' || op === '}') && depth > 0) depth--;
      push('op', op, i, i + op.length);
      i += op.length;
    }
  }
  return out;
}

type Push = (kind: PyToken['kind'], value: string, start: number, end: number, prefix?: string, contentStart?: number) => void;

/** A string literal whose quote is at `q` (its prefix just before): pushed; returns where it ends. */
function string(text: string, q: number, prefix: string, push: Push): number {
  const quote = text[q];
  const triple = text.startsWith(quote.repeat(3), q);
  const open = triple ? 3 : 1;
  const start = q - prefix.length;
  const from = q + open;
  for (let j = from; j < text.length; j++) {
    const ch = text[j];
    if (ch === '\\') j++;
    else if (ch === '\n' && !triple) break;
    else if (ch === quote && (!triple || text.startsWith(quote.repeat(3), j))) {
      const end = j + open;
      push('string', text.slice(from, j), start, end, prefix, from);
      return end;
    }
  }
  // Unterminated: the user is still typing; not a literal.
  const end = triple ? text.length : Math.max(from, lineEndOf(text, from));
  push('other', text.slice(start, end), start, end);
  return end;
}

function lineEndOf(text: string, from: number): number {
  const e = text.indexOf('\n', from);
  return e < 0 ? text.length : e;
}
