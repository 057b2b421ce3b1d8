/**
 * Python-compatible JSON helpers for the Apolo emulator.
 *
 * platform-secrets is an aiohttp app: request bodies go through `json.loads` (CPython 3.13) and
 * responses through `json.dumps` (default separators, ensure_ascii=True). Error bodies embed
 * Python `repr()` output (trafaret `DataError`s). These helpers reproduce those strings closely
 * enough that a client sees byte-for-byte what the real server would send in the common cases.
 */

/** A JSON object as Python sees it: insertion-ordered, last duplicate wins (position of the first). */
export type PyDict = Map<string, PyValue>;
export type PyValue = string | number | boolean | null | PyValue[] | PyDict;

/** Marks a number that Python holds as a float (so `json.dumps` prints `1.0`, not `1`). */
export class PyFloat {
  constructor(public readonly value: number) {}
}

/** Python's `json.JSONDecodeError` (a `ValueError`). */
export class PyJsonDecodeError extends Error {
  constructor(msg: string, doc: string, pos: number) {
    super(formatDecodeError(msg, doc, pos));
  }
}

function codePointIndex(s: string, utf16Index: number): number {
  let n = 0;
  for (let i = 0; i < utf16Index && i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c >= 0xd800 && c <= 0xdbff && i + 1 < s.length) {
      const d = s.charCodeAt(i + 1);
      if (d >= 0xdc00 && d <= 0xdfff) i++;
    }
    n++;
  }
  return n + Math.max(0, utf16Index - s.length);
}

function formatDecodeError(msg: string, doc: string, pos: number): string {
  const before = doc.slice(0, pos);
  const lineno = (before.match(/\n/g)?.length ?? 0) + 1;
  const cpPos = codePointIndex(doc, pos);
  const nl = before.lastIndexOf('\n');
  const colno = nl === -1 ? cpPos + 1 : cpPos - codePointIndex(doc, nl);
  return `${msg}: line ${lineno} column ${colno} (char ${cpPos})`;
}

const WS = ' \t\n\r';
const NUMBER_RE = /(-?(?:0|[1-9]\d*))(\.\d+)?([eE][-+]?\d+)?/y;

class StopIteration {
  constructor(public readonly pos: number) {}
}

function skipWs(s: string, i: number): number {
  while (i < s.length && WS.includes(s[i]!)) i++;
  return i;
}

/** `json.loads` for a str, with CPython's error messages. */
export function pyJsonLoads(s: string): PyValue {
  if (s.startsWith('\ufeff')) {
    throw new PyJsonDecodeError('Unexpected UTF-8 BOM (decode using utf-8-sig)', s, 0);
  }
  const start = skipWs(s, 0);
  let value: PyValue;
  let end: number;
  try {
    [value, end] = scanOnce(s, start);
  } catch (e) {
    if (e instanceof StopIteration) throw new PyJsonDecodeError('Expecting value', s, e.pos);
    throw e;
  }
  end = skipWs(s, end);
  if (end !== s.length) throw new PyJsonDecodeError('Extra data', s, end);
  return value;
}

function scanOnce(s: string, idx: number): [PyValue, number] {
  if (idx >= s.length) throw new StopIteration(idx);
  const ch = s[idx]!;
  if (ch === '"') return scanString(s, idx + 1);
  if (ch === '{') return parseObject(s, idx + 1);
  if (ch === '[') return parseArray(s, idx + 1);
  if (ch === 'n' && s.startsWith('null', idx)) return [null, idx + 4];
  if (ch === 't' && s.startsWith('true', idx)) return [true, idx + 4];
  if (ch === 'f' && s.startsWith('false', idx)) return [false, idx + 5];
  NUMBER_RE.lastIndex = idx;
  const m = NUMBER_RE.exec(s);
  if (m) {
    return [Number(m[0]), idx + m[0].length];
  }
  if (ch === 'N' && s.startsWith('NaN', idx)) return [NaN, idx + 3];
  if (ch === 'I' && s.startsWith('Infinity', idx)) return [Infinity, idx + 8];
  if (ch === '-' && s.startsWith('-Infinity', idx)) return [-Infinity, idx + 9];
  throw new StopIteration(idx);
}

