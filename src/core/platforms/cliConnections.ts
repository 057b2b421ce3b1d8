// Connections without the editor (the `ml-secrets` command line, src/cli/): each platform's CLI
// logins (the same readers as Import CLI Credentials) prepared as connections, and each platform's
// `createClient`. Registry maps only: a new platform adds one line to each.

import type { CliConnectionsReader } from './cliPrepare';
import type { ClientFactory, PlatformId } from './types';
import { createClient as apoloClient } from './apolo/index';
import { cliConnections as apoloLogins } from './apolo/cliConnect';
import { createClient as flyteClient } from './flyte/index';
import { cliConnections as flyteLogins } from './flyte/cliConnect';
import { createClient as mosaicClient } from './mosaic/index';
import { cliConnections as mosaicLogins } from './mosaic/cliConnect';
import { createClient as zenmlClient } from './zenml/index';
import { cliConnections as zenmlLogins } from './zenml/cliConnect';

export const CLIENT_FACTORIES: Record<PlatformId, ClientFactory> = { apolo: apoloClient, neuro: apoloClient, zenml: zenmlClient, mosaic: mosaicClient, flyte: flyteClient };

/** One reader per CLI family (Apolo's reads both Apolo and Neu.ro). */
export const CLI_CONNECTION_READERS: readonly CliConnectionsReader[] = [apoloLogins, zenmlLogins, mosaicLogins, flyteLogins];

export type { CliConnections, CliConnectionsReader, CliContext } from './cliPrepare';
