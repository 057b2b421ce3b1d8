// Import of the Apolo / Neu.ro CLI's own login, end to end inside VS Code: a real SQLite `db` (WAL
// mode, written with node:sqlite where the extension host's Node has it) and a passed config.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { startApoloEmulator, ApoloEmulator } from '../emulators/apolo/server';
import { startZenmlEmulator, ZenmlEmulator } from '../emulators/zenml/server';
import { startMosaicEmulator } from '../emulators/mosaic/server';
import { startFlyteEmulator } from '../emulators/flyte/server';
import { activate } from './helpers';

function run<T = unknown>(id: string, arg?: unknown): Promise<T> {
  return vscode.commands.executeCommand(id, arg) as Promise<T>;
}

type Sqlite = { DatabaseSync: new (file: string) => { exec(sql: string): void; prepare(sql: string): { run(...a: unknown[]): void }; close(): void } };

function loadSqlite(): Sqlite | undefined {
  try {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    return require('node:sqlite') as Sqlite;
  } catch {
    return undefined;
  }
}

/** Puts the environment variables saved before a suite back as they were (unset stays unset). */
function restoreEnv(saved: Record<string, string | undefined>): void {
  for (const [k, v] of Object.entries(saved)) {
    if (v === undefined) delete process.env[k];
    else process.env[k] = v;
  }
}

