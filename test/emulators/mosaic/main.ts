/**
 * CLI: `node out/test/emulators/mosaic/main.js [--port N] [--no-seed] [--path /graphql]
 *       [--users alice,bob] [--auth-failure-status 200]`
 * Starts a (by default seeded) MosaicML MAPI emulator and prints one JSON line
 * {url, endpoint, apiKeys, bearerTokens} to stdout. Stops on SIGINT / SIGTERM.
 */
import { parseArgs, runMain, serve, usageError } from '../common/cli';
import { startMosaicEmulator } from './server';

async function main(argv: string[]): Promise<void> {
  let path: string | undefined;
  let users: string[] | undefined;
  let authFailureStatus: number | undefined;
  const { port, seed } = parseArgs(argv, (a, value) => {
    if (a === '--path') path = value();
    else if (a === '--users') users = value().split(',').map((u) => u.trim()).filter(Boolean);
    else if (a === '--auth-failure-status') authFailureStatus = Number(value());
    else return false;
    return true;
  });
  if (path !== undefined && !path.startsWith('/')) usageError('--path must start with /');
  if (users !== undefined && users.length === 0) usageError('--users needs at least one name');
  if (authFailureStatus !== undefined && !(Number.isInteger(authFailureStatus) && authFailureStatus >= 200 && authFailureStatus <= 599)) {
    usageError('--auth-failure-status must be an HTTP status 200..599');
  }
  const emu = await startMosaicEmulator({ port, seed, path, users, authFailureStatus });
  serve(emu, { url: emu.url, endpoint: emu.endpoint, apiKeys: emu.apiKeys, bearerTokens: emu.bearerTokens });
}

runMain(main);
