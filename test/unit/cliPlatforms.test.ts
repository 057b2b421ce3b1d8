// `ml-secrets check` end to end against the ZenML, MosaicML and Flyte emulators, each login given as
// a user would give it (ZENML_STORE_URL + ZENML_STORE_API_KEY; MOSAICML_API_KEY +
// MOSAICML_API_ENDPOINT; FLYTE_API_KEY), an empty HOME: present → nothing, missing secret / key at its line:col,
// one list request per scope. (Apolo: test/unit/cli.test.ts.)

import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { test } from 'node:test';
import { main } from '../../src/cli/main';
import { HttpClient } from '../../src/core/http/httpClient';
import { MosaicClient } from '../../src/core/platforms/mosaic/client';
import { startFlyteEmulator } from '../emulators/flyte/server';
import { startMosaicEmulator } from '../emulators/mosaic/server';
import { startZenmlEmulator } from '../emulators/zenml/server';

async function inRepo(files: Record<string, string>, env: Record<string, string>, args: string[] = ['check']) {
  const repo = mkdtempSync(path.join(tmpdir(), 'ml-secrets-cli-p-'));
  try {
    mkdirSync(path.join(repo, '.git'));
    for (const [rel, text] of Object.entries(files)) {
      mkdirSync(path.dirname(path.join(repo, rel)), { recursive: true });
      writeFileSync(path.join(repo, rel), text);
    }
    let out = '';
    let err = '';
    const http = new HttpClient({ sleep: async () => undefined, timeoutMs: 5000, maxRetries: 0 });
    const code = await main(args, { cwd: repo, env, home: repo, out: (s) => (out += `${s}\n`), err: (s) => (err += `${s}\n`), http });
    return { code, out, err };
  } finally {
    rmSync(repo, { recursive: true, force: true });
  }
}

test('ZenML: {{NAME.KEY}} present → nothing; missing key → key-missing; missing secret → secret-missing', async () => {
  const emu = await startZenmlEmulator({ seed: true });
  try {
    const env = { ZENML_STORE_URL: emu.url, ZENML_STORE_API_KEY: emu.apiKeys.alice };
    const yaml = 'steps:\n  train:\n    settings:\n      a: "{{mlflow_secret.username}}"\n      b: "{{mlflow_secret.nope}}"\n      c: "{{not_there.x}}"\n';
    const before = emu.requests.length;
    const r = await inRepo({ 'pipelines/run.yml': yaml }, env);
    assert.equal(r.code, 1, r.out + r.err);
    assert.match(r.out, /^pipelines\/run\.yml:5:11: error key-missing /m);
    assert.match(r.out, /^pipelines\/run\.yml:6:11: error secret-missing .*not_there/m);
    assert.doesNotMatch(r.out, /:4:\d+: /);
    const lists = emu.requests.slice(before).filter((q) => q.method === 'GET' && /\/secrets\/?$/.test(q.path));
    assert.equal(lists.length, 1, lists.map((q) => q.path).join(', '));
    assert.ok(!(r.out + r.err).includes(emu.apiKeys.alice));
  } finally {
    await emu.close();
  }
});

test('MosaicML: <<NAME>> present → nothing; missing → secret-missing; exit 0 when all present', async () => {
  const emu = await startMosaicEmulator();
  try {
    const http = new HttpClient({ timeoutMs: 5000, maxRetries: 0, sleep: async () => undefined });
    const c = new MosaicClient({ endpoint: emu.endpoint, apiKey: emu.apiKeys.alice!, origins: [new URL(emu.url).origin], http });
    await c.addSecret({}, { name: 'wandb', type: 'environment', value: new TextEncoder().encode('v'), extra: { envKey: 'WANDB_API_KEY' } });
    const env = { MOSAICML_API_KEY: emu.apiKeys.alice!, MOSAICML_API_ENDPOINT: emu.endpoint };
    const bad = await inRepo({ 'run.yaml': 'name: x\ncommand: |\n  echo <<wandb>> <<gone>>\n' }, env);
    assert.equal(bad.code, 1, bad.out + bad.err);
    assert.match(bad.out, /^run\.yaml:3:18: error secret-missing .*gone/m);
    assert.doesNotMatch(bad.out, /'wandb'/);
    const good = await inRepo({ 'run.yaml': 'name: x\ncommand: |\n  echo <<wandb>>\n' }, env);
    assert.equal(good.code, 0, good.out + good.err);
    assert.match(good.out, /1 file\(s\), 1 reference\(s\): no findings; 1 list\(s\) fetched/);
  } finally {
    await emu.close();
  }
});

test('Flyte: secrets= in Python, present org-wide → nothing; missing → secret-missing; one ListSecrets for the check', async () => {
  const emu = await startFlyteEmulator();
  try {
    emu.state.setSecret({ name: 'openai-key', value: 'sk-org' });
    const r = await inRepo({ 'wf.py': 'import flyte\n\nenv = flyte.TaskEnvironment(name="t", secrets=["openai-key", "nope-key"])\n' }, { FLYTE_API_KEY: emu.apiKey });
    assert.equal(r.code, 1, r.out + r.err);
    assert.match(r.out, /^wf\.py:3:62: error secret-missing .*nope-key/m);
    assert.doesNotMatch(r.out, /openai-key/);
    // One list call checks the API key at sign-in (prepareFlyte), one is the check's own.
    assert.equal(emu.requests.filter((q) => q.path.endsWith('/ListSecrets')).length, 2);
    assert.ok(!(r.out + r.err).includes(emu.clientSecret));
  } finally {
    await emu.close();
  }
});
