// Imports the Apolo / Neu.ro CLI's own login (docs/platform-apis.md §1.6), so a user who has run
// `apolo login` can sign in here without pasting a token.
//
// Sources, in the order the CLI itself would pick them (so `logins[0]` is what `apolo` would use):
//   1. `{APOLO_CONFIG or ~/.apolo}/db`        → platform 'apolo'
//   2. `{NEUROMATION_CONFIG or ~/.neuro}/db`  → platform 'neuro' (legacy)
//   3. env APOLO_PASSED_CONFIG, when there is no db for 'apolo'
//   4. env NEURO_PASSED_CONFIG, when there is no db for 'neuro'
// The CLI stops at the first directory that has a `db`; we read all of them so the user can choose.
//
// Decisions:
// - Permissions: the SDK refuses a config dir whose mode is not exactly 0700 or a db not exactly
//   0600 (except on Windows). We do the same: such a source becomes a `problems` entry with the
//   chmod that fixes it, and no login. Importing a token from a file the CLI itself refuses would
//   hide the exposure from the user; the fix is one command.
// - One bad source never throws: every failure is a human-readable problem and the other sources
//   are still read. Problems never contain a token, a refresh token or a passed-config value.
// - An expired token is still returned, with `expiresAt`, so the caller can say so (the CLI would
//   refresh it with its refresh token the next time it runs).
// - The passed config only needs `token` and `url`; `cluster` (which the SDK insists on) is optional.
// - Empty APOLO_CONFIG / NEUROMATION_CONFIG count as unset. A relative path there is a problem:
//   the CLI resolves it against its own working directory, which we cannot know.

import * as nodePath from 'node:path';
import { promises as nodeFs } from 'node:fs';
import { createHash } from 'node:crypto';
import { CredentialFileError, openSqlite, type SqlRow, type SqlValue } from './sqlite';
import { CliFileError, displayPath as guardedDisplayPath, guardedReadFile, type CliFileIssue, type CliFileProblem } from './guardedRead';

export interface CliLogin {
  platform: 'apolo' | 'neuro';
  /** Where it came from, for people: "~/.apolo/db" or "APOLO_PASSED_CONFIG". */
  source: string;
  /** API URL as the CLI stores it (e.g. https://api.apolo.us/api/v1), without a trailing slash. */
  url: string;
  token: string;
  cluster?: string;
  org?: string;
  project?: string;
  /** When the token expires (unix ms), if the CLI recorded it. May be in the past. */
  expiresAt?: number;
}

export interface FileSystemLike {
  readFile(path: string): Promise<Uint8Array>;
  /** `size` is optional; when given, oversized files are skipped without being read. */
  stat(path: string): Promise<{ mode: number; size?: number; isFile(): boolean; isDirectory(): boolean }>;
}

export interface ReadApoloCliOptions {
  /** Check the 0700 / 0600 modes like the SDK. Default: on everywhere but Windows, as in the SDK. */
  checkPermissions?: boolean;
}

export interface ApoloCliLogins {
  logins: CliLogin[];
  problems: string[];
  /** The file-level problems among `problems` (a db that is there but unusable), typed. */
  issues: CliFileIssue[];
}

type Platform = CliLogin['platform'];

const PLATFORMS: ReadonlyArray<{
  platform: Platform;
  configEnv: string;
  defaultDir: string;
  passedEnv: string;
  cli: string;
  command: string;
}> = [
  { platform: 'apolo', configEnv: 'APOLO_CONFIG', defaultDir: '.apolo', passedEnv: 'APOLO_PASSED_CONFIG', cli: 'the Apolo CLI', command: 'apolo' },
  { platform: 'neuro', configEnv: 'NEUROMATION_CONFIG', defaultDir: '.neuro', passedEnv: 'NEURO_PASSED_CONFIG', cli: 'the Neu.ro CLI', command: 'neuro' },
];

/**
 * A login db is a few tens of KB; anything this big is not one, and is not read into memory. (The
 * SQLite reader works on the bytes in memory: the log must be read whole for its checksums anyway,
 * and with this cap the db is bounded too.)
 */
const MAX_DB_BYTES = 32 * 1024 * 1024;
const MAX_PASSED_CONFIG_CHARS = 64 * 1024;
const MAX_TOKEN_CHARS = 16 * 1024;
/** A token goes into an `Authorization: Bearer` header: visible ASCII only. */
const TOKEN_RE = /^[\x21-\x7e]+$/;

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

