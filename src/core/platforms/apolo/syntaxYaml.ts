// Where Apolo's `secret:` references sit in YAML text: inside a scalar's value (whole, or after
// `VAR=`, `--env VAR=`, `-v `…), as a key with no value (`A: secret:`, malformed), and — for the
// workspace index — every name a `secret:` in a text could carry.

import { MAX_REFERENCES, type SecretReference } from '../../references/reference';
import type { ValueMatch } from '../../references/syntax';
import { apoloNameOffset, parseApoloRef } from './syntaxRef';

// A whole value `secret:…`, or the value part of `VAR=secret:…`, `--env VAR=secret:…`,
// `-e VAR=secret:…`, `--env=VAR=secret:…`, `--volume secret:…`, `-v secret:…`.
const ENV_PREFIX_RE = /^(?:(?:--env|-e)(?:\s+|=))?[A-Za-z_][A-Za-z0-9_]*=(?=secret:)/;
const VOLUME_PREFIX_RE = /^(?:--volume|-v)(?:\s+|=)(?=secret:)/;

function findApoloInValue(value: string): { text: string; index: number } | undefined {
  if (!value.includes('secret:')) return undefined;
  const lead = value.length - value.trimStart().length;
  const v = value.trim();
  let found: { text: string; index: number } | undefined;
  if (v.startsWith('secret:')) found = { text: v, index: lead };
  else {
    const m = ENV_PREFIX_RE.exec(v) ?? VOLUME_PREFIX_RE.exec(v);
    if (m) found = { text: v.slice(m[0].length), index: lead + m[0].length };
  }
  // Whitespace after `secret:` means prose ("secret: keep it safe") or a longer command line,
  // not a reference: those are never flagged. Whitespace inside a neuro-flow / apolo-flow
  // expression (`secret:${{ params.x }}`, `secret:$[[ x ]]`) is the expression's: the name is set at run time.
  if (found && /\s/.test(found.text) && /\s/.test(withoutExpressions(found.text))) return undefined;
  return found;
}

/** The reference a YAML value is (or holds after `VAR=`, `--env VAR=`, `-v `…). */
export function apoloInValue(value: string): ValueMatch | undefined {
  const found = findApoloInValue(value);
  if (!found) return undefined;
  return { index: found.index, text: found.text, ref: parseApoloRef(found.text) };
}

/** neuro-flow's two equal expression notations, `${{ … }}` and `$[[ … ]]`. */
const EXPRESSION_BRACKETS: ReadonlyArray<readonly [string, string]> = [
  ['${{', '}}'],
  ['$[[', ']]'],
];

/** Each expression's [start, end) in `text`; one forward pass per notation (linear). */
function expressions(text: string, each: (start: number, end: number) => void): void {
  for (const [open, close] of EXPRESSION_BRACKETS) {
    for (let i = text.indexOf(open); i >= 0; ) {
      const c = text.indexOf(close, i + open.length);
      if (c < 0) break;
      each(i, c + close.length);
      i = text.indexOf(open, c + close.length);
    }
  }
}

/** The text with its expressions cut out. */
function withoutExpressions(text: string): string {
  if (!text.includes('$')) return text;
  const cuts: Array<[number, number]> = [];
  expressions(text, (a, b) => cuts.push([a, b]));
  cuts.sort((x, y) => x[0] - y[0]);
  let out = '';
  let at = 0;
  for (const [a, b] of cuts) {
    if (a < at) continue;
    out += text.slice(at, a);
    at = b;
  }
  return out + text.slice(at);
}

