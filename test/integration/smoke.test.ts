// Smoke test: the ML Secrets extension loads and activates in a real VS Code, and registers its commands.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';

const EXTENSION_ID = 'ml-secrets.ml-secrets';

describe('smoke', () => {
  it('the extension is installed', () => {
    assert.ok(vscode.extensions.getExtension(EXTENSION_ID), `extension ${EXTENSION_ID} not found`);
  });

  it('activates', async () => {
    const ext = vscode.extensions.getExtension(EXTENSION_ID);
    assert.ok(ext);
    await ext.activate();
    assert.equal(ext.isActive, true);
  });

  it('registers mlSecrets.refresh', async () => {
    const commands = await vscode.commands.getCommands(true);
    assert.ok(commands.includes('mlSecrets.refresh'), 'command mlSecrets.refresh is not registered');
  });
});
