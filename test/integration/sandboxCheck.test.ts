// The `npm start` demo, checked twice: by the editor (open or not, every job file of the multi-root
// demo workspace gets its problems from the workspace check) and by `ml-secrets check` run in a
// terminal with the same logins given as the platforms' CLI environment variables. Both must report
// the same findings at the same places; the command line exits 1. Then a user mends the demo the
// editor's way (the malformed reference's quick fix, Create/Add key for the missing ones, through the
// contract's commands; the plaintext tokens moved into secrets and a notebook's output cleared) and
// both agree again: no failing finding, exit 0.
//
// Run by scripts/test.mjs's "sandbox demo" stage, which starts the demo platforms and hands over
// ML_SECRETS_SANDBOX (the editor's connections) and ML_SECRETS_DEMO_CLI_ENV (the CLI's environment).
import * as assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { activate, codeOf, EXTENSION_ID, sleep, waitFor } from './helpers';

interface CliFinding {
  path: string;
  line: number;
  column: number;
  severity: string;
  code: string;
  name?: string;
  key?: string;
}
interface CliRun {
  code: number;
  findings: CliFinding[];
  stderr: string;
}

/** The editor connection each demo folder's files are checked against (the demo's own setup). */
const CONNECTION_OF: [string, string][] = [
  ['apolo-project/.neuro/', 'neuro-demo'],
  ['apolo-project/.apolo/', 'apolo-demo'],
  ['zenml-project/', 'zenml-demo'],
  ['mosaic-project/', 'mosaic-demo'],
  ['flyte-project/', 'flyte-demo'],
];
const FAILING = ['secret-missing', 'key-missing', 'reference-malformed', 'plaintext-secret'];
const SEVERITY = ['error', 'warning', 'information', 'hint'];

function root(): string {
  const ws = vscode.workspace.workspaceFile;
  if (!ws || ws.scheme !== 'file') throw new Error('the sandbox demo suite opens demo.code-workspace');
  return path.dirname(ws.fsPath);
}

async function cli(cwd = root()): Promise<CliRun> {
  const envFile = process.env.ML_SECRETS_DEMO_CLI_ENV;
  if (!envFile) throw new Error('ML_SECRETS_DEMO_CLI_ENV is not set: run this suite with `node scripts/test.mjs --only integration`');
  const env = { PATH: process.env.PATH ?? '', ELECTRON_RUN_AS_NODE: '1', ...(JSON.parse(fs.readFileSync(envFile, 'utf8')) as Record<string, string>) };
  const bin = path.join(vscode.extensions.getExtension(EXTENSION_ID)!.extensionPath, 'bin', 'ml-secrets.js');
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [bin, 'check', '--plaintext', '--format', 'json'], { cwd, env });
    let out = '';
    let stderr = '';
    child.stdout.on('data', (b: Buffer) => (out += b.toString()));
    child.stderr.on('data', (b: Buffer) => (stderr += b.toString()));
    child.on('error', reject);
    child.on('close', (code) => {
      try {
        resolve({ code: code ?? -1, findings: (JSON.parse(out) as { findings: CliFinding[] }).findings, stderr });
      } catch (e) {
        reject(new Error(`ml-secrets check printed no JSON (exit ${code}): ${stderr}${out}`));
      }
    });
  });
}

const cliLines = (r: CliRun) => r.findings.map((f) => `${f.path}:${f.line}:${f.column} ${f.severity} ${f.code}`).sort();

/** Every ML Secrets problem in the workspace, open files or not, the CLI's way. */
function editorLines(): string[] {
  const base = root();
  const out: string[] = [];
  for (const [uri, diags] of vscode.languages.getDiagnostics()) {
    for (const d of diags) {
      if (d.source !== 'ML Secrets') continue;
      const rel = path.relative(base, uri.fsPath).split(path.sep).join('/');
      out.push(`${rel}:${d.range.start.line + 1}:${d.range.start.character + 1} ${SEVERITY[d.severity]} ${codeOf(d)}`);
    }
  }
  return out.sort();
}

/** Waits for the editor to settle on the CLI's findings (sign-in, the workspace check and the lists take a moment). */
async function sameAsEditor(r: CliRun): Promise<void> {
  const want = cliLines(r);
  try {
    await waitFor(() => JSON.stringify(editorLines()) === JSON.stringify(want), 'the editor to show the same problems as ml-secrets check', 45_000);
  } catch {
    assert.deepEqual(editorLines(), want, 'the editor (left) and ml-secrets check (right) disagree');
  }
}

