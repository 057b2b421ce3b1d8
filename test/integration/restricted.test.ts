// Restricted Mode (an untrusted workspace): reading and checking work; nothing is changed on a
// platform, and the workspace's own ML Secrets settings are ignored. Runs only when the harness
// opened the folder untrusted (scripts/test.mjs runs it in a separate, untrusted session).
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { startApoloEmulator, ApoloEmulator } from '../emulators/apolo/server';
import { activate, closeAll, codeOf, openJobFile, ours, waitFor, workspaceDir } from './helpers';

function run<T = unknown>(id: string, arg?: unknown): Promise<T> {
  return vscode.commands.executeCommand(id, arg) as Promise<T>;
}

describe('restricted mode', function () {
  let emu: ApoloEmulator;
  before(async function () {
    if (vscode.workspace.isTrusted) this.skip();
    await activate();
    emu = await startApoloEmulator({ seed: true });
    await run('mlSecrets.signIn', { platform: 'apolo', url: emu.apiUrl, token: emu.tokens.alice, org: 'demo-org', project: 'demo-project', label: 'r-a' });
  });
  after(async () => {
    if (!emu) return;
    await closeAll();
    for (const l of ['r-a', 'r-b']) await run('mlSecrets.removeConnection', { connection: l }).catch(() => undefined);
    await emu.close();
  });

  it('the workspace really is untrusted', () => {
    assert.equal(vscode.workspace.isTrusted, false);
  });

  it('add, update, delete and share are refused without a request', async () => {
    const before = emu.requests.length;
    await assert.rejects(run('mlSecrets.addSecret', { connection: 'r-a', name: 'x', value: 'y' }), /trusted workspace/);
    await assert.rejects(run('mlSecrets.updateSecret', { connection: 'r-a', name: 'x', value: 'y' }), /trusted workspace/);
    await assert.rejects(run('mlSecrets.deleteSecret', { connection: 'r-a', name: 'x', confirm: true }), /trusted workspace/);
    await assert.rejects(run('mlSecrets.shareSecret', { connection: 'r-a', name: 'x', user: 'bob', permission: 'read' }), /trusted workspace/);
    // The pre-flight check runs as a task, and VS Code runs no task in Restricted Mode.
    await assert.rejects(run('mlSecrets.runPreflightCheck', {}), /trusted workspace/);
    assert.deepEqual(emu.requests.slice(before).filter((r) => r.method !== 'GET'), []);
  });

  it('listing and diagnostics still work', async () => {
    const list = await run<Array<{ name: string }>>('mlSecrets.listSecrets', { connection: 'r-a' });
    assert.ok(list.length > 0);
    const doc = await openJobFile('.apolo/live.yml', 'env:\n  A: secret:definitely_missing\n');
    await waitFor(() => ours(doc.uri).some((d) => codeOf(d) === 'secret-missing'), 'a diagnostic in Restricted Mode');
  });

  it('plaintext tokens are reported, but moving one into a secret is refused without a request', async () => {
    const tok = `hf_${'QwErTyUiOpAsDfGhJk'.split('').reverse().join('')}${'ZxCvBnMlKjHgFdSa'}`;
    const doc = await openJobFile('jobs/leaky-restricted.yml', `env:\n  HF_TOKEN: ${tok}\n`);
    const d = await waitFor(() => ours(doc.uri).find((x) => codeOf(x) === 'plaintext-secret'), 'a plaintext-secret warning in Restricted Mode');
    assert.ok(!d.message.includes(tok));
    const before = emu.requests.length;
    const range = { start: { line: d.range.start.line, character: d.range.start.character }, end: { line: d.range.end.line, character: d.range.end.character } };
    await assert.rejects(run('mlSecrets.moveToSecret', { uri: doc.uri.toString(), range, connection: 'r-a', name: 'hf_token' }), /trusted workspace/);
    assert.deepEqual(emu.requests.slice(before).filter((r) => r.method !== 'GET'), []);
    assert.ok(doc.getText().includes(tok));
    await closeAll();
    fs.rmSync(doc.uri.fsPath, { force: true });
  });

  it("the workspace's mlSecrets.connection setting is ignored", async () => {
    await run('mlSecrets.signIn', { platform: 'apolo', url: emu.apiUrl, token: emu.tokens.alice, org: 'demo-org', project: 'ml-team', label: 'r-b' });
    const dir = path.join(workspaceDir(), '.vscode');
    fs.mkdirSync(dir, { recursive: true });
    fs.writeFileSync(path.join(dir, 'settings.json'), JSON.stringify({ 'mlSecrets.connection': 'r-b' }));
    const doc = await openJobFile('jobs/restricted.yml', 'env:\n  A: secret:anything\n');
    // Two Apolo connections and the folder's choice ignored: the file can't be attributed.
    await waitFor(() => ours(doc.uri).length === 1 && codeOf(ours(doc.uri)[0]) === 'secret-unverified', 'unverified');
    assert.match(ours(doc.uri)[0].message, /could apply/);
  });
});
