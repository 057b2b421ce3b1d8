// MosaicML (mcli): one GraphQL endpoint.

import type { PlatformFacts } from '../facts';

export const MOSAIC_DEFAULT_ENDPOINT = 'https://api.mosaicml.com/graphql';

export const MOSAIC: PlatformFacts = { id: 'mosaic', name: 'MosaicML', defaultUrl: MOSAIC_DEFAULT_ENDPOINT };
