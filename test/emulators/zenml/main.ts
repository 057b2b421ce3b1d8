/**
 * CLI: `node out/test/emulators/zenml/main.js [--port N] [--no-seed] [--mode spec|zenml]
 *       [--token-ttl SECONDS] [--server-version V]`
 * Starts a seeded ZenML emulator and prints one JSON line {url, users, apiKeys} to stdout
 * (users: name → {id, password}; apiKeys: name → ZENKEY_...). Stops on SIGINT / SIGTERM.
 */
import { parseArgs, runMain, serve, usageError } from '../common/cli';
import { startZenmlEmulator, ZenmlEmulatorMode } from './server';

async function main(argv: string[]): Promise<void> {
  let mode: ZenmlEmulatorMode = 'spec';
  let tokenTtlSeconds: number | undefined;
  let serverVersion: string | undefined;
  const { port, seed } = parseArgs(argv, (a, value) => {
    if (a === '--mode') mode = value() as ZenmlEmulatorMode;
    else if (a === '--token-ttl') tokenTtlSeconds = Number(value());
    else if (a === '--server-version') serverVersion = value();
    else return false;
    return true;
  });
  if (mode !== 'spec' && mode !== 'zenml') usageError('--mode must be spec or zenml');
  if (tokenTtlSeconds !== undefined && !(tokenTtlSeconds > 0)) usageError('--token-ttl must be a positive number');
  const emu = await startZenmlEmulator({ port, seed, mode, tokenTtlSeconds, serverVersion });
  serve(emu, { url: emu.url, users: emu.users, apiKeys: emu.apiKeys });
}

runMain(main);
