import { test } from 'node:test';
import assert from 'node:assert/strict';
import { candidateNames, ReferenceIndex, referencesIn } from '../../src/core/references/referenceIndex';
import { scanYaml } from '../../src/core/references/scanner';

const FILES: Record<string, string> = {
  'a.yml': 'env:\n  A: secret:alpha\n  B: "secret:/proj/beta"\n  C: secret://c/o/p/gamma.json\nvolumes:\n  - secret:delta:/var/x\n',
  'b.yml': 'x: "<<eps.k>> and <<aws-creds.json>>"\ny: "{{ zen.key }}"\n# secret:in_comment\n',
  'c.yml': 'plain: text\n',
};

test('candidate names are a superset of what the exact scanner finds', () => {
  for (const [f, text] of Object.entries(FILES)) {
    const cands = candidateNames(text);
    for (const r of scanYaml(text).references) assert.ok(cands.has(r.name), `${f}: ${r.name} missing from ${[...cands]}`);
  }
  assert.ok(candidateNames(FILES['b.yml']).has('aws-creds.json'));
  assert.equal(candidateNames(FILES['c.yml']).size, 0);
});

test('the index answers with candidates; lookups confirm them exactly; updates and deletes stick', () => {
  const idx = new ReferenceIndex();
  for (const [f, t] of Object.entries(FILES)) idx.set(f, t);
  assert.deepEqual(idx.candidates('alpha'), ['a.yml']);
  assert.deepEqual(idx.candidates('in_comment'), ['b.yml'], 'a comment is only a candidate');
  assert.equal(referencesIn(FILES['b.yml'], 'in_comment').length, 0, 'and the exact check drops it');
  assert.equal(referencesIn(FILES['b.yml'], 'aws-creds.json').length, 1);
  idx.set('a.yml', 'env:\n  A: secret:other\n');
  assert.deepEqual(idx.candidates('alpha'), []);
  idx.delete('a.yml');
  assert.deepEqual(idx.candidates('other'), []);
  assert.equal(idx.size, 1);
});

test('issue item 10: the index finds every reference the scanners report (odd names, unterminated quotes, Python)', () => {
  const yamlCases = ['a: secret:x-<<t>>\n', 'a: secret:ab"c\n', 'a: [secret:ab}c]\n', "a: secret:it's\n", 'x: "secret:my-token', 'x: "secret:a\\x62c"\n', 'a: "<<n.k>>"\n', 'a: "{{ z.k }}'];
  for (const text of yamlCases) {
    const refs = scanYaml(text).references;
    assert.ok(refs.length, JSON.stringify(text));
    const cands = candidateNames(text);
    for (const r of refs) assert.ok(cands.has(r.name), `${JSON.stringify(text)}: ${r.name} missing from ${[...cands]}`);
  }
  const py = 'import flyte\nenv = flyte.TaskEnvironment(name="e", secrets=[flyte.Secret(key="hf-token"), "wandb"])\n';
  const idx = new ReferenceIndex();
  idx.set('jobs/train.py', py);
  assert.deepEqual(idx.candidates('hf-token'), ['jobs/train.py']);
  assert.deepEqual(idx.candidates('wandb'), ['jobs/train.py']);
  assert.equal(referencesIn(py, 'hf-token', undefined, 'python').length, 1);
  assert.equal(referencesIn(py, 'hf-token').length, 0, 'read as YAML it is nothing');
});

test('the index finds the names of malformed templates with whitespace inside', () => {
  const names = candidateNames('a: <<bad name.key>>\nb: <<two words>>\n');
  for (const r of scanYaml('a: <<bad name.key>>\nb: <<two words>>\n').references) assert.ok(names.has(r.name), r.name);
});
