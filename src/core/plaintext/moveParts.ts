// The parts the platforms' move forms share (issue 16; each form is in
// src/core/platforms/<id>/plaintextMove.ts, ./moveForms.ts lists them): a token in a comment deleted
// from it, a Python literal replaced by an expression (`os.environ["HF_TOKEN"]`, plus one import
// line from ./pythonImports.ts), a shell word's token replaced by `"${HF_TOKEN}"` (make's `$$`), a
// YAML scalar's value replaced by a reference and read back with our own YAML scanner. Every edit
// lies inside the finding's literal (an import line aside). Pure; never throws.

import { scanYaml } from '../references/scanner';
import type { SecretReference } from '../references/reference';
import { recipeRegions } from '../references/shellRegions';
import { tokenize } from '../platforms/flyte/syntaxPythonTokenizer';
import { STR } from '../platforms/flyte/syntaxPythonTokens';
import { yaml } from '../vendor';
import { osImport } from './pythonImports';
import type { MoveForm, MovePlan, MoveRequest, TextEdit } from './types';

/** One platform's move: the form, and how a suggested secret name is made to fit its rule. */
export interface PlatformMove {
  move: MoveForm;
  /** `hf_token` → a name the platform's rule accepts (MosaicML: `hf-token`). */
  adaptName: (name: string) => string;
}

/** The `mlSecrets.addSecret` part of a plan. */
export interface Creation {
  create: Record<string, unknown>;
  valueField: 'value' | { values: string };
}

/** An environment variable name (POSIX shells, `os.environ`, mcli's env secrets). */
export const ENV_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

export const refuse = (reason: string): MovePlan => ({ refused: reason });

/** A plan from its creation part, edits, reference and note. */
export function planOf(created: Creation, edits: TextEdit[], reference: string, note?: string): MovePlan {
  return { ...created, edits, reference, ...(note ? { note } : {}) };
}

/** `text` with `edits` applied (non-overlapping, any order). */
export function applyEdits(text: string, edits: readonly TextEdit[]): string {
  let out = text;
  for (const e of [...edits].sort((a, b) => b.start - a.start || b.end - a.end)) out = out.slice(0, e.start) + e.newText + out.slice(e.end);
  return out;
}

/** A token in a comment leaves it: `<moved to secret NAME>` in its place. */
export function commentPlan(req: MoveRequest, created: Creation, reference: string): MovePlan {
  const { start, end } = req.finding;
  return planOf(created, [{ start, end, newText: `<moved to secret ${req.name.replace(/[\r\n]/g, ' ')}>` }], reference);
}

/** Files with no reference form of any platform. */
export function docRefusal(req: MoveRequest): MovePlan | undefined {
  if (req.language !== 'markdown' && req.language !== 'plaintext') return undefined;
  return refuse(`A ${req.language === 'markdown' ? 'Markdown' : 'plain text'} file has no secret reference form: create the secret, then delete the token from this file by hand.`);
}

// --- Python ---------------------------------------------------------------------------------

/** Why the Python literal can't become an expression, if it can't. */
export function pythonLiteralProblem(req: MoveRequest): string | undefined {
  const { text, finding } = req;
  const { literal } = finding;
  if (!finding.whole) return 'The token is part of a longer string: split it out into a string of its own (or an f-string field), then move it.';
  const prefix = text.slice(literal.start, literal.end).match(/^[A-Za-z]*/)?.[0] ?? '';
  if (/b/i.test(prefix)) return 'The token is a bytes literal: an environment variable is a str (use os.environb, or encode it), so move it by hand.';
  const { toks } = tokenize(text);
  let i = 0;
  while (i < toks.count && toks.start[i] < literal.start) i++;
  // The literal must be a string token of its own (not text nested in an f-string's field).
  if (i >= toks.count || toks.kind[i] !== STR || toks.start[i] !== literal.start || toks.end[i] !== literal.end) {
    return 'The token is not in a string literal of its own here (an f-string field, or code being typed): move it by hand.';
  }
  // `"a" "hf_…"`: adjacent literals are one string; an expression in between is a syntax error.
  if ((i > 0 && toks.kind[i - 1] === STR) || (i + 1 < toks.count && toks.kind[i + 1] === STR)) {
    return 'The string is implicitly concatenated with the next or previous one: join them first, then move the token.';
  }
  return undefined;
}

/** The literal replaced by `expr` (a space kept before it after `return"…"`). */
export function pythonLiteralEdit(req: MoveRequest, expr: string): TextEdit {
  const { start, end } = req.finding.literal;
  const glued = start > 0 && /[\w\u0080-\uffff]/.test(req.text[start - 1]);
  return { start, end, newText: glued ? ` ${expr}` : expr };
}

