// ZenML end to end inside the real VS Code: sign-in (password, API key), silent re-login, keyed
// secrets, patch updates, private/public, diagnostics on {{name.key}} and <<name.key>> (YAML, and
// zenml command lines of shell scripts and Makefiles; get_secret in Python), and the rule that no
// value is ever kept.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { startZenmlEmulator, ZenmlEmulator } from '../emulators/zenml/server';
import { activate, closeAll, codeOf, describeDiagnostics, lenses, openJobFile, ours, recordCanaries, waitFor, workspaceDir } from './helpers';

const LABEL = 'it-zenml';

function run<T = unknown>(id: string, arg?: unknown): Promise<T> {
  return vscode.commands.executeCommand(id, arg) as Promise<T>;
}

function valuesOf(emu: ZenmlEmulator, name: string): Record<string, string> | undefined {
  for (const s of emu.state.secrets.values()) if (s.name === name) return s.values;
  return undefined;
}

function allValues(emu: ZenmlEmulator): string[] {
  const out: string[] = [];
  for (const s of emu.state.secrets.values()) out.push(...Object.values(s.values));
  return out;
}

function logins(emu: ZenmlEmulator): number {
  return emu.requests.filter((r) => r.method === 'POST' && r.path === '/api/v1/login').length;
}

