// The requests the official Flyte 2 CLI sent (test/fixtures/flyte/flyte-sdk-requests.jsonl) replayed
// byte for byte against the emulator (a connect-es server; the binary codec is on by default): binary
// protobuf and JSON, gzip'd request bodies, gzip'd answers in the request's codec, decoded with the
// generated response types; and against `protoCodec: false` (`--json-only`), where the binary ones get
// connect-go's 415. docs/platform-apis.md §4.1. The CreateSecret value is never printed.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import * as http from 'node:http';
import { gunzipSync, gzipSync } from 'node:zlib';
import { create, fromBinary, fromJson, toBinary, type JsonValue } from '@bufbuild/protobuf';
import { ListSecretsRequestSchema, ListSecretsResponseSchema } from '../../src/core/platforms/flyte/gen/flyteidl2/secret/payload_pb';
import { FlyteEmulator, startFlyteEmulator } from '../emulators/flyte/server';
import { FLYTE_METHODS } from '../../src/core/platforms/flyte/methods';
import { recordedFlyteRequests, type RecordedRequest } from '../fixtures/flyteFixtures';

const recorded: RecordedRequest[] = recordedFlyteRequests();
const methods = FLYTE_METHODS;

interface Raw {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: Buffer;
}

/** A raw HTTP POST: no transparent decompression, so the wire bytes are what is checked. */
function post(url: string, path: string, headers: Record<string, string>, body: Buffer): Promise<Raw> {
  return new Promise((resolve, reject) => {
    const req = http.request(`${url}${path}`, { method: 'POST', headers: { ...headers, 'content-length': String(body.length) } }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) }));
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end(body);
  });
}

const plain = (r: Raw): Buffer => (r.headers['content-encoding'] === 'gzip' ? gunzipSync(r.body) : r.body);

describe('flyte emulator (protoCodec): the flyte CLI recorded requests replayed', () => {
  let emu: FlyteEmulator;
  let token: string;
  before(async () => {
    // the fixture's requests are for org "demo", the emulator's default org
    emu = await startFlyteEmulator({ protoCodec: true });
    assert.equal(emu.org, 'demo');
    token = emu.tokens.mint();
  });
  after(() => emu.close());

  const replay = (r: RecordedRequest, auth: boolean): Promise<Raw> => {
    const headers: Record<string, string> = {};
    for (const k of ['content-type', 'content-encoding', 'accept-encoding', 'connect-protocol-version', 'user-agent']) {
      if (r.headers[k] !== undefined) headers[k] = r.headers[k]!;
    }
    if (auth) headers.authorization = `Bearer ${token}`;
    return post(emu.url, r.procedure, headers, Buffer.from(r.body_base64, 'base64'));
  };

  it('every recorded request: 200, gzip answer in the request codec, decodes with the generated response type', async () => {
    // CreateSecret before ListSecrets so the list sees it; discovery and SelectCluster in any order
    const order = [...recorded].sort((a, b) => Number(a.procedure.endsWith('/ListSecrets')) - Number(b.procedure.endsWith('/ListSecrets')));
    let n = 0;
    for (const r of order) {
      const method = methods.get(r.procedure);
      assert.ok(method, r.procedure);
      const res = await replay(r, !r.procedure.includes('AuthMetadataService'));
      assert.equal(res.status, 200, `${r.procedure}: ${res.headers['content-type'] === 'application/json' ? plain(res).toString('utf8') : res.status}`);
      assert.equal(res.headers['content-type'], r.headers['content-type'], `${r.procedure}: answered in the request codec`);
      assert.match(r.headers['accept-encoding'] ?? '', /gzip/);
      assert.equal(res.headers['content-encoding'], 'gzip', `${r.procedure}: gzip'd answer`);
      const body = plain(res);
      if (r.headers['content-type'] === 'application/proto') {
        const msg = fromBinary(method.output, new Uint8Array(body));
        assert.ok(Buffer.from(toBinary(method.output, msg)).equals(body), `${r.procedure}: canonical encoding`);
        if (r.procedure.endsWith('/ListSecrets')) {
          const list = fromBinary(ListSecretsResponseSchema, new Uint8Array(body));
          assert.ok(list.secrets.some((s) => s.id?.name === 'interop-a'), 'the created secret is listed (binary)');
        }
      } else {
        const json = JSON.parse(body.toString('utf8')) as JsonValue;
        fromJson(method.output, json);
      }
      n++;
    }
    assert.equal(n, 5);
    console.log(`flyte replay: ${n} recorded requests answered 200 and decoded with generated response types`);
  });

  it('the recorded CreateSecret shows up in a JSON ListSecrets', async () => {
    const res = await post(
      emu.url,
      '/flyteidl2.secret.SecretService/ListSecrets',
      { 'content-type': 'application/json', 'connect-protocol-version': '1', authorization: `Bearer ${token}` },
      Buffer.from(JSON.stringify({ organization: 'demo' })),
    );
    assert.equal(res.status, 200, res.body.toString('utf8'));
    assert.equal(res.headers['content-type'], 'application/json');
    const list = fromJson(ListSecretsResponseSchema, JSON.parse(res.body.toString('utf8')) as JsonValue);
    const s = list.secrets.find((x) => x.id?.name === 'interop-a');
    assert.ok(s, 'interop-a listed');
    assert.equal(s.id?.domain, '');
    assert.equal(s.id?.project, '');
    assert.ok(emu.state.getSecret('interop-a')!.value.length > 0);
  });

  it('proto without gzip; undecodable proto → a JSON error body (connect-es: internal "parse binary")', async () => {
    const h = { 'content-type': 'application/proto', 'connect-protocol-version': '1', authorization: `Bearer ${token}` };
    const body = Buffer.from(toBinary(ListSecretsRequestSchema, create(ListSecretsRequestSchema, { organization: 'demo', limit: 1 })));
    const ok = await post(emu.url, '/flyteidl2.secret.SecretService/ListSecrets', h, body);
    assert.equal(ok.status, 200);
    assert.equal(ok.headers['content-type'], 'application/proto');
    assert.equal(ok.headers['content-encoding'], undefined);
    assert.equal(fromBinary(ListSecretsResponseSchema, new Uint8Array(ok.body)).secrets.length, 1);
    const empty = await post(emu.url, '/flyteidl2.auth.AuthMetadataService/GetPublicClientConfig', { 'content-type': 'application/proto', 'connect-protocol-version': '1' }, Buffer.alloc(0));
    assert.equal(empty.status, 200, 'an empty proto body is the empty message');
    const bad = await post(emu.url, '/flyteidl2.secret.SecretService/ListSecrets', { ...h, 'content-encoding': 'gzip' }, gzipSync(Buffer.from([0xff, 0xff, 0xff])));
    assert.equal(bad.status, 500);
    assert.equal(bad.headers['content-type'], 'application/json');
    const err = JSON.parse(plain(bad).toString('utf8'));
    assert.equal(err.code, 'internal');
    assert.match(err.message, /^parse binary: /);
    // the request log holds what was sent: a decodable binary body as its protojson
    const logged = emu.requests.find((x) => x.headers['content-type'] === 'application/proto' && x.path.endsWith('/ListSecrets') && x.headers['content-encoding'] === undefined)!;
    assert.deepEqual(JSON.parse(logged.body), { organization: 'demo', limit: 1 });
  });

  it('a content type the server does not know → 415, no body', async () => {
    const r = recorded.find((x) => x.headers['content-type'] === 'application/proto')!;
    for (const ct of ['application/protobuf', 'application/x-protobuf', 'application/grpc+proto', 'application/connect+proto']) {
      const res = await post(emu.url, r.procedure, { ...r.headers, 'content-type': ct, authorization: `Bearer ${token}` }, Buffer.from(r.body_base64, 'base64'));
      assert.equal(res.status, 415, ct);
      assert.equal(res.body.length, 0);
    }
  });

  it('an unknown procedure → 404 (Connect clients read it as unimplemented)', async () => {
    const r = recorded.find((x) => x.procedure.endsWith('/CreateSecret'))!;
    const res = await post(emu.url, '/flyteidl2.secret.SecretService/CreateSecretV2', { ...r.headers, authorization: `Bearer ${token}` }, Buffer.from(r.body_base64, 'base64'));
    assert.equal(res.status, 404);
    // connect-go: the generated handler on an http.ServeMux answers Go's http.NotFound; the Connect
    // protocol's "HTTP to Error Code" table maps 404 to `unimplemented` (docs/platform-apis.md §4.1)
    assert.equal(res.headers['content-type'], 'text/plain; charset=utf-8');
    assert.equal(res.body.toString('utf8'), '404 page not found\n');
    const connectCodeForHttp: Record<number, string> = { 400: 'internal', 401: 'unauthenticated', 403: 'permission_denied', 404: 'unimplemented', 429: 'unavailable', 502: 'unavailable', 503: 'unavailable', 504: 'unavailable' };
    assert.equal(connectCodeForHttp[res.status], 'unimplemented');
  });
});

