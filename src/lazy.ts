// Everything that isn't needed to activate: the commands, the platform clients, the HTTP layer
// and the CLI-credential readers. The bundler ships it as dist/lazy.js, loaded the first time a
// command runs or a connection is used (see esbuild.mjs); extension.ts only knows its shape.

import { AUTH_COMMANDS } from './commands/auth';
import { CommandTable, runCommand, Services } from './commands/common';
import { SECRET_COMMANDS } from './commands/secrets';
import { ConnectionRecord, StoredCredential } from './core/connections';
import { HttpClient, HttpClientOptions } from './core/http/httpClient';
import { createClient, TokenListener } from './core/platforms/factory';
import { PlatformClient } from './core/platforms/types';

export { bootstrapSandbox } from './sandbox';

const COMMANDS: CommandTable = { ...AUTH_COMMANDS, ...SECRET_COMMANDS };

export function run(id: string, s: Services, arg: unknown): Promise<unknown> {
  const c = COMMANDS[id];
  if (!c) return Promise.reject(new Error(`Unknown command ${id}`));
  return runCommand(s, c.title, (inv) => c.run(s, inv), arg);
}

let http: HttpClient | undefined;
/** The one HTTP client of the extension host. */
export function httpClient(options: HttpClientOptions): HttpClient {
  http ??= new HttpClient(options);
  return http;
}

export function client(http: HttpClient, rec: ConnectionRecord, cred: StoredCredential, onToken?: TokenListener): PlatformClient {
  return createClient(rec, cred, http, onToken);
}
