/**
 * CLI: `node out/test/emulators/mosaic/main.js [--port N] [--no-seed] [--path /graphql]
 *       [--users alice,bob] [--auth-failure-status 200]`
 * Starts a (by default seeded) MosaicML MAPI emulator and prints one JSON line
 * {url, endpoint, apiKeys, bearerTokens} to stdout. Stops on SIGINT / SIGTERM.
 */
import { startMosaicEmulator } from './server';

async function main(argv: string[]): Promise<void> {
  let port = 0;
  let seed = true;
  let path: string | undefined;
  let users: string[] | undefined;
  let authFailureStatus: number | undefined;
  const value = (i: number, a: string): string => {
    const v = argv[i];
    if (v === undefined) {
      process.stderr.write(`${a} needs a value\n`);
      process.exit(2);
    }
    return v;
  };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    if (a === '--port') port = Number(value(++i, a));
    else if (a.startsWith('--port=')) port = Number(a.slice('--port='.length));
    else if (a === '--no-seed') seed = false;
    else if (a === '--path') path = value(++i, a);
    else if (a === '--users') users = value(++i, a).split(',').map((u) => u.trim()).filter(Boolean);
    else if (a === '--auth-failure-status') authFailureStatus = Number(value(++i, a));
    else {
      process.stderr.write(`unknown argument: ${a}\n`);
      process.exit(2);
    }
  }
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    process.stderr.write('--port must be an integer 0..65535\n');
    process.exit(2);
  }
  if (path !== undefined && !path.startsWith('/')) {
    process.stderr.write('--path must start with /\n');
    process.exit(2);
  }
  if (users !== undefined && users.length === 0) {
    process.stderr.write('--users needs at least one name\n');
    process.exit(2);
  }
  if (authFailureStatus !== undefined && !(Number.isInteger(authFailureStatus) && authFailureStatus >= 200 && authFailureStatus <= 599)) {
    process.stderr.write('--auth-failure-status must be an HTTP status 200..599\n');
    process.exit(2);
  }
  const emu = await startMosaicEmulator({ port, seed, path, users, authFailureStatus });
  process.stdout.write(JSON.stringify({ url: emu.url, endpoint: emu.endpoint, apiKeys: emu.apiKeys, bearerTokens: emu.bearerTokens }) + '\n');
  let stopping = false;
  const stop = (): void => {
    if (stopping) return;
    stopping = true;
    emu.close().then(
      () => process.exit(0),
      () => process.exit(1),
    );
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}

main(process.argv.slice(2)).catch((e: unknown) => {
  process.stderr.write(`${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
  process.exit(1);
});
