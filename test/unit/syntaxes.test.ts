// The reference syntax descriptors (src/core/references/syntaxes.ts) and the rule they serve: generic
// code (src/core/references, src/core/check, src/language) asks a descriptor instead of naming a
// syntax or a platform.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { referencesForTarget } from '../../src/core/check/target';
import { PLATFORM_IDS } from '../../src/core/platforms/types';
import { scanYaml } from '../../src/core/references/scanner';
import { namesOf, SYNTAXES, syntaxOf } from '../../src/core/references/syntaxes';


test('each syntax has one id, known platforms, folders of its own platforms, and a trigger per YAML recogniser', () => {
  assert.equal(new Set(SYNTAXES.map((s) => s.id)).size, SYNTAXES.length);
  for (const s of SYNTAXES) {
    for (const p of s.platforms ?? []) assert.ok(PLATFORM_IDS.includes(p), `${s.id}: ${p}`);
    for (const f of s.folders ?? []) assert.ok(s.platforms?.includes(f.platform), `${s.id}: folder ${f.dir}`);
    if (s.onlyForItsPlatforms) assert.ok(s.platforms?.length, `${s.id}: onlyForItsPlatforms needs platforms`);
    if (s.yaml) assert.ok(s.yaml.trigger.length > 0, s.id);
  }
});

test('what descriptors answer for scanned references', () => {
  const refs = scanYaml('a: secret:..bad\nb: "{{ s.name }}"\nc: <<aws.key_id>>\nv: secret:x:/etc/x:ro\nw: secret:y:rel/p\n').references;
  const by = (text: string) => refs.find((r) => r.text === text) ?? assert.fail(text);
  assert.match(syntaxOf(by('secret:..bad'))?.validateName?.('..bad') ?? '', /not a valid secret name/);
  assert.match(syntaxOf(by('{{ s.name }}'))?.validateKey?.('name') ?? '', /reserved by ZenML/);
  assert.equal(syntaxOf(by('<<aws.key_id>>'))?.validateKey, undefined, 'a template key is only a prefill hint');
  assert.deepEqual(namesOf(by('<<aws.key_id>>'), false), ['aws.key_id', 'aws']);
  assert.deepEqual(namesOf(by('<<aws.key_id>>'), true), ['aws']);
  const ro = by('secret:x:/etc/x:ro');
  assert.deepEqual(syntaxOf(ro)?.fixes?.(ro), [{ title: "Remove ':ro' (secret volumes are always read-only)", start: ro.end - 3, end: ro.end, newText: '', preferred: true }]);
  const rel = by('secret:y:rel/p');
  assert.deepEqual(syntaxOf(rel)?.fixes?.(rel), [{ title: "Make the mount path absolute: '/rel/p'", start: rel.start + 'secret:y:'.length, end: rel.start + 'secret:y:'.length, newText: '/', preferred: true }]);
  const project = scanYaml('a: secret:/proj/n\n').references[0];
  assert.equal(syntaxOf(project)?.inScope?.(project, { project: 'proj' }), true);
  assert.equal(syntaxOf(project)?.inScope?.(project, { project: 'other' }), false);
});

test('referencesForTarget takes the connections, or whether one of a syntax platforms exists', () => {
  const refs = scanYaml('a: "{{ s.k }}"\nb: "<<t.k>>"\n').references;
  const zen = [{ label: 'z', platform: 'zenml' as const }];
  const apolo = [{ label: 'a', platform: 'apolo' as const }];
  assert.equal(referencesForTarget(refs, { none: 'x' }, zen).length, 2);
  assert.equal(referencesForTarget(refs, { none: 'x' }, true).length, 2);
  assert.equal(referencesForTarget(refs, { none: 'x' }, apolo).length, 1);
  assert.equal(referencesForTarget(refs, { none: 'x' }, false).length, 1);
});
