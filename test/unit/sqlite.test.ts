// The read-only SQLite reader against real databases written by the sqlite3 shell
// (test/fixtures/apolo, see its README), and against damaged copies of them.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { CredentialFileError, openSqlite, readSqliteTable, type SqlRow } from '../../src/core/platforms/apolo/sqlite';
import { apoloFixturesDir } from '../fixtures/apoloFixtures';

const FIXTURES = apoloFixturesDir();

/** A fixture file (`db`, `db-wal`), gunzipped if it is stored as `.gz`; undefined if absent. */
function fixture(name: string, file: 'db' | 'db-wal'): Uint8Array | undefined {
  const p = join(FIXTURES, name, file);
  if (existsSync(p)) return new Uint8Array(readFileSync(p));
  if (existsSync(p + '.gz')) return new Uint8Array(gunzipSync(readFileSync(p + '.gz')));
  return undefined;
}
function mustFixture(name: string, file: 'db' | 'db-wal'): Uint8Array {
  const b = fixture(name, file);
  assert.ok(b, `fixture ${name}/${file} is missing`);
  return b;
}

interface Expected {
  count: number;
  sha256: string;
  newestToken: string | null;
  tokens?: string[];
}
function expected(name: string): Expected {
  return JSON.parse(readFileSync(join(FIXTURES, name, 'expected.json'), 'utf8')) as Expected;
}

function tokens(rows: SqlRow[]): unknown[] {
  return rows.map((r) => r.token);
}

function newest(rows: SqlRow[]): SqlRow {
  return [...rows].sort((a, b) => (b.timestamp as number) - (a.timestamp as number))[0];
}

function assertFileError(fn: () => unknown, code: string, message?: RegExp): CredentialFileError {
  let caught: unknown;
  try {
    fn();
  } catch (e) {
    caught = e;
  }
  assert.ok(caught instanceof CredentialFileError, `expected a CredentialFileError, got ${String(caught)}`);
  assert.equal(caught.code, code, caught.message);
  if (message) assert.match(caught.message, message);
  return caught;
}

const WAL_HEADER = 32;
function frameOffset(pageSize: number, i: number): number {
  return WAL_HEADER + i * (24 + pageSize);
}
function u32(b: Uint8Array, off: number): number {
  return ((b[off] << 24) >>> 0) + (b[off + 1] << 16) + (b[off + 2] << 8) + b[off + 3];
}
function put32(b: Uint8Array, off: number, v: number): void {
  b[off] = v >>> 24;
  b[off + 1] = (v >>> 16) & 0xff;
  b[off + 2] = (v >>> 8) & 0xff;
  b[off + 3] = v & 0xff;
}

describe('readSqliteTable matches what SQLite itself reads (expected.json from sqlite3 -json)', () => {
  for (const name of ['normal', 'wal', 'wal-restarted', 'wal-uncommitted', 'page64k', 'page1k', 'cli-neuro', 'cli-garbage', 'cli-empty']) {
    test(name, () => {
      const exp = expected(name);
      const rows = readSqliteTable(mustFixture(name, 'db'), fixture(name, 'db-wal'), 'main');
      assert.equal(rows.length, exp.count);
      if (exp.tokens) assert.deepEqual(tokens(rows), exp.tokens);
      assert.equal(createHash('sha256').update(JSON.stringify(rows)).digest('hex'), exp.sha256, 'every column of every row equals SQLite’s');
      if (exp.newestToken !== null) assert.equal(newest(rows).token, exp.newestToken);
    });
  }
});

