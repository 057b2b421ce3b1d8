// Finds ZenML `{{NAME.KEY}}` references in shell scripts and Makefile recipes, with exact offsets
// (docs/contract.md "Beyond YAML"). Pure: text in, references out; linear time, never throws.
//
// Only inside a command line whose command is `zenml` — after `VAR=…` assignments and wrappers
// (`env`, `sudo`, `exec`, `time`, `uv run`, `poetry run`, `pdm run`, `pipenv run`, `hatch run`,
// `rye run`, `uvx`, `python -m zenml`), a path ending in `/zenml` included. A command runs to a
// newline not escaped by `\`, or to `;`, `&`, `|`, `(`, `)`. Every `{{ … }}` in its arguments, quoted
// or not (`--password={{a.b}}`, `--password="{{a.b}}"`, `'{{a.b}}'`), is parsed as ZenML does
// (syntaxParse.ts); one holding `$` (a shell or make variable) is `dynamic` (not checked). Go / Helm /
// Jinja shapes ZenML never writes (`{{ .Values.x }}`, `{{- x }}`, pipes, calls, inner spaces) are not references.
// Comments (`# …` at a word's start) are not references; nor is anything on another command's line
// (`echo "{{x.y}}"`, `helm … {{ .Values }}`). A line ending in `# ml-secrets-ignore` yields nothing.
//
// Makefiles: only recipe lines (a line starting with a tab, and the lines its `\` continues) are
// shell; `@`, `-`, `+` before the command are make's; `$$` is a `$`, `$(…)`/`${…}` make variables.

import { capReferences, IGNORE_MARKER, type ScanOptions, type ScanResult, type SecretReference } from '../../references/reference';
import { bracesLookalike } from '../../references/lookalikes';
import { parseZenml } from './syntaxParse';

interface Word {
  start: number;
  end: number;
  /** The word without quotes and escapes (enough to know the command). */
  cooked: string;
}

const SEPARATORS = new Set([';', '&', '|', '(', ')', '`']);
const PREFIX_WORDS = new Set(['if', 'then', 'do', 'else', 'elif', 'while', 'until', '!', '{', 'time', 'sudo', 'exec', 'nohup', 'command', 'builtin', 'nice', 'uvx']);
const RUNNERS = new Set(['uv', 'poetry', 'pdm', 'pipenv', 'hatch', 'rye']);

/** The cheap prefilter: a text without both `zenml` and `{{` holds no reference. */
export function mayContainShellReferences(text: string): boolean {
  return text.includes('{{') && text.includes('zenml');
}

export function scanShell(text: string, options: ScanOptions = {}): ScanResult {
  return scanCommands(text, options, false);
}

export function scanMakefile(text: string, options: ScanOptions = {}): ScanResult {
  return scanCommands(text, options, true);
}

function scanCommands(text: string, options: ScanOptions, make: boolean): ScanResult {
  if (options.maxLength !== undefined && text.length > options.maxLength) return { references: [], skipped: 'tooLarge' };
  if (!mayContainShellReferences(text)) return { references: [] };
  const refs: SecretReference[] = [];
  if (!make) new ShellLexer(text, 0, text.length, false, refs).run();
  else for (const [from, to] of recipeRegions(text)) new ShellLexer(text, from, to, true, refs).run();
  return capReferences(dropIgnored(text, refs));
}

/** Where a Makefile's recipe lines are: from after each leading tab to the end of the line and the lines its `\` continues. */
function recipeRegions(text: string): Array<[number, number]> {
  const out: Array<[number, number]> = [];
  let at = 0;
  while (at < text.length) {
    const recipe = text[at] === '\t';
    let end = lineEnd(text, at);
    // A line ending in an odd number of backslashes continues (a recipe, or a make line).
    while (end < text.length && continued(text, at, end)) end = lineEnd(text, end + 1);
    if (recipe) out.push([at + 1, end]);
    at = end + 1;
  }
  return out;
}

function lineEnd(text: string, from: number): number {
  const i = text.indexOf('\n', from);
  return i < 0 ? text.length : i;
}

function continued(text: string, lineStart: number, end: number): boolean {
  let i = end - 1;
  if (i >= lineStart && text[i] === '\r') i--;
  let n = 0;
  while (i >= lineStart && text[i] === '\\') {
    n++;
    i--;
  }
  return n % 2 === 1;
}

