/**
 * CLI: `node out/test/emulators/apolo/main.js [--port N] [--no-seed] [--separate-secrets-origin]
 *       [--service-version V]`
 * Starts a seeded Apolo emulator and prints one JSON line {url, apiUrl, secretsUrls, tokens} to stdout.
 * Stops on SIGINT / SIGTERM.
 */
import { parseArgs, runMain, serve } from '../common/cli';
import { startApoloEmulator } from './server';

async function main(argv: string[]): Promise<void> {
  let separate = false;
  let serviceVersion: string | undefined;
  const { port, seed } = parseArgs(
    argv,
    (a, value) => {
      if (a === '--separate-secrets-origin') separate = true;
      else if (a === '--service-version') serviceVersion = value();
      else return false;
      return true;
    },
    // A missing value is not checked here: `--port` then fails the port check.
    { lenientValues: true },
  );
  const emu = await startApoloEmulator({ port, seed, secretsOnSeparateOrigin: separate, serviceVersion });
  serve(emu, { url: emu.url, apiUrl: emu.apiUrl, secretsUrls: emu.secretsUrls, tokens: emu.tokens });
}

runMain(main);
