// A small, read-only reader of the SQLite file format (https://www.sqlite.org/fileformat2.html),
// written for one job: reading the Apolo / Neu.ro CLI's login from `{configDir}/db` in an extension
// host that runs on Node 20, which has no `node:sqlite`, without shipping a native module.
//
// What it reads: the database header, table b-trees (interior 0x05 and leaf 0x0d pages), records
// with every serial type, overflow chains, and the write-ahead log (`db-wal`) the way SQLite's own
// recovery does: only frames with the header's salts and an unbroken checksum chain, only up to the
// last commit frame, the newest frame of each page winning, pages past the end of the file that
// exist only in the log. The `db-shm` index is not needed: it is rebuilt from the log itself.
//
// What it does not read: index b-trees and WITHOUT ROWID tables, UTF-16 databases, rollback
// journals (`db-journal`), default values that are expressions. It refuses them with a clear error.
//
// Input is untrusted (a file anyone could have written), so every read is bounds-checked, every
// loop is bounded by the size of the input, and every page may be used only once per traversal, so
// cycles in b-trees or overflow chains end in a CredentialFileError instead of a hang. Any other
// exception is a bug; the public entry points still wrap it (code 'internal') so callers only ever
// see CredentialFileError.

import { MlSecretsError } from '../errors';

export type SqlValue = null | number | bigint | string | Uint8Array;
/** One row, columns by name. INTEGER values are numbers when they are safe integers, else bigints. */
export type SqlRow = Record<string, SqlValue>;

export type CredentialFileErrorCode =
  /** The bytes break the file format (truncated, overwritten, cyclic, out of range). */
  | 'corrupt'
  /** A valid file that uses a feature this reader does not implement (UTF-16, WITHOUT ROWID, …). */
  | 'unsupported'
  /** The database has no such table. */
  | 'noSuchTable'
  /** A bug in this reader; the message says what was caught. */
  | 'internal';

