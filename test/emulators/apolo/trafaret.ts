/**
 * A tiny re-implementation of the trafaret 2.1 validators platform-secrets uses, producing the same
 * error strings: `str(DataError)` is the message itself for a scalar check and the Python `str()`
 * of a dict of `DataError`s for `Dict`/`List` checks, e.g.
 *   {'key': DataError('is required'), 'extra': DataError('extra is not allowed key')}
 */
import { PyDict, PyValue, pyLen, pyRepr } from './pyjson';

export class DataError extends Error {
  constructor(public readonly error: string | Map<string | number, DataError>) {
    super(typeof error === 'string' ? error : dataErrorDictStr(error));
  }
  override toString(): string {
    return this.message;
  }
}

function dataErrorDictStr(errors: Map<string | number, DataError>): string {
  const parts: string[] = [];
  for (const [k, v] of errors) parts.push(`${pyRepr(k)}: DataError(${pyRepr(v.message)})`);
  return '{' + parts.join(', ') + '}';
}

export type Check<T = unknown> = (value: unknown) => T;

/** A read-only mapping as trafaret's `Dict` sees it (a parsed JSON object or an aiohttp MultiDict). */
export interface MappingLike {
  /** All keys in order; a MultiDict repeats a key once per occurrence. */
  keys(): string[];
  has(key: string): boolean;
  /** First value for the key. */
  get(key: string): unknown;
}

export function mapFromPyDict(d: PyDict): MappingLike {
  return { keys: () => [...d.keys()], has: (k) => d.has(k), get: (k) => d.get(k) };
}

export function mapFromQuery(pairs: Array<[string, string]>): MappingLike {
  return {
    keys: () => pairs.map(([k]) => k),
    has: (k) => pairs.some(([n]) => n === k),
    get: (k) => pairs.find(([n]) => n === k)?.[1],
  };
}

export function isMapping(v: unknown): boolean {
  return v instanceof Map || (typeof v === 'object' && v !== null && 'keys' in v && 'has' in v && 'get' in v);
}

function asMappingLike(v: unknown): MappingLike {
  return v instanceof Map ? mapFromPyDict(v as PyDict) : (v as MappingLike);
}

/** `t.String(allow_blank=False, min_length, max_length)` (lengths in code points, like Python). */
export function tString(opts: { allowBlank?: boolean; minLength?: number; maxLength?: number } = {}): Check<string> {
  return (value) => {
    if (typeof value !== 'string') throw new DataError('value is not a string');
    const len = pyLen(value);
    if (!opts.allowBlank && len === 0) throw new DataError('blank value is not allowed');
    if (opts.allowBlank && len === 0) return value;
    if (opts.minLength !== undefined && len < opts.minLength) {
      throw new DataError(`String is shorter than ${opts.minLength} characters`);
    }
    if (opts.maxLength !== undefined && len > opts.maxLength) {
      throw new DataError(`String is longer than ${opts.maxLength} characters`);
    }
    return value;
  };
}

/** `t.Regexp(pattern)`; `pythonPattern` is the source text shown in the message. */
export function tRegexp(re: RegExp, pythonPattern: string): Check<string> {
  return (value) => {
    if (typeof value !== 'string') throw new DataError('value is not a string');
    // Python's re.match anchors at the start only; the patterns we use carry \A ... \Z anyway.
    const m = re.exec(value);
    if (!m || m.index !== 0) throw new DataError(`does not match pattern ${pythonPattern}`);
    return m[0];
  };
}

/** `t.Enum(*variants)` */
export function tEnum<T extends string>(...variants: T[]): Check<T> {
  return (value) => {
    if (typeof value !== 'string' || !variants.includes(value as T)) {
      throw new DataError("value doesn't match any variant");
    }
    return value as T;
  };
}

/** `t.ToInt()` for query strings. */
export function tToInt(opts: { gte?: number } = {}): Check<number> {
  return (value) => {
    const s = typeof value === 'string' ? value.trim() : value;
    if (typeof s === 'number' && Number.isInteger(s)) return s;
    if (typeof s !== 'string' || !/^[-+]?\d+$/.test(s)) throw new DataError("value can't be converted to int");
    const n = Number(s);
    if (opts.gte !== undefined && n < opts.gte) throw new DataError(`value is less than ${opts.gte}`);
    return n;
  };
}

/** `a & b`, `a >> f`: run sequentially. */
export function tAnd<A, B>(a: Check<A>, b: (v: A) => B): Check<B> {
  return (value) => b(a(value));
}

export interface KeySpec {
  name: string;
  check: Check;
  optional?: boolean;
}

/**
 * `t.Dict({...})` without allow_extra/ignore_extra: required keys in declaration order, then every
 * unconsumed key of the input (in input order) is "<k> is not allowed key".
 */
export function tDict(keys: KeySpec[]): Check<Map<string, unknown>> {
  return (value) => {
    if (!isMapping(value)) throw new DataError('value is not a dict');
    const m = asMappingLike(value);
    const collect = new Map<string, unknown>();
    const errors = new Map<string | number, DataError>();
    const touched = new Set<string>();
    for (const key of keys) {
      touched.add(key.name);
      if (m.has(key.name)) {
        try {
          collect.set(key.name, key.check(m.get(key.name)));
        } catch (e) {
          if (!(e instanceof DataError)) throw e;
          errors.set(key.name, e);
        }
      } else if (!key.optional) {
        errors.set(key.name, new DataError('is required'));
      }
    }
    for (const k of m.keys()) {
      if (touched.has(k)) continue;
      errors.set(k, new DataError(collect.has(k) ? `${k} key was shadowed` : `${k} is not allowed key`));
    }
    if (errors.size) throw new DataError(errors);
    return collect;
  };
}

/** `t.List(item, min_length)` */
export function tList<T>(item: Check<T>, opts: { minLength?: number } = {}): Check<T[]> {
  return (value) => {
    if (!Array.isArray(value)) throw new DataError('value is not a list');
    const min = opts.minLength ?? 0;
    if (value.length < min) throw new DataError(`list length is less than ${min}`);
    const out: T[] = [];
    const errors = new Map<string | number, DataError>();
    (value as PyValue[]).forEach((v, i) => {
      try {
        out.push(item(v));
      } catch (e) {
        if (!(e instanceof DataError)) throw e;
        errors.set(i, e);
      }
    });
    if (errors.size) throw new DataError(errors);
    return out;
  };
}