function connectionOf(rel: string): string {
  const c = CONNECTION_OF.find(([prefix]) => rel.startsWith(prefix));
  if (!c) throw new Error(`no demo connection for ${rel}`);
  return c[1];
}

/** Applies the editor's quick fix for each malformed reference, and saves. */
async function fixMalformed(r: CliRun): Promise<void> {
  for (const f of r.findings.filter((x) => x.code === 'reference-malformed')) {
    const uri = vscode.Uri.file(path.join(root(), ...f.path.split('/')));
    const doc = await vscode.workspace.openTextDocument(uri);
    const diag = vscode.languages.getDiagnostics(uri).find((d) => codeOf(d) === 'reference-malformed' && d.range.start.line === f.line - 1);
    assert.ok(diag, `the editor shows ${f.path}:${f.line}'s reference-malformed`);
    const actions = (await vscode.commands.executeCommand<vscode.CodeAction[]>('vscode.executeCodeActionProvider', uri, diag.range)) ?? [];
    const fix = actions.find((a) => a.edit && a.isPreferred);
    assert.ok(fix?.edit, `a quick fix for ${f.path}:${f.line} (offered: ${actions.map((a) => a.title).join(' | ')})`);
    assert.ok(await vscode.workspace.applyEdit(fix.edit));
    assert.ok(await doc.save());
  }
}

/** Creates what is missing, as the Create / Add key actions do: one call per secret. */
async function createMissing(r: CliRun): Promise<void> {
  const wanted = new Map<string, { connection: string; name: string; keys: Set<string>; exists: boolean }>();
  for (const f of r.findings.filter((x) => x.code === 'secret-missing' || x.code === 'key-missing')) {
    const connection = connectionOf(f.path);
    const w = wanted.get(`${connection}/${f.name}`) ?? { connection, name: f.name!, keys: new Set<string>(), exists: f.code === 'key-missing' };
    if (f.key) w.keys.add(f.key);
    wanted.set(`${connection}/${f.name}`, w);
  }
  for (const w of wanted.values()) {
    const base = { connection: w.connection, name: w.name };
    if (w.connection === 'zenml-demo') {
      const values = Object.fromEntries([...w.keys].map((k) => [k, 'demo-value']));
      await vscode.commands.executeCommand(w.exists ? 'mlSecrets.updateSecret' : 'mlSecrets.addSecret', { ...base, values });
    } else if (w.connection === 'mosaic-demo') {
      await vscode.commands.executeCommand('mlSecrets.addSecret', { ...base, type: 'environment', envKey: w.name.toUpperCase().replace(/-/g, '_'), value: 'demo-value' });
    } else {
      await vscode.commands.executeCommand('mlSecrets.addSecret', { ...base, value: 'demo-value' });
    }
  }
}

const rangeOf = (r: vscode.Range) => ({ start: { line: r.start.line, character: r.start.character }, end: { line: r.end.line, character: r.end.character } });

/**
 * Moves each plaintext token into a secret of its folder's connection (mlSecrets.moveToSecret, the
 * quick fix's command) and clears a notebook output that shows one (mlSecrets.clearCellOutput), then
 * saves, as a user would.
 */
async function moveTokens(r: CliRun): Promise<void> {
  let n = 0;
  for (const f of r.findings.filter((x) => x.code === 'plaintext-secret')) {
    const uri = vscode.Uri.file(path.join(root(), ...f.path.split('/')));
    if (f.path.endsWith('.ipynb')) continue;
    const doc = await vscode.workspace.openTextDocument(uri);
    const at = new vscode.Position(f.line - 1, f.column - 1);
    await vscode.commands.executeCommand('mlSecrets.moveToSecret', { uri: uri.toString(), line: at.line, character: at.character, connection: connectionOf(f.path), name: `moved-token-${++n}` });
    assert.ok(await doc.save());
  }
  for (const rel of new Set(r.findings.filter((x) => x.code === 'plaintext-secret' && x.path.endsWith('.ipynb')).map((x) => x.path))) {
    const nb = await vscode.workspace.openNotebookDocument(vscode.Uri.file(path.join(root(), ...rel.split('/'))));
    const tokens = () => nb.getCells().flatMap((c) => vscode.languages.getDiagnostics(c.document.uri).filter((d) => codeOf(d) === 'plaintext-secret').map((d) => ({ cell: c, d })));
    await waitFor(() => tokens().length > 0, `the editor shows ${rel}'s tokens on its cells`);
    for (let guard = 0; tokens().length && guard < 10; guard++) {
      const { cell, d } = tokens()[0];
      if (/saved output/.test(d.message)) await vscode.commands.executeCommand('mlSecrets.clearCellOutput', { uri: cell.document.uri.toString() });
      else await vscode.commands.executeCommand('mlSecrets.moveToSecret', { uri: cell.document.uri.toString(), range: rangeOf(d.range), connection: connectionOf(rel), name: `moved-token-${++n}` });
      await waitFor(() => !tokens().some((t) => t.cell === cell && t.d.message === d.message && t.d.range.isEqual(d.range)), 'the token to go');
    }
    assert.ok(await nb.save());
  }
}

