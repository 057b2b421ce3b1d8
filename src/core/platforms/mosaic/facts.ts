// MosaicML (mcli): one GraphQL endpoint; its run YAMLs get lenses of what a run receives (./runYamlSecrets.ts).

import type { PlatformFacts } from '../facts';
import { runFileLenses } from './runYamlSecrets';

export const MOSAIC_DEFAULT_ENDPOINT = 'https://api.mosaicml.com/graphql';

export const MOSAIC: PlatformFacts = { id: 'mosaic', name: 'MosaicML', defaultUrl: MOSAIC_DEFAULT_ENDPOINT, runFileLenses };