describe('the Apolo schema and overflow pages', () => {
  test('normal: the newest row by timestamp is neither first nor last by rowid, and its big clusters JSON is intact', () => {
    const db = openSqlite(mustFixture('normal', 'db'));
    assert.deepEqual(
      db.columns('main').map((c) => c.name),
      ['auth_config', 'token', 'expiration_time', 'refresh_token', 'url', 'admin_url', 'vcluster_url', 'version', 'project_name', 'cluster_name', 'org_name', 'clusters', 'projects', 'timestamp'],
    );
    const rows = db.readTable('MAIN'); // table names match case-insensitively, as in SQL
    assert.deepEqual(tokens(rows), ['tok-normal-middle', 'tok-normal-newest', 'tok-normal-last-rowid']);
    const top = newest(rows);
    assert.equal(top.token, 'tok-normal-newest');
    assert.equal(top.expiration_time, 4102444800.5);
    assert.equal(top.timestamp, 1700000300.75);
    assert.equal(top.vcluster_url, 'https://api.apolo.us/apis/vcluster/v1');
    assert.equal(rows[2].project_name, null);
    const clusters = top.clusters as string;
    assert.ok(clusters.length > 2 * 4096, 'spans several overflow pages');
    const parsed = JSON.parse(clusters) as Array<{ name: string; secrets_url: string }>;
    assert.equal(parsed[0].secrets_url, 'https://default.org.apolo.us/api/v1/secrets');
    assert.equal(db.wal.present, false);
  });

  test('page size 65536 (stored as 1 in the header), a two-page overflow chain, the newest row only in the WAL', () => {
    const bytes = mustFixture('page64k', 'db');
    assert.deepEqual([bytes[16], bytes[17]], [0, 1]);
    const db = openSqlite(bytes, fixture('page64k', 'db-wal'));
    assert.equal(db.pageSize, 65536);
    assert.equal(db.wal.commits, 1);
    const rows = db.readTable('main');
    assert.deepEqual(tokens(rows), ['tok-64k-A-big', 'tok-64k-B-wal']);
    assert.ok((rows[0].clusters as string).length > 65536);
    assert.doesNotThrow(() => JSON.parse(rows[0].clusters as string));
    // Without the log, only the checkpointed row.
    assert.deepEqual(tokens(readSqliteTable(bytes, undefined, 'main')), ['tok-64k-A-big']);
  });

  test('page size 1024: 1000 rows under interior pages three levels deep, a ~20-page overflow chain', () => {
    const db = openSqlite(mustFixture('page1k', 'db'));
    assert.equal(db.pageSize, 1024);
    const rows = db.readTable('main');
    assert.equal(rows.length, 1000);
    assert.deepEqual(
      rows.map((r) => r.token).slice(0, 3),
      ['tok-1k-1', 'tok-1k-2', 'tok-1k-3'],
      'rows come back in rowid order',
    );
    const top = newest(rows);
    assert.equal(top.token, 'tok-1k-newest');
    assert.equal(rows.indexOf(top), 320, 'rowid 321: in the middle of the table');
    assert.ok((top.clusters as string).length >= 20000);
    assert.doesNotThrow(() => JSON.parse(top.clusters as string));
  });
});