function isMissing(e: unknown): boolean {
  const code = errorCode(e);
  return code === 'ENOENT' || code === 'ENOTDIR';
}

/** `/home/u/.apolo/db` → `~/.apolo/db` for messages (control characters replaced, length capped). */
const displayPath = guardedDisplayPath;

/** Quotes a path for a shell command in a message, unless it needs none. */
function shellArg(p: string): string {
  return /^[\w./~+@:-]+$/.test(p) ? p : `'${p.replace(/'/g, `'\\''`)}'`;
}

function octal(mode: number): string {
  return '0' + (mode & 0o777).toString(8).padStart(3, '0');
}

/** Checks the SDK's exact mode; returns the problem, or undefined when the mode is right. */
function modeProblem(mode: number, want: number, shown: string, what: 'directory' | 'file', cli: string): string | undefined {
  if ((mode & 0o777) === want) return undefined;
  const fix = `run chmod ${want.toString(8)} ${shellArg(shown)}`;
  if (mode & 0o077) {
    const verb = what === 'directory' ? 'accessible' : 'readable';
    return `${shown} is ${verb} by other users (mode ${octal(mode)}); ${cli} refuses it too — ${fix}.`;
  }
  return `${shown} has mode ${octal(mode)}, but ${cli} requires ${octal(want)} and refuses it too — ${fix}.`;
}

function expandDir(raw: string, homeDir: string): string | { problem: string } {
  let p = raw;
  if (p === '~' || p.startsWith('~/') || p.startsWith('~\\')) p = nodePath.join(homeDir, p.slice(1));
  else if (p.startsWith('~')) return { problem: 'cannot expand a "~user" path' };
  if (!nodePath.isAbsolute(p)) return { problem: 'is a relative path, and the directory it is relative to (the CLI’s working directory) is unknown' };
  // Without a trailing separator, so ~/.apolo and ~/.apolo/ are the same directory.
  const normalized = nodePath.normalize(p);
  const root = nodePath.parse(normalized).root;
  return normalized.length > root.length ? normalized.replace(/[\\/]+$/, '') : normalized;
}

function validToken(v: unknown): v is string {
  return typeof v === 'string' && v.length > 0 && v.length <= MAX_TOKEN_CHARS && TOKEN_RE.test(v);
}

/** The API URL without a trailing slash, or a reason it is unusable (never echoing the URL). */
function normalizeUrl(v: unknown): string | { problem: string } {
  if (typeof v !== 'string' || v.trim() === '') return { problem: 'has no API URL' };
  let u: URL;
  try {
    u = new URL(v.trim());
  } catch {
    return { problem: 'has an API URL that is not a valid URL' };
  }
  if (u.protocol !== 'https:' && u.protocol !== 'http:') return { problem: 'has an API URL that is not an http(s) URL' };
  // Credentials in the URL would travel with every request and end up in logs: refuse.
  if (u.username || u.password) return { problem: 'has an API URL with a user name or password in it' };
  if (u.search || u.hash) return { problem: 'has an API URL with a query or fragment' };
  return u.toString().replace(/\/+$/, '');
}

function optionalName(v: SqlValue | unknown): string | undefined {
  return typeof v === 'string' && v.trim() !== '' ? v : undefined;
}

function timestampOf(row: SqlRow): number {
  const t = row.timestamp;
  if (typeof t === 'number' && Number.isFinite(t)) return t;
  if (typeof t === 'bigint') return Number(t);
  return -Infinity;
}

/** The row `ORDER BY timestamp DESC LIMIT 1` would give (ties: the later row). */
function newestRow(rows: SqlRow[]): SqlRow | undefined {
  let best: SqlRow | undefined;
  for (const r of rows) if (!best || timestampOf(r) >= timestampOf(best)) best = r;
  return best;
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
async function readDbAndWal(fs: FileSystemLike, dbPath: string): Promise<{ db: Uint8Array; wal: Uint8Array | undefined }> {
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

function describeReadError(e: unknown): string {
  const code = errorCode(e);
  if (code === 'EACCES' || code === 'EPERM') return 'permission denied';
  if (code === 'EFBIG') return `it or its db-wal is larger than ${MAX_DB_BYTES / (1024 * 1024)} MB, too large for a CLI login`;
  if (code === 'EISDIR') return 'it is a directory';
  if (code === 'ELOOP') return 'it is a symbolic link loop';
  if (e instanceof CliFileError) return e.reason.startsWith('its ') ? e.reason : `it ${e.reason}`;
  return code ? `error ${code}` : 'unexpected error';
}

/** The kind of file-level problem a read error is. */
function problemOf(e: unknown): CliFileProblem {
  if (e instanceof CliFileError) return e.problem;
  const code = errorCode(e);
  if (code === 'EACCES' || code === 'EPERM') return 'permission';
  if (code === 'EFBIG') return 'tooLarge';
  if (code === 'EISDIR') return 'isDirectory';
  if (code === 'ELOOP') return 'symlinkLoop';
  return 'io';
}

async function readDbLogin(
  fs: FileSystemLike,
  p: (typeof PLATFORMS)[number],
  dir: string,
  homeDir: string,
  checkPermissions: boolean,
  problems: string[],
  issues: CliFileIssue[],
): Promise<{ hasDb: boolean; login?: CliLogin }> {
  const dbPath = nodePath.join(dir, 'db');
  const shownDir = displayPath(dir, homeDir);
  const shown = displayPath(dbPath, homeDir);
  const fileProblem = (problem: CliFileProblem, message: string) => {
    problems.push(message);
    issues.push({ file: shown, problem, message });
  };

  let st: Awaited<ReturnType<FileSystemLike['stat']>>;
  try {
    st = await fs.stat(dbPath);
  } catch (e) {
    if (isMissing(e)) return { hasDb: false };
    fileProblem(problemOf(e), `Cannot read ${shown} (${describeReadError(e)}).`);
    return { hasDb: true };
  }
  if (!st.isFile()) {
    fileProblem(
      st.isDirectory() ? 'isDirectory' : 'notRegular',
      `${shown} is ${st.isDirectory() ? 'a directory' : 'not a regular file'}; ${p.cli} cannot use it either — log in again with \`${p.command} login\`.`,
    );
    return { hasDb: true };
  }
  if (checkPermissions) {
    try {
      const dst = await fs.stat(dir);
      const problem = modeProblem(dst.mode, 0o700, shownDir, 'directory', p.cli);
      if (problem) {
        problems.push(problem);
        return { hasDb: true };
      }
    } catch (e) {
      fileProblem(problemOf(e), `Cannot read ${shownDir} (${describeReadError(e)}).`);
      return { hasDb: true };
    }
    const problem = modeProblem(st.mode, 0o600, shown, 'file', p.cli);
    if (problem) {
      problems.push(problem);
      return { hasDb: true };
    }
  }
  if (st.size !== undefined && st.size > MAX_DB_BYTES) {
    fileProblem('tooLarge', `${shown} is larger than ${MAX_DB_BYTES / (1024 * 1024)} MB, too large for a CLI login; it was not read.`);
    return { hasDb: true };
  }

  let rows: SqlRow[];
  try {
    const { db, wal } = await readDbAndWal(fs, dbPath);
    rows = openSqlite(db, wal).readTable('main');
  } catch (e) {
    if (e instanceof CredentialFileError) {
      if (e.code === 'noSuchTable') {
        fileProblem('invalid', `${shown} holds no CLI login (it has no table "main"); log in again with \`${p.command} login\`.`);
      } else if (e.code === 'internal') {
        fileProblem('invalid', `${shown} could not be read (an internal error in ML Secrets' SQLite reader; please report it).`);
      } else {
        fileProblem('invalid', `${shown} could not be read: ${e.message}`);
      }
    } else {
      fileProblem(problemOf(e), `Cannot read ${shown} (${describeReadError(e)}).`);
    }
    return { hasDb: true };
  }

  const row = newestRow(rows);
  if (!row) {
    problems.push(`${shown} holds no login (its table "main" is empty); log in with \`${p.command} login\`.`);
    return { hasDb: true };
  }
  const url = normalizeUrl(row.url);
  if (typeof url !== 'string') {
    problems.push(`${shown} ${url.problem}; log in again with \`${p.command} login\`.`);
    return { hasDb: true };
  }
  if (!validToken(row.token)) {
    problems.push(`${shown} holds no usable token (it is missing, empty, or has spaces or control characters); log in again with \`${p.command} login\`.`);
    return { hasDb: true };
  }
  const login: CliLogin = { platform: p.platform, source: shown, url, token: row.token };
  const cluster = optionalName(row.cluster_name);
  const org = optionalName(row.org_name);
  const project = optionalName(row.project_name);
  if (cluster) login.cluster = cluster;
  if (org) login.org = org;
  if (project) login.project = project;
  const exp = typeof row.expiration_time === 'bigint' ? Number(row.expiration_time) : row.expiration_time;
  if (typeof exp === 'number' && Number.isFinite(exp) && exp > 0) login.expiresAt = Math.round(exp * 1000);
  return { hasDb: true, login };
}

