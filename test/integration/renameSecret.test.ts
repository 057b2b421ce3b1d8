// Rename Secret (mlSecrets.renameSecret) inside the real VS Code: ZenML renames on the server (one
// update with the new name; the values stay where they were, same id); Apolo can't rename and never
// returns a value, so the new secret is created from the value given and only then is the old one
// deleted (deleteOld: true), or kept (deleteOld: false). Never neither.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { ApoloEmulator, startApoloEmulator } from '../emulators/apolo/server';
import { startZenmlEmulator, ZenmlEmulator } from '../emulators/zenml/server';
import { activate } from './helpers';

function run<T = unknown>(id: string, arg?: unknown): Promise<T> {
  return vscode.commands.executeCommand(id, arg) as Promise<T>;
}

describe('Rename Secret on the platform', function () {
  let zen: ZenmlEmulator;
  let apolo: ApoloEmulator;
  const ZL = 'it-rename-zenml';
  const AL = 'it-rename-apolo';

  before(async () => {
    await activate();
    zen = await startZenmlEmulator({ seed: true });
    apolo = await startApoloEmulator({ seed: true });
    await run('mlSecrets.signIn', { platform: 'zenml', url: zen.url, apiKey: zen.apiKeys.alice, label: ZL });
    await run('mlSecrets.signIn', { platform: 'apolo', url: apolo.apiUrl, token: apolo.tokens.alice, org: 'demo-org', project: 'demo-project', label: AL });
  });
  after(async () => {
    for (const l of [ZL, AL]) await run('mlSecrets.removeConnection', { connection: l }).catch(() => undefined);
    await zen.close();
    apolo.close();
  });

  it('ZenML: the server renames it; same secret (id and values), new name', async () => {
    await run('mlSecrets.addSecret', { connection: ZL, name: 'rn_old', values: { k: 'CANARY-rename-zen-1' } });
    const before = zen.state.findByName('rn_old');
    assert.ok(before);
    await run('mlSecrets.renameSecret', { connection: ZL, name: 'rn_old', newName: 'rn_new' });
    assert.equal(zen.state.findByName('rn_old'), undefined);
    const after = zen.state.findByName('rn_new');
    assert.equal(after?.id, before.id);
    assert.deepEqual(Object.keys(after?.values ?? {}), ['k']);
    const names = (await run<Array<{ name: string }>>('mlSecrets.listSecrets', { connection: ZL })).map((s) => s.name);
    assert.ok(names.includes('rn_new') && !names.includes('rn_old'), names.join(', '));
  });

  it('Apolo: the new secret from the given value first, then the old one deleted (deleteOld) — or kept', async () => {
    await run('mlSecrets.addSecret', { connection: AL, name: 'rn_a', value: 'CANARY-rename-apolo-1' });
    await run('mlSecrets.renameSecret', { connection: AL, name: 'rn_a', newName: 'rn_b', value: 'CANARY-rename-apolo-1', deleteOld: true });
    assert.equal(apolo.state.getSecret('demo-org', 'demo-project', 'rn_a'), undefined);
    assert.equal(Buffer.from(apolo.state.getSecret('demo-org', 'demo-project', 'rn_b') ?? '', 'base64').toString(), 'CANARY-rename-apolo-1');
    await run('mlSecrets.renameSecret', { connection: AL, name: 'rn_b', newName: 'rn_c', value: 'CANARY-rename-apolo-1', deleteOld: false });
    assert.ok(apolo.state.getSecret('demo-org', 'demo-project', 'rn_b'), 'the old one is kept with deleteOld: false');
    assert.ok(apolo.state.getSecret('demo-org', 'demo-project', 'rn_c'));
    // Without a value there is nothing to create: an error, and nothing changes.
    await assert.rejects(run('mlSecrets.renameSecret', { connection: AL, name: 'rn_c', newName: 'rn_d', deleteOld: true }), /value/i);
    assert.ok(apolo.state.getSecret('demo-org', 'demo-project', 'rn_c'));
    assert.equal(apolo.state.getSecret('demo-org', 'demo-project', 'rn_d'), undefined);
    // An existing target name is refused.
    await assert.rejects(run('mlSecrets.renameSecret', { connection: AL, name: 'rn_b', newName: 'rn_c', value: 'x', deleteOld: true }), /already exists/);
  });
});
