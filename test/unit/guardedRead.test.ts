// The guarded reader every CLI login reader goes through (src/core/credentials/guardedRead.ts).
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync, spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  CliFileError,
  decodeText,
  displayPath,
  guardedReadFile,
  guardedReadText,
  isMissingError,
  parseYamlBounded,
  readYamlMapping,
  guardedTextFs,
} from '../../src/core/credentials/guardedRead';

let dir: string;
before(() => {
  dir = mkdtempSync(join(tmpdir(), 'ml-secrets-guarded-'));
});
after(() => rmSync(dir, { recursive: true, force: true }));

async function problemOf(p: Promise<unknown>): Promise<string> {
  try {
    await p;
    return 'ok';
  } catch (e) {
    if (isMissingError(e)) return 'missing';
    assert.ok(e instanceof CliFileError, `typed error, got ${String(e)}`);
    return e.problem;
  }
}

test('kinds: missing, directory, FIFO (no writer: never blocks), symlink loop, devices, too large, a path through a file', async () => {
  const f = join(dir, 'fifo');
  execFileSync('mkfifo', [f]);
  symlinkSync(join(dir, 'loop-b'), join(dir, 'loop-a'));
  symlinkSync(join(dir, 'loop-a'), join(dir, 'loop-b'));
  writeFileSync(join(dir, 'big'), Buffer.alloc(2000));
  writeFileSync(join(dir, 'file'), 'x');
  mkdirSync(join(dir, 'sub'));
  assert.equal(await problemOf(guardedReadFile(join(dir, 'nope'), 100)), 'missing');
  assert.equal(await problemOf(guardedReadFile(join(dir, 'file', 'below'), 100)), 'missing', 'ENOTDIR is missing too');
  assert.equal(await problemOf(guardedReadFile(join(dir, 'sub'), 100)), 'isDirectory');
  assert.equal(await problemOf(guardedReadFile(f, 100)), 'notRegular');
  assert.equal(await problemOf(guardedReadFile(join(dir, 'loop-a'), 100)), 'symlinkLoop');
  assert.equal(await problemOf(guardedReadFile('/dev/zero', 100)), 'notRegular');
  assert.equal(await problemOf(guardedReadFile('/dev/null', 100)), 'notRegular');
  assert.equal(await problemOf(guardedReadFile(join(dir, 'big'), 1999)), 'tooLarge');
  assert.equal((await guardedReadFile(join(dir, 'big'), 2000)).length, 2000, 'exactly the cap is fine');
});

test('a file whose size lies (/proc reports 0) is still read only up to the cap', async () => {
  assert.equal(await problemOf(guardedReadFile('/proc/self/maps', 16)), 'tooLarge');
  const all = await guardedReadFile('/proc/self/maps', 1024 * 1024);
  assert.ok(all.length > 16, 'a size-0 regular file is read to its end');
});

test('a file that grows while it is read: never more than the cap', async () => {
  const p = join(dir, 'growing');
  writeFileSync(p, '');
  const child = spawn('sh', ['-c', `while :; do printf '%01024d' 0 >> '${p}'; done`], { stdio: 'ignore' });
  try {
    await new Promise((r) => setTimeout(r, 100));
    for (let i = 0; i < 20; i++) {
      try {
        const b = await guardedReadFile(p, 64 * 1024);
        assert.ok(b.length <= 64 * 1024);
      } catch (e) {
        assert.ok(e instanceof CliFileError && e.problem === 'tooLarge', String(e));
      }
    }
  } finally {
    child.kill();
  }
});

test('text: BOMs, UTF-16, invalid UTF-8 and NUL bytes', () => {
  assert.equal(decodeText(new Uint8Array([0xef, 0xbb, 0xbf, 0x61])), 'a');
  assert.equal(decodeText(new Uint8Array([0xff, 0xfe, 0x61, 0x00])), 'a');
  assert.equal(decodeText(new Uint8Array([0xfe, 0xff, 0x00, 0x61])), 'a');
  assert.throws(() => decodeText(new Uint8Array([0x61, 0xc3])), (e: unknown) => e instanceof CliFileError && e.problem === 'invalid');
  assert.throws(() => decodeText(new Uint8Array([0x61, 0x00, 0x62])), /NUL/);
});

test('YAML: CRLF, __proto__ stays an own key, aliases, nesting and size are bounded; messages never quote the text', async () => {
  const v = parseYamlBounded('a: one\r\nb: two\r\n') as Record<string, unknown>;
  assert.deepEqual(v, { a: 'one', b: 'two' });
  const proto = parseYamlBounded('__proto__: {polluted: 1}\n') as Record<string, unknown>;
  assert.equal(({} as Record<string, unknown>).polluted, undefined);
  assert.ok(Object.prototype.hasOwnProperty.call(proto, '__proto__'));
  let bomb = 'a0: &a0 [x, x, x, x, x, x, x, x, x]\n';
  for (let i = 1; i < 10; i++) bomb += `a${i}: &a${i} [${Array(9).fill(`*a${i - 1}`).join(', ')}]\n`;
  assert.throws(() => parseYamlBounded(bomb), /alias bomb/);
  assert.throws(() => parseYamlBounded('a: ' + '['.repeat(100)), /nested too deeply/);
  assert.throws(() => parseYamlBounded(Array.from({ length: 200 }, (_, i) => ' '.repeat(i) + `k${i}:`).join('\n')), /nested too deeply/);
  assert.throws(() => parseYamlBounded('k: v\n'.repeat(20_000)), /too many entries/);
  assert.doesNotThrow(() => parseYamlBounded('a:\n  b:\n    - c: [1, {d: 2}]\n'));
  assert.throws(
    () => parseYamlBounded('token: SECRET-abc\n  bad: [\n'),
    (e: unknown) => e instanceof CliFileError && e.problem === 'invalid' && !e.message.includes('SECRET'),
  );
  // Through a file: a list where a mapping is expected.
  const p = join(dir, 'list.yaml');
  writeFileSync(p, '- a\n');
  const r = await readYamlMapping(guardedTextFs, p, '~/list.yaml');
  assert.equal(r.status, 'problem');
  if (r.status === 'problem') assert.equal(r.issue.message, '~/list.yaml holds a list where a mapping (key: value lines) is expected; skipped.');
  assert.equal(await guardedReadText(p), '- a\n');
});

test('displayPath: ~, control characters, length', () => {
  assert.equal(displayPath('/home/u/.mosaic/mcli_config', '/home/u/'), '~/.mosaic/mcli_config');
  assert.equal(displayPath('/x/\u001b[31mred', '/home/u'), '/x/?[31mred');
  assert.ok(displayPath('/' + 'a'.repeat(10_000), '/home/u').length <= 200);
});
