// The problem matcher package.json contributes ($ml-secrets, for a VS Code task running
// `ml-secrets check`) reads the CLI's own text output: file, line, column, severity, code, message.
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { test } from 'node:test';
import { main } from '../../src/cli/main';
import { HttpClient } from '../../src/core/http/httpClient';

const pkg = JSON.parse(readFileSync(path.join(__dirname, '..', '..', '..', 'package.json'), 'utf8'));

test('the $ml-secrets problem matcher parses every finding line of `ml-secrets check`', async () => {
  const matcher = pkg.contributes.problemMatchers.find((m: { name: string }) => m.name === 'ml-secrets');
  assert.ok(matcher, 'package.json contributes a problem matcher named ml-secrets');
  const re = new RegExp(matcher.pattern.regexp);
  const repo = mkdtempSync(path.join(tmpdir(), 'ml-secrets-matcher-'));
  try {
    mkdirSync(path.join(repo, 'jobs'), { recursive: true });
    writeFileSync(path.join(repo, 'jobs', 'live.yml'), 'jobs:\n  j:\n    env:\n      A: secret://too/few\n      B: <<bad name>>\n');
    let out = '';
    const http = new HttpClient({ sleep: async () => undefined, timeoutMs: 1000, maxRetries: 0 });
    const code = await main(['check', '--offline'], { cwd: repo, env: {}, home: repo, out: (s) => (out += `${s}\n`), err: () => undefined, http });
    assert.equal(code, 1);
    const findings = out.split('\n').filter((l) => /^jobs\//.test(l));
    assert.equal(findings.length, 2, out);
    for (const line of findings) {
      const m = re.exec(line);
      assert.ok(m, `matches: ${line}`);
      assert.equal(m[matcher.pattern.file], 'jobs/live.yml');
      assert.match(m[matcher.pattern.line], /^[45]$/);
      assert.ok(Number(m[matcher.pattern.column]) > 1);
      assert.equal(m[matcher.pattern.severity], 'error');
      assert.equal(m[matcher.pattern.code], 'reference-malformed');
      assert.ok(m[matcher.pattern.message].length > 10);
    }
  } finally {
    rmSync(repo, { recursive: true, force: true });
  }
});
