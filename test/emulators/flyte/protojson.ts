/**
 * A small protojson *decoder* for the Flyte emulator: the request side of Go's
 * `protojson.UnmarshalOptions{DiscardUnknown: true}` (what connect-go's JSON codec uses), for the
 * handful of proto3 field kinds the secret and auth services need (string, bytes, bool, int32, enum,
 * message, map<string,string>).
 *
 * Faithful to google.golang.org/protobuf/encoding/protojson/decode.go:
 *  - a field may be named by its JSON (lowerCamel) name or its proto (snake_case) name;
 *  - unknown fields are skipped (DiscardUnknown), unknown enum *names* are ignored (field stays unset);
 *  - the same field twice (also once by each name) → `duplicate field "x"`;
 *  - `null` leaves a field unset (but still counts for the duplicate check);
 *  - two members of one oneof → `error parsing "x", oneof <full name> is already set`;
 *  - int32 from a JSON number or a string holding one, integral values only ("1e1" ok, "1.5" not),
 *    within range; bool only from true/false; bytes: standard or URL-safe base64, padded or not,
 *    CR/LF ignored (Go's base64 decoder);
 *  - map values: null or a non-string is an error; a repeated map key → `duplicate map key "k"`;
 *  - strict JSON syntax (no trailing commas, comments, NaN, control characters in strings), one
 *    top-level value, which must be an object.
 * Error texts follow protojson's shapes (`proto: (line L:C): ...`, `proto: syntax error (line L:C): ...`).
 * CHOICE: the whole document is parsed before it is mapped onto the message, so when a body has both a
 * syntax error and an earlier semantic error the syntax error is reported (protojson streams and would
 * report whichever comes first). Either way the Connect code is `invalid_argument`.
 */

export class ProtoJsonError extends Error {}

export type JNode =
  | { k: 'obj'; pos: number; entries: Array<{ key: string; raw: string; pos: number; val: JNode }> }
  | { k: 'arr'; pos: number; items: JNode[] }
  | { k: 'str'; pos: number; v: string; raw: string }
  | { k: 'num'; pos: number; raw: string }
  | { k: 'bool'; pos: number; v: boolean; raw: string }
  | { k: 'null'; pos: number; raw: string };

/** CHOICE: nesting limit of the JSON document (protojson's message recursion limit is 10000). */
const MAX_DEPTH = 1000;

function isWs(c: string): boolean {
  return c === ' ' || c === '\t' || c === '\n' || c === '\r';
}

class Parser {
  i = 0;
  constructor(readonly s: string) {}

  where(pos: number): string {
    const before = this.s.slice(0, pos);
    const line = before.split('\n').length;
    const nl = before.lastIndexOf('\n');
    const col = [...before.slice(nl + 1)].length + 1;
    return `(line ${line}:${col})`;
  }

  syntax(pos: number, msg: string): ProtoJsonError {
    return new ProtoJsonError(`proto: syntax error ${this.where(pos)}: ${msg}`);
  }

  eof(): ProtoJsonError {
    return new ProtoJsonError('unexpected EOF');
  }

  ws(): void {
    while (this.i < this.s.length && isWs(this.s[this.i]!)) this.i++;
  }

  /** The raw text of the token that starts at `pos` (for "unexpected token X"). */
  rawAt(pos: number): string {
    const c = this.s[pos]!;
    if ('{}[],:'.includes(c)) return c;
    const m = /^[^\s{}[\],:]+/.exec(this.s.slice(pos));
    return m ? m[0] : c;
  }

  value(depth: number): JNode {
    if (depth > MAX_DEPTH) throw new ProtoJsonError('proto: exceeded max recursion depth');
    this.ws();
    if (this.i >= this.s.length) throw this.eof();
    const pos = this.i;
    const c = this.s[pos]!;
    if (c === '{') return this.object(depth);
    if (c === '[') return this.array(depth);
    if (c === '"') {
      const v = this.string();
      return { k: 'str', pos, v, raw: this.s.slice(pos, this.i) };
    }
    if (c === '-' || (c >= '0' && c <= '9')) return this.number();
    for (const [lit, node] of [
      ['true', { k: 'bool', v: true }],
      ['false', { k: 'bool', v: false }],
      ['null', { k: 'null' }],
    ] as const) {
      if (this.s.startsWith(lit, pos)) {
        const after = this.s[pos + lit.length];
        if (after === undefined || !/[A-Za-z0-9_]/.test(after)) {
          this.i = pos + lit.length;
          return { ...node, pos, raw: lit } as JNode;
        }
      }
    }
    throw this.syntax(pos, `invalid value ${this.rawAt(pos)}`);
  }

