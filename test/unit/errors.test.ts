// Errors are redacted by construction: no subclass can hold an unredacted message, server message,
// permission entry or cause, whatever its caller put in.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as util from 'node:util';
import { AuthError, ConflictError, HttpError, NetworkError, NotFoundError, PermissionError, ProtocolError } from '../../src/core/errors';
import { redactor } from '../../src/core/redact';

const VALUE = 'errCANARY value +/é"';
const views = (e: Error) => [e.message, String(e.stack), util.inspect(e, { depth: 10 }), JSON.stringify(e)];

test('message, serverMessage, missing and stack are redacted at construction', () => {
  const release = redactor.hold([VALUE]);
  try {
    const errors: Error[] = [
      new AuthError(`bad ${VALUE}`),
      new ProtocolError(`bad ${JSON.stringify(VALUE)}`),
      new HttpError(500, `server error (${VALUE})`, `detail: ${VALUE}`),
      new NotFoundError(`nf ${VALUE}`, VALUE),
      new ConflictError(`c ${VALUE}`, VALUE),
      new PermissionError(`needs ${VALUE}`, [{ uri: `secret://c/o/p/${VALUE}`, action: encodeURIComponent(VALUE) }]),
      new NetworkError(`net ${VALUE}`, VALUE),
    ];
    for (const e of errors) for (const v of views(e)) assert.ok(!v.includes('CANARY'), `${e.name}: ${v}`);
    const pe = errors[5] as PermissionError;
    assert.equal(pe.missing.length, 1);
    assert.ok(pe.missing[0].uri.startsWith('secret://c/o/p/'), 'the rest of the URI is kept');
  } finally {
    release();
  }
});

test('a cause is kept as a sanitized copy: no request, no unredacted text', () => {
  const release = redactor.hold([VALUE]);
  try {
    const low = Object.assign(new Error(`request to http://x failed: body ${VALUE}`), { code: 'ECONNRESET', request: { body: VALUE }, cause: new Error(`inner ${VALUE}`) });
    const e = new NetworkError('The connection was closed.', 'ECONNRESET', { cause: low });
    for (const v of views(e)) assert.ok(!v.includes('CANARY'), v);
    const cause = (e as { cause?: Error & { code?: string } }).cause;
    assert.equal(cause?.code, 'ECONNRESET');
    assert.ok(!util.inspect(cause, { depth: 10 }).includes('CANARY'));
    assert.ok(!JSON.stringify(e).includes('cause'), 'cause is not serialised');
  } finally {
    release();
  }
});

test('JSON.stringify of an error gives its name, kind, message and fields', () => {
  const j = JSON.parse(JSON.stringify(new HttpError(503, 'Unavailable.', 'try later'))) as Record<string, unknown>;
  assert.equal(j.name, 'HttpError');
  assert.equal(j.kind, 'http');
  assert.equal(j.message, 'Unavailable.');
  assert.equal(j.status, 503);
  assert.equal(j.serverMessage, 'try later');
});

test('control characters and bidi overrides from server text are neutralised; length is bounded', () => {
  const e = new HttpError(500, 'boom \u001b[31mred\u001b[0m \u202eevil\u202c', 'x'.repeat(10_000));
  assert.ok(!/[\u001b\u202e\u202c]/.test(e.message), e.message);
  assert.ok((e.serverMessage ?? '').length <= 501);
  assert.ok(new ProtocolError('y'.repeat(100_000)).message.length <= 2001);
});

test('util.inspect redacts again at print time, even a field a subclass adds', () => {
  class WithExtra extends ProtocolError {
    readonly extra: string;
    constructor(extra: string) {
      super('with extra');
      this.extra = extra;
    }
  }
  const e = new WithExtra('inspCANARY-registered-later');
  const release = redactor.hold(['inspCANARY-registered-later']);
  try {
    assert.ok(!util.inspect(e, { depth: 10 }).includes('inspCANARY'), util.inspect(e));
    assert.ok(!JSON.stringify(e).includes('inspCANARY'));
  } finally {
    release();
  }
});
