// The CLI logins readers (src/core/platforms/<id>/cliConnect.ts): the one place that decides which
// logins become prepared connections, for `ml-secrets check` and Import CLI Credentials alike.
// Logins order kept, `only`, expired sessions and failures as notes naming the login (never a key),
// and Flyte's workspace endpoint used only on a yes.

import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { test } from 'node:test';
import { HttpClient } from '../../src/core/http/httpClient';
import { prepareEach } from '../../src/core/platforms/cliPrepare';
import type { PreparedConnection } from '../../src/core/platforms/connect';
import { cliConnections as apolo } from '../../src/core/platforms/apolo/cliConnect';
import { cliConnections as flyte } from '../../src/core/platforms/flyte/cliConnect';
import { cliConnections as zenml } from '../../src/core/platforms/zenml/cliConnect';
import { startApoloEmulator } from '../emulators/apolo/server';
import { startZenmlEmulator } from '../emulators/zenml/server';

const http = new HttpClient({ sleep: async () => undefined, timeoutMs: 3000, maxRetries: 0 });

function tempHome(): string {
  return mkdtempSync(path.join(tmpdir(), 'ml-secrets-cliconnect-'));
}

test('prepareEach: all at once, results in the logins\' order; a failure is a note named by the login', async () => {
  const logins = [{ source: 'a', wait: 30 }, { source: 'b', wait: 0 }, { source: 'c', wait: 10 }, { source: 'd', wait: 0 }];
  const r = await prepareEach(
    logins,
    async (l) => {
      await new Promise((res) => setTimeout(res, l.wait));
      if (l.source === 'c') throw new Error('refused');
      return { record: { label: l.source } } as unknown as PreparedConnection;
    },
    (e) => (e as Error).message,
    (l) => `${l.source}!`,
  );
  assert.deepEqual(r.prepared.map((p) => p.record.label), ['a', 'b', 'd']);
  assert.deepEqual(r.failed, ['c!: refused']);
});

test('Apolo: `only` prepares just that platform\'s logins (the other is not even contacted)', async () => {
  const emu = await startApoloEmulator({ seed: true });
  const home = tempHome();
  try {
    const passed = (token: string, project: string) => Buffer.from(JSON.stringify({ token, cluster: 'default', url: emu.apiUrl, org_name: 'demo-org', project_name: project })).toString('base64');
    const env = { APOLO_PASSED_CONFIG: passed(emu.tokens.alice!, 'ml-team'), NEURO_PASSED_CONFIG: passed(emu.tokens.carol!, 'demo-project') };
    const both = await apolo({ http, env, home });
    assert.deepEqual(both.prepared.map((p) => p.record.platform).sort(), ['apolo', 'neuro']);
    const before = emu.requests.length;
    const neuro = await apolo({ http, env, home, only: 'neuro' });
    assert.deepEqual(neuro.prepared.map((p) => p.record.label), ['neuro:demo-org/demo-project']);
    assert.ok(!emu.requests.slice(before).some((q) => JSON.stringify(q).includes(emu.tokens.alice!)), "apolo's token is not used");
  } finally {
    rmSync(home, { recursive: true, force: true });
    await emu.close();
  }
});

test('ZenML: an expired stored session is a note (no request); an unreachable server is a failure naming the server; never a key', async () => {
  const emu = await startZenmlEmulator({ seed: true });
  const dir = tempHome();
  try {
    const creds = [
      `${emu.url}:`,
      `  url: ${emu.url}`,
      `  api_key: ${emu.apiKeys.alice}`,
      'http://127.0.0.1:9:',
      '  url: http://127.0.0.1:9',
      '  api_key: ZENKEY_unreachable',
      'https://old.example.com:',
      '  url: https://old.example.com',
      '  api_token:',
      '    access_token: tok',
      '    expires_at: 2001-01-01T00:00:00+00:00',
    ].join('\n');
    writeFileSync(path.join(dir, 'config.yaml'), `store:\n  type: rest\n  url: ${emu.url}\n`);
    writeFileSync(path.join(dir, 'credentials.yaml'), creds);
    const r = await zenml({ http, env: { ZENML_CONFIG_PATH: dir }, home: dir });
    assert.equal(r.prepared.length, 1);
    assert.equal(r.prepared[0]!.record.platform, 'zenml');
    assert.ok(r.notes.some((n) => /old\.example\.com expired; run `zenml login` and try again\./.test(n)), r.notes.join('\n'));
    assert.equal(r.failed?.length, 1);
    assert.match(r.failed![0]!, /\(http:\/\/127\.0\.0\.1:9\): /);
    assert.ok(![...r.notes, ...r.failed!].join(' ').includes('ZENKEY_'), 'no key in a note');
  } finally {
    rmSync(dir, { recursive: true, force: true });
    await emu.close();
  }
});

test('Flyte: a workspace config choosing the endpoint is used only on a yes; without a way to ask it is a note', async () => {
  const home = tempHome();
  try {
    const ws = path.join(home, 'ws');
    mkdirSync(path.join(ws, '.flyte'), { recursive: true });
    writeFileSync(path.join(ws, '.flyte', 'config.yaml'), 'admin:\n  endpoint: dns:///127.0.0.1:9\n  insecure: true\n  authType: ClientSecret\n  clientId: app\n  clientSecretEnvVar: MY_SECRET\n');
    const env = { MY_SECRET: 's3cr3t' };
    const asked: string[] = [];
    const cli = await flyte({ http, env, home });
    assert.deepEqual([cli.prepared.length, cli.failed?.length ?? 0], [0, 0], 'the command line reads no workspace folder');
    const unasked = await flyte({ http, env, home, workspaceDirs: [ws] });
    assert.ok(unasked.notes.some((n) => /not imported — this workspace file chooses the endpoint \(https:\/\/127\.0\.0\.1:9\)/.test(n)), unasked.notes.join('\n'));
    assert.equal(unasked.failed?.length, 0);
    const no = await flyte({ http, env, home, workspaceDirs: [ws], confirmWorkspaceEndpoint: async (file) => (asked.push(file), false) });
    assert.deepEqual(asked, ['~/ws/.flyte/config.yaml'], 'asked once, the file as shown');
    assert.equal(no.failed?.length, 0, 'refused: nothing is sent');
    assert.ok(no.notes.some((n) => n.includes('not imported')));
    const yes = await flyte({ http, env, home, workspaceDirs: [ws], confirmWorkspaceEndpoint: async () => true });
    assert.equal(yes.failed?.length, 1, 'confirmed: it is tried (and the closed port fails)');
    assert.ok(!JSON.stringify(yes).includes('s3cr3t'), 'never the secret');
  } finally {
    rmSync(home, { recursive: true, force: true });
  }
});
