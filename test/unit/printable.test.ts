// Names from files and servers are shown through printable(): no control characters, and no
// invisible or bidi-override characters that could make one name look like another.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { printable } from '../../src/core/text';

test('printable masks control, invisible and bidi-override characters, keeps the rest', () => {
  assert.equal(printable('wandb-key'), 'wandb-key');
  assert.equal(printable('a\u0000b\nc\u001bd\u007fe\u0085f'), 'a?b?c?d?e?f');
  // "admin" + RLO + "txt.exe" style spoofing, zero-width joiners and a BOM.
  assert.equal(printable('prod\u202Eyek\u202C'), 'prod?yek?');
  assert.equal(printable('a\u200Bb\u200Dc\uFEFFd\u2066e\u2069'), 'a?b?c?d?e?');
  assert.equal(printable('ключ-секрет_名前'), 'ключ-секрет_名前', 'letters of any script stay');
  assert.equal(printable('x'.repeat(100), 10), `${'x'.repeat(10)}…`);
});
