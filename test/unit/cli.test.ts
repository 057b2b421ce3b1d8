// `ml-secrets check` end to end (src/cli/main.ts) in plain Node: a temp repository with job files,
// the Apolo emulator as the platform, its login given as a user would (APOLO_PASSED_CONFIG in the
// environment, an empty HOME). Exit codes, text and JSON output, --offline, .gitignore and
// .ml-secrets.json.

import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { after, before, test } from 'node:test';
import { HttpClient } from '../../src/core/http/httpClient';
import { main } from '../../src/cli/main';
import { nodeFetch } from '../../src/core/vendor';
import { ApoloEmulator, startApoloEmulator } from '../emulators/apolo/server';

let emu: ApoloEmulator;
let repo: string;
let home: string;

function write(rel: string, text: string): void {
  mkdirSync(path.dirname(path.join(repo, rel)), { recursive: true });
  writeFileSync(path.join(repo, rel), text);
}

async function cli(args: string[], env: Record<string, string | undefined> = {}, given?: HttpClient): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const http = given ?? new HttpClient({ sleep: async () => undefined, timeoutMs: 5000, maxRetries: 0 });
  const code = await main(args, { cwd: repo, env, home, out: (s) => (out += `${s}\n`), err: (s) => (err += `${s}\n`), http });
  return { code, out, err };
}

function apoloEnv(token = emu.tokens.alice): Record<string, string> {
  const cfg = { token, url: emu.apiUrl, cluster: 'default', org: 'demo-org', project: 'demo-project' };
  return { APOLO_PASSED_CONFIG: Buffer.from(JSON.stringify(cfg)).toString('base64') };
}

before(async () => {
  emu = await startApoloEmulator({ seed: true });
  repo = mkdtempSync(path.join(tmpdir(), 'ml-secrets-cli-'));
  home = mkdtempSync(path.join(tmpdir(), 'ml-secrets-cli-home-'));
  mkdirSync(path.join(repo, '.git'));
  write('.apolo/live.yml', 'jobs:\n  train:\n    env:\n      WANDB: secret:WANDB_API_KEY\n      GONE: secret:NOT_THERE\n');
  write('.gitignore', 'build/\n*.tmp.yml\n!keep.tmp.yml\n');
  write('build/.apolo/live.yml', 'jobs:\n  a:\n    env:\n      X: secret:\n');
  write('.apolo/skip.tmp.yml', 'jobs:\n  a:\n    env:\n      X: secret:\n');
  write('node_modules/x/.apolo/live.yml', 'jobs:\n  a:\n    env:\n      X: secret:\n');
});
after(() => {
  emu.close();
  rmSync(repo, { recursive: true, force: true });
  rmSync(home, { recursive: true, force: true });
});

test('a present secret → nothing; a missing one → secret-missing at its line:col; exit 1; one list request per scope', async () => {
  const before = emu.requests.length;
  const r = await cli(['check'], apoloEnv());
  assert.equal(r.code, 1, r.out + r.err);
  assert.match(r.out, /^\.apolo\/live\.yml:5:13: error secret-missing .*NOT_THERE/m);
  assert.doesNotMatch(r.out, /WANDB_API_KEY/);
  assert.match(r.out, /1 file\(s\), 2 reference\(s\): 1 secret-missing; 1 list\(s\) fetched/);
  const lists = emu.requests.slice(before).filter((q) => q.method === 'GET' && /\/secrets/.test(q.path));
  assert.equal(lists.length, 1, lists.map((q) => q.path).join(', '));
  assert.ok(!(r.out + r.err).includes(emu.tokens.alice), 'the token was printed');
});

test('--format json: findings and a summary', async () => {
  const r = await cli(['check', '--format', 'json'], apoloEnv());
  const j = JSON.parse(r.out) as { findings: Array<Record<string, unknown>>; summary: Record<string, unknown> };
  assert.equal(r.code, 1);
  assert.deepEqual(
    j.findings.map((f) => [f.path, f.line, f.column, f.code]),
    [['.apolo/live.yml', 5, 13, 'secret-missing']],
  );
  assert.equal(j.summary.files, 1);
});

test('a clean repository exits 0; --offline checks syntax only, no network', async () => {
  const r = await cli(['check', '.apolo/live.yml', '--offline'], {});
  assert.equal(r.code, 0, r.out + r.err);
  write('jobs/.apolo/bad.yml', 'jobs:\n  a:\n    env:\n      X: secret:a/b\n');
  const bad = await cli(['check', 'jobs', '--offline']);
  assert.equal(bad.code, 1);
  assert.match(bad.out, /^jobs\/\.apolo\/bad\.yml:4:10: error reference-malformed /m);
  rmSync(path.join(repo, 'jobs'), { recursive: true });
});

