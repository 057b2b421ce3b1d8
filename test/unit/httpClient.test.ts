import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import * as http from 'node:http';
import { AddressInfo } from 'node:net';
import * as zlib from 'node:zlib';
import { HttpClient } from '../../src/core/http/httpClient';
import { parseRetryAfter } from '../../src/core/http/retryPolicy';
import { sentSecrets } from '../../src/core/http/sentSecrets';
import { CancelledError, HttpError, NetworkError, ProtocolError, TimeoutError } from '../../src/core/errors';
import { redactor } from '../../src/core/redact';

interface Seen {
  method?: string;
  url?: string;
  headers: http.IncomingHttpHeaders;
  body: string;
}

type Handler = (req: http.IncomingMessage, res: http.ServerResponse, seen: Seen[]) => void;

const servers: http.Server[] = [];
after(() => servers.forEach((s) => s.close()));

async function server(handler: Handler): Promise<{ origin: string; seen: Seen[]; server: http.Server }> {
  const seen: Seen[] = [];
  const srv = http.createServer((req, res) => {
    let body = '';
    req.on('data', (c) => (body += c));
    req.on('end', () => {
      seen.push({ method: req.method, url: req.url, headers: req.headers, body });
      handler(req, res, seen);
    });
  });
  servers.push(srv);
  await new Promise<void>((r) => srv.listen(0, '127.0.0.1', r));
  return { origin: `http://127.0.0.1:${(srv.address() as AddressInfo).port}`, seen, server: srv };
}

const noSleep = { sleep: async () => undefined, random: () => 0.5 };
const TOKEN = 'tok_CANARY_0123456789:/+=.';

test('attaches the token only to its bound origin', async () => {
  const a = await server((_q, r) => r.end('{}'));
  const c = new HttpClient(noSleep);
  const auth = { origins: [a.origin], header: 'Authorization', value: `Bearer ${TOKEN}` };
  await c.request({ url: `${a.origin}/x`, auth });
  assert.equal(a.seen[0].headers.authorization, `Bearer ${TOKEN}`);
  const b = await server((_q, r) => r.end('{}'));
  await assert.rejects(c.request({ url: `${b.origin}/x`, auth }), ProtocolError);
  assert.equal(b.seen.length, 0, 'the other origin got no request at all');
});

test('never follows a redirect to another origin with credentials; follows same-origin ones', async () => {
  const evil = await server((_q, r) => r.end('{}'));
  const a = await server((req, res) => {
    if (req.url === '/cross') res.writeHead(307, { location: `${evil.origin}/steal` }).end();
    else if (req.url === '/same') res.writeHead(302, { location: '/final' }).end();
    else res.end('{"ok":true}');
  });
  const c = new HttpClient(noSleep);
  const auth = { origins: [a.origin], header: 'Authorization', value: `Bearer ${TOKEN}` };
  for (const status of [301, 302, 303, 307, 308]) {
    const s = await server((_q, res) => res.writeHead(status, { location: `${evil.origin}/steal` }).end());
    await assert.rejects(c.request({ url: `${s.origin}/`, auth: { ...auth, origins: [s.origin] } }), /Refused to follow a redirect/);
  }
  await assert.rejects(c.request({ url: `${a.origin}/cross`, auth }), ProtocolError);
  assert.equal(evil.seen.length, 0, 'the redirect target never saw a request');
  const res = await c.request({ url: `${a.origin}/same`, auth });
  assert.equal(res.status, 200);
  assert.equal(a.seen.at(-1)?.url, '/final');
  assert.equal(a.seen.at(-1)?.headers.authorization, `Bearer ${TOKEN}`);
});

test('refuses an https → http downgrade', async () => {
  const c = new HttpClient({
    ...noSleep,
    fetch: async () => ({ status: 302, headers: new Headers({ location: 'http://127.0.0.1:1/x' }), body: null, text: async () => '' }),
  });
  await assert.rejects(c.request({ url: 'https://api.example.test/x' }), /drop HTTPS/);
});

test('retries idempotent calls on 503 and 429, honouring Retry-After, then gives up', async () => {
  let n = 0;
  const a = await server((_q, res) => {
    n++;
    if (n === 1) res.writeHead(503).end('busy');
    else if (n === 2) res.writeHead(429, { 'retry-after': '1' }).end('slow down');
    else res.end('[]');
  });
  const waits: number[] = [];
  const c = new HttpClient({ sleep: async (ms) => void waits.push(ms), random: () => 0.5 });
  const res = await c.request({ url: `${a.origin}/list` });
  assert.equal(res.status, 200);
  assert.equal(a.seen.length, 3);
  assert.equal(waits[1], 1000, 'waited what Retry-After said');

  const always = await server((_q, res) => res.writeHead(503).end());
  const r2 = await c.request({ url: `${always.origin}/x` });
  assert.equal(r2.status, 503);
  assert.equal(always.seen.length, 3, 'three attempts in all');
});

