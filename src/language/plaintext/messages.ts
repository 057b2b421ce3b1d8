// The words of plaintext-token diagnostics: what was found (the rule's label) and where, never
// the token itself.

import type { PlaintextFinding } from '../../core/plaintext/types';

/** "A Hugging Face token is in plain text here…": the rule's label, never the token. */
export function tokenMessage(f: PlaintextFinding, ignoredByGit: boolean): string {
  const where = f.inComment ? ' in a comment' : '';
  const git = ignoredByGit ? ' This file is ignored by git, so it is not committed, but the token is still readable on disk.' : '';
  return `${article(f.label)} ${f.label} is in plain text${where}: anyone who can read this file can use it. Move it into a platform secret.${git}`;
}

export function article(label: string): string {
  return /^[aeio]/i.test(label) ? 'An' : 'A';
}

/** The message of a token in a notebook cell's saved output. */
export function outputMessage(label: string, outputIndex: number): string {
  return `${article(label)} ${label} is in plain text in this cell's saved output (output ${outputIndex + 1}): anyone who can read the notebook can use it. Clear the output.`;
}