describe('the write-ahead log', () => {
  const db = mustFixture('wal', 'db');
  const wal = mustFixture('wal', 'db-wal');
  const PAGE = 4096;
  // The fixture's log: T1 = frames 0–3 (commit), T2 = frames 4–8 (commit). See the README.
  const framesIn = (w: Uint8Array) => Math.floor((w.length - WAL_HEADER) / (24 + PAGE));

  test('the fixture has the shape the tests below rely on', () => {
    assert.equal(framesIn(wal), 9);
    assert.equal(u32(wal, frameOffset(PAGE, 3) + 4) !== 0, true, 'frame 3 commits T1');
    assert.equal(u32(wal, frameOffset(PAGE, 8) + 4) !== 0, true, 'frame 8 commits T2');
    for (const i of [0, 1, 2, 4, 5, 6, 7]) assert.equal(u32(wal, frameOffset(PAGE, i) + 4), 0);
  });

  test('without the log: only the checkpointed row', () => {
    assert.deepEqual(tokens(readSqliteTable(db, undefined, 'main')), ['tok-wal-A-in-db']);
  });

  test('with the log: the newest row, which exists only in db-wal, on pages past the end of db', () => {
    const f = openSqlite(db, wal);
    assert.equal(db.length / PAGE, 2, 'db itself has two pages');
    assert.equal(f.pageCount, 5, 'three more exist only in the log');
    assert.deepEqual({ ...f.wal }, { present: true, framesApplied: 9, commits: 2, framesIgnored: 0 });
    assert.deepEqual(tokens(f.readTable('main')), ['tok-wal-C-t2']);
    assert.equal(f.readTable('main')[0].cluster_name, 'cluster-c');
  });

  test('a frame with a bad checksum ends the log: its transaction is ignored', () => {
    const bad = Uint8Array.from(wal);
    bad[frameOffset(PAGE, 6) + 24 + 1000] ^= 0x40; // page data of a T2 frame
    const f = openSqlite(db, bad);
    assert.deepEqual(tokens(f.readTable('main')), ['tok-wal-A-in-db', 'tok-wal-B-t1']);
    assert.equal(f.wal.commits, 1);
    assert.equal(f.wal.framesIgnored, 5);

    const worse = Uint8Array.from(wal);
    worse[frameOffset(PAGE, 0) + 16] ^= 1; // the checksum field of the very first frame
    assert.deepEqual(tokens(readSqliteTable(db, worse, 'main')), ['tok-wal-A-in-db']);
  });

  test('uncommitted trailing frames (a torn write cut after frame 6) are ignored', () => {
    const cut = wal.subarray(0, frameOffset(PAGE, 7));
    const f = openSqlite(db, cut);
    assert.deepEqual(tokens(f.readTable('main')), ['tok-wal-A-in-db', 'tok-wal-B-t1']);
    assert.equal(f.wal.framesIgnored, 3);
    // A partial frame at the end is no frame at all.
    assert.deepEqual(tokens(readSqliteTable(db, wal.subarray(0, wal.length - 100), 'main')), ['tok-wal-A-in-db', 'tok-wal-B-t1']);
  });

  test('uncommitted frames SQLite spilled from an open transaction are ignored', () => {
    const f = openSqlite(mustFixture('wal-uncommitted', 'db'), fixture('wal-uncommitted', 'db-wal'));
    assert.deepEqual(tokens(f.readTable('main')), ['tok-uncommitted-A', 'tok-uncommitted-B-committed']);
    assert.equal(f.wal.commits, 1);
    assert.ok(f.wal.framesIgnored >= 2, `spilled frames: ${f.wal.framesIgnored}`);
  });

  test('after a restarted log, frames of the old generation (other salts) are ignored', () => {
    const w = mustFixture('wal-restarted', 'db-wal');
    const salt1 = u32(w, 16);
    assert.notEqual(u32(w, frameOffset(PAGE, 1) + 8), salt1, 'fixture: frame 1 is from the old generation');
    const f = openSqlite(mustFixture('wal-restarted', 'db'), w);
    assert.equal(f.wal.framesApplied, 1);
    assert.equal(f.wal.framesIgnored, framesIn(w) - 1);
    assert.equal(newest(f.readTable('main')).token, 'tok-restart-new-generation');
  });

  test('a frame whose salt differs from the header ends the log', () => {
    const bad = Uint8Array.from(wal);
    put32(bad, frameOffset(PAGE, 4) + 8, u32(bad, frameOffset(PAGE, 4) + 8) ^ 1);
    assert.deepEqual(tokens(readSqliteTable(db, bad, 'main')), ['tok-wal-A-in-db', 'tok-wal-B-t1']);
  });

  test('a log with a bad header is ignored as a whole, with the reason', () => {
    const badMagic = Uint8Array.from(wal);
    badMagic[0] ^= 0xff;
    let f = openSqlite(db, badMagic);
    assert.match(f.wal.ignoredReason ?? '', /magic/);
    assert.deepEqual(tokens(f.readTable('main')), ['tok-wal-A-in-db']);

    const badSum = Uint8Array.from(wal);
    badSum[12] ^= 1; // checkpoint sequence, covered by the header checksum
    f = openSqlite(db, badSum);
    assert.match(f.wal.ignoredReason ?? '', /checksum/);

    f = openSqlite(db, wal.subarray(0, 20));
    assert.match(f.wal.ignoredReason ?? '', /shorter/);

    // The 64 KB-page log next to a 4 KB-page database.
    f = openSqlite(db, mustFixture('page64k', 'db-wal'));
    assert.match(f.wal.ignoredReason ?? '', /page size/);
    assert.deepEqual(tokens(f.readTable('main')), ['tok-wal-A-in-db']);
  });

  test('a log with big-endian checksums (magic 0x377f0683, as written on big-endian machines) reads the same', () => {
    // Re-encode the fixture: new magic, then every checksum recomputed over big-endian words.
    const be = Uint8Array.from(wal);
    put32(be, 0, 0x377f0683);
    const sum = (off: number, len: number, s: [number, number]): [number, number] => {
      let [s0, s1] = s;
      for (let i = off; i < off + len; i += 8) {
        s0 = (s0 + u32(be, i) + s1) >>> 0;
        s1 = (s1 + u32(be, i + 4) + s0) >>> 0;
      }
      return [s0, s1];
    };
    let s = sum(0, 24, [0, 0]);
    put32(be, 24, s[0]);
    put32(be, 28, s[1]);
    for (let i = 0; i < framesIn(be); i++) {
      const off = frameOffset(PAGE, i);
      s = sum(off + 24, PAGE, sum(off, 8, s));
      put32(be, off + 16, s[0]);
      put32(be, off + 20, s[1]);
    }
    const f = openSqlite(db, be);
    assert.equal(f.wal.commits, 2);
    assert.deepEqual(tokens(f.readTable('main')), ['tok-wal-C-t2']);
    // …and the original little-endian checksums do not pass as big-endian ones.
    const mixed = Uint8Array.from(wal);
    put32(mixed, 0, 0x377f0683);
    assert.match(openSqlite(db, mixed).wal.ignoredReason ?? '', /checksum/);
  });

  test('an empty log file is no log', () => {
    const f = openSqlite(db, new Uint8Array(0));
    assert.equal(f.wal.present, false);
    assert.deepEqual(tokens(f.readTable('main')), ['tok-wal-A-in-db']);
  });
});

