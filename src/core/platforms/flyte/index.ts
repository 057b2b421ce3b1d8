// Flyte 2 / Union's code entry (loaded lazily): how a stored connection becomes a client.

import type { ClientFactory } from '../types';
import { FlyteClient } from './client';

export const createClient: ClientFactory = (rec, cred, http, onToken) =>
  new FlyteClient({
    baseUrl: rec.url,
    origins: cred.origins,
    http,
    org: rec.scope.org,
    project: rec.scope.project,
    domain: rec.scope.domain,
    clusterPool: rec.scope.clusterPool,
    clientId: cred.login?.username,
    clientSecret: cred.login?.password,
    auth: cred.flyteAuth,
    accessToken: cred.token,
    expiresAt: cred.expiresAt,
    onToken,
  });
