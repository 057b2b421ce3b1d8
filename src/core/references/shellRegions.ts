// Where shell command lines are in a file, and what comes before a command's name: shared by the
// command-line scanners (src/core/platforms/zenml/shellScanner.ts, src/core/platforms/apolo/
// shellCommands.ts) on top of shellWords.ts. Pure; linear time.
//   shell script  the whole text
//   Makefile      recipe lines (a line starting with a tab, and the lines its `\` continues)
//   Markdown      fenced code blocks (``` or ~~~) whose info string is a shell's (sh, bash, zsh, shell,
//                 console, shell-session, terminal, text) or empty; in a block with prompts (`$ `, `% `,
//                 `> `), only the prompt lines (and the lines their `\` continues) are commands, the
//                 other lines being output.

import { IGNORE_MARKER, type SecretReference } from './reference';
import { continued, lineEnd, shellCommands, type CommandSink, type ShellWord } from './shellWords';

export type ShellDialect = 'shell' | 'make' | 'markdown';

/** Every command of a file of this dialect. */
export function commandsOf(text: string, dialect: ShellDialect, sink: CommandSink): void {
  if (dialect === 'shell') shellCommands(text, 0, text.length, false, sink);
  else if (dialect === 'make') for (const [from, to] of recipeRegions(text)) shellCommands(text, from, to, true, sink);
  else for (const [from, to] of markdownRegions(text)) shellCommands(text, from, to, false, sink);
}

/** The end of the line at `from` and of the lines its `\` continues. */
function logicalLineEnd(text: string, from: number): number {
  let end = lineEnd(text, from);
  while (end < text.length && continued(text, from, end)) end = lineEnd(text, end + 1);
  return end;
}

/** Where a Makefile's recipe lines are: from after each leading tab to the end of the line and the lines its `\` continues. */
export function recipeRegions(text: string): Array<[number, number]> {
  const out: Array<[number, number]> = [];
  let at = 0;
  while (at < text.length) {
    const recipe = text[at] === '\t';
    // A line ending in an odd number of backslashes continues (a recipe, or a make line).
    const end = logicalLineEnd(text, at);
    if (recipe) out.push([at + 1, end]);
    at = end + 1;
  }
  return out;
}

const FENCE = /^[ \t]{0,12}(`{3,}|~{3,})[ \t]*([^\s`{]*)/;
/** Info strings of shell blocks (the first word, lower-cased; `{.bash}` style attributes aside). */
const SHELL_INFO = new Set(['', 'sh', 'bash', 'zsh', 'shell', 'console', 'shell-session', 'shellsession', 'sh-session', 'terminal', 'text', 'shell-script', 'shellscript']);
const PROMPT = /^[ \t]*([$%>])[ \t]/;

/** The command regions of a Markdown file's shell code blocks. */
export function markdownRegions(text: string): Array<[number, number]> {
  const out: Array<[number, number]> = [];
  let at = 0;
  while (at < text.length) {
    const end = lineEnd(text, at);
    const open = FENCE.exec(text.slice(at, Math.min(end, at + 200)));
    if (!open) {
      at = end + 1;
      continue;
    }
    const close = closingFence(text, end + 1, open[1]);
    if (SHELL_INFO.has(open[2].toLowerCase())) blockRegions(text, end + 1, close, out);
    at = lineEnd(text, close) + 1;
  }
  return out;
}

/** Where the block opened by `fence` ends: the start of its closing line (the text's end if none). */
function closingFence(text: string, from: number, fence: string): number {
  for (let at = from; at < text.length; ) {
    const end = lineEnd(text, at);
    const line = text.slice(at, end).trim();
    if (line.length >= fence.length && line[0] === fence[0] && [...line].every((c) => c === fence[0])) return at;
    at = end + 1;
  }
  return text.length;
}

/** A block's command regions: its prompt lines (after the prompt) if it has any, else all of it. */
function blockRegions(text: string, from: number, to: number, out: Array<[number, number]>): void {
  const prompts: Array<[number, number]> = [];
  for (let at = from; at < to; ) {
    const m = PROMPT.exec(text.slice(at, Math.min(to, at + 40)));
    const end = Math.min(to, m ? logicalLineEnd(text, at) : lineEnd(text, at));
    if (m) prompts.push([at + m[0].length, end]);
    at = end + 1;
  }
  if (prompts.length) out.push(...prompts);
  else if (to > from) out.push([from, to]);
}

/** Drops the references on a line ending in the ignore marker. */
export function dropIgnored(text: string, refs: SecretReference[]): SecretReference[] {
  let end = -1;
  let ignored = false;
  return refs.filter((r) => {
    if (r.start > end) {
      end = lineEnd(text, r.start);
      ignored = text.slice(Math.max(r.start, end - IGNORE_MARKER.length - 2), end).trimEnd().endsWith(IGNORE_MARKER);
    }
    return !ignored;
  });
}

const PREFIX_WORDS = new Set(['if', 'then', 'do', 'else', 'elif', 'while', 'until', '!', '{', 'time', 'sudo', 'exec', 'nohup', 'command', 'builtin', 'nice', 'uvx']);
const RUNNERS = new Set(['uv', 'poetry', 'pdm', 'pipenv', 'hatch', 'rye']);

/** A word's cooked text; a Makefile recipe's first word without make's `@`, `-`, `+`. */
export function cookedAt(words: readonly ShellWord[], k: number, make: boolean): string {
  const w = words[k]?.cooked ?? '';
  return make && k === 0 ? w.replace(/^[@+-]+/, '') : w;
}

/**
 * The index of the command's name: after `VAR=…` assignments and wrappers (`env`, `sudo`, `exec`,
 * `time`, `uv run`, `poetry run`, `pdm run`, `pipenv run`, `hatch run`, `rye run`, `uvx`, …); may be
 * `words.length` (no name).
 */
export function commandStart(words: readonly ShellWord[], make: boolean): number {
  let k = 0;
  for (let guard = 0; k < words.length && guard < 64; guard++) {
    const w = cookedAt(words, k, make);
    if (/^[A-Za-z_][A-Za-z0-9_]*=/.test(w) || PREFIX_WORDS.has(w)) k++;
    else if (w === 'env') {
      k++;
      while (k < words.length && words[k].cooked.startsWith('-')) k++;
    } else if (RUNNERS.has(w) && words[k + 1]?.cooked === 'run') {
      k += 2;
      while (k < words.length && words[k].cooked.startsWith('-')) k++;
    } else return k;
  }
  return k;
}