describe('record types, schema parsing, unsupported features', () => {
  const types = openSqlite(mustFixture('types', 'db'));

  test('every serial type, the rowid alias, quoted names, generated and added columns', () => {
    assert.deepEqual(types.tableNames(), ['t', 'pk2', 'pkdesc', 'wr']);
    const rows = types.readTable('t');
    assert.deepEqual(rows[0], {
      id: 1,
      i: 0,
      r: 1.5,
      s: 'héllo ✓',
      b: new Uint8Array([0, 255, 16]),
      n: null,
      'we"ird name': 'q',
      g: null, // VIRTUAL: not stored
      gs: 1, // STORED: read from the record
      added: 'dflt', // ALTER TABLE … ADD COLUMN … DEFAULT 'dflt', row written before
      added2: -5,
    });
    assert.equal(rows[1].r, -0.25);
    assert.equal(rows[1].s, '');
    assert.deepEqual(rows[1].b, new Uint8Array(0));
    assert.deepEqual(
      rows.map((r) => r.i),
      [0, 1, 127, -128, 32767, -8388608, 2147483647, 140737488355327, 9007199254740993n, -9223372036854775808n, 9007199254740991, 42],
    );
    const last = rows[rows.length - 1];
    assert.equal(last.id, 9223372036854775807n, 'a rowid beyond 2^53 is a bigint');
    assert.equal(last.added, 'set');
    assert.equal(last.added2, null);
    assert.deepEqual(
      types.columns('t').filter((c) => c.rowidAlias).map((c) => c.name),
      ['id'],
    );
    assert.equal(types.columns('t').find((c) => c.name === 'r')?.declaredType, 'REAL');
  });

  test('PRIMARY KEY (a) as a table constraint is a rowid alias; INTEGER PRIMARY KEY DESC is not', () => {
    assert.deepEqual(types.readTable('pk2'), [{ a: 7, b: 'seven' }]);
    assert.equal(types.columns('pk2')[0].rowidAlias, true);
    assert.deepEqual(types.readTable('pkdesc'), [{ a: 7, b: 'seven' }]);
    assert.equal(types.columns('pkdesc')[0].rowidAlias, false);
  });

  test('sqlite_schema itself can be read', () => {
    const schema = types.readTable('sqlite_master');
    assert.deepEqual(
      schema.filter((r) => r.type === 'table').map((r) => r.name),
      ['t', 'pk2', 'pkdesc', 'wr'],
    );
  });

  test('WITHOUT ROWID, a missing table and UTF-16 are refused with clear errors', () => {
    assertFileError(() => types.readTable('wr'), 'unsupported', /WITHOUT ROWID/);
    assertFileError(() => types.readTable('main'), 'noSuchTable', /no table "main"/);
    assertFileError(() => readSqliteTable(mustFixture('utf16', 'db'), undefined, 'main'), 'unsupported', /UTF-16 \(little-endian\).*only UTF-8/);
  });
});

