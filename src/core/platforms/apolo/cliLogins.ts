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
//
// File access (the guarded reads, the mode checks) is ./cliDbFiles.ts; the db is read by ./sqlite.ts.

import * as nodePath from 'node:path';
import { displayPath, type CliFileIssue, type CliFileProblem } from '../../credentials/guardedRead';
import { describeReadError, type FileSystemLike, isMissing, MAX_DB_BYTES, modeProblem, nodeFileSystem, problemOf, readDbAndWal } from './cliDbFiles';
import { CredentialFileError, openSqlite, type SqlRow, type SqlValue } from './sqlite';

export { nodeFileSystem, type FileSystemLike } from './cliDbFiles';

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

/** One of the CLIs: where its config lives and how messages name it. */
type Source = (typeof PLATFORMS)[number];
type DbStat = Awaited<ReturnType<FileSystemLike['stat']>>;

const MAX_PASSED_CONFIG_CHARS = 64 * 1024;
const MAX_TOKEN_CHARS = 16 * 1024;
/** A token goes into an `Authorization: Bearer` header: visible ASCII only. */
const TOKEN_RE = /^[\x21-\x7e]+$/;

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

/** Where one source's problems go: every one in `problems`, the file-level ones also in `issues`. */
interface Report {
  problems: string[];
  issues: CliFileIssue[];
}

function fileProblem(report: Report, file: string, problem: CliFileProblem, message: string): void {
  report.problems.push(message);
  report.issues.push({ file, problem, message });
}

/**
 * Whether the db can be read: a regular file, the SDK's modes (0700 directory, 0600 file) when
 * checked, and not too large. Reports why not and returns false.
 */
async function dbReadable(fs: FileSystemLike, p: Source, dir: string, st: DbStat, shown: string, shownDir: string, checkPermissions: boolean, report: Report): Promise<boolean> {
  if (!st.isFile()) {
    fileProblem(report, shown, st.isDirectory() ? 'isDirectory' : 'notRegular', `${shown} is ${st.isDirectory() ? 'a directory' : 'not a regular file'}; ${p.cli} cannot use it either — log in again with \`${p.command} login\`.`);
    return false;
  }
  if (checkPermissions) {
    try {
      const dst = await fs.stat(dir);
      const problem = modeProblem(dst.mode, 0o700, shownDir, 'directory', p.cli);
      if (problem) {
        report.problems.push(problem);
        return false;
      }
    } catch (e) {
      fileProblem(report, shown, problemOf(e), `Cannot read ${shownDir} (${describeReadError(e)}).`);
      return false;
    }
    const problem = modeProblem(st.mode, 0o600, shown, 'file', p.cli);
    if (problem) {
      report.problems.push(problem);
      return false;
    }
  }
  if (st.size !== undefined && st.size > MAX_DB_BYTES) {
    fileProblem(report, shown, 'tooLarge', `${shown} is larger than ${MAX_DB_BYTES / (1024 * 1024)} MB, too large for a CLI login; it was not read.`);
    return false;
  }
  return true;
}

/** The rows of the db's table "main" (with its log applied), or undefined after reporting why not. */
async function loginRows(fs: FileSystemLike, p: Source, dbPath: string, shown: string, report: Report): Promise<SqlRow[] | undefined> {
  try {
    const { db, wal } = await readDbAndWal(fs, dbPath);
    return openSqlite(db, wal).readTable('main');
  } catch (e) {
    if (e instanceof CredentialFileError) {
      if (e.code === 'noSuchTable') {
        fileProblem(report, shown, 'invalid', `${shown} holds no CLI login (it has no table "main"); log in again with \`${p.command} login\`.`);
      } else if (e.code === 'internal') {
        fileProblem(report, shown, 'invalid', `${shown} could not be read (an internal error in ML Secrets' SQLite reader; please report it).`);
      } else {
        fileProblem(report, shown, 'invalid', `${shown} could not be read: ${e.message}`);
      }
    } else {
      fileProblem(report, shown, problemOf(e), `Cannot read ${shown} (${describeReadError(e)}).`);
    }
    return undefined;
  }
}

/** The login the newest row holds, or undefined after saying why it is unusable. */
function loginFromRows(rows: SqlRow[], p: Source, shown: string, problems: string[]): CliLogin | undefined {
  const row = newestRow(rows);
  if (!row) {
    problems.push(`${shown} holds no login (its table "main" is empty); log in with \`${p.command} login\`.`);
    return undefined;
  }
  const url = normalizeUrl(row.url);
  if (typeof url !== 'string') {
    problems.push(`${shown} ${url.problem}; log in again with \`${p.command} login\`.`);
    return undefined;
  }
  if (!validToken(row.token)) {
    problems.push(`${shown} holds no usable token (it is missing, empty, or has spaces or control characters); log in again with \`${p.command} login\`.`);
    return undefined;
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
  return login;
}

async function readDbLogin(fs: FileSystemLike, p: Source, dir: string, homeDir: string, checkPermissions: boolean, report: Report): Promise<{ hasDb: boolean; login?: CliLogin }> {
  const dbPath = nodePath.join(dir, 'db');
  const shownDir = displayPath(dir, homeDir);
  const shown = displayPath(dbPath, homeDir);
  let st: DbStat;
  try {
    st = await fs.stat(dbPath);
  } catch (e) {
    if (isMissing(e)) return { hasDb: false };
    fileProblem(report, shown, problemOf(e), `Cannot read ${shown} (${describeReadError(e)}).`);
    return { hasDb: true };
  }
  if (!(await dbReadable(fs, p, dir, st, shown, shownDir, checkPermissions, report))) return { hasDb: true };
  const rows = await loginRows(fs, p, dbPath, shown, report);
  if (!rows) return { hasDb: true };
  const login = loginFromRows(rows, p, shown, report.problems);
  return login ? { hasDb: true, login } : { hasDb: true };
}

function readPassedConfig(p: Source, raw: string, problems: string[]): CliLogin | undefined {
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
      result = await readDbLogin(fs, p, dir, homeDir, checkPermissions, { problems, issues });
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
