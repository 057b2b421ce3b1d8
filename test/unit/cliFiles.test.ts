// Which files `ml-secrets check` reads (src/cli/files.ts): job files by name, node_modules and .git
// never, and the repository's .gitignore files (each below its own folder): globs, `**`, negation,
// folder-only patterns.

import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { test } from 'node:test';
import { findJobFiles, repoRoot } from '../../src/cli/files';

test('job files under the paths, minus node_modules, .git and .gitignore', async () => {
  const repo = mkdtempSync(path.join(tmpdir(), 'ml-secrets-files-'));
  const put = (rel: string, text = 'x: 1\n') => {
    mkdirSync(path.dirname(path.join(repo, rel)), { recursive: true });
    writeFileSync(path.join(repo, rel), text);
  };
  try {
    mkdirSync(path.join(repo, '.git'));
    put('.gitignore', '*.tmp.yml\n!keep.tmp.yml\nout/\n**/gen/**\n');
    put('a.yml');
    put('b.yaml');
    put('c.py');
    put('d.sh');
    put('e.bash');
    put('Makefile');
    put('rules.mk');
    put('notes.txt');
    put('x.tmp.yml');
    put('keep.tmp.yml');
    put('out/f.yml');
    put('deep/gen/g.yml');
    put('node_modules/p/h.yml');
    put('.git/i.yml');
    put('sub/.gitignore', 'local.yml\n/rooted.yml\n');
    put('sub/local.yml');
    put('sub/rooted.yml');
    put('sub/kept.yml');
    put('sub/inner/rooted.yml');
    put('out.yml');
    assert.equal(await repoRoot(path.join(repo, 'sub')), repo);
    // Outside git, the folder holding .ml-secrets.json is the root; with neither, the start.
    const nogit = mkdtempSync(path.join(tmpdir(), 'mls-nogit-'));
    try {
      mkdirSync(path.join(nogit, 'a', 'b'), { recursive: true });
      assert.equal(await repoRoot(path.join(nogit, 'a', 'b')), path.join(nogit, 'a', 'b'));
      writeFileSync(path.join(nogit, '.ml-secrets.json'), '{"folders": {}}');
      assert.equal(await repoRoot(path.join(nogit, 'a', 'b')), nogit);
    } finally {
      rmSync(nogit, { recursive: true, force: true });
    }
    const rel = (await findJobFiles(repo, [repo])).map((f) => path.relative(repo, f).split(path.sep).join('/')).sort();
    assert.deepEqual(rel, ['Makefile', 'a.yml', 'b.yaml', 'c.py', 'd.sh', 'e.bash', 'keep.tmp.yml', 'out.yml', 'rules.mk', 'sub/inner/rooted.yml', 'sub/kept.yml']);
    // A folder given below the root still obeys the .gitignore files above it.
    const sub = (await findJobFiles(repo, [path.join(repo, 'sub')])).map((f) => path.relative(repo, f).split(path.sep).join('/')).sort();
    assert.deepEqual(sub, ['sub/inner/rooted.yml', 'sub/kept.yml']);
  } finally {
    rmSync(repo, { recursive: true, force: true });
  }
});
