// ZenML's code entry (loaded lazily): how a stored connection becomes a client.

import type { ClientFactory } from '../types';
import { ZenmlClient } from './client';

export const createClient: ClientFactory = (rec, cred, http, onToken) =>
  new ZenmlClient({ serverUrl: rec.url, origins: cred.origins, http, login: cred.login, accessToken: cred.token, expiresAt: cred.expiresAt, onToken });
