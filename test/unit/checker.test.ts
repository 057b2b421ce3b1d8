import { test } from 'node:test';
import assert from 'node:assert/strict';
import { checkReferences, CheckTarget, ScopeState, suggest } from '../../src/core/check/checker';
import { chooseTarget as choose, referencesForTarget } from '../../src/core/check/target';
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
  // One finding per reference in the document (D's "secret:bad name" is no reference), each at the
  // reference's own range: every well-formed one unverified (information, with the reason and the
  // retry action), the malformed one still an error.
  const at = (text: string) => [doc.indexOf(text), doc.indexOf(text) + text.length];
  const unverified = ['secret:present', 'secret:absent', 'secret:/other/thing', '<<present.key>>', '<<aws-creds.json>>', '<<nope.k>>'];
  assert.deepEqual(
    out.map((f) => [f.ref.text, f.ref.start, f.ref.end, f.code, f.severity]),
    [...unverified.map((t) => [t, ...at(t), 'secret-unverified', 'information']), ['secret:..bad', ...at('secret:..bad'), 'reference-malformed', 'error']],
  );
  for (const f of out.filter((x) => x.code === 'secret-unverified')) {
    assert.match(f.message, /^Can't verify '[^']+' in org\/proj: offline$/);
    assert.equal(f.action, 'retry');
  }
  assert.ok(out.every((f) => f.code !== 'secret-missing'));
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
  const chooseTarget = (...a: Parameters<typeof choose>) => {
    const c = choose(...a);
    return 'label' in c ? { label: c.label, platform: c.platform } : c;
  };
  assert.deepEqual(chooseTarget('/w/.apolo/live.yml', apoloSyntax, undefined, conns), { label: 'a', platform: 'apolo' });
  assert.deepEqual(chooseTarget('/w/.neuro/live.yml', apoloSyntax, undefined, conns), { label: 'n', platform: 'neuro' });
  assert.ok('none' in chooseTarget('/w/job.yml', apoloSyntax, undefined, conns), 'two candidates: ambiguous');
  assert.deepEqual(chooseTarget('/w/job.yml', apoloSyntax, 'n', conns), { label: 'n', platform: 'neuro' });
  assert.equal((chooseTarget('/w/job.yml', apoloSyntax, 'zz', conns) as { action: string }).action, 'chooseConnection');
  assert.equal((chooseTarget('/w/job.yml', apoloSyntax, undefined, []) as { action: string }).action, 'signIn');
  assert.deepEqual(chooseTarget('/w/job.yml', apoloSyntax, undefined, [conns[0]]), { label: 'a', platform: 'apolo' });
});

