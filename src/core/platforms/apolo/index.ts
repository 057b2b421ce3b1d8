// Apolo / Neu.ro's code entry (loaded lazily): how a stored connection becomes a client.

import type { ClientFactory } from '../types';
import { ApoloClient } from './client';

export const createClient: ClientFactory = (rec, cred, http) =>
  new ApoloClient({
    platform: rec.platform === 'neuro' ? 'neuro' : 'apolo',
    apiUrl: rec.url,
    token: cred.token,
    origins: cred.origins,
    http,
    cluster: rec.scope.cluster,
    org: rec.scope.org,
    project: rec.scope.project,
  });
