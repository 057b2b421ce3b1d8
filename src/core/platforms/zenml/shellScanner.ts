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
// The splitting into commands and words is shared: src/core/references/shellWords.ts, shellRegions.ts.

import { capReferences, type ScanOptions, type ScanResult, type SecretReference } from '../../references/reference';
import { bracesLookalike } from '../../references/lookalikes';
import { commandsOf, commandStart, cookedAt, dropIgnored } from '../../references/shellRegions';
import type { ShellWord } from '../../references/shellWords';
import { parseZenml } from './syntaxParse';

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
  commandsOf(text, make ? 'make' : 'shell', (words) => {
    const first = commandIndex(words, make);
    if (first < 0 || first + 1 >= words.length) return;
    findReferences(text, words[first + 1].start, words[words.length - 1].end, refs);
  });
  return capReferences(dropIgnored(text, refs));
}

/** The index of the `zenml` word that is the command, or -1 when the command is another. */
function commandIndex(words: readonly ShellWord[], make: boolean): number {
  const k = commandStart(words, make);
  if (k >= words.length) return -1;
  const w = cookedAt(words, k, make);
  if (/^python[0-9.]*$/.test(w.replace(/^.*\//, '')) && words[k + 1]?.cooked === '-m') {
    return /^zenml(\.cli(\.cli)?)?$/.test(words[k + 2]?.cooked ?? '') ? k + 2 : -1;
  }
  return w === 'zenml' || w.endsWith('/zenml') ? k : -1;
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
