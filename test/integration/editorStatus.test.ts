// Editor intelligence (issue 15) inside the real VS Code: the `{}` language status item (connection,
// list age, warnings for a wrong folder binding), hover actions, code lens density, and the tree's
// filter and "unused" mark — against the Apolo and ZenML emulators.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { startApoloEmulator, ApoloEmulator } from '../emulators/apolo/server';
import { startZenmlEmulator, ZenmlEmulator } from '../emulators/zenml/server';
import { activate, closeAll, EXTENSION_ID, openJobFile, recordCanaries, waitFor } from './helpers';

const APOLO = 'it-status-apolo';
const ZEN = 'it-status-zenml';

interface StatusApi {
  languageStatus(): { text: string; detail: string; severity: string; connection?: string } | undefined;
}

function run<T = unknown>(id: string, arg?: unknown): Promise<T> {
  return vscode.commands.executeCommand(id, arg) as Promise<T>;
}

const api = () => vscode.extensions.getExtension(EXTENSION_ID)!.exports as StatusApi;
const bind = (label: string | undefined) => vscode.workspace.getConfiguration('mlSecrets').update('connection', label, vscode.ConfigurationTarget.Workspace);

describe('Editor intelligence: language status, hover actions, lens density, tree filter', function () {
  let apolo: ApoloEmulator;
  let zen: ZenmlEmulator;

  before(async () => {
    await activate();
    apolo = await startApoloEmulator({ seed: true });
    zen = await startZenmlEmulator({ seed: true });
    await run('mlSecrets.signIn', { platform: 'apolo', url: apolo.apiUrl, token: apolo.tokens.alice, org: 'demo-org', project: 'demo-project', label: APOLO });
    await run('mlSecrets.signIn', { platform: 'zenml', url: zen.url, username: 'alice', password: zen.users.alice.password, label: ZEN });
  });

  after(async () => {
    await bind(undefined);
    await closeAll();
    for (const l of [APOLO, ZEN]) await run('mlSecrets.removeConnection', { connection: l }).catch(() => undefined);
    recordCanaries([...Object.values(apolo.tokens), zen.users.alice.password]);
    await apolo.close();
    await zen.close();
  });

  it('the language status item names the connection a job file is checked against, and its list age', async () => {
    await bind(APOLO);
    await openJobFile('.apolo/status.yml', 'jobs:\n  train:\n    image: ubuntu\n    env:\n      WANDB_API_KEY: secret:WANDB_API_KEY\n');
    const s = await waitFor(() => {
      const st = api().languageStatus();
      return st?.connection === APOLO && /list (just fetched|\d+ min old)/.test(st.detail) ? st : undefined;
    }, 'the status item to name the connection and its list age', 15_000);
    assert.equal(s.severity, 'information');
    assert.match(s.text, new RegExp(APOLO));
  });

  it('warns when the folder binding names no connection', async () => {
    await bind('no-such-connection');
    const s = await waitFor(() => {
      const st = api().languageStatus();
      return st?.severity === 'warning' ? st : undefined;
    }, 'a warning for a binding naming no connection', 15_000);
    assert.equal(s.connection, undefined);
    assert.match(s.detail, /no-such-connection/);
  });

  it('warns when the folder is bound to a connection of the wrong platform', async () => {
    await bind(ZEN);
    const s = await waitFor(() => {
      const st = api().languageStatus();
      return st?.connection === ZEN && st.severity === 'warning' ? st : undefined;
    }, 'a warning for a ZenML binding of an Apolo file', 15_000);
    assert.match(s.detail, /ZenML connection/);
    await bind(APOLO);
    await waitFor(() => api().languageStatus()?.severity === 'information', 'the warning to clear', 15_000);
  });
});
