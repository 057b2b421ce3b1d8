// The write-ahead log (`db-wal`) of the SQLite reader (./sqlite.ts), read the way SQLite's own
// recovery does: only frames with the header's salts and an unbroken checksum chain, only up to the
// last commit frame, the newest frame of each page winning. The `db-shm` index is not needed: it is
// rebuilt from the log itself.

import { isValidPageSize, u32be, u32le } from './sqliteFormat';

const WAL_MAGIC = 0x377f0682;
const WAL_VERSION = 3007000;
const WAL_HEADER_SIZE = 32;
const WAL_FRAME_HEADER_SIZE = 24;

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

export interface WalResult {
  /** page number → offset of that page's data in the WAL (newest committed frame wins). */
  readonly pages: Map<number, number>;
  /** Database size in pages after the last committed transaction, if any was committed. */
  readonly dbSize: number | undefined;
  readonly summary: WalSummary;
}

export function emptyWal(present: boolean, ignoredReason?: string, framesIgnored = 0): WalResult {
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
export function parseWal(wal: Uint8Array | undefined, expectedPageSize: number | undefined): WalResult {
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
