/**
 * CLI: `node out/test/emulators/zenml/main.js [--port N] [--no-seed] [--mode spec|zenml]
 *       [--token-ttl SECONDS] [--server-version V]`
 * Starts a seeded ZenML emulator and prints one JSON line {url, users, apiKeys} to stdout
 * (users: name → {id, password}; apiKeys: name → ZENKEY_...). Stops on SIGINT / SIGTERM.
 */
import { startZenmlEmulator, ZenmlEmulatorMode } from './server';

async function main(argv: string[]): Promise<void> {
  let port = 0;
  let seed = true;
  let mode: ZenmlEmulatorMode = 'spec';
  let tokenTtlSeconds: number | undefined;
  let serverVersion: string | undefined;
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
    else if (a === '--mode') mode = value(++i, a) as ZenmlEmulatorMode;
    else if (a === '--token-ttl') tokenTtlSeconds = Number(value(++i, a));
    else if (a === '--server-version') serverVersion = value(++i, a);
    else {
      process.stderr.write(`unknown argument: ${a}\n`);
      process.exit(2);
    }
  }
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    process.stderr.write('--port must be an integer 0..65535\n');
    process.exit(2);
  }
  if (mode !== 'spec' && mode !== 'zenml') {
    process.stderr.write('--mode must be spec or zenml\n');
    process.exit(2);
  }
  if (tokenTtlSeconds !== undefined && !(tokenTtlSeconds > 0)) {
    process.stderr.write('--token-ttl must be a positive number\n');
    process.exit(2);
  }
  const emu = await startZenmlEmulator({ port, seed, mode, tokenTtlSeconds, serverVersion });
  process.stdout.write(JSON.stringify({ url: emu.url, users: emu.users, apiKeys: emu.apiKeys }) + '\n');
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
