// Apolo / Neu.ro end to end inside the real VS Code: the contract's commands with argument objects
// against the strict emulator, diagnostics and code lenses read back from VS Code itself.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { startApoloEmulator, ApoloEmulator } from '../emulators/apolo/server';
import { activate, closeAll, codeOf, describeDiagnostics, lenses, openJobFile, ours, recordCanaries, waitFor, workspaceDir } from './helpers';

const LABEL = 'it-apolo';
const ORG = 'demo-org';
const PROJECT = 'demo-project';

function run<T = unknown>(id: string, arg?: unknown): Promise<T> {
  return vscode.commands.executeCommand(id, arg) as Promise<T>;
}

/** Every value the emulator holds, decoded (they must never appear in any output). */
function secretValues(emu: ApoloEmulator): string[] {
  const out: string[] = [];
  for (const keys of emu.state.secrets.values()) for (const v of keys.values()) out.push(Buffer.from(v, 'base64').toString('utf8'));
  return out;
}

function b64(s: string): string {
  return Buffer.from(s, 'utf8').toString('base64');
}

describe('Apolo: commands with argument objects', function () {
  let emu: ApoloEmulator;

  before(async () => {
    await activate();
    emu = await startApoloEmulator({ seed: true });
  });

  after(async () => {
    await run('mlSecrets.removeConnection', { connection: LABEL }).catch(() => undefined);
    recordCanaries([...Object.values(emu.tokens), 'v4lue-ünïcode', 'rotated-CANARY-value', ...secretValues(emu)]);
    await emu.close();
  });

  it('signIn returns the label and discovers the project from GET /config', async () => {
    const label = await run<string>('mlSecrets.signIn', { platform: 'apolo', url: emu.apiUrl, token: emu.tokens.alice, org: ORG, project: PROJECT, label: LABEL });
    assert.equal(label, LABEL);
    const cfgCalls = emu.requests.filter((r) => r.path === '/api/v1/config');
    assert.ok(cfgCalls.length >= 1);
    assert.equal(cfgCalls[0].headers.authorization, `Bearer ${emu.tokens.alice}`);
  });

  it('signIn with a bad token fails clearly and creates nothing', async () => {
    await assert.rejects(run('mlSecrets.signIn', { platform: 'apolo', url: emu.apiUrl, token: 'not-a-valid-token', label: 'bad-one' }), /token|401|authori/i);
    await assert.rejects(run('mlSecrets.listSecrets', { connection: 'bad-one' }), /No connection labelled 'bad-one'/);
  });

  it('signIn accepts the bare server URL and finds /api/v1 itself', async () => {
    const label = await run<string>('mlSecrets.signIn', { platform: 'apolo', url: emu.url, token: emu.tokens.alice, project: 'ml-team', label: 'it-bare' });
    try {
      const list = await run<Array<{ name: string }>>('mlSecrets.listSecrets', { connection: label });
      assert.deepEqual(list.map((x) => x.name), emu.state.listKeys(ORG, 'ml-team'));
    } finally {
      await run('mlSecrets.removeConnection', { connection: 'it-bare' });
    }
  });

  it('signIn without a url is an error, not a prompt', async () => {
    await assert.rejects(run('mlSecrets.signIn', { platform: 'apolo', token: 'x' }), /Missing 'url'/);
  });

  it('a wrong token is said plainly: no stray *** from the redactor in the message', async () => {
    await assert.rejects(run('mlSecrets.signIn', { platform: 'apolo', url: emu.apiUrl, token: 'not-a-valid-token-2', label: 'bad-two' }), (e: Error) => {
      assert.match(e.message, /did not accept/);
      assert.doesNotMatch(e.message, /\*\*\*/);
      return true;
    });
  });

  it('Sign Out keeps the connection (signed out) until Remove Connection; signIn with its label signs in again', async () => {
    await run('mlSecrets.signIn', { platform: 'apolo', url: emu.apiUrl, token: emu.tokens.alice, org: ORG, project: 'ml-team', label: 'it-keep' });
    try {
      await run('mlSecrets.signOut', { connection: 'it-keep' });
      await assert.rejects(run('mlSecrets.listSecrets', { connection: 'it-keep' }), /is signed out/);
      // The argument object's label is used as given: the signed-out connection is signed in again.
      assert.equal(await run<string>('mlSecrets.signIn', { platform: 'apolo', url: emu.apiUrl, token: emu.tokens.alice, org: ORG, project: 'ml-team', label: 'it-keep' }), 'it-keep');
      const list = await run<Array<{ name: string }>>('mlSecrets.listSecrets', { connection: 'it-keep' });
      assert.deepEqual(list.map((x) => x.name), emu.state.listKeys(ORG, 'ml-team'));
    } finally {
      await run('mlSecrets.removeConnection', { connection: 'it-keep' });
    }
    await assert.rejects(run('mlSecrets.listSecrets', { connection: 'it-keep' }), /No connection labelled 'it-keep'/);
  });

  it('listSecrets returns names and scopes, never values', async () => {
    const list = await run<Array<Record<string, unknown>>>('mlSecrets.listSecrets', { connection: LABEL });
    const expected = emu.state.listKeys(ORG, PROJECT);
    assert.deepEqual(list.map((x) => x.name).sort(), [...expected].sort());
    for (const item of list) {
      assert.deepEqual(Object.keys(item).filter((k) => !['name', 'keys', 'type', 'scope', 'createdAt'].includes(k)), []);
      assert.equal(item.scope, `${ORG}/${PROJECT}`);
    }
    const serialized = JSON.stringify(list);
    for (const key of expected) assert.ok(!serialized.includes(emu.state.getSecret(ORG, PROJECT, key) as string));
  });

  it('addSecret sends the base64 value with org and project; the list shows it', async () => {
    await run('mlSecrets.addSecret', { connection: LABEL, name: 'it_token', value: 'v4lue-ünïcode' });
    assert.equal(emu.state.getSecret(ORG, PROJECT, 'it_token'), b64('v4lue-ünïcode'));
    const post = emu.requests.filter((r) => r.method === 'POST' && r.path.endsWith('/secrets')).at(-1);
    assert.ok(post);
    assert.deepEqual(Object.keys(JSON.parse(post.body)).sort(), ['key', 'org_name', 'project_name', 'value']);
    const list = await run<Array<{ name: string }>>('mlSecrets.listSecrets', { connection: LABEL });
    assert.ok(list.some((x) => x.name === 'it_token'));
  });

  it('addSecret from a file sends its exact bytes (like @file)', async () => {
    const file = path.join(os.tmpdir(), `ml-secrets-it-${process.pid}.bin`);
    const bytes = Buffer.from([0, 1, 2, 250, 255, 10, 13]);
    fs.writeFileSync(file, bytes);
    try {
      await run('mlSecrets.addSecret', { connection: LABEL, name: 'binary.key', valueFile: file });
    } finally {
      fs.rmSync(file, { force: true });
    }
    assert.equal(emu.state.getSecret(ORG, PROJECT, 'binary.key'), bytes.toString('base64'));
  });

  it('a bad name is refused before any request, quoting the rule', async () => {
    const before = emu.requests.length;
    await assert.rejects(run('mlSecrets.addSecret', { connection: LABEL, name: 'bad name!', value: 'x' }), /letters, digits/);
    await assert.rejects(run('mlSecrets.addSecret', { connection: LABEL, name: '..hidden', value: 'x' }), /not a valid secret name/);
    assert.equal(emu.requests.slice(before).filter((r) => r.method === 'POST').length, 0);
  });

  it('add refuses an existing name; update replaces the value', async () => {
    await assert.rejects(run('mlSecrets.addSecret', { connection: LABEL, name: 'it_token', value: 'other' }), /already exists/);
    assert.equal(emu.state.getSecret(ORG, PROJECT, 'it_token'), b64('v4lue-ünïcode'));
    await run('mlSecrets.updateSecret', { connection: LABEL, name: 'it_token', value: 'rotated-CANARY-value' });
    assert.equal(emu.state.getSecret(ORG, PROJECT, 'it_token'), b64('rotated-CANARY-value'));
    await assert.rejects(run('mlSecrets.updateSecret', { connection: LABEL, name: 'does_not_exist', value: 'x' }), /does not exist/);
  });

  it('addSecret without a value is an error', async () => {
    await assert.rejects(run('mlSecrets.addSecret', { connection: LABEL, name: 'novalue' }), /Missing 'value'/);
  });

  it('copyReference returns and copies the reference text, never the value', async () => {
    const text = await run<string>('mlSecrets.copyReference', { connection: LABEL, name: 'it_token' });
    assert.equal(text, 'secret:it_token');
    assert.equal(await vscode.env.clipboard.readText(), 'secret:it_token');
    const other = await run<string>('mlSecrets.copyReference', { connection: LABEL, name: 'x', project: 'ml-team' });
    assert.equal(other, 'secret:/ml-team/x');
  });

  it('shareSecret grants on secret://cluster/org/project/KEY and reports a higher existing permission', async () => {
    const r1 = await run<{ granted: string; alreadyHigher: boolean }>('mlSecrets.shareSecret', { connection: LABEL, name: 'it_token', user: 'bob', permission: 'manage' });
    assert.equal(r1.granted, 'manage');
    assert.equal(r1.alreadyHigher, false);
    assert.equal(emu.state.actionFor('bob', `secret://default/${ORG}/${PROJECT}/it_token`), 'manage');
    const r2 = await run<{ granted: string; alreadyHigher: boolean }>('mlSecrets.shareSecret', { connection: LABEL, name: 'it_token', user: 'bob', permission: 'read' });
    assert.equal(r2.granted, 'manage');
    assert.equal(r2.alreadyHigher, true);
  });

  it('shareSecret validates the permission and the user, and reports an unknown user', async () => {
    await assert.rejects(run('mlSecrets.shareSecret', { connection: LABEL, name: 'it_token', user: 'bob', permission: 'admin' }), /read, write, manage/);
    await assert.rejects(run('mlSecrets.shareSecret', { connection: LABEL, name: 'it_token', user: 'a:b', permission: 'read' }), /can't contain ':'/);
    await assert.rejects(run('mlSecrets.shareSecret', { connection: LABEL, name: 'it_token', user: 'nobody-here', permission: 'read' }));
  });

  it('deleteSecret with confirm deletes; a second delete says it was already gone', async () => {
    await run('mlSecrets.deleteSecret', { connection: LABEL, name: 'binary.key', confirm: true });
    assert.equal(emu.state.getSecret(ORG, PROJECT, 'binary.key'), undefined);
    const dels = emu.requests.filter((r) => r.method === 'DELETE');
    assert.deepEqual(dels.at(-1)?.query, { org_name: ORG, project_name: PROJECT });
    await run('mlSecrets.deleteSecret', { connection: LABEL, name: 'binary.key', confirm: true });
  });

  it('a server error is reported, and the connection keeps working', async () => {
    emu.faults.next({ status: 500, body: JSON.stringify({ error: 'Unexpected exception: boom. Path with query: /x.' }), match: (m) => m === 'POST' });
    await assert.rejects(run('mlSecrets.addSecret', { connection: LABEL, name: 'after_500', value: 'x' }), /server error \(500\)/);
    await run('mlSecrets.addSecret', { connection: LABEL, name: 'after_500', value: 'x' });
    assert.ok(emu.state.getSecret(ORG, PROJECT, 'after_500'));
  });

  it('no token or value ends up in the workspace settings', () => {
    const settings = path.join(workspaceDir(), '.vscode', 'settings.json');
    const text = fs.existsSync(settings) ? fs.readFileSync(settings, 'utf8') : '';
    assert.ok(!text.includes(emu.tokens.alice));
    assert.ok(!text.includes('rotated-CANARY-value'));
  });
});

describe('Apolo: diagnostics and code lenses in job files', function () {
  let emu: ApoloEmulator;
  const JOB = [
    '# secret:in_comment is not a reference',
    'jobs:',
    '  train:',
    '    image: ubuntu',
    '    env:',
    '      PRESENT: secret:present_key',
    '      MISSING: secret:missing_key',
    '      OTHER: secret:/ml-team/team_key',
    '      URI: secret://default/demo-org/demo-project/present_key',
    '      BADURI: secret://default/demo-org/present_key',
    '      BADNAME: secret:..nope',
    '      IGNORED: secret:ignored_missing # ml-secrets-ignore',
    '      PROSE: "keep secret:missing_key safe"',
    '    volumes:',
    '      - secret:present_key:/var/secret/key.txt',
    '      - secret:vol_missing:/var/secret/x',
    '    cmd: python train.py --token <<present_key>> --x <<missing_tpl.key>>',
    '',
  ].join('\n');

  before(async () => {
    await activate();
    emu = await startApoloEmulator({ seed: false });
    emu.state.setSecret(ORG, PROJECT, 'present_key', b64('p'));
    emu.state.setSecret(ORG, 'ml-team', 'team_key', b64('t'));
    await run('mlSecrets.signIn', { platform: 'apolo', url: emu.apiUrl, token: emu.tokens.alice, org: ORG, project: PROJECT, label: LABEL });
  });

  after(async () => {
    await closeAll();
    await run('mlSecrets.removeConnection', { connection: LABEL }).catch(() => undefined);
    recordCanaries([...Object.values(emu.tokens), 'now-here-CANARY', ...secretValues(emu)]);
    await emu.close();
  });

  it('flags every reference form with the contract codes and exact ranges', async () => {
    const doc = await openJobFile('.apolo/live.yml', JOB);
    const expected = [
      '9:14-9:51 reference-malformed secret://default/demo-org/present_key',
      '10:15-10:28 reference-malformed secret:..nope',
      '15:8-15:40 secret-missing secret:vol_missing:/var/secret/x',
      '16:53-16:72 secret-missing <<missing_tpl.key>>',
      '6:15-6:33 secret-missing secret:missing_key',
    ];
    await waitFor(() => JSON.stringify(describeDiagnostics(doc)) === JSON.stringify(expected.sort()), `diagnostics ${JSON.stringify(describeDiagnostics(doc))}`);
    for (const d of ours(doc.uri)) {
      assert.equal(d.source, 'ML Secrets');
      assert.equal(d.severity, vscode.DiagnosticSeverity.Error);
    }
  });

  it('one code lens per referencing line: ✓ exists, or Missing — Create… running addSecret prefilled', async () => {
    const doc = await openJobFile('.apolo/live.yml', JOB);
    await waitFor(() => ours(doc.uri).length === 5, 'diagnostics');
    const ls = await waitFor(async () => {
      const l = await lenses(doc);
      return l.length === 9 && l.every((x) => !x.command?.title.includes('Checking')) ? l : undefined;
    }, 'lenses');
    const byLine = new Map(ls.map((l) => [l.range.start.line, l]));
    assert.match(byLine.get(5)?.command?.title ?? '', /✓ present_key exists in demo-org\/demo-project/);
    assert.match(byLine.get(7)?.command?.title ?? '', /✓ team_key exists in demo-org\/ml-team/);
    const missing = byLine.get(6)?.command;
    assert.match(missing?.title ?? '', /Missing: missing_key — Create/);
    assert.equal(missing?.command, 'mlSecrets.addSecret');
    assert.deepEqual(missing?.arguments?.[0], { connection: LABEL, name: 'missing_key', project: 'demo-project', domain: undefined, interactive: true });
    assert.equal(byLine.has(0), false, 'no lens on a comment');
    assert.equal(byLine.has(11), false, 'no lens on an ignored line');
    assert.equal(byLine.has(12), false, 'no lens on prose');
  });

  it('diagnostics follow add and delete', async () => {
    const doc = await openJobFile('.apolo/live.yml', JOB);
    await waitFor(() => ours(doc.uri).some((d) => doc.getText(d.range) === 'secret:missing_key'), 'missing_key flagged');
    await run('mlSecrets.addSecret', { connection: LABEL, name: 'missing_key', value: 'now-here-CANARY' });
    await waitFor(() => !ours(doc.uri).some((d) => doc.getText(d.range) === 'secret:missing_key'), 'missing_key no longer flagged');
    await run('mlSecrets.deleteSecret', { connection: LABEL, name: 'missing_key', confirm: true });
    await waitFor(() => ours(doc.uri).some((d) => doc.getText(d.range) === 'secret:missing_key'), 'missing_key flagged again');
  });

  it('diagnostics update as the user types (debounced)', async () => {
    const doc = await openJobFile('.apolo/typing.yml', 'env:\n  A: secret:present_key\n');
    await waitFor(async () => (await lenses(doc)).some((l) => l.command?.title.startsWith('✓')), 'first check');
    assert.equal(ours(doc.uri).length, 0);
    const editor = await vscode.window.showTextDocument(doc);
    await editor.edit((e) => e.insert(new vscode.Position(2, 0), '  B: secret:typed_missing\n'));
    await waitFor(() => ours(doc.uri).length === 1 && codeOf(ours(doc.uri)[0]) === 'secret-missing', 'diagnostic after typing');
    await editor.edit((e) => e.replace(new vscode.Range(2, 0, 3, 0), ''));
    await waitFor(() => ours(doc.uri).length === 0, 'diagnostic gone after deleting the line');
  });

  it('signed out: every reference is secret-unverified (Information) saying why — never secret-missing', async () => {
    const doc = await openJobFile('.apolo/live.yml', JOB);
    await waitFor(() => ours(doc.uri).length === 5, 'signed-in diagnostics');
    await run('mlSecrets.signOut', { connection: LABEL });
    await waitFor(() => ours(doc.uri).filter((d) => codeOf(d) === 'secret-unverified').length === 8, `unverified ${JSON.stringify(describeDiagnostics(doc))}`);
    const ds = ours(doc.uri);
    assert.equal(ds.filter((d) => codeOf(d) === 'secret-missing').length, 0);
    for (const d of ds.filter((x) => codeOf(x) === 'secret-unverified')) {
      assert.equal(d.severity, vscode.DiagnosticSeverity.Information);
      assert.match(d.message, /Sign In/i);
    }
    await run('mlSecrets.signIn', { platform: 'apolo', url: emu.apiUrl, token: emu.tokens.alice, org: ORG, project: PROJECT, label: LABEL });
    await waitFor(() => ours(doc.uri).length === 5 && ours(doc.uri).every((d) => codeOf(d) !== 'secret-unverified'), 'back after sign-in');
  });

  it('offline: unverified with a Retry, and Refresh recovers', async () => {
    const doc = await openJobFile('.apolo/live.yml', JOB);
    await waitFor(() => ours(doc.uri).length === 5, 'signed-in diagnostics');
    emu.faults.next({ destroySocket: true, times: 20 });
    await run('mlSecrets.refresh', { connection: LABEL });
    await waitFor(() => ours(doc.uri).some((d) => codeOf(d) === 'secret-unverified' && /reach|closed|offline/i.test(d.message)), `offline diagnostics ${JSON.stringify(describeDiagnostics(doc))}`);
    assert.equal(ours(doc.uri).filter((d) => codeOf(d) === 'secret-missing').length, 0);
    emu.faults.clear();
    await run('mlSecrets.refresh', { connection: LABEL });
    await waitFor(() => ours(doc.uri).length === 5 && ours(doc.uri).every((d) => codeOf(d) !== 'secret-unverified'), 'recovered');
  });

  it('validation level none turns checking off', async () => {
    const doc = await openJobFile('.apolo/live.yml', JOB);
    await waitFor(() => ours(doc.uri).length === 5, 'diagnostics');
    const cfg = vscode.workspace.getConfiguration('mlSecrets');
    await cfg.update('validation.level', 'none', vscode.ConfigurationTarget.Workspace);
    try {
      await waitFor(() => ours(doc.uri).length === 0, 'no diagnostics at level none');
    } finally {
      await cfg.update('validation.level', undefined, vscode.ConfigurationTarget.Workspace);
    }
    await waitFor(() => ours(doc.uri).length === 5, 'diagnostics back');
  });

  it('two Apolo-family connections: .neuro/ files use the Neu.ro one; others need the folder setting', async () => {
    await run('mlSecrets.signIn', { platform: 'neuro', url: emu.apiUrl, token: emu.tokens.alice, org: ORG, project: 'ml-team', label: 'it-neuro' });
    try {
      const neuroDoc = await openJobFile('.neuro/live.yml', 'env:\n  A: secret:team_key\n  B: secret:present_key\n');
      await waitFor(() => describeDiagnostics(neuroDoc).join() === '2:5-2:23 secret-missing secret:present_key', `neuro diagnostics ${describeDiagnostics(neuroDoc)}`);
      const plain = await openJobFile('jobs/plain.yml', 'env:\n  A: secret:present_key\n');
      await waitFor(() => ours(plain.uri).length === 1 && codeOf(ours(plain.uri)[0]) === 'secret-unverified', 'ambiguous → unverified');
      assert.match(ours(plain.uri)[0].message, /Choose/);
      await run('mlSecrets.chooseConnection', { connection: LABEL });
      await waitFor(() => ours(plain.uri).length === 0, 'resolved with the folder setting');
    } finally {
      const folder = vscode.workspace.workspaceFolders?.[0];
      await vscode.workspace.getConfiguration('mlSecrets', folder?.uri).update('connection', undefined, vscode.ConfigurationTarget.WorkspaceFolder);
      await run('mlSecrets.removeConnection', { connection: 'it-neuro' });
    }
  });

  it('hovers and quick fixes: plain text, create / did-you-mean / ignore', async () => {
    const doc = await openJobFile('.apolo/fix.yml', 'env:\n  A: secret:present_kay\n');
    await waitFor(() => ours(doc.uri).length === 1, 'diagnostic');
    const hovers = await vscode.commands.executeCommand<vscode.Hover[]>('vscode.executeHoverProvider', doc.uri, new vscode.Position(1, 12));
    const raw = hovers.flatMap((h) => h.contents.map((c) => (typeof c === 'string' ? c : 'value' in c ? c.value : ''))).join('\n');
    // appendText escapes markdown: undo that to read what a person sees.
    const text = raw.replace(/&nbsp;/g, ' ').replace(/\\(.)/g, '$1');
    // The diagnostic's sentence shows in the same hover (VS Code's own part): ours doesn't repeat it,
    // it says which connection and why.
    assert.match(ours(doc.uri)[0].message, /Secret 'present_kay' not found in demo-org\/demo-project/);
    assert.doesNotMatch(text, /not found in demo-org/);
    assert.match(text, /— secret present_kay/);
    assert.match(text, /Connection: [\w-]+ — /);
    for (const h of hovers) for (const c of h.contents) if (c instanceof vscode.MarkdownString) assert.notEqual(c.isTrusted, true);
    const actions = await vscode.commands.executeCommand<vscode.CodeAction[]>('vscode.executeCodeActionProvider', doc.uri, ours(doc.uri)[0].range);
    const titles = actions.map((a) => a.title);
    assert.ok(titles.some((t) => /Create secret 'present_kay'/.test(t)), titles.join(' | '));
    const dym = actions.find((a) => a.title === "Did you mean 'present_key'?");
    assert.ok(dym?.edit, titles.join(' | '));
    await vscode.workspace.applyEdit(dym.edit);
    await waitFor(() => doc.getText().includes('secret:present_key') && ours(doc.uri).length === 0, 'fixed by the quick fix');
    await vscode.commands.executeCommand('workbench.action.files.revert');
  });
});
