// Plaintext tokens (issue 16) inside the real VS Code, against each platform's strict emulator:
// a `plaintext-secret` Warning exactly on the token (never the token in the message), the quick fix
// "Move to a platform secret…" end to end (the secret holds the value, the file the reference),
// notebooks (a cell's token moves, a saved output's token is cleared), a .env ignored by git says
// so, `# ml-secrets-ignore` and the setting turn it off, and a failed create leaves the file as it
// was. Every token is synthetic, made at run time, and recorded as a canary for the leak scan.
import * as assert from 'node:assert/strict';
import { randomInt } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { startApoloEmulator, ApoloEmulator } from '../emulators/apolo/server';
import { startZenmlEmulator, ZenmlEmulator } from '../emulators/zenml/server';
import { startMosaicEmulator, MosaicEmulator } from '../emulators/mosaic/server';
import { startFlyteEmulator, FlyteEmulator } from '../emulators/flyte/server';
import { activate, closeAll, codeOf, openJobFile, ours, recordCanaries, waitFor, workspaceDir } from './helpers';

const ORG = 'demo-org';
const PROJECT = 'demo-project';
const L = { apolo: 'it-pt-apolo', zenml: 'it-pt-zenml', mosaic: 'it-pt-mosaic', flyte: 'it-pt-flyte' };

function run<T = unknown>(id: string, arg?: unknown): Promise<T> {
  return vscode.commands.executeCommand(id, arg) as Promise<T>;
}

const LETTERS = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';
const HEX = '0123456789abcdef';
const pick = (alphabet: string, n: number) => Array.from({ length: n }, () => alphabet[randomInt(alphabet.length)]).join('');
/** Synthetic tokens in each rule's shape, random per run (never a real one). */
const hfToken = () => `hf_${pick(LETTERS, 34)}`;
const wandbKey = () => pick(HEX, 40);

const made: string[] = [];
function token(make: () => string): string {
  const t = make();
  made.push(t);
  return t;
}

function plaintext(uri: vscode.Uri): vscode.Diagnostic[] {
  return ours(uri).filter((d) => codeOf(d) === 'plaintext-secret');
}

/** Waits for exactly `n` plaintext diagnostics and checks none of them shows the token. */
async function tokensShown(doc: vscode.TextDocument, n: number, secret?: string): Promise<vscode.Diagnostic[]> {
  const ds = await waitFor(() => (plaintext(doc.uri).length === n ? plaintext(doc.uri) : undefined), `${n} plaintext-secret diagnostic(s) on ${path.basename(doc.uri.path)}, got ${plaintext(doc.uri).length}`, 15_000);
  for (const d of ds) {
    assert.equal(d.severity, vscode.DiagnosticSeverity.Warning);
    if (secret) assert.ok(!d.message.includes(secret) && !d.message.includes(secret.slice(3, 20)), 'the message shows the token');
  }
  return ds;
}

function rangeArg(r: vscode.Range): Record<string, unknown> {
  return { start: { line: r.start.line, character: r.start.character }, end: { line: r.end.line, character: r.end.character } };
}

async function quickFixTitles(doc: vscode.TextDocument, d: vscode.Diagnostic): Promise<string[]> {
  const actions = await vscode.commands.executeCommand<vscode.CodeAction[]>('vscode.executeCodeActionProvider', doc.uri, d.range);
  return actions.map((a) => a.title);
}

