// A reference syntax as generic code sees it: its descriptor. Which platforms resolve it, which
// folders are a platform's own, its name and key rules, the names a reference may denote, the fixes
// for a malformed one, and how it appears in YAML (or the file language it brings). Each platform's
// syntax lives in its folder (src/core/platforms/<id>/syntax.ts), the shared `<<NAME.KEY>>` in
// src/core/references/template.ts; src/core/references/syntaxes.ts lists them.

import type { PlatformId, ScopeRef } from '../platforms/types';
import type { ReferenceSyntax, ScanOptions, ScanResult, SecretReference } from './reference';

export interface SyntaxDescriptor {
  readonly id: ReferenceSyntax;
  /** The platforms whose connections resolve it, in the order messages name them; none: any connection's (the file's). */
  readonly platforms?: readonly PlatformId[];
  /**
   * A reference only in files checked against one of `platforms` (ZenML's `{{NAME.KEY}}`: Helm and
   * Jinja write the same braces); with no connection chosen, only while one of theirs exists.
   */
  readonly onlyForItsPlatforms?: boolean;
  /**
   * Folders whose files are one platform's own (neuro-flow's `.neuro/`): they prefer that platform
   * over the others of `platforms`, in this order.
   */
  readonly folders?: readonly SyntaxFolder[];
  /** The names a reference may denote, tried in order (default: its name). */
  names?(ref: SecretReference, keyed: boolean): string[];
  /** The name rule that makes a reference malformed whatever the connection (checked when there is none). */
  validateName?(name: string): string | undefined;
  /** The rule a secret's key must meet for a secret to be created from this reference's key. */
  validateKey?(key: string): string | undefined;
  /** Whether a reference may name a secret in a connection's own scope (default: yes). */
  inScope?(ref: SecretReference, scope: ScopeRef): boolean;
  /** Edits that mend a malformed reference, when one is obvious. */
  fixes?(ref: SecretReference): SyntaxFix[];
  /** How it appears in YAML job files. */
  readonly yaml?: YamlRecogniser;
  /** A file language whose references are of this syntax, with its own scanner (Flyte: Python). */
  readonly language?: SyntaxLanguage;
  /**
   * Several file languages, each with its scanner (ZenML: shell scripts, Makefiles, Python). Several
   * syntaxes may scan one language: a file of it gets every scanner's references (syntaxes.ts).
   */
  readonly languages?: readonly SyntaxLanguage[];
  /** How its references are written, for completion of names and keys (src/core/references/completionContext.ts). */
  readonly completion?: readonly CompletionForm[];
}

/**
 * One place a name (or a key) is typed in a reference (`secret:|`, `<<|`, `{{name.|`), as completion
 * finds it: the text before what is being typed matches `before`, anchored at its end.
 */
export interface CompletionForm {
  /** The file languages it is written in: `yaml` for job YAML, else VS Code's id (`python`, `shellscript`). */
  readonly languages: readonly string[];
  /**
   * Matches the text before the name or key being typed (up to a few lines of it), ending with `$`.
   * For a key, group 1 is the secret's name.
   */
  readonly before: RegExp;
  /** What is typed there (default: a secret's name). */
  readonly completes?: 'name' | 'key';
  /** Matches one character of a name or key being typed: the typed prefix and the text an item replaces. */
  readonly chars: RegExp;
  /** Written after an inserted name or key unless the text after it already starts with it (`>>`, `}}`). */
  readonly close?: string;
}

export interface SyntaxFolder {
  /** The folder's name (`.neuro`). */
  readonly dir: string;
  readonly platform: PlatformId;
}

/** Replace the document's [start, end) with `newText`. */
export interface SyntaxFix {
  title: string;
  start: number;
  end: number;
  newText: string;
  preferred?: boolean;
}

export interface SyntaxLanguage {
  /** VS Code's language id (`python`, `shellscript`, `makefile`). */
  readonly id: string;
  /** Which file paths are of this language when the editor doesn't say (`.sh`, `Makefile`); default: by id only. */
  readonly files?: RegExp;
  scan(text: string, options?: ScanOptions): ScanResult;
}

/** A reference that is a whole scalar value (or its `VAR=…` part): where in the value, and what it says. */
export interface ValueMatch {
  /** Where the reference starts in the value. */
  index: number;
  /** The reference's text, part of the value. */
  text: string;
  ref: Omit<SecretReference, 'start' | 'end' | 'text'>;
}

/** What the YAML scanner (src/core/references/yamlScalars.ts) asks of a syntax. */
export interface YamlRecogniser {
  /** Text each of its references contains: a text without any syntax's trigger holds none. */
  readonly trigger: string;
  /** Every reference anywhere in a scalar's raw source (block scalars too); `base`: where the source starts. */
  inSource?(source: string, base: number, refs: SecretReference[]): void;
  /** The reference a flow scalar's value is, if any. */
  inValue?(value: string): ValueMatch | undefined;
  /** Where a well-formed reference's name starts in its text, when it appears there verbatim (asked only then). */
  nameOffset?(ref: SecretReference): number | undefined;
  /** A plain one-line key at `at` that is a reference without a name (`A: secret:`). */
  inEmptyKey?(text: string, at: number, source: string, refs: SecretReference[]): void;
  /**
   * Adds every name its references in a whole text may have, from the text alone (the workspace
   * index's fast path); true when that takes the exact scan (escapes, decoding).
   */
  candidates?(text: string, out: Set<string>): boolean;
}