test('.gitignore\'d files, node_modules and .git are skipped', async () => {
  const r = await cli(['check', '--offline', '--format', 'json']);
  const j = JSON.parse(r.out) as { findings: Array<{ path: string }>; summary: { files: number } };
  assert.equal(j.summary.files, 1, r.out);
  assert.deepEqual(j.findings, []);
});

test('exit 3 when a list cannot be fetched and nothing else failed; it says which', async () => {
  // The secrets service is unreachable (connection refused) while the API answers.
  const fetch = async (url: string, init: Record<string, unknown>) => {
    if (new URL(url).pathname.endsWith('/secrets')) throw Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' });
    return (await nodeFetch())(url, init) as never;
  };
  const r = await cli(['check', '.apolo/live.yml'], apoloEnv(), new HttpClient({ fetch, sleep: async () => undefined, timeoutMs: 5000, maxRetries: 0 }));
  assert.equal(r.code, 3, r.out + r.err);
  assert.match(r.out, /Could not fetch the list of .*demo-project/);
});

test('a rejected login leaves references unverified: exit 3, said on stderr, the token never printed', async () => {
  const token = 'tok-rejected-0123456789abcdef';
  const r = await cli(['check', '.apolo/live.yml'], apoloEnv(token));
  assert.equal(r.code, 3, r.out + r.err);
  assert.match(r.err, /could not sign in: APOLO_PASSED_CONFIG/);
  assert.match(r.out, /secret-unverified/);
  assert.ok(!(r.out + r.err).includes(token));
});

test('.ml-secrets.json with a token or URL is refused (exit 2); usage errors exit 2', async () => {
  write('.ml-secrets.json', JSON.stringify({ folders: { jobs: { platform: 'apolo', token: 'tok-x' } } }));
  const r = await cli(['check', '--offline']);
  rmSync(path.join(repo, '.ml-secrets.json'));
  assert.equal(r.code, 2);
  assert.match(r.err, /must never hold a token/);
  assert.ok(!r.err.includes('tok-x'));
  assert.equal((await cli(['check', '--format', 'xml'])).code, 2);
  assert.equal((await cli(['frobnicate'])).code, 2);
});

test('.ml-secrets.json bindings: a bound folder without its login says so in CLI terms; another folder\'s binding never competes', async () => {
  write('.ml-secrets.json', JSON.stringify({ folders: { 'zen-jobs': { platform: 'zenml' }, 'team-jobs': { platform: 'apolo', project: 'ml-team' } } }));
  write('zen-jobs/run.yml', 'steps:\n  s:\n    settings:\n      x: "{{hf.token}}"\n');
  write('jobs/.apolo/other.yml', 'jobs:\n  a:\n    env:\n      X: secret:NOT_THERE_EITHER\n');
  const r = await cli(['check', '--format', 'json'], apoloEnv());
  rmSync(path.join(repo, '.ml-secrets.json'));
  rmSync(path.join(repo, 'zen-jobs'), { recursive: true });
  rmSync(path.join(repo, 'jobs'), { recursive: true });
  const j = JSON.parse(r.out) as { findings: Array<{ path: string; code: string; message: string; name?: string; key?: string }> };
  const zen = j.findings.find((f) => f.path === 'zen-jobs/run.yml');
  assert.equal(zen?.code, 'secret-unverified', r.out);
  assert.match(zen.message, /\.ml-secrets\.json binds 'zen-jobs' to ZenML, but there is no ZenML CLI login/);
  assert.doesNotMatch(zen.message, /mlSecrets\.connection|ML Secrets:/);
  assert.deepEqual([zen.name, zen.key], ['hf', 'token']);
  // Unbound, under .apolo/: the Apolo login is its one candidate; team-jobs' binding (the same login, another project) is not one.
  const other = j.findings.find((f) => f.path === 'jobs/.apolo/other.yml');
  assert.equal(other?.code, 'secret-missing', r.out);
  assert.equal(other.name, 'NOT_THERE_EITHER');
});

test('a Neu.ro user-scoped secret://CLUSTER/USER/NAME shared with the user resolves; one not shared stays malformed (as in the editor)', async () => {
  emu.state.grant('alice', 'secret://default/bob/dataset-token', 'read');
  write('shared/.apolo/live.yml', 'jobs:\n  a:\n    env:\n      A: secret://default/bob/dataset-token\n      B: secret://default/bob/never-shared\n');
  const r = await cli(['check', 'shared', '--format', 'json'], apoloEnv());
  rmSync(path.join(repo, 'shared'), { recursive: true });
  const j = JSON.parse(r.out) as { findings: Array<{ line: number; code: string }> };
  assert.deepEqual(j.findings.map((f) => [f.line, f.code]), [[5, 'reference-malformed']], r.out + r.err);
  assert.equal(r.code, 1);
});
