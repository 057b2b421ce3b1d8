// Go to Definition, Find All References and Rename on secret references inside the real VS Code,
// through VS Code's own commands (vscode.executeDefinitionProvider, …ReferenceProvider,
// …DocumentRenameProvider): a job file that is open, one that never is, and a shell script use the
// same Apolo secret; a .neuro/ file names the same secret on another connection (Neu.ro) and must
// never be listed or renamed.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { startApoloEmulator, ApoloEmulator } from '../emulators/apolo/server';
import { activate, closeAll, recordCanaries, waitFor, workspaceDir } from './helpers';

const LABEL = 'it-nav';
const NEURO = 'it-nav-neuro';
const NAME = 'nav_token';
const VALUE = 'nav-CANARY-value';
const OPEN = `jobs:\n  train:\n    image: ubuntu\n    env:\n      TOKEN: secret:${NAME}\n      HF: secret:HF_TOKEN\n    volumes:\n      - secret:${NAME}:/var/secrets/token\n`;
const CLOSED = `# never opened\njobs:\n  eval:\n    image: ubuntu\n    env:\n      T: secret:${NAME}\n      U: secret:${NAME}x\n`;
const SCRIPT = `#!/bin/sh\napolo run -e T=secret:${NAME} ubuntu echo\n`;
const OTHER = `env:\n  T: secret:${NAME}\n`;

function run<T = unknown>(id: string, ...args: unknown[]): Promise<T> {
  return vscode.commands.executeCommand(id, ...args) as Promise<T>;
}

/** "rel:line:col-line:col text" of a location, the text read from the file as it is now. */
async function describe_(dir: string, uri: vscode.Uri, range: vscode.Range): Promise<string> {
  const doc = await vscode.workspace.openTextDocument(uri);
  return `${path.relative(dir, uri.fsPath).split(path.sep).join('/')}:${range.start.line}:${range.start.character}-${range.end.line}:${range.end.character} ${doc.getText(range)}`;
}

