/**
 * CLI: `node out/test/emulators/flyte/main.js [--port N] [--no-seed] [--org ORG] [--clusters c1,c2]
 *       [--client ID:SECRET]... [--auth-key HEADER] [--token-ttl SECONDS] [--list-scope subtree|exact]
 *       [--no-require-protocol-version] [--json-only] [--data-plane all|org|DOMAIN|PROJECT/DOMAIN,...] [--tls]`
 * Starts a (by default seeded) Flyte 2 / Union secret-service emulator and prints one JSON line
 * {url, dataPlaneUrl, endpoint, org, clusters, apiKey, clientId, clientSecret, token, tls} to stdout. Stops on SIGINT / SIGTERM.
 * With --tls the listeners are https with a self-signed certificate made at start (not printed, never
 * written: a client run against the CLI skips verification, e.g. `curl -k`).
 */
import { parseArgs, runMain, serve, usageError } from '../common/cli';
import { FlyteClientApp, FlyteEmulatorOptions, startFlyteEmulator } from './server';

async function main(argv: string[]): Promise<void> {
  const o: FlyteEmulatorOptions = {};
  const clients: FlyteClientApp[] = [];
  const { port, seed } = parseArgs(argv, (a, value) => {
    if (a === '--org') o.org = value();
    else if (a === '--clusters') o.clusters = value().split(',').filter((c) => c !== '');
    else if (a === '--client') {
      const v = value();
      const c = v.indexOf(':');
      if (c <= 0 || c === v.length - 1) usageError('--client must be ID:SECRET');
      clients.push({ clientId: v.slice(0, c), clientSecret: v.slice(c + 1) });
    } else if (a === '--auth-key') o.authorizationMetadataKey = value();
    else if (a === '--token-ttl') o.tokenTtlSeconds = Number(value());
    else if (a === '--list-scope') {
      const v = value();
      if (v !== 'subtree' && v !== 'exact') usageError('--list-scope must be subtree or exact');
      o.listScope = v as 'subtree' | 'exact';
    } else if (a === '--no-require-protocol-version') o.requireConnectProtocolVersion = false;
    else if (a === '--json-only') o.protoCodec = false;
    else if (a === '--tls') o.tls = true;
    else if (a === '--data-plane') {
      const v = value();
      o.dataPlane = {
        scopes:
          v === 'all'
            ? 'all'
            : v
                .split(',')
                .filter((x) => x !== '')
                .map((x) => (x === 'org' ? {} : x.includes('/') ? { project: x.split('/')[0], domain: x.split('/')[1] } : { domain: x })),
      };
    }
    else return false;
    return true;
  });
  if (o.tokenTtlSeconds !== undefined && !(o.tokenTtlSeconds > 0)) usageError('--token-ttl must be a positive number');
  if (clients.length) o.clients = clients;
  const emu = await startFlyteEmulator({ port, seed, ...o });
  serve(emu, {
    url: emu.url,
    dataPlaneUrl: emu.dataPlaneUrl,
    endpoint: emu.endpoint,
    org: emu.org,
    clusters: emu.clusters,
    apiKey: emu.apiKey,
    clientId: emu.clientId,
    clientSecret: emu.clientSecret,
    token: emu.tokens.mint(),
    tls: emu.tlsCa !== undefined,
  });
}

runMain(main);