describe('ZenML: sign-in and secrets with keys', function () {
  let emu: ZenmlEmulator;

  before(async () => {
    await activate();
    emu = await startZenmlEmulator({ seed: true });
  });

  after(async () => {
    for (const l of [LABEL, 'it-zenml-key', 'it-zenml-bob']) await run('mlSecrets.removeConnection', { connection: l }).catch(() => undefined);
    recordCanaries([...Object.values(emu.apiKeys), ...Object.values(emu.users).map((u) => u.password), ...allValues(emu), 'CANARY-zenml-value-1', 'CANARY-zenml-value-2']);
    await emu.close();
  });

  it('signs in with username + password (form login, grant password)', async () => {
    const label = await run<string>('mlSecrets.signIn', { platform: 'zenml', url: emu.url, username: 'alice', password: emu.users.alice.password, label: LABEL });
    assert.equal(label, LABEL);
    const login = emu.requests.find((r) => r.path === '/api/v1/login');
    assert.ok(login);
    assert.match(String(login.headers['content-type']), /application\/x-www-form-urlencoded/);
    assert.equal(new URLSearchParams(login.body).get('grant_type'), 'password');
  });

  it('signs in with an API key (grant zenml-api-key) and rejects a wrong one clearly', async () => {
    const label = await run<string>('mlSecrets.signIn', { platform: 'zenml', url: emu.url, apiKey: emu.apiKeys.alice, label: 'it-zenml-key' });
    assert.equal(label, 'it-zenml-key');
    const last = emu.requests.filter((r) => r.path === '/api/v1/login').at(-1);
    assert.equal(new URLSearchParams(last?.body ?? '').get('grant_type'), 'zenml-api-key');
    await assert.rejects(run('mlSecrets.signIn', { platform: 'zenml', url: emu.url, apiKey: 'ZENKEY_bm90LWEta2V5', label: 'bad-key' }), /did not accept the API key/);
    await assert.rejects(run('mlSecrets.signIn', { platform: 'zenml', url: emu.url, label: 'nothing' }), /Missing 'apiKey'/);
    await run('mlSecrets.removeConnection', { connection: 'it-zenml-key' });
  });

  it('a URL that is not a ZenML server says which URL answered what, and what is expected', async () => {
    const other = await startZenmlLikeNotFound();
    try {
      await assert.rejects(run('mlSecrets.signIn', { platform: 'zenml', url: other.url, username: 'alice', password: 'x', label: 'not-zenml' }), (e: Error) => {
        assert.match(e.message, new RegExp(`${other.url.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}/api/v1/login answered 404`));
        assert.match(e.message, /not a ZenML server/);
        assert.match(e.message, /zenml login/);
        return true;
      });
    } finally {
      await other.close();
    }
  });

  it('lists every page, with key names and never values', async () => {
    for (let i = 0; i < 25; i++) await run('mlSecrets.addSecret', { connection: LABEL, name: `bulk_${String(i).padStart(2, '0')}`, values: { k: `v${i}` } });
    const list = await run<Array<{ name: string; keys?: string[]; scope?: string }>>('mlSecrets.listSecrets', { connection: LABEL });
    assert.ok(list.filter((x) => x.name.startsWith('bulk_')).length === 25);
    const mlflow = list.find((x) => x.name === 'mlflow_secret');
    assert.ok(mlflow?.keys?.includes('password'), JSON.stringify(mlflow));
    const text = JSON.stringify(list);
    for (const v of allValues(emu)) if (v.length >= 6) assert.ok(!text.includes(v), 'a value reached listSecrets');
  });

  it('adds a secret with several keys; values are refused as a single value; names and keys are checked first', async () => {
    await run('mlSecrets.addSecret', { connection: LABEL, name: 'it_multi', values: { user: 'CANARY-zenml-value-1', token: 'CANARY-zenml-value-2' } });
    assert.deepEqual(valuesOf(emu, 'it_multi'), { user: 'CANARY-zenml-value-1', token: 'CANARY-zenml-value-2' });
    await assert.rejects(run('mlSecrets.addSecret', { connection: LABEL, name: 'single', value: 'x' }), /key\/value pairs/);
    const before = emu.requests.length;
    await assert.rejects(run('mlSecrets.addSecret', { connection: LABEL, name: 'bad', values: { 'not-an-identifier': 'x' } }), /Python identifier/);
    await assert.rejects(run('mlSecrets.addSecret', { connection: LABEL, name: 'x'.repeat(256), values: { k: 'v' } }), /at most 255/);
    assert.equal(emu.requests.slice(before).filter((r) => r.method === 'POST').length, 0);
  });

  it('adds from a JSON or YAML values file', async () => {
    const file = path.join(os.tmpdir(), `ml-secrets-values-${process.pid}.yaml`);
    fs.writeFileSync(file, 'username: admin\npassword: "s3cr3t: with colon"\n');
    try {
      await run('mlSecrets.addSecret', { connection: LABEL, name: 'from_file', valueFile: file });
    } finally {
      fs.rmSync(file, { force: true });
    }
    assert.deepEqual(valuesOf(emu, 'from_file'), { username: 'admin', password: 's3cr3t: with colon' });
  });

  it('a name clash (409) says so plainly', async () => {
    await assert.rejects(run('mlSecrets.addSecret', { connection: LABEL, name: 'it_multi', values: { a: 'b' } }), /already exists/);
  });

  it('updates single keys (patch_values): add, replace, remove; renames; flips private', async () => {
    await run('mlSecrets.updateSecret', { connection: LABEL, name: 'it_multi', values: { extra: 'e', user: 'u2', token: null } });
    assert.deepEqual(valuesOf(emu, 'it_multi'), { user: 'u2', extra: 'e' });
    const put = emu.requests.filter((r) => r.method === 'PUT').at(-1);
    assert.equal(put?.query.patch_values, 'true');
    await run('mlSecrets.updateSecret', { connection: LABEL, name: 'it_multi', newName: 'it_renamed' });
    assert.ok(valuesOf(emu, 'it_renamed'));
    assert.equal(valuesOf(emu, 'it_multi'), undefined);
    await run('mlSecrets.updateSecret', { connection: LABEL, name: 'it_renamed', private: true });
    const list = await run<Array<{ name: string; scope?: string }>>('mlSecrets.listSecrets', { connection: LABEL });
    assert.equal(list.find((x) => x.name === 'it_renamed')?.scope, 'private');
    await assert.rejects(run('mlSecrets.updateSecret', { connection: LABEL, name: 'it_renamed' }), /Nothing to update/);
    await assert.rejects(run('mlSecrets.updateSecret', { connection: LABEL, name: 'no_such_secret', values: { a: 'b' } }), /does not exist/);
  });

  it("private secrets are another user's business", async () => {
    await run('mlSecrets.signIn', { platform: 'zenml', url: emu.url, username: 'bob', password: emu.users.bob.password, label: 'it-zenml-bob' });
    const bobs = await run<Array<{ name: string }>>('mlSecrets.listSecrets', { connection: 'it-zenml-bob' });
    assert.ok(!bobs.some((x) => x.name === 'it_renamed'), "bob sees alice's private secret");
    await run('mlSecrets.removeConnection', { connection: 'it-zenml-bob' });
  });

  it('logs in again by itself when the session expires (401), without asking', async () => {
    const before = logins(emu);
    emu.expireAllTokens();
    const list = await run<Array<{ name: string }>>('mlSecrets.listSecrets', { connection: LABEL });
    assert.ok(list.length > 0);
    assert.equal(logins(emu), before + 1, 'exactly one new login');
  });

  it('share is not offered: the message says why', async () => {
    await assert.rejects(run('mlSecrets.shareSecret', { connection: LABEL, name: 'it_renamed', user: 'bob', permission: 'read' }), /private .*public/);
  });

  it('copyReference gives {{name.key}}', async () => {
    assert.equal(await run('mlSecrets.copyReference', { connection: LABEL, name: 'mlflow_secret', key: 'password' }), '{{mlflow_secret.password}}');
  });

  it('deletes by name (resolving the id), and a second delete says it is already gone', async () => {
    await run('mlSecrets.deleteSecret', { connection: LABEL, name: 'from_file', confirm: true });
    assert.equal(valuesOf(emu, 'from_file'), undefined);
    assert.ok(emu.requests.some((r) => r.method === 'DELETE' && /\/api\/v1\/secrets\/[0-9a-f-]{36}$/.test(r.path)));
    await run('mlSecrets.deleteSecret', { connection: LABEL, name: 'from_file', confirm: true });
  });
});

