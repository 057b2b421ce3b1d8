// Light lexical reading of one line for plaintext tokens (issue 16): where its comment starts and
// which quoted strings it holds, the way each language quotes and comments. No parse: a token's
// surroundings are read on its own line (multi-line strings and block scalars are read as plain text).

import type { PlaintextLanguage } from './types';

/** A quoted string on a line: `open` is the opening quote, `close` the closing one (or the line's end, unterminated). */
export interface Quoted {
  open: number;
  close: number;
  q: '"' | "'";
  /** 3 for Python's triple quotes, else 1. */
  width: number;
}

export interface LineReading {
  start: number;
  end: number;
  quoted: Quoted[];
  /** Offset of the comment's `#`, or -1. */
  comment: number;
}

/** The line around `offset`: [start, end) without its line break. */
export function lineAround(text: string, offset: number): { start: number; end: number } {
  const start = text.lastIndexOf('\n', offset - 1) + 1;
  let end = text.indexOf('\n', offset);
  if (end < 0) end = text.length;
  if (end > start && text.charCodeAt(end - 1) === 13) end--;
  return { start, end };
}

/** Where a quoted string opened at `i` closes (the offset of its closing quote), or `end` when it doesn't. */
function closeOf(text: string, i: number, end: number, q: string, width: number, lang: PlaintextLanguage): number {
  const escapes = q === '"' || lang === 'python';
  for (let j = i + width; j < end; j++) {
    const c = text[j];
    if (escapes && c === '\\') {
      j++;
      continue;
    }
    if (c !== q) continue;
    if (lang === 'yaml' && q === "'" && text[j + 1] === "'") {
      j++;
      continue;
    }
    if (width === 3 && !text.startsWith(q.repeat(3), j)) continue;
    return j + width - 1;
  }
  return end;
}

/** Whether a YAML quote at `i` opens a scalar (after `: `, `- `, `[`, `{`, `,`, `? ` or at the indentation). */
function yamlQuoteOpens(text: string, start: number, i: number): boolean {
  let k = i - 1;
  while (k >= start && (text[k] === ' ' || text[k] === '\t')) k--;
  if (k < start) return true;
  const c = text[k];
  return ((c === ':' || c === '-' || c === '?') && k < i - 1) || c === '[' || c === '{' || c === ',';
}

/** Whether a `#` at `i` starts a comment: at the line's start or after whitespace (Python: anywhere outside strings). */
function commentStarts(text: string, start: number, i: number, lang: PlaintextLanguage): boolean {
  if (lang === 'python') return true;
  return i === start || /\s/.test(text[i - 1]);
}

/** Reads the line around `offset`: its quoted strings and comment. */
export function readLine(text: string, offset: number, lang: PlaintextLanguage): LineReading {
  const { start, end } = lineAround(text, offset);
  const quoted: Quoted[] = [];
  if (lang === 'plaintext' || lang === 'markdown') return { start, end, quoted, comment: -1 };
  for (let i = start; i < end; i++) {
    const c = text[i];
    if (c === '#' && commentStarts(text, start, i, lang)) return { start, end, quoted, comment: i };
    if (c === '\\' && lang !== 'yaml' && lang !== 'python') {
      i++;
      continue;
    }
    if (c !== '"' && c !== "'") continue;
    if (lang === 'yaml' && !yamlQuoteOpens(text, start, i)) continue;
    const width = lang === 'python' && text.startsWith(c.repeat(3), i) ? 3 : 1;
    const close = closeOf(text, i, end, c, width, lang);
    quoted.push({ open: i, close, q: c, width });
    i = close;
  }
  return { start, end, quoted, comment: -1 };
}

/** The quoted string holding [start, end), if any. */
export function enclosing(r: LineReading, start: number, end: number): Quoted | undefined {
  return r.quoted.find((q) => q.open < start && end <= q.close);
}

/** A valid environment variable name in UPPER_SNAKE. */
export function isEnvName(s: string | undefined): s is string {
  return !!s && /^[A-Z_][A-Z0-9_]*$/.test(s) && /[A-Z]/.test(s);
}

/**
 * The name the text right before a token gives it, inside one literal or word: `NAME=`, `--env NAME=`,
 * `--opt=`, `--opt ` (the option's name, `-` → `_`), `key=` (a keyword), `NAME: ` (an inline mapping).
 */
export function nameBefore(before: string): string | undefined {
  let m = /([A-Za-z_][A-Za-z0-9_]*)\s*=\s*["']?$/.exec(before);
  if (m) return m[1];
  m = /(?:^|\s)--?([A-Za-z][\w-]*)(?:=|\s+)["']?$/.exec(before);
  if (m && !/^(e|env)$/.test(m[1])) return m[1].replace(/-/g, '_');
  m = /([A-Za-z_][A-Za-z0-9_]*)["']?\s*:\s+["']?$/.exec(before);
  return m?.[1];
}