const ESCAPES: Record<string, string> = {
  '"': '"',
  '\\': '\\',
  '/': '/',
  b: '\b',
  f: '\f',
  n: '\n',
  r: '\r',
  t: '\t',
};

/** `end` is the index just after the opening quote. Mirrors the C `scanstring_unicode`. */
function scanString(s: string, end: number): [string, number] {
  const begin = end - 1;
  let out = '';
  for (;;) {
    let next = end;
    while (next < s.length) {
      const c = s.charCodeAt(next);
      if (c === 0x22 || c === 0x5c) break;
      if (c < 0x20) throw new PyJsonDecodeError('Invalid control character at', s, next);
      next++;
    }
    if (next >= s.length) throw new PyJsonDecodeError('Unterminated string starting at', s, begin);
    out += s.slice(end, next);
    if (s[next] === '"') return [out, next + 1];
    // backslash
    next++;
    if (next >= s.length) throw new PyJsonDecodeError('Unterminated string starting at', s, begin);
    const e = s[next]!;
    if (e !== 'u') {
      const rep = ESCAPES[e];
      if (rep === undefined) throw new PyJsonDecodeError('Invalid \\escape', s, next - 1);
      out += rep;
      end = next + 1;
      continue;
    }
    const hex = s.slice(next + 1, next + 5);
    if (!/^[0-9a-fA-F]{4}$/.test(hex)) throw new PyJsonDecodeError('Invalid \\uXXXX escape', s, next);
    let cp = parseInt(hex, 16);
    end = next + 5;
    if (cp >= 0xd800 && cp <= 0xdbff && s[end] === '\\' && s[end + 1] === 'u') {
      const hex2 = s.slice(end + 2, end + 6);
      if (!/^[0-9a-fA-F]{4}$/.test(hex2)) throw new PyJsonDecodeError('Invalid \\uXXXX escape', s, end + 1);
      const lo = parseInt(hex2, 16);
      if (lo >= 0xdc00 && lo <= 0xdfff) {
        cp = 0x10000 + ((cp - 0xd800) << 10) + (lo - 0xdc00);
        end += 6;
      }
    }
    out += String.fromCodePoint(cp);
  }
}

function parseObject(s: string, end: number): [PyDict, number] {
  const obj: PyDict = new Map();
  let nextchar = s.slice(end, end + 1);
  if (nextchar !== '"') {
    if (nextchar !== '' && WS.includes(nextchar)) {
      end = skipWs(s, end);
      nextchar = s.slice(end, end + 1);
    }
    if (nextchar === '}') return [obj, end + 1];
    if (nextchar !== '"') {
      throw new PyJsonDecodeError('Expecting property name enclosed in double quotes', s, end);
    }
  }
  end += 1;
  for (;;) {
    let key: string;
    [key, end] = scanString(s, end);
    if (s.slice(end, end + 1) !== ':') {
      end = skipWs(s, end);
      if (s.slice(end, end + 1) !== ':') throw new PyJsonDecodeError("Expecting ':' delimiter", s, end);
    }
    end += 1;
    end = skipWs(s, end);
    let value: PyValue;
    try {
      [value, end] = scanOnce(s, end);
    } catch (e) {
      if (e instanceof StopIteration) throw new PyJsonDecodeError('Expecting value', s, e.pos);
      throw e;
    }
    obj.set(key, value);
    end = skipWs(s, end);
    nextchar = s.slice(end, end + 1);
    end += 1;
    if (nextchar === '}') break;
    if (nextchar !== ',') throw new PyJsonDecodeError("Expecting ',' delimiter", s, end - 1);
    const commaIdx = end - 1;
    end = skipWs(s, end);
    nextchar = s.slice(end, end + 1);
    end += 1;
    if (nextchar !== '"') {
      if (nextchar === '}') {
        throw new PyJsonDecodeError('Illegal trailing comma before end of object', s, commaIdx);
      }
      throw new PyJsonDecodeError('Expecting property name enclosed in double quotes', s, end - 1);
    }
  }
  return [obj, end];
}

