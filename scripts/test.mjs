#!/usr/bin/env node
// `npm test`: everything, on a fresh clone, after `npm ci`.
//   1. typecheck (tsc --noEmit, strict)
//   2. build: dist/extension.js + out/ (src, test, bench transpiled)
//   3. unit tests of the pure core and the emulator, in plain Node (node:test)
//   4. set up the real VS Code (Node 24 + VS Code server from code-server, Debian Chromium) — cached
//      outside the clone, installed once per machine (scripts/env.mjs)
//   5. integration tests inside the real VS Code extension host (trusted workspace), then the
//      Restricted Mode suite (untrusted workspace), then the sandbox demo (`ml-secrets check` and
//      the editor on the same multi-root workspace)
//   6. UI tests: Playwright drives the workbench, clicks, takes screenshots and checks what they show
// and closes with the line `N passed, N failed`.
//
//   node scripts/test.mjs [--only unit|integration|ui]
import { spawn } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

const repo = resolve(dirname(fileURLToPath(import.meta.url)), '..');
process.chdir(repo);
const { values: opts } = parseArgs({ options: { only: { type: 'string' } } });
const want = (stage) => !opts.only || opts.only === stage;

const totals = { passed: 0, failed: 0, skipped: 0 };
const stages = [];

function run(cmd, args, { env = {}, capture = false } = {}) {
  return new Promise((resolveRun) => {
    const child = spawn(cmd, args, { cwd: repo, env: { ...process.env, ...env }, stdio: capture ? ['ignore', 'pipe', 'inherit'] : 'inherit' });
    let out = '';
    if (capture) {
      child.stdout.on('data', (d) => {
        out += d;
        process.stdout.write(d);
      });
    }
    child.on('close', (code) => resolveRun({ code: code ?? 1, out }));
  });
}

function record(name, passed, failed, skipped = 0) {
  totals.passed += passed;
  totals.failed += failed;
  totals.skipped += skipped;
  stages.push(`${name}: ${passed} passed, ${failed} failed${skipped ? `, ${skipped} skipped` : ''}`);
}

/** Reads the last `N passed, N failed[, N skipped]` line a child printed. */
function counts(out) {
  const lines = out.split('\n').filter((l) => /^\s*\d+ passed, \d+ failed/.test(l));
  const m = /(\d+) passed, (\d+) failed(?:, (\d+) skipped)?/.exec(lines.at(-1) ?? '');
  return m ? { passed: +m[1], failed: +m[2], skipped: +(m[3] ?? 0) } : undefined;
}

function banner(s) {
  console.log(`\n=== ${s} ===`);
}

if (!existsSync(join(repo, 'node_modules', 'esbuild'))) {
  console.error('node_modules is missing: run `npm ci` first.');
  console.log('0 passed, 1 failed');
  process.exit(1);
}

