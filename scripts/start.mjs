#!/usr/bin/env node
// `npm start`: sets up what is missing (Node 24 + VS Code server + Chromium, cached outside the
// clone), builds, starts the sandbox (Apolo emulator with demo data + VS Code with ML Secrets and
// signed-in demo connections) and prints the URL to open. Ctrl+C stops everything.
//
//   PORT=8080 npm start         fixed port for VS Code (default: 8080 if free, else any)
//   npm start -- --open         also open the workbench in Chromium (a visible window needs a display)
import { spawnSync } from 'node:child_process';
import { createServer } from 'node:net';
import { parseArgs } from 'node:util';
import { ensureEnv } from './env.mjs';

const { values: opts } = parseArgs({ options: { open: { type: 'boolean', default: false }, port: { type: 'string' } } });
const log = (m) => console.error(m);

await ensureEnv({ log });
const build = spawnSync(process.execPath, ['esbuild.mjs', '--tests'], { stdio: 'inherit', cwd: new URL('..', import.meta.url).pathname });
if (build.status !== 0) process.exit(build.status ?? 1);

const { startSandbox } = await import('./sandbox.mjs');

function portFree(port) {
  return new Promise((r) => {
    const s = createServer().once('error', () => r(false)).listen(port, '127.0.0.1', () => s.close(() => r(true)));
  });
}
const wanted = Number(opts.port ?? process.env.PORT ?? 8080);
const port = (await portFree(wanted)) ? wanted : 0;

const sb = await startSandbox({ port, log });
console.log('');
console.log('ML Secrets sandbox is running.');
console.log(`  Apolo emulator: ${sb.emulator.apiUrl}   (users: alice — signed in; bob — someone to share with)`);
console.log(`  ZenML emulator: ${sb.zenml.url}   (user alice — signed in)`);
console.log(`  MosaicML emulator: ${sb.mosaic.endpoint}   (user alice — signed in)`);
console.log(`  Flyte emulator: ${sb.flyte.url}   (org ${sb.flyte.org}, API key — signed in)`);
console.log(`  Demo workspace: ${sb.workspace}  (folders apolo-project, zenml-project, mosaic-project, flyte-project)`);
console.log('');
console.log('Open VS Code in your browser:');
console.log(`  ${sb.url}`);
console.log('');
console.log('Check the same workspace from a terminal, as CI would (the demo logins as CLI environment variables):');
console.log(`  (set -a; . ${sb.cliEnvFile}; cd ${sb.root} && node ${new URL('../bin/ml-secrets.js', import.meta.url).pathname} check)`);
console.log('');
console.log('Press Ctrl+C to stop.');

let browser;
if (opts.open) {
  const { openWorkbench } = await import('../test/harness/vscode.mjs');
  browser = await openWorkbench({ server: sb.server, folder: sb.workspace, openFile: sb.openFile, headless: false, log });
}

let stopping = false;
async function stop() {
  if (stopping) return;
  stopping = true;
  console.error('\nStopping…');
  await browser?.close().catch(() => undefined);
  await sb.stop().catch(() => undefined);
  process.exit(0);
}
process.on('SIGINT', stop);
process.on('SIGTERM', stop);
