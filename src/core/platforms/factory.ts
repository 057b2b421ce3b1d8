// Builds the client for a connection. The only place that switches on the platform name.

import { ConnectionRecord, StoredCredential } from '../connections';
import { UnsupportedError } from '../errors';
import { HttpClient } from '../http/httpClient';
import { ApoloClient } from './apolo/client';
import { PLATFORM_NAMES, PlatformClient } from './types';

export function createClient(rec: ConnectionRecord, cred: StoredCredential, http: HttpClient): PlatformClient {
  switch (rec.platform) {
    case 'apolo':
    case 'neuro':
      return new ApoloClient({
        platform: rec.platform,
        apiUrl: rec.url,
        token: cred.token,
        origins: cred.origins,
        http,
        cluster: rec.scope.cluster,
        org: rec.scope.org,
        project: rec.scope.project,
      });
    default:
      throw new UnsupportedError(`${PLATFORM_NAMES[rec.platform]} connections are not supported by this version of ML Secrets yet.`);
  }
}