test("a folder's choice doesn't rebind a .neuro/ or .apolo/ file to the other platform, and says why", () => {
  const conns = [
    { label: 'apolo-demo', platform: 'apolo' as const },
    { label: 'neuro-demo', platform: 'neuro' as const },
    { label: 'zen', platform: 'zenml' as const },
  ];
  const syn = new Set(['apolo' as const]);
  // The folder names apolo-demo (chosen for jobs/finetune.yaml): .neuro/ stays on neuro-demo.
  const neuro = choose('/w/.neuro/live.yml', syn, 'apolo-demo', conns);
  assert.ok('label' in neuro && neuro.label === 'neuro-demo', JSON.stringify(neuro));
  assert.match((neuro as { why: string }).why, /files under \.neuro\/ are Neu\.ro files.*not the folder's Apolo connection 'apolo-demo'/);
  const apolo = choose('/w/.apolo/live.yml', syn, 'neuro-demo', conns);
  assert.ok('label' in apolo && apolo.label === 'apolo-demo');
  // The folder's choice still holds for other files, for its own platform, and for another family.
  const job = choose('/w/jobs/finetune.yaml', syn, 'apolo-demo', conns);
  assert.ok('label' in job && job.label === 'apolo-demo');
  assert.match((job as { why: string }).why, /chosen for this folder \(mlSecrets\.connection\)/);
  assert.equal((choose('/w/.neuro/live.yml', syn, 'neuro-demo', conns) as { label: string }).label, 'neuro-demo');
  assert.equal((choose('/w/.neuro/live.yml', syn, 'zen', conns) as { label: string }).label, 'zen');
  // Without exactly one connection of the directory's platform, the folder's setting decides.
  assert.equal((choose('/w/.neuro/live.yml', syn, 'apolo-demo', [conns[0]]) as { label: string }).label, 'apolo-demo');
  assert.equal((choose('/w/.neuro/live.yml', syn, 'apolo-demo', [...conns, { label: 'n2', platform: 'neuro' as const }]) as { label: string }).label, 'apolo-demo');
  // Without a setting, the why names the rule.
  assert.match((choose('/w/.neuro/live.yml', syn, undefined, conns) as { why: string }).why, /only Neu\.ro connection/);
});

test('Flyte: a secret missing on a cluster resolves with a caution (lens ⚠, hover explains)', () => {
  const refs = [{ syntax: 'flyte' as const, name: 'hf-token', text: 'hf-token', start: 0, end: 8 }];
  const t: CheckTarget = {
    ...target({}),
    resolveScope: () => ({ scopeIds: ['p/d', 'd', 'org'] }),
    state: (id) =>
      id === 'p/d'
        ? { status: 'ok', label: 'flytesnacks/development', complete: true, secrets: new Map([['hf-token', { name: 'hf-token', status: 'partially present — missing on c2' }]]) }
        : id === 'org'
          ? { status: 'ok', label: 'org-wide', complete: true, secrets: new Map([['openai-key', { name: 'openai-key' }]]) }
          : { status: 'ok', label: 'domain development', complete: true, secrets: new Map() },
  };
  const [f] = checkReferences({ refs, target: t, level: 'secretAndKeyExist' });
  assert.equal(f.status, 'ok');
  assert.equal(f.code, undefined, 'no diagnostic: it exists');
  assert.equal(f.caution?.short, 'exists, but not on cluster c2');
  assert.match(f.caution?.detail ?? '', /job scheduled on that cluster can't read it/);
  assert.match(f.message, /hf-token exists, but not on cluster c2 \(in flytesnacks\/development\)/);
  const [g] = checkReferences({ refs: [{ ...refs[0], name: 'openai-key' }], target: t, level: 'secretAndKeyExist' });
  assert.equal(g.message, 'openai-key exists org-wide');
  assert.equal(g.caution, undefined);
});

test('malformed: secret: with no name and <<bad name.key>> are reference-malformed errors', () => {
  const refs = scanYaml('env:\n  A: secret:\n  B: <<bad name.key>>\nargs:\n  - VAR=secret:\n').references;
  const fs = checkReferences({ refs, target: target({ own: ok(['x']) }), level: 'secretAndKeyExist' });
  assert.deepEqual(fs.map((f) => [f.ref.text, f.code, f.severity]), [
    ['secret:', 'reference-malformed', 'error'],
    ['<<bad name.key>>', 'reference-malformed', 'error'],
    ['secret:', 'reference-malformed', 'error'],
  ]);
});

test('{{ }} is only a reference when the file is checked against ZenML', () => {
  // ({{ .Values.x }} is Helm's, never a reference: lookalikes.test.ts.)
  const refs = scanYaml('a: "{{ s.k }}"\nb: secret:k\n').references;
  assert.equal(referencesForTarget(refs, { label: 'a', platform: 'apolo' }, false).length, 1);
  assert.equal(referencesForTarget(refs, { none: 'x' }, false).length, 1);
  assert.equal(referencesForTarget(refs, { none: 'x' }, true).length, 1, 'a file with secret: is not ZenML-looking');
  assert.equal(referencesForTarget(scanYaml('a: "{{ s.k }}"\n').references, { none: 'x' }, true).length, 1);
  assert.equal(referencesForTarget(refs, { label: 'z', platform: 'zenml' }, true).length, 2);
});

test('a connection kept signed out never competes with a signed-in one; a bound folder keeps its {{ }} references', () => {
  const apolo = new Set(['apolo'] as const);
  const old = { label: 'old-apolo', platform: 'apolo' as const, signedIn: false };
  const live = { label: 'apolo-demo', platform: 'apolo' as const, signedIn: true };
  const c1 = choose('/w/job.yaml', apolo, undefined, [old, live]);
  assert.ok('label' in c1 && c1.label === 'apolo-demo', JSON.stringify(c1));
  // Alone, a signed-out connection is still the file's (it says "signed out — Sign in").
  const c2 = choose('/w/job.yaml', apolo, undefined, [old]);
  assert.ok('label' in c2 && c2.label === 'old-apolo');
  // Two signed in: the user has to choose, as before.
  const c3 = choose('/w/job.yaml', apolo, undefined, [live, { ...old, signedIn: true }]);
  assert.ok('none' in c3 && /2 connections could apply/.test(c3.none));
  // A folder whose setting names a connection that is gone keeps its {{ }} references (unverified).
  const refs = scanYaml('a: "{{s.k}}"\n').references;
  const gone = choose('/w/stack.yaml', new Set(['zenml'] as const), 'zenml-demo', []);
  assert.ok('none' in gone && gone.bound === true);
  assert.equal(referencesForTarget(refs, gone, false).length, 1);
  assert.equal(referencesForTarget(refs, choose('/w/stack.yaml', new Set(['zenml'] as const), undefined, []), false).length, 0, 'an unbound folder with no ZenML connection: Helm-like {{ }} is left alone');
});
