// `ml-secrets check [paths…]`: the editor's checks from the command line (CI, pre-commit), in plain
// Node, with the same pure core. Exit codes: 0 clean; 1 a missing secret or key, a malformed
// reference or (--plaintext) a token in plain text; 2 a usage or config error; 3 a list could not be
// fetched and nothing else failed.

import * as os from 'node:os';
import * as path from 'node:path';
import { describeError } from '../core/errors';
import { HttpClient } from '../core/http/httpClient';
import { runCheck } from './check';
import { ConfigError, readConfig } from './config';
import { loadConnections } from './connections';
import { findFiles, repoRoot } from './files';
import { FAILING, Format, render, summaryOf } from './output';
import { scanPlaintext } from './plaintext';

const VERSION = '0.1.0';

export const USAGE = `Usage: ml-secrets check [paths…] [--format text|json|sarif] [--offline] [--plaintext]

Checks the secret references in the job files under the paths (default: .) against your platforms'
secret lists, using your platform CLIs' logins (environment and home dir) and the repository's
.ml-secrets.json folder bindings.
  --format     text (default), json or sarif (SARIF 2.1.0)
  --offline    check only the references' syntax; no network
  --plaintext  also find tokens written in plain text (Hugging Face, W&B, OpenAI, Anthropic, AWS,
               GitHub, Databricks, ZenML, …) in the job files, .env files and notebooks, those
               .gitignore ignores included: each is a plaintext-secret warning (shown masked) and
               fails the check like a missing secret (exit 1)
Exit codes: 0 clean, 1 findings (a missing secret or key, a malformed reference, a plaintext token),
2 usage or config error, 3 a secret list could not be fetched.`;

export interface CliIo {
  cwd: string;
  env: Record<string, string | undefined>;
  home: string;
  out: (s: string) => void;
  err: (s: string) => void;
  http?: HttpClient;
}

interface Args {
  paths: string[];
  format: Format;
  offline: boolean;
  plaintext: boolean;
}

class UsageError extends Error {}

function parseArgs(argv: readonly string[]): Args | 'help' {
  const [cmd, ...rest] = argv;
  if (!cmd || cmd === '--help' || cmd === '-h' || cmd === 'help') return 'help';
  if (cmd !== 'check') throw new UsageError(`Unknown command '${cmd}'.`);
  const a: Args = { paths: [], format: 'text', offline: false, plaintext: false };
  for (let i = 0; i < rest.length; i++) {
    const x = rest[i];
    if (x === '--help' || x === '-h') return 'help';
    else if (x === '--offline') a.offline = true;
    else if (x === '--plaintext') a.plaintext = true;
    else if (x === '--format' || x.startsWith('--format=')) {
      const v = x === '--format' ? rest[++i] : x.slice('--format='.length);
      if (v !== 'text' && v !== 'json' && v !== 'sarif') throw new UsageError(`--format must be text, json or sarif (got '${v ?? ''}').`);
      a.format = v;
    } else if (x.startsWith('-')) throw new UsageError(`Unknown option '${x}'.`);
    else a.paths.push(x);
  }
  if (!a.paths.length) a.paths.push('.');
  return a;
}

async function check(a: Args, io: CliIo): Promise<number> {
  const started = Date.now();
  const root = await repoRoot(io.cwd);
  const bindings = await readConfig(root);
  const found = await findFiles(root, a.paths.map((p) => path.resolve(io.cwd, p)), a.plaintext);
  const files = found.filter((f) => f.job).map((f) => f.abs);
  const http = io.http ?? new HttpClient({ userAgent: `ml-secrets-cli/${VERSION}` });
  const conns = a.offline ? { connections: [], notes: [], failed: [] } : await loadConnections(http, io.env, io.home, bindings);
  for (const n of conns.notes) io.err(`note: ${n}`);
  for (const n of conns.failed) io.err(`could not sign in: ${n}`);
  const r = await runCheck({ cwd: io.cwd, root, files, bindings, connections: conns.connections, offline: a.offline });
  if (a.plaintext) {
    const p = await scanPlaintext(found, io.cwd);
    r.files = Math.max(r.files, p.files);
    r.findings = [...r.findings, ...p.findings].sort((x, y) => (x.path < y.path ? -1 : x.path > y.path ? 1 : x.line - y.line || x.column - y.column));
  }
  const s = summaryOf(r, Date.now() - started);
  io.out(render(a.format, r, s, VERSION, a.plaintext));
  if (r.findings.some((f) => f.finding.code && FAILING.includes(f.finding.code))) return 1;
  // A login that failed left its references unverified: that is a failed fetch too.
  const unverified = r.findings.some((f) => f.finding.code === 'secret-unverified');
  if (r.failures.length || (unverified && conns.failed.length)) {
    if (a.format !== 'text') for (const f of r.failures) io.err(`Could not fetch the list of ${f.scope} (connection '${f.connection}'): ${f.reason}`);
    return 3;
  }
  return 0;
}

/** Runs the command line; resolves to the exit code. */
export async function main(argv: readonly string[], io: CliIo): Promise<number> {
  try {
    const a = parseArgs(argv);
    if (a === 'help') {
      io.out(USAGE);
      return 0;
    }
    return await check(a, io);
  } catch (e) {
    if (e instanceof UsageError) {
      io.err(`ml-secrets: ${e.message}\n\n${USAGE}`);
      return 2;
    }
    if (e instanceof ConfigError || (e as NodeJS.ErrnoException)?.code === 'ENOENT') {
      io.err(`ml-secrets: ${e instanceof ConfigError ? e.message : describeError(e)}`);
      return 2;
    }
    io.err(`ml-secrets: ${describeError(e)}`);
    return 2;
  }
}

/** The launcher's entry (bin/ml-secrets.js). */
export function run(): void {
  const io: CliIo = { cwd: process.cwd(), env: process.env, home: os.homedir(), out: (s) => process.stdout.write(`${s}\n`), err: (s) => process.stderr.write(`${s}\n`) };
  void main(process.argv.slice(2), io).then((code) => {
    process.exitCode = code;
  });
}