  object(depth: number): JNode {
    const pos = this.i;
    this.i++; // {
    const entries: Array<{ key: string; raw: string; pos: number; val: JNode }> = [];
    this.ws();
    if (this.s[this.i] === '}') {
      this.i++;
      return { k: 'obj', pos, entries };
    }
    for (;;) {
      this.ws();
      if (this.i >= this.s.length) throw this.eof();
      const kpos = this.i;
      if (this.s[kpos] !== '"') throw this.syntax(kpos, `unexpected token ${this.rawAt(kpos)}`);
      const key = this.string();
      const raw = this.s.slice(kpos, this.i);
      this.ws();
      if (this.i >= this.s.length) throw this.eof();
      if (this.s[this.i] !== ':') throw this.syntax(this.i, `unexpected token ${this.rawAt(this.i)}`);
      this.i++;
      const val = this.value(depth + 1);
      entries.push({ key, raw, pos: kpos, val });
      this.ws();
      if (this.i >= this.s.length) throw this.eof();
      const c = this.s[this.i];
      if (c === ',') {
        this.i++;
        continue;
      }
      if (c === '}') {
        this.i++;
        return { k: 'obj', pos, entries };
      }
      throw this.syntax(this.i, `unexpected token ${this.rawAt(this.i)}`);
    }
  }

  array(depth: number): JNode {
    const pos = this.i;
    this.i++; // [
    const items: JNode[] = [];
    this.ws();
    if (this.s[this.i] === ']') {
      this.i++;
      return { k: 'arr', pos, items };
    }
    for (;;) {
      items.push(this.value(depth + 1));
      this.ws();
      if (this.i >= this.s.length) throw this.eof();
      const c = this.s[this.i];
      if (c === ',') {
        this.i++;
        continue;
      }
      if (c === ']') {
        this.i++;
        return { k: 'arr', pos, items };
      }
      throw this.syntax(this.i, `unexpected token ${this.rawAt(this.i)}`);
    }
  }

  string(): string {
    const start = this.i;
    this.i++; // "
    let out = '';
    for (;;) {
      if (this.i >= this.s.length) throw this.eof();
      const c = this.s[this.i]!;
      if (c === '"') {
        this.i++;
        return out;
      }
      if (c < ' ') throw this.syntax(start, `invalid character ${JSON.stringify(c)} in string`);
      if (c !== '\\') {
        out += c;
        this.i++;
        continue;
      }
      const e = this.s[this.i + 1];
      if (e === undefined) throw this.eof();
      const simple: Record<string, string> = { '"': '"', '\\': '\\', '/': '/', b: '\b', f: '\f', n: '\n', r: '\r', t: '\t' };
      if (e in simple) {
        out += simple[e];
        this.i += 2;
        continue;
      }
      if (e === 'u') {
        const hex = this.s.slice(this.i + 2, this.i + 6);
        if (!/^[0-9a-fA-F]{4}$/.test(hex)) throw this.syntax(start, `invalid escape code ${JSON.stringify(this.s.slice(this.i, this.i + 6))} in string`);
        out += String.fromCharCode(parseInt(hex, 16));
        this.i += 6;
        continue;
      }
      throw this.syntax(start, `invalid escape code ${JSON.stringify('\\' + e)} in string`);
    }
  }

  number(): JNode {
    const pos = this.i;
    const m = /^-?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?/.exec(this.s.slice(pos));
    if (!m || m[0] === '-') throw this.syntax(pos, `invalid value ${this.rawAt(pos)}`);
    const after = this.s[pos + m[0].length];
    if (after !== undefined && /[A-Za-z0-9_.+-]/.test(after)) throw this.syntax(pos, `invalid value ${this.rawAt(pos)}`);
    this.i = pos + m[0].length;
    return { k: 'num', pos, raw: m[0] };
  }
}