describe('damaged and hostile input ends in a CredentialFileError', () => {
  const normal = mustFixture('normal', 'db');

  test('not a database, too short, empty', () => {
    assertFileError(() => readSqliteTable(new TextEncoder().encode('{"token": "x"}'.padEnd(200, ' ')), undefined, 'main'), 'corrupt', /not an SQLite database/);
    assertFileError(() => readSqliteTable(normal.subarray(0, 50), undefined, 'main'), 'corrupt', /shorter than the 100-byte header/);
    assertFileError(() => readSqliteTable(new Uint8Array(0), undefined, 'main'), 'noSuchTable');
  });

  test('a truncated file', () => {
    assertFileError(() => readSqliteTable(normal.subarray(0, 4096 * 3), undefined, 'main'), 'corrupt', /page \d+ is past the end of the file/);
    assertFileError(() => readSqliteTable(normal.subarray(0, 1000), undefined, 'main'), 'corrupt');
  });

  test('a b-tree page that points back to itself (a cycle) does not hang', () => {
    const bytes = Uint8Array.from(mustFixture('page1k', 'db'));
    const f = openSqlite(bytes);
    assert.equal(f.pageSize, 1024);
    // Page 2 is the root of `main`, an interior page; point its right-most child at itself.
    assert.equal(bytes[1024], 0x05);
    put32(bytes, 1024 + 8, 2);
    assertFileError(() => readSqliteTable(bytes, undefined, 'main'), 'corrupt', /used twice/);
  });

  test('an overflow chain that loops does not hang', () => {
    const bytes = Uint8Array.from(normal);
    const page = 4096;
    let looped = 0;
    for (let p = 2; p <= bytes.length / page; p++) {
      const off = (p - 1) * page;
      const next = u32(bytes, off);
      if (![0x02, 0x05, 0x0a, 0x0d].includes(bytes[off]) && next !== 0) {
        put32(bytes, off, p); // overflow page whose "next" is itself
        looped = p;
        break;
      }
    }
    assert.ok(looped > 0, 'fixture has an overflow chain');
    assertFileError(() => readSqliteTable(bytes, undefined, 'main'), 'corrupt', /used twice/);
  });

  test('a payload size larger than the file', () => {
    const bytes = Uint8Array.from(mustFixture('cli-empty', 'db'));
    // Corrupt page 1's first cell (the CREATE TABLE row of sqlite_schema): payload size 2^62.
    const cell = (bytes[100 + 8] << 8) | bytes[100 + 9];
    bytes.set([0xc0, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x00], cell);
    assertFileError(() => readSqliteTable(bytes, undefined, 'main'), 'corrupt', /out of range/);
  });

  test('an invalid page size or text encoding in the header', () => {
    const bytes = Uint8Array.from(normal);
    bytes[16] = 0x03; // 0x0300 = 768: not a power of two
    assertFileError(() => readSqliteTable(bytes, undefined, 'main'), 'corrupt', /page size/);
    const enc = Uint8Array.from(normal);
    enc[59] = 9;
    assertFileError(() => readSqliteTable(enc, undefined, 'main'), 'corrupt', /text encoding/);
  });
});

