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
//
// This file holds the database (header, pages, tables) and the entry points; the format's primitives
// are ./sqliteFormat.ts, the log ./sqliteWal.ts, CREATE TABLE parsing ./sqliteSchema.ts, b-tree pages
// and cells ./sqliteBtree.ts, records ./sqliteRecord.ts.

import { type PageSource, readTableBtree, type RawRow } from './sqliteBtree';
import { CredentialFileError, corrupt, DB_HEADER_SIZE, isValidPageSize, type SqlRow, type SqlValue, toJsInteger, u16, u32be, u8 } from './sqliteFormat';
import { type ColumnDef, type ColumnInfo, parseCreateTable, SCHEMA_COLUMNS, SCHEMA_NAMES } from './sqliteSchema';
import { emptyWal, parseWal, type WalSummary } from './sqliteWal';

export { CredentialFileError, type CredentialFileErrorCode, type SqlRow, type SqlValue } from './sqliteFormat';
export type { ColumnInfo } from './sqliteSchema';
export type { WalSummary } from './sqliteWal';

const SQLITE_MAGIC = 'SQLite format 3\0';
/** Rows × columns a table may have here (see readTable). */
const MAX_TABLE_CELLS = 4_000_000;

/** The page size the file's header gives, after checking that the bytes are an SQLite database at all. */
function filePageSize(db: Uint8Array): number {
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
  return pageSize;
}

/** Checks the header proper (from the newest page 1) and returns the usable bytes per page. */
function usableSizeOf(page1: Uint8Array, pageSize: number): number {
  const pageSize1 = u16(page1, 16, 'header') === 1 ? 65536 : u16(page1, 16, 'header');
  if (pageSize1 !== pageSize) throw corrupt('page 1 in the log gives a different page size');
  const readVersion = u8(page1, 19, 'header');
  if (readVersion !== 1 && readVersion !== 2) {
    throw new CredentialFileError(`The SQLite database uses file format read version ${readVersion}, which this reader does not know.`, 'unsupported');
  }
  const reserved = u8(page1, 20, 'header');
  const usableSize = pageSize - reserved;
  if (usableSize < 480) throw corrupt('the header reserves too many bytes per page');
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
  return usableSize;
}

/**
 * Page count: the log's last commit says it; else the header's count when valid (it is only
 * valid when the change counter equals the version-valid-for number); else the file size.
 */
function pageCountOf(page1: Uint8Array, walDbSize: number | undefined, dbPagesOnDisk: number): number {
  if (walDbSize !== undefined) return walDbSize;
  const inHeader = u32be(page1, 28, 'header');
  const valid = inHeader !== 0 && u32be(page1, 24, 'header') === u32be(page1, 92, 'header');
  return valid ? inHeader : dbPagesOnDisk;
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
    const pageSize = filePageSize(db);
    this.pageSize = pageSize;

    const parsed = parseWal(wal, pageSize);
    this.walBytes = parsed.pages.size > 0 ? wal : undefined;
    this.walPages = parsed.pages;
    this.wal = parsed.summary;
    this.dbPagesOnDisk = Math.floor(db.length / pageSize);

    // The header proper comes from the newest page 1, which may be in the log.
    const page1 = this.rawPage(1);
    this.usableSize = usableSizeOf(page1, pageSize);
    this.pageCount = pageCountOf(page1, parsed.dbSize, this.dbPagesOnDisk);
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
    if (this.empty) return [];
    const pages: PageSource = { usableSize: this.usableSize, pageCount: this.pageCount, pagesAvailable: this.pagesAvailable, page: (pgno, what) => this.page(pgno, what) };
    return readTableBtree(pages, root, tableName);
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
