// MosaicML (mcli): one GraphQL endpoint; its run YAMLs get lenses of what a run receives (./runYamlSecrets.ts).

import type { PlatformFacts, RunFileLens } from '../facts';
import type { SecretInfo } from '../types';

type RunYaml = typeof import('./runYamlSecrets');
let runYaml: RunYaml | undefined;
/** The analysis loads with the first run file shown with a MosaicML connection (dist/mosaicRunYaml.js: see esbuild.mjs). */
function runFileLenses(text: string, secrets: readonly SecretInfo[], connection: string): RunFileLens[] {
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- deliberately lazy (see above)
  runYaml ??= require('./runYamlSecrets') as RunYaml;
  return runYaml.runFileLenses(text, secrets, connection);
}

export const MOSAIC_DEFAULT_ENDPOINT = 'https://api.mosaicml.com/graphql';

export const MOSAIC: PlatformFacts = { id: 'mosaic', name: 'MosaicML', defaultUrl: MOSAIC_DEFAULT_ENDPOINT, runFileLenses };
