// A record of the SQLite file format (https://www.sqlite.org/fileformat2.html#record_format): a
// header of serial types, then the values, decoded into SqlValues for the reader (./sqlite.ts).

import { corrupt, need, smallVarint, type SqlValue, toJsInteger } from './sqliteFormat';

const utf8 = new TextDecoder('utf-8', { fatal: false });

/** The serial types of a record's header, and where its body starts. */
function serialTypes(p: Uint8Array): { types: number[]; body: number } {
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
  return { types, body: headerSize };
}

/** One value of serial type `t` at `body`, and how many bytes it took. */
function decodeValue(p: Uint8Array, view: DataView, body: number, t: number): [SqlValue, number] {
  switch (t) {
    case 0:
      return [null, 0];
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
      return [toJsInteger(BigInt.asIntN(len * 8, v)), len];
    }
    case 7:
      need(p, body, 8, 'a record value');
      return [view.getFloat64(body, false), 8];
    case 8:
      return [0, 0];
    case 9:
      return [1, 0];
    case 10:
    case 11:
      throw corrupt(`a record uses the reserved serial type ${t}`);
    default: {
      const len = (t - (t % 2 === 0 ? 12 : 13)) / 2;
      need(p, body, len, 'a record value');
      const bytes = p.subarray(body, body + len);
      return [t % 2 === 0 ? Uint8Array.from(bytes) : utf8.decode(bytes), len];
    }
  }
}

/** The values of a record, in column order. */
export function decodeRecord(p: Uint8Array): SqlValue[] {
  const { types, body: start } = serialTypes(p);
  const values: SqlValue[] = [];
  let body = start;
  const view = new DataView(p.buffer, p.byteOffset, p.byteLength);
  for (const t of types) {
    const [v, len] = decodeValue(p, view, body, t);
    values.push(v);
    body += len;
  }
  return values;
}
