// The SQLite file format's primitives (https://www.sqlite.org/fileformat2.html) for the read-only
// reader of the Apolo / Neu.ro CLI's login db (./sqlite.ts): the values a row holds, the one error
// the reader throws, and bounds-checked byte access — every read goes through these, so a bad
// offset is a CredentialFileError, never a RangeError or a silent `undefined`.

import { MlSecretsError } from '../../errors';

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

export function corrupt(message: string): CredentialFileError {
  return new CredentialFileError(`The SQLite database is corrupt: ${message}.`, 'corrupt');
}

export const DB_HEADER_SIZE = 100;

export function need(buf: Uint8Array, off: number, n: number, what: string): void {
  if (!Number.isInteger(off) || off < 0 || off + n > buf.length) throw corrupt(`${what} runs past the end of its page or file`);
}

export function u8(buf: Uint8Array, off: number, what: string): number {
  need(buf, off, 1, what);
  return buf[off];
}

export function u16(buf: Uint8Array, off: number, what: string): number {
  need(buf, off, 2, what);
  return (buf[off] << 8) | buf[off + 1];
}

export function u32be(buf: Uint8Array, off: number, what: string): number {
  need(buf, off, 4, what);
  return ((buf[off] << 24) >>> 0) + (buf[off + 1] << 16) + (buf[off + 2] << 8) + buf[off + 3];
}

export function u32le(buf: Uint8Array, off: number): number {
  return ((buf[off + 3] << 24) >>> 0) + (buf[off + 2] << 16) + (buf[off + 1] << 8) + buf[off];
}

/**
 * SQLite varint: 1–9 bytes, big-endian, 7 bits per byte with the high bit as "more", the 9th byte
 * contributing all 8 bits. Returns the unsigned 64-bit value and the number of bytes read.
 */
export function varint(buf: Uint8Array, off: number, end: number, what: string): [bigint, number] {
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
export function smallVarint(buf: Uint8Array, off: number, end: number, max: number, what: string): [number, number] {
  const [v, n] = varint(buf, off, end, what);
  if (v > BigInt(max)) throw corrupt(`${what} is out of range`);
  return [Number(v), n];
}

export function toJsInteger(v: bigint): number | bigint {
  return v >= BigInt(Number.MIN_SAFE_INTEGER) && v <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(v) : v;
}

export function isValidPageSize(n: number): boolean {
  return n >= 512 && n <= 65536 && (n & (n - 1)) === 0;
}
