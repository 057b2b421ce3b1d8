#!/usr/bin/env node
// Runs the integration suite (out/test/integration/index.js, built by `node esbuild.mjs --tests`) inside a
// real VS Code (see vscode.mjs), reads back the JSON summary the suite writes, and prints the closing line
// `N passed, N failed` (+ `, N skipped`). Exits 0 only if the suite ran at least one test and none failed.
// Builds nothing.
//
//   node test/harness/run-integration.mjs [--folder DIR] [--extension DIR] [--tests FILE]
//        [--timeout SECONDS] [--grep REGEXP] [--trust] [--data-dir DIR] [--results FILE] [--headed]
//
//   --folder     workspace folder to open (default: a fresh empty temp folder)
//   --extension  extensionDevelopmentPath (default: the repo root)
//   --tests      extensionTestsPath (default: <repo>/out/test/integration/index.js)
//   --trust      turn Workspace Trust ON, so the folder opens in Restricted Mode (default: trust disabled)
//   --data-dir   keep VS Code's server/user data (and server.log) there (default: temp, removed)
//   --results    where the suite writes its JSON summary (default: <repo>/.test-output/integration-results.json)
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { runExtensionTests } from './vscode.mjs';

const repo = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');

const { values: opts } = parseArgs({
  options: {
    folder: { type: 'string' },
    extension: { type: 'string' },
    tests: { type: 'string' },
    timeout: { type: 'string', default: '300' },
    grep: { type: 'string' },
    trust: { type: 'boolean', default: false },
    'data-dir': { type: 'string' },
    results: { type: 'string' },
    headed: { type: 'boolean', default: false },
  },
});

const extensionDevelopmentPath = resolve(opts.extension ?? repo);
const extensionTestsPath = resolve(opts.tests ?? join(repo, 'out', 'test', 'integration', 'index.js'));
const resultsFile = resolve(opts.results ?? join(repo, '.test-output', 'integration-results.json'));
if (!existsSync(extensionTestsPath)) {
  console.error(`${extensionTestsPath} does not exist: build first with \`node esbuild.mjs --tests\``);
  console.log('0 passed, 1 failed');
  process.exit(1);
}
let tempFolder;
const folder = resolve(opts.folder ?? (tempFolder = mkdtempSync(join(tmpdir(), 'ml-secrets-ws-'))));
mkdirSync(dirname(resultsFile), { recursive: true });
rmSync(resultsFile, { force: true });

const env = { ML_SECRETS_TEST_RESULTS: resultsFile };
if (opts.grep) env.ML_SECRETS_TEST_GREP = opts.grep;

let exitCode = 1;
try {
  ({ exitCode } = await runExtensionTests({
    folder,
    extensionDevelopmentPath,
    extensionTestsPath,
    env,
    trust: opts.trust,
    dataDir: opts['data-dir'],
    timeoutMs: Number(opts.timeout) * 1000,
    headless: !opts.headed,
    screenshotOnFailure: join(repo, '.test-output', 'integration-failure.png'),
  }));
} catch (err) {
  console.error(`[run-integration] ${err.stack || err}`);
} finally {
  if (tempFolder) rmSync(tempFolder, { recursive: true, force: true });
}

let summary;
try {
  summary = JSON.parse(readFileSync(resultsFile, 'utf8'));
} catch {
  console.error(`[run-integration] the suite wrote no results to ${resultsFile}`);
}
if (!summary) {
  console.log('0 passed, 1 failed');
  process.exit(1);
}
for (const f of summary.failures) console.error(`FAILED: ${f.title}\n${f.error}\n`);
const failed = summary.failed + (exitCode !== 0 && summary.failed === 0 ? 1 : 0);
if (summary.passed + summary.failed === 0) console.error('[run-integration] no test ran');
console.log(`${summary.passed} passed, ${failed} failed${summary.pending ? `, ${summary.pending} skipped` : ''}`);
process.exit(failed === 0 && exitCode === 0 && summary.passed > 0 ? 0 : 1);
