import { test } from 'node:test';
import assert from 'node:assert/strict';
import { scanYaml } from '../../src/core/references/scanner';
import { lineStarts, positionAt } from '../../src/core/references/reference';
import { parseApoloRef } from '../../src/core/platforms/apolo/syntax';

function refsOf(text: string) {
  return scanYaml(text).references.map((r) => ({ text: r.text, at: text.slice(r.start, r.end), name: r.name, key: r.key, problem: r.problem, syntax: r.syntax, form: r.form, project: r.project, dynamic: r.dynamic }));
}

test('whole-scalar secret: forms, with exact ranges', () => {
  const text = [
    'env:',
    '  A: secret:wandb_key',
    '  B: "secret:/other-proj/hf-token"',
    "  C: 'secret://default/demo-org/demo-project/aws.creds'",
    'volumes:',
    '  - secret:ssh-key:/var/secret/key.txt',
    '  - "secret:/p/n:/etc/x"',
    '',
  ].join('\n');
  const refs = refsOf(text);
  assert.equal(refs.length, 5);
  for (const r of refs) assert.equal(r.at, r.text, 'range covers exactly the reference text');
  assert.deepEqual(refs.map((r) => r.name), ['wandb_key', 'hf-token', 'aws.creds', 'ssh-key', 'n']);
  assert.deepEqual(refs.map((r) => r.form), ['short', 'project', 'uri', 'short', 'project']);
  assert.equal(refs[1].project, 'other-proj');
  assert.equal(refs[0].text, 'secret:wandb_key');
  assert.equal(refs[3].text, 'secret:ssh-key:/var/secret/key.txt');
});

test('env-style strings: VAR=secret:KEY and --env VAR=secret:KEY', () => {
  const text = 'args:\n  - WANDB_API_KEY=secret:wandb\n  - --env HF=secret:hf\n  - "-e X=secret:x"\n  - --volume=secret:k:/p\n';
  const refs = refsOf(text);
  assert.deepEqual(refs.map((r) => r.at), ['secret:wandb', 'secret:hf', 'secret:x', 'secret:k:/p']);
});

test('comments, longer strings and prose are not references', () => {
  const text = [
    '# secret:in-comment <<also.comment>>',
    'description: use secret:foo to configure',
    'note: "secret: keep it safe"',
    'cmd: apolo run --env X=secret:k image', // a longer command line
    'url: https://example.com/secret:x',
    'key: value # secret:trailing <<t.k>>',
    '',
  ].join('\n');
  assert.deepEqual(refsOf(text), []);
});

test('templates anywhere in a scalar, several per scalar, block scalars included', () => {
  const text = [
    'a: "token=<<hf.token>> and <<wandb>>"',
    'b: |',
    '  export X=<<aws.key_id>>',
    '  cat <<EOF >> log',
    'c: plain <<x>> text',
    '',
  ].join('\n');
  const refs = refsOf(text);
  assert.deepEqual(refs.map((r) => r.at), ['<<hf.token>>', '<<wandb>>', '<<aws.key_id>>', '<<x>>']);
  assert.deepEqual(refs.map((r) => [r.name, r.key]), [['hf', 'token'], ['wandb', undefined], ['aws', 'key_id'], ['x', undefined]]);
});

test('ZenML {{name.key}}: whole scalar, split at the first dot, whitespace trimmed; no dot or a dotted key is a look-alike', () => {
  // Issue 12: `{{x}}` (no '.') and `{{a.b.c}}` (a key ZenML's key rule never allows) are other tools' (tests in lookalikes.test.ts).
  const text = 'password: "{{ mlflow_secret.password }}"\nother: "{{x}}"\nchain: "{{ mlflow_secret.pass.word }}"\nempty: "{{a.}}"\nprose: see {{a.b}} here\n';
  const refs = refsOf(text);
  assert.equal(refs.length, 2);
  assert.deepEqual([refs[0].name, refs[0].key, refs[0].at], ['mlflow_secret', 'password', '{{ mlflow_secret.password }}']);
  assert.equal(refs[0].problem, undefined);
  assert.equal(refs[1].at, '{{a.}}');
  assert.ok(refs[1].problem);
});

test('a line ending in # ml-secrets-ignore yields nothing', () => {
  const text = 'A: secret:nope # ml-secrets-ignore\nB: secret:yes\n';
  assert.deepEqual(refsOf(text).map((r) => r.name), ['yes']);
});

test('malformed references are flagged with a reason', () => {
  const bad = ['secret://c/o/n', 'secret://c/o/p/n/x', 'secret:', 'secret:a:/p:ro', 'secret:/only', 'secret:a/b', 'secret://c/o/p/n?x=1'];
  for (const b of bad) assert.ok(parseApoloRef(b).problem, b);
  assert.equal(parseApoloRef('secret:ok').problem, undefined);
  assert.equal(parseApoloRef('secret:${{ env.X }}').dynamic, true);
});

