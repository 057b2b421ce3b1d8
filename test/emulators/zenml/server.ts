/**
 * A strict emulator of the ZenML server REST API (FastAPI) for secrets, for tests:
 *   POST /api/v1/login                        OAuth2 form login: password / zenml-api-key grants
 *   GET  /api/v1/info, /api/v1/version        (no auth, as on the real server)
 *   GET  /api/v1/current-user
 *   GET|POST /api/v1/secrets                  list (Page envelope, filters, paging) / create
 *   GET|PUT|DELETE /api/v1/secrets/{id}
 *   POST /api/v1/workspaces/{ws}/secrets      deprecated create
 *   PUT  /api/v1/secrets_operations/{backup,restore}   (always 501: no backup store configured)
 *   GET  /api/v1/stacks[/{id}], /api/v1/components[/{id}]   stacks and their components (./stacks.ts)
 *   GET|HEAD /health
 *
 * Spec: docs/platform-apis.md §2 and §5, cross-checked against zenml-io/zenml sources
 * (zen_server/routers/secrets_endpoints.py + auth_endpoints.py, zen_server/auth.py,
 * zen_server/exceptions.py, zen_server/utils.py `make_dependable`, zen_server/rate_limit.py,
 * zen_stores/sql_zen_store.py (secrets section, filter_and_paginate), zen_stores/schemas/secret_schemas.py,
 * models/v2/core/secret.py, models/v2/base/filter.py) and FastAPI/Starlette/pydantic v2 behaviour.
 *
 * Faithful details (all from those sources):
 *  - Error bodies `{"detail": [<class>, <str(exc)>]}`; the class is the *matched* REST_API_EXCEPTIONS entry.
 *    KeyError → 404 and its message is Python's `str(KeyError(msg))`, i.e. the repr WITH quotes.
 *  - FastAPI request validation → 422 `{"detail": [{type, loc, msg, input[, ctx]}]}` (pydantic v2 texts).
 *  - Dependency order decides which error wins: on GET /secrets the filter model is built BEFORE the
 *    auth dependency (so `size=0` without a token is 422), but its plain type errors (`size=abc`) are
 *    only collected, so the auth dependency answers first (401). Every other route: auth first.
 *  - Starlette routing: first FULL match wins, else the first PARTIAL (path) match gives 405 with
 *    `Allow: <that route's method>`; ZenML's catch-all `GET /api/{path:path}` makes unknown GET API
 *    paths (also trailing-slash ones) 404 `{"detail":"Not Found"}` and unknown non-GET API paths 405.
 *  - List items never carry values: `body.values` is `{}` (SqlZenStore.list_secrets never loads them);
 *    GET/POST/PUT return the real values.
 *  - `resources.user` is always present (to_model(include_resources=True)); `hydrate` only switches
 *    `metadata` between `{}` and `null`. Defaults: list hydrate=false, GET-by-id hydrate=true;
 *    create/update responses are hydrated.
 *  - Private secrets of other users: invisible in lists, 404 KeyError on GET/PUT/DELETE.
 *  - Name clash (public: any owner; private: same owner) → 409 EntityExistsError with ZenML's message.
 *  - Filters: `op:value` prefixes; SQLite semantics (equals case-sensitive; contains/startswith/endswith
 *    are LIKE: ASCII-case-insensitive, `%`/`_` are wildcards); `logical_operator=or` with no filter
 *    matches nothing (`or_(False)`); sort tie-break by id; page past the end → 400 ValueError.
 *
 * Choices where the spec is silent are marked "CHOICE:" below. Places where the brief (this project's
 * reading of the spec) and the real server disagree are switched by `mode`:
 *   mode 'spec' (default)  | mode 'zenml' (real ZenML 0.8x server)
 *   401 class "AuthorizationException"            | "CredentialsNotValid" (subclass the client re-logs in on)
 *   no/non-Bearer Authorization: ["AuthorizationException","Not authenticated"] | {"detail":"Not authenticated"}
 *   filter-model errors (page<1, size>10000, bad sort_by/op): FastAPI-style list with loc ["query",...]
 *                                                 | ["ValueError", "<str(pydantic ValidationError)>"] (make_dependable)
 *   login with a non-form body: 422 missing username/password | 400 "Invalid request: username is required."
 */
import { createHmac, randomBytes, randomUUID, timingSafeEqual } from 'node:crypto';
import * as http from 'node:http';
import { pythonB64DecodeError } from '../apolo/base64';
import { PyJsonDecodeError, pyJsonDumps, pyJsonLoads, pyLen, pyRepr } from '../apolo/pyjson';
import { FaultControl, FaultQueue, faultHeaders } from '../common/faults';
import { LocalServers } from '../common/http';
import { ALNUM, randomToken } from '../common/random';
import { LoggedRequestBase, queryRecord } from '../common/requests';
import { newStackState, seedStacks, stackRoutes, ZenmlStackState } from './stacks';

export type { FaultSpec } from '../common/faults';

// ---------------------------------------------------------------------------------------------
// Public API
// ---------------------------------------------------------------------------------------------

export interface ZenmlUserSpec {
  name: string;
  password: string;
  /** Default true. An inactive user cannot log in and its tokens/API keys are rejected (401). */
  active?: boolean;
  /** Reported in UserResponse.body.is_admin. CHOICE: default true for the first user only (ZenML's default admin). */
  isAdmin?: boolean;
}

export type ZenmlEmulatorMode = 'spec' | 'zenml';

export interface ZenmlEmulatorOptions {
  /** 0 (default) = a free port. Always bound to 127.0.0.1. */
  port?: number;
  /** Default: alice/alice-password, bob/bob-password. */
  users?: ZenmlUserSpec[];
  /** Demo secrets with random dummy values (see README). Default false. */
  seed?: boolean;
  /** Access-token lifetime (default 3600, ZenML's 60 min). Fractions allowed. */
  tokenTtlSeconds?: number;
  /** CHOICE: PyJWT leeway. ZenML's default is 10 s; here 0 so short-TTL tests need not sleep 10 s. */
  tokenLeewaySeconds?: number;
  /** Default `size` of GET /secrets (ZenML's PAGE_SIZE_DEFAULT = 20). */
  defaultPageSize?: number;
  /** ServerModel.version and GET /api/v1/version. Default "0.85.0". */
  serverVersion?: string;
  /** ServerModel.name. Default "zenml-emulator". */
  serverName?: string;
  /** See the header comment. Default 'spec'. */
  mode?: ZenmlEmulatorMode;
  /**
   * ZenML's login rate limiter (server default 5/min, 1000/day, per client IP, counting attempts
   * that reach the handler; a success resets the counter). CHOICE: OFF unless given here.
   */
  loginRateLimit?: { perMinute?: number; perDay?: number };
}

export interface LoggedRequest extends LoggedRequestBase {
  /** Decoded query; a repeated parameter becomes an array. */
  query: Record<string, string | string[]>;
}

export interface ZenmlStoredSecret {
  id: string;
  name: string;
  private: boolean;
  /** Owner (creator) user id. */
  userId: string;
  values: Record<string, string>;
  /** Naive UTC ISO timestamps as ZenML serialises them ("2026-05-01T10:00:00.123456"). */
  created: string;
  updated: string;
}

export interface ZenmlSetSecretSpec {
  name: string;
  values: Record<string, string>;
  private?: boolean;
  /** Owner username. Default: the first user. */
  user?: string;
}

export interface ZenmlEmulatorState {
  /** id → secret. Mutate freely (the server reads it on every request). */
  secrets: Map<string, ZenmlStoredSecret>;
  /**
   * Find by exact name. `private: true` → that user's private secret; `false` → the public one;
   * omitted → with `user`: that user's private secret first, then the public one; without `user`: any.
   */
  findByName(name: string, opts?: { private?: boolean; user?: string }): ZenmlStoredSecret | undefined;
  /** Create, or replace the values of the secret with the same name in the same scope. */
  setSecret(spec: ZenmlSetSecretSpec): ZenmlStoredSecret;
  deleteSecret(id: string): boolean;
  /** Secrets the user can see (public + own private), in creation order. */
  visibleTo(user: string): ZenmlStoredSecret[];
  /** Deactivate / reactivate a user (inactive: login and its tokens/keys → 401). */
  setUserActive(user: string, active: boolean): void;
  /** Revoke an API key (tokens obtained with it become invalid too). */
  revokeApiKey(key: string): boolean;
}

export interface ZenmlEmulator {
  /** http://127.0.0.1:PORT — the "server root" a user types. */
  url: string;
  users: Record<string, { id: string; password: string }>;
  /** username → a valid `ZENKEY_...` API key bound to that user. */
  apiKeys: Record<string, string>;
  makeApiKey(user: string): string;
  /** username → a currently valid access token (a fresh one on every read). */
  tokens: Record<string, string>;
  /** Make every access token issued so far invalid (401, as if expired). */
  expireAllTokens(): void;
  requests: LoggedRequest[];
  faults: FaultControl;
  state: ZenmlEmulatorState;
  /** Stacks and stack components (./stacks.ts). */
  stacks: ZenmlStackState;
  mode: ZenmlEmulatorMode;
  close(): Promise<void>;
}

export const DEFAULT_USERS: ZenmlUserSpec[] = [
  { name: 'alice', password: 'alice-password' },
  { name: 'bob', password: 'bob-password' },
];

// ZenML constants
export const STR_FIELD_MAX_LENGTH = 255;
export const TEXT_FIELD_MAX_LENGTH = 65535;
export const PAGE_SIZE_MAXIMUM = 10000;
export const ZENML_API_KEY_PREFIX = 'ZENKEY_';

const GRANT_TYPES = ['password', 'urn:ietf:params:oauth:grant-type:device_code', 'zenml-api-key', 'zenml-external'];
/** GenericFilterOps values, in enum order. */
const FILTER_OPS = ['equals', 'notequals', 'startswith', 'contains', 'endswith', 'oneof', 'gte', 'gt', 'lte', 'lt', 'in'];
const STR_OPS = ['equals', 'notequals', 'startswith', 'contains', 'endswith', 'oneof', 'gt', 'gte', 'lt', 'lte'];
const DATETIME_OPS = ['equals', 'notequals', 'gt', 'gte', 'lt', 'lte', 'in'];
const ONEOF_ERROR = "When you are using the 'oneof:' filtering make sure that the provided value is a json formatted list.";
const FILTERING_DATETIME_FORMAT = '%Y-%m-%d %H:%M:%S';
/** SecretFilter.model_fields in declaration order (BaseFilter, UserScopedFilter, SecretFilter). */
const FILTER_FIELDS = ['sort_by', 'logical_operator', 'page', 'size', 'id', 'created', 'updated', 'scope_user', 'user', 'name', 'private'];
const FILTER_EXCLUDE_FIELDS = ['sort_by', 'page', 'size', 'logical_operator', 'user', 'scope_user', 'values'];
const CUSTOM_SORTING_OPTIONS = ['user'];

