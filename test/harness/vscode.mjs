// Launches a REAL VS Code offline: the VS Code server build from the npm package code-server (run with
// Node 24), and its web workbench in Debian's Chromium driven by playwright-core. See
// /work/shared/docs/vscode-testing.md and scripts/env.mjs (which installs all of it on first use).
//
//   startServer({ dataDir, trust, env, port, settings, extensions, smokeTestDriver, log })          -> { port, url, dataDir, logFile, stop() }
//   openWorkbench({ server, folder, extensionDevelopmentPath, extensionTestsPath, headless, viewport, log })
//                                                                        -> { browser, context, page, url, exitCode, close() }
//   runExtensionTests({ folder, extensionDevelopmentPath, extensionTestsPath, env, timeoutMs, dataDir, trust, log })
//                                                                        -> { exitCode }
//
// Workspace trust (`trust` option of startServer / runExtensionTests):
//   trust: false (default)  -> the server gets --disable-workspace-trust: VS Code's Workspace Trust feature is
//                              off, every folder is trusted, nothing asks. What ordinary tests want.
//   trust: true             -> the Workspace Trust feature is ON: a folder not yet trusted opens in
//                              Restricted Mode (vscode.workspace.isTrusted === false). The startup trust prompt
//                              is turned off in the user settings, so no modal dialog blocks the page.
//                              Use it for tests of Restricted Mode.
//
// Everything is bounded: the server must answer HTTP within 60 s, the suite must finish within timeoutMs,
// and stop()/close() kill the server's whole process group (the server runs in a process group of its own,
// so the extension host and its children go too). All listening and browsing is on 127.0.0.1 only.
import { spawn } from 'node:child_process';
import { createWriteStream, mkdirSync, mkdtempSync, lstatSync, readdirSync, rmSync, symlinkSync, unlinkSync, writeFileSync, existsSync, readFileSync } from 'node:fs';
import { request } from 'node:http';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { ensureEnv } from '../../scripts/env.mjs';

const HOST = '127.0.0.1';
const SERVER_START_TIMEOUT_MS = 60_000;
const STOP_GRACE_MS = 5_000;
const DEFAULT_VIEWPORT = { width: 1400, height: 900 };

/** User settings written for every server: quiet, deterministic workbench. Overridable via `settings`. */
export const DEFAULT_USER_SETTINGS = {
  // Every lens, as before the setting existed: the suites read ✓ lenses (the extension's default is `problems`).
  'mlSecrets.codeLens.show': 'all',
  'workbench.startupEditor': 'none',
  'workbench.tips.enabled': false,
  'workbench.enableExperiments': false,
  'workbench.welcomePage.walkthroughs.openOnInstall': false,
  'workbench.secondarySideBar.defaultVisibility': 'hidden',
  'chat.disableAIFeatures': true,
  'chat.commandCenter.enabled': false,
  'telemetry.telemetryLevel': 'off',
  'update.mode': 'none',
  'extensions.autoCheckUpdates': false,
  'extensions.autoUpdate': false,
  'extensions.ignoreRecommendations': true,
  'git.enabled': false,
  'security.workspace.trust.startupPrompt': 'never',
  'security.workspace.trust.banner': 'never',
  'window.confirmBeforeClose': 'never',
};

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

// ------------------------------------------------------------ process bookkeeping

/** Process groups of servers still running -> temp folders to remove; all done synchronously if this
 *  process exits (or is interrupted) before stop() was called. */
const liveGroups = new Map();
let hooksInstalled = false;
function emergencyCleanup() {
  for (const [pgid, dirs] of liveGroups) {
    killGroup(pgid, 'SIGKILL');
    for (const d of dirs) rmSync(d, { recursive: true, force: true, maxRetries: 3 });
  }
  liveGroups.clear();
}
function installExitHooks() {
  if (hooksInstalled) return;
  hooksInstalled = true;
  process.on('exit', emergencyCleanup);
  for (const sig of ['SIGINT', 'SIGTERM', 'SIGHUP']) {
    process.once(sig, () => {
      emergencyCleanup();
      process.exit(128 + ({ SIGINT: 2, SIGTERM: 15, SIGHUP: 1 }[sig] ?? 0));
    });
  }
}

