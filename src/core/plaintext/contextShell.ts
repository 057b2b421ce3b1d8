// Where a plaintext token sits in a shell script, a Makefile or a .env file (issue 16): the value of
// `NAME=value` / `export NAME=value` / `NAME := value` (quotes included), or the shell word holding
// it, with the name from the assignment, `--env NAME=value`, `-e NAME=value` or `--token value`.

import { LineReading, nameBefore } from './lexical';
import type { PlaintextFinding, PlaintextLanguage } from './types';

type Place = Pick<PlaintextFinding, 'literal' | 'whole' | 'variable'>;

function quoteAt(r: LineReading, pos: number): boolean {
  return r.quoted.some((q) => q.open < pos && pos <= q.close);
}

const BREAK = /[\s;|&()]/;

/** The shell word around [start, end): whitespace (and `;|&()`) outside quotes ends it. */
function wordAround(text: string, start: number, end: number, r: LineReading): { start: number; end: number } {
  let s = start;
  while (s > r.start && !(BREAK.test(text[s - 1]) && !quoteAt(r, s - 1))) s--;
  let e = end;
  const stop = r.comment >= 0 ? r.comment : r.end;
  while (e < stop && !(BREAK.test(text[e]) && !quoteAt(r, e))) e++;
  return { start: s, end: e };
}

/** The value [start, end) as a literal: with its quotes when one pair encloses it. */
function valueLiteral(text: string, start: number, end: number, tStart: number, tEnd: number): Place['literal'] & { whole: boolean } {
  const c = text[start];
  const quoted = (c === '"' || c === "'") && end - start >= 2 && text[end - 1] === c;
  const quote = quoted ? (c as '"' | "'") : '';
  const inner = quoted ? { start: start + 1, end: end - 1 } : { start, end };
  return { start, end, quote, whole: inner.start === tStart && inner.end === tEnd };
}

/** `NAME=value` lines of .env files and Makefiles (`NAME = value`, `NAME := value`, `export NAME=value`). */
function assignmentLine(text: string, lang: PlaintextLanguage, start: number, end: number, r: LineReading): Place | undefined {
  const line = text.slice(r.start, r.end);
  const m =
    lang === 'dotenv'
      ? /^\s*(?:export\s+)?([A-Za-z_][\w.-]*)\s*=\s*/.exec(line)
      : lang === 'makefile' && !line.startsWith('\t')
        ? /^\s*(?:(?:export|override)\s+)?([A-Za-z_][\w.-]*)\s*(?:::?|[?+!])?=\s*/.exec(line)
        : null;
  if (!m || r.start + m[0].length > start) return undefined;
  const vs = r.start + m[0].length;
  let ve = r.comment >= 0 ? r.comment : r.end;
  while (ve > vs && /\s/.test(text[ve - 1])) ve--;
  const lit = valueLiteral(text, vs, ve, start, end);
  if (!lit.whole && lang === 'makefile') return undefined;
  return { literal: { start: lit.start, end: lit.end, quote: lit.quote }, whole: lit.whole, variable: m[1] };
}

/** The word before `pos` on the line, if any. */
function previousWord(text: string, pos: number, lineStart: number): string | undefined {
  return /(\S+)\s+$/.exec(text.slice(lineStart, pos))?.[1];
}

/** Shell (and Makefile recipes, and what isn't an assignment line): the word, or the value after its `NAME=` / `--opt=`. */
function wordPlace(text: string, start: number, end: number, r: LineReading): Place {
  const w = wordAround(text, start, end, r);
  let vs = w.start;
  let variable: string | undefined;
  for (;;) {
    const m = /^(?:([A-Za-z_]\w*)|--?([A-Za-z][\w-]*))=/.exec(text.slice(vs, start));
    if (!m) break;
    if (m[1]) variable = m[1];
    else if (!/^(e|env)$/.test(m[2])) variable = m[2].replace(/-/g, '_');
    vs += m[0].length;
  }
  const lit = valueLiteral(text, vs, w.end, start, end);
  if (!variable) {
    const inner = text[vs] === '"' || text[vs] === "'" ? vs + 1 : vs;
    variable = inner < start ? nameBefore(text.slice(inner, start)) : undefined;
  }
  if (!variable && w.start === vs) {
    const prev = previousWord(text, w.start, r.start);
    const opt = prev && /^--?([A-Za-z][\w-]*)$/.exec(prev)?.[1];
    if (opt && !/^(e|env)$/.test(opt)) variable = opt.replace(/-/g, '_');
  }
  return { literal: { start: lit.start, end: lit.end, quote: lit.quote }, whole: lit.whole, variable };
}

/** Where the token [start, end) sits on the line `r` of a shell script, Makefile or .env file. */
export function shellContext(text: string, lang: PlaintextLanguage, start: number, end: number, r: LineReading): Place {
  const a = assignmentLine(text, lang, start, end, r);
  if (a) return a;
  return wordPlace(text, start, end, r);
}
