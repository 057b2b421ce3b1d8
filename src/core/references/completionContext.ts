// Where completion is asked inside a secret reference: which syntax, whether a secret's name or (after
// ZenML's `{{name.` or a template's `<<name.`) one of its keys is being typed, the typed prefix, and
// the text an item replaces. Each syntax says how its references are written (its descriptor's
// `completion` forms, filled in its own folder); this file only reads them. Pure: no vscode.

import type { ReferenceSyntax } from './reference';
import type { CompletionForm, SyntaxDescriptor } from './syntax';
import { SYNTAXES } from './syntaxes';

export interface CompletionContext {
  syntax: ReferenceSyntax;
  completes: 'name' | 'key';
  /** What is typed of the name or key, up to the cursor. */
  prefix: string;
  /** The secret whose key is being typed. */
  secret?: string;
  /** [start, end): the typed prefix and the rest of the name or key after the cursor, which an item replaces. */
  start: number;
  end: number;
  /** To write after an inserted name or key: the reference isn't closed yet. */
  close?: string;
}

/** How much text before the name a form's `before` sees (a Python list over a few lines). */
const WINDOW = 600;
/** No name or key is typed longer than this (a bound on the scan around the cursor). */
const MAX_NAME = 256;

/**
 * The reference being typed at `offset` of `text` (a whole document or a window of it ending after
 * the cursor's line), for a file of `language` (`yaml`, or the VS Code id a syntax scans); none
 * when the cursor isn't where a name or key goes.
 */
export function completionContextAt(text: string, offset: number, language: string, syntaxes: readonly SyntaxDescriptor[] = SYNTAXES): CompletionContext | undefined {
  if (offset < 0 || offset > text.length) return undefined;
  for (const s of syntaxes) {
    for (const form of s.completion ?? []) {
      if (!form.languages.includes(language)) continue;
      const ctx = matchForm(form, text, offset);
      if (ctx) return { syntax: s.id, ...ctx };
    }
  }
  return undefined;
}

function matchForm(form: CompletionForm, text: string, offset: number): Omit<CompletionContext, 'syntax'> | undefined {
  let start = offset;
  while (start > 0 && offset - start < MAX_NAME && form.chars.test(text[start - 1])) start--;
  let end = offset;
  while (end < text.length && end - offset < MAX_NAME && form.chars.test(text[end])) end++;
  const m = form.before.exec(text.slice(Math.max(0, start - WINDOW), start));
  if (!m) return undefined;
  const completes = form.completes ?? 'name';
  if (completes === 'key' && !m[1]) return undefined;
  const ctx: Omit<CompletionContext, 'syntax'> = { completes, prefix: text.slice(start, offset), start, end };
  if (completes === 'key') ctx.secret = m[1];
  // Closed only where nothing follows (`<<name|.key>>` already goes on).
  if (form.close && !text.startsWith(form.close, end) && (end === text.length || /[\s'"]/.test(text[end]))) ctx.close = form.close;
  return ctx;
}
