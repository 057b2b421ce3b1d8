// Where a plaintext token sits (issue 16): the literal holding it, whether it is that literal's whole
// value, whether it is in a comment, and the name the text gives it (a YAML key, an assignment, a
// keyword argument, a dict key, a command-line option), read lexically on the token's line for each
// language (./lexical.ts). Markdown is read by its fenced code blocks' info strings.

import { enclosing, isEnvName, LineReading, nameBefore, readLine } from './lexical';
import { shellContext } from './contextShell';
import type { PlaintextFinding, PlaintextLanguage } from './types';

/** What context fills in a finding. */
export type TokenContext = Pick<PlaintextFinding, 'literal' | 'whole' | 'inComment' | 'variable' | 'envVar' | 'suggestedName'>;

type Place = Pick<PlaintextFinding, 'literal' | 'whole' | 'variable'> & { inComment?: boolean };

const FENCE = /^ {0,3}(`{3,}|~{3,})\s*([\w+-]*)/;

const FENCE_LANGUAGES: Record<string, PlaintextLanguage> = {
  yaml: 'yaml', yml: 'yaml', python: 'python', py: 'python', python3: 'python', ipython: 'python', sh: 'shellscript', bash: 'shellscript',
  shell: 'shellscript', zsh: 'shellscript', console: 'shellscript', shellscript: 'shellscript', dotenv: 'dotenv', env: 'dotenv', makefile: 'makefile', make: 'makefile',
};

interface Block {
  start: number;
  end: number;
  lang: PlaintextLanguage;
}

/** The fenced code blocks of a Markdown text (contents only), in one pass; the last text's are kept. */
let lastBlocks: { text: string; blocks: Block[] } | undefined;
function fencedBlocks(text: string): Block[] {
  if (lastBlocks?.text === text) return lastBlocks.blocks;
  const blocks: Block[] = [];
  let open: { fence: string; lang: PlaintextLanguage; start: number } | undefined;
  for (let pos = 0; pos < text.length; ) {
    let end = text.indexOf('\n', pos);
    if (end < 0) end = text.length;
    const m = FENCE.exec(text.slice(pos, Math.min(end, pos + 200)));
    if (m && !open) open = { fence: m[1], lang: FENCE_LANGUAGES[m[2].toLowerCase()] ?? 'plaintext', start: end + 1 };
    else if (m && open && m[1][0] === open.fence[0] && m[1].length >= open.fence.length && !m[2]) {
      blocks.push({ start: open.start, end: pos, lang: open.lang });
      open = undefined;
    }
    pos = end + 1;
  }
  if (open) blocks.push({ start: open.start, end: text.length, lang: open.lang });
  lastBlocks = { text, blocks };
  return blocks;
}

/** The language of the Markdown text at `offset`: its fenced code block's, by the info string, else plain text. */
export function markdownLanguageAt(text: string, offset: number): PlaintextLanguage {
  const blocks = fencedBlocks(text);
  let lo = 0;
  let hi = blocks.length - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    const b = blocks[mid];
    if (offset < b.start) hi = mid - 1;
    else if (offset >= b.end) lo = mid + 1;
    else return b.lang;
  }
  return 'plaintext';
}

/** The whitespace-delimited word around [start, end) within [from, to). */
function wordAround(text: string, start: number, end: number, from: number, to: number): { start: number; end: number } {
  let s = start;
  while (s > from && !/\s/.test(text[s - 1])) s--;
  let e = end;
  while (e < to && !/\s/.test(text[e])) e++;
  return { start: s, end: e };
}

/** A token in a comment: the comment's word holding it; a `NAME=` in that word names it. */
function commentPlace(text: string, start: number, end: number, r: LineReading): Place {
  const w = wordAround(text, start, end, r.comment + 1, r.end);
  const before = text.slice(w.start, start);
  return { literal: { ...w, quote: '' }, whole: w.start === start && w.end === end, inComment: true, variable: before ? nameBefore(before) : undefined };
}

/** YAML: a quoted scalar (inside its quotes) or a plain one (from after `: ` / `- ` / `[{,` to ` #` or its end). */
function yamlPlace(text: string, start: number, end: number, r: LineReading): Place {
  const q = enclosing(r, start, end);
  let literal: PlaintextFinding['literal'];
  let scalarStart: number;
  if (q) {
    literal = { start: q.open + 1, end: q.close, quote: q.q };
    scalarStart = q.open;
  } else {
    const prefix = text.slice(r.start, start);
    const flow = (prefix.match(/[[{]/g)?.length ?? 0) > (prefix.match(/[\]}]/g)?.length ?? 0);
    const m = (flow ? /(?:^\s*(?:-\s+)*|:\s+|[[{,]\s*)(?=(?:[^[{,:]|:(?!\s))*$)/ : /(?:^\s*(?:-\s+)*|:\s+)(?=(?:[^:]|:(?!\s))*$)/).exec(prefix);
    scalarStart = r.start + (m ? m.index + m[0].length : 0);
    const rest = text.slice(end, r.end);
    const stop = rest.search(flow ? /\s#|[,\]}]/ : /\s#/);
    let e = stop < 0 ? r.end : end + stop;
    while (e > end && /\s/.test(text[e - 1])) e--;
    literal = { start: scalarStart, end: e, quote: '' };
  }
  const inner = nameBefore(text.slice(literal.start, start));
  const key = /(?:^|[\s{,])["']?([A-Za-z_][\w.-]*)["']?\s*:\s*$/.exec(text.slice(r.start, scalarStart))?.[1];
  return { literal, whole: literal.start === start && literal.end === end, variable: inner ?? key };
}

/** Python: the string literal with its prefix and quotes; the name from `NAME = `, `environ["NAME"] = `, `("NAME", `, `"NAME": `, `key=`. */
function pythonPlace(text: string, start: number, end: number, r: LineReading): Place {
  const q = enclosing(r, start, end);
  if (!q) return { literal: { start, end, quote: '' }, whole: true };
  let ls = q.open;
  while (ls > r.start && /[rRbBuUfF]/.test(text[ls - 1]) && q.open - ls < 2) ls--;
  const closed = q.close < r.end;
  const literal = { start: ls, end: closed ? q.close + 1 : r.end, quote: q.q };
  const whole = q.open + q.width === start && (closed ? q.close - q.width + 1 : r.end) === end;
  const before = text.slice(r.start, ls);
  const m =
    /\[\s*["']([^"']+)["']\s*\]\s*=\s*$/.exec(before) ??
    /\(\s*["']([^"']+)["']\s*,\s*$/.exec(before) ??
    /["']([^"']+)["']\s*:\s*$/.exec(before) ??
    /([A-Za-z_]\w*)\s*(?::\s*[\w[\]., |]+)?=\s*$/.exec(before);
  return { literal, whole, variable: nameBefore(text.slice(q.open + q.width, start)) ?? m?.[1] };
}

/** Where the token [start, end) sits in `text`. */
export function placeOf(text: string, language: PlaintextLanguage, start: number, end: number): Place {
  const lang = language === 'markdown' ? markdownLanguageAt(text, start) : language;
  const r = readLine(text, start, lang);
  if (r.comment >= 0 && r.comment < start) return commentPlace(text, start, end, r);
  if (lang === 'yaml') return yamlPlace(text, start, end, r);
  if (lang === 'python') return pythonPlace(text, start, end, r);
  if (lang === 'plaintext' || lang === 'markdown') {
    const w = wordAround(text, start, end, r.start, r.end);
    return { literal: { start, end, quote: '' }, whole: true, variable: w.start < start ? nameBefore(text.slice(w.start, start)) : undefined };
  }
  return shellContext(text, lang, start, end, r);
}

/** Names too generic to suggest as a secret's name (`token=`, `api_key=`): the rule's name is better. */
const GENERIC = /^(api_?)?(key|token|secret|password|pass|pwd|auth|authorization|bearer|header|value|default|access_?token|auth_?token|credentials?)$/i;

/** Lower-case snake of a name (`HF_TOKEN` → `hf_token`, `hfToken` → `hf_token`, `hf-token` → `hf_token`). */
export function snakeName(name: string): string {
  return name
    .replace(/([a-z0-9])([A-Z])/g, '$1_$2')
    .replace(/[^A-Za-z0-9]+/g, '_')
    .replace(/^_+|_+$/g, '')
    .toLowerCase();
}

/** The literal, the name and what to suggest for the token [start, end) found by a rule reading `ruleEnvVar`. */
export function tokenContext(text: string, language: PlaintextLanguage, start: number, end: number, ruleEnvVar: string): TokenContext {
  let p = placeOf(text, language, start, end);
  // A token over several lines (a private key) is read on its first line only: it is its own literal.
  if (p.literal.start > start || p.literal.end < end) p = { ...p, literal: { start, end, quote: '' }, whole: true };
  const variable = p.variable || undefined;
  const envVar = isEnvName(variable) ? variable : ruleEnvVar;
  const named = variable && variable.length > 2 && !GENERIC.test(variable) && snakeName(variable) ? snakeName(variable) : snakeName(envVar);
  const out: TokenContext = { literal: p.literal, whole: p.whole, envVar, suggestedName: named };
  if (p.inComment) out.inComment = true;
  if (variable) out.variable = variable;
  return out;
}