describe('Navigation: Go to Definition, Find All References, Rename', function () {
  let emu: ApoloEmulator;
  const dir = path.join(workspaceDir(), `nav-${process.pid}`);
  const files = { open: '.apolo/live.yml', closed: '.apolo/batch.yml', script: 'scripts/run.sh', other: '.neuro/live.yml' };
  const uri = (rel: string) => vscode.Uri.file(path.join(dir, rel));
  let doc: vscode.TextDocument;
  /** Where `secret:nav_token` starts in the open file's env. */
  let pos: vscode.Position;

  before(async () => {
    await activate();
    emu = await startApoloEmulator({ seed: true });
    await run('mlSecrets.signIn', { platform: 'apolo', url: emu.apiUrl, token: emu.tokens.alice, org: 'demo-org', project: 'demo-project', label: LABEL });
    await run('mlSecrets.signIn', { platform: 'neuro', url: emu.apiUrl, token: emu.tokens.alice, org: 'demo-org', project: 'ml-team', label: NEURO });
    await run('mlSecrets.addSecret', { connection: LABEL, name: NAME, value: VALUE });
    await run('mlSecrets.addSecret', { connection: NEURO, name: NAME, value: VALUE });
    await closeAll();
    // Created through VS Code (as the Explorer does), so the index knows them without waiting on the file watcher.
    const create = new vscode.WorkspaceEdit();
    for (const [rel, text] of [[files.open, OPEN], [files.closed, CLOSED], [files.script, SCRIPT], [files.other, OTHER]]) create.createFile(uri(rel), { contents: Buffer.from(text, 'utf8'), overwrite: true });
    assert.ok(await vscode.workspace.applyEdit(create));
    doc = await vscode.workspace.openTextDocument(uri(files.open));
    await vscode.window.showTextDocument(doc, { preview: false });
    pos = doc.positionAt(OPEN.indexOf(`secret:${NAME}`) + 'secret:'.length + 2);
  });

  after(async () => {
    await run('workbench.action.files.revert').catch(() => undefined);
    await closeAll();
    fs.rmSync(dir, { recursive: true, force: true });
    for (const c of [LABEL, NEURO]) await run('mlSecrets.removeConnection', { connection: c }).catch(() => undefined);
    recordCanaries([...Object.values(emu.tokens), VALUE]);
    await emu.close();
  });

  it('Go to Definition: a read-only ml-secrets: document naming the secret, its connection and scope, never its value', async () => {
    const defs = await waitFor(async () => {
      const r = await run<(vscode.Location | vscode.LocationLink)[]>('vscode.executeDefinitionProvider', doc.uri, pos);
      return r?.length ? r : undefined;
    }, 'a definition', 15_000);
    assert.equal(defs.length, 1);
    const target = 'uri' in defs[0] ? defs[0].uri : defs[0].targetUri;
    const range = 'range' in defs[0] ? defs[0].range : defs[0].targetRange;
    assert.equal(target.scheme, 'ml-secrets');
    const text = (await vscode.workspace.openTextDocument(target)).getText();
    assert.match(text, new RegExp(`^Secret: ${NAME}$`, 'm'));
    assert.match(text, new RegExp(`^Connection: ${LABEL} \\(`, 'm'));
    assert.match(text, /^Scope: .*demo-project/m);
    assert.match(text, /never shows a secret value/);
    assert.ok(!text.includes(VALUE), 'no value in the description');
    assert.equal(range.start.line, 0, 'the secret\'s name line is selected');
    // Elsewhere in the file: no definition.
    const none = await run<unknown[]>('vscode.executeDefinitionProvider', doc.uri, new vscode.Position(2, 4));
    assert.equal(none?.length ?? 0, 0);
  });

  it('Find All References: every use on the same connection, open files or not, exact ranges; nothing on the other connection', async () => {
    const locs = await run<vscode.Location[]>('vscode.executeReferenceProvider', doc.uri, pos);
    const got = (await Promise.all(locs.map((l) => describe_(dir, l.uri, l.range)))).sort();
    assert.deepEqual(got, [
      `.apolo/batch.yml:5:9-5:25 secret:${NAME}`,
      `.apolo/live.yml:4:13-4:29 secret:${NAME}`,
      `.apolo/live.yml:7:8-7:43 secret:${NAME}:/var/secrets/token`,
      `scripts/run.sh:1:15-1:31 secret:${NAME}`,
    ]);
    assert.ok(!vscode.workspace.textDocuments.some((d) => d.uri.toString() === uri(files.closed).toString() && d.isDirty), 'the unopened file is untouched');
    // The tree's command finds the same uses.
    const fromTree = await run<{ file: string; line: number }[]>('mlSecrets.findReferences', { connection: LABEL, name: NAME });
    assert.deepEqual(fromTree.map((u) => `${u.file.replace(/^.*nav-\d+\//, '')}:${u.line}`).sort(), ['.apolo/batch.yml:5', '.apolo/live.yml:4', '.apolo/live.yml:7', 'scripts/run.sh:1']);
    const neuro = await run<{ file: string }[]>('mlSecrets.findReferences', { connection: NEURO, name: NAME });
    assert.deepEqual(neuro.map((u) => u.file.replace(/^.*nav-\d+\//, '')), ['.neuro/live.yml']);
  });

  it('Rename: one WorkspaceEdit replacing exactly the name of each use on the same connection; applying it keeps every other byte', async () => {
    // Rename starts on the reference's name (the placeholder is the name), and is refused elsewhere with a reason.
    const prepared = await run<{ range: vscode.Range; placeholder: string }>('vscode.prepareRename', doc.uri, pos);
    assert.equal(doc.getText(prepared.range), NAME);
    assert.equal(prepared.placeholder, NAME);
    await assert.rejects(run('vscode.prepareRename', doc.uri, new vscode.Position(2, 6)), /secret reference/);
    await assert.rejects(run('vscode.executeDocumentRenameProvider', doc.uri, pos, 'bad name!'), /can't be a secret name/);
    const edit = await run<vscode.WorkspaceEdit>('vscode.executeDocumentRenameProvider', doc.uri, pos, 'nav_renamed');
    const touched = edit.entries().map(([u, edits]) => [path.relative(dir, u.fsPath).split(path.sep).join('/'), edits.length] as const).sort();
    assert.deepEqual(touched, [['.apolo/batch.yml', 1], ['.apolo/live.yml', 2], ['scripts/run.sh', 1]]);
    for (const [u, edits] of edit.entries()) {
      const d = await vscode.workspace.openTextDocument(u);
      for (const e of edits) {
        assert.equal(d.getText(e.range), NAME);
        assert.equal(e.newText, 'nav_renamed');
      }
    }
    assert.ok(await vscode.workspace.applyEdit(edit));
    const after = async (rel: string) => (await vscode.workspace.openTextDocument(uri(rel))).getText();
    const renamed = (t: string) => t.replace(new RegExp(`secret:${NAME}(?![\\w.-])`, 'g'), 'secret:nav_renamed');
    assert.equal(await after(files.open), renamed(OPEN));
    assert.equal(await after(files.closed), renamed(CLOSED));
    assert.equal(await after(files.script), renamed(SCRIPT));
    assert.equal(await after(files.other), OTHER, 'the other connection\'s file is untouched');
    assert.ok((await after(files.closed)).includes(`secret:${NAME}x`), 'another secret whose name starts the same is untouched');
  });
});
