// Completion inside references, in the real VS Code through `vscode.executeCompletionItemProvider`
// (docs/contract.md "Editor features"): Apolo `secret:` in job YAML, ZenML `{{name.` keys (loaded
// lazily by the model), Flyte `secrets=[…]` in Python, the "Create secret 'NAME'…" item — and never
// a secret's value in any item.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { ApoloEmulator, startApoloEmulator } from '../emulators/apolo/server';
import { FlyteEmulator, startFlyteEmulator } from '../emulators/flyte/server';
import { startZenmlEmulator, ZenmlEmulator } from '../emulators/zenml/server';
import { activate, closeAll, openJobFile, recordCanaries, waitFor } from './helpers';

const APOLO = 'it-complete-apolo';
const ZENML = 'it-complete-zenml';
const FLYTE = 'it-complete-flyte';

function run<T = unknown>(id: string, arg?: unknown): Promise<T> {
  return vscode.commands.executeCommand(id, arg) as Promise<T>;
}

const labelOf = (i: vscode.CompletionItem) => (typeof i.label === 'string' ? i.label : i.label.label);

/** Opens `text` (the cursor at its `|`) and asks every completion provider there. */
async function completeAt(rel: string, src: string): Promise<{ doc: vscode.TextDocument; items: vscode.CompletionItem[] }> {
  const at = src.indexOf('|');
  const doc = await openJobFile(rel, src.slice(0, at) + src.slice(at + 1));
  const pos = doc.positionAt(at);
  const list = await vscode.commands.executeCommand<vscode.CompletionList>('vscode.executeCompletionItemProvider', doc.uri, pos);
  return { doc, items: list?.items ?? [] };
}

/** Asks until `want` is among the labels (lists and key names load on first use). */
async function completeUntil(rel: string, src: string, want: string): Promise<vscode.CompletionItem[]> {
  return waitFor(async () => {
    const { items } = await completeAt(rel, src);
    return items.some((i) => labelOf(i) === want) ? items : undefined;
  }, `completion offering '${want}' in ${rel}`, 15_000);
}

async function bind(label: string | undefined): Promise<void> {
  await vscode.workspace.getConfiguration('mlSecrets').update('connection', label, vscode.ConfigurationTarget.Workspace);
}

