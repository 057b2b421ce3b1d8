// Table b-trees of the SQLite file format, for the reader (./sqlite.ts): interior (0x05) and leaf
// (0x0d) pages, cells, overflow chains and the records they hold. The input is untrusted: every page
// may be used only once per traversal, so a cycle in a b-tree or an overflow chain ends in a
// CredentialFileError instead of a hang, and the cells of a page may not claim more bytes than it has.

import { CredentialFileError, corrupt, DB_HEADER_SIZE, need, smallVarint, type SqlValue, u16, u32be, u8, varint } from './sqliteFormat';
import { decodeRecord } from './sqliteRecord';

/** SQLite's own cursors stop at depth 20; anything deeper is a cycle or garbage. */
const MAX_BTREE_DEPTH = 40;
const PAGE_LEAF_TABLE = 0x0d;
const PAGE_INTERIOR_TABLE = 0x05;
const PAGE_LEAF_INDEX = 0x0a;
const PAGE_INTERIOR_INDEX = 0x02;

/** The pages of a database (with its log applied), as the b-tree reader sees them. */
export interface PageSource {
  readonly usableSize: number;
  /** Pages in the database as SQLite would see it. */
  readonly pageCount: number;
  /** Pages that exist in the file or the log: a payload can't be larger than they hold. */
  readonly pagesAvailable: number;
  /** The page's usable bytes; throws for a page outside the database. */
  page(pgno: number, what: string): Uint8Array;
}

export interface RawRow {
  readonly rowid: bigint;
  readonly values: SqlValue[];
}

/** A b-tree page's header: leaf or interior, and where its cell pointers are. */
interface PageHeader {
  leaf: boolean;
  /** Offset of the header (100 on page 1, after the database header). */
  hdr: number;
  nCells: number;
  ptrStart: number;
  ptrEnd: number;
}

function pageHeader(page: Uint8Array, pgno: number, tableName: string, usableSize: number): PageHeader {
  const hdr = pgno === 1 ? DB_HEADER_SIZE : 0;
  const type = u8(page, hdr, 'b-tree page header');
  if (type === PAGE_INTERIOR_INDEX || type === PAGE_LEAF_INDEX) {
    throw new CredentialFileError(`Table "${tableName}" is stored as an index b-tree (WITHOUT ROWID), which this reader cannot read.`, 'unsupported');
  }
  if (type !== PAGE_LEAF_TABLE && type !== PAGE_INTERIOR_TABLE) {
    throw corrupt(`page ${pgno} of table "${tableName}" has an unknown page type (${type})`);
  }
  const leaf = type === PAGE_LEAF_TABLE;
  const nCells = u16(page, hdr + 3, 'b-tree page header');
  const ptrStart = hdr + (leaf ? 8 : 12);
  const ptrEnd = ptrStart + 2 * nCells;
  if (ptrEnd > usableSize) throw corrupt(`page ${pgno} claims more cells (${nCells}) than fit in it`);
  return { leaf, hdr, nCells, ptrStart, ptrEnd };
}

/** The child pages of an interior page, left to right (the right-most pointer last). */
function childPages(page: Uint8Array, h: PageHeader, pgno: number, usableSize: number): number[] {
  const children: number[] = [];
  for (let i = 0; i < h.nCells; i++) {
    const cell = u16(page, h.ptrStart + 2 * i, 'cell pointer');
    if (cell < h.ptrEnd || cell + 4 > usableSize) throw corrupt(`page ${pgno} has a cell pointer out of range`);
    children.push(u32be(page, cell, 'interior cell'));
    varint(page, cell + 4, usableSize, 'interior cell key');
  }
  children.push(u32be(page, h.hdr + 8, 'right-most pointer'));
  return children;
}

/** How much of a table-leaf payload of `size` bytes is stored in the cell itself. */
function localSize(size: number, usableSize: number): number {
  const U = usableSize;
  const X = U - 35;
  if (size <= X) return size;
  const M = Math.floor(((U - 12) * 32) / 255) - 23;
  const K = M + ((size - M) % (U - 4));
  return K <= X ? K : M;
}

/** The payload of a table-leaf cell: its local part plus, if it spills, the overflow chain. */
function payload(src: PageSource, page: Uint8Array, off: number, size: number, used: Set<number>, pgno: number): Uint8Array {
  const U = src.usableSize;
  const local = localSize(size, U);
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
    const ov = src.page(next, `an overflow chain from page ${pgno}`);
    const take = Math.min(size - filled, U - 4);
    need(ov, 4, take, `overflow page ${next}`);
    out.set(ov.subarray(4, 4 + take), filled);
    filled += take;
    next = u32be(ov, 0, 'overflow pointer');
  }
  return out;
}

/** The rows of a leaf page, appended to `rows`. */
function readLeaf(src: PageSource, page: Uint8Array, h: PageHeader, pgno: number, used: Set<number>, rows: RawRow[]): void {
  const U = src.usableSize;
  // Largest payload the bytes could hold; larger claims are corrupt (and would be huge allocations).
  const maxPayload = Math.min(src.pageCount, src.pagesAvailable) * U;
  // Cells of a page never overlap, so together they hold at most U bytes. Checking that keeps
  // the work (and the decoded values) bounded by the file: without it, thousands of cell
  // pointers to one large cell would decode that cell thousands of times.
  let cellBytes = 0;
  for (let i = 0; i < h.nCells; i++) {
    const cell = u16(page, h.ptrStart + 2 * i, 'cell pointer');
    if (cell < h.ptrEnd || cell >= U) throw corrupt(`page ${pgno} has a cell pointer out of range`);
    let off = cell;
    const [payloadSize, n1] = smallVarint(page, off, U, maxPayload, 'payload size');
    off += n1;
    const [rowid, n2] = varint(page, off, U, 'rowid');
    off += n2;
    const local = localSize(payloadSize, U);
    cellBytes += off - cell + local + (local < payloadSize ? 4 : 0);
    if (cellBytes > U - h.ptrEnd) throw corrupt(`the cells of page ${pgno} overlap`);
    const bytes = payload(src, page, off, payloadSize, used, pgno);
    rows.push({ rowid: BigInt.asIntN(64, rowid), values: decodeRecord(bytes) });
  }
}

/** Every row of the table b-tree rooted at `root`, in rowid order. */
export function readTableBtree(src: PageSource, root: number, tableName: string): RawRow[] {
  const rows: RawRow[] = [];
  const used = new Set<number>();
  const stack: Array<[number, number]> = [[root, 0]];
  while (stack.length > 0) {
    const [pgno, depth] = stack.pop()!;
    if (depth > MAX_BTREE_DEPTH) throw corrupt(`table "${tableName}" is nested too deeply`);
    if (used.has(pgno)) throw corrupt(`page ${pgno} of table "${tableName}" is used twice (a cycle)`);
    used.add(pgno);
    const page = src.page(pgno, `table "${tableName}"`);
    const h = pageHeader(page, pgno, tableName, src.usableSize);
    if (h.leaf) {
      readLeaf(src, page, h, pgno, used, rows);
      continue;
    }
    const children = childPages(page, h, pgno, src.usableSize);
    for (let i = children.length - 1; i >= 0; i--) stack.push([children[i], depth + 1]);
  }
  return rows;
}
