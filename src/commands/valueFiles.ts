// Reading a file the user names as (part of) a secret's value: one reader with a size limit and
// plain errors that never quote the contents, and the file picker the prompts use. Each kind of
// file has its rule (limit and messages): a value's bytes, a typed secret's field, a key → value map.

import * as fs from 'node:fs/promises';
import * as vscode from 'vscode';
import { ValidationError } from '../core/errors';
import { printable } from '../core/text';

export interface ValueFileRule {
  maxBytes: number;
  /** The error when the file can't be found (or stat'ed). */
  missing(file: string): string;
  /** The error when it is over maxBytes. */
  tooLarge(file: string, bytes: number): string;
  /** The error when it is not a regular file; without it a directory fails as unreadable. */
  notAFile?(file: string): string;
}

const MiB = 1024 * 1024;
const kib = (bytes: number) => Math.round(bytes / 1024);

/** A secret's value: the bytes of a file (the CLIs' @file). */
export const VALUE_FILE: ValueFileRule = {
  maxBytes: 4 * MiB,
  missing: (f) => `Can't read ${printable(f)}: no such file.`,
  tooLarge: (f, n) => `${printable(f)} is too large (${kib(n)} KiB).`,
  notAFile: (f) => `${printable(f)} is not a file.`,
};

/** One field of a typed secret (a key file, credentials…), as text. */
export const FIELD_FILE: ValueFileRule = {
  maxBytes: 4 * MiB,
  missing: (f) => `Can't read ${printable(f)}.`,
  tooLarge: (f, n) => `${printable(f)} is too large (${kib(n)} KiB).`,
  notAFile: (f) => `${printable(f)} is not a file.`,
};

/** A JSON or YAML file of key → value. */
export const VALUES_FILE: ValueFileRule = {
  maxBytes: MiB,
  missing: (f) => `Can't read ${printable(f)}.`,
  tooLarge: (f) => `${printable(f)} is too large for a values file.`,
};

/** The file's bytes, or a ValidationError saying why not (missing, not a file, too large, unreadable). */
export async function readValueFile(file: string, rule: ValueFileRule = VALUE_FILE): Promise<Uint8Array> {
  let stat;
  try {
    stat = await fs.stat(file);
  } catch {
    throw new ValidationError(rule.missing(file));
  }
  if (rule.notAFile && !stat.isFile()) throw new ValidationError(rule.notAFile(file));
  if (stat.size > rule.maxBytes) throw new ValidationError(rule.tooLarge(file, stat.size));
  try {
    return new Uint8Array(await fs.readFile(file));
  } catch {
    throw new ValidationError(`Can't read ${printable(file)}.`);
  }
}

/** The file's text (UTF-8), under the rule's limit. */
export async function readTextFile(file: string, rule: ValueFileRule): Promise<string> {
  const bytes = await readValueFile(file, rule);
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('utf8');
}

/** Asks for one file (an open dialog); its path, or undefined when cancelled. */
export async function pickFile(openLabel: string, filters?: Record<string, string[]>): Promise<string | undefined> {
  const uris = await vscode.window.showOpenDialog({ canSelectMany: false, openLabel, ...(filters ? { filters } : {}) });
  return uris?.[0]?.fsPath;
}
