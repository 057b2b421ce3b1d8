// MosaicML end to end inside the real VS Code: the raw API key header, every mcli secret type with
// its fields, delete, update = delete + recreate, share refused with a reason, <<name>> checks.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { startMosaicEmulator, MosaicEmulator } from '../emulators/mosaic/server';
import { activate, closeAll, codeOf, describeDiagnostics, lenses, openJobFile, ours, recordCanaries, waitFor } from './helpers';

const LABEL = 'it-mosaic';

function run<T = unknown>(id: string, arg?: unknown): Promise<T> {
  return vscode.commands.executeCommand(id, arg) as Promise<T>;
}

describe('MosaicML: secrets of every type', function () {
  let emu: MosaicEmulator;
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'ml-secrets-mosaic-'));
  const file = (name: string, text: string) => {
    const p = path.join(tmp, name);
    fs.writeFileSync(p, text);
    return p;
  };

  before(async () => {
    await activate();
    emu = await startMosaicEmulator({ seed: true });
  });

  after(async () => {
    await closeAll();
    await run('mlSecrets.removeConnection', { connection: LABEL }).catch(() => undefined);
    const values: string[] = [...Object.values(emu.apiKeys)];
    for (const user of emu.state.secrets.keys()) for (const sec of emu.state.list(user)) values.push(typeof sec.value === 'string' ? sec.value : JSON.stringify(sec.value));
    recordCanaries(values);
    fs.rmSync(tmp, { recursive: true, force: true });
    await emu.close();
  });

  it('signs in with the API key, sent verbatim as the Authorization header; a bad key is refused', async () => {
    await assert.rejects(run('mlSecrets.signIn', { platform: 'mosaic', url: emu.endpoint, apiKey: 'not-a-key', label: 'bad' }), /did not accept the API key/);
    const label = await run<string>('mlSecrets.signIn', { platform: 'mosaic', url: emu.endpoint, apiKey: emu.apiKeys.alice, label: LABEL });
    assert.equal(label, LABEL);
    const last = emu.requests.at(-1);
    assert.equal(last?.headers.authorization, emu.apiKeys.alice);
    assert.equal(last?.operationName, 'GetSecrets');
  });

  it('lists with type, env var name or mount path, and date', async () => {
    const list = await run<Array<{ name: string; type?: string; scope?: string; createdAt?: string }>>('mlSecrets.listSecrets', { connection: LABEL });
    assert.deepEqual(list.map((x) => x.name).sort(), emu.state.list('alice').map((x) => x.name).sort());
    const env = list.find((x) => x.type === 'environment');
    assert.ok(env?.scope && /^[A-Z_][A-Z0-9_]*$/.test(env.scope), JSON.stringify(env));
    assert.ok(list.some((x) => x.type === 'hugging_face' && x.scope === 'HF_TOKEN'), JSON.stringify(list));
    assert.ok(list.every((x) => x.createdAt));
  });

  it('adds every mcli type with exactly its fields', async () => {
    const v = 'CANARY-mosaic-value';
    const cases: Array<[string, Record<string, unknown>, string, Record<string, unknown>]> = [
      ['env-one', { type: 'environment', value: v, envKey: 'MY_VAR' }, 'ENV_VAR', { key: 'MY_VAR' }],
      ['hf-two', { type: 'hugging_face', value: v }, 'ENV_VAR', { key: 'HF_TOKEN' }],
      ['mounted-one', { type: 'mounted', valueFile: file('m.txt', v), mountPath: '/secrets/m/file' }, 'MOUNTED', { mountPath: '/secrets/m/file' }],
      ['ssh-one', { type: 'ssh', valueFile: file('id', `-----BEGIN KEY-----\n${v}\n`) }, 'SSH', { mountPath: '/secrets/ssh-one' }],
      ['git-one', { type: 'git-ssh', valueFile: file('gid', v), mountPath: '/secrets/git' }, 'GIT_SSH', { mountPath: '/secrets/git' }],
      ['sftp-one', { type: 'sftp-ssh', valueFile: file('sid', v) }, 'SFTP_SSH', { mountPath: '/secrets/sftp-one' }],
      ['gcp-one', { type: 'gcp', valueFile: file('sa.json', '{"type":"service_account"}') }, 'GCP', { mountPath: '/secrets/gcp-one' }],
      ['s3-one', { type: 's3', values: { config: '[default]\nregion=us-east-1\n', credentials: v } }, 'S3', { mountDirectory: '/secrets/s3-one' }],
      ['oci-one', { type: 'oci', configFile: file('oci.cfg', '[DEFAULT]\n'), keyFileFile: file('oci.pem', v) }, 'OCI', { mountDirectory: '/secrets/oci-one' }],
      ['docker-one', { type: 'docker_registry', values: { username: 'me', password: v, server: 'https://ghcr.io' } }, 'DOCKER_REGISTRY', {}],
      ['dbx-one', { type: 'databricks', values: { host: 'https://dbc.example.com', token: v } }, 'DATABRICKS', {}],
    ];
    for (const [name, args, mapi, meta] of cases) {
      await run('mlSecrets.addSecret', { connection: LABEL, name, ...args });
      const stored = emu.state.getSecret('alice', name);
      assert.ok(stored, name);
      assert.equal(stored.type, mapi, name);
      assert.deepEqual(stored.metadata, meta, name);
    }
    assert.equal(emu.state.getSecret('alice', 'oci-one')?.value && (emu.state.getSecret('alice', 'oci-one')?.value as { keyFile: string }).keyFile, v);
  });

  it('refuses bad names before any request, quoting the rule; missing fields are named', async () => {
    const before = emu.requests.length;
    await assert.rejects(run('mlSecrets.addSecret', { connection: LABEL, name: 'Bad_Name', type: 'environment', value: 'x', envKey: 'X' }), /DNS subdomain/);
    await assert.rejects(run('mlSecrets.addSecret', { connection: LABEL, name: 'needs-key', type: 'environment', value: 'x' }), /envKey/);
    await assert.rejects(run('mlSecrets.addSecret', { connection: LABEL, name: 'needs-pw', type: 'docker_registry', values: { username: 'u', server: 's' } }), /password/);
    await assert.rejects(run('mlSecrets.addSecret', { connection: LABEL, name: 'what', type: 'kerberos', value: 'x' }), /Unknown MosaicML secret type/);
    assert.equal(emu.requests.length, before);
  });

  it('an existing name is refused plainly', async () => {
    await assert.rejects(run('mlSecrets.addSecret', { connection: LABEL, name: 'env-one', type: 'environment', value: 'y', envKey: 'Y' }), /already exists|taken/);
  });

  it('update is delete + recreate, keeping type and env name, and says so', async () => {
    const before = emu.state.getSecret('alice', 'env-one');
    await run('mlSecrets.updateSecret', { connection: LABEL, name: 'env-one', value: 'CANARY-rotated' });
    const after = emu.state.getSecret('alice', 'env-one');
    assert.ok(after && before);
    assert.notEqual(after.id, before.id, 'recreated');
    assert.equal(after.value, 'CANARY-rotated');
    assert.deepEqual(after.metadata, { key: 'MY_VAR' });
    const ops = emu.requests.map((r) => r.operationName);
    const del = ops.lastIndexOf('DeleteSecrets');
    assert.deepEqual(ops.slice(del - 1, del + 2), ['GetSecrets', 'DeleteSecrets', 'CreateSecret'], 'read type and metadata, delete, create');
    recordCanaries(['CANARY-rotated']);
  });

  it('update whose re-create keeps failing says the secret was deleted, and a retry of the command restores it', async () => {
    // Fault every CreateSecret (the emulator sees the operation only through its body, so count: read, delete, then creates).
    let n = 0;
    emu.faults.next({ status: 500, times: 5, match: (m, p) => m === 'POST' && p === '/graphql' && ++n >= 3 });
    await assert.rejects(run('mlSecrets.updateSecret', { connection: LABEL, name: 'env-one', value: 'CANARY-rotated-2' }), /'env-one' was deleted, but creating it again with the new value failed/);
    emu.faults.clear();
    assert.equal(emu.state.getSecret('alice', 'env-one'), undefined);
    // The caller of an argument-object command still has its value: Add restores it.
    await run('mlSecrets.addSecret', { connection: LABEL, name: 'env-one', value: 'CANARY-rotated-2', envKey: 'MY_VAR' });
    assert.equal(emu.state.getSecret('alice', 'env-one')?.value, 'CANARY-rotated-2');
    recordCanaries(['CANARY-rotated-2']);
  });

  it('type may be left out where the fields settle it: mountPath → mounted, envKey → environment', async () => {
    await run('mlSecrets.addSecret', { connection: LABEL, name: 'inferred-mount', value: 'CANARY-inferred', mountPath: '/secrets/inferred' });
    assert.equal(emu.state.getSecret('alice', 'inferred-mount')?.type, 'MOUNTED');
    assert.deepEqual(emu.state.getSecret('alice', 'inferred-mount')?.metadata, { mountPath: '/secrets/inferred' });
    await run('mlSecrets.addSecret', { connection: LABEL, name: 'inferred-env', value: 'CANARY-inferred', envKey: 'INFERRED' });
    assert.equal(emu.state.getSecret('alice', 'inferred-env')?.type, 'ENV_VAR');
    recordCanaries(['CANARY-inferred']);
  });

  it('deletes by name only (never with empty filters); a second delete is already gone', async () => {
    await run('mlSecrets.deleteSecret', { connection: LABEL, name: 'sftp-one', confirm: true });
    assert.equal(emu.state.getSecret('alice', 'sftp-one'), undefined);
    const del = emu.requests.filter((r) => r.operationName === 'DeleteSecrets').at(-1);
    assert.deepEqual(del?.variables, { getSecretsData: { filters: { name: { in: ['sftp-one'] } } } });
    await run('mlSecrets.deleteSecret', { connection: LABEL, name: 'sftp-one', confirm: true });
    assert.ok(emu.state.list('alice').length > 5, 'nothing else was deleted');
  });

  it('share is not offered, and the message says why', async () => {
    await assert.rejects(run('mlSecrets.shareSecret', { connection: LABEL, name: 'env-one', user: 'bob', permission: 'read' }), /injected into every run/);
  });

  it('a GraphQL error becomes a clear message; the connection keeps working', async () => {
    emu.faults.next({ status: 200, body: JSON.stringify({ errors: [{ message: 'MAPI is offline for maintenance', extensions: { code: 503 } }] }) });
    await assert.rejects(run('mlSecrets.listSecrets', { connection: LABEL }), /offline/);
    assert.ok((await run<unknown[]>('mlSecrets.listSecrets', { connection: LABEL })).length > 0);
  });

  it('<<name>> references in a run YAML bound to MosaicML are checked by name', async () => {
    const doc = await openJobFile('mosaic/run.yaml', 'name: train\nenv_variables:\n  - key: TOKEN\n    value: <<env-one>>\n  - key: OTHER\n    value: <<no-such-secret.key>>\n');
    await waitFor(() => describeDiagnostics(doc).length === 1, `diagnostics ${describeDiagnostics(doc)}`);
    assert.equal(codeOf(ours(doc.uri)[0]), 'secret-missing');
    assert.equal(doc.getText(ours(doc.uri)[0].range), '<<no-such-secret.key>>');
    const ls = await lenses(doc);
    assert.ok(ls.some((l) => /✓ env-one exists/.test(l.command?.title ?? '')));
  });

  it('an mcli run YAML: a lens of the secrets the run receives, a warning lens only for an env var nothing provides', async () => {
    const text =
      'name: train\nimage: mosaicml/pytorch\ncompute:\n  gpus: 8\nenv_variables:\n  - key: LOCAL_TOKEN\n    value: x\n' +
      'command: |\n  echo $WANDB_API_KEY $LOCAL_TOKEN ${OPTIONAL_KEY:-none} $RUN_NAME\n  python -c \'import os; os.environ["MISSING_API_KEY"]\'\n';
    const doc = await openJobFile('mosaic/mcli-run.yaml', text);
    const titles = async () => (await lenses(doc)).map((l) => l.command?.title ?? '');
    const ts = await waitFor(async () => {
      const t = await titles();
      return t.some((x) => /^This run receives \d+ secrets?: /.test(x)) && t.some((x) => /uses \$MISSING_API_KEY/.test(x)) ? t : undefined;
    }, 'run lenses');
    const warnings = ts.filter((t) => /no environment secret provides/.test(t));
    assert.equal(warnings.length, 1, JSON.stringify(ts));
    assert.doesNotMatch(warnings[0], /WANDB|LOCAL_TOKEN|OPTIONAL_KEY|RUN_NAME/);
    assert.deepEqual(describeDiagnostics(doc), []);
    // The same command in a Kubernetes manifest is not an mcli run: no run lens.
    const k8s = await openJobFile('mosaic/pod.yaml', 'apiVersion: v1\nkind: Pod\nimage: x\ncommand: echo $MISSING_API_KEY\n');
    await new Promise((r) => setTimeout(r, 500));
    assert.ok(!(await lenses(k8s)).some((l) => /This run receives|no environment secret/.test(l.command?.title ?? '')));
  });
});
