// Issue 12: Apolo / Neu.ro names written as expressions (docs/contract.md "Beyond YAML"): a name that
// is itself an expression (`secret:${{ params.x }}`, `secret:$[[ x ]]`) is set at run time — no
// diagnostic, a lens says so — and a `secret:NAME` literal inside a `${{ … }}` expression is checked,
// with an exact range.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { checkReferences, CheckTarget, DYNAMIC_MESSAGE } from '../../src/core/check/checker';
import { YamlScanState } from '../../src/core/references/incremental';
import { scanYaml } from '../../src/core/references/scanner';
import { validateApoloKey } from '../../src/core/platforms/apolo/names';
import { SecretInfo } from '../../src/core/platforms/types';

const target: CheckTarget = {
  label: 'apolo',
  platformName: 'Apolo',
  keyed: false,
  validateName: validateApoloKey,
  resolveScope: () => ({ scopeId: 'own' }),
  state: () => ({ status: 'ok', label: 'org/proj', complete: true, secrets: new Map<string, SecretInfo>([['foo', { name: 'foo' }]]) }),
};

const FLOW = `kind: live
params:
  token_secret_name: hf-token
jobs:
  train:
    image: ubuntu
    env:
      HF_TOKEN: secret:$[[ params.token_secret_name ]]
      WANDB: secret:\${{ params.wandb }}
      VAR: "TOKEN=secret:\${{ params.x }}"
      PICK: \${{ 'secret:foo' if flow.id == 'a' else 'secret:bar' }}
      SQUARE: $[[ "secret:foo" if params.x else "secret:/proj/baz" ]]
      FMT: \${{ fmt('secret:{}', params.x) }}
    volumes:
      - secret:\${{ params.vol }}:/var/secrets/key
`;

test('secret:${{ … }} / secret:$[[ … ]]: set at run time, no diagnostic, a lens message', () => {
  const refs = scanYaml(FLOW).references;
  const dynamic = refs.filter((r) => r.dynamic).map((r) => r.text);
  assert.deepEqual(dynamic, ['secret:$[[ params.token_secret_name ]]', 'secret:${{ params.wandb }}', 'secret:${{ params.x }}', 'secret:${{ params.vol }}:/var/secrets/key']);
  const fs = checkReferences({ refs, target, level: 'secretAndKeyExist' });
  for (const f of fs.filter((x) => x.ref.dynamic)) {
    assert.equal(f.status, 'skipped');
    assert.equal(f.runTime, true);
    assert.equal(f.message, DYNAMIC_MESSAGE);
    assert.match(f.message, /set at run time — not checked/);
  }
  // Checking off: skipped, but not called run-time (no lens).
  assert.ok(checkReferences({ refs, target, level: 'none' }).every((f) => f.status === 'skipped' && !f.runTime));
});

test('secret: literals inside ${{ … }} / $[[ … ]] are checked, with exact ranges', () => {
  const refs = scanYaml(FLOW).references.filter((r) => !r.dynamic);
  assert.deepEqual(
    refs.map((r) => [r.text, FLOW.slice(r.start, r.end), r.name, r.nameStart !== undefined ? FLOW.slice(r.nameStart, r.nameStart + r.name.length) : undefined]),
    [
      ['secret:foo', 'secret:foo', 'foo', 'foo'],
      ['secret:bar', 'secret:bar', 'bar', 'bar'],
      ['secret:foo', 'secret:foo', 'foo', 'foo'],
      ['secret:/proj/baz', 'secret:/proj/baz', 'baz', 'baz'],
    ],
  );
  const fs = checkReferences({ refs, target, level: 'secretAndKeyExist' });
  assert.deepEqual(
    fs.map((f) => f.code ?? f.status),
    ['ok', 'secret-missing', 'ok', 'secret-missing'],
  );
  // fmt('secret:{}', …) builds a name at run time: not a literal name, nothing checked.
  assert.ok(!refs.some((r) => r.text.includes('{')));
});

test('prose and command lines with secret: and expressions stay silent', () => {
  for (const t of ['note: "secret: ${{ x }}"\n', 'cmd: apolo run --env X=secret:${{ params.x }} image\n', 'a: secret:${{ x }} and more\n', 'b: ${{ secret:foo }}\n']) {
    assert.deepEqual(scanYaml(t).references, [], t);
  }
});

test('an unclosed expression costs a linear scan and yields nothing', () => {
  const t = `a: "${'${{ '.repeat(20_000)}'secret:x'"\n`;
  const t0 = Date.now();
  assert.deepEqual(scanYaml(t).references, []);
  assert.ok(Date.now() - t0 < 2_000);
});

test('incremental re-scans agree with a full scan for expression literals', () => {
  const state = YamlScanState.full(FLOW);
  state.prepare();
  const at = FLOW.indexOf("'secret:bar'") + "'secret:bar".length;
  const edited = FLOW.slice(0, at) + '2' + FLOW.slice(at);
  const next = state.apply(edited, [{ start: at, end: at, text: '2' }]);
  const strip = (rs: readonly { text: string; start: number; end: number }[]) => rs.map((r) => [r.text, r.start, r.end]);
  assert.deepEqual(strip(next.result.references), strip(scanYaml(edited).references));
  assert.ok(next.result.references.some((r) => r.text === 'secret:bar2'));
});