function parseArray(s: string, end: number): [PyValue[], number] {
  const values: PyValue[] = [];
  end = skipWs(s, end);
  let nextchar = s.slice(end, end + 1);
  if (nextchar === ']') return [values, end + 1];
  for (;;) {
    let value: PyValue;
    try {
      [value, end] = scanOnce(s, end);
    } catch (e) {
      if (e instanceof StopIteration) throw new PyJsonDecodeError('Expecting value', s, e.pos);
      throw e;
    }
    values.push(value);
    end = skipWs(s, end);
    nextchar = s.slice(end, end + 1);
    end += 1;
    if (nextchar === ']') break;
    if (nextchar !== ',') throw new PyJsonDecodeError("Expecting ',' delimiter", s, end - 1);
    const commaIdx = end - 1;
    end = skipWs(s, end);
    if (s.slice(end, end + 1) === ']') {
      throw new PyJsonDecodeError('Illegal trailing comma before end of array', s, commaIdx);
    }
  }
  return [values, end];
}

/** Python `json.dumps(obj)` with default arguments (", " and ": " separators, ensure_ascii). */
export function pyJsonDumps(value: unknown): string {
  if (value === null || value === undefined) return 'null';
  if (value === true) return 'true';
  if (value === false) return 'false';
  if (value instanceof PyFloat) return pyFloatRepr(value.value);
  if (typeof value === 'number') {
    if (Number.isNaN(value)) return 'NaN';
    if (value === Infinity) return 'Infinity';
    if (value === -Infinity) return '-Infinity';
    return Number.isInteger(value) ? String(value) : pyFloatRepr(value);
  }
  if (typeof value === 'string') return pyJsonString(value);
  if (Array.isArray(value)) return '[' + value.map(pyJsonDumps).join(', ') + ']';
  const entries: Array<[string, unknown]> =
    value instanceof Map ? [...(value as Map<string, unknown>).entries()] : Object.entries(value as object);
  return '{' + entries.map(([k, v]) => `${pyJsonString(k)}: ${pyJsonDumps(v)}`).join(', ') + '}';
}

function pyFloatRepr(v: number): string {
  if (Number.isInteger(v) && Math.abs(v) < 1e16) return v.toFixed(1);
  const s = String(v);
  // JS "1e+21" vs Python "1e+21": identical; JS "1.5e-7" vs Python "1.5e-07".
  return s.replace(/e([+-])(\d)$/, 'e$10$2');
}

function pyJsonString(s: string): string {
  let out = '"';
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    const ch = s[i]!;
    if (ch === '"') out += '\\"';
    else if (ch === '\\') out += '\\\\';
    else if (ch === '\n') out += '\\n';
    else if (ch === '\r') out += '\\r';
    else if (ch === '\t') out += '\\t';
    else if (ch === '\b') out += '\\b';
    else if (ch === '\f') out += '\\f';
    else if (c < 0x20 || c > 0x7e) out += '\\u' + c.toString(16).padStart(4, '0');
    else out += ch;
  }
  return out + '"';
}

const NON_PRINTABLE = /^(?:[\p{C}\p{Zl}\p{Zp}]|(?! )\p{Zs})$/u;

/** Python `repr(str)`. */
export function pyRepr(value: string | number): string {
  if (typeof value === 'number') return String(value);
  const s = value;
  const quote = s.includes("'") && !s.includes('"') ? '"' : "'";
  let out = quote;
  for (const ch of s) {
    const cp = ch.codePointAt(0)!;
    if (ch === quote || ch === '\\') out += '\\' + ch;
    else if (ch === '\t') out += '\\t';
    else if (ch === '\n') out += '\\n';
    else if (ch === '\r') out += '\\r';
    else if (cp < 0x20 || cp === 0x7f) out += '\\x' + cp.toString(16).padStart(2, '0');
    else if (cp < 0x7f) out += ch;
    else if (!NON_PRINTABLE.test(ch)) out += ch;
    else if (cp <= 0xff) out += '\\x' + cp.toString(16).padStart(2, '0');
    else if (cp <= 0xffff) out += '\\u' + cp.toString(16).padStart(4, '0');
    else out += '\\U' + cp.toString(16).padStart(8, '0');
  }
  return out + quote;
}