function killGroup(pgid, signal) {
  try {
    process.kill(-pgid, signal);
    return true;
  } catch {
    return false; // group already gone
  }
}

function groupAlive(pgid) {
  try {
    process.kill(-pgid, 0);
    return true;
  } catch (e) {
    return e.code === 'EPERM';
  }
}

// ------------------------------------------------------------ helpers

export function freePort() {
  return new Promise((resolveP, reject) => {
    const srv = createServer();
    srv.unref();
    srv.on('error', reject);
    srv.listen(0, HOST, () => {
      const { port } = srv.address();
      srv.close(() => resolveP(port));
    });
  });
}

function httpAnswers(url, timeoutMs = 2000) {
  return new Promise((resolveP) => {
    const req = request(url, { method: 'GET', timeout: timeoutMs }, (res) => {
      res.resume();
      resolveP(res.statusCode > 0);
    });
    req.on('timeout', () => req.destroy());
    req.on('error', () => resolveP(false));
    req.end();
  });
}

/** `vscode-remote://127.0.0.1:PORT/abs/path` for a path on this machine. */
export function remoteUri(server, absPath) {
  const p = resolve(absPath);
  return `vscode-remote://${HOST}:${server.port}${p.split('/').map(encodeURIComponent).join('/')}`;
}

// ------------------------------------------------------------ server

/**
 * Starts the VS Code server (server-main.js from code-server's VS Code) on 127.0.0.1.
 * @param {object} o
 * @param {string} [o.dataDir]   folder for server/user/extension data; a fresh temp folder if omitted
 *                               (removed by stop())
 * @param {boolean} [o.trust=false]  true: Workspace Trust feature ON (folders open in Restricted Mode);
 *                               false: --disable-workspace-trust (everything trusted). See top of file.
 * @param {Record<string,string>} [o.env]  merged into the server's environment; the extension host it forks
 *                               inherits it (process.env in extensions and tests)
 * @param {number} [o.port=0]    0: pick a free port
 * @param {object} [o.settings]  extra user settings (merged over DEFAULT_USER_SETTINGS)
 * @param {(msg:string)=>void} [o.log]  harness messages (default: stderr)
 * @param {boolean} [o.echo=false]  also copy the server's own output to stderr (it always goes to logFile)
 * @param {string[]} [o.extensions]  extension folders installed (linked) into the server's extensions dir:
 *                               loaded by any workbench, without the URL payload
 * @param {boolean} [o.smokeTestDriver=false]  --enable-smoke-test-driver: needed only by runExtensionTests
 *                               (a built workbench honours the payload's extensionDevelopmentPath /
 *                               extensionTestsPath only with it); it also hides notification toasts
 * @returns {Promise<{port:number, url:string, dataDir:string, logFile:string, stop:()=>Promise<void>}>}
 */
export async function startServer(opts = {}) {
  const log = opts.log ?? ((m) => console.error(m));
  const { node24, serverMain } = await ensureEnv({ log });
  const ownDataDir = !opts.dataDir;
  const dataDir = resolve(opts.dataDir ?? mkdtempSync(join(tmpdir(), 'ml-secrets-vscode-')));
  for (const d of ['server', 'user/User', 'ext']) mkdirSync(join(dataDir, d), { recursive: true });
  // Defaults < what a kept dataDir's settings.json already says (e.g. changed in the UI) < opts.settings.
  const settingsFile = join(dataDir, 'user', 'User', 'settings.json');
  let existing = {};
  try {
    existing = JSON.parse(readFileSync(settingsFile, 'utf8'));
  } catch {}
  writeFileSync(settingsFile, JSON.stringify({ ...DEFAULT_USER_SETTINGS, ...existing, ...opts.settings }, null, 2) + '\n');
  for (const ext of opts.extensions ?? []) installLinked(dataDir, ext);
  // A port picked here may be taken by someone else before the server binds it: then pick another.
  for (let attempt = 1; ; attempt++) {
    try {
      return await launchServer({ ...opts, log, node24, serverMain, dataDir, ownDataDir, port: opts.port || (await freePort()) });
    } catch (e) {
      if (opts.port || attempt >= 3 || !/EADDRINUSE/.test(e.message)) {
        if (ownDataDir) rmSync(dataDir, { recursive: true, force: true });
        throw e;
      }
    }
  }
}