describe('ZenML: references in YAML', function () {
  let emu: ZenmlEmulator;
  const STACK = [
    'experiment_tracker:',
    '  configuration:',
    '    tracking_username: "{{mlflow_secret.username}}"',
    '    tracking_password: "{{ mlflow_secret.password }}"',
    '    tracking_token: "{{mlflow_secret.token}}"',
    '    other: "{{missing_secret.key}}"',
    '    broken: "{{mlflow_secret.}}"',
    '    templ: "x <<aws_creds.aws_access_key_id>> y <<aws_creds.nope>>"',
    '    helm_like: "{{ .Values.image }}"',
    '',
  ].join('\n');

  before(async () => {
    await activate();
    emu = await startZenmlEmulator({ seed: true });
    await run('mlSecrets.signIn', { platform: 'zenml', url: emu.url, username: 'alice', password: emu.users.alice.password, label: LABEL });
  });

  after(async () => {
    await closeAll();
    await run('mlSecrets.removeConnection', { connection: LABEL }).catch(() => undefined);
    await vscode.workspace.getConfiguration('mlSecrets').update('validation.level', undefined, vscode.ConfigurationTarget.Workspace);
    recordCanaries(allValues(emu));
    await emu.close();
  });

  it('checks {{name.key}} and <<name.key>> with keys, exact ranges and the contract codes', async () => {
    const doc = await openJobFile('zenml/stack.yaml', STACK);
    const at = (needle: string, code: string) => {
      const line = STACK.split('\n').findIndex((l) => l.includes(needle));
      const col = STACK.split('\n')[line].indexOf(needle);
      return `${line}:${col}-${line}:${col + needle.length} ${code} ${needle}`;
    };
    const expected = [
      at('{{mlflow_secret.token}}', 'key-missing'),
      at('{{missing_secret.key}}', 'secret-missing'),
      at('{{mlflow_secret.}}', 'reference-malformed'),
      at('<<aws_creds.nope>>', 'key-missing'),
      // Issue 12: Helm's {{ .Values.image }} is another tool's template, never a reference (src/core/references/lookalikes.ts).
    ].sort();
    await waitFor(() => JSON.stringify(describeDiagnostics(doc)) === JSON.stringify(expected), `diagnostics ${JSON.stringify(describeDiagnostics(doc))}`);
    const ls = await lenses(doc);
    assert.ok(ls.some((l) => /✓ mlflow_secret.username exists/.test(l.command?.title ?? '')), ls.map((l) => l.command?.title).join(' | '));
  });

  it('validation levels behave like ZENML_SECRET_VALIDATION_LEVEL', async () => {
    const doc = await openJobFile('zenml/stack.yaml', STACK);
    await waitFor(() => ours(doc.uri).length === 4, 'diagnostics');
    const cfg = vscode.workspace.getConfiguration('mlSecrets');
    await cfg.update('validation.level', 'secretExists', vscode.ConfigurationTarget.Workspace);
    await waitFor(() => !ours(doc.uri).some((d) => codeOf(d) === 'key-missing') && ours(doc.uri).some((d) => codeOf(d) === 'secret-missing'), 'no key checks at secretExists');
    await cfg.update('validation.level', 'none', vscode.ConfigurationTarget.Workspace);
    await waitFor(() => ours(doc.uri).length === 0, 'nothing at none');
    await cfg.update('validation.level', undefined, vscode.ConfigurationTarget.Workspace);
    await waitFor(() => ours(doc.uri).length === 4, 'back at the default');
  });

  it('a secret with no keys lacks every key: key-missing, not secret-unverified', async () => {
    emu.state.setSecret({ name: 'empty_secret', values: {} });
    await run('mlSecrets.refresh', { connection: LABEL });
    const text = 'c:\n  a: "{{empty_secret.password}}"\n  b: "x <<empty_secret.user>> y"\n';
    const doc = await openJobFile('zenml/empty-keys.yaml', text);
    await waitFor(
      () => {
        const ds = ours(doc.uri);
        return ds.length === 2 && ds.every((d) => codeOf(d) === 'key-missing');
      },
      `diagnostics ${JSON.stringify(describeDiagnostics(doc))}`,
    );
    assert.deepEqual(ours(doc.uri).map((d) => doc.getText(d.range)).sort(), ['<<empty_secret.user>>', '{{empty_secret.password}}']);
  });

  it('diagnostics follow key updates', async () => {
    const doc = await openJobFile('zenml/stack.yaml', STACK);
    await waitFor(() => ours(doc.uri).some((d) => doc.getText(d.range) === '{{mlflow_secret.token}}'), 'token flagged');
    await run('mlSecrets.updateSecret', { connection: LABEL, name: 'mlflow_secret', values: { token: 'CANARY-new-token' } });
    recordCanaries(['CANARY-new-token']);
    await waitFor(() => !ours(doc.uri).some((d) => doc.getText(d.range) === '{{mlflow_secret.token}}'), 'token no longer flagged');
  });

  it('checks {{name.key}} in zenml command lines of shell scripts and Makefiles, and get_secret("name") in Python', async () => {
    const sh = [
      '#!/bin/sh',
      '# zenml x --a={{commented.key}}',
      'echo "{{echoed.key}}"',
      'zenml experiment-tracker register t --flavor=mlflow \\',
      '  --tracking_username={{mlflow_secret.username}} \\',
      '  --tracking_password="{{missing_secret.key}}"',
      '',
    ].join('\n');
    const doc = await openJobFile('zenml/register.sh', sh);
    const only = (d: vscode.TextDocument, text: string, code: string) => () => {
      const ds = ours(d.uri);
      return ds.length === 1 && d.getText(ds[0].range) === text && codeOf(ds[0]) === code;
    };
    await waitFor(only(doc, '{{missing_secret.key}}', 'secret-missing'), `shell diagnostics ${JSON.stringify(describeDiagnostics(doc))}`);
    const ls = await lenses(doc);
    assert.ok(ls.some((l) => /✓ mlflow_secret.username exists/.test(l.command?.title ?? '')), ls.map((l) => l.command?.title).join(' | '));
    const mk = await openJobFile('zenml/Makefile', 'X = zenml x --a={{not_a_recipe.key}}\nstack:\n\t@zenml stack register s \\\n\t  --k={{mlflow_secret.nokey}}\n');
    await waitFor(only(mk, '{{mlflow_secret.nokey}}', 'key-missing'), `Makefile diagnostics ${JSON.stringify(describeDiagnostics(mk))}`);
    const py = await openJobFile('zenml/step.py', 'from zenml.client import Client\n\nok = Client().get_secret("mlflow_secret")\ngone = Client().get_secret("missing_py")\n');
    await waitFor(only(py, '"missing_py"', 'secret-missing'), `Python diagnostics ${JSON.stringify(describeDiagnostics(py))}`);
  });

  it('{{ }} is not a ZenML reference when the file is checked against another platform', async () => {
    fs.mkdirSync(path.join(workspaceDir(), 'helm'), { recursive: true });
    const doc = await openJobFile('helm/values.yaml', 'image: "{{ .Values.image }}"\nenv: secret:WANDB\n');
    // The only Apolo-family syntax here is secret:, and there is no Apolo connection: unverified, and {{ }} ignored.
    await waitFor(() => ours(doc.uri).length === 1, `one diagnostic: ${describeDiagnostics(doc)}`);
    assert.equal(codeOf(ours(doc.uri)[0]), 'secret-unverified');
  });
});

/** A server that answers 404 to everything (a dashboard, another platform's API). */
async function startZenmlLikeNotFound(): Promise<{ url: string; close: () => Promise<void> }> {
  const http = await import('node:http');
  const server = http.createServer((_req, res) => {
    res.writeHead(404, { 'content-type': 'text/plain' });
    res.end('Not Found');
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const port = (server.address() as { port: number }).port;
  return { url: `http://127.0.0.1:${port}`, close: () => new Promise<void>((r) => server.close(() => r())) };
}
