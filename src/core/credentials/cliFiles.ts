// What the MosaicML and Flyte CLI-login readers share (src/core/platforms/mosaic/cliLogins.ts,
// src/core/platforms/flyte/cliLogins.ts): injected file access, by default through the guard
// (./guardedRead.ts), and the shape of their result.

import { promises as nodeFs } from 'node:fs';
import { guardedTextFs, type CliFileIssue, type TextFs } from './guardedRead';

/**
 * File access. `readFile` of the default goes through the guard (regular files only, size-capped,
 * never blocks); a missing file is an error with code ENOENT. `exists` is only used to find `.git`.
 */
export interface CliFs extends TextFs {
  readFile(p: string): Promise<string>;
  exists(p: string): Promise<boolean>;
}

export const guardedCliFs: CliFs = {
  readFile: guardedTextFs.readFile,
  exists: (p) => nodeFs.lstat(p).then(() => true, () => false),
};

export interface CliLoginsResult<L> {
  logins: L[];
  /** Human-readable, one per problem; never a token. */
  problems: string[];
  /** The file-level ones among them, typed (also in `problems`). */
  issues: CliFileIssue[];
}

/** A trimmed non-empty string, else undefined. */
export function trimmed(v: unknown): string | undefined {
  return typeof v === 'string' && v.trim() ? v.trim() : undefined;
}