/**
 * Installs an extension folder into the server's extensions dir as a symbolic link (named as VS Code
 * names installed extensions: publisher.name-version), so the workbench loads it like any installed
 * extension, without the smoke-test driver's URL payload. The scanned-manifest cache is dropped, so
 * a kept dataDir picks up an edited package.json.
 */
function installLinked(dataDir, extPath) {
  const abs = resolve(extPath);
  const pkg = JSON.parse(readFileSync(join(abs, 'package.json'), 'utf8'));
  const extDir = join(dataDir, 'ext');
  const prefix = `${pkg.publisher}.${pkg.name}-`.toLowerCase();
  for (const f of readdirSync(extDir)) {
    if (!f.toLowerCase().startsWith(prefix)) continue;
    const p = join(extDir, f);
    if (lstatSync(p).isSymbolicLink()) unlinkSync(p); // never follow the link into the extension's folder
    else rmSync(p, { recursive: true, force: true }); // an installed copy inside this extensions dir
  }
  rmSync(join(extDir, 'extensions.json'), { force: true });
  rmSync(join(dataDir, 'user', 'CachedProfilesData'), { recursive: true, force: true });
  symlinkSync(abs, join(extDir, `${pkg.publisher}.${pkg.name}-${pkg.version}`), 'dir');
}