describe('Apolo: import CLI credentials', function () {
  let emu: ApoloEmulator;
  let home: string;
  const saved: Record<string, string | undefined> = {};
  const ENV = ['APOLO_CONFIG', 'NEUROMATION_CONFIG', 'APOLO_PASSED_CONFIG', 'NEURO_PASSED_CONFIG', 'ZENML_CONFIG_PATH', 'ZENML_STORE_URL', 'ZENML_STORE_API_KEY', 'HOME', 'MOSAICML_API_KEY', 'MCLI_CONFIG_PATH', 'MCLI_CONFIG_DIR', 'FLYTE_API_KEY', 'UCTL_CONFIG', 'FLYTECTL_CONFIG'];
  const imported: string[] = [];

  before(async () => {
    await activate();
    emu = await startApoloEmulator({ seed: true });
    home = fs.mkdtempSync(path.join(os.tmpdir(), 'ml-secrets-cli-'));
    for (const k of ENV) saved[k] = process.env[k];
    // No other CLI login on this machine may leak into the Apolo expectations: a home of our own.
    process.env.HOME = home;
    process.env.ZENML_CONFIG_PATH = path.join(home, 'no-zenml-here');
    for (const k of ['ZENML_STORE_URL', 'ZENML_STORE_API_KEY', 'MOSAICML_API_KEY', 'MCLI_CONFIG_PATH', 'MCLI_CONFIG_DIR', 'FLYTE_API_KEY', 'UCTL_CONFIG', 'FLYTECTL_CONFIG']) delete process.env[k];
  });

  after(async () => {
    restoreEnv(saved);
    for (const l of imported) await run('mlSecrets.removeConnection', { connection: l }).catch(() => undefined);
    fs.rmSync(home, { recursive: true, force: true });
    await emu.close();
  });

  it('imports the newest login of ~/.apolo/db (WAL) and a Neu.ro passed config', async function () {
    const sqlite = loadSqlite();
    // Node ≥ 23 has node:sqlite unflagged: there the real-db path must run.
    assert.ok(sqlite || Number(process.versions.node.split('.')[0]) < 23, `node:sqlite missing on Node ${process.versions.node}`);
    const apoloDir = path.join(home, 'apolo');
    fs.mkdirSync(apoloDir, { mode: 0o700 });
    if (sqlite) {
      const db = new sqlite.DatabaseSync(path.join(apoloDir, 'db'));
      db.exec('PRAGMA journal_mode=WAL; PRAGMA wal_autocheckpoint=0;');
      db.exec(
        'CREATE TABLE main (auth_config TEXT, token TEXT, expiration_time REAL, refresh_token TEXT, url TEXT, admin_url TEXT, vcluster_url TEXT, version TEXT, project_name TEXT, cluster_name TEXT, org_name TEXT, clusters TEXT, projects TEXT, timestamp REAL)',
      );
      const ins = db.prepare('INSERT INTO main (auth_config, token, expiration_time, refresh_token, url, version, project_name, cluster_name, org_name, clusters, projects, timestamp) VALUES (?,?,?,?,?,?,?,?,?,?,?,?)');
      const clusters = JSON.stringify([{ name: 'default', orgs: ['demo-org'], secrets_url: emu.secretsUrls.default, pad: 'x'.repeat(9000) }]);
      ins.run('{}', 'old-token-not-used', Date.now() / 1000 + 3600, '', emu.apiUrl, '26.8.1', 'demo-project', 'default', 'demo-org', clusters, '[]', 1000);
      ins.run('{}', emu.tokens.alice, Date.now() / 1000 + 3600, '', emu.apiUrl, '26.8.1', 'ml-team', 'default', 'demo-org', clusters, '[]', 2000);
      // Copy while the connection is still open: the newest rows are only in db-wal.
      const copy = path.join(home, 'apolo-copy');
      fs.mkdirSync(copy, { mode: 0o700 });
      fs.copyFileSync(path.join(apoloDir, 'db'), path.join(copy, 'db'));
      if (fs.existsSync(path.join(apoloDir, 'db-wal'))) fs.copyFileSync(path.join(apoloDir, 'db-wal'), path.join(copy, 'db-wal'));
      db.close();
      fs.chmodSync(path.join(copy, 'db'), 0o600);
      process.env.APOLO_CONFIG = copy;
    } else {
      // No node:sqlite in this VS Code's Node: the db path is covered by the unit tests' fixtures.
      process.env.APOLO_CONFIG = path.join(home, 'none');
      process.env.APOLO_PASSED_CONFIG = Buffer.from(JSON.stringify({ token: emu.tokens.alice, cluster: 'default', url: emu.apiUrl, org_name: 'demo-org', project_name: 'ml-team' })).toString('base64');
    }
    process.env.NEUROMATION_CONFIG = path.join(home, 'no-neuro-here');
    process.env.NEURO_PASSED_CONFIG = Buffer.from(JSON.stringify({ token: emu.tokens.carol, cluster: 'default', url: emu.apiUrl, org_name: 'demo-org', project_name: 'demo-project' })).toString('base64');

    const labels = await run<string[]>('mlSecrets.importCliCredentials', {});
    imported.push(...labels);
    assert.deepEqual([...labels].sort(), ['apolo:demo-org/ml-team', 'neuro:demo-org/demo-project']);
    const team = await run<Array<{ name: string }>>('mlSecrets.listSecrets', { connection: 'apolo:demo-org/ml-team' });
    assert.deepEqual(team.map((s) => s.name), emu.state.listKeys('demo-org', 'ml-team'));
    const carol = await run<Array<{ name: string }>>('mlSecrets.listSecrets', { connection: 'neuro:demo-org/demo-project' });
    assert.ok(carol.length > 0, 'carol (a reader) sees the project secrets');
  });

  it('importCliCredentials {platform} imports only that platform', async () => {
    const labels = await run<string[]>('mlSecrets.importCliCredentials', { platform: 'neuro' });
    assert.deepEqual(labels, ['neuro:demo-org/demo-project']);
  });

  it('a config folder readable by others is refused, like the CLI does', async () => {
    const loose = path.join(home, 'loose');
    fs.mkdirSync(loose, { mode: 0o755 });
    fs.chmodSync(loose, 0o755);
    fs.writeFileSync(path.join(loose, 'db'), 'not even sqlite');
    process.env.APOLO_CONFIG = loose;
    delete process.env.APOLO_PASSED_CONFIG;
    delete process.env.NEURO_PASSED_CONFIG;
    const labels = await run<string[]>('mlSecrets.importCliCredentials', { platform: 'apolo' });
    assert.deepEqual(labels, []);
  });
});