describe('Plaintext tokens: find them and move them into a platform secret', function () {
  let apolo: ApoloEmulator;
  let zenml: ZenmlEmulator;
  let mosaic: MosaicEmulator;
  let flyte: FlyteEmulator;
  const files: string[] = [];
  const open = async (rel: string, text: string) => {
    files.push(path.join(workspaceDir(), rel));
    return openJobFile(rel, text);
  };

  before(async () => {
    await activate();
    [apolo, zenml, mosaic, flyte] = await Promise.all([startApoloEmulator({ seed: false }), startZenmlEmulator({ seed: true }), startMosaicEmulator({ seed: true }), startFlyteEmulator({ seed: true })]);
    await run('mlSecrets.signIn', { platform: 'apolo', url: apolo.apiUrl, token: apolo.tokens.alice, org: ORG, project: PROJECT, label: L.apolo });
    await run('mlSecrets.signIn', { platform: 'zenml', url: zenml.url, apiKey: zenml.apiKeys.alice, label: L.zenml });
    await run('mlSecrets.signIn', { platform: 'mosaic', url: mosaic.endpoint, apiKey: mosaic.apiKeys.alice, label: L.mosaic });
    await run('mlSecrets.signIn', { platform: 'flyte', apiKey: flyte.apiKey, project: 'flytesnacks', domain: 'development', label: L.flyte });
  });

  after(async () => {
    // Nothing with a token stays behind (the leak scan reads the workspace and VS Code's backups).
    await vscode.workspace.saveAll(false);
    await closeAll();
    for (const f of files) fs.rmSync(f, { recursive: true, force: true });
    for (const label of Object.values(L)) await run('mlSecrets.removeConnection', { connection: label }).catch(() => undefined);
    recordCanaries([...made, ...Object.values(apolo.tokens), ...Object.values(zenml.apiKeys), ...Object.values(mosaic.apiKeys), flyte.apiKey]);
    await Promise.all([apolo.close(), zenml.close(), mosaic.close(), flyte.close()]);
  });

  it('Apolo job YAML: a Warning on exactly the token; Move creates the secret with the value and the file reads secret:NAME', async () => {
    const tok = token(hfToken);
    const doc = await open('pt/apolo/.apolo/live.yml', ['kind: live', 'jobs:', '  train:', '    image: python:3.12', '    env:', `      HF_TOKEN: ${tok}`, '      OTHER: plain', ''].join('\n'));
    const [d] = await tokensShown(doc, 1, tok);
    assert.equal(doc.getText(d.range), tok);
    assert.deepEqual([d.range.start.line, d.range.start.character], [5, 16]);
    assert.match(d.message, /Hugging Face/);
    const titles = await quickFixTitles(doc, d);
    assert.ok(titles.includes('Move to a platform secret…'), titles.join(' | '));
    const res = await run<{ reference: string; edited: boolean }>('mlSecrets.moveToSecret', { uri: doc.uri.toString(), range: rangeArg(d.range), connection: L.apolo, name: 'hf_token' });
    assert.equal(res.edited, true);
    assert.equal(apolo.state.getSecret(ORG, PROJECT, 'hf_token'), Buffer.from(tok).toString('base64'));
    assert.equal(doc.lineAt(5).text, '      HF_TOKEN: secret:hf_token');
    assert.equal(doc.lineAt(6).text, '      OTHER: plain');
    await waitFor(() => plaintext(doc.uri).length === 0, 'the warning goes');
    // The new reference resolves against the list the create reloaded: no problem on it.
    await waitFor(() => ours(doc.uri).length === 0, `no diagnostics: ${ours(doc.uri).map((x) => x.message).join(' | ')}`);
    // One undo brings the literal back (the edit is undoable), and redo the reference.
    await vscode.window.showTextDocument(doc);
    await vscode.commands.executeCommand('undo');
    await waitFor(() => doc.lineAt(5).text.includes(tok), 'undo restores the literal');
    await vscode.commands.executeCommand('redo');
    await waitFor(() => doc.lineAt(5).text === '      HF_TOKEN: secret:hf_token', 'redo');
  });

  it('ZenML YAML: the value becomes "{{name.key}}" and the secret holds {key: value}', async () => {
    const tok = token(wandbKey);
    const doc = await open('pt/zenml/tracker.yaml', ['settings:', '  environment:', `    WANDB_API_KEY: ${tok}`, ''].join('\n'));
    const [d] = await tokensShown(doc, 1, tok);
    assert.equal(doc.getText(d.range), tok);
    const res = await run<{ key?: string }>('mlSecrets.moveToSecret', { uri: doc.uri.toString(), range: rangeArg(d.range), connection: L.zenml, name: 'wandb_it', key: 'api_key' });
    assert.equal(res.key, 'api_key');
    const stored = zenml.state.findByName('wandb_it');
    assert.ok(stored);
    assert.deepEqual(stored.values, { api_key: tok });
    assert.equal(doc.lineAt(2).text, '    WANDB_API_KEY: "{{wandb_it.api_key}}"');
  });

  it('MosaicML run YAML: an environment secret named for the variable, and the plaintext entry goes', async () => {
    const tok = token(hfToken);
    const doc = await open('pt/mosaic/run.yaml', ['name: finetune', 'image: mosaicml/llm-foundry', 'env_variables:', `  HF_TOKEN: ${tok}`, '  LOG_LEVEL: info', 'command: python train.py', ''].join('\n'));
    const [d] = await tokensShown(doc, 1, tok);
    await run('mlSecrets.moveToSecret', { uri: doc.uri.toString(), range: rangeArg(d.range), connection: L.mosaic, name: 'hf-token-it' });
    const stored = mosaic.state.getSecret('alice', 'hf-token-it');
    assert.ok(stored);
    assert.equal(stored.type, 'ENV_VAR');
    assert.deepEqual(stored.metadata, { key: 'HF_TOKEN' });
    assert.equal(stored.value, tok);
    assert.equal(doc.getText(), ['name: finetune', 'image: mosaicml/llm-foundry', 'env_variables:', '  LOG_LEVEL: info', 'command: python train.py', ''].join('\n'));
  });

  it('Flyte Python: the literal becomes os.environ[...] (import os added) and the secret holds the value', async () => {
    const tok = token(hfToken);
    const doc = await open('pt/flyte/train.py', ['import flyte', '', 'env = flyte.TaskEnvironment(name="train")', '', `token = "${tok}"`, ''].join('\n'));
    const [d] = await tokensShown(doc, 1, tok);
    // A plain path works as `uri` too.
    await run('mlSecrets.moveToSecret', { uri: doc.uri.fsPath, range: rangeArg(d.range), connection: L.flyte, name: 'hf-token-it' });
    const s = [...flyte.state.secrets.values()].find((x) => x.name === 'hf-token-it');
    assert.ok(s);
    assert.equal(Buffer.from(s.value).toString('utf8'), tok);
    assert.ok(!doc.getText().includes(tok));
    assert.match(doc.getText(), /^token = os\.environ\["HF_TOKEN"\]$/m);
    assert.match(doc.getText(), /^import os$/m);
  });

  it('a refused form or a failed create leaves the file exactly as it was', async () => {
    const tok = token(hfToken);
    const text = ['env:', `  HF_TOKEN: ${tok}`, ''].join('\n');
    const doc = await open('pt/refuse/job.yaml', text);
    const [d] = await tokensShown(doc, 1, tok);
    // Flyte reads secrets in Python: no form for YAML, nothing created.
    const before = flyte.requests.length;
    await assert.rejects(run('mlSecrets.moveToSecret', { uri: doc.uri.toString(), range: rangeArg(d.range), connection: L.flyte, name: 'never' }), /Python|YAML/);
    assert.equal(flyte.requests.slice(before).filter((r) => r.path.endsWith('/CreateSecret')).length, 0);
    // The name exists already on Apolo: refused before any write.
    apolo.state.setSecret(ORG, PROJECT, 'taken', Buffer.from('x-CANARY-taken').toString('base64'));
    await run('mlSecrets.refresh', { connection: L.apolo });
    await assert.rejects(run('mlSecrets.moveToSecret', { uri: doc.uri.toString(), range: rangeArg(d.range), connection: L.apolo, name: 'taken' }), /already exists/);
    assert.equal(apolo.state.getSecret(ORG, PROJECT, 'taken'), Buffer.from('x-CANARY-taken').toString('base64'));
    // No token there: a clear error.
    await assert.rejects(run('mlSecrets.moveToSecret', { uri: doc.uri.toString(), line: 0, character: 0, connection: L.apolo, name: 'x' }), /no plaintext token/i);
    assert.equal(doc.getText(), text);
  });

  it('a notebook: a token in a cell moves; a token in a saved output is reported on its cell and cleared', async () => {
    const inCell = token(hfToken);
    const inOutput = token(hfToken);
    const nbJson = {
      nbformat: 4,
      nbformat_minor: 5,
      metadata: { language_info: { name: 'python' } },
      cells: [
        { cell_type: 'markdown', id: 'a1', metadata: {}, source: ['# Fine-tune\n'] },
        { cell_type: 'code', id: 'b2', metadata: {}, execution_count: 1, source: ['from huggingface_hub import login\n', `login(token="${inCell}")`], outputs: [] },
        { cell_type: 'code', id: 'c3', metadata: {}, execution_count: 2, source: ['import os\n', 'print(os.environ)'], outputs: [{ output_type: 'stream', name: 'stdout', text: [`environ({'HF_TOKEN': '${inOutput}'})\n`] }] },
      ],
    };
    const file = path.join(workspaceDir(), 'pt/nb/finetune.ipynb');
    files.push(file);
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(file, JSON.stringify(nbJson, null, 1));
    const nb = await vscode.workspace.openNotebookDocument(vscode.Uri.file(file));
    await vscode.window.showNotebookDocument(nb);
    const cell = nb.cellAt(1).document;
    const printed = nb.cellAt(2).document;
    const [d] = await tokensShown(cell, 1, inCell);
    assert.equal(cell.getText(d.range), inCell);
    const [o] = await tokensShown(printed, 1, inOutput);
    assert.match(o.message, /saved output/);
    const fixes = await vscode.commands.executeCommand<vscode.CodeAction[]>('vscode.executeCodeActionProvider', printed.uri, o.range);
    const clear = fixes.find((a) => a.title === "Clear this cell's output");
    assert.ok(clear?.command, fixes.map((a) => a.title).join(' | '));
    assert.equal(await run(clear.command.command, ...(clear.command.arguments ?? [])), true);
    await waitFor(() => nb.cellAt(2).outputs.length === 0, 'the output is cleared');
    assert.equal(nb.cellAt(2).document.getText(), 'import os\nprint(os.environ)');
    await waitFor(() => plaintext(nb.cellAt(2).document.uri).length === 0, 'the output warning goes');
    await run('mlSecrets.moveToSecret', { uri: cell.uri.toString(), range: rangeArg(d.range), connection: L.apolo, name: 'nb_hf_token' });
    assert.equal(apolo.state.getSecret(ORG, PROJECT, 'nb_hf_token'), Buffer.from(inCell).toString('base64'));
    assert.ok(!nb.cellAt(1).document.getText().includes(inCell));
    assert.match(nb.cellAt(1).document.getText(), /login\(token=os\.environ\["HF_TOKEN"\]\)/);
    await nb.save();
    assert.ok(!fs.readFileSync(file, 'utf8').includes(inCell) && !fs.readFileSync(file, 'utf8').includes(inOutput), 'the saved notebook holds neither token');
  });

  it('files that are not open: their tokens are in the Problems panel too, and an opened notebook hands them to its cells', async function () {
    // The scan of unopened files competes with the rest of a full run's workspace.
    this.timeout(90_000);
    const tok = token(hfToken);
    const other = token(wandbKey);
    const dir = path.join(workspaceDir(), 'pt/closed');
    files.push(dir);
    fs.mkdirSync(dir, { recursive: true });
    const sh = path.join(dir, 'train.sh');
    fs.writeFileSync(sh, `#!/bin/bash\nexport WANDB_API_KEY=${other}\npython train.py\n`);
    const nbFile = path.join(dir, 'eval.ipynb');
    const nb = { nbformat: 4, nbformat_minor: 5, metadata: {}, cells: [{ cell_type: 'code', id: 'x1', metadata: {}, execution_count: null, source: [`HF_TOKEN = "${tok}"`], outputs: [] }] };
    fs.writeFileSync(nbFile, JSON.stringify(nb, null, 1));
    const shUri = vscode.Uri.file(sh);
    const nbUri = vscode.Uri.file(nbFile);
    const [d] = await waitFor(() => (plaintext(shUri).length === 1 ? plaintext(shUri) : undefined), 'the unopened script is reported', 30_000);
    assert.deepEqual([d.range.start.line, d.range.start.character, d.range.end.character], [1, 21, 61]);
    assert.ok(!d.message.includes(other));
    await waitFor(() => plaintext(nbUri).length === 1, 'the unopened notebook is reported', 30_000);
    // Opened, the notebook's cells own its problems: none stay on the file itself.
    const doc = await vscode.workspace.openNotebookDocument(nbUri);
    await vscode.window.showNotebookDocument(doc);
    await tokensShown(doc.cellAt(0).document, 1, tok);
    await waitFor(() => plaintext(nbUri).length === 0, `the file-level problem goes when the notebook opens (${plaintext(nbUri).length} left)`);
    // A change on disk is seen: the token removed, the problem goes.
    fs.writeFileSync(sh, '#!/bin/bash\npython train.py\n');
    await waitFor(() => plaintext(shUri).length === 0, 'the problem goes when the file changes on disk', 30_000);
  });

  it('a .env ignored by git is still reported, and says so; # ml-secrets-ignore and the setting turn it off', async () => {
    const tok = token(hfToken);
    const repo = path.join(workspaceDir(), 'pt/repo');
    files.push(repo);
    fs.mkdirSync(path.join(repo, '.git'), { recursive: true });
    fs.writeFileSync(path.join(repo, '.gitignore'), '.env\n');
    const env = await open('pt/repo/.env', `HF_TOKEN=${tok}\n`);
    const [d] = await tokensShown(env, 1, tok);
    assert.match(d.message, /ignored by git/);
    const tracked = await open('pt/repo/settings.env', `HF_TOKEN=${tok}\n`);
    const [t] = await tokensShown(tracked, 1, tok);
    assert.doesNotMatch(t.message, /ignored by git/);
    const ignoredLine = await open('pt/repo/job.yaml', `env:\n  HF_TOKEN: ${tok} # ml-secrets-ignore\n  HF_TOKEN2: ${tok}\n`);
    await tokensShown(ignoredLine, 1, tok);
    const cfg = vscode.workspace.getConfiguration('mlSecrets');
    await cfg.update('plaintext.enabled', false, vscode.ConfigurationTarget.Workspace);
    try {
      await waitFor(() => plaintext(env.uri).length === 0 && plaintext(ignoredLine.uri).length === 0, 'the setting turns detection off');
    } finally {
      await cfg.update('plaintext.enabled', undefined, vscode.ConfigurationTarget.Workspace);
    }
    await tokensShown(env, 1, tok);
  });
});