// ---------------------------------------------------------------------------------------------
// Errors and responses
// ---------------------------------------------------------------------------------------------

interface Resp {
  status: number;
  /** JSON-serialised payload; undefined = no body. */
  body?: string;
  headers?: Record<string, string>;
}

interface Issue {
  type: string;
  loc: Array<string | number>;
  msg: string;
  input: unknown;
  ctx?: Record<string, unknown>;
}

class HttpError extends Error {
  constructor(
    readonly status: number,
    readonly payload: unknown,
    readonly headers: Record<string, string> = {},
    /** Send `payload` (a string) as text/plain instead of JSON. */
    readonly text = false,
  ) {
    super(`HTTP ${status}`);
  }
}

/** Starlette's ServerErrorMiddleware answer to an exception nothing handled. */
function internalServerError(): HttpError {
  return new HttpError(500, 'Internal Server Error', {}, true);
}

/** FastAPI RequestValidationError. */
class RequestValidation extends Error {
  constructor(readonly issues: Issue[]) {
    super('422');
  }
}

const JSON_CT = 'application/json';

function json(status: number, payload: unknown, headers: Record<string, string> = {}): Resp {
  return { status, body: JSON.stringify(payload === undefined ? null : payload), headers: { 'content-type': JSON_CT, ...headers } };
}

/** `http_exception_from_error`: `{"detail": [<matched class name>, str(error)]}`. */
function zenError(status: number, cls: string, message: string): HttpError {
  return new HttpError(status, { detail: [cls, message] });
}

/** str(KeyError(msg)) is the repr of msg. */
function keyError(message: string): HttpError {
  return zenError(404, 'KeyError', pyRepr(message));
}

function valueError(message: string): HttpError {
  return zenError(400, 'ValueError', message);
}

function reason(status: number): string {
  return ({ 422: 'Unprocessable Entity', 413: 'Request Entity Too Large' } as Record<number, string>)[status] ?? http.STATUS_CODES[status] ?? 'Unknown';
}

// ---------------------------------------------------------------------------------------------
// Python / pydantic value parsing
// ---------------------------------------------------------------------------------------------

const BOOL_TRUE = ['1', 'on', 't', 'true', 'y', 'yes'];
const BOOL_FALSE = ['0', 'off', 'f', 'false', 'n', 'no'];

/** pydantic v2 lax str → bool. */
function parseBoolStr(s: string): boolean | null {
  const l = s.toLowerCase();
  if (BOOL_TRUE.includes(l)) return true;
  if (BOOL_FALSE.includes(l)) return false;
  return null;
}

function boolIssue(loc: Array<string | number>, input: unknown): Issue {
  if (typeof input === 'string' || typeof input === 'number') {
    return { type: 'bool_parsing', loc, msg: 'Input should be a valid boolean, unable to interpret input', input };
  }
  return { type: 'bool_type', loc, msg: 'Input should be a valid boolean', input };
}

/** pydantic v2 lax (python-mode) bool for a JSON-decoded value. */
function laxBool(v: unknown, loc: Array<string | number>, issues: Issue[]): boolean | undefined {
  if (typeof v === 'boolean') return v;
  if (typeof v === 'number' && (v === 0 || v === 1)) return v === 1;
  if (typeof v === 'string') {
    const b = parseBoolStr(v);
    if (b !== null) return b;
  }
  issues.push(boolIssue(loc, v));
  return undefined;
}

/** pydantic v2 str → int (query parameters). */
function parseIntQuery(s: string, loc: Array<string | number>, issues: Issue[]): number | undefined {
  const t = s.trim();
  if (/^[+-]?\d+$/.test(t)) return Number(t);
  if (/^[+-]?\d+\.0*$/.test(t)) return Number(t);
  if (/^[+-]?(\d+\.\d*|\.\d+)$/.test(t)) {
    issues.push({ type: 'int_from_float', loc, msg: 'Input should be a valid integer, got a number with a fractional part', input: s });
    return undefined;
  }
  issues.push({ type: 'int_parsing', loc, msg: 'Input should be a valid integer, unable to parse string as an integer', input: s });
  return undefined;
}

/**
 * pydantic v2 UUID parsing (Rust `uuid` crate): the hyphenated lowercase form, or the crate's error text.
 */
export function parsePydanticUuid(input: string): { uuid: string } | { error: string } {
  const hex = (s: string) => /^[0-9a-fA-F]+$/.test(s);
  let inner: string | null = null;
  if (input.length === 32) inner = hex(input) ? input : null;
  else if (input.length === 36) inner = input;
  else if (input.length === 38 && input.startsWith('{') && input.endsWith('}')) inner = input.slice(1, -1);
  else if (input.length === 45 && input.startsWith('urn:uuid:')) inner = input.slice(9);
  if (inner !== null) {
    const plain = inner.length === 32 ? inner : /^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$/.test(inner) ? inner.replace(/-/g, '') : null;
    if (plain !== null && hex(plain)) {
      const l = plain.toLowerCase();
      return { uuid: `${l.slice(0, 8)}-${l.slice(8, 12)}-${l.slice(12, 16)}-${l.slice(16, 20)}-${l.slice(20)}` };
    }
  }
  // InvalidUuid::into_err
  let body = input;
  let offset = 0;
  let simple = true;
  if (input.length >= 2 && input.startsWith('{') && input.endsWith('}')) {
    body = input.slice(1, -1);
    offset = 1;
    simple = false;
  } else if (input.startsWith('urn:uuid:')) {
    body = input.slice(9);
    offset = 9;
    simple = false;
  }
  let hyphens = 0;
  const bounds: number[] = [];
  let byteIndex = 0;
  for (const ch of body) {
    if (ch.codePointAt(0)! > 0x7f) {
      return { error: `invalid character: expected an optional prefix of \`urn:uuid:\` followed by [0-9a-fA-F-], found \`${ch}\` at ${byteIndex + offset + 1}` };
    }
    if (ch === '-') {
      if (hyphens < 4) bounds.push(byteIndex);
      hyphens++;
    } else if (!/[0-9a-fA-F]/.test(ch)) {
      return { error: `invalid character: expected an optional prefix of \`urn:uuid:\` followed by [0-9a-fA-F-], found \`${ch}\` at ${byteIndex + offset + 1}` };
    }
    byteIndex += Buffer.byteLength(ch);
  }
  if (hyphens === 0 && simple) return { error: `invalid length: expected length 32 for simple format, found ${Buffer.byteLength(input)}` };
  if (hyphens !== 4) return { error: `invalid group count: expected 5, found ${hyphens + 1}` };
  const starts = [0, 9, 14, 19, 24];
  const expected = [8, 4, 4, 4, 12];
  for (let i = 0; i < 4; i++) {
    if (bounds[i] !== starts[i + 1]! - 1) {
      return { error: `invalid group length in group ${i}: expected ${expected[i]}, found ${bounds[i]! - starts[i]!}` };
    }
  }
  return { error: `invalid group length in group 4: expected 12, found ${Buffer.byteLength(input) - starts[4]!}` };
}

function uuidIssue(loc: Array<string | number>, input: unknown): Issue | string {
  if (typeof input !== 'string') {
    return { type: 'uuid_type', loc, msg: 'UUID input should be a string, bytes or UUID object', input };
  }
  const r = parsePydanticUuid(input);
  if ('uuid' in r) return r.uuid;
  return { type: 'uuid_parsing', loc, msg: `Input should be a valid UUID, ${r.error}`, input, ctx: { error: r.error } };
}

/** Python `uuid.UUID(str)`: 32 hex digits after dropping "urn:", "uuid:", braces and hyphens. Returns hex or null. */
function pythonUuidHex(s: string): string | null {
  const h = s.replace('urn:', '').replace('uuid:', '').replace(/^[{}]+|[{}]+$/g, '').replace(/-/g, '');
  return /^[0-9a-fA-F]{32}$/.test(h) ? h.toLowerCase() : null;
}

/** Python `float(str)`, or null. */
function pythonFloat(s: string): number | null {
  const t = s.trim().replace(/(?<=\d)_(?=\d)/g, '');
  if (/^[+-]?(inf|infinity)$/i.test(t)) return t.startsWith('-') ? -Infinity : Infinity;
  if (/^[+-]?nan$/i.test(t)) return NaN;
  if (/^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/.test(t)) return Number(t);
  return null;
}

/** SQLite `CAST(text AS REAL)`: the longest numeric prefix, else 0. */
function sqliteReal(s: string): number {
  const m = /^\s*[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?/.exec(s);
  return m ? Number(m[0]) : 0;
}

/** SQLite LIKE (no ESCAPE): `%` any run, `_` one character, ASCII letters case-insensitive. */
function sqliteLike(value: string, pattern: string): boolean {
  const fold = (c: string) => (c.length === 1 && c >= 'A' && c <= 'Z' ? c.toLowerCase() : c);
  const v = [...value].map(fold);
  const p = [...pattern].map(fold);
  const memo = new Map<number, boolean>();
  const rec = (i: number, j: number): boolean => {
    const key = i * (v.length + 1) + j;
    const hit = memo.get(key);
    if (hit !== undefined) return hit;
    let r: boolean;
    if (i === p.length) r = j === v.length;
    else if (p[i] === '%') r = rec(i + 1, j) || (j < v.length && rec(i, j + 1));
    else if (j < v.length && (p[i] === '_' || p[i] === v[j])) r = rec(i + 1, j + 1);
    else r = false;
    memo.set(key, r);
    return r;
  };
  return rec(0, 0);
}

/** SQLite BINARY collation: UTF-8 byte order. */
function cmpBinary(a: string, b: string): number {
  return Buffer.compare(Buffer.from(a, 'utf8'), Buffer.from(b, 'utf8'));
}

/** Naive-UTC ISO timestamp → microseconds since the epoch. */
function isoToMicros(iso: string): number {
  const m = /^(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2})(?:\.(\d{1,6}))?/.exec(iso);
  if (!m) return NaN;
  return Date.parse(`${m[1]}Z`) * 1000 + Number((m[2] ?? '').padEnd(6, '0') || '0');
}