/** `os.environ["ENVVAR"]` in place of the literal, with `import os` when the module lacks it. */
export function pythonEnvPlan(req: MoveRequest, created: Creation, note: string): MovePlan {
  if (!ENV_NAME.test(req.envVar)) return refuse(`'${req.envVar}' is not an environment variable name (letters, digits and _, not starting with a digit).`);
  const problem = pythonLiteralProblem(req);
  if (problem) return refuse(problem);
  const imported = osImport(req.text, req.finding.literal.start);
  if (!imported) return refuse("There is no safe place for 'import os' in this file: add it, then move the token.");
  const expr = `os.environ[${JSON.stringify(req.envVar)}]`;
  return planOf(created, [...(imported.edit ? [imported.edit] : []), pythonLiteralEdit(req, expr)], expr, note);
}

// --- Shell scripts and Makefiles ------------------------------------------------------------

function inRecipe(text: string, at: number): boolean {
  return recipeRegions(text).some(([s, e]) => at >= s && at < e);
}

/**
 * The token read from the environment instead: `"${ENVVAR}"` in its place, kept valid in the quotes
 * it sits in (`"Bearer ${ENVVAR}"`, `'Bearer '"${ENVVAR}"''`); in a Makefile recipe `$${ENVVAR}`, in a
 * make variable's value `$(ENVVAR)` (make reads the environment), unless that variable is ENVVAR itself.
 */
export function shellEnvEdit(req: MoveRequest): TextEdit | string {
  const { text, finding, envVar } = req;
  const { start, end, literal } = finding;
  if (!ENV_NAME.test(envVar)) return `'${envVar}' is not an environment variable name (letters, digits and _, not starting with a digit).`;
  const make = req.language === 'makefile';
  if (make && !inRecipe(text, start)) {
    if (finding.variable === envVar) return `The make variable ${envVar} can't read itself from the environment: delete the line and run make with ${envVar} set in the environment.`;
    return { start, end, newText: `$(${envVar})` };
  }
  const expansion = `${make ? '$$' : '$'}{${envVar}}`;
  if (literal.quote === '"') return { start, end, newText: expansion };
  if (literal.quote === "'") {
    if (start === literal.start + 1 && end === literal.end - 1) return { start: literal.start, end: literal.end, newText: `"${expansion}"` };
    return { start, end, newText: `'"${expansion}"'` };
  }
  return { start, end, newText: `"${expansion}"` };
}

/** The shell env form as a plan. */
export function shellEnvPlan(req: MoveRequest, created: Creation, note?: string): MovePlan {
  const edit = shellEnvEdit(req);
  if (typeof edit === 'string') return refuse(edit);
  return planOf(created, [edit], edit.newText.startsWith('$(') ? edit.newText : `"\${${req.envVar}}"`, note);
}

// --- YAML -----------------------------------------------------------------------------------

/** `value` written into the literal's quotes (escaped for them), or as a double-quoted scalar in place of a plain one when `quotePlain`. */
export function yamlScalarText(value: string, quote: '"' | "'" | '', quotePlain: boolean): string {
  const dq = () => value.replace(/\\/g, '\\\\').replace(/"/g, '\\"');
  if (quote === '"') return dq();
  if (quote === "'") return value.replace(/'/g, "''");
  return quotePlain ? `"${dq()}"` : value;
}

function yamlErrors(text: string): number {
  try {
    return yaml()
      .parseAllDocuments(text)
      .reduce((n, d) => n + ('errors' in d ? d.errors.length : 1), 0);
  } catch {
    return Number.MAX_SAFE_INTEGER;
  }
}

/**
 * The literal's value replaced by a reference, checked by reading it back: the edited text parses
 * as before and our YAML scanner finds a reference at the edited place that `matches`. Else why not.
 */
export function yamlReferenceEdit(req: MoveRequest, value: string, quotePlain: boolean, matches: (ref: SecretReference) => boolean): TextEdit | string {
  const { literal } = req.finding;
  const edit: TextEdit = { start: literal.start, end: literal.end, newText: yamlScalarText(value, literal.quote, quotePlain) };
  const after = applyEdits(req.text, [edit]);
  if (yamlErrors(after) > yamlErrors(req.text)) return 'The reference would not parse as YAML here: move the token by hand.';
  const found = scanYaml(after).references.some((r) => r.start >= literal.start && r.start <= literal.start + 1 && !r.problem && !r.dynamic && matches(r));
  if (!found) return 'A reference here would not be read as one (a block scalar, a key, or a file of another tool): make the token a plain or quoted scalar value first.';
  return edit;
}