/** Python `len(str)`: code points, not UTF-16 units. */
export function pyLen(s: string): number {
  let n = s.length;
  for (let i = 0; i < s.length - 1; i++) {
    const c = s.charCodeAt(i);
    if (c >= 0xd800 && c <= 0xdbff) {
      const d = s.charCodeAt(i + 1);
      if (d >= 0xdc00 && d <= 0xdfff) {
        n--;
        i++;
      }
    }
  }
  return n;
}

/**
 * `bytes.decode(encoding)` as aiohttp's `request.text()` does it (encoding from the request's
 * Content-Type charset, default utf-8). Throws a `PyValueError` (UnicodeDecodeError) or a
 * `PyLookupError` (unknown codec), with CPython's messages.
 */
export class PyValueError extends Error {}
export class PyLookupError extends Error {}

export function pyDecode(buf: Buffer, charset: string | undefined): string {
  const enc = (charset ?? 'utf-8').toLowerCase().replace(/_/g, '-');
  if (['utf-8', 'utf8', 'u8', 'utf', 'cp65001'].includes(enc)) return decodeUtf8Strict(buf);
  if (['ascii', 'us-ascii', '646'].includes(enc)) {
    const bad = buf.findIndex((b) => b > 0x7f);
    if (bad !== -1) {
      throw new PyValueError(
        `'ascii' codec can't decode byte 0x${buf[bad]!.toString(16).padStart(2, '0')} in position ${bad}: ordinal not in range(128)`,
      );
    }
    return buf.toString('latin1');
  }
  if (['latin-1', 'latin1', 'iso-8859-1', 'iso8859-1', 'l1', 'latin'].includes(enc)) return buf.toString('latin1');
  throw new PyLookupError(`unknown encoding: ${charset}`);
}

function decodeUtf8Strict(buf: Buffer): string {
  let i = 0;
  while (i < buf.length) {
    const b = buf[i]!;
    if (b < 0x80) {
      i++;
      continue;
    }
    let need: number;
    let lo = 0x80;
    let hi = 0xbf;
    if (b >= 0xc2 && b <= 0xdf) need = 1;
    else if (b >= 0xe0 && b <= 0xef) {
      need = 2;
      if (b === 0xe0) lo = 0xa0;
      if (b === 0xed) hi = 0x9f;
    } else if (b >= 0xf0 && b <= 0xf4) {
      need = 3;
      if (b === 0xf0) lo = 0x90;
      if (b === 0xf4) hi = 0x8f;
    } else {
      throw utf8Error(buf, i, 1, 'invalid start byte');
    }
    let k = 0;
    while (k < need) {
      const j = i + 1 + k;
      if (j >= buf.length) throw utf8Error(buf, i, k + 1, 'unexpected end of data');
      const c = buf[j]!;
      const l = k === 0 ? lo : 0x80;
      const h = k === 0 ? hi : 0xbf;
      if (c < l || c > h) throw utf8Error(buf, i, k + 1, 'invalid continuation byte');
      k++;
    }
    i += need + 1;
  }
  return buf.toString('utf8');
}

function utf8Error(buf: Buffer, start: number, len: number, reason: string): PyValueError {
  if (len === 1) {
    return new PyValueError(
      `'utf-8' codec can't decode byte 0x${buf[start]!.toString(16).padStart(2, '0')} in position ${start}: ${reason}`,
    );
  }
  return new PyValueError(`'utf-8' codec can't decode bytes in position ${start}-${start + len - 1}: ${reason}`);
}
