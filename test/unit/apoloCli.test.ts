// Importing the Apolo / Neu.ro CLI login: real fixture databases copied into a temporary home
// directory with the modes the CLI insists on (or not), plus passed configs in the environment.
import { after, before, beforeEach, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { chmodSync, copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { readApoloCliLogins, type FileSystemLike } from '../../src/core/platforms/apolo/cliLogins';
import { apoloFixturesDir } from '../fixtures/apoloFixtures';

const FIXTURES = apoloFixturesDir();

let root: string;
let home: string;
let n = 0;

before(() => {
  root = mkdtempSync(join(tmpdir(), 'ml-secrets-apolo-cli-'));
});
after(() => {
  rmSync(root, { recursive: true, force: true });
});
beforeEach(() => {
  home = join(root, `home${++n}`);
  mkdirSync(home, { mode: 0o755 });
});

/** Copies fixture `name` (db and db-wal) into `dir` with the CLI's modes unless told otherwise. */
function install(name: string, dir: string, modes: { dir?: number; db?: number } = {}): void {
  mkdirSync(dir, { recursive: true });
  for (const f of ['db', 'db-wal']) {
    const src = join(FIXTURES, name, f);
    if (existsSync(src)) copyFileSync(src, join(dir, f));
    else if (existsSync(src + '.gz')) writeFileSync(join(dir, f), gunzipSync(readFileSync(src + '.gz')));
  }
  if (existsSync(join(dir, 'db'))) chmodSync(join(dir, 'db'), modes.db ?? 0o600);
  chmodSync(dir, modes.dir ?? 0o700);
}

function passed(obj: unknown): string {
  return Buffer.from(JSON.stringify(obj)).toString('base64');
}

/** No problem text may carry a token (all fixture tokens start with tok-) or a passed config. */
function assertNoSecrets(problems: string[], ...extra: string[]): void {
  for (const p of problems) {
    assert.doesNotMatch(p, /tok[- ]/, `a token leaked into: ${p}`);
    for (const s of extra) if (s) assert.ok(!p.includes(s), `a secret leaked into: ${p}`);
  }
}

const checked = { checkPermissions: true };

describe('reading ~/.apolo/db and ~/.neuro/db', () => {
  test('the newest row of a normal db becomes a login', async () => {
    install('normal', join(home, '.apolo'));
    const r = await readApoloCliLogins({}, home, undefined, checked);
    assert.deepEqual(r.problems, []);
    assert.deepEqual(r.logins, [
      {
        platform: 'apolo',
        source: '~/.apolo/db',
        url: 'https://api.apolo.us/api/v1',
        token: 'tok-normal-newest',
        cluster: 'default',
        org: 'my-org',
        project: 'my-project',
        expiresAt: 4102444800500,
      },
    ]);
  });

  test('the newest row that lives only in db-wal wins (the CLI is still running)', async () => {
    install('wal', join(home, '.apolo'));
    const r = await readApoloCliLogins({}, home, undefined, checked);
    assert.deepEqual(r.problems, []);
    assert.equal(r.logins[0].token, 'tok-wal-C-t2');
    assert.equal(r.logins[0].cluster, 'cluster-c');
  });

  test('64 KB pages with the log, and 1 KB pages with a deep table', async () => {
    install('page64k', join(home, '.apolo'));
    install('page1k', join(home, '.neuro'));
    const r = await readApoloCliLogins({}, home, undefined, checked);
    assert.deepEqual(r.problems, []);
    assert.deepEqual(
      r.logins.map((l) => [l.platform, l.token]),
      [
        ['apolo', 'tok-64k-B-wal'],
        ['neuro', 'tok-1k-newest'],
      ],
    );
  });

  test('both dirs: apolo first (the one the CLI uses), then the legacy neuro one with its expired token', async () => {
    install('normal', join(home, '.apolo'));
    install('cli-neuro', join(home, '.neuro'));
    const r = await readApoloCliLogins({}, home, undefined, checked);
    assert.deepEqual(r.problems, []);
    assert.equal(r.logins.length, 2);
    assert.equal(r.logins[0].platform, 'apolo');
    const neuro = r.logins[1];
    assert.deepEqual(neuro, {
      platform: 'neuro',
      source: '~/.neuro/db',
      url: 'https://api.neu.ro/api/v1',
      token: 'tok-neuro-expired',
      cluster: 'neuro-public',
      expiresAt: 1600000000250,
    });
    assert.ok(neuro.expiresAt! < Date.now(), 'expired, and the caller can tell');
  });

  test('APOLO_CONFIG and NEUROMATION_CONFIG move the dirs (~ expands); the same dir is read once', async () => {
    install('normal', join(home, 'cfg', 'apolo'));
    install('cli-neuro', join(root, `elsewhere${n}`));
    const r = await readApoloCliLogins({ APOLO_CONFIG: '~/cfg/apolo', NEUROMATION_CONFIG: join(root, `elsewhere${n}`) }, home, undefined, checked);
    assert.deepEqual(r.problems, []);
    assert.deepEqual(
      r.logins.map((l) => [l.platform, l.source]),
      [
        ['apolo', '~/cfg/apolo/db'],
        ['neuro', join(root, `elsewhere${n}`, 'db')],
      ],
    );
    const same = await readApoloCliLogins({ APOLO_CONFIG: join(home, 'cfg', 'apolo'), NEUROMATION_CONFIG: '~/cfg/apolo/' }, home, undefined, checked);
    assert.deepEqual(
      same.logins.map((l) => l.platform),
      ['apolo'],
    );
  });

  test('nothing there: no logins, no problems', async () => {
    assert.deepEqual(await readApoloCliLogins({}, home, undefined, checked), { logins: [], problems: [], issues: [] });
    // An empty APOLO_CONFIG counts as unset.
    install('normal', join(home, '.apolo'));
    const r = await readApoloCliLogins({ APOLO_CONFIG: '' }, home, undefined, checked);
    assert.equal(r.logins[0].source, '~/.apolo/db');
  });
});

describe('permissions, like the SDK: dir 0700, db 0600, else skipped with the fix', () => {
  test('a db readable by other users', async () => {
    install('normal', join(home, '.apolo'), { db: 0o644 });
    const r = await readApoloCliLogins({}, home, undefined, checked);
    assert.deepEqual(r.logins, []);
    assert.deepEqual(r.problems, ['~/.apolo/db is readable by other users (mode 0644); the Apolo CLI refuses it too — run chmod 600 ~/.apolo/db.']);
  });

  test('a config dir open to other users', async () => {
    install('cli-neuro', join(home, '.neuro'), { dir: 0o755 });
    const r = await readApoloCliLogins({}, home, undefined, checked);
    assert.deepEqual(r.logins, []);
    assert.deepEqual(r.problems, ['~/.neuro is accessible by other users (mode 0755); the Neu.ro CLI refuses it too — run chmod 700 ~/.neuro.']);
  });

  test('a mode that is private but not exactly 0600', async () => {
    install('normal', join(home, '.apolo'), { db: 0o400 });
    const r = await readApoloCliLogins({}, home, undefined, checked);
    assert.deepEqual(r.problems, ['~/.apolo/db has mode 0400, but the Apolo CLI requires 0600 and refuses it too — run chmod 600 ~/.apolo/db.']);
  });

  test('one bad source does not hide the other; checks can be turned off (Windows)', async () => {
    install('normal', join(home, '.apolo'), { db: 0o666 });
    install('cli-neuro', join(home, '.neuro'));
    let r = await readApoloCliLogins({}, home, undefined, checked);
    assert.deepEqual(
      r.logins.map((l) => l.platform),
      ['neuro'],
    );
    assert.equal(r.problems.length, 1);
    r = await readApoloCliLogins({}, home, undefined, { checkPermissions: false });
    assert.deepEqual(r.problems, []);
    assert.equal(r.logins.length, 2);
  });

  test('a db in a bad place is not replaced by the passed config (the CLI would not use it either)', async () => {
    install('normal', join(home, '.apolo'), { db: 0o644 });
    const r = await readApoloCliLogins({ APOLO_PASSED_CONFIG: passed({ token: 'tok-passed', url: 'https://api.apolo.us/api/v1', cluster: 'c' }) }, home, undefined, checked);
    assert.deepEqual(r.logins, []);
    assert.equal(r.problems.length, 1);
  });
});

describe('APOLO_PASSED_CONFIG / NEURO_PASSED_CONFIG', () => {
  const good = { token: 'tok-passed-1', cluster: 'default', url: 'https://api.apolo.us/api/v1/', org_name: 'my-org', project_name: 'my-project' };

  test('used when there is no db for that platform', async () => {
    const r = await readApoloCliLogins({ APOLO_PASSED_CONFIG: passed(good) }, home, undefined, checked);
    assert.deepEqual(r.problems, []);
    assert.deepEqual(r.logins, [
      { platform: 'apolo', source: 'APOLO_PASSED_CONFIG', url: 'https://api.apolo.us/api/v1', token: 'tok-passed-1', cluster: 'default', org: 'my-org', project: 'my-project' },
    ]);
  });

  test('ignored when a db exists for that platform; the legacy variable is the neuro platform', async () => {
    install('normal', join(home, '.apolo'));
    const r = await readApoloCliLogins(
      { APOLO_PASSED_CONFIG: passed(good), NEURO_PASSED_CONFIG: passed({ token: 'tok-passed-neuro', url: 'https://api.neu.ro/api/v1', cluster: 'x', org_name: null }) },
      home,
      undefined,
      checked,
    );
    assert.deepEqual(r.problems, []);
    assert.deepEqual(
      r.logins.map((l) => [l.platform, l.source, l.token]),
      [
        ['apolo', '~/.apolo/db', 'tok-normal-newest'],
        ['neuro', 'NEURO_PASSED_CONFIG', 'tok-passed-neuro'],
      ],
    );
    assert.equal(r.logins[1].org, undefined);
  });

  test('garbage becomes a problem that never echoes the value', async () => {
    const cases: Array<[string, RegExp]> = [
      ['not base64 at all!', /APOLO_PASSED_CONFIG is not base64; ignoring it\./],
      [Buffer.from('tok-secret-in-text').toString('base64'), /not base64-encoded JSON/],
      [passed(['tok-array']), /does not hold a JSON object/],
      [passed({ url: 'https://api.apolo.us/api/v1', cluster: 'c' }), /no usable token/],
      [passed({ token: 'tok has spaces', url: 'https://api.apolo.us/api/v1' }), /no usable token/],
      [passed({ token: 'tok-x', url: 'file:///etc/passwd' }), /not an http\(s\) URL/],
      [passed({ token: 'tok-x', url: 'https://user:tok-pw@api.apolo.us/api/v1' }), /user name or password/],
      [passed({ token: 'tok-x', url: 'not a url' }), /not a valid URL/],
      [passed({ token: 'tok-x' }), /has no API URL/],
      ['', /is empty/],
    ];
    for (const [value, expected] of cases) {
      const r = await readApoloCliLogins({ APOLO_PASSED_CONFIG: value }, home, undefined, checked);
      assert.deepEqual(r.logins, [], value);
      assert.equal(r.problems.length, 1, value);
      assert.match(r.problems[0], expected);
      assertNoSecrets(r.problems, value, 'tok-pw');
    }
  });
});

describe('damaged or odd databases are problems, not crashes', () => {
  test('the newest row has a bad url or token: a problem (the older valid row is not the current login)', async () => {
    install('cli-garbage', join(home, '.apolo'));
    const r = await readApoloCliLogins({}, home, undefined, checked);
    assert.deepEqual(r.logins, []);
    assert.deepEqual(r.problems, ['~/.apolo/db has an API URL that is not an http(s) URL; log in again with `apolo login`.']);
    assertNoSecrets(r.problems);
  });

  test('an empty table, no table, UTF-16, truncated, not SQLite at all', async () => {
    const cases: Array<[string, RegExp]> = [
      ['cli-empty', /^~\/\.apolo\/db holds no login \(its table "main" is empty\); log in with `apolo login`\.$/],
      ['types', /^~\/\.apolo\/db holds no CLI login \(it has no table "main"\)/],
      ['utf16', /^~\/\.apolo\/db could not be read: .*UTF-16/],
    ];
    for (const [fixture, expected] of cases) {
      const h = join(home, fixture);
      install(fixture, join(h, '.apolo'));
      const r = await readApoloCliLogins({}, h, undefined, checked);
      assert.deepEqual(r.logins, [], fixture);
      assert.equal(r.problems.length, 1, fixture);
      assert.match(r.problems[0], expected);
    }

    const dir = join(home, 'trunc', '.apolo');
    install('normal', dir);
    writeFileSync(join(dir, 'db'), readFileSync(join(FIXTURES, 'normal', 'db')).subarray(0, 4096 * 3));
    install('cli-neuro', join(home, 'trunc', '.neuro'));
    let r = await readApoloCliLogins({}, join(home, 'trunc'), undefined, checked);
    assert.equal(r.problems.length, 1);
    assert.match(r.problems[0], /^~\/\.apolo\/db could not be read: The SQLite database is corrupt: page \d+ is past the end of the file \(the file looks truncated\)\.$/);
    assert.deepEqual(
      r.logins.map((l) => l.platform),
      ['neuro'],
      'the other source is still read',
    );

    writeFileSync(join(dir, 'db'), 'token = "tok-in-a-text-file"\n');
    r = await readApoloCliLogins({}, join(home, 'trunc'), undefined, checked);
    assert.match(r.problems[0], /^~\/\.apolo\/db could not be read: The file is not an SQLite database/);
    assertNoSecrets(r.problems);
  });

  test('db is a directory', async () => {
    mkdirSync(join(home, '.apolo', 'db'), { recursive: true });
    const r = await readApoloCliLogins({ APOLO_PASSED_CONFIG: passed({ token: 'tok-p', url: 'https://x.example/api/v1' }) }, home, undefined, checked);
    assert.deepEqual(r.logins, []);
    assert.deepEqual(r.problems, ['~/.apolo/db is a directory; the Apolo CLI cannot use it either — log in again with `apolo login`.']);
    assert.deepEqual(r.issues.map((i) => i.problem), ['isDirectory']);
  });

  test('a relative or ~user APOLO_CONFIG is reported, not guessed', async () => {
    let r = await readApoloCliLogins({ APOLO_CONFIG: 'relative/dir' }, home, undefined, checked);
    assert.match(r.problems[0], /^APOLO_CONFIG is a relative path/);
    r = await readApoloCliLogins({ APOLO_CONFIG: '~someone/.apolo' }, home, undefined, checked);
    assert.match(r.problems[0], /^APOLO_CONFIG cannot expand a "~user" path/);
  });
});

describe('a custom FileSystemLike', () => {
  const files = new Map<string, Uint8Array>();
  const dirs = new Set<string>();
  const fake = (overrides: Partial<FileSystemLike> = {}): FileSystemLike => ({
    async readFile(p) {
      const b = files.get(p);
      if (!b) throw Object.assign(new Error(`ENOENT: ${p}`), { code: 'ENOENT' });
      return b;
    },
    async stat(p) {
      if (dirs.has(p)) return { mode: 0o40700, size: 4096, isFile: () => false, isDirectory: () => true };
      const b = files.get(p);
      if (!b) throw Object.assign(new Error(`ENOENT: ${p}`), { code: 'ENOENT' });
      return { mode: 0o100600, size: b.length, isFile: () => true, isDirectory: () => false };
    },
    ...overrides,
  });

  test('reads through it, and its failures are problems', async () => {
    files.clear();
    dirs.clear();
    dirs.add('/h/.apolo');
    files.set('/h/.apolo/db', new Uint8Array(readFileSync(join(FIXTURES, 'wal', 'db'))));
    files.set('/h/.apolo/db-wal', new Uint8Array(readFileSync(join(FIXTURES, 'wal', 'db-wal'))));
    let r = await readApoloCliLogins({}, '/h', fake(), checked);
    assert.deepEqual(r.problems, []);
    assert.equal(r.logins[0].token, 'tok-wal-C-t2');

    r = await readApoloCliLogins(
      {},
      '/h',
      fake({
        readFile: async () => {
          throw Object.assign(new Error('EACCES'), { code: 'EACCES' });
        },
      }),
      checked,
    );
    assert.deepEqual(r.problems, ['Cannot read ~/.apolo/db (permission denied).']);

    r = await readApoloCliLogins(
      {},
      '/h',
      fake({
        stat: async () => {
          throw 'not even an Error';
        },
      }),
      checked,
    );
    assert.deepEqual(r.problems, ['Cannot read ~/.apolo/db (unexpected error).', 'Cannot read ~/.neuro/db (unexpected error).']);
  });

  test('an oversized db is not read', async () => {
    let reads = 0;
    const r = await readApoloCliLogins(
      {},
      '/h',
      fake({
        stat: async (p) =>
          p === '/h/.apolo'
            ? { mode: 0o40700, isFile: () => false, isDirectory: () => true }
            : p === '/h/.apolo/db'
              ? { mode: 0o100600, size: 1 << 30, isFile: () => true, isDirectory: () => false }
              : Promise.reject(Object.assign(new Error('ENOENT'), { code: 'ENOENT' })),
        readFile: async () => {
          reads++;
          return new Uint8Array(0);
        },
      }),
      checked,
    );
    assert.equal(reads, 0);
    assert.match(r.problems[0], /larger than 32 MB/);
  });

  test('a log that changes while it is read (a checkpoint) is read again so db and log match', async () => {
    files.clear();
    dirs.clear();
    dirs.add('/h/.apolo');
    const db = new Uint8Array(readFileSync(join(FIXTURES, 'wal', 'db')));
    const wal = new Uint8Array(readFileSync(join(FIXTURES, 'wal', 'db-wal')));
    files.set('/h/.apolo/db', db);
    files.set('/h/.apolo/db-wal', wal);
    let walReads = 0;
    const base = fake();
    const r = await readApoloCliLogins(
      {},
      '/h',
      {
        stat: base.stat,
        async readFile(p) {
          if (p.endsWith('-wal')) {
            walReads++;
            // First read: a log of another generation; from then on the real one.
            if (walReads === 1) return wal.subarray(0, 32 + 3 * (24 + 4096));
          }
          return base.readFile(p);
        },
      },
      checked,
    );
    assert.deepEqual(r.problems, []);
    assert.equal(r.logins[0].token, 'tok-wal-C-t2');
    assert.equal(walReads, 4, 'read before and after the db, twice');
  });
});
