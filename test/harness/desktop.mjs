#!/usr/bin/env node
// `npm run test:desktop`: the same integration suite (out/test/integration/index.js) in desktop VS Code,
// downloaded by @vscode/test-electron. For machines that can download VS Code; where that is impossible
// (no route to Microsoft's update servers, as on the offline test machines) it says so and exits 1 —
// use `npm run test:integration` (the offline real-VS-Code harness) there.
//
//   node test/harness/desktop.mjs [--folder DIR] [--vscode-version VERSION] [--vscode-executable PATH]
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

const repo = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
const { values: opts } = parseArgs({
  options: {
    folder: { type: 'string' },
    'vscode-version': { type: 'string', default: 'stable' },
    'vscode-executable': { type: 'string', default: process.env.VSCODE_EXECUTABLE },
  },
});

const extensionTestsPath = join(repo, 'out', 'test', 'integration', 'index.js');
const resultsFile = join(repo, '.test-output', 'desktop-results.json');
if (!existsSync(extensionTestsPath)) {
  console.error(`${extensionTestsPath} does not exist: build first with \`node esbuild.mjs --tests\``);
  process.exit(1);
}

const { runTests, downloadAndUnzipVSCode } = await import('@vscode/test-electron');

let vscodeExecutablePath = opts['vscode-executable'];
if (!vscodeExecutablePath) {
  try {
    vscodeExecutablePath = await Promise.race([
      downloadAndUnzipVSCode({ version: opts['vscode-version'] }),
      new Promise((_, reject) => setTimeout(() => reject(new Error('no answer within 120 s')), 120_000).unref()),
    ]);
  } catch (err) {
    console.error(
      `\n[desktop] Could not download VS Code (${opts['vscode-version']}) with @vscode/test-electron: ${err?.message || err}\n` +
        '[desktop] This machine cannot reach VS Code\'s download servers. Run the same suite offline in a real\n' +
        '[desktop] VS Code with `npm run test:integration`, or pass --vscode-executable PATH (or VSCODE_EXECUTABLE).\n',
    );
    process.exit(1);
  }
}

let tempFolder;
const folder = resolve(opts.folder ?? (tempFolder = mkdtempSync(join(tmpdir(), 'ml-secrets-ws-'))));
mkdirSync(dirname(resultsFile), { recursive: true });
rmSync(resultsFile, { force: true });
let exitCode = 1;
try {
  exitCode = await runTests({
    vscodeExecutablePath,
    extensionDevelopmentPath: repo,
    extensionTestsPath,
    extensionTestsEnv: { ML_SECRETS_TEST_RESULTS: resultsFile },
    launchArgs: [folder, '--disable-extensions', '--use-inmemory-secretstorage', '--disable-workspace-trust'],
  });
} catch (err) {
  console.error(`[desktop] ${err?.message || err}`);
} finally {
  if (tempFolder) rmSync(tempFolder, { recursive: true, force: true });
}

let summary = null;
try {
  summary = JSON.parse(readFileSync(resultsFile, 'utf8'));
} catch {
  console.error(`[desktop] the suite wrote no results to ${resultsFile}`);
}
const passed = summary?.passed ?? 0;
const failed = summary ? summary.failed + (exitCode !== 0 && summary.failed === 0 ? 1 : 0) : 1;
console.log(`${passed} passed, ${failed} failed${summary?.pending ? `, ${summary.pending} skipped` : ''}`);
process.exit(exitCode === 0 && failed === 0 && passed > 0 ? 0 : 1);