test('does not retry a POST on 503, nor anything on 500/400/401', async () => {
  const a = await server((_q, res) => res.writeHead(503).end());
  const c = new HttpClient(noSleep);
  const res = await c.request({ method: 'POST', url: `${a.origin}/create`, json: { a: 1 } });
  assert.equal(res.status, 503);
  assert.equal(a.seen.length, 1);
  for (const status of [500, 400, 401, 403, 404]) {
    const s = await server((_q, r) => r.writeHead(status).end());
    await c.request({ url: `${s.origin}/` });
    assert.equal(s.seen.length, 1, `no retry on ${status}`);
  }
});

test('a Retry-After longer than the budget is returned, not waited for', async () => {
  const a = await server((_q, res) => res.writeHead(429, { 'retry-after': '3600' }).end());
  const c = new HttpClient(noSleep);
  const res = await c.request({ url: `${a.origin}/` });
  assert.equal(res.status, 429);
  assert.equal(a.seen.length, 1);
});

test('times out, and cancels', async () => {
  const a = await server(() => undefined); // never answers
  const c = new HttpClient({ ...noSleep, timeoutMs: 150, maxRetries: 0 });
  await assert.rejects(c.request({ url: `${a.origin}/slow` }), TimeoutError);
  const ac = new AbortController();
  const p = c.request({ url: `${a.origin}/slow`, signal: ac.signal, timeoutMs: 5000 });
  setTimeout(() => ac.abort(), 50);
  await assert.rejects(p, CancelledError);
});

test('connection refused is a NetworkError with a clear message and no token in it', async () => {
  const a = await server((_q, r) => r.end());
  const origin = a.origin;
  await new Promise<void>((r) => a.server.close(() => r()));
  const c = new HttpClient(noSleep);
  const err = await c.request({ url: `${origin}/x`, auth: { origins: [origin], header: 'Authorization', value: `Bearer ${TOKEN}` } }).catch((e) => e);
  assert.ok(err instanceof NetworkError);
  assert.match(err.message, /connection refused/);
  assert.ok(!JSON.stringify(err).includes('CANARY') && !err.message.includes('CANARY') && !String(err.stack).includes('CANARY'));
});

test('a socket destroyed mid-answer is a NetworkError', async () => {
  const a = await server((_q, res) => {
    res.writeHead(200, { 'content-length': '100' });
    res.write('{"partial":');
    res.destroy();
  });
  const c = new HttpClient({ ...noSleep, maxRetries: 0 });
  await assert.rejects(c.request({ url: `${a.origin}/x` }), NetworkError);
});

test('non-JSON bodies are a ProtocolError when parsed', async () => {
  const a = await server((_q, res) => res.end('<html>proxy login</html>'));
  const res = await new HttpClient(noSleep).request({ url: `${a.origin}/x` });
  assert.throws(() => res.json(), ProtocolError);
});

test('oversized bodies are refused', async () => {
  const a = await server((_q, res) => res.end('x'.repeat(10_000)));
  await assert.rejects(new HttpClient({ ...noSleep, maxResponseBytes: 1000 }).request({ url: `${a.origin}/x` }), ProtocolError);
});

test('parseRetryAfter reads seconds and dates', () => {
  assert.equal(parseRetryAfter('2'), 2000);
  assert.equal(parseRetryAfter(new Date(10_000).toUTCString(), 4_000), 6000);
  assert.equal(parseRetryAfter('soon'), undefined);
});

