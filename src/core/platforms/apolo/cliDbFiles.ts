// File access for the Apolo / Neu.ro CLI's login db (./cliLogins.ts): the guarded reads of `db` and
// `db-wal` (read so that they belong together), the SDK's exact permission modes, and how a failed
// read is told to the user. Problems name files, never their contents.

import * as nodePath from 'node:path';
import { promises as nodeFs } from 'node:fs';
import { createHash } from 'node:crypto';
import { CliFileError, guardedReadFile, type CliFileProblem } from '../../credentials/guardedRead';

export interface FileSystemLike {
  readFile(path: string): Promise<Uint8Array>;
  /** `size` is optional; when given, oversized files are skipped without being read. */
  stat(path: string): Promise<{ mode: number; size?: number; isFile(): boolean; isDirectory(): boolean }>;
}

/**
 * A login db is a few tens of KB; anything this big is not one, and is not read into memory. (The
 * SQLite reader works on the bytes in memory: the log must be read whole for its checksums anyway,
 * and with this cap the db is bounded too.)
 */
export const MAX_DB_BYTES = 32 * 1024 * 1024;

/**
 * Reads through the guard: regular files only (a FIFO never blocks, /dev/zero is refused), never
 * more than MAX_DB_BYTES even if the file grows while it is read, symlink loops reported.
 */
export const nodeFileSystem: FileSystemLike = {
  readFile: (p) => guardedReadFile(p, MAX_DB_BYTES),
  stat: (p) => nodeFs.stat(p),
};

function errorCode(e: unknown): string | undefined {
  const code = (e as { code?: unknown } | null)?.code;
  return typeof code === 'string' ? code : undefined;
}

export function isMissing(e: unknown): boolean {
  const code = errorCode(e);
  return code === 'ENOENT' || code === 'ENOTDIR';
}

/** Quotes a path for a shell command in a message, unless it needs none. */
function shellArg(p: string): string {
  return /^[\w./~+@:-]+$/.test(p) ? p : `'${p.replace(/'/g, `'\\''`)}'`;
}

function octal(mode: number): string {
  return '0' + (mode & 0o777).toString(8).padStart(3, '0');
}

/** Checks the SDK's exact mode; returns the problem, or undefined when the mode is right. */
export function modeProblem(mode: number, want: number, shown: string, what: 'directory' | 'file', cli: string): string | undefined {
  if ((mode & 0o777) === want) return undefined;
  const fix = `run chmod ${want.toString(8)} ${shellArg(shown)}`;
  if (mode & 0o077) {
    const verb = what === 'directory' ? 'accessible' : 'readable';
    return `${shown} is ${verb} by other users (mode ${octal(mode)}); ${cli} refuses it too — ${fix}.`;
  }
  return `${shown} has mode ${octal(mode)}, but ${cli} requires ${octal(want)} and refuses it too — ${fix}.`;
}

/** A digest of the log, so the copy read before the db need not be kept in memory. */
function digestOf(b: Uint8Array | undefined): string | undefined {
  return b === undefined ? undefined : createHash('sha256').update(b).digest('hex');
}

async function readOptional(fs: FileSystemLike, p: string): Promise<Uint8Array | undefined> {
  try {
    const st = await fs.stat(p);
    // A db-wal that is a FIFO, a device or a directory is not SQLite's; say so rather than ignore it.
    if (!st.isFile()) throw new CliFileError(st.isDirectory() ? 'isDirectory' : 'notRegular', `its ${nodePath.basename(p)} is not a regular file`, 'ENOTREG');
    if (st.size !== undefined && st.size > MAX_DB_BYTES) throw Object.assign(new Error('too large'), { code: 'EFBIG' });
    return await fs.readFile(p);
  } catch (e) {
    if (isMissing(e)) return undefined;
    throw e;
  }
}

/**
 * db and db-wal, read so that they belong together: the log is read before and after the db and
 * must not have changed (a checkpoint that restarts the log in between would pair an old db with a
 * new log). Retried a few times, then the last pair is used.
 */
export async function readDbAndWal(fs: FileSystemLike, dbPath: string): Promise<{ db: Uint8Array; wal: Uint8Array | undefined }> {
  let db: Uint8Array = new Uint8Array(0);
  let wal: Uint8Array | undefined;
  for (let attempt = 0; attempt < 3; attempt++) {
    const before = digestOf(await readOptional(fs, dbPath + '-wal'));
    db = await fs.readFile(dbPath);
    wal = await readOptional(fs, dbPath + '-wal');
    if (before === digestOf(wal)) break;
  }
  return { db, wal };
}

export function describeReadError(e: unknown): string {
  const code = errorCode(e);
  if (code === 'EACCES' || code === 'EPERM') return 'permission denied';
  if (code === 'EFBIG') return `it or its db-wal is larger than ${MAX_DB_BYTES / (1024 * 1024)} MB, too large for a CLI login`;
  if (code === 'EISDIR') return 'it is a directory';
  if (code === 'ELOOP') return 'it is a symbolic link loop';
  if (e instanceof CliFileError) return e.reason.startsWith('its ') ? e.reason : `it ${e.reason}`;
  return code ? `error ${code}` : 'unexpected error';
}

/** The kind of file-level problem a read error is. */
export function problemOf(e: unknown): CliFileProblem {
  if (e instanceof CliFileError) return e.problem;
  const code = errorCode(e);
  if (code === 'EACCES' || code === 'EPERM') return 'permission';
  if (code === 'EFBIG') return 'tooLarge';
  if (code === 'EISDIR') return 'isDirectory';
  if (code === 'ELOOP') return 'symlinkLoop';
  return 'io';
}
