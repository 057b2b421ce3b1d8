// ZenML stacks inside the real VS Code: the Secrets view's Stacks group shows the seeded demo_stack
// with two missing secrets (s3_creds, slack_bot) and one key missing (mlflow_secret.token); Register
// Missing Secrets for Stack with {connection, stack, values} creates the two and adds the key (the
// existing keys kept); the stack then shows all green. Values never reach the tree.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { startZenmlEmulator, ZenmlEmulator } from '../emulators/zenml/server';
import { activate, EXTENSION_ID, recordCanaries, waitFor } from './helpers';

const LABEL = 'it-zenml-stacks';
const V = {
  s3_creds: { aws_access_key_id: 'CANARY-stack-akid-1', aws_secret_access_key: 'CANARY-stack-sak-2' },
  slack_bot: { token: 'CANARY-stack-slack-3' },
  mlflow_secret: { token: 'CANARY-stack-mlflow-4' },
};

interface TreeApi {
  getChildren(n?: unknown): vscode.ProviderResult<unknown[]>;
  getTreeItem(n: unknown): vscode.TreeItem | Thenable<vscode.TreeItem>;
}
type Node = { kind: string; connection: string; stack?: { name: string }; component?: { name: string }; ref?: { name: string; key: string } };

function run<T = unknown>(id: string, arg?: unknown): Promise<T> {
  return vscode.commands.executeCommand(id, arg) as Promise<T>;
}

async function children(tree: TreeApi, n?: unknown): Promise<Node[]> {
  return ((await tree.getChildren(n)) ?? []) as Node[];
}

async function text(tree: TreeApi, n: unknown): Promise<string> {
  const item = await tree.getTreeItem(n);
  const label = typeof item.label === 'object' ? item.label.label : item.label;
  return `${label} | ${item.description ?? ''} | ${item.iconPath instanceof vscode.ThemeIcon ? item.iconPath.id : ''}`;
}

/** Every reference row of the stack as "name.key | attribute · status | icon", once none is still checking. */
async function refRows(tree: TreeApi, stackName: string): Promise<string[]> {
  return waitFor(async () => {
    const conn = (await children(tree)).find((n) => n.kind === 'connection' && n.connection === LABEL);
    const group = conn && (await children(tree, conn)).find((n) => n.kind === 'stacks');
    if (!group) return undefined;
    const stack = (await children(tree, group)).find((n) => n.kind === 'stack' && n.stack?.name === stackName);
    if (!stack) return undefined;
    const rows: string[] = [];
    for (const comp of await children(tree, stack)) for (const r of await children(tree, comp)) rows.push(await text(tree, r));
    if (rows.some((r) => /checking|loading/.test(r))) return undefined;
    rows.push(`stack: ${await text(tree, stack)}`);
    rows.push(`group: ${await text(tree, group)}`);
    return rows.sort();
  }, `the rows of stack ${stackName}`);
}

describe('ZenML stacks: secret references and Register Missing Secrets for Stack', function () {
  let emu: ZenmlEmulator;
  let tree: TreeApi;

  before(async () => {
    await activate();
    tree = (vscode.extensions.getExtension(EXTENSION_ID)!.exports as { secretsTree: TreeApi }).secretsTree;
    emu = await startZenmlEmulator({ seed: true });
    await run('mlSecrets.signIn', { platform: 'zenml', url: emu.url, username: 'alice', password: emu.users.alice.password, label: LABEL });
  });

  after(async () => {
    await run('mlSecrets.removeConnection', { connection: LABEL }).catch(() => undefined);
    const stored: string[] = [];
    for (const s of emu.state.secrets.values()) stored.push(...Object.values(s.values));
    recordCanaries([...stored, emu.users.alice.password]);
    await emu.close();
  });

  it('shows the stack with two missing secrets and one missing key', async () => {
    const rows = await refRows(tree, 'demo_stack');
    assert.deepEqual(rows, [
      'group: Stacks (2) |  | layers',
      'mlflow_secret.password | tracking_password · exists | pass',
      'mlflow_secret.token | tracking_token · key missing | warning',
      'mlflow_secret.username | tracking_username · exists | pass',
      's3_creds.aws_access_key_id | key · secret missing | error',
      's3_creds.aws_secret_access_key | secret · secret missing | error',
      'slack_bot.token | slack_token · secret missing | error',
      'stack: demo_stack | 2 secrets missing · 1 key missing | error',
    ]);
  });

  it('with an argument object lacking a value, it fails clearly and writes nothing', async () => {
    const before = emu.state.secrets.size;
    await assert.rejects(
      run('mlSecrets.registerStackSecrets', { connection: LABEL, stack: 'demo_stack', values: { s3_creds: V.s3_creds, slack_bot: V.slack_bot } }),
      (e: Error) => /Missing value for 'mlflow_secret\.token'/.test(e.message) && !e.message.includes('CANARY'),
    );
    await assert.rejects(run('mlSecrets.registerStackSecrets', { connection: LABEL, stack: 'no_such_stack', values: V }), /No stack named 'no_such_stack'.*'demo_stack'/);
    await assert.rejects(run('mlSecrets.registerStackSecrets', { connection: LABEL, values: V }), /Missing 'stack'/);
    assert.equal(emu.state.secrets.size, before);
  });

  it('registers the missing secrets (one create per secret, one add-keys update) and the stack goes green', async () => {
    const mark = emu.requests.length;
    const oldMlflow = { ...emu.state.findByName('mlflow_secret')!.values };
    const done = await run<{ created: string[]; updated: string[] }>('mlSecrets.registerStackSecrets', { connection: LABEL, stack: 'demo_stack', values: V });
    assert.deepEqual({ created: [...done.created].sort(), updated: done.updated }, { created: ['s3_creds', 'slack_bot'], updated: ['mlflow_secret'] });
    const writes = emu.requests.slice(mark).filter((r) => r.method === 'POST' || r.method === 'PUT');
    assert.deepEqual(writes.map((r) => `${r.method} ${r.path.replace(/[0-9a-f-]{36}/, 'ID')} ${r.query.patch_values ?? ''}`).sort(), [
      'POST /api/v1/secrets ',
      'POST /api/v1/secrets ',
      'PUT /api/v1/secrets/ID true',
    ]);
    assert.deepEqual(emu.state.findByName('s3_creds')?.values, V.s3_creds);
    assert.deepEqual(emu.state.findByName('slack_bot')?.values, V.slack_bot);
    // The existing secret keeps every key it had, and gains the one the stack lacked.
    assert.deepEqual(emu.state.findByName('mlflow_secret')?.values, { ...oldMlflow, token: V.mlflow_secret.token });

    const rows = await refRows(tree, 'demo_stack');
    assert.ok(rows.filter((r) => !r.startsWith('group') && !r.startsWith('stack')).every((r) => r.endsWith('· exists | pass')), rows.join('\n'));
    assert.ok(rows.includes('stack: demo_stack | all 6 present | pass'), rows.join('\n'));
    assert.ok(!rows.join('\n').includes('CANARY'));
    // Nothing left to do: a second run writes nothing.
    const again = await run<{ created: string[]; updated: string[] }>('mlSecrets.registerStackSecrets', { connection: LABEL, stack: 'demo_stack', values: {} });
    assert.deepEqual(again, { created: [], updated: [] });
  });
});