function readPassedConfig(p: (typeof PLATFORMS)[number], raw: string, problems: string[]): CliLogin | undefined {
  const name = p.passedEnv;
  const bad = (why: string): undefined => {
    problems.push(`${name} ${why}; ignoring it.`);
    return undefined;
  };
  const compact = raw.replace(/\s+/g, '');
  if (compact.length === 0) return bad('is empty');
  if (compact.length > MAX_PASSED_CONFIG_CHARS) return bad('is too long to be a passed CLI config');
  if (!/^[A-Za-z0-9+/_-]+={0,2}$/.test(compact)) return bad('is not base64');
  let data: unknown;
  try {
    data = JSON.parse(Buffer.from(compact, 'base64').toString('utf8'));
  } catch {
    return bad('is not base64-encoded JSON');
  }
  if (typeof data !== 'object' || data === null || Array.isArray(data)) return bad('does not hold a JSON object');
  const d = data as Record<string, unknown>;
  const url = normalizeUrl(d.url);
  if (typeof url !== 'string') return bad(url.problem);
  if (!validToken(d.token)) return bad('holds no usable token (it is missing, empty, or has spaces or control characters)');
  const login: CliLogin = { platform: p.platform, source: name, url, token: d.token };
  const cluster = optionalName(d.cluster);
  const org = optionalName(d.org_name);
  const project = optionalName(d.project_name);
  if (cluster) login.cluster = cluster;
  if (org) login.org = org;
  if (project) login.project = project;
  return login;
}

