// Apolo / Neu.ro sharing inside the real VS Code (issue 14): bob sees what alice shared with him under
// "Shared with me", his references to it (org/project and Neu.ro's user-scoped URIs) resolve, a
// grant below read is secret-inaccessible; alice sees bob under "Who has access" and revokes him with
// mlSecrets.revokeAccess, after which bob's reference is flagged. The tree is read through the
// extension's exported `secretsTree`.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { startApoloEmulator, ApoloEmulator, DEFAULT_USERS } from '../emulators/apolo/server';
import { activate, closeAll, codeOf, EXTENSION_ID, ours, recordCanaries, waitFor, workspaceDir } from './helpers';

const ALICE = 'it-share-alice';
const BOB = 'it-share-bob';
const WANDB = 'secret://default/demo-org/demo-project/WANDB_API_KEY';

interface TreeApi {
  getChildren(n?: unknown): vscode.ProviderResult<unknown[]>;
  getTreeItem(n: unknown): vscode.TreeItem | Thenable<vscode.TreeItem>;
}
type Node = { kind: string; connection: string; id?: string; secret?: { name: string }; scope?: { label: string }; shared?: { name: string }; grant?: { user: string } };

function run<T = unknown>(id: string, arg?: unknown): Promise<T> {
  return vscode.commands.executeCommand(id, arg) as Promise<T>;
}

function labelOf(item: vscode.TreeItem): string {
  return String(typeof item.label === 'object' ? item.label.label : item.label);
}

async function children(tree: TreeApi, node?: unknown): Promise<Node[]> {
  return ((await tree.getChildren(node)) ?? []) as Node[];
}

/** The rows of a group once loaded: "label — description" each. */
async function rows(tree: TreeApi, group: Node): Promise<string[]> {
  return waitFor(async () => {
    const kids = await children(tree, group);
    if (kids.some((k) => k.kind === 'state' && k.id?.startsWith('loading:'))) return undefined;
    return Promise.all(kids.map(async (k) => {
      const item = await tree.getTreeItem(k);
      return `${labelOf(item)} — ${String(item.description ?? '')}`;
    }));
  }, 'the group to load');
}

async function sharedGroup(tree: TreeApi, connection: string): Promise<Node> {
  const conn = (await children(tree)).find((n) => n.kind === 'connection' && n.connection === connection);
  assert.ok(conn, `no connection ${connection}`);
  return waitFor(async () => (await children(tree, conn)).find((n) => n.kind === 'shared'), `the Shared with me group of ${connection}`);
}

async function accessGroup(tree: TreeApi, connection: string, project: string, name: string): Promise<Node> {
  const conn = (await children(tree)).find((n) => n.kind === 'connection' && n.connection === connection);
  const scope = await waitFor(async () => (await children(tree, conn)).find((n) => n.kind === 'scope' && n.scope?.label === project), `scope ${project}`);
  const secret = await waitFor(async () => (await children(tree, scope)).find((n) => n.kind === 'secret' && n.secret?.name === name), `secret ${name}`);
  assert.equal((await tree.getTreeItem(secret)).collapsibleState, vscode.TreeItemCollapsibleState.Collapsed);
  return waitFor(async () => (await children(tree, secret)).find((n) => n.kind === 'access'), `Who has access under ${name}`);
}

function described(uri: vscode.Uri): string[] {
  return ours(uri)
    .map((d) => `${d.range.start.line} ${codeOf(d)}`)
    .sort();
}