function microsToIso(us: number): string {
  const ms = Math.floor(us / 1000);
  const micro = us - ms * 1000 + (ms % 1000) * 1000;
  const base = new Date(ms).toISOString().slice(0, 19);
  return micro === 0 ? base : `${base}.${String(micro).padStart(6, '0')}`;
}

/** pydantic v2 datetime from a query string (FastAPI's left-to-right `Union[datetime, str]`), or null. */
function pydanticDatetime(s: string): number | null {
  if (/^\d+(\.\d+)?$/.test(s)) {
    let secs = Number(s);
    if (secs > 2e10) secs /= 1000;
    return Math.round(secs * 1e6);
  }
  const m = /^(\d{4})-(\d{2})-(\d{2})(?:[Tt ](\d{2}):(\d{2})(?::(\d{2})(?:[.,](\d{1,6}))?)?)?(Z|z|[+-]\d{2}:?\d{2})?$/.exec(s);
  if (!m) return null;
  const [, y, mo, d, h = '00', mi = '00', se = '00', frac = '', tz] = m;
  let ms = Date.UTC(Number(y), Number(mo) - 1, Number(d), Number(h), Number(mi), Number(se));
  const check = new Date(ms);
  if (check.getUTCDate() !== Number(d) || check.getUTCMonth() !== Number(mo) - 1 || Number(h) > 23 || Number(mi) > 59 || Number(se) > 59) return null;
  if (tz && tz.toUpperCase() !== 'Z') {
    const sign = tz.startsWith('-') ? -1 : 1;
    const digits = tz.slice(1).replace(':', '');
    ms -= sign * (Number(digits.slice(0, 2)) * 60 + Number(digits.slice(2))) * 60000;
  }
  return ms * 1000 + Number(frac.padEnd(6, '0') || '0');
}

/** `datetime.strptime(value, "%Y-%m-%d %H:%M:%S")`, or null. */
function strptimeFilter(s: string): number | null {
  const m = /^(\d{4})-(\d{1,2})-(\d{1,2}) (\d{1,2}):(\d{1,2}):(\d{1,2})$/.exec(s);
  if (!m) return null;
  const [y, mo, d, h, mi, se] = m.slice(1).map(Number) as [number, number, number, number, number, number];
  const ms = Date.UTC(y, mo - 1, d, h, mi, se);
  const c = new Date(ms);
  if (c.getUTCFullYear() !== y || c.getUTCMonth() !== mo - 1 || c.getUTCDate() !== d || h > 23 || mi > 59 || se > 61) return null;
  return ms * 1000;
}

type Plain = null | boolean | number | string | Plain[] | { [k: string]: Plain };

/** pyJsonLoads output (Maps) → plain JS (own properties, so "__proto__" stays a key). */
function toPlain(v: unknown): Plain {
  if (v instanceof Map) return Object.fromEntries([...(v as Map<string, unknown>).entries()].map(([k, x]) => [k, toPlain(x)]));
  if (Array.isArray(v)) return v.map(toPlain);
  if (typeof v === 'number') return Number.isFinite(v) ? v : null;
  if (v === null || typeof v === 'boolean' || typeof v === 'string') return v;
  return null;
}

function isObject(v: unknown): v is { [k: string]: Plain } {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** Python repr of a JSON-ish value (for pydantic error texts in mode 'zenml'). */
function pyReprValue(v: unknown): string {
  if (v === null || v === undefined) return 'None';
  if (v === true) return 'True';
  if (v === false) return 'False';
  if (typeof v === 'number') return String(v);
  if (typeof v === 'string') return pyRepr(v);
  if (Array.isArray(v)) return `[${v.map(pyReprValue).join(', ')}]`;
  return `{${Object.entries(v as object).map(([k, x]) => `${pyRepr(k)}: ${pyReprValue(x)}`).join(', ')}}`;
}

function pyTypeName(v: unknown): string {
  if (v === null || v === undefined) return 'NoneType';
  if (typeof v === 'boolean') return 'bool';
  if (typeof v === 'number') return Number.isInteger(v) ? 'int' : 'float';
  if (typeof v === 'string') return 'str';
  if (Array.isArray(v)) return 'list';
  return 'dict';
}

/** `str(pydantic_core.ValidationError)` (pydantic 2.11 layout). */
function pydanticErrorText(model: string, issues: Issue[]): string {
  const lines = [`${issues.length} validation error${issues.length === 1 ? '' : 's'} for ${model}`];
  for (const i of issues) {
    if (i.loc.length) lines.push(i.loc.join('.'));
    lines.push(`  ${i.msg} [type=${i.type}, input_value=${pyReprValue(i.input)}, input_type=${pyTypeName(i.input)}]`);
    lines.push(`    For further information visit https://errors.pydantic.dev/2.11/v/${i.type}`);
  }
  return lines.join('\n');
}

/** Python `str.split(":", 1)` op resolution of BaseFilter._resolve_operator. */
function resolveOperator(value: string): { op: string; value: string } {
  const i = value.indexOf(':');
  if (i !== -1 && FILTER_OPS.includes(value.slice(0, i))) return { op: value.slice(0, i), value: value.slice(i + 1) };
  return { op: 'equals', value };
}

function opNotAllowed(op: string, allowed: string[]): string {
  // CHOICE: the real text is a nested pydantic error listing enum reprs; this keeps its core sentence.
  return `This datatype can not be filtered using this operation: '${op}'. The allowed operations are: [${allowed.map((a) => `'${a}'`).join(', ')}]`;
}

// ---------------------------------------------------------------------------------------------
// Filter model (SecretFilter)
// ---------------------------------------------------------------------------------------------

interface Cond {
  column: 'id' | 'name' | 'created' | 'updated' | 'private' | 'user';
  op: string;
  /** string for str/uuid ops, number[] micros for datetime, boolean for private, unknown[] for oneof. */
  value: unknown;
}

interface FilterModel {
  sortColumn: string;
  sortDesc: boolean;
  logicalOr: boolean;
  page: number;
  size: number;
  conds: Cond[];
  /** `user` custom filter value. */
  user?: string;
}

class ModelValidation extends Error {
  constructor(
    readonly issues: Issue[],
    readonly model: string,
  ) {
    super('model validation');
  }
}

// ---------------------------------------------------------------------------------------------
// Emulator
// ---------------------------------------------------------------------------------------------

interface UserRec {
  id: string;
  name: string;
  password: string;
  active: boolean;
  isAdmin: boolean;
  created: string;
  updated: string;
}

interface ApiKeyRec {
  id: string;
  name: string;
  key: string;
  userId: string;
  active: boolean;
}

interface AuthInfo {
  user: UserRec;
  apiKey?: ApiKeyRec;
}

interface Ctx {
  req: http.IncomingMessage;
  method: string;
  path: string;
  params: Record<string, string>;
  /** Last value wins (Starlette QueryParams.get). */
  query: Map<string, string>;
  body: Buffer;
}

interface Route {
  method: string;
  re: RegExp;
  keys: string[];
  handler: (ctx: Ctx) => Resp | Promise<Resp>;
}

function route(method: string, template: string, handler: Route['handler']): Route {
  const keys: string[] = [];
  const src = template
    .split(/(\{[^}]+\})/)
    .map((part) => {
      const m = /^\{([^}:]+)(:path)?\}$/.exec(part);
      if (!m) return part.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
      keys.push(m[1]!);
      return m[2] ? '(.*)' : '([^/]+)';
    })
    .join('');
  return { method, re: new RegExp(`^${src}$`), keys, handler };
}

/** `urllib.parse.unquote` as uvicorn applies it to the path (invalid UTF-8 → U+FFFD). */
function unquotePath(raw: string): string {
  if (!raw.includes('%')) return raw;
  const bytes: number[] = [];
  for (let i = 0; i < raw.length; i++) {
    if (raw[i] === '%' && /^[0-9a-fA-F]{2}$/.test(raw.slice(i + 1, i + 3))) {
      bytes.push(parseInt(raw.slice(i + 1, i + 3), 16));
      i += 2;
    } else {
      for (const b of Buffer.from(raw[i]!, 'utf8')) bytes.push(b);
    }
  }
  return Buffer.from(bytes).toString('utf8');
}

