// The sandbox: a seeded Apolo emulator, a demo workspace, and a real VS Code (server + browser
// workbench) with ML Secrets loaded and its demo connections signed in. Used by `npm start`
// (scripts/start.mjs) and by the UI tests (test/ui/ui.test.mjs). Needs `node esbuild.mjs --tests`.
import { randomBytes } from 'node:crypto';
import { chmodSync, cpSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { startServer, remoteUri } from '../test/harness/vscode.mjs';

export const repo = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const require = createRequire(import.meta.url);

/** The demo file the sandbox's URL opens in the editor. */
export const DEMO_FILE = 'apolo-project/.apolo/live.yml';

const b64 = (s) => Buffer.from(s, 'utf8').toString('base64');
const dummy = (prefix, n = 24) => `${prefix}${randomBytes(n).toString('hex').slice(0, n)}`;

/**
 * @param {{ dir?: string, port?: number, emulatorPort?: number, zenmlPort?: number, log?: (m: string) => void, trust?: boolean, smokeTestDriver?: boolean }} [o]
 *   smokeTestDriver: start VS Code with --enable-smoke-test-driver (hides notification toasts; default off:
 *   the sandbox shows notifications as VS Code normally does). The extension is installed into the
 *   server's extensions dir either way, so it loads without the driver's URL payload.
 */
export async function startSandbox(o = {}) {
  const log = o.log ?? ((m) => console.error(m));
  const dir = resolve(o.dir ?? join(repo, '.sandbox'));
  const { startApoloEmulator } = require(join(repo, 'out', 'test', 'emulators', 'apolo', 'server.js'));
  const emu = await startApoloEmulator({ port: o.emulatorPort ?? 0, seed: true });
  // A few more demo secrets, so the demo files show every state: present, missing, other project.
  emu.state.setSecret('demo-org', 'demo-project', 'ssh-deploy-key', b64(`-----BEGIN OPENSSH PRIVATE KEY-----\n${dummy('', 64)}\n-----END OPENSSH PRIVATE KEY-----\n`));
  emu.state.setSecret('demo-org', 'demo-project', 'gcp-sa.json', b64(JSON.stringify({ type: 'service_account', private_key_id: dummy('', 40) })));
  emu.state.setSecret('demo-org', 'ml-team', 'aws-creds.json', b64(JSON.stringify({ aws_access_key_id: dummy('AKIA', 16) })));

  const { startZenmlEmulator } = require(join(repo, 'out', 'test', 'emulators', 'zenml', 'server.js'));
  const zen = await startZenmlEmulator({ port: o.zenmlPort ?? 0, seed: true });
  const { startMosaicEmulator } = require(join(repo, 'out', 'test', 'emulators', 'mosaic', 'server.js'));
  const mosaic = await startMosaicEmulator({ seed: true });
  const { startFlyteEmulator } = require(join(repo, 'out', 'test', 'emulators', 'flyte', 'server.js'));
  // Union's two-endpoint layout: SelectCluster sends the org-wide and flytesnacks/development secrets to
  // a data-plane listener; the domain-wide ones stay on the control plane.
  const flyte = await startFlyteEmulator({ seed: true, dataPlane: { scopes: [{}, { domain: 'development', project: 'flytesnacks' }] } });

  // Fresh demo workspace each start (edits made in the sandbox never touch the repo).
  const root = join(dir, 'workspace');
  rmSync(root, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  cpSync(join(repo, 'sandbox', 'workspace'), root, { recursive: true });
  const workspace = join(root, 'demo.code-workspace');

  // The demo connections, handed to the extension through its environment (never a setting).
  const connections = [
    { platform: 'apolo', url: emu.apiUrl, token: emu.tokens.alice, label: 'apolo-demo', cluster: 'default', org: 'demo-org', project: 'demo-project' },
    { platform: 'neuro', url: emu.apiUrl, token: emu.tokens.alice, label: 'neuro-demo', cluster: 'default', org: 'demo-org', project: 'ml-team' },
    { platform: 'zenml', url: zen.url, username: 'alice', password: zen.users.alice.password, label: 'zenml-demo' },
    { platform: 'mosaic', url: mosaic.endpoint, apiKey: mosaic.apiKeys.alice, label: 'mosaic-demo' },
    { platform: 'flyte', apiKey: flyte.apiKey, project: 'flytesnacks', domain: 'development', label: 'flyte-demo' },
  ];
  const sandboxFile = join(dir, 'connections.json');
  writeFileSync(sandboxFile, JSON.stringify(connections, null, 2), { mode: 0o600 });
  chmodSync(sandboxFile, 0o600);

  const server = await startServer({
    dataDir: join(dir, 'vscode'),
    port: o.port ?? 0,
    trust: o.trust ?? false,
    smokeTestDriver: o.smokeTestDriver ?? false,
    extensions: [repo],
    env: { ML_SECRETS_SANDBOX: sandboxFile },
    settings: { 'workbench.colorTheme': 'Default Dark Modern', 'editor.codeLens': true },
    log,
  });
  // The workbench opens a demo file at startup (the payload's openFile), so there is something to see.
  const openFile = join(root, ...DEMO_FILE.split('/'));
  const payload = [['openFile', remoteUri(server, openFile)]];
  const url = `http://127.0.0.1:${server.port}/?workspace=${encodeURIComponent(workspace)}&payload=${encodeURIComponent(JSON.stringify(payload))}`;
  return {
    url,
    openFile,
    workspace,
    root,
    emulator: emu,
    zenml: zen,
    mosaic,
    flyte,
    server,
    users: { alice: emu.tokens.alice, bob: emu.tokens.bob },
    async stop() {
      await server.stop();
      await emu.close();
      await zen.close();
      await mosaic.close();
      await flyte.close();
    },
  };
}