describe('Completion inside references', function () {
  let apolo: ApoloEmulator;
  let zenml: ZenmlEmulator;
  let flyte: FlyteEmulator;
  const values: string[] = [];

  /** No item shows a value: label, detail, documentation, inserted text, command arguments. */
  function assertNoValue(items: vscode.CompletionItem[]): void {
    const seen = JSON.stringify(items.map((i) => ({ label: i.label, detail: i.detail, doc: i.documentation, insert: i.insertText, command: i.command })));
    for (const v of values) if (v.length >= 6) assert.ok(!seen.includes(v), 'a secret value appeared in a completion item');
  }

  before(async () => {
    await activate();
    apolo = await startApoloEmulator({ seed: true });
    zenml = await startZenmlEmulator({ seed: true });
    flyte = await startFlyteEmulator({ seed: true });
    for (const keys of apolo.state.secrets.values()) for (const v of keys.values()) values.push(Buffer.from(v, 'base64').toString('utf8'));
    for (const s of zenml.state.secrets.values()) values.push(...Object.values(s.values));
    for (const s of flyte.state.secrets.values()) values.push(Buffer.from(s.value).toString('utf8'));
    await run('mlSecrets.signIn', { platform: 'apolo', url: apolo.apiUrl, token: apolo.tokens.alice, org: 'demo-org', project: 'demo-project', label: APOLO });
    await run('mlSecrets.signIn', { platform: 'zenml', url: zenml.url, username: 'alice', password: zenml.users.alice.password, label: ZENML });
    await run('mlSecrets.signIn', { platform: 'flyte', apiKey: flyte.apiKey, project: 'flytesnacks', domain: 'development', label: FLYTE });
  });

  after(async () => {
    await closeAll();
    await bind(undefined);
    for (const l of [APOLO, ZENML, FLYTE]) await run('mlSecrets.removeConnection', { connection: l }).catch(() => undefined);
    recordCanaries([...values, ...Object.values(apolo.tokens), zenml.users.alice.password, flyte.apiKey, flyte.clientSecret]);
    await Promise.all([apolo.close(), zenml.close(), flyte.close()]);
  });

  it('Apolo job YAML: after secret: the project\'s names with scope and date, replacing the typed prefix', async () => {
    await bind(APOLO);
    const items = await completeUntil('complete/apolo.yaml', 'kind: batch\njobs:\n  train:\n    image: ubuntu\n    env:\n      WANDB: secret:WA|\n', 'WANDB_API_KEY');
    const ours = items.find((i) => labelOf(i) === 'WANDB_API_KEY') as vscode.CompletionItem;
    assert.equal(ours.kind, vscode.CompletionItemKind.Value);
    assert.match(String(ours.detail), /demo-org\/demo-project|\d{4}-\d{2}-\d{2}/);
    const range = ours.range as { inserting: vscode.Range; replacing: vscode.Range };
    assert.equal(range.replacing.start.character, '      WANDB: secret:'.length);
    assert.ok(!items.some((i) => labelOf(i) === 'HF_TOKEN'), 'only names starting with the typed prefix');
    assertNoValue(items);
  });

  it('a name no secret has: a last "Create secret \'NAME\'…" item that runs Add Secret for this connection', async () => {
    await bind(APOLO);
    const items = await completeUntil('complete/apolo-new.yaml', 'jobs:\n  train:\n    env:\n      X: secret:brand-new-one|\n', "Create secret 'brand-new-one'…");
    const create = items.find((i) => labelOf(i) === "Create secret 'brand-new-one'…") as vscode.CompletionItem;
    assert.equal(create.command?.command, 'mlSecrets.addSecret');
    assert.deepEqual(create.command?.arguments?.[0], { connection: APOLO, name: 'brand-new-one', project: 'demo-project', interactive: true });
    assert.equal(create.insertText, 'brand-new-one', 'accepting it keeps the text as typed');
    const existing = (await completeAt('complete/apolo-existing.yaml', 'jobs:\n  t:\n    env:\n      X: secret:HF_TOKEN|\n')).items;
    assert.ok(!existing.some((i) => labelOf(i).startsWith('Create secret')), 'no Create for an existing name');
  });

  it('ZenML {{name. offers that secret\'s key names (loaded lazily), never their values', async () => {
    await bind(ZENML);
    const names = await completeUntil('complete/zenml.yaml', 'settings:\n  tracking: {{ mlf|}}\n', 'mlflow_secret');
    assertNoValue(names);
    const keys = await completeUntil('complete/zenml-keys.yaml', 'settings:\n  tracking: {{mlflow_secret.|}}\n', 'tracking_uri');
    const labels = keys.map(labelOf);
    for (const k of ['username', 'password', 'tracking_uri']) assert.ok(labels.includes(k), `key ${k} offered`);
    assert.equal(keys.find((i) => labelOf(i) === 'password')?.kind, vscode.CompletionItemKind.Property);
    assertNoValue(keys);
  });

  it('Flyte Python: a string in secrets=[…] offers the names of the project, domain and org', async () => {
    await bind(FLYTE);
    const src = 'import flyte\n\nenv = flyte.TaskEnvironment(\n    name="train",\n    secrets=[\n        "openai-key",\n        "|",\n    ],\n)\n';
    const items = await completeUntil('complete/flyte_env.py', src, 'hf-token');
    const labels = items.map(labelOf);
    for (const n of ['hf-token', 'wandb-key', 'openai-key']) assert.ok(labels.includes(n), `${n} offered`);
    assertNoValue(items);
  });

  it('outside a reference: nothing of ours', async () => {
    await bind(APOLO);
    const { items } = await completeAt('complete/plain.yaml', 'jobs:\n  train:\n    image: ubu|\n');
    // VS Code's own word suggestions (kind Text) may name anything in open files; ours are Values and the Create item.
    assert.ok(!items.some((i) => i.kind === vscode.CompletionItemKind.Value || labelOf(i).startsWith('Create secret')), JSON.stringify(items.map(labelOf)));
  });
});