test('every string a request sends is held in the redactor until the caller built its error, then forgotten', async () => {
  const password = 'pw with space+and/slash&=é';
  const clientSecret = 'cs CANARY+/é=';
  const value = 'value CANARY "q" é';
  // An echoing server: whatever came in goes back in the error body.
  const a = await server((_req, res, seen) => {
    const last = seen.at(-1)!;
    res.writeHead(500, { 'content-type': 'application/json' }).end(JSON.stringify({ detail: [`${JSON.stringify(last.headers)} ${last.body}`, 'x'] }));
  });
  const c = new HttpClient({ ...noSleep, maxRetries: 0 });
  const basic = Buffer.from(`${encodeURIComponent('client')}:${encodeURIComponent(clientSecret)}`).toString('base64');
  const cases = [
    { req: { method: 'POST' as const, url: `${a.origin}/login`, form: { grant_type: 'password', username: 'alice', password }, publicFields: ['grant_type', 'username'], confidential: true }, secret: password },
    { req: { method: 'POST' as const, url: `${a.origin}/token`, form: { grant_type: 'client_credentials' }, auth: { origins: [a.origin], header: 'Authorization', value: `Basic ${basic}` } }, secret: clientSecret },
    { req: { method: 'POST' as const, url: `${a.origin}/s`, json: { name: 'db', values: { K: value }, b64: Buffer.from(value).toString('base64') }, publicFields: ['name'] }, secret: value },
  ];
  for (const { req, secret } of cases) {
    assert.ok(!redactor.has(secret), 'not registered before');
    const res = await c.request(req);
    // What a client does with the answer, in the same turn: build an error from the server's text.
    const detail = (res.json() as { detail: string[] }).detail[0];
    const err = new HttpError(res.status, `failed: ${detail}`, detail);
    assert.ok(detail.includes('CANARY') || detail.includes(encodeURIComponent(secret).slice(0, 6)) || detail.includes(new URLSearchParams({ x: secret }).toString().slice(2)) || detail.includes(basic), 'the server did echo it');
    for (const text of [err.message, err.serverMessage ?? '', String(err.stack)]) {
      assert.ok(!text.includes('CANARY') && !text.includes(new URLSearchParams({ x: secret }).toString().slice(2)) && !text.includes(basic), text);
    }
    await new Promise((r) => setImmediate(r));
    assert.ok(!redactor.has(secret), 'forgotten after the request');
  }
  assert.ok(!sentSecrets(cases[0].req).includes('alice'), 'public fields are not held');
  assert.ok(sentSecrets(cases[2].req).includes(value), 'a base64 string the client made is held decoded');
});

test('an anonymous request follows no redirect to another origin unless it opts in', async () => {
  const evil = await server((_q, r) => r.end('{"tokenEndpoint":"http://evil/token"}'));
  const a = await server((_q, res) => res.writeHead(307, { location: `${evil.origin}/x` }).end());
  const c = new HttpClient(noSleep);
  await assert.rejects(c.request({ method: 'POST', url: `${a.origin}/discover`, json: {} }), /Refused to follow a redirect .* to another server/);
  assert.equal(evil.seen.length, 0);
  const res = await c.request({ method: 'POST', url: `${a.origin}/discover`, json: {}, allowCrossOriginRedirect: true });
  assert.equal(res.status, 200, 'an explicit opt-in still works');
});

test('the size cap is per request and counts decompressed bytes (a gzip bomb is cut)', async () => {
  const member = zlib.gzipSync(Buffer.alloc(8 * 1024 * 1024));
  const bomb = await server((_q, res) => {
    res.writeHead(200, { 'content-type': 'application/json', 'content-encoding': 'gzip' });
    let n = 0;
    let closed = false;
    res.on('close', () => (closed = true));
    const pump = () => {
      while (!closed && n < 256) {
        n++;
        if (!res.write(member)) return void res.once('drain', pump);
      }
      if (!closed) res.end();
    };
    pump();
  });
  const c = new HttpClient(noSleep);
  const started = Date.now();
  await assert.rejects(c.request({ url: `${bomb.origin}/x`, maxResponseBytes: 1024 * 1024 }), /sent more than 1 MB/);
  assert.ok(Date.now() - started < 5000, 'cut early, not after 2 GB');
  const big = await server((_q, res) => res.end('x'.repeat(300_000)));
  await assert.rejects(c.request({ url: `${big.origin}/x`, maxResponseBytes: 100_000 }), /sent more than 98 KB/);
  assert.equal((await c.request({ url: `${big.origin}/x` })).text.length, 300_000, 'the client default is larger');
});

test('an HTML page where JSON was expected is a ProtocolError that says so and quotes nothing', async () => {
  const a = await server((_q, res) => res.writeHead(200, { 'content-type': 'text/html' }).end('<html>Sign in to the guest network SECRETPAGE</html>'));
  const res = await new HttpClient(noSleep).request({ url: `${a.origin}/x` });
  assert.throws(() => res.json(), (e: Error) => e instanceof ProtocolError && /HTML page/.test(e.message) && !e.message.includes('SECRETPAGE'));
});

test('log lines pass the redactor', async () => {
  const tok = 'tok_logged_CANARY_123';
  const release = redactor.hold([tok]);
  try {
    const lines: string[] = [];
    const a = await server((_q, res) => res.end('{}'));
    await new HttpClient({ ...noSleep, log: (_l, m) => lines.push(m) }).request({ url: `${a.origin}/x`, query: { q: tok } });
    assert.ok(lines.length > 0);
    for (const l of lines) assert.ok(!l.includes(tok), l);
  } finally {
    release();
  }
});