describe('sandbox demo: ml-secrets check and the editor', function () {
  this.timeout(180_000);

  before(async () => {
    await activate();
    // The demo connections sign in from ML_SECRETS_SANDBOX; give them a moment before the first comparison.
    await sleep(500);
  });

  it("the walkthrough's pre-flight check (mlSecrets.runPreflightCheck) runs the command line in a task: its exit code and summary", async () => {
    const folder = vscode.workspace.workspaceFolders!.find((f) => f.name === 'mosaic-project')!.uri.fsPath;
    const started = new Promise<vscode.Task>((resolve) => {
      const sub = vscode.tasks.onDidStartTask((e) => (sub.dispose(), resolve(e.execution.task)));
    });
    const r = (await vscode.commands.executeCommand('mlSecrets.runPreflightCheck', { folder })) as { folder: string; exitCode: number; summary: string };
    assert.equal((await started).name, 'check workspace', 'the check ran as a task');
    const byCli = await cli(folder);
    assert.equal(r.folder, folder);
    assert.equal(r.exitCode, 1, `exit code (the CLI's: ${byCli.code}; summary '${r.summary}')`);
    assert.equal(r.exitCode, byCli.code);
    // The summary counts what the command line reports in that folder (the time taken aside).
    const counts = (s: string) => s.replace(/ in [\d.]+ s\.$/, '');
    // The folder's binding (the demo's .ml-secrets.json) is found: its list is fetched, its missing secret reported.
    assert.match(r.summary, /^\d+ file\(s\), \d+ reference\(s\): .*secret-missing.*; [1-9]\d* list\(s\) fetched/);
    const text = await new Promise<string>((resolve, reject) => {
      const bin = path.join(vscode.extensions.getExtension(EXTENSION_ID)!.extensionPath, 'bin', 'ml-secrets.js');
      const env = { PATH: process.env.PATH ?? '', ELECTRON_RUN_AS_NODE: '1', ...(JSON.parse(fs.readFileSync(process.env.ML_SECRETS_DEMO_CLI_ENV!, 'utf8')) as Record<string, string>) };
      const child = spawn(process.execPath, [bin, 'check', '--plaintext'], { cwd: folder, env });
      let out = '';
      child.stdout.on('data', (b: Buffer) => (out += b.toString()));
      child.on('error', reject);
      child.on('close', () => resolve(out));
    });
    assert.equal(counts(r.summary), counts(text.trim().split('\n').find((l) => / file\(s\), /.test(l)) ?? ''));
  });

  it('report the same findings; the command line exits 1, and 0 once the demo is mended', async () => {
    const first = await cli();
    assert.equal(first.code, 1, `exit code (stderr: ${first.stderr})`);
    for (const code of FAILING) assert.ok(first.findings.some((f) => f.code === code), `the demo shows a ${code}`);
    await sameAsEditor(first);

    assert.ok(first.findings.filter((f) => f.code === 'plaintext-secret').length >= 3, 'the demo shows its plaintext tokens');
    await fixMalformed(first);
    await moveTokens(first);
    await createMissing(await cli());
    // The mended reference may name a secret that doesn't exist yet: create that one too.
    const again = await cli();
    if (again.findings.some((f) => f.code === 'secret-missing' || f.code === 'key-missing')) await createMissing(again);

    const last = await cli();
    assert.deepEqual(last.findings.filter((f) => FAILING.includes(f.code)), [], 'no failing finding left');
    assert.equal(last.code, 0, `exit code once mended (stderr: ${last.stderr})`);
    await vscode.commands.executeCommand('mlSecrets.refresh');
    await sameAsEditor(last);
  });
});