describe('Apolo sharing: Shared with me, Who has access, revoke', function () {
  let emu: ApoloEmulator;
  let tree: TreeApi;
  const dir = path.join(workspaceDir(), `share-${process.pid}`);
  const file = path.join(dir, '.neuro', 'live.yml');
  const uri = vscode.Uri.file(file);

  before(async () => {
    await activate();
    tree = (vscode.extensions.getExtension(EXTENSION_ID)!.exports as { secretsTree: TreeApi }).secretsTree;
    emu = await startApoloEmulator({
      seed: true,
      userNamespaces: true,
      clusters: [{ name: 'default', orgs: [{ name: 'demo-org', projects: ['demo-project', 'ml-team'] }, { name: 'bob-org', projects: ['bob-lab'] }] }],
      users: [...DEFAULT_USERS.filter((u) => u.name !== 'bob'), { name: 'bob', orgs: [{ name: 'bob-org', role: 'admin' }], projects: [{ cluster: 'default', org: 'bob-org', project: 'bob-lab', role: 'admin' }] }],
    });
    // alice on Apolo, bob on Neu.ro: a file under .neuro/ is checked against bob's connection.
    await run('mlSecrets.signIn', { platform: 'apolo', url: emu.apiUrl, token: emu.tokens.alice, org: 'demo-org', project: 'demo-project', label: ALICE });
    await run('mlSecrets.signIn', { platform: 'neuro', url: emu.apiUrl, token: emu.tokens.bob, org: 'bob-org', project: 'bob-lab', label: BOB });
    await run('mlSecrets.shareSecret', { connection: ALICE, name: 'WANDB_API_KEY', user: 'bob', permission: 'read' });
    // Neu.ro's user-scoped secrets in alice's namespace: one readable, one only listable.
    emu.state.grant('bob', 'secret://default/alice/dataset-token', 'read');
    emu.state.grant('bob', 'secret://default/alice/low-token', 'list');
    await run('mlSecrets.refresh', { connection: BOB });
    await closeAll();
  });

  after(async () => {
    await closeAll();
    fs.rmSync(dir, { recursive: true, force: true });
    await run('mlSecrets.removeConnection', { connection: ALICE }).catch(() => undefined);
    await run('mlSecrets.removeConnection', { connection: BOB }).catch(() => undefined);
    recordCanaries(Object.values(emu.tokens));
    await emu.close();
  });

  it("bob sees alice's shared secrets under Shared with me, with owner and level", async () => {
    const group = await sharedGroup(tree, BOB);
    assert.deepEqual(await rows(tree, group), ['dataset-token — alice · read', 'low-token — alice · list', 'WANDB_API_KEY — demo-org/demo-project · read']);
    assert.equal(labelOf(await tree.getTreeItem(group)), 'Shared with me (3)');
  });

  it("bob's references to them resolve; a grant below read is secret-inaccessible", async () => {
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(file, `jobs:\n  train:\n    image: ubuntu\n    env:\n      WANDB: ${WANDB}\n      DATA: secret://default/alice/dataset-token\n      LOW: secret://default/alice/low-token\n`);
    const doc = await vscode.workspace.openTextDocument(uri);
    await vscode.window.showTextDocument(doc, { preview: false });
    await waitFor(() => described(uri).join() === '6 secret-inaccessible', `only LOW flagged (got ${JSON.stringify(described(uri))})`, 15_000);
  });

  it('alice sees bob under Who has access and revokes him; his reference is then flagged', async () => {
    const group = await accessGroup(tree, ALICE, 'demo-project', 'WANDB_API_KEY');
    assert.deepEqual(await rows(tree, group), ['bob — read']);
    const grant = (await children(tree, group)).find((n) => n.kind === 'grant');
    assert.equal((await tree.getTreeItem(grant)).contextValue, 'mlSecrets.grant revoke');
    const res = await run<{ revoked: boolean }>('mlSecrets.revokeAccess', { connection: ALICE, name: 'WANDB_API_KEY', user: 'bob', confirm: true });
    assert.equal(res.revoked, true);
    assert.equal(emu.state.actionFor('bob', WANDB), 'deny');
    const del = emu.requests.filter((r) => r.method === 'DELETE' && r.path === '/api/v1/users/bob/permissions');
    assert.deepEqual(del.map((r) => r.query), [{ uri: WANDB }]);
    assert.deepEqual(await rows(tree, await accessGroup(tree, ALICE, 'demo-project', 'WANDB_API_KEY')), ['No one else has been granted access — ']);
    // bob's connection was refreshed by the revoke: WANDB is no longer resolvable for him
    await waitFor(() => described(uri).join() === '4 secret-unverified,6 secret-inaccessible', `WANDB flagged (got ${JSON.stringify(described(uri))})`, 15_000);
    await waitFor(async () => labelOf(await tree.getTreeItem(await sharedGroup(tree, BOB))) === 'Shared with me (2)', 'bob’s group to shrink');
  });

  it('a user-scoped secret no longer shared is flagged as the malformed URI it is for bob', async () => {
    emu.state.revoke('bob', 'secret://default/alice/dataset-token');
    await run('mlSecrets.refresh', { connection: BOB });
    await waitFor(() => described(uri).join() === '4 secret-unverified,5 reference-malformed,6 secret-inaccessible', `DATA flagged (got ${JSON.stringify(described(uri))})`, 15_000);
  });
});
