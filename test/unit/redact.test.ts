import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Redactor } from '../../src/core/redact';
import { boundOrigins, credentialKey, jwtUser, parseCredential } from '../../src/core/connections';

test('exact-match redaction of registered secrets in every encoding', () => {
  const r = new Redactor();
  const tok = 'sk-abc:DEF/+=.ghi_jkl-mno';
  r.add(tok);
  for (const form of [tok, Buffer.from(tok).toString('base64'), encodeURIComponent(tok), JSON.stringify(tok)]) {
    const out = r.redact(`before ${form} after`);
    assert.ok(!out.includes(tok) && !out.includes(Buffer.from(tok).toString('base64')), out);
  }
  r.remove(tok);
  assert.ok(r.redact(tok).includes('sk-abc'), 'forgotten after remove');
});

test('patterns catch unregistered bearer tokens, JWTs and token= pairs', () => {
  const r = new Redactor();
  const jwt = 'eyJhbGciOiJIUzI1NiJ9.eyJpZGVudGl0eSI6ImFsaWNlIn0.c2lnbmF0dXJlLXNpZw';
  const out = r.redact(`Authorization: Bearer abc:def/ghi+jkl= and ${jwt} and token=xyz123&password: "p@ss"`);
  assert.ok(!out.includes('abc:def'), out);
  assert.ok(!out.includes('eyJpZGVudGl0eSI6ImFsaWNlIn0'), out);
  assert.ok(!out.includes('xyz123'), out);
  assert.ok(!out.includes('p@ss'), out);
  assert.equal(r.redact("Secret 'WANDB_KEY' not found"), "Secret 'WANDB_KEY' not found", 'names are not secrets');
  assert.equal(r.redact('A: secret:wandb'), 'A: secret:wandb');
});

test('credentials are bound to their origin', () => {
  const good = JSON.stringify({ v: 1, origin: 'https://api.x.test', origins: ['https://api.x.test'], token: 't' });
  assert.ok(parseCredential(good, 'https://api.x.test'));
  assert.equal(parseCredential(good, 'https://api.x.test.evil.test'), undefined);
  assert.equal(parseCredential('not json', 'https://api.x.test'), undefined);
  assert.notEqual(credentialKey({ platform: 'apolo', origin: 'https://a', label: 'l' }), credentialKey({ platform: 'apolo', origin: 'https://b', label: 'l' }));
});

test('bound origins: API plus named services, never an https → http downgrade', () => {
  assert.deepEqual(boundOrigins('https://api.x.test/api/v1', ['https://secrets.x.test/api/v1/secrets', 'http://plain.x.test/', 'ftp://f/', 'nonsense']), ['https://api.x.test', 'https://secrets.x.test']);
  assert.deepEqual(boundOrigins('http://127.0.0.1:1/api/v1', ['http://127.0.0.1:2/x']), ['http://127.0.0.1:1', 'http://127.0.0.1:2']);
});

test('jwtUser reads the identity claim for display', () => {
  const payload = Buffer.from(JSON.stringify({ 'https://platform.neuromation.io/user': 'alice' })).toString('base64url');
  assert.equal(jwtUser(`eyJhbGciOiJIUzI1NiJ9.${payload}.sig`), 'alice');
  assert.equal(jwtUser('opaque-token'), undefined);
});

test('form-encoded (URLSearchParams) and ASCII-escaped JSON forms are redacted too', () => {
  const r = new Redactor();
  const pw = 'my pass+word&x=é"q';
  r.add(pw);
  const form = new URLSearchParams({ password: pw }).toString().split('=').slice(1).join('=');
  assert.ok(form.includes('+'), 'space travels as + in a form');
  for (const shown of [form, JSON.stringify(pw).slice(1, -1).replace('é', '\\u00e9'), JSON.stringify(pw).slice(1, -1).replace('é', '\\u00E9')]) {
    const out = r.redact(`the server said: ${shown}!`);
    assert.ok(!out.includes(shown), `${shown} → ${out}`);
    assert.ok(!out.includes('pass'), out);
  }
});

test('hold registers for one operation and forgets on release (once), keeping other holders', () => {
  const r = new Redactor();
  const token = 'tok_kept_while_signed_in';
  r.add(token);
  const release = r.hold([token, 'value-sent-once', undefined, 'ab']);
  assert.ok(r.has('value-sent-once'));
  assert.ok(!r.redact('x value-sent-once y').includes('value-sent-once'));
  release();
  release();
  assert.ok(!r.has('value-sent-once'), 'forgotten after the operation');
  assert.ok(r.has(token), 'a token registered elsewhere is still registered');
  assert.ok(!r.redact(token).includes(token));
});