async function launchServer({ node24, serverMain, dataDir, ownDataDir, port, trust = false, smokeTestDriver = false, env = {}, echo = false, log }) {
  const args = [
    serverMain,
    '--host', HOST,
    '--port', String(port),
    '--without-connection-token',
    '--accept-server-license-terms',
    '--disable-telemetry',
    '--server-data-dir', join(dataDir, 'server'),
    '--user-data-dir', join(dataDir, 'user'),
    '--extensions-dir', join(dataDir, 'ext'),
  ];
  if (!trust) args.push('--disable-workspace-trust');
  // The smoke-test driver is for extension tests only: it is what makes a built workbench honour the
  // URL payload's extensionDevelopmentPath / extensionTestsPath, but it also suppresses every
  // notification toast (they only go to the Notification Center) — not what a person should see.
  if (smokeTestDriver) args.push('--enable-smoke-test-driver');

  const logFile = join(dataDir, 'server.log');
  const out = createWriteStream(logFile, { flags: 'a' });
  // The server and the extension host get a TMPDIR of their own (short path: it holds unix sockets), so the
  // vscode-ipc-*.sock files and the like that they leave behind go away with it.
  const serverTmp = mkdtempSync(join(tmpdir(), 'mls-tmp-'));
  installExitHooks();
  const child = spawn(node24, args, {
    cwd: dataDir,
    env: {
      ...process.env,
      // No extension gallery: this machine cannot reach one, and the workbench would keep asking.
      EXTENSIONS_GALLERY: '{}',
      TMPDIR: serverTmp,
      ...env,
      VSCODE_CLI: undefined,
      ELECTRON_RUN_AS_NODE: undefined,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: true, // own process group: stop() kills server + extension host + their children together
  });
  const pgid = child.pid;
  liveGroups.set(pgid, ownDataDir ? [serverTmp, dataDir] : [serverTmp]);
  for (const s of [child.stdout, child.stderr]) {
    s.on('data', (d) => {
      out.write(d);
      if (echo) process.stderr.write(d);
    });
  }
  let exited = null;
  const exitP = new Promise((r) =>
    child.on('exit', (code, signal) => {
      exited = signal ?? code;
      r();
    }),
  );
  child.on('error', (e) => {
    exited = e.message;
  });

  let stopped = false;
  let started = false;
  async function stop() {
    if (stopped) return;
    stopped = true;
    killGroup(pgid, 'SIGTERM');
    const deadline = Date.now() + STOP_GRACE_MS;
    while (Date.now() < deadline && (exited === null || groupAlive(pgid))) await sleep(100);
    if (groupAlive(pgid)) killGroup(pgid, 'SIGKILL');
    await Promise.race([exitP, sleep(2000)]);
    liveGroups.delete(pgid);
    await new Promise((r) => out.end(r));
    rmSync(serverTmp, { recursive: true, force: true, maxRetries: 3 });
    if (ownDataDir && started) rmSync(dataDir, { recursive: true, force: true });
  }

  const url = `http://${HOST}:${port}/`;
  const deadline = Date.now() + SERVER_START_TIMEOUT_MS;
  for (;;) {
    if (exited !== null) {
      await stop();
      const tail = existsSync(logFile) ? readFileSync(logFile, 'utf8').slice(-3000) : '';
      rmSync(logFile, { force: true });
      throw new Error(`VS Code server exited (${exited}) before answering on ${url}\n${tail}`);
    }
    if (await httpAnswers(url)) break;
    if (Date.now() > deadline) {
      await stop();
      const tail = existsSync(logFile) ? readFileSync(logFile, 'utf8').slice(-3000) : '';
      throw new Error(`VS Code server did not answer on ${url} within ${SERVER_START_TIMEOUT_MS / 1000} s\n${tail}`);
    }
    await sleep(200);
  }
  started = true;
  log(`[vscode] server ready on ${url} (data: ${dataDir})`);
  return { port, url, dataDir, logFile, stop };
}

// ------------------------------------------------------------ workbench

/**
 * Opens the workbench of a running server in Chromium.
 * @param {object} o
 * @param {{port:number}} o.server            what startServer returned
 * @param {string} [o.folder]                 absolute path of the folder to open
 * @param {string} [o.extensionDevelopmentPath]  absolute path of the extension to load (honoured only by a
 *                                            server started with smokeTestDriver; else use startServer's
 *                                            `extensions`)
 * @param {string} [o.openFile]               absolute path of a file to open in the editor at startup
 * @param {string} [o.extensionTestsPath]     absolute path of a module exporting run(); the workbench then
 *                                            calls window.codeAutomationExit(code) when run() settles
 * @param {boolean} [o.headless=true]
 * @param {{width:number,height:number}} [o.viewport]
 * @param {(msg:string)=>void} [o.log]        harness messages (default: stderr)
 * @param {(line:string)=>void} [o.onExtensionHostOutput]  console output of the extension host (and of the
 *                                            tests) as forwarded to the page; default: printed to stdout
 * @param {boolean} [o.echoBrowserErrors=false]  also print the page's unexpected console errors to log
 * @param {string} [o.consoleLogFile]         every console message of the page is appended here
 *                                            (default: <server.dataDir>/browser-console.log)
 * @returns {Promise<{browser, context, page, url:string, exitCode:Promise<number>, close:()=>Promise<void>}>}
 */
export async function openWorkbench({
  server,
  folder,
  extensionDevelopmentPath,
  extensionTestsPath,
  openFile,
  headless = true,
  viewport = DEFAULT_VIEWPORT,
  log = (m) => console.error(m),
  onExtensionHostOutput = (line) => console.log(line),
  echoBrowserErrors = false,
  consoleLogFile,
}) {
  const { chromium: chromiumPath } = await ensureEnv({ log });
  const { chromium } = await import('playwright-core');
  // Playwright gives every launch() a fresh, temporary --user-data-dir of its own and deletes it on close.
  const browser = await chromium.launch({
    executablePath: chromiumPath,
    headless,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--no-first-run',
      '--disable-quic',
      '--disable-dev-shm-usage',
    ],
    timeout: 60_000,
  });
  let closed = false;
  const closers = [];
  const close = async () => {
    if (closed) return;
    closed = true;
    await Promise.race([browser.close().catch(() => {}), sleep(10_000)]);
    for (const c of closers) await c();
  };
  try {
    const context = await browser.newContext({ viewport });
    const page = await context.newPage();
    let resolveExit;
    const exitCode = new Promise((r) => (resolveExit = r));
    await page.exposeFunction('codeAutomationExit', (code) => {
      resolveExit(typeof code === 'number' ? code : Number(code) || 0);
    });
    const consoleLog = consoleLogFile ?? (server.dataDir ? join(server.dataDir, 'browser-console.log') : null);
    const consoleOut = consoleLog ? createWriteStream(consoleLog, { flags: 'a' }) : null;
    closers.push(() => new Promise((r) => (consoleOut ? consoleOut.end(r) : r())));
    page.on('console', (msg) => {
      const text = msg.text();
      consoleOut?.write(`[${msg.type()}] ${text}\n`);
      const line = extensionHostLine(text);
      if (line !== null) onExtensionHostOutput(line);
      else if (echoBrowserErrors && msg.type() === 'error' && !BROWSER_NOISE.test(text)) log(`[browser] ${text.slice(0, 2000)}`);
    });
    page.on('pageerror', (err) => {
      consoleOut?.write(`[pageerror] ${err.stack || err.message}\n`);
      if (echoBrowserErrors) log(`[browser] page error: ${err.message}`);
    });

    const payload = [];
    if (extensionDevelopmentPath) payload.push(['extensionDevelopmentPath', remoteUri(server, extensionDevelopmentPath)]);
    if (extensionTestsPath) payload.push(['extensionTestsPath', remoteUri(server, extensionTestsPath)]);
    if (openFile) payload.push(['openFile', remoteUri(server, openFile)]);
    const params = new URLSearchParams();
    // A *.code-workspace file opens as a (multi-root) workspace, anything else as a folder.
    if (folder) params.set(folder.endsWith('.code-workspace') ? 'workspace' : 'folder', resolve(folder));
    if (payload.length) params.set('payload', JSON.stringify(payload));
    const url = `http://${HOST}:${server.port}/?${params}`;
    await page.goto(url, { waitUntil: 'domcontentloaded', timeout: 60_000 });
    return { browser, context, page, url, exitCode, close };
  } catch (e) {
    await close();
    throw e;
  }
}

