// `ml-secrets check --plaintext` (src/cli/plaintext.ts) end to end in plain Node, offline: a temp
// repository with tokens in YAML, Python, shell, a Makefile, .env files and a notebook; findings as
// `plaintext-secret` warnings, masked, in text, JSON and SARIF; files .gitignore ignores reported
// "(ignored by git)"; exit 1; without --plaintext nothing changes. SYNTHETIC tokens only.

import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { after, before, test } from 'node:test';
import { main } from '../../src/cli/main';
import { fake } from '../fixtures/plaintext/fakes';

let repo: string;
let home: string;
const HF = fake('huggingface', 31);
const WB = fake('wandb', 31);
const GH = fake('github', 31);
const AWS = fake('aws', 31);
const TOKENS = [HF, WB, GH, AWS];

function write(rel: string, text: string): void {
  mkdirSync(path.dirname(path.join(repo, rel)), { recursive: true });
  writeFileSync(path.join(repo, rel), text);
}

async function cli(args: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const code = await main(args, { cwd: repo, env: {}, home, out: (s) => (out += `${s}\n`), err: (s) => (err += `${s}\n`) });
  for (const t of TOKENS) {
    assert.ok(!out.includes(t) && !err.includes(t), 'never a token in the output');
    assert.ok(!out.includes(t.slice(4, 20)), 'no part of a token beyond its prefix');
  }
  return { code, out, err };
}

before(() => {
  repo = mkdtempSync(path.join(tmpdir(), 'ml-secrets-cli-plain-'));
  home = mkdtempSync(path.join(tmpdir(), 'ml-secrets-cli-plain-home-'));
  mkdirSync(path.join(repo, '.git'));
  write('.gitignore', '.env\nbuild/\n');
  write('.apolo/live.yml', `jobs:\n  train:\n    env:\n      HF_TOKEN: ${HF}\n      OK: secret:fine\n`);
  write('train.py', `import wandb\nwandb.login(key="${WB}")\n`);
  write('run.sh', `#!/bin/sh\nexport GITHUB_TOKEN=${GH} # ml-secrets-ignore\nexport AWS_ACCESS_KEY_ID=${AWS}\n`);
  write('.env', `HF_TOKEN=${HF}\n`);
  write('config/prod.env', `WANDB_API_KEY=${WB}\n`);
  write('build/.env', `HF_TOKEN=${HF}\n`);
  write('Makefile', 'train:\n\tpython train.py\n');
  write('nb/explore.ipynb', JSON.stringify({ nbformat: 4, nbformat_minor: 5, metadata: {}, cells: [{ cell_type: 'code', metadata: {}, source: ['import os\n', `os.environ["GITHUB_TOKEN"] = "${GH}"\n`], outputs: [] }] }, null, 1));
});
after(() => {
  rmSync(repo, { recursive: true, force: true });
  rmSync(home, { recursive: true, force: true });
});

test('--plaintext: each token a plaintext-secret warning at its line:col, masked; ignored files say so; exit 1', async () => {
  const r = await cli(['check', '--plaintext', '--offline']);
  assert.equal(r.code, 1, r.out + r.err);
  const lines = r.out.split('\n').filter((l) => l.includes(': warning plaintext-secret '));
  assert.match(r.out, /^\.apolo\/live\.yml:4:17: warning plaintext-secret Hugging Face token in plain text \(hf_••• \(37 characters\)\): move it into a platform secret$/m);
  assert.match(r.out, /^train\.py:2:18: warning plaintext-secret W&B API key in plain text \(••• \(40 characters\)\): move it into a platform secret$/m);
  assert.match(r.out, /^run\.sh:3:26: warning plaintext-secret AWS access key id in plain text/m);
  assert.match(r.out, /^\.env:1:10: warning plaintext-secret Hugging Face token .* \(ignored by git\)$/m);
  assert.match(r.out, /^config\/prod\.env:1:15: warning plaintext-secret W&B API key/m);
  assert.match(r.out, /^nb\/explore\.ipynb:\d+:\d+: warning plaintext-secret GitHub token in plain text \(gh••• \(40 characters\)\)/m);
  assert.doesNotMatch(r.out, /^run\.sh:2:/m, 'a line ending in # ml-secrets-ignore is skipped');
  assert.doesNotMatch(r.out, /^build\//m, 'an ignored folder is not walked');
  assert.equal(lines.length, 6, r.out);
  assert.match(r.out, /6 plaintext-secret/);
});

test('--plaintext --format json: code, severity, rule, envVar and suggestedName; never the token', async () => {
  const r = await cli(['check', '--plaintext', '--offline', '--format', 'json']);
  assert.equal(r.code, 1);
  const j = JSON.parse(r.out) as { findings: Array<Record<string, unknown>>; summary: { findings: Record<string, number> } };
  const py = j.findings.find((f) => f.path === 'train.py');
  assert.deepEqual(
    { code: py?.code, severity: py?.severity, rule: py?.rule, envVar: py?.envVar, suggestedName: py?.suggestedName, line: py?.line, column: py?.column, endColumn: py?.endColumn },
    { code: 'plaintext-secret', severity: 'warning', rule: 'wandb', envVar: 'WANDB_API_KEY', suggestedName: 'wandb_api_key', line: 2, column: 18, endColumn: 58 },
  );
  assert.equal(j.summary.findings['plaintext-secret'], 6);
});

test('--plaintext --format sarif: a plaintext-secret rule at level warning and one result per token', async () => {
  const r = await cli(['check', '--plaintext', '--offline', '--format', 'sarif']);
  const log = JSON.parse(r.out) as { runs: Array<{ tool: { driver: { rules: Array<{ id: string; defaultConfiguration: { level: string } }> } }; results: Array<{ ruleId: string; level: string; ruleIndex: number }> }> };
  const rules = log.runs[0].tool.driver.rules;
  const i = rules.findIndex((x) => x.id === 'plaintext-secret');
  assert.ok(i >= 0);
  assert.equal(rules[i].defaultConfiguration.level, 'warning');
  const results = log.runs[0].results.filter((x) => x.ruleId === 'plaintext-secret');
  assert.equal(results.length, 6);
  assert.ok(results.every((x) => x.level === 'warning' && x.ruleIndex === i));
});

test('without --plaintext: no plaintext findings, no plaintext rule in SARIF, exit 0 (only references are checked)', async () => {
  const r = await cli(['check', '--offline']);
  assert.equal(r.code, 0, r.out + r.err);
  assert.doesNotMatch(r.out, /plaintext-secret/);
  const s = await cli(['check', '--offline', '--format', 'sarif']);
  assert.doesNotMatch(s.out, /plaintext-secret/);
});

test('--plaintext on a file named on the command line, ignored by git: reported, "(ignored by git)"', async () => {
  const r = await cli(['check', '--plaintext', '--offline', '.env']);
  assert.equal(r.code, 1);
  assert.match(r.out, /^\.env:1:10: warning plaintext-secret .*\(ignored by git\)$/m);
});

test('--plaintext with nothing found: exit 0; usage mentions --plaintext', async () => {
  const r = await cli(['check', '--plaintext', '--offline', 'Makefile']);
  assert.equal(r.code, 0, r.out);
  const h = await cli(['--help']);
  assert.match(h.out, /--plaintext/);
});
