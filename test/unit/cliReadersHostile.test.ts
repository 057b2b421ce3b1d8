// Hostile files and environments for every CLI login reader (issue "Hardening", item 7): the
// Apolo and Neu.ro db (SQLite), the passed-config environment variables, ZenML credentials.yaml,
// MosaicML mcli_config, Flyte config.yaml (from a workspace) and the Flyte client-secret file.
// Each case must return within a bounded time, never throw, report the right kind of problem
// (typed `issues` for the file, a `problems` line naming the variable for the environment), and
// never put a secret from the file or the environment into a message. Then fast-check throws
// random bytes and mutated valid files at the same readers (fixed seed, printed).
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { closeSync, existsSync, ftruncateSync, mkdirSync, mkdtempSync, openSync, readFileSync, rmSync, symlinkSync, writeFileSync, chmodSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import fc from 'fast-check';
import { readApoloCliLogins, type FileSystemLike } from '../../src/core/platforms/apolo/cliLogins';
import { readZenmlCliLogins } from '../../src/core/platforms/zenml/cliLogins';
import { readFlyteCliLogins } from '../../src/core/platforms/flyte/cliLogins';
import { readMosaicCliLogins } from '../../src/core/platforms/mosaic/cliLogins';
import { readSqliteTable } from '../../src/core/platforms/apolo/sqlite';
import { parseYamlBounded, type CliFileIssue, type CliFileProblem } from '../../src/core/credentials/guardedRead';
import { apoloFixturesDir } from '../fixtures/apoloFixtures';

// ---------------------------------------------------------------------------------------------
// Set-up: valid files with distinctive secrets.

const FIXTURES = apoloFixturesDir();
const fixture = (name: string, f = 'db'): Uint8Array => {
  const p = join(FIXTURES, name, f);
  return new Uint8Array(existsSync(p) ? readFileSync(p) : gunzipSync(readFileSync(p + '.gz')));
};
const NORMAL_DB = fixture('normal');
const PAGE1K_DB = fixture('page1k');

const ZEN_KEY = 'ZENKEY_Qx7Vb2Lm9Rk4Wz8Np3Tt';
const ZEN_TOKEN = 'eyJhbGciOiJIUzI1NiJ9.Hm3Kp8Zq2Wx5Yc.sig7YtGh';
const ZEN_PASSWORD = 'pw-Jh5Gf4Ds3Aq2Zx9';
const MOSAIC_KEY = 'mk-Vb2Lm9Rk4Wz8Np3Tt6';
const MOSAIC_DEV_KEY = 'mk-dev-Pq8Rs7Tu6Vw5';
const FLYTE_CLIENT_ID = 'cid-Lk3Mj4Nh5Bg6';
const FLYTE_SECRET = 'cs-Rk4Wz8Np3Tt6YuIo';
/** Every token of the fixture db (tokens and refresh tokens), as SQLite has them. */
const DB_SECRETS = readSqliteTable(NORMAL_DB, undefined, 'main').flatMap((r) => [r.token, r.refresh_token]).filter((v): v is string => typeof v === 'string' && v.length >= 8);

const VALID_ZEN_CONFIG = 'store:\n  type: rest\n  url: https://zen.example.com\n';
const VALID_ZEN_CREDS = [
  'https://zen.example.com:',
  '  url: https://zen.example.com',
  `  api_key: ${ZEN_KEY}`,
  '  username: alice',
  `  password: ${ZEN_PASSWORD}`,
  '  api_token:',
  `    access_token: ${ZEN_TOKEN}`,
  '    expires_at: 2030-01-01T00:00:00+00:00',
  '',
].join('\n');
const VALID_MCLI = `---\nMOSAICML_API_KEY: ${MOSAIC_KEY}\nfeature_flags: {}\nmcloud_envs: {DEV: ${MOSAIC_DEV_KEY}}\n`;
const validFlyte = (secretPath: string) =>
  `admin:\n  endpoint: dns:///tenant.example.com\n  authType: ClientSecret\n  clientId: ${FLYTE_CLIENT_ID}\n  clientSecretLocation: ${secretPath}\ntask:\n  org: tenant\n  project: p\n  domain: development\n`;

/** 8-character windows of every secret: none may appear in any message. */
const SECRETS = [ZEN_KEY, ZEN_TOKEN, ZEN_PASSWORD, MOSAIC_KEY, MOSAIC_DEV_KEY, FLYTE_SECRET, ...DB_SECRETS];
function windows(s: string, n = 8): string[] {
  const out: string[] = [];
  for (let i = 0; i + n <= s.length; i++) out.push(s.slice(i, i + n));
  return out;
}
const SECRET_WINDOWS = new Set(SECRETS.flatMap((s) => windows(s)));
function leaks(messages: string[], extra: string[] = []): string | undefined {
  const extraWindows = extra.flatMap((s) => windows(s, 12));
  for (const m of messages) {
    for (let i = 0; i + 8 <= m.length; i++) if (SECRET_WINDOWS.has(m.slice(i, i + 8))) return m;
    for (const w of extraWindows) if (m.includes(w)) return m;
  }
  return undefined;
}

let root: string;
let n = 0;
before(() => {
  root = mkdtempSync(join(tmpdir(), 'ml-secrets-hostile-'));
});
after(() => {
  rmSync(root, { recursive: true, force: true });
});

// ---------------------------------------------------------------------------------------------
// Targets: one file each reader reads, how to set up the rest, how to run the reader.

interface Outcome {
  logins: unknown[];
  problems: string[];
  issues: CliFileIssue[];
}

interface Target {
  name: string;
  /** 'sqlite' content, 'yaml' content, or 'text' (a secret file). */
  format: 'sqlite' | 'yaml' | 'text';
  valid(): Uint8Array;
  /** Secrets the valid file holds (for the leak check). */
  secrets: string[];
  /** Makes a fresh home; returns the hostile file's path and a runner. */
  setup(): { file: string; run(): Promise<Outcome> };
}

function freshHome(): string {
  const home = join(root, `h${++n}`);
  mkdirSync(home, { recursive: true });
  return home;
}

const apoloTarget = (which: 'apolo' | 'neuro'): Target => ({
  name: `${which} db`,
  format: 'sqlite',
  valid: () => NORMAL_DB,
  secrets: DB_SECRETS,
  setup() {
    const home = freshHome();
    const dir = join(home, which === 'apolo' ? '.apolo' : '.neuro');
    mkdirSync(dir, { mode: 0o700 });
    return { file: join(dir, 'db'), run: () => readApoloCliLogins({}, home, undefined, { checkPermissions: false }) };
  },
});

const TARGETS: Target[] = [
  apoloTarget('apolo'),
  apoloTarget('neuro'),
  {
    name: 'zenml credentials.yaml',
    format: 'yaml',
    valid: () => Buffer.from(VALID_ZEN_CREDS),
    secrets: [ZEN_KEY, ZEN_TOKEN, ZEN_PASSWORD],
    setup() {
      const home = freshHome();
      const dir = join(home, '.config', 'zenml');
      mkdirSync(dir, { recursive: true });
      writeFileSync(join(dir, 'config.yaml'), VALID_ZEN_CONFIG);
      return { file: join(dir, 'credentials.yaml'), run: () => readZenmlCliLogins({}, home) };
    },
  },
  {
    name: 'mosaic mcli_config',
    format: 'yaml',
    valid: () => Buffer.from(VALID_MCLI),
    secrets: [MOSAIC_KEY, MOSAIC_DEV_KEY],
    setup() {
      const home = freshHome();
      mkdirSync(join(home, '.mosaic'));
      return { file: join(home, '.mosaic', 'mcli_config'), run: () => readMosaicCliLogins({ MCLI_MODE: 'DEV' }, home) };
    },
  },
  {
    name: 'flyte workspace config.yaml',
    format: 'yaml',
    valid: () => Buffer.from(validFlyte('~/flyte-secret')),
    secrets: [],
    setup() {
      const home = freshHome();
      const ws = join(home, 'ws');
      mkdirSync(join(ws, '.flyte'), { recursive: true });
      writeFileSync(join(home, 'flyte-secret'), FLYTE_SECRET + '\n');
      return { file: join(ws, '.flyte', 'config.yaml'), run: () => readFlyteCliLogins({}, home, [ws]) };
    },
  },
  {
    name: 'flyte clientSecretLocation',
    format: 'text',
    valid: () => Buffer.from(FLYTE_SECRET + '\n'),
    secrets: [FLYTE_SECRET],
    setup() {
      const home = freshHome();
      const ws = join(home, 'ws');
      mkdirSync(join(ws, '.flyte'), { recursive: true });
      writeFileSync(join(ws, '.flyte', 'config.yaml'), validFlyte(join(home, 'flyte-secret')));
      return { file: join(home, 'flyte-secret'), run: () => readFlyteCliLogins({}, home, [ws]) };
    },
  },
];
const FILE_READERS = TARGETS.length;

// ---------------------------------------------------------------------------------------------
// Hostile files.

const garbage = (len: number, seed: number): Uint8Array => {
  const out = new Uint8Array(len);
  let x = seed >>> 0 || 1;
  for (let i = 0; i < len; i++) {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    out[i] = x & 0xff;
  }
  return out;
};
const aliasBomb = (() => {
  let s = 'a0: &a0 [x, x, x, x, x, x, x, x, x]\n';
  for (let i = 1; i < 12; i++) s += `a${i}: &a${i} [${Array(9).fill(`*a${i - 1}`).join(', ')}]\n`;
  return s;
})();
const keys60k = Array.from({ length: 60_000 }, (_, i) => `k${i}: v${i}\n`).join('');
const deepFlow = 'a: ' + '['.repeat(5000) + ']'.repeat(5000) + '\n';
const deepBlock = Array.from({ length: 500 }, (_, i) => ' '.repeat(i) + `k${i}:`).join('\n') + ' x\n';

type Expect = CliFileProblem | 'none' | 'none-or-invalid';
interface Hostile {
  name: string;
  /** Creates the hostile thing at `file`. Returns false to skip (with a note). */
  make(file: string, t: Target): boolean | void;
  expect(t: Target): Expect;
  /** The valid content's login must still be found. */
  loginExpected?: (t: Target) => boolean;
}

const bytes = (s: string): Uint8Array => new Uint8Array(Buffer.from(s));
const content = (f: (t: Target) => Uint8Array) => (file: string, t: Target) => writeFileSync(file, f(t));
/** For yaml-only content: SQLite sees garbage ('invalid'); a secret file is just odd text. */
const yamlCase =
  (yamlExpect: Expect, text = '') =>
  (t: Target): Expect =>
    t.format === 'sqlite' ? 'invalid' : t.format === 'text' ? (Buffer.byteLength(text) > 64 * 1024 ? 'tooLarge' : 'none') : yamlExpect;
const utf16le = (s: string) => new Uint8Array([0xff, 0xfe, ...Buffer.from(s, 'utf16le')]);

const HOSTILE: Hostile[] = [
  { name: 'valid (control)', make: content((t) => t.valid()), expect: () => 'none', loginExpected: () => true },
  { name: 'missing', make: () => undefined, expect: () => 'none' },
  { name: 'empty', make: content(() => new Uint8Array(0)), expect: (t) => (t.format === 'sqlite' ? 'invalid' : 'none') },
  { name: 'directory', make: (f) => mkdirSync(f), expect: () => 'isDirectory' },
  { name: 'FIFO', make: (f) => void execFileSync('mkfifo', [f]), expect: () => 'notRegular' },
  {
    name: 'symlink loop',
    make: (f) => {
      symlinkSync(f + '.b', f);
      symlinkSync(f, f + '.b');
    },
    expect: () => 'symlinkLoop',
  },
  { name: 'symlink to /dev/zero', make: (f) => symlinkSync('/dev/zero', f), expect: () => 'notRegular' },
  { name: 'symlink to /dev/urandom', make: (f) => symlinkSync('/dev/urandom', f), expect: () => 'notRegular' },
  {
    name: 'too large (2 GB sparse)',
    make: (f) => {
      const fd = openSync(f, 'w', 0o600);
      ftruncateSync(fd, 2 ** 31);
      closeSync(fd);
    },
    expect: () => 'tooLarge',
  },
  {
    name: 'unreadable (chmod 000)',
    make: (f, t) => {
      if (process.getuid?.() === 0) return false;
      writeFileSync(f, t.valid());
      chmodSync(f, 0);
    },
    expect: () => 'permission',
  },
  { name: 'garbage bytes', make: content(() => garbage(3000, 7)), expect: () => 'invalid' },
  {
    name: 'truncated valid file',
    make: content((t) => t.valid().subarray(0, Math.floor(t.valid().length * 0.6))),
    expect: (t) => (t.format === 'sqlite' ? 'invalid' : t.format === 'text' ? 'none' : 'none-or-invalid'),
  },
  { name: 'alias bomb', make: content(() => bytes(aliasBomb)), expect: yamlCase('invalid') },
  { name: '60k keys', make: content(() => bytes(keys60k)), expect: yamlCase('invalid', keys60k) },
  { name: 'deep nesting (flow)', make: content(() => bytes(deepFlow)), expect: yamlCase('invalid') },
  { name: 'deep nesting (block)', make: content(() => bytes(deepBlock)), expect: yamlCase('invalid', deepBlock) },
  { name: 'wrong types (a list at the top)', make: content(() => bytes('- a\n- b\n')), expect: yamlCase('invalid') },
  {
    name: 'wrong types (numbers, lists where strings and maps are expected)',
    make: content(() =>
      bytes(
        'https://zen.example.com:\n  api_key: 12345\n  password: [a, b]\n  api_token: 7\nMOSAICML_API_KEY: {a: 1}\nmcloud_envs: [1, 2]\nadmin: [1, 2]\ntask: 5\n',
      ),
    ),
    expect: yamlCase('none'),
  },
  {
    name: 'prototype-pollution keys',
    make: content(() =>
      bytes(
        '__proto__: {polluted: yes, api_key: x}\nconstructor: {prototype: {polluted: yes}}\nhttps://zen.example.com:\n  __proto__: {api_key: evil}\n  url: https://zen.example.com\nadmin:\n  __proto__: {endpoint: evil.example.com}\n',
      ),
    ),
    expect: yamlCase('none'),
  },
  { name: 'binary text (NUL bytes)', make: content((t) => new Uint8Array([...t.valid().subarray(0, 20), 0, 0, 0, ...t.valid().subarray(20)])), expect: () => 'invalid' },
  {
    name: 'UTF-16 with BOM',
    make: content((t) => (t.format === 'sqlite' ? utf16le('not a db') : utf16le(Buffer.from(t.valid()).toString('utf8')))),
    expect: (t) => (t.format === 'sqlite' ? 'invalid' : 'none'),
    loginExpected: (t) => t.format !== 'sqlite',
  },
  {
    name: 'UTF-8 BOM and CRLF line ends',
    make: content((t) => (t.format === 'sqlite' ? bytes('\ufeffnot a db\r\n') : bytes('\ufeff' + Buffer.from(t.valid()).toString('utf8').replace(/\n/g, '\r\n')))),
    expect: (t) => (t.format === 'sqlite' ? 'invalid' : 'none'),
    loginExpected: (t) => t.format !== 'sqlite',
  },
];

// SQLite-specific hostile databases, built by hand or patched from fixtures.

function varint(v: number): number[] {
  if (v < 0x80) return [v];
  const out: number[] = [];
  let x = v;
  out.unshift(x & 0x7f);
  x = Math.floor(x / 128);
  while (x > 0) {
    out.unshift((x & 0x7f) | 0x80);
    x = Math.floor(x / 128);
  }
  return out;
}
function record(values: Array<string | number>): Uint8Array {
  const types: number[] = [];
  const body: Buffer[] = [];
  for (const v of values) {
    if (typeof v === 'number') {
      types.push(1);
      body.push(Buffer.from([v & 0xff]));
    } else {
      const b = Buffer.from(v);
      types.push(13 + 2 * b.length);
      body.push(b);
    }
  }
  const hdr = types.flatMap(varint);
  // The header size counts itself: one byte while the header is under 127 bytes, else two.
  const hdrSize = hdr.length + 1 < 0x80 ? hdr.length + 1 : hdr.length + 2;
  return new Uint8Array(Buffer.concat([Buffer.from(varint(hdrSize)), Buffer.from(hdr), ...body]));
}
/** A table-leaf cell: payload size, rowid 1, the record. */
function leafCell(rec: Uint8Array): Uint8Array {
  return new Uint8Array(Buffer.concat([Buffer.from(varint(rec.length)), Buffer.from([1]), rec]));
}
/**
 * A two-page database (page size 65536): sqlite_schema with one table `main` (given SQL) rooted at
 * page 2, and page 2 a leaf holding `cells`, with `pointers` (offsets; -1 = the first cell) if
 * given, else one pointer per cell.
 */
function buildDb(sql: string, cells: Uint8Array[], pointers?: number[]): Uint8Array {
  const P = 65536;
  const db = new Uint8Array(2 * P);
  const h = Buffer.from(db.buffer);
  h.write('SQLite format 3\0', 0, 'latin1');
  h.writeUInt16BE(1, 16); // 65536
  db[18] = 1;
  db[19] = 1;
  db[21] = 64;
  db[22] = 32;
  db[23] = 32;
  h.writeUInt32BE(1, 24);
  h.writeUInt32BE(2, 28);
  h.writeUInt32BE(4, 44);
  h.writeUInt32BE(1, 56);
  h.writeUInt32BE(1, 92);
  const leaf = (base: number, hdrOff: number, cs: Uint8Array[], ptrsIn: number[] | undefined) => {
    let end = base + P;
    const offs: number[] = [];
    for (const c of cs) {
      end -= c.length;
      db.set(c, end);
      offs.push(end - base);
    }
    const ptrs = ptrsIn ?? offs;
    if (base + hdrOff + 8 + 2 * ptrs.length > end) throw new Error('the test page overflows');
    db[base + hdrOff] = 0x0d;
    h.writeUInt16BE(ptrs.length, base + hdrOff + 3);
    h.writeUInt16BE((end - base) & 0xffff, base + hdrOff + 5);
    ptrs.forEach((p, i) => h.writeUInt16BE(p === -1 ? offs[0] : p, base + hdrOff + 8 + 2 * i));
  };
  leaf(0, 100, [leafCell(record(['table', 'main', 'main', 2, sql]))], undefined);
  leaf(P, 0, cells, pointers);
  return db;
}
/** Page 2 has `count` cell pointers that all point at one cell holding a `valueLen`-byte text. */
function overlappingCellsDb(count: number, valueLen: number): Uint8Array {
  return buildDb('CREATE TABLE main(token TEXT)', [leafCell(record(['tok-' + 'A'.repeat(valueLen - 4)]))], Array(count).fill(-1));
}
function patched(base: Uint8Array, f: (b: Buffer) => void): Uint8Array {
  const b = Buffer.from(base);
  f(b);
  return new Uint8Array(b);
}
const rootOf = (db: Uint8Array): number => {
  const row = readSqliteTable(db, undefined, 'sqlite_schema').find((r) => r.name === 'main');
  return Number(row?.rootpage);
};

const SQLITE_ONLY: Hostile[] = [
  { name: 'sqlite: wrong page size', make: content(() => patched(NORMAL_DB, (b) => b.writeUInt16BE(3000, 16))), expect: () => 'invalid' },
  {
    name: 'sqlite: cyclic page pointers (interior root points to itself)',
    make: content(() =>
      patched(PAGE1K_DB, (b) => {
        const root = rootOf(PAGE1K_DB);
        b.writeUInt32BE(root, (root - 1) * 1024 + 8);
      }),
    ),
    expect: () => 'invalid',
  },
  {
    name: 'sqlite: huge cell length (payload size 2^64-1)',
    make: content(() => {
      const db = overlappingCellsDb(1, 100);
      const P = 65536;
      const cell = Buffer.from(db.buffer).readUInt16BE(P + 8);
      db.fill(0xff, P + cell, P + cell + 9);
      return db;
    }),
    expect: () => 'invalid',
  },
  { name: 'sqlite: 10k cell pointers to one 40 KB cell', make: content(() => overlappingCellsDb(10_000, 40_000)), expect: () => 'invalid' },
];

// ---------------------------------------------------------------------------------------------
// Running one case.

const CASE_BOUND_MS = 10_000;
const stats = { envValues: 0, cases: 0, hangs: 0, untyped: 0, leaks: 0, skipped: [] as string[], slowestMs: 0, slowest: '' };

async function runBounded(what: string, run: () => Promise<Outcome>): Promise<Outcome | undefined> {
  stats.cases++;
  const start = Date.now();
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<'hang'>((resolve) => {
    timer = setTimeout(() => resolve('hang'), CASE_BOUND_MS);
  });
  let r: Outcome | 'hang';
  try {
    r = await Promise.race([run(), timeout]);
  } catch (e) {
    stats.untyped++;
    assert.fail(`${what}: the reader threw ${e instanceof Error ? e.name : typeof e}`);
  } finally {
    clearTimeout(timer);
  }
  const ms = Date.now() - start;
  if (ms > stats.slowestMs) {
    stats.slowestMs = ms;
    stats.slowest = what;
  }
  if (r === 'hang') {
    stats.hangs++;
    assert.fail(`${what}: no answer within ${CASE_BOUND_MS} ms`);
  }
  return r;
}

function checkOutcome(what: string, r: Outcome, expect: Expect, file: string, extraSecrets: string[] = []): void {
  const leak = leaks(r.problems, extraSecrets);
  if (leak) {
    stats.leaks++;
    assert.fail(`${what}: a secret leaked into "${leak}"`);
  }
  for (const i of r.issues) assert.ok(r.problems.includes(i.message), `${what}: every issue is also a problem line`);
  const kinds = r.issues.map((i) => i.problem);
  if (expect === 'none') assert.deepEqual(kinds, [], `${what}: no file problem expected, got ${JSON.stringify(r.issues)}`);
  else if (expect === 'none-or-invalid') assert.ok(kinds.every((k) => k === 'invalid'), `${what}: got ${JSON.stringify(r.issues)}`);
  else {
    assert.ok(kinds.includes(expect), `${what}: expected a '${expect}' issue, got ${JSON.stringify(r.issues)} / ${JSON.stringify(r.problems)}`);
    const issue = r.issues.find((i) => i.problem === expect)!;
    const base = file.split('/').slice(-1)[0];
    assert.ok(issue.message.includes(base) || issue.file.includes(base), `${what}: the issue names the file (${issue.message})`);
    assert.deepEqual(r.logins, [], `${what}: no login from an unusable file`);
  }
}

// ---------------------------------------------------------------------------------------------

test('hostile files × every file reader: bounded time, typed problems, no leaks', async () => {
  for (const t of TARGETS) {
    const cases = t.format === 'sqlite' ? [...HOSTILE, ...SQLITE_ONLY] : HOSTILE;
    for (const h of cases) {
      const what = `${t.name} × ${h.name}`;
      const { file, run } = t.setup();
      if (h.make(file, t) === false) {
        stats.skipped.push(what);
        continue;
      }
      const r = await runBounded(what, run);
      checkOutcome(what, r!, h.expect(t), file, t.secrets);
      if (h.loginExpected?.(t)) assert.ok(r!.logins.length > 0, `${what}: the login is still found (${JSON.stringify(r!.problems)})`);
    }
  }
  assert.equal(({} as Record<string, unknown>).polluted, undefined, 'Object.prototype is untouched');
  if (stats.skipped.length) console.log(`note: skipped ${stats.skipped.length} case(s) (running as root, chmod 000 cannot make a file unreadable; EACCES is covered with a file system that throws it): ${stats.skipped.join('; ')}`);
});

test('EACCES and other errors from a file system: permission / io problems, never "no login"', async () => {
  const eacces = () => Promise.reject(Object.assign(new Error('EACCES: permission denied, open /secret/path'), { code: 'EACCES' }));
  const eio = () => Promise.reject(Object.assign(new Error('EIO'), { code: 'EIO' }));
  for (const [name, fail, kind] of [['EACCES', eacces, 'permission'], ['EIO', eio, 'io']] as const) {
    const z = await runBounded(`zenml × ${name}`, () => readZenmlCliLogins({}, '/h', { readFile: fail }));
    checkOutcome(`zenml × ${name}`, z!, kind, '/h/.config/zenml/config.yaml');
    const m = await runBounded(`mosaic × ${name}`, () => readMosaicCliLogins({}, '/h', { readFile: fail, exists: async () => true }));
    checkOutcome(`mosaic × ${name}`, m!, kind, '/h/.mosaic/mcli_config');
    const f = await runBounded(`flyte × ${name}`, () => readFlyteCliLogins({}, '/h', ['/ws'], { readFile: fail, exists: async () => false }));
    checkOutcome(`flyte × ${name}`, f!, kind, '/ws/config.yaml');
    const fs: FileSystemLike = {
      stat: async (p) =>
        p.endsWith('-wal')
          ? Promise.reject(Object.assign(new Error('ENOENT'), { code: 'ENOENT' }))
          : p.endsWith('db') ? { mode: 0o100600, size: 10, isFile: () => true, isDirectory: () => false } : { mode: 0o40700, isFile: () => false, isDirectory: () => true },
      readFile: fail,
    };
    const a = await runBounded(`apolo × ${name}`, () => readApoloCliLogins({}, '/h', fs, { checkPermissions: false }));
    checkOutcome(`apolo × ${name}`, a!, kind, '/h/.apolo/db');
  }
});

test('a table with many columns and rows is refused, not expanded (rows × columns is bounded)', () => {
  // 1000 columns (all defaulted) × 5000 empty records: 5M cells from a 64 KB page.
  const cols = Array.from({ length: 1000 }, (_, i) => `c${i} DEFAULT 'x'`).join(',');
  const cells = Array.from({ length: 5000 }, (_, i) => new Uint8Array([1, ...varint(i + 1), 1]));
  const start = Date.now();
  assert.throws(() => readSqliteTable(buildDb(`CREATE TABLE main(${cols})`, cells), undefined, 'main'), /too large \(5000 rows of 1000 columns\)/);
  assert.ok(Date.now() - start < 2000);
  // The same page with a few rows reads fine.
  assert.equal(readSqliteTable(buildDb(`CREATE TABLE main(${cols})`, cells.slice(0, 3)), undefined, 'main').length, 3);
  stats.cases += 2;
});

// ---------------------------------------------------------------------------------------------
// The environment: passed configs and env credentials holding garbage.

test('hostile environment values: each is a problem naming the variable, never echoing the value', async () => {
  const SECRET = 'envsecret-Zq8Xw7Cv6Bn5';
  const b64 = (s: string) => Buffer.from(s).toString('base64');
  const home = freshHome();
  const cases: Array<{ name: string; env: Record<string, string>; names: string[] }> = [
    { name: 'passed config 10 MB', env: { APOLO_PASSED_CONFIG: 'A'.repeat(10 * 1024 * 1024) + SECRET }, names: ['APOLO_PASSED_CONFIG'] },
    { name: 'passed config binary', env: { NEURO_PASSED_CONFIG: Buffer.from(garbage(5000, 3)).toString('latin1') + SECRET }, names: ['NEURO_PASSED_CONFIG'] },
    { name: 'passed config base64 that does not decode to JSON', env: { APOLO_PASSED_CONFIG: b64(`{"token": "${SECRET}", broken`) }, names: ['APOLO_PASSED_CONFIG'] },
    { name: 'passed config deep JSON', env: { APOLO_PASSED_CONFIG: b64('['.repeat(30_000) + ']'.repeat(30_000)) }, names: ['APOLO_PASSED_CONFIG'] },
    { name: 'passed config wrong types', env: { APOLO_PASSED_CONFIG: b64(JSON.stringify({ token: 12345, url: ['x'], cluster: { a: 1 } })) }, names: ['APOLO_PASSED_CONFIG'] },
    {
      name: 'passed config with __proto__ and a token with control characters',
      env: { APOLO_PASSED_CONFIG: b64(`{"__proto__": {"polluted": 1}, "token": "${SECRET}\\u0000x", "url": "https://api.example.com"}`) },
      names: ['APOLO_PASSED_CONFIG'],
    },
    { name: 'APOLO_CONFIG 100 KB path', env: { APOLO_CONFIG: '/' + 'd'.repeat(100_000) }, names: [] },
    { name: 'ZENML_STORE_URL garbage, API key 1 MB', env: { ZENML_STORE_URL: `ht!tp://${SECRET}`, ZENML_STORE_API_KEY: SECRET.repeat(70_000) }, names: ['ZENML_STORE_URL'] },
    { name: 'ZENML_STORE_API_KEY with control characters', env: { ZENML_STORE_URL: 'https://zen.example.com', ZENML_STORE_API_KEY: `${SECRET}\r\nX-Evil: 1` }, names: ['ZENML_STORE_API_KEY'] },
    { name: 'ZENML_CONFIG_PATH with a NUL byte', env: { ZENML_CONFIG_PATH: `/tmp/a\u0000b` }, names: [] },
    { name: 'MOSAICML_API_KEY 1 MB', env: { MOSAICML_API_KEY: SECRET.repeat(50_000) }, names: ['MOSAICML_API_KEY'] },
    { name: 'MOSAICML_API_KEY with a newline', env: { MOSAICML_API_KEY: `${SECRET}\nX-Evil: 1` }, names: ['MOSAICML_API_KEY'] },
    { name: 'MCLI_MODE garbage', env: { MCLI_MODE: `${SECRET}\u0000`.repeat(1000) }, names: ['MCLI_MODE'] },
    { name: 'MOSAICML_API_ENDPOINT not a URL', env: { MOSAICML_API_ENDPOINT: `javascript:${SECRET}`, MOSAICML_API_KEY: 'k' }, names: ['MOSAICML_API_ENDPOINT'] },
    { name: 'FLYTE_API_KEY that does not decode', env: { FLYTE_API_KEY: b64(SECRET) }, names: ['FLYTE_API_KEY'] },
    { name: 'FLYTE_API_KEY 1 MB', env: { FLYTE_API_KEY: SECRET.repeat(50_000) }, names: ['FLYTE_API_KEY'] },
    { name: 'MCLI_CONFIG_PATH → /dev/zero', env: { MCLI_CONFIG_PATH: '/dev/zero' }, names: ['/dev/zero'] },
  ];
  for (const c of cases) {
    const runAll = async (): Promise<Outcome> => {
      const parts: Outcome[] = [
        await readApoloCliLogins(c.env, home, undefined, { checkPermissions: false }),
        await readZenmlCliLogins(c.env, home),
        await readMosaicCliLogins(c.env, home),
        await readFlyteCliLogins(c.env, home, []),
      ];
      return { logins: parts.flatMap((p) => p.logins), problems: parts.flatMap((p) => p.problems), issues: parts.flatMap((p) => p.issues) };
    };
    stats.envValues++;
    const r = (await runBounded(`env × ${c.name}`, runAll))!;
    const leak = leaks(r.problems, [SECRET]);
    if (leak) stats.leaks++;
    assert.equal(leak, undefined, `env × ${c.name}: a value leaked into "${leak?.slice(0, 200)}"`);
    for (const name of c.names) assert.ok(r.problems.some((p) => p.includes(name)), `env × ${c.name}: a problem names ${name}: ${JSON.stringify(r.problems).slice(0, 500)}`);
    for (const p of r.problems) assert.ok(p.length < 600, `env × ${c.name}: a problem line stays short (${p.length} chars)`);
    assert.deepEqual(r.logins, [], `env × ${c.name}: no login from garbage`);
  }
  assert.equal(({} as Record<string, unknown>).polluted, undefined);
});

// ---------------------------------------------------------------------------------------------
// Fuzz: random bytes and mutated valid files, every file reader.

const SEED = 0x5eed7;
const FUZZ_RUNS = 2000;

test(`fuzz: ${FUZZ_RUNS} random and mutated files (seed ${SEED})`, async () => {
  console.log(`cli readers fuzz: fast-check seed ${SEED}, ${FUZZ_RUNS} runs`);
  const fuzzT = TARGETS.filter((t) => t.name !== 'neuro db'); // same code path as apolo
  const mutation = fc.record({
    kind: fc.constantFrom('set', 'insert', 'delete', 'splice'),
    at: fc.nat(),
    byte: fc.integer({ min: 0, max: 255 }),
    len: fc.integer({ min: 1, max: 64 }),
  });
  const input = fc.record({
    target: fc.nat({ max: fuzzT.length - 1 }),
    mode: fc.constantFrom('random', 'mutated', 'mutated'),
    random: fc.uint8Array({ maxLength: 2048 }),
    mutations: fc.array(mutation, { minLength: 1, maxLength: 8 }),
  });
  const allowed = new Set<CliFileProblem>(['invalid']);
  await fc.assert(
    fc.asyncProperty(input, async ({ target, mode, random, mutations }) => {
      const t = fuzzT[target];
      let data: Uint8Array;
      if (mode === 'random') data = random;
      else {
        let b = [...t.valid()];
        for (const m of mutations) {
          const at = b.length ? m.at % (b.length + 1) : 0;
          if (m.kind === 'set' && b.length) b[at % b.length] = m.byte;
          else if (m.kind === 'insert') b.splice(at, 0, ...Array(m.len).fill(m.byte));
          else if (m.kind === 'delete') b.splice(at, m.len);
          else b.splice(at, 0, ...b.slice(Math.max(0, at - m.len), at));
        }
        data = new Uint8Array(b);
      }
      const { file, run } = t.setup();
      writeFileSync(file, data);
      const what = `fuzz ${t.name} (${mode}, ${data.length} bytes)`;
      const r = (await runBounded(what, run))!;
      const leak = leaks(r.problems);
      if (leak) stats.leaks++;
      assert.equal(leak, undefined, `${what}: leaked into ${leak}`);
      for (const i of r.issues) assert.ok(allowed.has(i.problem), `${what}: unexpected problem kind ${i.problem}`);
      rmSync(dirname(dirname(file)), { recursive: true, force: true });
    }),
    { seed: SEED, numRuns: FUZZ_RUNS, endOnFailure: true },
  );
});

test('YAML parse cost is bounded: the worst 1 MB inputs take well under a second', () => {
  const cases: Array<[string, string]> = [
    ['60k keys', keys60k],
    ['60k flow keys', '{' + Array.from({ length: 60_000 }, (_, i) => `k${i}: ${i}`).join(', ') + '}'],
    ['just under the token cap', Array.from({ length: 8_000 }, (_, i) => `k${i}: v${i}`).join('\n')],
    ['one 1 MB scalar', 'a: ' + 'x'.repeat(1024 * 1024 - 10)],
    ['duplicate keys', 'a: 1\n'.repeat(8_000)],
  ];
  for (const [name, text] of cases) {
    const start = Date.now();
    try {
      parseYamlBounded(text);
    } catch {
      /* refusing is fine; taking long is not */
    }
    const ms = Date.now() - start;
    console.log(`yaml bound: ${name} (${text.length} chars) → ${ms} ms`);
    assert.ok(ms < 1500, `${name}: ${ms} ms`);
    stats.cases++;
  }
});

after(() => {
  console.log(
    `cli readers: ${FILE_READERS} file readers × ${HOSTILE.length} hostile files (+${SQLITE_ONLY.length} SQLite-only for the 2 dbs) + ${stats.envValues} env values × 4 readers + ${FUZZ_RUNS} fuzzed = ${stats.cases} cases, ${stats.hangs} hangs, ${stats.untyped} untyped, ${stats.leaks} leaks (slowest ${stats.slowestMs} ms: ${stats.slowest}; ${stats.skipped.length} skipped)`,
  );
  // A reader stuck in a blocking open (a FIFO without O_NONBLOCK) would keep the process alive
  // after the failure was reported: leave anyway.
  if (stats.hangs > 0) setTimeout(() => process.exit(1), 1000).unref();
});