export function parseJson(text: string): { node: JNode; where: (pos: number) => string } {
  const p = new Parser(text);
  const node = p.value(0);
  p.ws();
  if (p.i < text.length) throw p.syntax(p.i, `unexpected token ${p.rawAt(p.i)}`);
  return { node, where: (pos) => p.where(pos) };
}

// ---------------------------------------------------------------------------------------------
// Message descriptors and decoding
// ---------------------------------------------------------------------------------------------

export type FieldKind = 'string' | 'bytes' | 'bool' | 'int32' | 'enum' | 'message' | 'map<string,string>';

export interface FieldDesc {
  /** proto name (snake_case) */
  name: string;
  /** JSON name (lowerCamel) */
  json: string;
  num: number;
  kind: FieldKind;
  enumValues?: Record<string, number>;
  message?: MessageDesc;
  /** Full name of the containing oneof. */
  oneof?: string;
}

export interface MessageDesc {
  fullName: string;
  /** `%T` of the Go message, as connect-go names it in "unmarshal into *secret.X". */
  goType: string;
  fields: FieldDesc[];
}

export function field(name: string, num: number, kind: FieldKind, extra: Partial<FieldDesc> = {}): FieldDesc {
  const json = name.replace(/_([a-z0-9])/g, (_m, c: string) => c.toUpperCase());
  return { name, json, num, kind, ...extra };
}

/** A decoded message: proto field name → value (only fields that were set). */
export type Decoded = Record<string, unknown>;

/** Integral JSON number → bigint, following protojson's normalizeToIntString; null if not integral. */
export function jsonNumberToBigInt(raw: string): bigint | null {
  const m = /^(-?)(0|[1-9][0-9]*)(?:\.([0-9]+))?(?:[eE]([+-]?[0-9]+))?$/.exec(raw);
  if (!m) return null;
  const neg = m[1] === '-';
  const intp = m[2] === '0' ? '' : m[2]!;
  const frac = (m[3] ?? '').replace(/0+$/, '');
  const exp = m[4] === undefined ? 0 : Number(m[4]);
  if (!Number.isSafeInteger(exp)) return null;
  if (!intp && !frac) return 0n;
  let digits: string;
  if (exp >= 0) {
    if (frac.length > exp) return null;
    if (intp.length + exp > 20) return null;
    digits = intp + frac + '0'.repeat(exp - frac.length);
  } else {
    const e = -exp;
    if (frac || intp.length < e || !/^0*$/.test(intp.slice(intp.length - e))) return null;
    digits = intp.slice(0, intp.length - e);
  }
  const v = BigInt(digits || '0');
  return neg ? -v : v;
}

/** Go's base64 (Std or URL alphabet, padded or raw) as protojson picks it; null when Go rejects it. */
export function goBase64Decode(input: string): Buffer | null {
  const url = /[-_]/.test(input);
  const padded = input.length % 4 === 0;
  // Go's decoder skips '\r' and '\n' anywhere.
  const s = input.replace(/[\r\n]/g, '');
  const alphabet = url ? /^[A-Za-z0-9_-]*$/ : /^[A-Za-z0-9+/]*$/;
  let body = s;
  if (padded) {
    if (s.length % 4 !== 0) return null;
    const pad = /=*$/.exec(s)![0].length;
    if (pad > 2) return null;
    body = s.slice(0, s.length - pad);
    if (pad > 0 && (body.length + pad) % 4 !== 0) return null;
    if (pad === 0 && body.length % 4 !== 0) return null;
  } else if (s.includes('=')) {
    return null;
  }
  if (!alphabet.test(body)) return null;
  if (body.length % 4 === 1) return null;
  return Buffer.from(url ? body.replace(/-/g, '+').replace(/_/g, '/') : body, 'base64');
}

