/**
 * CLI: `node out/test/emulators/apolo/main.js [--port N] [--no-seed] [--separate-secrets-origin]
 *       [--service-version V]`
 * Starts a seeded Apolo emulator and prints one JSON line {url, apiUrl, secretsUrls, tokens} to stdout.
 * Stops on SIGINT / SIGTERM.
 */
import { startApoloEmulator } from './server';

async function main(argv: string[]): Promise<void> {
  let port = 0;
  let seed = true;
  let separate = false;
  let serviceVersion: string | undefined;
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    if (a === '--port') port = Number(argv[++i]);
    else if (a.startsWith('--port=')) port = Number(a.slice('--port='.length));
    else if (a === '--no-seed') seed = false;
    else if (a === '--separate-secrets-origin') separate = true;
    else if (a === '--service-version') serviceVersion = argv[++i];
    else {
      process.stderr.write(`unknown argument: ${a}\n`);
      process.exit(2);
    }
  }
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    process.stderr.write('--port must be an integer 0..65535\n');
    process.exit(2);
  }
  const emu = await startApoloEmulator({ port, seed, secretsOnSeparateOrigin: separate, serviceVersion });
  process.stdout.write(
    JSON.stringify({ url: emu.url, apiUrl: emu.apiUrl, secretsUrls: emu.secretsUrls, tokens: emu.tokens }) + '\n',
  );
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
  process.stderr.write(`${e instanceof Error ? e.stack ?? e.message : String(e)}\n`);
  process.exit(1);
});