/** A credential file (or the SQLite database holding one) could not be read. Never holds a token. */
export class CredentialFileError extends MlSecretsError {
  readonly kind = 'validation';
  constructor(
    message: string,
    readonly code: CredentialFileErrorCode = 'corrupt',
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

/** What was made of the `db-wal` file. */
export interface WalSummary {
  /** A WAL was given (non-empty). */
  readonly present: boolean;
  /** Committed frames whose pages are used (counting every frame, also ones a later frame replaced). */
  readonly framesApplied: number;
  /** Committed transactions found in the log. */
  readonly commits: number;
  /** Frames after the last commit frame or after the first invalid frame, which were not used. */
  readonly framesIgnored: number;
  /** Why the whole log was ignored (bad header, page size differs), if it was. */
  readonly ignoredReason?: string;
}

export interface ColumnInfo {
  readonly name: string;
  /** Declared type as written (`TEXT`, `REAL`, `VARCHAR(10)`, or '' for none). */
  readonly declaredType: string;
  /** The column is the INTEGER PRIMARY KEY, i.e. an alias of the rowid. */
  readonly rowidAlias: boolean;
}

const SQLITE_MAGIC = 'SQLite format 3\0';
const WAL_MAGIC = 0x377f0682;
const WAL_VERSION = 3007000;
const WAL_HEADER_SIZE = 32;
const WAL_FRAME_HEADER_SIZE = 24;
const DB_HEADER_SIZE = 100;
/** SQLite's own cursors stop at depth 20; anything deeper is a cycle or garbage. */
const MAX_BTREE_DEPTH = 40;
const PAGE_LEAF_TABLE = 0x0d;
/** SQLite's hard upper limit on SQLITE_MAX_COLUMN. */
const MAX_COLUMNS = 32767;
/** Rows × columns a table may have here (see readTable). */
const MAX_TABLE_CELLS = 4_000_000;
const PAGE_INTERIOR_TABLE = 0x05;
const PAGE_LEAF_INDEX = 0x0a;
const PAGE_INTERIOR_INDEX = 0x02;

function corrupt(message: string): CredentialFileError {
  return new CredentialFileError(`The SQLite database is corrupt: ${message}.`, 'corrupt');
}

// ---------------------------------------------------------------------------------------------
// Bounds-checked byte access. Every read goes through these, so a bad offset is a
// CredentialFileError, never a RangeError or a silent `undefined`.

function need(buf: Uint8Array, off: number, n: number, what: string): void {
  if (!Number.isInteger(off) || off < 0 || off + n > buf.length) throw corrupt(`${what} runs past the end of its page or file`);
}

function u8(buf: Uint8Array, off: number, what: string): number {
  need(buf, off, 1, what);
  return buf[off];
}

function u16(buf: Uint8Array, off: number, what: string): number {
  need(buf, off, 2, what);
  return (buf[off] << 8) | buf[off + 1];
}

function u32be(buf: Uint8Array, off: number, what: string): number {
  need(buf, off, 4, what);
  return ((buf[off] << 24) >>> 0) + (buf[off + 1] << 16) + (buf[off + 2] << 8) + buf[off + 3];
}

function u32le(buf: Uint8Array, off: number): number {
  return ((buf[off + 3] << 24) >>> 0) + (buf[off + 2] << 16) + (buf[off + 1] << 8) + buf[off];
}

/**
 * SQLite varint: 1–9 bytes, big-endian, 7 bits per byte with the high bit as "more", the 9th byte
 * contributing all 8 bits. Returns the unsigned 64-bit value and the number of bytes read.
 */
function varint(buf: Uint8Array, off: number, end: number, what: string): [bigint, number] {
  let small = 0;
  for (let i = 0; i < 8; i++) {
    if (off + i >= end || off + i >= buf.length) throw corrupt(`${what} runs past the end of its page`);
    const b = buf[off + i];
    if (i < 7) {
      small = small * 128 + (b & 0x7f);
      if ((b & 0x80) === 0) return [BigInt(small), i + 1];
    } else {
      // Eighth byte: switch to bigint (more than 53 bits possible from here on).
      let big = BigInt(small) * 128n + BigInt(b & 0x7f);
      if ((b & 0x80) === 0) return [big, 8];
      if (off + 8 >= end || off + 8 >= buf.length) throw corrupt(`${what} runs past the end of its page`);
      big = big * 256n + BigInt(buf[off + 8]);
      return [big, 9];
    }
  }
  throw corrupt(`${what} is malformed`); // unreachable: the loop returns by its eighth byte
}

/** A varint that must be a small non-negative count (sizes, serial types). */
function smallVarint(buf: Uint8Array, off: number, end: number, max: number, what: string): [number, number] {
  const [v, n] = varint(buf, off, end, what);
  if (v > BigInt(max)) throw corrupt(`${what} is out of range`);
  return [Number(v), n];
}

function toJsInteger(v: bigint): number | bigint {
  return v >= BigInt(Number.MIN_SAFE_INTEGER) && v <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(v) : v;
}

function isValidPageSize(n: number): boolean {
  return n >= 512 && n <= 65536 && (n & (n - 1)) === 0;
}

// ---------------------------------------------------------------------------------------------
// The write-ahead log.

interface WalResult {
  /** page number → offset of that page's data in the WAL (newest committed frame wins). */
  readonly pages: Map<number, number>;
  /** Database size in pages after the last committed transaction, if any was committed. */
  readonly dbSize: number | undefined;
  readonly summary: WalSummary;
}

function emptyWal(present: boolean, ignoredReason?: string, framesIgnored = 0): WalResult {
  const summary: WalSummary = { present, framesApplied: 0, commits: 0, framesIgnored, ...(ignoredReason ? { ignoredReason } : {}) };
  return { pages: new Map(), dbSize: undefined, summary };
}

/**
 * The checksum of https://www.sqlite.org/fileformat2.html#walcksm over `buf[off, off+len)`, `len`
 * a multiple of 8, continuing from (s0, s1). Words are read big- or little-endian as the WAL
 * header's magic number says.
 */
function walChecksum(buf: Uint8Array, off: number, len: number, bigEndian: boolean, s: [number, number]): [number, number] {
  let [s0, s1] = s;
  const end = off + len;
  for (let i = off; i < end; i += 8) {
    const x0 = bigEndian ? ((buf[i] << 24) >>> 0) + (buf[i + 1] << 16) + (buf[i + 2] << 8) + buf[i + 3] : u32le(buf, i);
    const x1 = bigEndian ? ((buf[i + 4] << 24) >>> 0) + (buf[i + 5] << 16) + (buf[i + 6] << 8) + buf[i + 7] : u32le(buf, i + 4);
    s0 = (s0 + x0 + s1) >>> 0;
    s1 = (s1 + x1 + s0) >>> 0;
  }
  return [s0, s1];
}

/**
 * Reads the log the way SQLite recovers it: frames are valid while their salts equal the header's
 * and the running checksum matches; the first invalid frame ends the log (what follows is left
 * over from an earlier generation of the file or a torn write). Only frames up to the last commit
 * frame (non-zero "database size") count.
 */
function parseWal(wal: Uint8Array | undefined, expectedPageSize: number | undefined): WalResult {
  if (!wal || wal.length === 0) return emptyWal(false);
  if (wal.length < WAL_HEADER_SIZE) return emptyWal(true, 'the log is shorter than its header');
  const magic = u32be(wal, 0, 'WAL header');
  if ((magic & 0xfffffffe) >>> 0 !== WAL_MAGIC) return emptyWal(true, 'the log does not start with the WAL magic number');
  const bigEndian = (magic & 1) === 1;
  if (u32be(wal, 4, 'WAL header') !== WAL_VERSION) return emptyWal(true, 'the log has an unknown format version');
  const pageSize = u32be(wal, 8, 'WAL header');
  if (!isValidPageSize(pageSize)) return emptyWal(true, 'the log has an invalid page size');
  if (expectedPageSize !== undefined && pageSize !== expectedPageSize) {
    return emptyWal(true, `the log's page size (${pageSize}) differs from the database's (${expectedPageSize})`);
  }
  const salt1 = u32be(wal, 16, 'WAL header');
  const salt2 = u32be(wal, 20, 'WAL header');
  let sum = walChecksum(wal, 0, 24, bigEndian, [0, 0]);
  if (sum[0] !== u32be(wal, 24, 'WAL header') || sum[1] !== u32be(wal, 28, 'WAL header')) {
    return emptyWal(true, 'the log header checksum does not match');
  }

  const frameSize = WAL_FRAME_HEADER_SIZE + pageSize;
  const frameCount = Math.floor((wal.length - WAL_HEADER_SIZE) / frameSize);
  const committed = new Map<number, number>();
  let pending: Array<[number, number]> = [];
  let dbSize: number | undefined;
  let commits = 0;
  let framesApplied = 0;
  let validFrames = 0;
  for (let i = 0; i < frameCount; i++) {
    const off = WAL_HEADER_SIZE + i * frameSize;
    const pgno = u32be(wal, off, 'WAL frame');
    const commitSize = u32be(wal, off + 4, 'WAL frame');
    if (u32be(wal, off + 8, 'WAL frame') !== salt1 || u32be(wal, off + 12, 'WAL frame') !== salt2) break;
    if (pgno === 0) break;
    const next = walChecksum(wal, off, 8, bigEndian, sum);
    const full = walChecksum(wal, off + WAL_FRAME_HEADER_SIZE, pageSize, bigEndian, next);
    if (full[0] !== u32be(wal, off + 16, 'WAL frame') || full[1] !== u32be(wal, off + 20, 'WAL frame')) break;
    sum = full;
    validFrames++;
    pending.push([pgno, off + WAL_FRAME_HEADER_SIZE]);
    if (commitSize !== 0) {
      for (const [p, dataOff] of pending) committed.set(p, dataOff);
      framesApplied += pending.length;
      pending = [];
      dbSize = commitSize;
      commits++;
    }
  }
  // Pages past the end of the database as of the last commit are gone (e.g. after VACUUM).
  if (dbSize !== undefined) for (const p of [...committed.keys()]) if (p > dbSize) committed.delete(p);
  return {
    pages: committed,
    dbSize,
    summary: { present: true, framesApplied, commits, framesIgnored: frameCount - validFrames + pending.length },
  };
}

// ---------------------------------------------------------------------------------------------
// CREATE TABLE parsing: just enough to name the columns of a record.

interface Token {
  /** 'word' (keyword or bare identifier), 'ident' (quoted identifier), 'string', 'punct', 'other'. */
  readonly type: 'word' | 'ident' | 'string' | 'punct' | 'other';
  readonly text: string;
}

function tokenize(sql: string): Token[] {
  const out: Token[] = [];
  let i = 0;
  const n = sql.length;
  while (i < n) {
    const c = sql[i];
    if (/\s/.test(c)) {
      i++;
    } else if (c === '-' && sql[i + 1] === '-') {
      const e = sql.indexOf('\n', i);
      i = e < 0 ? n : e + 1;
    } else if (c === '/' && sql[i + 1] === '*') {
      const e = sql.indexOf('*/', i + 2);
      i = e < 0 ? n : e + 2;
    } else if (c === '"' || c === '`' || c === "'" || c === '[') {
      const close = c === '[' ? ']' : c;
      let j = i + 1;
      let text = '';
      for (;;) {
        if (j >= n) throw corrupt('a quoted name in the table definition is not closed');
        if (sql[j] === close) {
          if (close !== ']' && sql[j + 1] === close) {
            text += close;
            j += 2;
            continue;
          }
          break;
        }
        text += sql[j];
        j++;
      }
      out.push({ type: c === "'" ? 'string' : 'ident', text });
      i = j + 1;
    } else if (c === '(' || c === ')' || c === ',') {
      out.push({ type: 'punct', text: c });
      i++;
    } else if (/[A-Za-z0-9_$\u0080-\uffff]/.test(c)) {
      let j = i + 1;
      while (j < n && /[A-Za-z0-9_$\u0080-\uffff]/.test(sql[j])) j++;
      // A number like 1.5 or 1e-3 stays one token, so DEFAULT 1.5 parses.
      if (/^[0-9]/.test(c)) {
        const m = /^[0-9]*(\.[0-9]*)?([eE][+-]?[0-9]+)?/.exec(sql.slice(i));
        if (m && m[0].length > j - i) j = i + m[0].length;
      }
      out.push({ type: 'word', text: sql.slice(i, j) });
      i = j;
    } else if (c === '.' && /[0-9]/.test(sql[i + 1] ?? '')) {
      const m = /^\.[0-9]+([eE][+-]?[0-9]+)?/.exec(sql.slice(i));
      const len = m ? m[0].length : 1;
      out.push({ type: 'word', text: sql.slice(i, i + len) });
      i += len;
    } else {
      out.push({ type: 'other', text: c });
      i++;
    }
  }
  return out;
}

function isKeyword(t: Token | undefined, kw: string): boolean {
  return t !== undefined && t.type === 'word' && t.text.toUpperCase() === kw;
}

const COLUMN_CONSTRAINT_KEYWORDS = new Set(['CONSTRAINT', 'PRIMARY', 'NOT', 'NULL', 'UNIQUE', 'CHECK', 'DEFAULT', 'COLLATE', 'REFERENCES', 'GENERATED', 'AS']);
const TABLE_CONSTRAINT_KEYWORDS = new Set(['CONSTRAINT', 'PRIMARY', 'UNIQUE', 'CHECK', 'FOREIGN']);

interface ColumnDef extends ColumnInfo {
  /** Generated VIRTUAL: not stored in the record. */
  readonly virtual: boolean;
  /** Value for rows written before the column was added with ALTER TABLE … ADD COLUMN … DEFAULT. */
  readonly defaultValue: SqlValue;
}

/** Splits `tokens[from..)` (just after an opening parenthesis) at depth-0 commas up to the closing one. */
function splitDefinitions(tokens: Token[], from: number): { defs: Token[][]; end: number } {
  const defs: Token[][] = [];
  let cur: Token[] = [];
  let depth = 0;
  for (let i = from; i < tokens.length; i++) {
    const t = tokens[i];
    if (t.type === 'punct' && t.text === '(') depth++;
    if (t.type === 'punct' && t.text === ')') {
      if (depth === 0) {
        defs.push(cur);
        return { defs, end: i };
      }
      depth--;
    }
    if (depth === 0 && t.type === 'punct' && t.text === ',') {
      defs.push(cur);
      cur = [];
    } else {
      cur.push(t);
    }
  }
  throw corrupt('the table definition is not closed');
}

/** Tokens at parenthesis depth 0 of one definition, with their indexes. */
function topLevel(def: Token[]): Array<[Token, number]> {
  const out: Array<[Token, number]> = [];
  let depth = 0;
  def.forEach((t, i) => {
    if (t.type === 'punct' && t.text === ')') depth--;
    if (depth === 0) out.push([t, i]);
    if (t.type === 'punct' && t.text === '(') depth++;
  });
  return out;
}

function literalDefault(def: Token[]): SqlValue {
  const top = topLevel(def);
  const at = top.findIndex(([t]) => isKeyword(t, 'DEFAULT'));
  if (at < 0) return null;
  let sign = 1;
  let k = at + 1;
  if (top[k] && top[k][0].type === 'other' && (top[k][0].text === '-' || top[k][0].text === '+')) {
    sign = top[k][0].text === '-' ? -1 : 1;
    k++;
  }
  const t = top[k]?.[0];
  if (!t) return null;
  if (t.type === 'string') return t.text;
  if (t.type === 'word') {
    const up = t.text.toUpperCase();
    if (up === 'NULL') return null;
    if (up === 'TRUE') return 1;
    if (up === 'FALSE') return 0;
    if (/^[0-9]+$/.test(t.text)) {
      const v = BigInt(t.text) * BigInt(sign);
      return toJsInteger(v);
    }
    if (/^([0-9]+\.?[0-9]*|\.[0-9]+)([eE][+-]?[0-9]+)?$/.test(t.text)) return sign * Number(t.text);
  }
  // Expressions (CURRENT_TIMESTAMP, (1+1), X'00'): not evaluated here.
  return null;
}

function parseCreateTable(sql: string, tableName: string): ColumnDef[] {
  const tokens = tokenize(sql);
  const open = tokens.findIndex((t) => t.type === 'punct' && t.text === '(');
  if (open < 0 || !isKeyword(tokens[0], 'CREATE')) {
    throw new CredentialFileError(`The definition of table "${tableName}" is not a CREATE TABLE statement with columns.`, 'unsupported');
  }
  if (tokens.slice(0, open).some((t) => isKeyword(t, 'VIRTUAL'))) {
    throw new CredentialFileError(`Table "${tableName}" is a virtual table, which this reader cannot read.`, 'unsupported');
  }
  const { defs, end } = splitDefinitions(tokens, open + 1);
  const options = tokens.slice(end + 1);
  for (let i = 0; i + 1 < options.length; i++) {
    if (isKeyword(options[i], 'WITHOUT') && isKeyword(options[i + 1], 'ROWID')) {
      throw new CredentialFileError(`Table "${tableName}" is a WITHOUT ROWID table, which this reader cannot read.`, 'unsupported');
    }
  }

  const columns: Array<{ name: string; declaredType: string; pk: boolean; virtual: boolean; defaultValue: SqlValue }> = [];
  const tablePk: string[][] = [];
  for (const def of defs) {
    if (def.length === 0) throw corrupt(`the definition of table "${tableName}" has an empty column`);
    const first = def[0];
    if (first.type === 'word' && TABLE_CONSTRAINT_KEYWORDS.has(first.text.toUpperCase())) {
      // CONSTRAINT name PRIMARY KEY (a, b) → remember the key's column names.
      const top = topLevel(def);
      const pkAt = top.findIndex(([t], k) => isKeyword(t, 'PRIMARY') && isKeyword(top[k + 1]?.[0], 'KEY'));
      if (pkAt >= 0) {
        const openAt = top[pkAt + 2]?.[1];
        if (openAt !== undefined && def[openAt].type === 'punct' && def[openAt].text === '(') {
          const inner = splitDefinitions(def, openAt + 1).defs;
          tablePk.push(inner.map((d) => (d[0] ? d[0].text : '')));
        }
      }
      continue;
    }
    if (first.type !== 'word' && first.type !== 'ident' && first.type !== 'string') {
      throw corrupt(`the definition of table "${tableName}" has a column without a name`);
    }
    const top = topLevel(def);
    // Declared type: the words (and a parenthesised size) after the name, up to the first constraint.
    let typeEnd = def.length;
    for (const [t, idx] of top) {
      if (idx === 0) continue;
      if (t.type === 'word' && COLUMN_CONSTRAINT_KEYWORDS.has(t.text.toUpperCase())) {
        typeEnd = idx;
        break;
      }
    }
    const declaredType = def
      .slice(1, typeEnd)
      .map((t) => t.text)
      .join(' ')
      .replace(/ \( /g, '(')
      .replace(/ \)/g, ')')
      .replace(/ , /g, ',');
    const constraintTop = top.filter(([, idx]) => idx >= typeEnd);
    let pk = false;
    for (let k = 0; k + 1 < constraintTop.length; k++) {
      if (isKeyword(constraintTop[k][0], 'PRIMARY') && isKeyword(constraintTop[k + 1][0], 'KEY')) {
        // The documented quirk: "INTEGER PRIMARY KEY DESC" is not a rowid alias.
        pk = !isKeyword(constraintTop[k + 2]?.[0], 'DESC');
      }
    }
    const asAt = constraintTop.findIndex(([t]) => isKeyword(t, 'AS'));
    const generated = asAt >= 0;
    const stored = generated && constraintTop.slice(asAt).some(([t]) => isKeyword(t, 'STORED'));
    columns.push({ name: first.text, declaredType, pk, virtual: generated && !stored, defaultValue: literalDefault(def) });
  }
  if (columns.length === 0) throw corrupt(`table "${tableName}" has no columns`);
  if (columns.length > MAX_COLUMNS) throw corrupt(`table "${tableName}" has ${columns.length} columns, more than SQLite allows (${MAX_COLUMNS})`);

  // Rowid alias: exactly one primary-key column whose declared type is exactly INTEGER.
  let aliasName: string | undefined;
  const columnPks = columns.filter((c) => c.pk);
  if (columnPks.length === 1 && tablePk.length === 0) aliasName = columnPks[0].name;
  if (columnPks.length === 0 && tablePk.length === 1 && tablePk[0].length === 1) aliasName = tablePk[0][0];
  return columns.map((c) => ({
    name: c.name,
    declaredType: c.declaredType,
    rowidAlias: aliasName !== undefined && c.name.toLowerCase() === aliasName.toLowerCase() && c.declaredType.toUpperCase() === 'INTEGER',
    virtual: c.virtual,
    defaultValue: c.defaultValue,
  }));
}

const SCHEMA_COLUMNS: ColumnDef[] = ['type', 'name', 'tbl_name', 'rootpage', 'sql'].map((name) => ({
  name,
  declaredType: name === 'rootpage' ? 'INT' : 'TEXT',
  rowidAlias: false,
  virtual: false,
  defaultValue: null,
}));
const SCHEMA_NAMES = new Set(['sqlite_schema', 'sqlite_master', 'sqlite_temp_schema', 'sqlite_temp_master']);

// ---------------------------------------------------------------------------------------------
// The database.

const utf8 = new TextDecoder('utf-8', { fatal: false });

interface RawRow {
  readonly rowid: bigint;
  readonly values: SqlValue[];
}

/**
 * A read-only view of one SQLite database file plus its optional write-ahead log, both given as
 * bytes. Construction validates the header and the log; tables are read on demand.
 */
export class SqliteFile {
  readonly pageSize: number;
  readonly usableSize: number;
  /** Pages in the database as SQLite would see it (after the log's last commit). */
  readonly pageCount: number;
  readonly wal: WalSummary;
  private readonly db: Uint8Array;
  private readonly walBytes: Uint8Array | undefined;
  private readonly walPages: Map<number, number>;
  private readonly dbPagesOnDisk: number;
  private readonly pagesAvailable: number;
  private readonly empty: boolean;
  private schemaCache: Array<{ type: string; name: string; rootpage: number; sql: string }> | undefined;

  constructor(db: Uint8Array, wal?: Uint8Array) {
    this.db = db;
    if (db.length === 0) {
      // SQLite treats a zero-byte file as an empty database (and deletes a log beside it).
      this.empty = true;
      this.pageSize = 4096;
      this.usableSize = 4096;
      this.pageCount = 0;
      this.walPages = new Map();
      this.dbPagesOnDisk = 0;
      this.pagesAvailable = 0;
      this.walBytes = undefined;
      this.wal = emptyWal(wal !== undefined && wal.length > 0, 'the database file is empty').summary;
      return;
    }
    this.empty = false;
    let magic = '';
    for (let i = 0; i < Math.min(16, db.length); i++) magic += String.fromCharCode(db[i]);
    // A short file that starts like the magic is a truncated database; anything else is not one.
    if (magic !== SQLITE_MAGIC.slice(0, magic.length)) {
      throw new CredentialFileError('The file is not an SQLite database (its first 16 bytes are not "SQLite format 3").', 'corrupt');
    }
    if (db.length < DB_HEADER_SIZE) throw corrupt(`the file is only ${db.length} bytes long, shorter than the 100-byte header`);
    const rawPageSize = u16(db, 16, 'header');
    const pageSize = rawPageSize === 1 ? 65536 : rawPageSize;
    if (!isValidPageSize(pageSize)) throw corrupt(`the header gives an invalid page size (${rawPageSize})`);
    this.pageSize = pageSize;

    const parsed = parseWal(wal, pageSize);
    this.walBytes = parsed.pages.size > 0 ? wal : undefined;
    this.walPages = parsed.pages;
    this.wal = parsed.summary;
    this.dbPagesOnDisk = Math.floor(db.length / pageSize);

    // The header proper comes from the newest page 1, which may be in the log.
    const page1 = this.rawPage(1);
    const pageSize1 = u16(page1, 16, 'header') === 1 ? 65536 : u16(page1, 16, 'header');
    if (pageSize1 !== pageSize) throw corrupt('page 1 in the log gives a different page size');
    const readVersion = u8(page1, 19, 'header');
    if (readVersion !== 1 && readVersion !== 2) {
      throw new CredentialFileError(`The SQLite database uses file format read version ${readVersion}, which this reader does not know.`, 'unsupported');
    }
    const reserved = u8(page1, 20, 'header');
    this.usableSize = pageSize - reserved;
    if (this.usableSize < 480) throw corrupt('the header reserves too many bytes per page');
    if (u8(page1, 21, 'header') !== 64 || u8(page1, 22, 'header') !== 32 || u8(page1, 23, 'header') !== 32) {
      throw corrupt('the header has invalid payload fractions');
    }
    const encoding = u32be(page1, 56, 'header');
    if (encoding === 2 || encoding === 3) {
      throw new CredentialFileError(
        `The SQLite database stores text as UTF-16 (${encoding === 2 ? 'little' : 'big'}-endian); only UTF-8 databases can be read.`,
        'unsupported',
      );
    }
    if (encoding !== 0 && encoding !== 1) throw corrupt(`the header gives an unknown text encoding (${encoding})`);

    // Page count: the log's last commit says it; else the header's count when valid (it is only
    // valid when the change counter equals the version-valid-for number); else the file size.
    let pageCount: number;
    if (parsed.dbSize !== undefined) {
      pageCount = parsed.dbSize;
    } else {
      const inHeader = u32be(page1, 28, 'header');
      const valid = inHeader !== 0 && u32be(page1, 24, 'header') === u32be(page1, 92, 'header');
      pageCount = valid ? inHeader : this.dbPagesOnDisk;
    }
    this.pageCount = pageCount;
    if (this.pageCount < 1) throw corrupt('the database has no pages');
    // Loops need no bound of their own: each page is used at most once per traversal, and a page
    // that is neither in the file nor in the log cannot be read, so work is bounded by the input.
    this.pagesAvailable = this.dbPagesOnDisk + this.walPages.size;
  }

  /** Page bytes (full page size), from the log's newest committed frame or else the file. */
  private rawPage(pgno: number): Uint8Array {
    const walOff = this.walPages.get(pgno);
    if (walOff !== undefined && this.walBytes) return this.walBytes.subarray(walOff, walOff + this.pageSize);
    if (pgno < 1 || pgno > this.dbPagesOnDisk) {
      throw corrupt(`page ${pgno} is past the end of the file (the file looks truncated)`);
    }
    const off = (pgno - 1) * this.pageSize;
    return this.db.subarray(off, off + this.pageSize);
  }

  private page(pgno: number, what: string): Uint8Array {
    if (!Number.isInteger(pgno) || pgno < 1 || pgno > this.pageCount) {
      throw corrupt(`${what} points to page ${pgno}, outside the database's ${this.pageCount} pages`);
    }
    return this.rawPage(pgno).subarray(0, this.usableSize);
  }

  /** Every row of the table b-tree rooted at `root`, in rowid order. */
  private readBtree(root: number, tableName: string): RawRow[] {
    const rows: RawRow[] = [];
    if (this.empty) return rows;
    const used = new Set<number>();
    const U = this.usableSize;
    // Largest payload the bytes could hold; larger claims are corrupt (and would be huge allocations).
    const maxPayload = Math.min(this.pageCount, this.pagesAvailable) * U;
    const stack: Array<[number, number]> = [[root, 0]];
    while (stack.length > 0) {
      const [pgno, depth] = stack.pop()!;
      if (depth > MAX_BTREE_DEPTH) throw corrupt(`table "${tableName}" is nested too deeply`);
      if (used.has(pgno)) throw corrupt(`page ${pgno} of table "${tableName}" is used twice (a cycle)`);
      used.add(pgno);
      const page = this.page(pgno, `table "${tableName}"`);
      const hdr = pgno === 1 ? DB_HEADER_SIZE : 0;
      const type = u8(page, hdr, 'b-tree page header');
      if (type === PAGE_INTERIOR_INDEX || type === PAGE_LEAF_INDEX) {
        throw new CredentialFileError(`Table "${tableName}" is stored as an index b-tree (WITHOUT ROWID), which this reader cannot read.`, 'unsupported');
      }
      if (type !== PAGE_LEAF_TABLE && type !== PAGE_INTERIOR_TABLE) {
        throw corrupt(`page ${pgno} of table "${tableName}" has an unknown page type (${type})`);
      }
      const leaf = type === PAGE_LEAF_TABLE;
      const headerSize = leaf ? 8 : 12;
      const nCells = u16(page, hdr + 3, 'b-tree page header');
      const ptrStart = hdr + headerSize;
      const ptrEnd = ptrStart + 2 * nCells;
      if (ptrEnd > U) throw corrupt(`page ${pgno} claims more cells (${nCells}) than fit in it`);

      if (!leaf) {
        const children: number[] = [];
        for (let i = 0; i < nCells; i++) {
          const cell = u16(page, ptrStart + 2 * i, 'cell pointer');
          if (cell < ptrEnd || cell + 4 > U) throw corrupt(`page ${pgno} has a cell pointer out of range`);
          children.push(u32be(page, cell, 'interior cell'));
          varint(page, cell + 4, U, 'interior cell key');
        }
        children.push(u32be(page, hdr + 8, 'right-most pointer'));
        for (let i = children.length - 1; i >= 0; i--) stack.push([children[i], depth + 1]);
        continue;
      }

      // Cells of a page never overlap, so together they hold at most U bytes. Checking that keeps
      // the work (and the decoded values) bounded by the file: without it, thousands of cell
      // pointers to one large cell would decode that cell thousands of times.
      let cellBytes = 0;
      for (let i = 0; i < nCells; i++) {
        const cell = u16(page, ptrStart + 2 * i, 'cell pointer');
        if (cell < ptrEnd || cell >= U) throw corrupt(`page ${pgno} has a cell pointer out of range`);
        let off = cell;
        const [payloadSize, n1] = smallVarint(page, off, U, maxPayload, 'payload size');
        off += n1;
        const [rowid, n2] = varint(page, off, U, 'rowid');
        off += n2;
        const local = this.localSize(payloadSize);
        cellBytes += off - cell + local + (local < payloadSize ? 4 : 0);
        if (cellBytes > U - ptrEnd) throw corrupt(`the cells of page ${pgno} overlap`);
        const payload = this.payload(page, off, payloadSize, used, pgno);
        rows.push({ rowid: BigInt.asIntN(64, rowid), values: this.decodeRecord(payload) });
      }
    }
    return rows;
  }

  /** How much of a table-leaf payload of `size` bytes is stored in the cell itself. */
  private localSize(size: number): number {
    const U = this.usableSize;
    const X = U - 35;
    if (size <= X) return size;
    const M = Math.floor(((U - 12) * 32) / 255) - 23;
    const K = M + ((size - M) % (U - 4));
    return K <= X ? K : M;
  }

  /** The payload of a table-leaf cell: its local part plus, if it spills, the overflow chain. */
  private payload(page: Uint8Array, off: number, size: number, used: Set<number>, pgno: number): Uint8Array {
    const U = this.usableSize;
    const local = this.localSize(size);
    need(page, off, local, `a cell on page ${pgno}`);
    if (local === size) return page.subarray(off, off + size);

    const out = new Uint8Array(size);
    out.set(page.subarray(off, off + local), 0);
    let filled = local;
    let next = u32be(page, off + local, 'overflow pointer');
    while (filled < size) {
      if (next === 0) throw corrupt(`an overflow chain from page ${pgno} ends early`);
      if (used.has(next)) throw corrupt(`overflow page ${next} is used twice (a cycle)`);
      used.add(next);
      const ov = this.page(next, `an overflow chain from page ${pgno}`);
      const take = Math.min(size - filled, U - 4);
      need(ov, 4, take, `overflow page ${next}`);
      out.set(ov.subarray(4, 4 + take), filled);
      filled += take;
      next = u32be(ov, 0, 'overflow pointer');
    }
    return out;
  }

  private decodeRecord(p: Uint8Array): SqlValue[] {
    const [headerSize, hn] = smallVarint(p, 0, p.length, p.length, 'record header size');
    if (headerSize < hn) throw corrupt('a record header is shorter than its own size field');
    const types: number[] = [];
    let off = hn;
    while (off < headerSize) {
      // Serial types past 2 × the record's length + 13 cannot fit; reject before converting.
      const [t, n] = smallVarint(p, off, headerSize, 2 * p.length + 13, 'record serial type');
      types.push(t);
      off += n;
    }
    const values: SqlValue[] = [];
    let body = headerSize;
    const view = new DataView(p.buffer, p.byteOffset, p.byteLength);
    for (const t of types) {
      switch (t) {
        case 0:
          values.push(null);
          break;
        case 1:
        case 2:
        case 3:
        case 4:
        case 5:
        case 6: {
          const len = [0, 1, 2, 3, 4, 6, 8][t];
          need(p, body, len, 'a record value');
          let v = 0n;
          for (let k = 0; k < len; k++) v = (v << 8n) | BigInt(p[body + k]);
          values.push(toJsInteger(BigInt.asIntN(len * 8, v)));
          body += len;
          break;
        }
        case 7:
          need(p, body, 8, 'a record value');
          values.push(view.getFloat64(body, false));
          body += 8;
          break;
        case 8:
          values.push(0);
          break;
        case 9:
          values.push(1);
          break;
        case 10:
        case 11:
          throw corrupt(`a record uses the reserved serial type ${t}`);
        default: {
          const len = (t - (t % 2 === 0 ? 12 : 13)) / 2;
          need(p, body, len, 'a record value');
          const bytes = p.subarray(body, body + len);
          values.push(t % 2 === 0 ? Uint8Array.from(bytes) : utf8.decode(bytes));
          body += len;
        }
      }
    }
    return values;
  }

  private schema(): Array<{ type: string; name: string; rootpage: number; sql: string }> {
    if (this.schemaCache) return this.schemaCache;
    const out: Array<{ type: string; name: string; rootpage: number; sql: string }> = [];
    for (const r of this.readBtree(1, 'sqlite_schema')) {
      const [type, name, , rootpage, sql] = r.values;
      if (typeof type !== 'string' || typeof name !== 'string') continue;
      out.push({ type, name, rootpage: typeof rootpage === 'number' ? rootpage : 0, sql: typeof sql === 'string' ? sql : '' });
    }
    this.schemaCache = out;
    return out;
  }

  /** Names of the tables, as in `sqlite_schema` (not including sqlite_schema itself). */
  tableNames(): string[] {
    return guard(() => this.schema().filter((e) => e.type === 'table').map((e) => e.name));
  }

  private tableDef(table: string): { root: number; columns: ColumnDef[] } {
    if (SCHEMA_NAMES.has(table.toLowerCase())) return { root: 1, columns: SCHEMA_COLUMNS };
    const entry = this.schema().find((e) => e.type === 'table' && e.name.toLowerCase() === table.toLowerCase());
    if (!entry) throw new CredentialFileError(`The SQLite database has no table "${table}".`, 'noSuchTable');
    if (entry.rootpage < 1) throw new CredentialFileError(`Table "${table}" has no b-tree of its own (a virtual table?).`, 'unsupported');
    return { root: entry.rootpage, columns: parseCreateTable(entry.sql, table) };
  }

  /** The table's columns in declared order. */
  columns(table: string): ColumnInfo[] {
    return guard(() => this.tableDef(table).columns.map(({ name, declaredType, rowidAlias }) => ({ name, declaredType, rowidAlias })));
  }

  /**
   * Every row of `table` (matched case-insensitively, as SQL does), in rowid order, columns by
   * their declared names. The rowid-alias column (INTEGER PRIMARY KEY) holds the rowid; columns
   * added later with ALTER TABLE hold their literal DEFAULT (or null) in older rows; generated
   * VIRTUAL columns are null (they are not stored).
   */
  readTable(table: string): SqlRow[] {
    return guard(() => {
      const { root, columns } = this.tableDef(table);
      const raws = this.readBtree(root, table);
      // Rows × columns is the work below, and columns (with their defaults) cost nothing in the
      // file: bound it. A CLI login table has one row of about fifteen columns.
      if (raws.length * columns.length > MAX_TABLE_CELLS) {
        throw new CredentialFileError(`Table "${table}" is too large (${raws.length} rows of ${columns.length} columns) for this reader.`, 'unsupported');
      }
      return raws.map((raw) => {
        const row: SqlRow = {};
        let stored = 0;
        for (const c of columns) {
          let v: SqlValue;
          if (c.virtual) v = null;
          else {
            v = stored < raw.values.length ? raw.values[stored] : c.defaultValue;
            stored++;
          }
          if (c.rowidAlias && v === null) v = toJsInteger(raw.rowid);
          // defineProperty: a column may be called "__proto__".
          Object.defineProperty(row, c.name, { value: v, enumerable: true, writable: true, configurable: true });
        }
        return row;
      });
    });
  }
}

/** Runs `fn`, letting CredentialFileError through and wrapping anything else (a bug) in one. */
function guard<T>(fn: () => T): T {
  try {
    return fn();
  } catch (e) {
    if (e instanceof CredentialFileError) throw e;
    const what = e instanceof Error ? `${e.name}: ${e.message}` : 'unknown exception';
    throw new CredentialFileError(`Internal error while reading the SQLite database (${what}).`, 'internal', { cause: e });
  }
}

/** Opens the database bytes (and its log, if any), wrapping any unexpected exception. */
export function openSqlite(dbBytes: Uint8Array, walBytes?: Uint8Array): SqliteFile {
  return guard(() => new SqliteFile(dbBytes, walBytes));
}

/**
 * Every row of one table of an SQLite database given as bytes, with its write-ahead log (the
 * `-wal` file's bytes) applied when given. Throws CredentialFileError, and only that.
 */
export function readSqliteTable(dbBytes: Uint8Array, walBytes: Uint8Array | undefined, table: string): SqlRow[] {
  return openSqlite(dbBytes, walBytes).readTable(table);
}
