// Builds the client for a connection. The only place that switches on the platform name.

import { ConnectionRecord, StoredCredential } from '../connections';
import { UnsupportedError } from '../errors';
import { HttpClient } from '../http/httpClient';
import { ApoloClient } from './apolo/client';
import { ZenmlClient } from './zenml/client';
import { MosaicClient } from './mosaic/client';
import { FlyteClient } from './flyte/client';
import { PLATFORM_NAMES, PlatformClient } from './types';

/** Called when a client got a new access token by itself (silent re-login), so it can be stored. */
export type TokenListener = (token: string, expiresAt: number | undefined) => void;
export type ClientFactory = (rec: ConnectionRecord, cred: StoredCredential, onToken?: TokenListener) => PlatformClient;

export function createClient(rec: ConnectionRecord, cred: StoredCredential, http: HttpClient, onToken?: TokenListener): PlatformClient {
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
    case 'zenml':
      return new ZenmlClient({ serverUrl: rec.url, origins: cred.origins, http, login: cred.login, accessToken: cred.token, expiresAt: cred.expiresAt, onToken });
    case 'mosaic':
      return new MosaicClient({ endpoint: rec.url, apiKey: cred.token, origins: cred.origins, http });
    case 'flyte':
      return new FlyteClient({
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
    default:
      throw new UnsupportedError(`${PLATFORM_NAMES[rec.platform]} connections are not supported by this version of ML Secrets yet.`);
  }
}