describe('fuzz: random damage gives rows or a CredentialFileError, quickly', () => {
  /** mulberry32: a small seeded PRNG, so failures reproduce. */
  function rng(seed: number): () => number {
    let a = seed >>> 0;
    return () => {
      a = (a + 0x6d2b79f5) >>> 0;
      let t = a;
      t = Math.imul(t ^ (t >>> 15), t | 1);
      t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
      return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
    };
  }

  function mutate(src: Uint8Array, pageSize: number, rand: () => number): Uint8Array {
    const out = Uint8Array.from(src);
    const flips = 1 + Math.floor(rand() * 8);
    for (let k = 0; k < flips; k++) {
      // Half the flips land in the first 64 bytes of a page (headers, cell pointers, overflow
      // pointers, record headers), where damage is most interesting; half anywhere.
      const pages = Math.max(1, Math.floor(out.length / pageSize));
      const pos =
        rand() < 0.5
          ? Math.min(out.length - 1, Math.floor(rand() * pages) * pageSize + Math.floor(rand() * (pageSize === 0 ? 1 : 64)) + (rand() < 0.3 ? 100 : 0))
          : Math.floor(rand() * out.length);
      out[pos] = rand() < 0.5 ? out[pos] ^ (1 << Math.floor(rand() * 8)) : Math.floor(rand() * 256);
    }
    if (rand() < 0.1) return out.subarray(0, Math.floor(rand() * out.length));
    return out;
  }

  function check(label: string, db: Uint8Array, wal: Uint8Array | undefined, table: string): 'rows' | 'error' {
    const started = Date.now();
    try {
      const rows = readSqliteTable(db, wal, table);
      assert.ok(Array.isArray(rows));
      return 'rows';
    } catch (e) {
      if (!(e instanceof CredentialFileError)) {
        assert.fail(`${label}: threw ${e instanceof Error ? `${e.name}: ${e.message}` : String(e)} instead of a CredentialFileError`);
      }
      assert.notEqual(e.code, 'internal', `${label}: ${e.message}`);
      return 'error';
    } finally {
      assert.ok(Date.now() - started < 2000, `${label}: took ${Date.now() - started} ms`);
    }
  }

  const cases: Array<{ name: string; table: string; pageSize: number; iterations: number; mutateWal: boolean }> = [
    { name: 'normal', table: 'main', pageSize: 4096, iterations: 1000, mutateWal: false },
    { name: 'types', table: 't', pageSize: 4096, iterations: 1000, mutateWal: false },
    { name: 'page1k', table: 'main', pageSize: 1024, iterations: 150, mutateWal: false },
    { name: 'wal', table: 'main', pageSize: 4096, iterations: 600, mutateWal: true },
    { name: 'wal-restarted', table: 'main', pageSize: 4096, iterations: 200, mutateWal: true },
  ];
  for (const c of cases) {
    test(`${c.name}: ${c.iterations} damaged copies`, () => {
      const rand = rng(0x5eed + c.name.length * 7919);
      const db = mustFixture(c.name, 'db');
      const wal = fixture(c.name, 'db-wal');
      const outcomes = { rows: 0, error: 0 };
      const started = Date.now();
      for (let i = 0; i < c.iterations; i++) {
        const damageDb = !c.mutateWal || rand() < 0.5;
        const d = damageDb ? mutate(db, c.pageSize, rand) : db;
        const w = !damageDb && wal ? mutate(wal, c.pageSize + 24, rand) : wal;
        outcomes[check(`${c.name} #${i}`, d, w, c.table)]++;
      }
      assert.ok(outcomes.error > 0, 'some damage is detected');
      assert.ok(Date.now() - started < 20000, 'the whole run is quick');
    });
  }
});