/**
 * Decode `text` (already valid UTF-8) as `desc`. Throws ProtoJsonError with protojson's texts (without
 * connect-go's "unmarshal into *T: " prefix).
 */
export function decodeProtoJson(text: string, desc: MessageDesc): Decoded {
  const { node, where } = parseJson(text);
  const err = (pos: number, msg: string) => new ProtoJsonError(`proto: ${where(pos)}: ${msg}`);
  const unexpected = (n: JNode) => {
    const raw = n.k === 'obj' ? '{' : n.k === 'arr' ? '[' : n.raw;
    return new ProtoJsonError(`proto: syntax error ${where(n.pos)}: unexpected token ${raw}`);
  };
  const rawOf = (n: JNode) => (n.k === 'obj' ? '{' : n.k === 'arr' ? '[' : n.raw);
  const invalid = (f: FieldDesc, n: JNode, kindName: string = f.kind) =>
    err(n.pos, `invalid value for ${kindName} field ${f.json}: ${rawOf(n)}`);

  const scalar = (f: FieldDesc, n: JNode): { set: boolean; value?: unknown } => {
    switch (f.kind) {
      case 'string':
        if (n.k === 'str') return { set: true, value: n.v };
        throw invalid(f, n);
      case 'bool':
        if (n.k === 'bool') return { set: true, value: n.v };
        throw invalid(f, n);
      case 'bytes': {
        if (n.k === 'str') {
          const b = goBase64Decode(n.v);
          if (b) return { set: true, value: b };
        }
        throw invalid(f, n);
      }
      case 'int32': {
        let raw: string | undefined;
        if (n.k === 'num') raw = n.raw;
        else if (n.k === 'str' && n.v.trim() === n.v && /^-?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?$/.test(n.v)) raw = n.v;
        const v = raw === undefined ? null : jsonNumberToBigInt(raw);
        if (v !== null && v >= -2147483648n && v <= 2147483647n) return { set: true, value: Number(v) };
        throw invalid(f, n);
      }
      case 'enum': {
        if (n.k === 'str') {
          const v = f.enumValues![n.v];
          if (v !== undefined) return { set: true, value: v };
          return { set: false }; // DiscardUnknown: unknown enum names are ignored
        }
        if (n.k === 'num') {
          const v = jsonNumberToBigInt(n.raw);
          if (v !== null && v >= -2147483648n && v <= 2147483647n) return { set: true, value: Number(v) };
        }
        throw invalid(f, n);
      }
      default:
        throw new Error(`not a scalar: ${f.kind}`);
    }
  };

  const message = (n: JNode, d: MessageDesc): Decoded => {
    if (n.k !== 'obj') throw unexpected(n);
    const out: Decoded = {};
    const seen = new Set<number>();
    const seenOneofs = new Set<string>();
    for (const e of n.entries) {
      const f = d.fields.find((x) => x.json === e.key) ?? d.fields.find((x) => x.name === e.key);
      if (!f) continue; // DiscardUnknown
      if (seen.has(f.num)) throw err(e.pos, `duplicate field ${e.raw}`);
      seen.add(f.num);
      if (e.val.k === 'null') continue;
      if (f.kind === 'map<string,string>') {
        if (e.val.k !== 'obj') throw unexpected(e.val);
        const m: Record<string, string> = {};
        const keys = new Set<string>();
        for (const me of e.val.entries) {
          if (keys.has(me.key)) throw err(me.pos, `duplicate map key ${me.raw}`);
          keys.add(me.key);
          if (me.val.k !== 'str') throw err(me.val.pos, `invalid value for string field value: ${rawOf(me.val)}`);
          m[me.key] = me.val.v;
        }
        out[f.name] = m;
        continue;
      }
      if (f.oneof) {
        if (seenOneofs.has(f.oneof)) throw err(e.pos, `error parsing ${e.raw}, oneof ${f.oneof} is already set`);
        seenOneofs.add(f.oneof);
      }
      if (f.kind === 'message') {
        out[f.name] = message(e.val, f.message!);
        continue;
      }
      const r = scalar(f, e.val);
      if (r.set) out[f.name] = r.value;
    }
    return out;
  };

  return message(node, desc);
}
