// The workspace check inside the real VS Code: a job file that is never opened gets the same
// secret-missing diagnostic the editor gives an open one; opening it doesn't duplicate it; creating
// the secret clears it; the Secrets view's Missing group lists it (through the extension's exports).
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { startApoloEmulator, ApoloEmulator } from '../emulators/apolo/server';
import { activate, closeAll, codeOf, EXTENSION_ID, ours, recordCanaries, waitFor, workspaceDir } from './helpers';

const LABEL = 'it-wscheck';
const MISSING = 'ws_only_missing';
const JOB = `jobs:\n  train:\n    image: ubuntu\n    env:\n      GONE: secret:${MISSING}\n`;

interface TreeApi {
  getChildren(n?: unknown): vscode.ProviderResult<unknown[]>;
  getTreeItem(n: unknown): vscode.TreeItem | Thenable<vscode.TreeItem>;
}
type Node = { kind: string; connection: string; secret?: { name: string } };

function run<T = unknown>(id: string, arg?: unknown): Promise<T> {
  return vscode.commands.executeCommand(id, arg) as Promise<T>;
}

/** The names in the Missing group of the connection, or undefined when there is no group. */
async function missingNames(tree: TreeApi): Promise<string[] | undefined> {
  const roots = ((await tree.getChildren()) ?? []) as Node[];
  const conn = roots.find((n) => n.kind === 'connection' && n.connection === LABEL);
  if (!conn) return undefined;
  const group = (((await tree.getChildren(conn)) ?? []) as Node[]).find((n) => n.kind === 'missing');
  if (!group) return undefined;
  const label = (await tree.getTreeItem(group)).label;
  assert.match(String(typeof label === 'object' ? label.label : label), /^Missing \(\d+\)$/);
  return (((await tree.getChildren(group)) ?? []) as Node[]).map((n) => n.secret?.name ?? '');
}

function described(uri: vscode.Uri): string[] {
  return ours(uri)
    .map((d) => `${d.range.start.line}:${d.range.start.character}-${d.range.end.line}:${d.range.end.character} ${codeOf(d)} ${d.severity} ${d.message}`)
    .sort();
}

describe('Workspace check: problems for files that are not open', function () {
  let emu: ApoloEmulator;
  let tree: TreeApi;
  const dir = path.join(workspaceDir(), `wscheck-${process.pid}`);
  const file = path.join(dir, '.apolo', 'job.yml');
  const uri = vscode.Uri.file(file);

  before(async () => {
    await activate();
    tree = (vscode.extensions.getExtension(EXTENSION_ID)!.exports as { secretsTree: TreeApi }).secretsTree;
    emu = await startApoloEmulator({ seed: true });
    await run('mlSecrets.signIn', { platform: 'apolo', url: emu.apiUrl, token: emu.tokens.alice, org: 'demo-org', project: 'demo-project', label: LABEL });
    await closeAll();
  });

  after(async () => {
    await closeAll();
    fs.rmSync(dir, { recursive: true, force: true });
    await run('mlSecrets.removeConnection', { connection: LABEL }).catch(() => undefined);
    recordCanaries([...Object.values(emu.tokens), 'ws-CANARY-value']);
    await emu.close();
  });

  it('an unopened job file gets the secret-missing diagnostic, the same as when open, never twice', async () => {
    // Created through VS Code (as the Explorer does), so the test doesn't wait on the file watcher.
    const create = new vscode.WorkspaceEdit();
    create.createFile(uri, { contents: Buffer.from(JOB, 'utf8'), overwrite: true });
    assert.ok(await vscode.workspace.applyEdit(create));
    assert.ok(!vscode.workspace.textDocuments.some((d) => d.uri.toString() === uri.toString()), 'the file is not open');
    await waitFor(() => ours(uri).length === 1 && codeOf(ours(uri)[0]) === 'secret-missing', 'the unopened file\'s secret-missing diagnostic', 15_000);
    const unopened = described(uri);
    assert.match(unopened[0], /^4:12-4:34 secret-missing /);

    const doc = await vscode.workspace.openTextDocument(uri);
    await vscode.window.showTextDocument(doc, { preview: false });
    await new Promise((r) => setTimeout(r, 800));
    await waitFor(() => ours(uri).length === 1, `one diagnostic once open ${JSON.stringify(described(uri))}`);
    assert.deepEqual(described(uri), unopened, 'the open-file checker gives exactly the same diagnostic');

    await closeAll();
    await waitFor(() => ours(uri).length === 1, 'the workspace check takes the file back when it closes');
    assert.deepEqual(described(uri), unopened);
  });

  it('the Missing group lists the secret; creating it clears the diagnostic and the entry', async () => {
    const names = await waitFor(async () => {
      const n = await missingNames(tree);
      return n?.includes(MISSING) ? n : undefined;
    }, 'Missing group');
    assert.ok(names.every((n) => n), 'every entry names a secret');
    await run('mlSecrets.addSecret', { connection: LABEL, name: MISSING, value: 'ws-CANARY-value' });
    await waitFor(() => ours(uri).length === 0, `diagnostic cleared ${JSON.stringify(described(uri))}`);
    await waitFor(async () => !((await missingNames(tree)) ?? []).includes(MISSING), 'entry gone from the Missing group');
  });
});
