// MosaicML's code entry (loaded lazily): how a stored connection becomes a client.

import type { ClientFactory } from '../types';
import { MosaicClient } from './client';

export const createClient: ClientFactory = (rec, cred, http) => new MosaicClient({ endpoint: rec.url, apiKey: cred.token, origins: cred.origins, http });