/** A quoted `'secret:…'` / `"secret:…"` literal inside an expression. */
const QUOTED_SECRET = /(['"])(secret:[^'"\s{}]*)\1/g;

/**
 * `secret:NAME` literals inside `${{ … }}` / `$[[ … ]]` expression strings of a scalar's source
 * (`${{ 'secret:a' if x else 'secret:b' }}`): each is checked, with its exact range. A literal
 * that is only part of a name (`fmt('secret:{}', x)`) is left alone.
 */
export function secretsInExpressions(source: string, base: number, refs: SecretReference[]): void {
  if (!source.includes('${{') && !source.includes('$[[')) return;
  expressions(source, (a, b) => {
    const expr = source.slice(a, b);
    if (!expr.includes('secret:')) return;
    QUOTED_SECRET.lastIndex = 0;
    let m: RegExpExecArray | null;
    while ((m = QUOTED_SECRET.exec(expr)) && refs.length <= MAX_REFERENCES) {
      const text = m[2];
      const start = base + a + m.index + 1;
      const ref: SecretReference = { ...parseApoloRef(text), start, end: start + text.length, text };
      if (ref.name && !ref.problem && !ref.dynamic) {
        const at = apoloNameOffset(ref);
        if (at !== undefined) ref.nameStart = start + at;
      }
      refs.push(ref);
    }
  });
}

/**
 * `A: secret:` or `- VAR=secret:` — a reference with no name, which YAML reads as a key with no
 * value. Reported (malformed) when the key follows `- ` or `key: ` on its line, only a comment
 * follows its `:`, and no value for it follows on the next lines. Both YAML scanners call this with
 * the same plain key (never inside a flow collection), so they agree.
 */
export function emptySecretKey(text: string, at: number, source: string, refs: SecretReference[]): void {
  if (!source.endsWith('secret') || source.includes('\n')) return;
  const colon = at + source.length;
  if (text.charCodeAt(colon) !== 0x3a) return;
  const found = findApoloInValue(`${source}:`);
  if (!found || found.text !== 'secret:') return;
  const ls = text.lastIndexOf('\n', at - 1) + 1;
  const prefix = text.slice(ls, at);
  const before = prefix.trimEnd();
  if (!before.trim() || before.length === prefix.length || !(before.endsWith('-') || before.endsWith(':'))) return;
  let le = text.indexOf('\n', colon);
  if (le < 0) le = text.length;
  if (!/^[ \t]*(?:#.*)?\r?$/.test(text.slice(colon + 1, le))) return;
  if (valueFollows(text, le, at - ls)) return;
  const start = at + found.index;
  refs.push({ ...parseApoloRef('secret:'), start, end: start + 'secret:'.length, text: 'secret:' });
}

/** A value on the lines after `le` for a key at `column` (`- secret:` then an indented map, as in Kubernetes volumes). */
function valueFollows(text: string, le: number, column: number): boolean {
  for (let i = le + 1; i < text.length; ) {
    let e = text.indexOf('\n', i);
    if (e < 0) e = text.length;
    const line = text.slice(i, e);
    const content = line.trimStart();
    if (content && !content.startsWith('#') && content !== '\r') {
      const indent = line.length - content.length;
      return indent > column || (indent === column && /^-(?:\s|$)/.test(content));
    }
    i = e + 1;
  }
  return false;
}

const NON_SPACE_RUN = /\S*/y;
/** Where a `secret:` value can end inside its run of non-space characters (a quote, a flow indicator, a mount path). */
const VALUE_ENDS = new Set(['"', "'", ',', ']', '}', ':']);
/** More name candidates than this from one `secret:` run (adversarial text): ask the exact scanner instead. */
const MAX_PER_RUN = 64;

/**
 * A `secret:` value is a prefix of the run of non-space characters after `secret:` (a value with
 * whitespace is never a reference), ending at the run's end or before a quote, `,` `]` `}` or `:`;
 * its name is such a prefix's part after its last '/' or the whole of it: every such substring is a
 * candidate. A percent-decoded URI name (`%`) takes the exact scan.
 */
export function apoloCandidates(text: string, out: Set<string>): boolean {
  let needExact = text.includes('%');
  for (let i = text.indexOf('secret:'); i >= 0; i = text.indexOf('secret:', i + 1)) {
    NON_SPACE_RUN.lastIndex = i + 'secret:'.length;
    NON_SPACE_RUN.test(text);
    const run = text.slice(i + 'secret:'.length, NON_SPACE_RUN.lastIndex);
    const starts = [0];
    const ends: number[] = [];
    for (let j = 0; j < run.length; j++) {
      if (run[j] === '/') starts.push(j + 1);
      if (VALUE_ENDS.has(run[j])) ends.push(j);
    }
    ends.push(run.length);
    if (starts.length * ends.length > MAX_PER_RUN) {
      needExact = true;
      continue;
    }
    for (const s of starts) for (const e of ends) if (e > s) out.add(run.slice(s, e));
  }
  return needExact;
}
