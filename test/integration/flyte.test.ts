// Flyte 2 / Union end to end inside the real VS Code: API-key sign-in (client credentials from the
// discovered token endpoint), ConnectRPC JSON, scopes, presence, paging, create / update / delete,
// image-pull secrets, and Python references resolved project+domain → domain → org.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { startFlyteEmulator, FlyteEmulator } from '../emulators/flyte/server';
import { activate, closeAll, codeOf, describeDiagnostics, lenses, openJobFile, ours, recordCanaries, waitFor } from './helpers';

const LABEL = 'it-flyte';

function run<T = unknown>(id: string, arg?: unknown): Promise<T> {
  return vscode.commands.executeCommand(id, arg) as Promise<T>;
}

function stored(emu: FlyteEmulator, name: string, domain = '', project = '') {
  for (const s of emu.state.secrets.values()) if (s.name === name && (s.domain ?? '') === domain && (s.project ?? '') === project) return s;
  return undefined;
}

describe('Flyte: sign-in, scopes and secrets', function () {
  let emu: FlyteEmulator;

  before(async () => {
    await activate();
    // Union's layout: the org-wide and flytesnacks/development secrets live on a data plane that
    // SelectCluster names; the domain-wide ones on the control plane.
    emu = await startFlyteEmulator({ seed: true, dataPlane: { scopes: [{}, { domain: 'development', project: 'flytesnacks' }] } });
  });

  after(async () => {
    await closeAll();
    for (const l of [LABEL, 'it-flyte-token']) await run('mlSecrets.removeConnection', { connection: l }).catch(() => undefined);
    const values: string[] = [emu.clientSecret, emu.apiKey];
    for (const s of emu.state.secrets.values()) values.push(Buffer.from(s.value).toString('utf8'));
    recordCanaries(values);
    await emu.close();
  });

  it('signs in with an API key: discovery, client-credentials token, Connect calls in binary protobuf + gzip (as the SDK sends)', async () => {
    const label = await run<string>('mlSecrets.signIn', { platform: 'flyte', apiKey: emu.apiKey, project: 'flytesnacks', domain: 'development', label: LABEL });
    assert.equal(label, LABEL);
    const paths = emu.requests.map((r) => r.path);
    assert.ok(paths.includes('/flyteidl2.auth.AuthMetadataService/GetOAuth2Metadata'));
    const tokenCall = emu.requests.find((r) => r.path === '/oauth2/token');
    assert.match(String(tokenCall?.headers.authorization), /^Basic /);
    assert.equal(new URLSearchParams(tokenCall?.body ?? '').get('grant_type'), 'client_credentials');
    const list = emu.requests.find((r) => r.path === '/flyteidl2.secret.SecretService/ListSecrets');
    assert.equal(String(list?.headers['content-type']), 'application/proto');
    assert.equal(String(list?.headers['content-encoding']), 'gzip');
    assert.match(String(list?.headers.authorization), /^Bearer /);
  });

  it('a pasted bearer token works too; a wrong client secret is refused clearly', async () => {
    const label = await run<string>('mlSecrets.signIn', { platform: 'flyte', url: emu.url, token: emu.tokens.mint(), label: 'it-flyte-token' });
    assert.equal(label, 'it-flyte-token');
    await run('mlSecrets.removeConnection', { connection: 'it-flyte-token' });
    const badKey = Buffer.from(`dns:///${new URL(emu.url).host}:${emu.clientId}:wrong-secret:${emu.org}`).toString('base64');
    await assert.rejects(run('mlSecrets.signIn', { platform: 'flyte', apiKey: badKey, label: 'bad' }), /did not accept/);
  });

  it('lists every scope (all pages), with partial presence shown', async () => {
    const list = await run<Array<{ name: string; scope?: string; type?: string }>>('mlSecrets.listSecrets', { connection: LABEL });
    const orgWide = list.filter((x) => x.scope === 'org-wide');
    assert.ok(orgWide.length >= 11, `org-wide secrets over several pages: ${orgWide.length}`);
    assert.ok(list.some((x) => x.name === 'wandb-key' && x.scope === 'domain development'));
    assert.ok(list.some((x) => x.name === 'hf-token' && x.scope === 'flytesnacks/development'));
    assert.ok(list.some((x) => x.name === 'ghcr-pull' && x.type === 'image pull'));
    assert.ok(!list.some((x) => x.name === 'EAGER_API_KEY'), 'system secrets stay hidden');
  });

  it('creates org-wide by default (like the CLI), or at a domain / project+domain; a project without a domain is refused', async () => {
    await run('mlSecrets.addSecret', { connection: LABEL, name: 'it-org', value: 'CANARY-flyte-1' });
    assert.ok(stored(emu, 'it-org'));
    await run('mlSecrets.addSecret', { connection: LABEL, name: 'it-dom', value: 'x', domain: 'development' });
    assert.ok(stored(emu, 'it-dom', 'development'));
    await run('mlSecrets.addSecret', { connection: LABEL, name: 'it-proj', value: 'x', project: 'flytesnacks', domain: 'development' });
    assert.ok(stored(emu, 'it-proj', 'development', 'flytesnacks'));
    const before = emu.requests.length;
    await assert.rejects(run('mlSecrets.addSecret', { connection: LABEL, name: 'it-bad', value: 'x', project: 'flytesnacks' }), /needs a domain/);
    await assert.rejects(run('mlSecrets.addSecret', { connection: LABEL, name: 'bad name!', value: 'x' }), /\^\[-a-zA-Z0-9_\]\+\$/);
    assert.equal(emu.requests.slice(before).filter((r) => r.path.endsWith('/CreateSecret')).length, 0);
    await assert.rejects(run('mlSecrets.addSecret', { connection: LABEL, name: 'it-org', value: 'again' }), /already exists/);
  });

  it('image-pull secrets are built from registry / username / password and must be org-wide', async () => {
    await run('mlSecrets.addSecret', { connection: LABEL, name: 'it-pull', type: 'image_pull', values: { registry: 'ghcr.io', username: 'me', password: 'CANARY-flyte-pw' } });
    const s = stored(emu, 'it-pull');
    assert.equal(s?.type, 'SECRET_TYPE_IMAGE_PULL_SECRET');
    const cfg = JSON.parse(Buffer.from(s?.value ?? new Uint8Array()).toString('utf8'));
    assert.equal(cfg.auths['ghcr.io'].username, 'me');
    await assert.rejects(run('mlSecrets.addSecret', { connection: LABEL, name: 'it-pull2', type: 'image_pull', domain: 'development', values: { registry: 'r', username: 'u', password: 'p' } }), /org-wide/);
  });

  it('updates with UpdateSecret and deletes; a second delete is already gone', async () => {
    await run('mlSecrets.updateSecret', { connection: LABEL, name: 'it-dom', domain: 'development', value: 'CANARY-flyte-2' });
    assert.equal(Buffer.from(stored(emu, 'it-dom', 'development')?.value ?? new Uint8Array()).toString('utf8'), 'CANARY-flyte-2');
    assert.ok(emu.requests.some((r) => r.path.endsWith('/UpdateSecret')));
    // Every secret call went where SelectCluster said: both listeners served some (a listener that
    // does not hold a scope answers failed_precondition, which would have failed the commands above).
    const secretCalls = emu.requests.filter((r) => r.path.startsWith('/flyteidl2.secret.SecretService/'));
    assert.deepEqual([...new Set(secretCalls.map((r) => r.listener))].sort(), ['control', 'data']);
    assert.ok(emu.requests.some((r) => r.path === '/flyteidl2.cluster.ClusterService/SelectCluster' && r.listener === 'control'));
    await run('mlSecrets.deleteSecret', { connection: LABEL, name: 'it-dom', domain: 'development', confirm: true });
    assert.equal(stored(emu, 'it-dom', 'development'), undefined);
    await run('mlSecrets.deleteSecret', { connection: LABEL, name: 'it-dom', domain: 'development', confirm: true });
    recordCanaries(['CANARY-flyte-1', 'CANARY-flyte-2', 'CANARY-flyte-pw']);
  });

  it('gets a new token by itself when the old one expires', async () => {
    const before = emu.requests.filter((r) => r.path === '/oauth2/token').length;
    emu.expireAllTokens();
    assert.ok((await run<unknown[]>('mlSecrets.listSecrets', { connection: LABEL })).length > 0);
    assert.equal(emu.requests.filter((r) => r.path === '/oauth2/token').length, before + 1);
  });

  it('share is not offered, and the message says why', async () => {
    await assert.rejects(run('mlSecrets.shareSecret', { connection: LABEL, name: 'it-org', user: 'bob', permission: 'read' }), /scope/);
  });
});