banner('typecheck');
{
  const { code } = await run(process.execPath, [join(repo, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', '.', '--noEmit']);
  record('typecheck', code === 0 ? 1 : 0, code === 0 ? 0 : 1);
}

banner('lint: src/core pure, no import cycles, function and file length (eslint.config.mjs)');
{
  const { code } = await run(process.execPath, [join(repo, 'node_modules', 'eslint', 'bin', 'eslint.js'), '--max-warnings', '0', 'src']);
  record('lint', code === 0 ? 1 : 0, code === 0 ? 0 : 1);
}

banner('generated code: src/core/platforms/flyte/gen matches proto/ (npm run gen:proto --check)');
{
  // The flyteidl2 types are generated from the vendored .proto files by a pinned buf + protoc-gen-es;
  // a hand edit or a stale generation fails here.
  const { code } = await run(process.execPath, ['scripts/gen-flyte-proto.mjs', '--check']);
  record('generated code', code === 0 ? 1 : 0, code === 0 ? 0 : 1);
}

banner('build');
{
  const { code } = await run(process.execPath, ['esbuild.mjs', '--tests']);
  record('build', code === 0 ? 1 : 0, code === 0 ? 0 : 1);
  if (code !== 0) finish();
}

if (want('unit')) {
  banner('unit tests (plain Node)');
  mkdirSync(join(repo, '.test-output'), { recursive: true });
  const { out } = await run(process.execPath, ['--test', '--test-reporter=spec', '--test-reporter-destination=stdout', '--test-reporter=tap', '--test-reporter-destination=.test-output/unit.tap', 'out/test/unit/'], { capture: true });
  let tap = '';
  try {
    tap = readFileSync(join(repo, '.test-output', 'unit.tap'), 'utf8');
  } catch {
    tap = out;
  }
  const pass = +(/^# pass (\d+)/m.exec(tap)?.[1] ?? 0);
  const fail = +(/^# fail (\d+)/m.exec(tap)?.[1] ?? 0) + +(/^# cancelled (\d+)/m.exec(tap)?.[1] ?? 0);
  record('unit', pass, pass === 0 && fail === 0 ? 1 : fail);
}

let envReady = true;
if (want('integration') || want('ui') || want('package')) {
  banner('real VS Code: set-up (cached)');
  const { code } = await run(process.execPath, ['scripts/env.mjs'], { capture: false });
  envReady = code === 0;
  if (!envReady) record('vscode set-up', 0, 1);
}

if (envReady && want('package')) {
  banner('package: build the .vsix and install it into VS Code');
  const { ensureEnv } = await import('./env.mjs');
  const { node24, serverMain } = await ensureEnv({ log: () => undefined });
  const pack = await run('npm', ['run', '--silent', 'package']);
  let ok = pack.code === 0 && existsSync(join(repo, 'ml-secrets.vsix'));
  if (ok) {
    const d = mkdtempSync(join(tmpdir(), 'ml-secrets-vsix-'));
    const common = ['--extensions-dir', join(d, 'ext'), '--server-data-dir', join(d, 'data'), '--accept-server-license-terms'];
    const inst = await run(node24, [serverMain, '--install-extension', join(repo, 'ml-secrets.vsix'), ...common]);
    const list = await run(node24, [serverMain, '--list-extensions', '--show-versions', ...common], { capture: true });
    const version = JSON.parse(readFileSync(join(repo, 'package.json'), 'utf8')).version;
    // Every file the extension loads (at activation and lazily) must be in the installed copy.
    const installed = join(d, 'ext', `ml-secrets.ml-secrets-${version}`);
    const files = ['package.json', 'dist/extension.js', 'dist/shared.js', 'dist/lazy.js', 'dist/flyteWire.js', 'dist/flytePython.js', 'dist/zenmlPython.js', 'dist/zenmlShell.js', 'dist/mosaicRunYaml.js', 'dist/apoloShell.js', 'dist/plaintext.js', 'dist/plaintextNotebook.js', 'dist/vendor/yaml.js', 'dist/vendor/node-fetch.js', 'media/icon.png', 'media/walkthrough/connect.webp'];
    const missing = files.filter((f) => !existsSync(join(installed, f)));
    if (missing.length) console.log(`  missing from the installed extension: ${missing.join(', ')}`);
    ok = inst.code === 0 && list.out.includes(`ml-secrets.ml-secrets@${version}`) && !missing.length;
    rmSync(d, { recursive: true, force: true });
  }
  record('package', ok ? 1 : 0, ok ? 0 : 1);

  banner('publish check: what the VS Code Marketplace (vsce) and Open VSX (ovsx) check, without publishing');
  const pub = await run(process.execPath, ['scripts/publish-check.mjs'], { capture: true });
  const cp = counts(pub.out);
  record('publish check', cp?.passed ?? 0, cp ? cp.failed : 1);
}

/** Files under `roots` that contain any recorded canary (raw, or base64 of it). */
function scanForCanaries(canaryFile, roots) {
  if (!existsSync(canaryFile)) return ['the suite recorded no canaries'];
  const canaries = [...new Set(readFileSync(canaryFile, 'utf8').split('\n').filter(Boolean).map((l) => JSON.parse(l)))];
  const needles = canaries.flatMap((c) => [Buffer.from(c, 'utf8'), Buffer.from(Buffer.from(c, 'utf8').toString('base64').replace(/=+$/, ''))]);
  const found = [];
  const walk = (p) => {
    let st;
    try {
      st = statSync(p);
    } catch {
      return;
    }
    if (st.isDirectory()) {
      for (const n of readdirSync(p)) walk(join(p, n));
    } else if (st.isFile() && st.size < 50 * 1024 * 1024) {
      const buf = readFileSync(p);
      if (needles.some((n) => buf.includes(n))) found.push(p);
    }
  };
  for (const r of roots) walk(r);
  return found;
}

/** A fresh copy of the demo workspace for each suite, so nothing a test writes reaches the repo. */
function freshWorkspace() {
  const dir = mkdtempSync(join(tmpdir(), 'ml-secrets-ws-'));
  cpSync(join(repo, 'sandbox', 'workspace'), dir, { recursive: true });
  return dir;
}

if (envReady && want('integration')) {
  banner('integration tests inside VS Code (trusted workspace)');
  const ws = freshWorkspace();
  const dataDir = mkdtempSync(join(tmpdir(), 'ml-secrets-vscode-data-'));
  const canaryFile = join(repo, '.test-output', 'canaries.jsonl');
  mkdirSync(dirname(canaryFile), { recursive: true });
  rmSync(canaryFile, { force: true });
  const { out } = await run(process.execPath, ['test/harness/run-integration.mjs', '--folder', ws, '--data-dir', dataDir, '--results', '.test-output/integration-results.json'], {
    capture: true,
    env: { ML_SECRETS_TEST_GREP: '^(?!restricted mode|sandbox demo)', ML_SECRETS_CANARY_FILE: canaryFile },
  });
  const c = counts(out);
  record('integration', c?.passed ?? 0, c ? c.failed : 1, c?.skipped ?? 0);

  banner('leak scan: tokens and secret values in anything VS Code and the extension wrote');
  const leaks = scanForCanaries(canaryFile, [dataDir, ws]);
  for (const l of leaks) console.log(`  LEAK: ${l}`);
  console.log(leaks.length ? `  ${leaks.length} leak(s)` : '  no token or secret value found in logs, storage or the workspace');
  record('leak scan', leaks.length === 0 && existsSync(canaryFile) ? 1 : 0, leaks.length === 0 && existsSync(canaryFile) ? 0 : 1);
  rmSync(ws, { recursive: true, force: true });
  // A failed run keeps VS Code's data (the extension's log is in user/logs/) for inspection.
  if (c && c.failed === 0) rmSync(dataDir, { recursive: true, force: true });
  else console.log(`  kept VS Code's data for inspection: ${dataDir}`);

  banner('integration tests inside VS Code (Restricted Mode)');
  const ws2 = freshWorkspace();
  const r2 = await run(process.execPath, ['test/harness/run-integration.mjs', '--trust', '--folder', ws2, '--results', '.test-output/restricted-results.json'], {
    capture: true,
    env: { ML_SECRETS_TEST_GREP: '^restricted mode' },
  });
  const c2 = counts(r2.out);
  record('restricted mode', c2?.passed ?? 0, c2 ? c2.failed : 1, c2?.skipped ?? 0);
  rmSync(ws2, { recursive: true, force: true });

  banner('the sandbox demo: `ml-secrets check` and the editor side by side (multi-root workspace)');
  const r3 = await sandboxDemo();
  const c3 = counts(r3.out);
  record('sandbox demo', c3?.passed ?? 0, c3 ? c3.failed : 1, c3?.skipped ?? 0);
}

/**
 * The `npm start` demo (its emulators, connections and multi-root workspace), with the demo logins also
 * given as platform CLI environment variables: the suite compares `ml-secrets check` with the editor.
 */
async function sandboxDemo() {
  const { startDemoPlatforms, writeDemoLeaks } = createRequire(import.meta.url)(join(repo, 'out', 'test', 'emulators', 'demo.js'));
  const demo = await startDemoPlatforms();
  const ws = freshWorkspace();
  writeDemoLeaks(ws);
  const secrets = mkdtempSync(join(tmpdir(), 'ml-secrets-demo-'));
  try {
    const home = join(secrets, 'home');
    mkdirSync(home);
    const connections = join(secrets, 'connections.json');
    writeFileSync(connections, JSON.stringify(demo.connections), { mode: 0o600 });
    const cliEnv = join(secrets, 'cli-env.json');
    writeFileSync(cliEnv, JSON.stringify({ ...demo.cliEnv, HOME: home }), { mode: 0o600 });
    return await run(process.execPath, ['test/harness/run-integration.mjs', '--folder', join(ws, 'demo.code-workspace'), '--results', '.test-output/sandbox-demo-results.json'], {
      capture: true,
      env: { ML_SECRETS_TEST_GREP: '^sandbox demo', ML_SECRETS_SANDBOX: connections, ML_SECRETS_DEMO_CLI_ENV: cliEnv },
    });
  } finally {
    await demo.close();
    rmSync(ws, { recursive: true, force: true });
    rmSync(secrets, { recursive: true, force: true });
  }
}

if (envReady && want('ui')) {
  // Every test/ui/*.test.mjs, one after another (each runs its own sandbox and VS Code).
  for (const f of readdirSync(join(repo, 'test', 'ui')).filter((n) => n.endsWith('.test.mjs')).sort()) {
    banner(`UI tests: ${f} (Playwright + screenshots)`);
    const { out } = await run(process.execPath, [join('test', 'ui', f)], { capture: true });
    const c = counts(out);
    record(`ui ${f}`, c?.passed ?? 0, c ? c.failed : 1, c?.skipped ?? 0);
  }
  // The README's and the walkthrough's pictures, from these screenshots (never stale).
  const { makePictures } = await import('./pictures.mjs');
  const made = await makePictures({ log: () => undefined }).catch((e) => (console.log(`  pictures: ${e instanceof Error ? e.message : String(e)}`), 0));
  console.log(`  pictures: ${made} made from the UI screenshots (media/readme/, media/walkthrough/)`);
}

finish();

function finish() {
  console.log('\n=== summary ===');
  for (const s of stages) console.log(`  ${s}`);
  console.log(`${totals.passed} passed, ${totals.failed} failed${totals.skipped ? `, ${totals.skipped} skipped` : ''}`);
  process.exit(totals.failed === 0 && totals.passed > 0 ? 0 : 1);
}