export async function startZenmlEmulator(opts: ZenmlEmulatorOptions = {}): Promise<ZenmlEmulator> {
  const mode: ZenmlEmulatorMode = opts.mode ?? 'spec';
  const tokenTtl = opts.tokenTtlSeconds ?? 3600;
  const leeway = opts.tokenLeewaySeconds ?? 0;
  const defaultPageSize = opts.defaultPageSize ?? 20;
  const serverVersion = opts.serverVersion ?? '0.85.0';
  const serverName = opts.serverName ?? 'zenml-emulator';
  const serverId = randomUUID();
  const jwtSecret = randomBytes(32).toString('hex');
  const requests: LoggedRequest[] = [];
  // CHOICE: a fault body defaults to `{"detail":"<reason phrase>"}` (what Starlette sends for HTTPException(status)).
  const faults = new FaultQueue({ faultBody: (s) => JSON.stringify({ detail: reason(s) }), jsonContentType: JSON_CT });
  const servers = new LocalServers();
  let tokenGeneration = 0;
  let url = '';

  // --- clock: strictly increasing microsecond timestamps (DB rows never tie on `created`) ---
  let lastMicros = 0;
  const nowIso = (): string => {
    lastMicros = Math.max(lastMicros + 1, Date.now() * 1000);
    return microsToIso(lastMicros);
  };

  // --- users ---
  const usersById = new Map<string, UserRec>();
  const usersByName = new Map<string, UserRec>();
  const specs = opts.users ?? DEFAULT_USERS;
  specs.forEach((u, i) => {
    if (usersByName.has(u.name)) throw new Error(`duplicate user ${u.name}`);
    const t = nowIso();
    const rec: UserRec = {
      id: randomUUID(),
      name: u.name,
      password: u.password,
      active: u.active ?? true,
      isAdmin: u.isAdmin ?? i === 0,
      created: t,
      updated: t,
    };
    usersById.set(rec.id, rec);
    usersByName.set(rec.name, rec);
  });
  const userByName = (name: string): UserRec => {
    const u = usersByName.get(name);
    if (!u) throw new Error(`unknown user ${name}`);
    return u;
  };
  const firstUser = (): UserRec => {
    const u = usersById.values().next().value as UserRec | undefined;
    if (!u) throw new Error('the emulator has no users');
    return u;
  };

  // --- API keys ---
  const apiKeysById = new Map<string, ApiKeyRec>();
  const makeApiKey = (user: string): string => {
    const u = userByName(user);
    const rec: ApiKeyRec = {
      id: randomUUID(),
      name: `${u.name}-key-${apiKeysById.size + 1}`,
      key: randomBytes(24).toString('base64url'),
      userId: u.id,
      active: true,
    };
    apiKeysById.set(rec.id, rec);
    // APIKey.encode(): base64(model_dump_json()) — pydantic's compact JSON.
    return ZENML_API_KEY_PREFIX + Buffer.from(JSON.stringify({ id: rec.id, key: rec.key })).toString('base64');
  };
  const apiKeys: Record<string, string> = {};
  for (const u of usersByName.values()) apiKeys[u.name] = makeApiKey(u.name);

  // --- tokens (HS256 JWT like ZenML's JWTToken) ---
  const signToken = (user: UserRec, apiKey?: ApiKeyRec): string => {
    const nowSec = Date.now() / 1000;
    const claims: Record<string, unknown> = {
      sub: user.id,
      iss: serverId,
      aud: serverId,
      // CHOICE: a fractional NumericDate (RFC 7519 allows it) so sub-second TTLs in tests are exact.
      exp: Math.round((nowSec + tokenTtl) * 1000) / 1000,
      gen: tokenGeneration,
    };
    if (apiKey) claims.api_key_id = apiKey.id;
    const enc = (o: unknown) => Buffer.from(JSON.stringify(o)).toString('base64url');
    const head = `${enc({ alg: 'HS256', typ: 'JWT' })}.${enc(claims)}`;
    return `${head}.${createHmac('sha256', jwtSecret).update(head).digest('base64url')}`;
  };

  /** PyJWT `jwt.decode` failures, with PyJWT's messages. */
  const decodeToken = (token: string): Record<string, unknown> => {
    const last = token.lastIndexOf('.');
    const first = token.indexOf('.');
    if (last === -1 || first === last) throw new Error('Not enough segments');
    const [h, p, s] = [token.slice(0, first), token.slice(first + 1, last), token.slice(last + 1)];
    const seg = (x: string, what: string): Buffer => {
      const clean = x.replace(/[^A-Za-z0-9_-]/g, '');
      if (clean.length % 4 === 1) throw new Error(`Invalid ${what} padding`);
      return Buffer.from(clean, 'base64url');
    };
    const parseObj = (b: Buffer, what: string): Record<string, unknown> => {
      let v: unknown;
      try {
        v = JSON.parse(b.toString('utf8'));
      } catch (e) {
        throw new Error(`Invalid ${what} string: ${(e as Error).message}`);
      }
      if (!isObject(v)) throw new Error(`Invalid ${what} string: must be a json object`);
      return v;
    };
    const header = parseObj(seg(h, 'header'), 'header');
    const payload = parseObj(seg(p, 'payload'), 'payload');
    const sig = seg(s, 'crypto');
    if (header.alg !== 'HS256') throw new Error('The specified alg value is not allowed');
    const expected = createHmac('sha256', jwtSecret).update(`${h}.${p}`).digest();
    if (sig.length !== expected.length || !timingSafeEqual(sig, expected)) throw new Error('Signature verification failed');
    if (typeof payload.exp !== 'number') throw new Error('Expiration Time claim (exp) must be an integer.');
    if (payload.exp <= Date.now() / 1000 - leeway) throw new Error('Signature has expired');
    // expireAllTokens(): tokens of an older generation are reported exactly like expired ones.
    if (payload.gen !== tokenGeneration) throw new Error('Signature has expired');
    if (payload.aud !== serverId) throw new Error("Audience doesn't match");
    if (payload.iss !== serverId) throw new Error('Invalid issuer');
    return payload;
  };

  const credentialsError = (message: string): HttpError =>
    zenError(401, mode === 'zenml' ? 'CredentialsNotValid' : 'AuthorizationException', message);

  const verifyApiKey = (id: string, keyToVerify: string | undefined): ApiKeyRec => {
    const rec = apiKeysById.get(id);
    if (!rec) throw credentialsError(`Authentication error: error retrieving API key ${id}`);
    const owner = usersById.get(rec.userId);
    if (!owner || !owner.active) {
      throw credentialsError(`Authentication error: service account ${owner?.name ?? rec.userId} associated with API key ${rec.name} is not active`);
    }
    if (!rec.active) {
      throw credentialsError(`Authentication error: API key ${rec.name} associated with service account ${owner.name} is not active`);
    }
    // CHOICE: the real server skips this check for an EMPTY key value (`if key_to_verify and ...`);
    // the emulator always verifies.
    if (keyToVerify === undefined || keyToVerify !== rec.key) {
      throw credentialsError(`Authentication error: could not verify key value for API key ${rec.name}`);
    }
    return rec;
  };

  /** The `Security(authorize)` dependency (oauth2_authentication). */
  const authenticate = (ctx: Ctx): AuthInfo => {
    const header = ctx.req.headers.authorization;
    const sp = header === undefined ? -1 : header.indexOf(' ');
    const scheme = header === undefined ? '' : sp === -1 ? header : header.slice(0, sp);
    if (!header || scheme.toLowerCase() !== 'bearer') {
      // fastapi.security.OAuth2PasswordBearer (auto_error) — CHOICE for 'spec': ZenML's list form.
      const detail = mode === 'zenml' ? 'Not authenticated' : ['AuthorizationException', 'Not authenticated'];
      throw new HttpError(401, { detail }, { 'www-authenticate': 'Bearer' });
    }
    const token = sp === -1 ? '' : header.slice(sp + 1);
    let claims: Record<string, unknown>;
    try {
      claims = decodeToken(token);
    } catch (e) {
      throw credentialsError(`Authentication error: error decoding access token: Invalid JWT token: ${(e as Error).message}.`);
    }
    const user = usersById.get(String(claims.sub));
    if (!user) throw credentialsError(`Authentication error: error retrieving token account ${String(claims.sub)}`);
    if (!user.active) throw credentialsError(`Authentication error: account ${user.name} is not active`);
    let apiKey: ApiKeyRec | undefined;
    if (typeof claims.api_key_id === 'string') {
      const rec = apiKeysById.get(claims.api_key_id);
      apiKey = verifyApiKey(claims.api_key_id, rec?.key);
    }
    return { user, apiKey };
  };

  // --- secrets state ---
  const secrets = new Map<string, ZenmlStoredSecret>();
  const ownerOf = (s: ZenmlStoredSecret): UserRec | undefined => usersById.get(s.userId);

  /** SqlZenStore._check_sql_secret_scope → (exists, message). */
  const scopeClash = (name: string, isPrivate: boolean, userId: string, excludeId?: string): string | null => {
    for (const s of secrets.values()) {
      if (s.name !== name || s.private !== isPrivate) continue;
      if (isPrivate && s.userId !== userId) continue;
      if (excludeId !== undefined && s.id === excludeId) continue;
      let msg = `Found an existing ${isPrivate ? 'private' : 'public'} secret with the same '${name}' name`;
      if (isPrivate) msg += ` for the same '${ownerOf(s)?.name ?? s.userId}' user`;
      return msg;
    }
    return null;
  };

  /** SecretSchema._dump_secret_values: base64(json.dumps(values)) must fit TEXT_FIELD_MAX_LENGTH. */
  const checkValuesSize = (values: Record<string, string>): void => {
    const n = Buffer.byteLength(pyJsonDumps(values));
    if (Math.ceil(n / 3) * 4 > TEXT_FIELD_MAX_LENGTH) {
      throw valueError(
        'Database representation of secret values exceeds max length. Please use fewer values or consider using shorter secret keys and/or values.',
      );
    }
  };

  const state: ZenmlEmulatorState = {
    secrets,
    findByName(name, o = {}) {
      const uid = o.user !== undefined ? userByName(o.user).id : undefined;
      const all = [...secrets.values()].filter((s) => s.name === name);
      if (o.private === true) return all.find((s) => s.private && (uid === undefined || s.userId === uid));
      if (o.private === false) return all.find((s) => !s.private);
      if (uid !== undefined) return all.find((s) => s.private && s.userId === uid) ?? all.find((s) => !s.private);
      return all[0];
    },
    setSecret(spec) {
      const owner = spec.user !== undefined ? userByName(spec.user) : firstUser();
      const isPrivate = spec.private ?? false;
      const existing = [...secrets.values()].find(
        (s) => s.name === spec.name && s.private === isPrivate && (!isPrivate || s.userId === owner.id),
      );
      const t = nowIso();
      if (existing) {
        existing.values = { ...spec.values };
        existing.updated = t;
        return existing;
      }
      const s: ZenmlStoredSecret = { id: randomUUID(), name: spec.name, private: isPrivate, userId: owner.id, values: { ...spec.values }, created: t, updated: t };
      secrets.set(s.id, s);
      return s;
    },
    deleteSecret: (id) => secrets.delete(id),
    visibleTo(user) {
      const uid = userByName(user).id;
      return [...secrets.values()].filter((s) => !s.private || s.userId === uid);
    },
    setUserActive(user, active) {
      userByName(user).active = active;
    },
    revokeApiKey(key) {
      for (const rec of apiKeysById.values()) {
        if (ZENML_API_KEY_PREFIX + Buffer.from(JSON.stringify({ id: rec.id, key: rec.key })).toString('base64') === key) {
          return apiKeysById.delete(rec.id);
        }
      }
      return false;
    },
  };

  // --- response models ---
  const userResponse = (u: UserRec, hydrate: boolean): unknown => ({
    id: u.id,
    name: u.name,
    permission_denied: false,
    body: {
      created: u.created,
      updated: u.updated,
      active: u.active,
      activation_token: null,
      full_name: '',
      email_opted_in: null,
      is_service_account: false,
      is_admin: u.isAdmin,
      default_project_id: null,
      avatar_url: null,
    },
    metadata: hydrate ? { email: null, external_user_id: null, user_metadata: {} } : null,
    resources: hydrate ? {} : null,
  });

  const secretResponse = (s: ZenmlStoredSecret, hydrate: boolean, withValues: boolean): unknown => {
    const owner = ownerOf(s);
    return {
      id: s.id,
      name: s.name,
      permission_denied: false,
      body: {
        created: s.created,
        updated: s.updated,
        user_id: s.userId,
        private: s.private,
        values: withValues ? { ...s.values } : {},
      },
      metadata: hydrate ? {} : null,
      resources: { user: owner ? userResponse(owner, false) : null },
    };
  };

  /** SqlZenStore.get_secret visibility: 404 for unknown ids and other users' private secrets. */
  const getVisible = (id: string, me: UserRec): ZenmlStoredSecret => {
    const s = secrets.get(id);
    if (!s || (s.private && s.userId !== me.id)) {
      throw keyError(`Secret with ID ${id} not found or is private and not owned by the current user.`);
    }
    return s;
  };

  // --- request parsing helpers ---

  const pathUuid = (ctx: Ctx, name: string, issues: Issue[]): string | undefined => {
    const r = uuidIssue(['path', name], ctx.params[name]);
    if (typeof r === 'string') return r;
    issues.push(r);
    return undefined;
  };

  const queryBool = (ctx: Ctx, name: string, dflt: boolean, issues: Issue[]): boolean => {
    const raw = ctx.query.get(name);
    if (raw === undefined) return dflt;
    const b = parseBoolStr(raw);
    if (b === null) {
      issues.push(boolIssue(['query', name], raw));
      return dflt;
    }
    return b;
  };

  /** FastAPI JSON body → plain value, or Issues. `undefined` = no body. */
  const readJsonBody = (ctx: Ctx): { value: Plain | undefined; raw: boolean } => {
    if (ctx.body.length === 0) return { value: undefined, raw: false };
    const ct = String(ctx.req.headers['content-type'] ?? '');
    const main = ct.split(';')[0]!.trim().toLowerCase();
    const isJson = ct === '' || (main.startsWith('application/') && (main === 'application/json' || main.endsWith('+json')));
    if (!isJson) {
      // FastAPI passes the raw bytes on; the model then rejects them.
      return { value: ctx.body.toString('utf8'), raw: true };
    }
    let text: string;
    try {
      let buf = ctx.body;
      if (buf[0] === 0xef && buf[1] === 0xbb && buf[2] === 0xbf) buf = buf.subarray(3);
      text = new TextDecoder('utf-8', { fatal: true }).decode(buf);
    } catch {
      throw new HttpError(400, { detail: 'There was an error parsing the body' });
    }
    try {
      return { value: toPlain(pyJsonLoads(text)), raw: false };
    } catch (e) {
      if (e instanceof PyJsonDecodeError) {
        const m = /^(.*): line \d+ column \d+ \(char (\d+)\)$/s.exec(e.message);
        throw new RequestValidation([
          { type: 'json_invalid', loc: ['body', Number(m?.[2] ?? 0)], msg: 'JSON decode error', input: {}, ctx: { error: m?.[1] ?? e.message } },
        ]);
      }
      throw e;
    }
  };

  interface SecretBody {
    name?: string | null;
    private?: boolean | null;
    values?: Record<string, string | null> | null;
  }

  /** pydantic validation of SecretRequest (`update` false) / SecretUpdate (`update` true). */
  const validateSecretBody = (value: Plain | undefined, raw: boolean, update: boolean, issues: Issue[]): SecretBody | undefined => {
    if (value === undefined || (value === null && !raw)) {
      issues.push({ type: 'missing', loc: ['body'], msg: 'Field required', input: null });
      return undefined;
    }
    if (raw || !isObject(value)) {
      issues.push({ type: 'model_attributes_type', loc: ['body'], msg: 'Input should be a valid dictionary or object to extract fields from', input: value });
      return undefined;
    }
    const out: SecretBody = {};
    const has = (k: string) => Object.prototype.hasOwnProperty.call(value, k);
    if (!update && has('user') && value.user !== null) {
      // UserScopedRequest.user: Optional[UUID]; validated, then ignored (the server sets it).
      const r = uuidIssue(['body', 'user'], value.user);
      if (typeof r !== 'string') issues.push(r);
    }
    if (!has('name')) {
      if (!update) issues.push({ type: 'missing', loc: ['body', 'name'], msg: 'Field required', input: value });
    } else if (value.name === null && update) {
      out.name = null;
    } else if (typeof value.name !== 'string') {
      issues.push({ type: 'string_type', loc: ['body', 'name'], msg: 'Input should be a valid string', input: value.name });
    } else if (pyLen(value.name) > STR_FIELD_MAX_LENGTH) {
      issues.push({
        type: 'string_too_long',
        loc: ['body', 'name'],
        msg: `String should have at most ${STR_FIELD_MAX_LENGTH} characters`,
        input: value.name,
        ctx: { max_length: STR_FIELD_MAX_LENGTH },
      });
    } else {
      out.name = value.name;
    }
    if (has('private')) {
      if (value.private === null && update) out.private = null;
      else {
        const b = laxBool(value.private, ['body', 'private'], issues);
        if (b !== undefined) out.private = b;
      }
    }
    if (has('values')) {
      const v = value.values;
      if (v === null && update) out.values = null;
      else if (!isObject(v)) issues.push({ type: 'dict_type', loc: ['body', 'values'], msg: 'Input should be a valid dictionary', input: v });
      else {
        const entries: Array<[string, string | null]> = [];
        for (const [k, x] of Object.entries(v)) {
          if (x === null || typeof x === 'string') entries.push([k, x]);
          else issues.push({ type: 'string_type', loc: ['body', 'values', k], msg: 'Input should be a valid string', input: x });
        }
        out.values = Object.fromEntries(entries);
      }
    }
    return out;
  };

  const modelIssue = (message: string, input: unknown, loc: Array<string | number> = []): Issue => ({
    type: 'value_error',
    loc,
    msg: `Value error, ${message}`,
    input,
    ctx: { error: {} },
  });

  /** `make_dependable` turning a pydantic ValidationError of the filter model into a 422. */
  const modelValidationError = (e: ModelValidation): HttpError => {
    if (mode === 'zenml') return zenError(422, 'ValueError', pydanticErrorText(e.model, e.issues));
    return new HttpError(422, { detail: e.issues.map((i) => ({ ...i, loc: ['query', ...i.loc] })) });
  };

  /**
   * SecretFilter(**params): the `filter_ops` before-validator (operators and filter values), then the
   * field validators (sort_by, page ≥ 1, 1 ≤ size ≤ 10000). Throws ModelValidation.
   */
  const buildFilterModel = (p: {
    sort_by: string;
    logical_operator: string;
    page: number;
    size: number;
    id?: string;
    created?: string;
    updated?: string;
    scope_user?: string;
    user?: string;
    name?: string;
    private?: boolean;
  }): FilterModel => {
    const echo: Record<string, unknown> = {};
    for (const f of FILTER_FIELDS) echo[f] = (p as Record<string, unknown>)[f] ?? null;
    const fail = (message: string): never => {
      throw new ModelValidation([modelIssue(message, echo)], 'SecretFilter');
    };
    const conds: Cond[] = [];
    // filter_ops, in field order: id, created, updated, name, private.
    if (p.id !== undefined) {
      const { op, value } = resolveOperator(p.id);
      let list: unknown[] | undefined;
      if (op === 'oneof') list = parseOneOf(value) ?? fail(ONEOF_ERROR);
      if (op === 'equals' && pythonUuidHex(value) === null) fail('Invalid value passed as UUID query parameter.');
      if (!STR_OPS.includes(op)) fail(opNotAllowed(op, STR_OPS));
      // UUIDFilter strips hyphens so that string ops compare against the stored 32-hex form.
      const stripped = list ? list.map((x) => (typeof x === 'string' ? x.replace(/-/g, '') : x)) : value.replace(/-/g, '');
      conds.push({ column: 'id', op, value: op === 'equals' || op === 'notequals' ? value : stripped });
    }
    for (const column of ['created', 'updated'] as const) {
      const raw = p[column];
      if (raw === undefined) continue;
      const asDate = pydanticDatetime(raw);
      if (asDate !== null) {
        // FastAPI already turned it into a datetime: no operator parsing, equals.
        conds.push({ column, op: 'equals', value: [asDate] });
        continue;
      }
      const { op, value } = resolveOperator(raw);
      if (op === 'oneof') {
        if (parseOneOf(value) === undefined) fail(ONEOF_ERROR);
        // A JSON list reaches `datetime.strptime(list, ...)`: a TypeError pydantic does not wrap,
        // raised outside handle_exceptions → Starlette's plain 500.
        throw internalServerError();
      }
      let bounds: number[];
      if (value.includes(',')) {
        const [lo, hi] = [value.slice(0, value.indexOf(',')), value.slice(value.indexOf(',') + 1)];
        const a = strptimeFilter(lo);
        const b = strptimeFilter(hi);
        if (a === null || b === null) fail(`The datetime filter only works with values in the following format: ${FILTERING_DATETIME_FORMAT}`);
        bounds = [a!, b!];
      } else {
        const a = strptimeFilter(value);
        if (a === null) fail(`The datetime filter only works with values in the following format: ${FILTERING_DATETIME_FORMAT}`);
        bounds = [a!];
      }
      if (op === 'in' && bounds.length !== 2) fail('Two comma separated datetime values are required for the `in` operator.');
      if (op !== 'in' && bounds.length !== 1) fail(`Only a single datetime value is allowed for operator ${op}.`);
      if (!DATETIME_OPS.includes(op)) fail(opNotAllowed(op, DATETIME_OPS));
      conds.push({ column, op, value: bounds });
    }
    if (p.name !== undefined) {
      const { op, value } = resolveOperator(p.name);
      let list: unknown[] | undefined;
      if (op === 'oneof') list = parseOneOf(value) ?? fail(ONEOF_ERROR);
      if (!STR_OPS.includes(op)) fail(opNotAllowed(op, STR_OPS));
      conds.push({ column: 'name', op, value: list ?? value });
    }
    if (p.private !== undefined) conds.push({ column: 'private', op: 'equals', value: p.private });
    // `user` is excluded from filter_ops: it is a custom filter, resolved at query time.

    // Field validators, collected in field order.
    const issues: Issue[] = [];
    let sortColumn = p.sort_by;
    let sortDesc = false;
    {
      const v = p.sort_by;
      let column = v;
      let shown = v;
      const i = v.indexOf(':');
      if (i !== -1) {
        column = v.slice(i + 1);
        const opPart = v.slice(0, i);
        if (opPart === 'desc') sortDesc = true;
        else if (opPart !== 'asc') shown = column; // warning, then asc on the column
      }
      if (CUSTOM_SORTING_OPTIONS.includes(column)) {
        /* ok */
      } else if (FILTER_EXCLUDE_FIELDS.includes(column)) {
        issues.push(modelIssue(`This resource can not be sorted by this field: '${shown}'`, v, ['sort_by']));
      } else if (!FILTER_FIELDS.includes(column)) {
        issues.push(modelIssue('You can only sort by valid fields of this resource', v, ['sort_by']));
      }
      sortColumn = column;
    }
    if (p.page < 1) {
      issues.push({ type: 'greater_than_equal', loc: ['page'], msg: 'Input should be greater than or equal to 1', input: p.page, ctx: { ge: 1 } });
    }
    if (p.size < 1) {
      issues.push({ type: 'greater_than_equal', loc: ['size'], msg: 'Input should be greater than or equal to 1', input: p.size, ctx: { ge: 1 } });
    } else if (p.size > PAGE_SIZE_MAXIMUM) {
      issues.push({
        type: 'less_than_equal',
        loc: ['size'],
        msg: `Input should be less than or equal to ${PAGE_SIZE_MAXIMUM}`,
        input: p.size,
        ctx: { le: PAGE_SIZE_MAXIMUM },
      });
    }
    if (issues.length) throw new ModelValidation(issues, 'SecretFilter');
    return { sortColumn, sortDesc, logicalOr: p.logical_operator === 'or', page: p.page, size: p.size, conds, user: p.user };
  };

  function parseOneOf(value: string): unknown[] | undefined {
    try {
      const v = toPlain(pyJsonLoads(value));
      return Array.isArray(v) ? v : undefined;
    } catch {
      return undefined;
    }
  }

  /** Build the per-row predicate (may throw the store's 400 ValueError for numeric ops). */
  const compileCond = (c: Cond): ((s: ZenmlStoredSecret) => boolean) => {
    const strPred = (column: string, get: (s: ZenmlStoredSecret) => string, op: string, value: unknown): ((s: ZenmlStoredSecret) => boolean) => {
      const v = value as string;
      switch (op) {
        case 'equals':
          return (s) => get(s) === v;
        case 'notequals':
          return (s) => get(s) !== v;
        case 'contains':
          return (s) => sqliteLike(get(s), `%${v}%`);
        case 'startswith':
          return (s) => sqliteLike(get(s), `${v}%`);
        case 'endswith':
          return (s) => sqliteLike(get(s), `%${v}`);
        case 'oneof': {
          const set = (value as unknown[]).filter((x) => x !== null).map((x) => (x === true ? '1' : x === false ? '0' : String(x)));
          return (s) => set.includes(get(s));
        }
        default: {
          const f = pythonFloat(v);
          if (f === null) {
            throw valueError(`Failed to compare the column '${column}' to the value '${v}' (must be numeric): could not convert string to float: ${pyRepr(v)}`);
          }
          return (s) => {
            const n = sqliteReal(get(s));
            if (n === 0) return false;
            return op === 'gt' ? n > f : op === 'gte' ? n >= f : op === 'lt' ? n < f : n <= f;
          };
        }
      }
    };
    switch (c.column) {
      case 'name':
        return strPred('secret.name', (s) => s.name, c.op, c.value);
      case 'id': {
        const hex = (s: ZenmlStoredSecret) => s.id.replace(/-/g, '');
        if (c.op === 'equals' || c.op === 'notequals') {
          const want = pythonUuidHex(c.value as string);
          return c.op === 'equals' ? (s) => hex(s) === want : (s) => want === null || hex(s) !== want;
        }
        return strPred('CAST(secret.id AS VARCHAR)', hex, c.op, c.value);
      }
      case 'created':
      case 'updated': {
        const b = c.value as number[];
        const col = c.column;
        const get = (s: ZenmlStoredSecret) => isoToMicros(s[col]);
        switch (c.op) {
          case 'in':
            return (s) => get(s) >= b[0]! && get(s) <= b[1]!;
          case 'gt':
            return (s) => get(s) > b[0]!;
          case 'gte':
            return (s) => get(s) >= b[0]!;
          case 'lt':
            return (s) => get(s) < b[0]!;
          case 'lte':
            return (s) => get(s) <= b[0]!;
          case 'notequals':
            return (s) => get(s) !== b[0]!;
          default:
            return (s) => get(s) === b[0]!;
        }
      }
      case 'private':
        return (s) => s.private === c.value;
      default:
        return () => true;
    }
  };

  /** UserScopedFilter's custom `user` filter: name-or-id of the owner (generate_name_or_id_query_conditions). */
  const compileUserFilter = (raw: string): ((s: ZenmlStoredSecret) => boolean) => {
    const { op, value } = resolveOperator(raw);
    if (op === 'oneof' && parseOneOf(value) === undefined) throw valueError(ONEOF_ERROR);
    const preds: Array<(u: UserRec) => boolean> = [];
    const str = (get: (u: UserRec) => string, column: string): ((u: UserRec) => boolean) => {
      const fake = compileStrOnUsers(column, op, value);
      return (u) => fake(get(u));
    };
    if (!(op === 'equals' && pythonUuidHex(value) === null)) {
      if (op === 'equals' || op === 'notequals') {
        const want = pythonUuidHex(value);
        preds.push(op === 'equals' ? (u) => u.id.replace(/-/g, '') === want : (u) => want === null || u.id.replace(/-/g, '') !== want);
      } else {
        preds.push(str((u) => u.id.replace(/-/g, ''), 'CAST("user".id AS VARCHAR)'));
      }
    }
    preds.push(str((u) => u.name, '"user".name'));
    preds.push(str(() => '', '"user".full_name'));
    return (s) => {
      const u = ownerOf(s);
      return !!u && preds.some((p) => p(u));
    };
  };

  function compileStrOnUsers(column: string, op: string, value: string): (x: string) => boolean {
    if (!STR_OPS.includes(op)) throw valueError(opNotAllowed(op, STR_OPS));
    let v: unknown = value;
    if (op === 'oneof') v = parseOneOf(value) ?? [];
    switch (op) {
      case 'equals':
        return (x) => x === v;
      case 'notequals':
        return (x) => x !== v;
      case 'contains':
        return (x) => sqliteLike(x, `%${value}%`);
      case 'startswith':
        return (x) => sqliteLike(x, `${value}%`);
      case 'endswith':
        return (x) => sqliteLike(x, `%${value}`);
      case 'oneof':
        return (x) => (v as unknown[]).map(String).includes(x);
      default: {
        const f = pythonFloat(value);
        if (f === null) {
          throw valueError(`Failed to compare the column '${column}' to the value '${value}' (must be numeric): could not convert string to float: ${pyRepr(value)}`);
        }
        return (x) => {
          const n = sqliteReal(x);
          return n !== 0 && (op === 'gt' ? n > f : op === 'gte' ? n >= f : op === 'lt' ? n < f : n <= f);
        };
      }
    }
  }

  // --- handlers ---

  const infoHandler = (): Resp =>
    json(200, {
      id: serverId,
      name: serverName,
      version: serverVersion,
      active: true,
      debug: false,
      deployment_type: 'other',
      database_type: 'sqlite',
      secrets_store_type: 'sql',
      auth_scheme: 'OAUTH2_PASSWORD_BEARER',
      server_url: url,
      dashboard_url: url,
      analytics_enabled: false,
      metadata: {},
      last_user_activity: null,
      pro_dashboard_url: null,
      pro_api_url: null,
      pro_organization_id: null,
      pro_organization_name: null,
      pro_workspace_id: null,
      pro_workspace_name: null,
    });

  // Login rate limiter (zen_server/rate_limit.py RequestLimiter.limit_failed_requests).
  const limiter = new Map<string, number[]>();
  const hitLimiter = (ip: string): void => {
    const rl = opts.loginRateLimit;
    if (!rl || (rl.perMinute === undefined && rl.perDay === undefined)) return;
    const now = Date.now() / 1000;
    const hits = (limiter.get(ip) ?? []).filter((t) => t >= now - 86400);
    hits.push(now);
    limiter.set(ip, hits);
    if (rl.perDay !== undefined && hits.length > rl.perDay) throw new HttpError(429, { detail: 'Daily request limit exceeded.' });
    if (rl.perMinute !== undefined && hits.filter((t) => t >= now - 60).length > rl.perMinute) {
      throw new HttpError(429, { detail: 'Minute request limit exceeded.' });
    }
  };

  /** Starlette form parsing: urlencoded or multipart; anything else → empty form. Empty values → None. */
  const parseForm = (ctx: Ctx): Map<string, string> | 'not-a-form' => {
    const ct = String(ctx.req.headers['content-type'] ?? '');
    const main = ct.split(';')[0]!.trim().toLowerCase();
    const form = new Map<string, string>();
    if (main === 'application/x-www-form-urlencoded') {
      for (const [k, v] of new URLSearchParams(ctx.body.toString('latin1').replace(/[^\x00-\x7f]/g, (c) => encodeURIComponent(c)))) {
        form.set(k, v);
      }
    } else if (main === 'multipart/form-data') {
      const b = /boundary="?([^";]+)"?/i.exec(ct)?.[1];
      if (!b) throw new HttpError(400, { detail: 'There was an error parsing the body' });
      const text = ctx.body.toString('utf8');
      for (const part of text.split(`--${b}`).slice(1)) {
        if (part.startsWith('--')) break;
        const sep = part.indexOf('\r\n\r\n');
        if (sep === -1) continue;
        const head = part.slice(0, sep);
        const name = /name="([^"]*)"/i.exec(head)?.[1];
        if (name !== undefined) form.set(name, part.slice(sep + 4).replace(/\r\n$/, ''));
      }
    } else if (ctx.body.length > 0) {
      return 'not-a-form';
    }
    for (const [k, v] of [...form]) if (v === '') form.delete(k);
    return form;
  };

  const loginHandler = (ctx: Ctx): Resp => {
    // OAuthLoginRequestForm (a dependency: its 400s come before the rate limiter).
    const parsed = parseForm(ctx);
    let form: Map<string, string>;
    if (parsed === 'not-a-form') {
      if (mode === 'spec') {
        // CHOICE ('spec'): a JSON (non-form) body is a form validation error, as FastAPI reports
        // missing required form fields. The real server sees an empty form (see 'zenml').
        throw new RequestValidation([
          { type: 'missing', loc: ['body', 'username'], msg: 'Field required', input: null },
          { type: 'missing', loc: ['body', 'password'], msg: 'Field required', input: null },
        ]);
      }
      form = new Map();
    } else {
      form = parsed;
    }
    const grantRaw = form.get('grant_type');
    const username = form.get('username');
    const password = form.get('password');
    const clientId = form.get('client_id');
    const deviceCode = form.get('device_code');
    let grant: string;
    if (grantRaw === undefined) {
      if (username !== undefined) grant = 'password';
      else if (password) grant = 'zenml-api-key';
      else if (deviceCode) grant = 'urn:ietf:params:oauth:grant-type:device_code';
      else grant = 'password'; // auth scheme OAUTH2_PASSWORD_BEARER
    } else {
      if (!GRANT_TYPES.includes(grantRaw)) throw new HttpError(400, { detail: `Unsupported grant type: ${grantRaw}` });
      grant = grantRaw;
    }
    if (grant === 'password' && !username) throw new HttpError(400, { detail: 'Invalid request: username is required.' });
    if (grant === 'urn:ietf:params:oauth:grant-type:device_code') {
      if (!deviceCode || !clientId) throw new HttpError(400, { detail: 'Invalid request: device code and client ID are required.' });
      if (pythonUuidHex(clientId) === null) throw new HttpError(400, { detail: 'Invalid request: invalid client ID.' });
    }
    if (grant === 'zenml-api-key' && !password) throw new HttpError(400, { detail: 'API key is required.' });
    if (grant === 'zenml-external') throw new HttpError(400, { detail: 'Unsupported grant type: zenml-external.' });

    const ip = String(ctx.req.headers['x_forwarded_for'] ?? ctx.req.socket.remoteAddress ?? '127.0.0.1');
    hitLimiter(ip);

    let user: UserRec;
    let apiKey: ApiKeyRec | undefined;
    if (grant === 'password') {
      // get_auth_user(user_name_or_id): by id when the value is a UUID, else by name.
      const hex = pythonUuidHex(username!);
      const found = hex !== null ? [...usersById.values()].find((u) => u.id.replace(/-/g, '') === hex) : usersByName.get(username!);
      if (!found || found.password !== (password ?? '')) throw credentialsError('Authentication error: invalid username or password');
      if (!found.active) throw credentialsError(`Authentication error: user ${found.name} is not active`);
      user = found;
    } else if (grant === 'zenml-api-key') {
      const decoded = decodeApiKey(password!);
      if (!decoded) throw credentialsError('Authentication error: error decoding API key');
      apiKey = verifyApiKey(decoded.id, decoded.key);
      user = usersById.get(apiKey.userId)!;
    } else {
      // CHOICE: the device flow is not emulated; every device login fails like an unknown client.
      const hex = pythonUuidHex(clientId!)!;
      const id = `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
      throw new HttpError(400, { error: 'invalid_client', error_description: `Authentication error: error retrieving device with client ID ${id}` });
    }
    limiter.delete(ip);
    return json(200, {
      access_token: signToken(user, apiKey),
      token_type: 'bearer',
      expires_in: tokenTtl,
      refresh_token: null,
      csrf_token: null,
      scope: null,
      device_id: null,
      device_metadata: null,
    });
  };

  /** APIKey.decode_api_key → {id, key} or null (ValueError). */
  const decodeApiKey = (encoded: string): { id: string; key: string } | null => {
    if (!encoded.startsWith(ZENML_API_KEY_PREFIX)) return null;
    const b64 = encoded.slice(ZENML_API_KEY_PREFIX.length);
    if (pythonB64DecodeError(b64) !== null) return null;
    const clean = b64.replace(/[^A-Za-z0-9+/]/g, '');
    let obj: unknown;
    try {
      obj = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(Buffer.from(clean, 'base64')));
    } catch {
      return null;
    }
    if (!isObject(obj) || typeof obj.id !== 'string' || typeof obj.key !== 'string') return null;
    const id = parsePydanticUuid(obj.id);
    if (!('uuid' in id)) return null;
    return { id: id.uuid, key: obj.key };
  };

  const currentUserHandler = (ctx: Ctx): Resp => {
    const auth = authenticate(ctx);
    const issues: Issue[] = [];
    const hydrate = queryBool(ctx, 'hydrate', true, issues);
    if (issues.length) throw new RequestValidation(issues);
    return json(200, userResponse(auth.user, hydrate));
  };

  const listHandler = (ctx: Ctx): Resp => {
    // 1. the filter dependable's own query parameters (FastAPI-level types)
    const issues: Issue[] = [];
    const q = ctx.query;
    const sortBy = q.get('sort_by') ?? 'created';
    const logical = q.get('logical_operator') ?? 'and';
    if (logical !== 'and' && logical !== 'or') {
      issues.push({ type: 'enum', loc: ['query', 'logical_operator'], msg: "Input should be 'and' or 'or'", input: logical, ctx: { expected: "'and' or 'or'" } });
    }
    const page = q.has('page') ? parseIntQuery(q.get('page')!, ['query', 'page'], issues) : 1;
    const size = q.has('size') ? parseIntQuery(q.get('size')!, ['query', 'size'], issues) : defaultPageSize;
    let scopeUser: string | undefined;
    if (q.has('scope_user')) {
      const r = uuidIssue(['query', 'scope_user'], q.get('scope_user'));
      if (typeof r === 'string') scopeUser = r;
      else issues.push(r);
    }
    let priv: boolean | undefined;
    if (q.has('private')) {
      const b = parseBoolStr(q.get('private')!);
      if (b === null) issues.push(boolIssue(['query', 'private'], q.get('private')));
      else priv = b;
    }
    // 2. the model (only when its parameters were valid) — raises 422 before the auth dependency
    let model: FilterModel | undefined;
    if (!issues.length) {
      try {
        model = buildFilterModel({
          sort_by: sortBy,
          logical_operator: logical,
          page: page!,
          size: size!,
          id: q.get('id'),
          created: q.get('created'),
          updated: q.get('updated'),
          scope_user: scopeUser,
          user: q.get('user'),
          name: q.get('name'),
          private: priv,
        });
      } catch (e) {
        if (e instanceof ModelValidation) throw modelValidationError(e);
        throw e;
      }
    }
    // 3. auth
    const auth = authenticate(ctx);
    // 4. the endpoint's own query parameter
    const hydrate = queryBool(ctx, 'hydrate', false, issues);
    if (issues.length || !model) throw new RequestValidation(issues);

    // 5. SqlZenStore.list_secrets → filter_and_paginate
    // CHOICE: a client-sent `scope_user` is validated but ignored: the store always scopes to the caller.
    const me = auth.user;
    const preds = model.conds.map(compileCond);
    if (model.user !== undefined) preds.push(compileUserFilter(model.user));
    const combined = model.logicalOr ? (s: ZenmlStoredSecret) => preds.some((p) => p(s)) : (s: ZenmlStoredSecret) => preds.every((p) => p(s));
    const rows = [...secrets.values()].filter((s) => ((s.private && s.userId === me.id) || !s.private) && combined(s));
    const key = (s: ZenmlStoredSecret): string | number => {
      switch (model!.sortColumn) {
        case 'name':
          return s.name;
        case 'id':
          return s.id;
        case 'private':
          return s.private ? 1 : 0;
        case 'updated':
          return isoToMicros(s.updated);
        case 'user':
          return ownerOf(s)?.name ?? '';
        default:
          return isoToMicros(s.created);
      }
    };
    rows.sort((a, b) => {
      const ka = key(a);
      const kb = key(b);
      let c = typeof ka === 'string' ? cmpBinary(ka, kb as string) : ka - (kb as number);
      if (model!.sortDesc) c = -c;
      return c !== 0 ? c : cmpBinary(a.id, b.id);
    });
    const total = rows.length;
    const totalPages = total === 0 ? 1 : Math.ceil(total / model.size);
    if (model.page > totalPages) {
      throw valueError(
        `Invalid page ${model.page}. The requested page size is ${model.size} and there are a total of ${total} items for this query. The maximum page value therefore is ${totalPages}.`,
      );
    }
    const start = (model.page - 1) * model.size;
    return json(200, {
      index: model.page,
      max_size: model.size,
      total_pages: totalPages,
      total,
      items: rows.slice(start, start + model.size).map((s) => secretResponse(s, hydrate, false)),
    });
  };

  const createHandler = (ctx: Ctx): Resp => {
    const auth = authenticate(ctx);
    const issues: Issue[] = [];
    const { value, raw } = readJsonBody(ctx);
    const body = validateSecretBody(value, raw, false, issues);
    if (issues.length || !body) throw new RequestValidation(issues);
    const name = body.name!;
    const isPrivate = body.private ?? false;
    const clash = scopeClash(name, isPrivate, auth.user.id);
    if (clash) throw zenError(409, 'EntityExistsError', clash);
    const values = Object.fromEntries(Object.entries(body.values ?? {}).filter((e): e is [string, string] => e[1] !== null));
    checkValuesSize(values);
    const t = nowIso();
    const s: ZenmlStoredSecret = { id: randomUUID(), name, private: isPrivate, userId: auth.user.id, values, created: t, updated: t };
    secrets.set(s.id, s);
    return json(200, secretResponse(s, true, true));
  };

  const getHandler = (ctx: Ctx): Resp => {
    const auth = authenticate(ctx);
    const issues: Issue[] = [];
    const id = pathUuid(ctx, 'secret_id', issues);
    const hydrate = queryBool(ctx, 'hydrate', true, issues);
    if (issues.length) throw new RequestValidation(issues);
    return json(200, secretResponse(getVisible(id!, auth.user), hydrate, true));
  };

  const updateHandler = (ctx: Ctx): Resp => {
    const auth = authenticate(ctx);
    const issues: Issue[] = [];
    const id = pathUuid(ctx, 'secret_id', issues);
    const patch = queryBool(ctx, 'patch_values', false, issues);
    const { value, raw } = readJsonBody(ctx);
    const body = validateSecretBody(value, raw, true, issues);
    if (issues.length || !body) throw new RequestValidation(issues);
    const me = auth.user;
    let update = body.values ?? null;
    if (!patch) {
      const current = getVisible(id!, me);
      if (update !== null) {
        const full: Array<[string, string | null]> = Object.entries(update);
        for (const k of Object.keys(current.values)) if (!Object.prototype.hasOwnProperty.call(update, k)) full.push([k, null]);
        update = Object.fromEntries(full);
      }
    }
    const s = getVisible(id!, me); // verify_permissions_and_update_entity → get_method
    if (body.private !== undefined && body.private !== null && s.userId !== me.id) {
      throw zenError(403, 'IllegalOperationError', 'Only the user who created the secret is allowed to update its private status.');
    }
    const newName = body.name ?? s.name;
    const newPrivate = body.private ?? s.private;
    if ((body.name != null && body.name !== s.name) || (body.private != null && body.private !== s.private)) {
      const clash = scopeClash(newName, newPrivate, s.userId, s.id);
      if (clash) throw zenError(409, 'EntityExistsError', clash);
    }
    // SecretSchema.update copies every explicitly-set field, None included: a NOT NULL column then
    // fails on commit → handle_exceptions maps the IntegrityError (unlisted) to 500 RuntimeError.
    for (const col of ['name', 'private'] as const) {
      if (body[col] === null) {
        throw zenError(500, 'RuntimeError', `(sqlite3.IntegrityError) NOT NULL constraint failed: secret.${col}`);
      }
    }
    // The row (name/private/updated) is committed before the values are written.
    s.name = newName;
    s.private = newPrivate;
    s.updated = nowIso();
    if (update !== null) {
      const merged = new Map(Object.entries(s.values));
      for (const [k, v] of Object.entries(update)) {
        if (v === null) merged.delete(k);
        else merged.set(k, v);
      }
      const next = Object.fromEntries(merged);
      checkValuesSize(next);
      s.values = next;
    }
    return json(200, secretResponse(s, true, true));
  };

  const deleteHandler = (ctx: Ctx): Resp => {
    const auth = authenticate(ctx);
    const issues: Issue[] = [];
    const id = pathUuid(ctx, 'secret_id', issues);
    if (issues.length) throw new RequestValidation(issues);
    const s = getVisible(id!, auth.user);
    secrets.delete(s.id);
    return json(200, null);
  };

  const secretsOpHandler = (which: 'backup' | 'restore') => (ctx: Ctx): Resp => {
    authenticate(ctx);
    const issues: Issue[] = [];
    queryBool(ctx, 'ignore_errors', which === 'backup', issues);
    queryBool(ctx, 'delete_secrets', false, issues);
    if (issues.length) throw new RequestValidation(issues);
    // BackupSecretsStoreNotConfiguredError (a NotImplementedError) → 501.
    throw zenError(501, 'NotImplementedError', `Unable to ${which} secrets: No backup secrets store is configured.`);
  };

  const notFound = (): Resp => json(404, { detail: 'Not Found' });

  const stackState = newStackState(nowIso);
  const stackApi = stackRoutes<Ctx, Resp>(stackState, {
    authenticate,
    userResponse: (id) => {
      const u = usersById.get(id);
      return u ? userResponse(u, false) : null;
    },
    json,
    queryBool,
    parseIntQuery,
    uuidIssue,
    filterError: (issues, model) => modelValidationError(new ModelValidation(issues, model)),
    requestValidation: (issues) => new RequestValidation(issues),
    valueError,
    keyError,
    nowIso,
  });

  // Registration order matters (Starlette takes the first full match, else the first partial one).
  const routes: Route[] = [
    route('POST', '/api/v1/login', loginHandler),
    route('GET', '/api/v1/logout', () => json(200, null)),
    route('GET', '/api/v1/version', () => json(200, serverVersion)),
    route('GET', '/api/v1/info', infoHandler),
    route('GET', '/api/v1/current-user', currentUserHandler),
    route('POST', '/api/v1/secrets', createHandler),
    route('GET', '/api/v1/secrets', listHandler),
    route('GET', '/api/v1/secrets/{secret_id}', getHandler),
    route('PUT', '/api/v1/secrets/{secret_id}', updateHandler),
    route('DELETE', '/api/v1/secrets/{secret_id}', deleteHandler),
    route('PUT', '/api/v1/secrets_operations/backup', secretsOpHandler('backup')),
    route('PUT', '/api/v1/secrets_operations/restore', secretsOpHandler('restore')),
    // deprecated, kept for the dashboard; `workspace_name_or_id` is ignored
    route('POST', '/api/v1/workspaces/{workspace_name_or_id}/secrets', createHandler),
    route('GET', '/api/v1/stacks', stackApi.listStacks),
    route('GET', '/api/v1/stacks/{stack_id}', stackApi.getStack),
    route('GET', '/api/v1/components', stackApi.listComponents),
    route('GET', '/api/v1/components/{component_id}', stackApi.getComponent),
    route('HEAD', '/health', () => json(200, 'OK')),
    route('GET', '/health', () => json(200, 'OK')),
    route('GET', '/api/{invalid_api_path:path}', notFound),
    // CHOICE: the dashboard catch-all is not emulated: GET of any other path is 404 JSON.
    route('GET', '/{file_path:path}', notFound),
  ];

  const dispatch = async (ctx: Ctx, rawPath: string): Promise<Resp> => {
    const path = unquotePath(rawPath);
    let partial: Route | undefined;
    for (const r of routes) {
      const m = r.re.exec(path);
      if (!m) continue;
      if (r.method === ctx.method) {
        ctx.params = Object.fromEntries(r.keys.map((k, i) => [k, m[i + 1]!]));
        return await r.handler(ctx);
      }
      partial ??= r;
    }
    if (partial) return json(405, { detail: 'Method Not Allowed' }, { allow: partial.method });
    return notFound();
  };

  const send = (res: http.ServerResponse, r: Resp): void => {
    const headers: Record<string, string> = { server: 'uvicorn', ...(r.headers ?? {}) };
    if (r.body !== undefined) headers['content-length'] = String(Buffer.byteLength(r.body));
    res.writeHead(r.status, reason(r.status), headers);
    res.end(r.body);
  };

  const handle = async (req: http.IncomingMessage, res: http.ServerResponse): Promise<void> => {
    const chunks: Buffer[] = [];
    for await (const chunk of req as AsyncIterable<Buffer>) chunks.push(chunk);
    const body = Buffer.concat(chunks);
    const rawUrl = req.url ?? '/';
    const qi = rawUrl.indexOf('?');
    const rawPath = qi === -1 ? rawUrl : rawUrl.slice(0, qi);
    const pairs = [...new URLSearchParams(qi === -1 ? '' : rawUrl.slice(qi + 1))];
    const method = (req.method ?? 'GET').toUpperCase();
    requests.push({ method, path: rawPath, query: queryRecord(pairs), headers: { ...req.headers }, body: body.toString('utf8'), time: Date.now() });

    if (await faults.apply(req, method, rawPath, (f) => send(res, { status: f.status, body: f.body, headers: faultHeaders(f) }))) return;

    const ctx: Ctx = { req, method, path: rawPath, params: {}, query: new Map(pairs), body };
    let r: Resp;
    try {
      r = await dispatch(ctx, rawPath);
    } catch (e) {
      if (e instanceof HttpError && e.text) {
        r = { status: e.status, body: String(e.payload), headers: { 'content-type': 'text/plain; charset=utf-8', ...e.headers } };
      } else if (e instanceof HttpError) r = json(e.status, e.payload, e.headers);
      else if (e instanceof RequestValidation) r = json(422, { detail: e.issues });
      else r = { status: 500, body: 'Internal Server Error', headers: { 'content-type': 'text/plain; charset=utf-8' } };
    }
    send(res, r);
  };

  const server = http.createServer((req, res) => {
    handle(req, res).catch((err: unknown) => {
      void err;
      if (!res.headersSent) send(res, { status: 500, body: 'Internal Server Error', headers: { 'content-type': 'text/plain; charset=utf-8' } });
      else res.destroy();
    });
  });
  url = await servers.listen(server, opts.port ?? 0);

  if (opts.seed) seedSecrets(state, [...usersByName.keys()]);
  const stackOwner = [...usersByName.values()][0];
  if (opts.seed && stackOwner) seedStacks(stackState, stackOwner.id);

  const users: Record<string, { id: string; password: string }> = {};
  for (const u of usersByName.values()) users[u.name] = { id: u.id, password: u.password };

  const tokens = {} as Record<string, string>;
  for (const u of usersByName.values()) {
    Object.defineProperty(tokens, u.name, { enumerable: true, get: () => signToken(usersByName.get(u.name)!) });
  }

  return {
    url,
    users,
    apiKeys,
    makeApiKey,
    tokens,
    expireAllTokens: () => {
      tokenGeneration++;
    },
    requests,
    faults: faults.control,
    state,
    stacks: stackState,
    mode,
    close: async () => {
      faults.clear();
      await servers.close();
    },
  };
}

/**
 * Demo secrets, random dummy values. Owners: the first user (alice) and the second one (bob) when present.
 *   public  mlflow_secret {username, password, tracking_uri}   (first user)
 *   public  aws_creds     {aws_access_key_id, aws_secret_access_key}   (second user, else first)
 *   public  hf            {token}                                (first user)
 *   private alice_wandb   {api_key}                              (first user)
 *   private bob_openai    {api_key}                              (second user; only when there is one)
 */
function seedSecrets(state: ZenmlEmulatorState, userNames: string[]): void {
  const first = userNames[0];
  if (first === undefined) return;
  const second = userNames[1];
  state.setSecret({
    name: 'mlflow_secret',
    user: first,
    values: {
      username: 'mlflow-user',
      password: randomToken(ALNUM, 20),
      tracking_uri: 'http://mlflow.example.internal:5000',
    },
  });
  state.setSecret({
    name: 'aws_creds',
    user: second ?? first,
    values: {
      aws_access_key_id: `AKIA${randomToken('ABCDEFGHIJKLMNOPQRSTUVWXYZ234567', 16)}`,
      aws_secret_access_key: randomToken(ALNUM + '+/', 40),
    },
  });
  state.setSecret({ name: 'alice_wandb', user: first, private: true, values: { api_key: randomBytes(20).toString('hex') } });
  state.setSecret({ name: 'hf', user: first, values: { token: `hf_${randomToken(ALNUM, 34)}` } });
  if (second !== undefined) {
    state.setSecret({ name: 'bob_openai', user: second, private: true, values: { api_key: `sk-${randomToken(ALNUM, 48)}` } });
  }
}
