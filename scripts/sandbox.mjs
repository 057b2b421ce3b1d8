// The sandbox: a seeded Apolo emulator, a demo workspace, and a real VS Code (server + browser
// workbench) with ML Secrets loaded and its demo connections signed in. Used by `npm start`
// (scripts/start.mjs) and by the UI tests (test/ui/ui.test.mjs). Needs `node esbuild.mjs --tests`.
import { chmodSync, cpSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { startServer, remoteUri } from '../test/harness/vscode.mjs';

export const repo = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const require = createRequire(import.meta.url);

/** The demo file the sandbox's URL opens in the editor. */
export const DEMO_FILE = 'apolo-project/.apolo/live.yml';


/**
 * @param {{ dir?: string, port?: number, emulatorPort?: number, zenmlPort?: number, log?: (m: string) => void, trust?: boolean, smokeTestDriver?: boolean, dataDir?: string, extensions?: string[] }} [o]
 *   smokeTestDriver: start VS Code with --enable-smoke-test-driver (hides notification toasts; default off:
 *   the sandbox shows notifications as VS Code normally does). The extension is installed into the
 *   server's extensions dir either way, so it loads without the driver's URL payload.
 *   dataDir: VS Code's profile (default <dir>/vscode); extensions: folders linked into it (default: this
 *   repository). The install test passes a profile the .vsix was installed into, and no folder.
 */
export async function startSandbox(o = {}) {
  const log = o.log ?? ((m) => console.error(m));
  const dir = resolve(o.dir ?? join(repo, '.sandbox'));
  const { startDemoPlatforms, writeDemoLeaks } = require(join(repo, 'out', 'test', 'emulators', 'demo.js'));
  const demo = await startDemoPlatforms({ apoloPort: o.emulatorPort ?? 0, zenmlPort: o.zenmlPort ?? 0 });
  const { apolo: emu, zenml: zen, mosaic, flyte, connections } = demo;

  // Fresh demo workspace each start (edits made in the sandbox never touch the repo).
  const root = join(dir, 'workspace');
  rmSync(root, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  cpSync(join(repo, 'sandbox', 'workspace'), root, { recursive: true });
  // Plaintext tokens to find and move (made up on each start, never in the repository).
  writeDemoLeaks(root);
  const workspace = join(root, 'demo.code-workspace');

  // The demo connections, handed to the extension through its environment (never a setting).
  const sandboxFile = join(dir, 'connections.json');
  writeFileSync(sandboxFile, JSON.stringify(connections, null, 2), { mode: 0o600 });
  chmodSync(sandboxFile, 0o600);
  // The same logins as a platform CLI user has them, for `ml-secrets check` on the demo workspace:
  // `(set -a; . .sandbox/cli.env; npx ml-secrets check .sandbox/workspace)`. HOME points at an empty
  // folder, so the user's own CLI logins don't join the demo's.
  const cliHome = join(dir, 'cli-home');
  mkdirSync(cliHome, { recursive: true });
  const cliEnvFile = join(dir, 'cli.env');
  const cliEnv = { ...demo.cliEnv, HOME: cliHome };
  writeFileSync(cliEnvFile, Object.entries(cliEnv).map(([k, v]) => `${k}='${v}'\n`).join(''), { mode: 0o600 });
  chmodSync(cliEnvFile, 0o600);
  // The same, for the walkthrough's pre-flight check (the command line's code, run in the extension host).
  const cliEnvJson = join(dir, 'cli-env.json');
  writeFileSync(cliEnvJson, JSON.stringify(cliEnv), { mode: 0o600 });
  chmodSync(cliEnvJson, 0o600);

  const server = await startServer({
    dataDir: o.dataDir ?? join(dir, 'vscode'),
    port: o.port ?? 0,
    trust: o.trust ?? false,
    smokeTestDriver: o.smokeTestDriver ?? false,
    extensions: o.extensions ?? [repo],
    env: { ML_SECRETS_SANDBOX: sandboxFile, ML_SECRETS_DEMO_CLI_ENV: cliEnvJson },
    settings: { 'workbench.colorTheme': 'Default Dark Modern', 'editor.codeLens': true, 'terminal.integrated.gpuAcceleration': 'off' },
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
    cliEnv,
    cliEnvFile,
    server,
    users: { alice: emu.tokens.alice, bob: emu.tokens.bob },
    async stop() {
      await server.stop();
      await demo.close();
    },
  };
}