/** Drops the references on a line ending in the ignore marker. */
function dropIgnored(text: string, refs: SecretReference[]): SecretReference[] {
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

/** One region of shell text, split into simple commands; a `zenml` command's references are added to `refs`. */
class ShellLexer {
  private i: number;
  private words: Word[] = [];

  constructor(
    private readonly text: string,
    from: number,
    private readonly to: number,
    private readonly make: boolean,
    private readonly refs: SecretReference[],
  ) {
    this.i = from;
  }

  run(): void {
    const { text, to } = this;
    while (this.i < to) {
      const c = text[this.i];
      if (c === '\\' && (text[this.i + 1] === '\n' || (text[this.i + 1] === '\r' && text[this.i + 2] === '\n'))) this.i += text[this.i + 1] === '\n' ? 2 : 3;
      else if (c === ' ' || c === '\t' || c === '\r' || c === '\f' || c === '\v') this.i++;
      else if (c === '\n' || SEPARATORS.has(c)) {
        this.endCommand();
        this.i++;
      } else if (c === '#') this.i = Math.min(to, lineEnd(text, this.i));
      else if (c === '$' && text[this.i + 1] === '(' && text[this.i + 2] !== '(' && !this.make) {
        // A command substitution at a word's start: its own commands.
        this.endCommand();
        this.i += 2;
      } else this.words.push(this.word());
    }
    this.endCommand();
  }

  private endCommand(): void {
    const words = this.words;
    this.words = [];
    const first = commandIndex(words, this.make);
    if (first < 0 || first + 1 >= words.length) return;
    findReferences(this.text, words[first + 1].start, words[words.length - 1].end, this.refs);
  }

  /** A word from `i`: quotes, escapes and `${…}` / make's `$(…)` are part of it. */
  private word(): Word {
    const { text, to } = this;
    const start = this.i;
    let cooked = '';
    while (this.i < to) {
      const c = text[this.i];
      if (c === ' ' || c === '\t' || c === '\n' || c === '\r' || SEPARATORS.has(c)) break;
      // A command substitution inside a word (`X=$(zenml …)`) holds commands of its own: run() takes it.
      if (c === '$' && text[this.i + 1] === '(' && text[this.i + 2] !== '(' && !this.make) break;
      if (c === '\\') {
        const n = text[this.i + 1];
        if (n !== '\n' && n !== undefined) cooked += n;
        this.i = Math.min(to, this.i + 2);
      } else if (c === "'" || c === '"') {
        const close = this.closing(c, this.i + 1);
        cooked += text.slice(this.i + 1, close);
        this.i = Math.min(to, close + 1);
      } else if (c === '$' && text[this.i + 1] === '$' && this.make) {
        cooked += '$';
        this.i += 2;
      } else if (c === '$' && (text[this.i + 1] === '{' || text[this.i + 1] === '(')) {
        const close = this.balanced(this.i + 1);
        cooked += text.slice(this.i, close + 1);
        this.i = Math.min(to, close + 1);
      } else {
        cooked += c;
        this.i++;
      }
    }
    return { start, end: this.i, cooked };
  }

  /** Where a quote opened before `from` closes (the region's end if it doesn't); `"` honours `\` escapes. */
  private closing(q: string, from: number): number {
    for (let j = from; j < this.to; j++) {
      if (this.text[j] === q) return j;
      if (q === '"' && this.text[j] === '\\') j++;
    }
    return this.to;
  }

  /** Where the bracket at `open` (`{` or `(`) closes, counting nesting (the region's end if it doesn't). */
  private balanced(open: number): number {
    const o = this.text[open];
    const c = o === '{' ? '}' : ')';
    let depth = 0;
    for (let j = open; j < this.to; j++) {
      const ch = this.text[j];
      if (ch === o) depth++;
      else if (ch === c && --depth === 0) return j;
      else if (ch === '\n' && !continued(this.text, open, j)) return j - 1;
    }
    return this.to;
  }
}

/** The index of the `zenml` word that is the command, or -1 when the command is another. */
function commandIndex(words: readonly Word[], make: boolean): number {
  let k = 0;
  for (let guard = 0; k < words.length && guard < 64; guard++) {
    let w = words[k].cooked;
    if (make && k === 0) w = w.replace(/^[@+-]+/, '');
    if (/^[A-Za-z_][A-Za-z0-9_]*=/.test(w) || PREFIX_WORDS.has(w)) k++;
    else if (w === 'env') {
      k++;
      while (k < words.length && words[k].cooked.startsWith('-')) k++;
    } else if (RUNNERS.has(w) && words[k + 1]?.cooked === 'run') {
      k += 2;
      while (k < words.length && words[k].cooked.startsWith('-')) k++;
    } else if (/^python[0-9.]*$/.test(w.replace(/^.*\//, '')) && words[k + 1]?.cooked === '-m') {
      return /^zenml(\.cli(\.cli)?)?$/.test(words[k + 2]?.cooked ?? '') ? k + 2 : -1;
    } else return w === 'zenml' || w.endsWith('/zenml') ? k : -1;
  }
  return -1;
}

/** Every `{{ … }}` in [from, to) of a command's source that doesn't cross a line, as ZenML parses it. */
function findReferences(text: string, from: number, to: number, refs: SecretReference[]): void {
  const part = text.slice(from, to);
  let at = part.indexOf('{{');
  while (at >= 0) {
    const close = part.indexOf('}}', at + 2);
    if (close < 0) return;
    const again = part.lastIndexOf('{{', close - 1);
    if (again > at) at = again;
    const ref = part.slice(at, close).includes('\n') ? undefined : reference(text, from + at, from + close + 2);
    if (ref) refs.push(ref);
    at = part.indexOf('{{', close + 2);
  }
}

/** Go / Helm / Jinja template shapes, never ZenML's (`{{ .Values.x }}`, `{{- x -}}`, `{{ a | b }}`, `{{ f(x) }}`, `{{ a . b }}`). */
const MAX_REFERENCE_LENGTH = 600;
const TEMPLATE_SHAPE = /^[.-]|-$|[|()"'\s]/;

function reference(text: string, start: number, end: number): SecretReference | undefined {
  // No reference is this long (a name is at most 255 characters): braces around a whole script line are something else.
  if (end - start > MAX_REFERENCE_LENGTH) return undefined;
  const raw = text.slice(start, end);
  // Shell and make variables (`${A}`, `$(A)`) are the user's, not a template's.
  if (TEMPLATE_SHAPE.test(raw.slice(2, -2).trim().replace(/\$\([^()]*\)|\$\{[^{}]*\}/g, 'v'))) return undefined;
  // ZenML's own shape only: `{{name.key}}` (a name without a '.' is a Jinja or cookiecutter variable).
  if (!raw.includes('$') && bracesLookalike(raw)) return undefined;
  const ref: SecretReference = { ...parseZenml(raw), text: raw, start, end };
  if (raw.includes('$')) {
    ref.dynamic = true;
    delete ref.problem;
  }
  const at = ref.name ? raw.indexOf(ref.name) : -1;
  if (at >= 0 && !ref.dynamic) ref.nameStart = start + at;
  return ref;
}