describe('ZenML: import CLI credentials', function () {
  const saved: Record<string, string | undefined> = {};
  const ENV = ['ZENML_CONFIG_PATH', 'ZENML_STORE_URL', 'ZENML_STORE_API_KEY', 'APOLO_CONFIG', 'NEUROMATION_CONFIG', 'APOLO_PASSED_CONFIG', 'NEURO_PASSED_CONFIG'];
  let dir: string;
  let zen: ZenmlEmulator;
  const labels: string[] = [];

  before(async () => {
    await activate();
    zen = await startZenmlEmulator({ seed: true });
    for (const k of ENV) saved[k] = process.env[k];
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ml-secrets-zenml-cfg-'));
  });

  after(async () => {
    restoreEnv(saved);
    for (const l of labels) await run('mlSecrets.removeConnection', { connection: l }).catch(() => undefined);
    if (dir) fs.rmSync(dir, { recursive: true, force: true });
    await zen?.close();
  });

  it('imports config.yaml + credentials.yaml (API key) from ZENML_CONFIG_PATH', async () => {
    fs.writeFileSync(path.join(dir, 'config.yaml'), `store:\n  type: rest\n  url: ${zen.url}\nuser_id: 1\n`);
    fs.writeFileSync(path.join(dir, 'credentials.yaml'), `${zen.url}:\n  url: ${zen.url}\n  api_key: ${zen.apiKeys.alice}\n`);
    process.env.ZENML_CONFIG_PATH = dir;
    for (const k of ['ZENML_STORE_URL', 'ZENML_STORE_API_KEY']) delete process.env[k];
    const got = await run<string[]>('mlSecrets.importCliCredentials', { platform: 'zenml' });
    labels.push(...got);
    assert.equal(got.length, 1);
    const list = await run<Array<{ name: string; keys?: string[] }>>('mlSecrets.listSecrets', { connection: got[0] });
    assert.deepEqual(list.find((x) => x.name === 'hf')?.keys, ['token']);
  });
});

describe('MosaicML and Flyte: import CLI credentials', function () {
  const ENV = ['MCLI_CONFIG_PATH', 'MOSAICML_API_KEY', 'MOSAICML_API_ENDPOINT', 'MCLI_MODE', 'FLYTE_API_KEY', 'FLYTE_TASK_PROJECT', 'FLYTE_TASK_DOMAIN'];
  const saved: Record<string, string | undefined> = {};
  const labels: string[] = [];
  let dir = '';

  before(async () => {
    await activate();
    for (const k of ENV) saved[k] = process.env[k];
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ml-secrets-cli2-'));
  });

  after(async () => {
    restoreEnv(saved);
    for (const l of labels) await run('mlSecrets.removeConnection', { connection: l }).catch(() => undefined);
    if (dir) fs.rmSync(dir, { recursive: true, force: true });
  });

  it('imports ~/.mosaic/mcli_config (MCLI_CONFIG_PATH) with MOSAICML_API_ENDPOINT', async () => {
    const emu = await startMosaicEmulator({ seed: true });
    try {
      const cfg = path.join(dir, 'mcli_config');
      fs.writeFileSync(cfg, `---\nMOSAICML_API_KEY: ${emu.apiKeys.alice}\nfeature_flags: {}\n`);
      process.env.MCLI_CONFIG_PATH = cfg;
      process.env.MOSAICML_API_ENDPOINT = emu.endpoint;
      delete process.env.MOSAICML_API_KEY;
      delete process.env.MCLI_MODE;
      const got = await run<string[]>('mlSecrets.importCliCredentials', { platform: 'mosaic' });
      labels.push(...got);
      assert.equal(got.length, 1);
      const list = await run<Array<{ name: string }>>('mlSecrets.listSecrets', { connection: got[0] });
      assert.deepEqual(list.map((x) => x.name).sort(), emu.state.list('alice').map((x) => x.name).sort());
      await run('mlSecrets.removeConnection', { connection: got[0] });
      labels.length = 0;
    } finally {
      await emu.close();
    }
  });

  it('imports FLYTE_API_KEY with FLYTE_TASK_PROJECT / FLYTE_TASK_DOMAIN overrides', async () => {
    const emu = await startFlyteEmulator({ seed: true });
    try {
      process.env.FLYTE_API_KEY = emu.apiKey;
      process.env.FLYTE_TASK_PROJECT = 'flytesnacks';
      process.env.FLYTE_TASK_DOMAIN = 'development';
      const got = await run<string[]>('mlSecrets.importCliCredentials', { platform: 'flyte' });
      labels.push(...got);
      assert.equal(got.length, 1);
      const list = await run<Array<{ name: string; scope?: string }>>('mlSecrets.listSecrets', { connection: got[0] });
      assert.ok(list.some((x) => x.name === 'hf-token' && x.scope === 'flytesnacks/development'));
      await run('mlSecrets.removeConnection', { connection: got[0] });
      labels.length = 0;
    } finally {
      await emu.close();
    }
  });
});