describe('flyte emulator (protoCodec: false, --json-only): the recorded binary requests get connect-go\'s 415', () => {
  let emu: FlyteEmulator;
  let token: string;
  before(async () => {
    emu = await startFlyteEmulator({ protoCodec: false });
    token = emu.tokens.mint();
  });
  after(() => emu.close());

  it('application/proto → 415 with a JSON-only Accept-Post and no body; the recorded JSON requests still answer 200', async () => {
    let proto = 0;
    let json = 0;
    for (const r of recorded) {
      const headers: Record<string, string> = { authorization: `Bearer ${token}` };
      for (const k of ['content-type', 'content-encoding', 'accept-encoding', 'connect-protocol-version']) if (r.headers[k] !== undefined) headers[k] = r.headers[k]!;
      const res = await post(emu.url, r.procedure, headers, Buffer.from(r.body_base64, 'base64'));
      if (r.headers['content-type'] === 'application/proto') {
        assert.equal(res.status, 415, r.procedure);
        assert.equal(res.headers['accept-post'], 'application/json, application/json; charset=utf-8');
        assert.equal(res.body.length, 0);
        proto++;
      } else {
        assert.equal(res.status, 200, r.procedure);
        json++;
      }
    }
    assert.ok(proto > 0 && json > 0, `${proto} binary, ${json} JSON`);
    assert.equal(emu.state.getSecret('interop-a'), undefined, 'the binary CreateSecret never ran');
    // Connect GET with encoding=proto too; an unknown procedure stays a Go 404
    const get = await fetch(`${emu.url}/flyteidl2.auth.AuthMetadataService/GetPublicClientConfig?connect=v1&encoding=proto&message=`);
    assert.equal(get.status, 415);
    const unknown = await post(emu.url, '/flyteidl2.secret.SecretService/Nope', { 'content-type': 'application/proto', 'connect-protocol-version': '1' }, Buffer.alloc(0));
    assert.equal(unknown.status, 404);
  });
});
