import { test } from 'node:test';
import assert from 'node:assert/strict';
import { checkReferences, CheckTarget, ScopeState, suggest } from '../../src/core/check/checker';
import { chooseTarget, referencesForTarget } from '../../src/core/check/target';
import { scanYaml } from '../../src/core/references/scanner';
import { validateApoloKey } from '../../src/core/platforms/apolo/names';
import { SecretInfo } from '../../src/core/platforms/types';

function target(states: Record<string, ScopeState>, keyed = false): CheckTarget {
  return {
    label: 'demo',
    platformName: 'Apolo',
    keyed,
    validateName: validateApoloKey,
    resolveScope: (ref) => ({ scopeId: ref.project ?? 'own' }),
    state: (id) => states[id] ?? { status: 'unknown', label: id, reason: 'nope' },
  };
}

function ok(names: string[], complete = true, keys?: Record<string, string[]>): ScopeState {
  return { status: 'ok', label: 'org/proj', complete, secrets: new Map<string, SecretInfo>(names.map((n) => [n, { name: n, keys: keys?.[n] }])) };
}

const doc = `env:
  A: secret:present
  B: secret:absent
  C: secret:/other/thing
  D: secret:bad name
  E: "<<present.key>> <<aws-creds.json>> <<nope.k>>"
  F: secret:..bad
`;

test('missing only when the list is complete; unverified otherwise', () => {
  const refs = scanYaml(doc).references;
  const out = checkReferences({ refs, target: target({ own: ok(['present', 'aws-creds.json']), other: ok([], false) }), level: 'secretAndKeyExist' });
  const byText = Object.fromEntries(out.map((f) => [f.ref.text, f.code ?? f.status]));
  assert.deepEqual(byText, {
    'secret:present': 'ok',
    'secret:absent': 'secret-missing',
    'secret:/other/thing': 'secret-unverified',
    '<<present.key>>': 'ok',
    '<<aws-creds.json>>': 'ok',
    '<<nope.k>>': 'secret-missing',
    'secret:..bad': 'reference-malformed',
  });
});

test('a list that could not be fetched never yields secret-missing', () => {
  const refs = scanYaml(doc).references;
  const offline: ScopeState = { status: 'unknown', label: 'org/proj', reason: 'offline', action: 'retry' };
  const out = checkReferences({ refs, target: target({ own: offline, other: offline }), level: 'secretExists' });
  assert.ok(out.every((f) => f.code !== 'secret-missing'));
  assert.ok(out.filter((f) => f.code === 'secret-unverified').every((f) => /offline/.test(f.message)));
});

test('no connection: unverified with the reason, malformed still malformed', () => {
  const refs = scanYaml(doc).references;
  const out = checkReferences({ refs, target: { none: 'not signed in.', action: 'signIn' }, level: 'secretAndKeyExist', fallbackValidateName: (r) => (r.syntax === 'apolo' ? validateApoloKey(r.name) : undefined) });
  assert.equal(out.find((f) => f.ref.text === 'secret:..bad')?.code, 'reference-malformed');
  assert.equal(out.find((f) => f.ref.text === 'secret:absent')?.code, 'secret-unverified');
  assert.equal(out.find((f) => f.ref.text === 'secret:absent')?.action, 'signIn');
});

test('keys are checked on keyed platforms at secretAndKeyExist only', () => {
  const refs = scanYaml('a: "<<aws.key_id>> <<aws.nokey>>"\n').references;
  const t = target({ own: ok(['aws'], true, { aws: ['key_id', 'secret'] }) }, true);
  assert.deepEqual(checkReferences({ refs, target: t, level: 'secretAndKeyExist' }).map((f) => f.code ?? f.status), ['ok', 'key-missing']);
  assert.deepEqual(checkReferences({ refs, target: t, level: 'secretExists' }).map((f) => f.code ?? f.status), ['ok', 'ok']);
  assert.deepEqual(checkReferences({ refs, target: t, level: 'none' }).map((f) => f.status), ['skipped', 'skipped']);
});

test('suggestions for near misses', () => {
  assert.deepEqual(suggest('WANDB_KEY', ['WANDB_API_KEY', 'WANDB_KEYS', 'HF_TOKEN']), ['WANDB_KEYS']);
  assert.deepEqual(suggest('WANDB_API_KY', ['WANDB_API_KEY', 'HF_TOKEN']), ['WANDB_API_KEY']);
  assert.deepEqual(suggest('hf_token', ['HF_TOKEN']), ['HF_TOKEN']);
  const f = checkReferences({ refs: scanYaml('a: secret:presnt\n').references, target: target({ own: ok(['present', 'other']) }), level: 'secretExists' })[0];
  assert.deepEqual(suggest(f.ref.name, f.candidates?.() ?? []), ['present'], 'candidates feed the quick fix');
});

test('choosing the connection for a file', () => {
  const conns = [
    { label: 'a', platform: 'apolo' as const },
    { label: 'n', platform: 'neuro' as const },
  ];
  const apoloSyntax = new Set(['apolo' as const]);
  assert.deepEqual(chooseTarget('/w/.apolo/live.yml', apoloSyntax, undefined, conns), { label: 'a', platform: 'apolo' });
  assert.deepEqual(chooseTarget('/w/.neuro/live.yml', apoloSyntax, undefined, conns), { label: 'n', platform: 'neuro' });
  assert.ok('none' in chooseTarget('/w/job.yml', apoloSyntax, undefined, conns), 'two candidates: ambiguous');
  assert.deepEqual(chooseTarget('/w/job.yml', apoloSyntax, 'n', conns), { label: 'n', platform: 'neuro' });
  assert.equal((chooseTarget('/w/job.yml', apoloSyntax, 'zz', conns) as { action: string }).action, 'chooseConnection');
  assert.equal((chooseTarget('/w/job.yml', apoloSyntax, undefined, []) as { action: string }).action, 'signIn');
  assert.deepEqual(chooseTarget('/w/job.yml', apoloSyntax, undefined, [conns[0]]), { label: 'a', platform: 'apolo' });
});

test('{{ }} is only a reference when the file is checked against ZenML', () => {
  const refs = scanYaml('a: "{{ .Values.x }}"\nb: secret:k\n').references;
  assert.equal(referencesForTarget(refs, { label: 'a', platform: 'apolo' }, false).length, 1);
  assert.equal(referencesForTarget(refs, { none: 'x' }, false).length, 1);
  assert.equal(referencesForTarget(refs, { none: 'x' }, true).length, 1, 'a file with secret: is not ZenML-looking');
  assert.equal(referencesForTarget(scanYaml('a: "{{ s.k }}"\n').references, { none: 'x' }, true).length, 1);
  assert.equal(referencesForTarget(refs, { label: 'z', platform: 'zenml' }, true).length, 2);
});
