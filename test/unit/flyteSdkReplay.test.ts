// The requests the official Flyte 2 CLI sent (test/fixtures/flyte/flyte-sdk-requests.jsonl, see
// its README), decoded with the types generated from the vendored flyteidl2 protos (proto/,
// `npm run gen:proto`): each procedure resolves to a method of a generated service, each body
// decodes with that method's input type and says what the CLI meant, and re-encodes to the same.
// The CreateSecret value is only ever measured, never printed.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { gunzipSync } from 'node:zlib';
import { equals, fromBinary, fromJson, isMessage, toBinary, toJson, type DescMessage } from '@bufbuild/protobuf';
import { MethodOptions_IdempotencyLevel } from '@bufbuild/protobuf/wkt';
import { SelectClusterRequestSchema, SelectClusterRequest_Operation } from '../../src/core/platforms/flyte/gen/flyteidl2/cluster/payload_pb';
import { SecretType } from '../../src/core/platforms/flyte/gen/flyteidl2/secret/definition_pb';
import { CreateSecretRequestSchema, ListSecretsRequestSchema } from '../../src/core/platforms/flyte/gen/flyteidl2/secret/payload_pb';
import { FLYTE_METHODS } from '../../src/core/platforms/flyte/methods';
import { recordedFlyteRequests, type RecordedRequest } from '../fixtures/flyteFixtures';

const recorded: RecordedRequest[] = recordedFlyteRequests();
const methods = FLYTE_METHODS;

function bodyOf(r: RecordedRequest): Uint8Array {
  assert.equal(r.headers['content-encoding'], 'gzip', `${r.procedure}: gzip'd body`);
  return new Uint8Array(gunzipSync(Buffer.from(r.body_base64, 'base64')));
}

/** Decodes a body with the codec its content type names; checks that it re-encodes to the same. */
function decode(r: RecordedRequest, schema: DescMessage) {
  const body = bodyOf(r);
  const type = r.headers['content-type'];
  if (type === 'application/proto') {
    const msg = fromBinary(schema, body);
    const again = toBinary(schema, msg);
    // assert.ok, not deepEqual: a failure must not print a secret value
    assert.ok(equals(schema, fromBinary(schema, again), msg), `${r.procedure}: toBinary(fromBinary(x)) re-decodes equal`);
    assert.ok(Buffer.from(again).equals(Buffer.from(body)), `${r.procedure}: re-encodes to the bytes the CLI sent`);
    return msg;
  }
  assert.equal(type, 'application/json', `${r.procedure}: content type`);
  const json: unknown = JSON.parse(Buffer.from(body).toString('utf8'));
  const msg = fromJson(schema, json as never);
  assert.ok(equals(schema, fromJson(schema, toJson(schema, msg)), msg), `${r.procedure}: toJson(fromJson(x)) re-decodes equal`);
  assert.ok(equals(schema, fromBinary(schema, toBinary(schema, msg)), msg), `${r.procedure}: binary round trip`);
  return msg;
}

test('the fixture holds the five requests of a `flyte create/get secret` session', () => {
  assert.deepEqual(recorded.map((r) => r.procedure).sort(), [
    '/flyteidl2.auth.AuthMetadataService/GetOAuth2Metadata',
    '/flyteidl2.auth.AuthMetadataService/GetPublicClientConfig',
    '/flyteidl2.cluster.ClusterService/SelectCluster',
    '/flyteidl2.secret.SecretService/CreateSecret',
    '/flyteidl2.secret.SecretService/ListSecrets',
  ]);
  for (const r of recorded) {
    assert.ok(methods.has(r.procedure), `${r.procedure} is a method of a generated service`);
    assert.equal(r.headers['connect-protocol-version'], '1');
  }
});

test('SelectCluster: OPERATION_USE_SECRETS for org "demo"', () => {
  const r = recorded.find((x) => x.procedure.endsWith('/SelectCluster'))!;
  const method = methods.get(r.procedure)!;
  assert.equal(method.input.typeName, 'flyteidl2.cluster.SelectClusterRequest');
  assert.equal(method.output.typeName, 'flyteidl2.cluster.SelectClusterResponse');
  const msg = decode(r, method.input);
  assert.ok(isMessage(msg, SelectClusterRequestSchema));
  assert.equal(msg.operation, SelectClusterRequest_Operation.USE_SECRETS);
  assert.equal(msg.operation, 8);
  assert.equal(msg.resource.case, 'orgId');
  assert.equal(msg.resource.value.name, 'demo');
  assert.deepEqual(toJson(SelectClusterRequestSchema, msg), { orgId: { name: 'demo' }, operation: 'OPERATION_USE_SECRETS' });
});

test('ListSecrets: organization "demo", pages of 10, org-wide, no token', () => {
  const r = recorded.find((x) => x.procedure.endsWith('/ListSecrets'))!;
  const msg = decode(r, methods.get(r.procedure)!.input);
  assert.ok(isMessage(msg, ListSecretsRequestSchema));
  assert.equal(msg.organization, 'demo');
  assert.equal(msg.limit, 10);
  assert.equal(msg.domain, '');
  assert.equal(msg.project, '');
  assert.equal(msg.token, '');
  assert.deepEqual(msg.perClusterTokens, {});
  assert.equal(msg.includeSystemSecrets, false);
});

test('CreateSecret: id interop-a in org "demo", a binary value (not printed)', () => {
  const r = recorded.find((x) => x.procedure.endsWith('/CreateSecret'))!;
  const msg = decode(r, methods.get(r.procedure)!.input);
  assert.ok(isMessage(msg, CreateSecretRequestSchema));
  assert.equal(msg.id?.name, 'interop-a');
  assert.equal(msg.id?.organization, 'demo');
  assert.equal(msg.id?.domain, '');
  assert.equal(msg.id?.project, '');
  const spec = msg.secretSpec;
  assert.ok(spec, 'secret_spec is set');
  assert.equal(spec.type, SecretType.GENERIC);
  // the CLI always sends bytes; only the kind and size of the value are looked at
  assert.equal(spec.value.case, 'binaryValue');
  const size = spec.value.case === 'binaryValue' ? spec.value.value.length : -1;
  assert.ok(size > 0, 'a non-empty value');
});

test('AuthMetadataService discovery: `{}` JSON bodies decode into their request types', () => {
  for (const name of ['GetOAuth2Metadata', 'GetPublicClientConfig']) {
    const r = recorded.find((x) => x.procedure === `/flyteidl2.auth.AuthMetadataService/${name}`)!;
    const method = methods.get(r.procedure)!;
    assert.equal(method.input.typeName, `flyteidl2.auth.${name}Request`);
    assert.equal(method.methodKind, 'unary');
    assert.equal(method.idempotency, MethodOptions_IdempotencyLevel.NO_SIDE_EFFECTS);
    const msg = decode(r, method.input);
    assert.deepEqual(toJson(method.input, msg), {});
    assert.equal(toBinary(method.input, msg).length, 0);
  }
});

test('every recorded request decodes with the generated types', () => {
  let n = 0;
  for (const r of recorded) {
    const method = methods.get(r.procedure);
    assert.ok(method, r.procedure);
    decode(r, method.input);
    n++;
  }
  assert.equal(n, 5);
  console.log(`flyte replay: ${n} requests decoded with generated types`);
});