test('multi-document files, flow collections, anchors and CRLF keep exact ranges', () => {
  const text = 'a: &x secret:one\r\n---\r\nb: [secret:two, {c: "<<three.k>>"}]\r\nd: *x\r\n';
  const refs = refsOf(text);
  assert.deepEqual(refs.map((r) => r.at), ['secret:one', 'secret:two', '<<three.k>>']);
  const starts = lineStarts(text);
  const r = scanYaml(text).references[1];
  assert.deepEqual(positionAt(starts, r.start), { line: 2, character: 4 });
});

test('invalid YAML and odd input never throw', () => {
  for (const t of ['a: [unclosed', 'a: "unterminated', '\t- secret:x', ': : :', '[[[[[[[[', 'a:\n  - b\n c: secret:z', '\u0000secret:x']) {
    assert.doesNotThrow(() => scanYaml(t));
  }
});

test('files above the size cap are skipped, not scanned', () => {
  const r = scanYaml('a: secret:x\n'.repeat(100), { maxLength: 50 });
  assert.equal(r.skipped, 'tooLarge');
  assert.equal(r.references.length, 0);
});

test('issue item 2: a lone control character (or lexer-marker look-alike) never shifts later ranges', () => {
  const chars = ['\0', '\f', '\x01', '\x02', '\x07', '\x18', '\x1b', '\x1f'];
  for (const c of chars) {
    for (const text of [`a: ${c}\nb: secret:nmae\n`, `a: | ${c}\nb: secret:nmae\n`, `- ${c}\n- [${c}, ${c}]\n- secret:nmae`, `${c}: x\nb: secret:nmae`]) {
      const refs = scanYaml(text).references;
      assert.equal(refs.length, 1, JSON.stringify(text));
      const r = refs[0];
      assert.equal(text.slice(r.start, r.end), 'secret:nmae', JSON.stringify(text));
      assert.equal(r.nameStart, text.indexOf('nmae'));
      // The "Did you mean" fix replaces exactly the name.
      const fixed = text.slice(0, r.nameStart) + 'name' + text.slice((r.nameStart as number) + r.name.length);
      assert.equal(fixed, text.replace('secret:nmae', 'secret:name'));
    }
  }
});

test('issue item 9: an unterminated quote keeps every character up to the end of the file or line', () => {
  for (const q of ['"', "'"]) {
    const text = `x: ${q}secret:my-token`;
    const [r] = scanYaml(text).references;
    assert.equal(r.name, 'my-token');
    assert.equal(text.slice(r.start, r.end), 'secret:my-token');
    assert.equal(r.nameStart, text.indexOf('my-token'));
    const cut = `x: ${q}secret:my-token\ny: 1${q}\n`;
    assert.equal(scanYaml(cut).references[0]?.name, 'my-token', 'cut at an unindented line');
    const tmpl = `x: ${q}a <<tok.key>> b`;
    assert.deepEqual(scanYaml(tmpl).references.map((x) => [x.name, x.key]), [['tok', 'key']]);
  }
  const z = 'p: "{{ zen.key }}';
  const [zr] = scanYaml(z).references;
  assert.deepEqual([zr.name, zr.key, z.slice(zr.start, zr.end)], ['zen', 'key', '{{ zen.key }}']);
  assert.equal(scanYaml("x: 'secret:a''").references[0].name, "a'", "a trailing '' is an escaped quote, not the end");
});

test("secret: with no name, as a whole value (YAML reads it as a key), is malformed; a real key isn't", () => {
  const text = 'env:\n  A: secret:\n  B: "secret:"\nargs:\n  - VAR=secret:   # no name\n  - --env X=secret:\n';
  const refs = scanYaml(text).references;
  assert.deepEqual(refs.map((r) => [text.slice(r.start, r.end), r.problem !== undefined]), [
    ['secret:', true],
    ['secret:', true],
    ['secret:', true],
    ['secret:', true],
  ]);
  assert.match(refs[0].problem ?? '', /names no secret/);
  // Keys named secret (Kubernetes volumes, a top-level key) are not references.
  for (const t of ['secret:\nother: 1\n', 'sources:\n- secret:\n    name: x\n', 'vol:\n  - secret:\n    - a\n', 'a:\n  secret:\n  b: 1\n', 'x: {a: secret:}\n']) {
    assert.deepEqual(scanYaml(t).references.filter((r) => r.text === 'secret:'), [], t);
  }
});

test('<<bad name.key>> (whitespace inside, not at the ends) is a malformed template; CircleCI (silent) and heredocs are not', () => {
  const text = 'a: <<bad name.key>>\nb: "x <<two words>> y"\nc: cat <<EOF >> log\nd: echo $((1<<2 + 3>>1))\n';
  const refs = scanYaml(text).references;
  assert.deepEqual(refs.map((r) => r.text), ['<<bad name.key>>', '<<two words>>']);
  assert.ok(refs.every((r) => /whitespace inside/.test(r.problem ?? '')));
  assert.equal(refs[0].name, 'bad name');
  assert.equal(refs[0].key, 'key');
  assert.deepEqual(scanYaml('x: << parameters.x >>\ny: "<< pipeline.git.tag >>-<<ok.k>>"\n').references.map((r) => r.text), ['<<ok.k>>']);
});
