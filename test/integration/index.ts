// Entry point of the integration suite that runs INSIDE VS Code's extension host
// (`extensionTestsPath` = out/test/integration/index.js), both in the offline real-VS-Code harness
// (test/harness/run-integration.mjs) and with @vscode/test-electron (test/harness/desktop.mjs).
//
// Runs mocha (BDD: describe/it) over every out/test/integration/**/*.test.js, prints each result to the
// console, and writes a JSON summary to $ML_SECRETS_TEST_RESULTS (when set):
//   { passed, failed, pending, failures: [{ title, error }], tests: [{ title, state, durationMs }] }
// Rejects when a test (or a hook) failed, which makes VS Code report exit code 1.
//
// Environment knobs: ML_SECRETS_TEST_GREP (only tests whose full title matches this regexp),
// ML_SECRETS_TEST_TIMEOUT_MS (per-test timeout, default 20000).
import * as fs from 'node:fs';
import * as path from 'node:path';

type MochaCtor = typeof import('mocha');
type MochaRunner = import('mocha').Runner;

export interface TestSummary {
  passed: number;
  failed: number;
  pending: number;
  failures: { title: string; error: string }[];
  tests: { title: string; state: 'passed' | 'failed' | 'pending'; durationMs: number }[];
}

function loadMocha(): MochaCtor {
  // mocha >= 11 is an ES module whose CommonJS build is lib/mocha.cjs; require(esm) works only on
  // Node >= 20.19 / 22.12, and some VS Code builds ship an older Node, so fall back to the .cjs file.
  let last: unknown;
  for (const id of ['mocha', 'mocha/lib/mocha.cjs']) {
    try {
      // eslint-disable-next-line @typescript-eslint/no-require-imports
      const m = require(id);
      return (m && m.default) || m;
    } catch (e) {
      last = e;
    }
  }
  throw last;
}

function findTestFiles(dir: string, out: string[] = []): string[] {
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, entry.name);
    if (entry.isDirectory()) findTestFiles(p, out);
    else if (entry.name.endsWith('.test.js')) out.push(p);
  }
  return out.sort();
}

function errorText(err: unknown): string {
  if (err instanceof Error) return err.stack || `${err.name}: ${err.message}`;
  return String(err);
}

function writeSummary(summary: TestSummary): void {
  const file = process.env.ML_SECRETS_TEST_RESULTS;
  if (!file) return;
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, JSON.stringify(summary, null, 2) + '\n');
}

export async function run(): Promise<void> {
  const summary: TestSummary = { passed: 0, failed: 0, pending: 0, failures: [], tests: [] };
  const Mocha = loadMocha();
  const timeout = Number(process.env.ML_SECRETS_TEST_TIMEOUT_MS) || 20_000;
  // A silent reporter: this file prints the results itself, through console.log, which the extension host
  // forwards to the harness (stdout of the extension host process is not always visible).
  function SilentReporter(): void {}
  const mocha = new Mocha({ ui: 'bdd', timeout, color: false, reporter: SilentReporter as never });
  if (process.env.ML_SECRETS_TEST_GREP) mocha.grep(new RegExp(process.env.ML_SECRETS_TEST_GREP));

  const files = findTestFiles(__dirname);
  for (const f of files) mocha.addFile(f);
  console.log(`[integration] ${files.length} test file(s): ${files.map((f) => path.relative(__dirname, f)).join(', ')}`);

  await new Promise<void>((resolve, reject) => {
    let runner: MochaRunner;
    try {
      runner = mocha.run((failures: number) => {
        console.log(
          `[integration] mocha: ${summary.passed} passing, ${summary.failed} failing, ${summary.pending} pending`,
        );
        for (const f of summary.failures) console.log(`[integration] FAILED ${f.title}\n${f.error}`);
        writeSummary(summary);
        if (failures > 0 || summary.failed > 0) reject(new Error(`${summary.failed || failures} test(s) failed`));
        else resolve();
      });
    } catch (err) {
      // e.g. a test file that throws while loading
      summary.failed++;
      summary.failures.push({ title: 'loading the test files', error: errorText(err) });
      console.log(`[integration] FAILED loading the test files\n${errorText(err)}`);
      writeSummary(summary);
      reject(err);
      return;
    }
    runner.on('pass', (test) => {
      summary.passed++;
      summary.tests.push({ title: test.fullTitle(), state: 'passed', durationMs: test.duration ?? 0 });
      console.log(`  ✓ ${test.fullTitle()} (${test.duration ?? 0} ms)`);
    });
    runner.on('fail', (test, err) => {
      // `test` is a hook when a before/after hook failed
      summary.failed++;
      summary.failures.push({ title: test.fullTitle(), error: errorText(err) });
      summary.tests.push({ title: test.fullTitle(), state: 'failed', durationMs: test.duration ?? 0 });
      console.log(`  ✗ ${test.fullTitle()}: ${err instanceof Error ? err.message : String(err)}`);
    });
    runner.on('pending', (test) => {
      summary.pending++;
      summary.tests.push({ title: test.fullTitle(), state: 'pending', durationMs: 0 });
      console.log(`  - ${test.fullTitle()} (pending)`);
    });
  });
}