/**
 * Reads every Apolo / Neu.ro CLI login on this machine. Never throws for a bad source: each one
 * becomes a human-readable entry in `problems` (without any token in it).
 */
export async function readApoloCliLogins(
  env: Record<string, string | undefined>,
  homeDir: string,
  fs: FileSystemLike = nodeFileSystem,
  options: ReadApoloCliOptions = {},
): Promise<ApoloCliLogins> {
  const checkPermissions = options.checkPermissions ?? process.platform !== 'win32';
  const logins: CliLogin[] = [];
  const problems: string[] = [];
  const issues: CliFileIssue[] = [];
  const hasDb = new Map<Platform, boolean>();
  const seen = new Map<string, boolean>();

  for (const p of PLATFORMS) {
    const fromEnv = env[p.configEnv];
    const raw = fromEnv !== undefined && fromEnv !== '' ? fromEnv : nodePath.join(homeDir, p.defaultDir);
    const dir = expandDir(raw, homeDir);
    if (typeof dir !== 'string') {
      problems.push(`${p.configEnv} ${dir.problem}; its CLI login was not read.`);
      hasDb.set(p.platform, false);
      continue;
    }
    // APOLO_CONFIG and NEUROMATION_CONFIG naming the same directory: read it once.
    const key = process.platform === 'win32' || process.platform === 'darwin' ? dir.toLowerCase() : dir;
    const already = seen.get(key);
    if (already !== undefined) {
      hasDb.set(p.platform, already);
      continue;
    }
    let result: { hasDb: boolean; login?: CliLogin };
    try {
      result = await readDbLogin(fs, p, dir, homeDir, checkPermissions, problems, issues);
    } catch {
      // Nothing above should throw; if a custom FileSystemLike does, it is one bad source.
      const shown = displayPath(nodePath.join(dir, 'db'), homeDir);
      const message = `Cannot read ${shown} (unexpected error).`;
      problems.push(message);
      issues.push({ file: shown, problem: 'io', message });
      result = { hasDb: true };
    }
    seen.set(key, result.hasDb);
    hasDb.set(p.platform, result.hasDb);
    if (result.login) logins.push(result.login);
  }

  for (const p of PLATFORMS) {
    const raw = env[p.passedEnv];
    if (raw === undefined || hasDb.get(p.platform)) continue;
    const login = readPassedConfig(p, raw, problems);
    if (login) logins.push(login);
  }
  return { logins, problems, issues };
}