/** Workbench log lines that say nothing about the extension or its tests. */
const WORKBENCH_NOISE =
  /^(Resolving connection token|Resolved connection token|Creating a socket|\[reconnection-grace-time\]|Ignoring fetching additional builtin extensions|Updating additional builtin extensions cache|\[AgentHost|\[AccountPolicyGate\]|\[Service Worker\]|Started local extension host|Extension host \(|\[Extension Host\] ?$|Canceled\b|No search provider registered)|ENOTFOUND|ERR_NAME_NOT_RESOLVED/;
/** Browser console errors that are expected in this setup (missing optional server endpoints). */
const BROWSER_NOISE = /Failed to load resource|ServiceWorker|bad HTTP response code|ENOTFOUND|ERR_NAME_NOT_RESOLVED/;

/**
 * The text of a console message when it is (or may be) output of the extension host, else null.
 * - Without extensionTestsPath the extension host's console arrives as "%c[Extension Host] %c<text> %c(at …)".
 * - In extension-test mode VS Code sends it through its log service: "%c INFO color: #33f <text>" (WARN, ERR
 *   likewise) — the same channel as the workbench's own log lines, so known workbench chatter is dropped.
 */
export function extensionHostLine(text) {
  let m = /^%c\[Extension Host\] %c([\s\S]*?)(?: %c\(at [^)]*\))?$/.exec(text);
  if (m) return m[1];
  m = /^%c\s*(TRACE|DEBUG|INFO|WARN|ERR) color: #[0-9a-fA-F]+ ([\s\S]*)$/.exec(text);
  if (!m || WORKBENCH_NOISE.test(m[2])) return null;
  return m[1] === 'INFO' ? m[2] : `${m[1]} ${m[2]}`;
}

/** Waits until the workbench has rendered (activity bar visible); throws after timeoutMs. */
export async function waitForWorkbench(page, timeoutMs = 60_000) {
  await page.waitForSelector('.monaco-workbench .part.activitybar', { state: 'visible', timeout: timeoutMs });
}

// ------------------------------------------------------------ extension tests

/**
 * Runs an extension test module (exports run(): Promise<void>) inside a real VS Code, as
 * @vscode/test-electron's runTests does, and returns its exit code (0 passed, non-zero failed).
 * @param {object} o
 * @param {string} o.extensionDevelopmentPath
 * @param {string} o.extensionTestsPath
 * @param {string} [o.folder]           folder to open (absolute path)
 * @param {Record<string,string>} [o.env]  extra environment for the server and so the extension host
 * @param {number} [o.timeoutMs=300000]
 * @param {string} [o.dataDir]          kept afterwards if given; otherwise a temp folder, removed when the
 *                                      suite passed and kept (its path is logged) when it failed
 * @param {boolean} [o.trust=false]     see top of file
 * @param {object} [o.settings]         extra user settings
 * @param {string} [o.screenshotOnFailure]  path of a PNG to take when the suite fails or times out
 * @param {(msg:string)=>void} [o.log]
 * @returns {Promise<{exitCode:number}>}
 */
export async function runExtensionTests({
  folder,
  extensionDevelopmentPath,
  extensionTestsPath,
  env = {},
  timeoutMs = 300_000,
  dataDir,
  trust = false,
  settings,
  screenshotOnFailure,
  headless = true,
  log = (m) => console.error(m),
  onExtensionHostOutput,
}) {
  if (!extensionDevelopmentPath || !extensionTestsPath) throw new Error('extensionDevelopmentPath and extensionTestsPath are required');
  if (!existsSync(extensionTestsPath)) throw new Error(`no such test module: ${extensionTestsPath}`);
  const started = Date.now();
  const tempDataDir = dataDir ? null : mkdtempSync(join(tmpdir(), 'ml-secrets-vscode-'));
  const server = await startServer({ dataDir: dataDir ?? tempDataDir, trust, env, settings, smokeTestDriver: true, log });
  let wb;
  let timer;
  let exitCode = 1;
  try {
    wb = await openWorkbench({
      server,
      folder,
      extensionDevelopmentPath,
      extensionTestsPath,
      headless,
      log,
      ...(onExtensionHostOutput ? { onExtensionHostOutput } : {}),
    });
    const timeout = new Promise((r) => {
      timer = setTimeout(() => r('timeout'), Math.max(0, timeoutMs - (Date.now() - started)));
    });
    const result = await Promise.race([wb.exitCode, timeout]);
    if (result === 'timeout') {
      log(
        `[vscode] TIMEOUT: the extension tests did not finish within ${Math.round(timeoutMs / 1000)} s ` +
          `(window.codeAutomationExit was never called). Server log: ${server.logFile}`,
      );
      exitCode = 1;
    } else {
      exitCode = result;
      log(`[vscode] extension tests exited with code ${exitCode} after ${((Date.now() - started) / 1000).toFixed(1)} s`);
    }
    if (exitCode !== 0 && screenshotOnFailure) {
      try {
        mkdirSync(join(screenshotOnFailure, '..'), { recursive: true });
        await wb.page.screenshot({ path: screenshotOnFailure, timeout: 10_000 });
        log(`[vscode] screenshot: ${screenshotOnFailure}`);
      } catch {}
    }
    return { exitCode };
  } finally {
    clearTimeout(timer);
    await wb?.close();
    await server.stop();
    if (tempDataDir && exitCode === 0) rmSync(tempDataDir, { recursive: true, force: true });
    else if (tempDataDir) log(`[vscode] kept VS Code's data for inspection: ${tempDataDir} (server.log, browser-console.log, user/logs/)`);
  }
}
