/**
 * CLI: `node out/test/emulators/flyte/main.js [--port N] [--no-seed] [--org ORG] [--clusters c1,c2]
 *       [--client ID:SECRET]... [--auth-key HEADER] [--token-ttl SECONDS] [--list-scope subtree|exact]
 *       [--no-require-protocol-version]`
 * Starts a (by default seeded) Flyte 2 / Union secret-service emulator and prints one JSON line
 * {url, endpoint, org, clusters, apiKey, clientId, clientSecret, token} to stdout. Stops on SIGINT / SIGTERM.
 */
import { FlyteClientApp, FlyteEmulatorOptions, startFlyteEmulator } from './server';

async function main(argv: string[]): Promise<void> {
  const o: FlyteEmulatorOptions = { port: 0, seed: true };
  const clients: FlyteClientApp[] = [];
  const die = (msg: string): never => {
    process.stderr.write(`${msg}\n`);
    process.exit(2);
  };
  const value = (i: number, a: string): string => argv[i] ?? die(`${a} needs a value`);
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    if (a === '--port') o.port = Number(value(++i, a));
    else if (a.startsWith('--port=')) o.port = Number(a.slice('--port='.length));
    else if (a === '--no-seed') o.seed = false;
    else if (a === '--org') o.org = value(++i, a);
    else if (a === '--clusters') o.clusters = value(++i, a).split(',').filter((c) => c !== '');
    else if (a === '--client') {
      const v = value(++i, a);
      const c = v.indexOf(':');
      if (c <= 0 || c === v.length - 1) die('--client must be ID:SECRET');
      clients.push({ clientId: v.slice(0, c), clientSecret: v.slice(c + 1) });
    } else if (a === '--auth-key') o.authorizationMetadataKey = value(++i, a);
    else if (a === '--token-ttl') o.tokenTtlSeconds = Number(value(++i, a));
    else if (a === '--list-scope') {
      const v = value(++i, a);
      if (v !== 'subtree' && v !== 'exact') die('--list-scope must be subtree or exact');
      o.listScope = v as 'subtree' | 'exact';
    } else if (a === '--no-require-protocol-version') o.requireConnectProtocolVersion = false;
    else die(`unknown argument: ${a}`);
  }
  if (!Number.isInteger(o.port) || o.port! < 0 || o.port! > 65535) die('--port must be an integer 0..65535');
  if (o.tokenTtlSeconds !== undefined && !(o.tokenTtlSeconds > 0)) die('--token-ttl must be a positive number');
  if (clients.length) o.clients = clients;
  const emu = await startFlyteEmulator(o);
  process.stdout.write(
    JSON.stringify({
      url: emu.url,
      endpoint: emu.endpoint,
      org: emu.org,
      clusters: emu.clusters,
      apiKey: emu.apiKey,
      clientId: emu.clientId,
      clientSecret: emu.clientSecret,
      token: emu.tokens.mint(),
    }) + '\n',
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
  process.stderr.write(`${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
  process.exit(1);
});
