// Flyte sign-in: the anonymous discovery call decides where the client secret goes, so it must not
// (The fake issuers here answer the JSON codec, so discovery is asked for JSON.)
// be steered to another server — not by a redirect, not by a token endpoint off HTTPS.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import * as http from 'node:http';
import { AddressInfo } from 'node:net';
import { HttpClient } from '../../src/core/http/httpClient';
import { ProtocolError } from '../../src/core/errors';
import { boundOrigins } from '../../src/core/connections';
import { discoverFlyteAuth, flyteClientCredentialsToken } from '../../src/core/platforms/flyte/oauth';

const servers: http.Server[] = [];
after(() => servers.forEach((s) => (s.closeAllConnections(), s.close())));

interface Seen {
  path: string;
  headers: http.IncomingHttpHeaders;
  body: string;
}
async function server(answer: (path: string, origin: string) => { status: number; headers?: Record<string, string>; body?: string }): Promise<{ origin: string; seen: Seen[] }> {
  const seen: Seen[] = [];
  let origin = '';
  const srv = http.createServer((req, res) => {
    let body = '';
    req.on('data', (c) => (body += c));
    req.on('end', () => {
      seen.push({ path: req.url ?? '', headers: req.headers, body });
      const a = answer(req.url ?? '', origin);
      res.writeHead(a.status, { 'content-type': 'application/json', ...(a.headers ?? {}) }).end(a.body ?? '');
    });
  });
  servers.push(srv);
  await new Promise<void>((r) => srv.listen(0, '127.0.0.1', r));
  origin = `http://127.0.0.1:${(srv.address() as AddressInfo).port}`;
  return { origin, seen };
}

const SECRET = 'flyte client secret CANARY';
const noSleep = { sleep: async () => undefined, random: () => 0.5, maxRetries: 0 };

test('discovery that redirects to another origin is refused; the client secret never goes there', async () => {
  // The other origin answers discovery with its own token endpoint, and takes any token request.
  const evil = await server((path, origin) =>
    path.endsWith('/GetOAuth2Metadata') ? { status: 200, body: JSON.stringify({ tokenEndpoint: `${origin}/oauth2/token` }) } : path === '/oauth2/token' ? { status: 200, body: '{"access_token":"evil-token"}' } : { status: 200, body: '{}' },
  );
  const issuer = await server((path) => ({ status: 307, headers: { location: `${evil.origin}${path}` } }));
  const h = new HttpClient(noSleep);
  // What sign-in does (src/core/platforms/flyte/connect.ts): discover, bind the named token endpoint, get a token.
  const signIn = async () => {
    const auth = await discoverFlyteAuth(h, issuer.origin);
    const origins = boundOrigins(issuer.origin, [auth.tokenEndpoint]);
    return flyteClientCredentialsToken(h, auth, 'client', SECRET, origins);
  };
  await assert.rejects(signIn(), (e: Error) => e instanceof ProtocolError && /redirect/.test(e.message));
  assert.equal(evil.seen.length, 0, 'the other origin got no request at all');
  assert.ok(!evil.seen.some((s) => JSON.stringify(s).includes(Buffer.from(`client:${encodeURIComponent(SECRET)}`).toString('base64'))));
});

test('a same-origin redirect in discovery is still followed', async () => {
  const issuer = await server((path, origin) =>
    path.startsWith('/old/') ? { status: 308, headers: { location: path.replace('/old/', '/') } } : path.endsWith('/GetOAuth2Metadata') ? { status: 200, body: JSON.stringify({ tokenEndpoint: `${origin}/oauth2/token` }) } : { status: 200, body: '{}' },
  );
  const auth = await discoverFlyteAuth(new HttpClient(noSleep), `${issuer.origin}/old`, undefined, 'json');
  assert.equal(auth.tokenEndpoint, `${issuer.origin}/oauth2/token`);
});

test('a token endpoint off HTTPS, with credentials in it, or not a URL is refused at discovery', async () => {
  for (const tokenEndpoint of ['http://idp.example.test/token', 'https://user:pw@idp.example.test/token', 'not a url', 'ftp://idp.example.test/token']) {
    const h = new HttpClient({ ...noSleep, fetch: async () => ({ status: 200, headers: new Headers({ 'content-type': 'application/json' }), body: null, text: async () => JSON.stringify({ tokenEndpoint }) }) });
    await assert.rejects(discoverFlyteAuth(h, 'https://tenant.example.test', undefined, 'json'), ProtocolError, tokenEndpoint);
  }
  const ok = new HttpClient({ ...noSleep, fetch: async () => ({ status: 200, headers: new Headers({ 'content-type': 'application/json' }), body: null, text: async () => JSON.stringify({ tokenEndpoint: 'https://idp.example.test/oauth2/token' }) }) });
  assert.equal((await discoverFlyteAuth(ok, 'https://tenant.example.test', undefined, 'json')).tokenEndpoint, 'https://idp.example.test/oauth2/token', 'another https origin the issuer names is fine');
});