describe('Flyte: references in Python', function () {
  let emu: FlyteEmulator;
  const PY = [
    'import flyte',
    '',
    '"""A docstring mentioning secrets="not-checked" is not a reference."""',
    '',
    'env = flyte.TaskEnvironment(',
    '    name="train",',
    '    secrets=["hf-token", flyte.Secret(key="wandb-key", as_env_var="WANDB_API_KEY"), "openai-key"],',
    ')',
    '',
    '# secrets="in-a-comment"',
    '@env.task(secrets="missing-secret")',
    'async def train() -> None:',
    '    ...',
    '',
    '@env.task(secrets=flyte.Secret(key="bad name"))',
    'async def other() -> None:',
    '    ...',
    '',
  ].join('\n');

  before(async () => {
    await activate();
    emu = await startFlyteEmulator({ seed: true });
    await run('mlSecrets.signIn', { platform: 'flyte', apiKey: emu.apiKey, project: 'flytesnacks', domain: 'development', label: LABEL });
  });

  after(async () => {
    await closeAll();
    await run('mlSecrets.removeConnection', { connection: LABEL }).catch(() => undefined);
    await emu.close();
  });

  it('resolves project+domain, then domain, then org; flags missing and malformed names', async () => {
    const doc = await openJobFile('flows/train.py', PY);
    await waitFor(() => describeDiagnostics(doc).length === 2, `diagnostics ${JSON.stringify(describeDiagnostics(doc))}`);
    const byCode = new Map(ours(doc.uri).map((d) => [codeOf(d), doc.getText(d.range)]));
    assert.equal(byCode.get('secret-missing'), '"missing-secret"');
    assert.equal(byCode.get('reference-malformed'), '"bad name"');
    const ls = await lenses(doc);
    const titles = ls.map((l) => l.command?.title ?? '');
    assert.ok(titles.some((t) => /hf-token, wandb-key \+1 exist|exist/.test(t)), titles.join(' | '));
    const missing = ls.find((l) => /Missing: missing-secret/.test(l.command?.title ?? ''));
    assert.deepEqual(missing?.command?.arguments?.[0], { connection: LABEL, name: 'missing-secret', project: 'flytesnacks', domain: 'development', interactive: true });
  });

  it('the hover says which scope a name resolved to', async () => {
    const doc = await openJobFile('flows/train.py', PY);
    await waitFor(() => ours(doc.uri).length === 2, 'diagnostics');
    const line = PY.split('\n').findIndex((l) => l.includes('"openai-key"'));
    const col = PY.split('\n')[line].indexOf('"openai-key"') + 2;
    const hovers = await vscode.commands.executeCommand<vscode.Hover[]>('vscode.executeHoverProvider', doc.uri, new vscode.Position(line, col));
    const text = hovers.flatMap((h) => h.contents.map((c) => (typeof c === 'string' ? c : 'value' in c ? c.value : ''))).join('\n').replace(/&nbsp;/g, ' ').replace(/\\(.)/g, '$1');
    assert.match(text, /openai-key exists org-wide/);
  });

  it('<<name>> in YAML bound to Flyte is checked too', async () => {
    const doc = await openJobFile('flows/run.yaml', 'env:\n  A: <<wandb-key>>\n  B: <<nope-not-here>>\n');
    await waitFor(() => describeDiagnostics(doc).length === 1 && codeOf(ours(doc.uri)[0]) === 'secret-missing', `diagnostics ${describeDiagnostics(doc)}`);
  });
});
