// Completion's pure parts: where a name or key is being typed in every syntax's reference forms
// (src/core/references/completionContext.ts, the forms in each syntax's descriptor) and the names
// offered from a cached list (src/core/references/completionNames.ts).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { completionContextAt } from '../../src/core/references/completionContext';
import { detailOf, matchNames, offersCreate, prepareNames, preparedNames } from '../../src/core/references/completionNames';
import type { SecretInfo } from '../../src/core/platforms/types';

/** The context at the `|` of `src` (removed). */
function at(src: string, language = 'yaml') {
  const offset = src.indexOf('|');
  assert.ok(offset >= 0, 'no cursor in the test text');
  const text = src.slice(0, offset) + src.slice(offset + 1);
  const ctx = completionContextAt(text, offset, language);
  return ctx && { ...ctx, replaced: text.slice(ctx.start, ctx.end) };
}

test('Apolo YAML: after secret: in a value, a list item, VAR=secret:, and a ${{ }} string', () => {
  assert.deepEqual(at('env:\n  TOKEN: secret:|\n'), { syntax: 'apolo', completes: 'name', prefix: '', start: 21, end: 21, replaced: '' });
  assert.equal(at('env:\n  TOKEN: secret:gh|\n')?.prefix, 'gh');
  const mid = at('volumes:\n  - secret:my-k|ey:/var/key\n');
  assert.equal(mid?.syntax, 'apolo');
  assert.equal(mid?.prefix, 'my-k');
  assert.equal(mid?.replaced, 'my-key');
  assert.equal(at('env:\n  - "TOKEN=secret:wan|"\n')?.prefix, 'wan');
  assert.equal(at("cmd: ${{ 'secret:ab|' }}\n")?.prefix, 'ab');
  assert.equal(at('  TOKEN: secret:a.b|')?.replaced, 'a.b');
});

test('not inside a reference: plain text, a word ending in secret:, a URI, other languages', () => {
  assert.equal(at('name: my|-job\n'), undefined);
  assert.equal(at('TOKEN: mysecret:|\n'), undefined);
  assert.equal(at('TOKEN: secret://cluster/|\n'), undefined);
  assert.equal(at('x = "secret:|"\n', 'python'), undefined);
  assert.equal(at('|'), undefined);
});

test('Apolo on command lines: shell scripts, Makefiles and Markdown', () => {
  assert.equal(at('apolo run --env TOKEN=secret:|  ubuntu\n', 'shellscript')?.syntax, 'apolo');
  assert.equal(at('\tneuro run -e A=secret:ke| img\n', 'makefile')?.prefix, 'ke');
  assert.equal(at('```sh\napolo run --volume secret:|\n```\n', 'markdown')?.syntax, 'apolo');
});

test('templates: a name after <<, closed with >> when nothing follows; a key after <<name.', () => {
  const open = at('run: echo <<db|\n');
  assert.equal(open?.syntax, 'template');
  assert.equal(open?.prefix, 'db');
  assert.equal(open?.close, '>>');
  const closed = at('run: echo <<d|b>>\n');
  assert.equal(closed?.replaced, 'db');
  assert.equal(closed?.close, undefined);
  assert.equal(at('run: <<d|.password>>')?.close, undefined, 'a key follows: nothing to close');
  const key = at('run: echo <<db.pa|\n');
  assert.deepEqual([key?.completes, key?.secret, key?.prefix, key?.close], ['key', 'db', 'pa', '>>']);
});

test('ZenML: a name after {{, a key after {{name. (auto-closed braces kept), get_secret in Python', () => {
  const name = at('settings:\n  key: {{ aws|}}\n');
  assert.deepEqual([name?.syntax, name?.completes, name?.prefix, name?.replaced], ['zenml', 'name', 'aws', 'aws']);
  const key = at('  key: {{aws-creds.|}}\n');
  assert.deepEqual([key?.syntax, key?.completes, key?.secret, key?.prefix, key?.close], ['zenml', 'key', 'aws-creds', '', undefined]);
  assert.equal(at('  key: {{aws-creds.ac|\n')?.close, '}}');
  assert.equal(at('zenml stack register s --x={{ my|', 'shellscript')?.syntax, 'zenml');
  const py = at('s = Client().get_secret("my s|")\n', 'python');
  assert.deepEqual([py?.syntax, py?.prefix, py?.replaced], ['zenml', 'my s', 'my s']);
  assert.equal(at('s = Client().get_secret(name_id_or_prefix=\'a|\')', 'python')?.prefix, 'a');
});

test('Flyte Python: secrets="…", secrets=[…] over lines, Secret("…"), Secret(key="…")', () => {
  assert.deepEqual(at('env = flyte.TaskEnvironment(name="e", secrets="op|")\n', 'python')?.syntax, 'flyte');
  assert.equal(at('env = TaskEnvironment(secrets=["a", "b|"])', 'python')?.prefix, 'b');
  assert.equal(at('env = TaskEnvironment(secrets=[\n    "openai",\n    flyte.Secret(key="x", as_env_var="X"),\n    "|"\n])', 'python')?.syntax, 'flyte');
  assert.equal(at('secrets=[flyte.Secret(key="hf|")]', 'python')?.prefix, 'hf');
  assert.equal(at('secrets=[flyte.Secret(group="g", key="|")]', 'python')?.syntax, 'flyte');
  assert.equal(at('secrets=Secret("abc|")', 'python')?.replaced, 'abc');
  assert.equal(at('env = TaskEnvironment(secrets=["a"|])', 'python'), undefined, 'after a closing quote');
  assert.equal(at('env = TaskEnvironment(name="|")', 'python'), undefined);
  assert.equal(at('secrets=[flyte.Secret(key="x", as_env_var="|")]', 'python'), undefined);
});

const secrets: SecretInfo[] = [
  { name: 'db-password', scope: 'demo-org/demo-project', createdAt: '2026-12-06T10:00:00Z' },
  { name: 'DB-admin', type: 'docker', updatedAt: '2026-11-01T00:00:00Z' },
  { name: 'api-key', scope: 'org', inaccessible: true },
  { name: 'hidden', shadowed: true },
];

test('names: prefix matches case-insensitively in order, details are type / scope / date, never more', () => {
  const p = prepareNames(secrets);
  assert.deepEqual(
    matchNames([p], 'db').entries.map((e) => e.name),
    ['DB-admin', 'db-password'],
  );
  assert.equal(matchNames([p], 'db').exists, false);
  assert.equal(matchNames([p], 'db-password').exists, true);
  assert.deepEqual(
    matchNames([p], '').entries.map((e) => e.name),
    ['api-key', 'DB-admin', 'db-password'],
  );
  assert.equal(detailOf(secrets[0]), 'demo-org/demo-project · 2026-12-06');
  assert.equal(detailOf(secrets[1]), 'docker · 2026-11-01');
  assert.equal(detailOf(secrets[2]), 'org · not readable by you');
  const cut = matchNames([p], '', 2);
  assert.deepEqual([cut.entries.length, cut.truncated], [2, true]);
});

test('several scopes: each name once (the first scope wins), sorted; prepared once per list object', () => {
  const a = prepareNames([{ name: 'b', scope: 'project' }, { name: 'x' }]);
  const b = prepareNames([{ name: 'b', scope: 'org' }, { name: 'a' }]);
  const m = matchNames([a, b], '');
  assert.deepEqual(m.entries.map((e) => `${e.name}:${e.detail}`), ['a:', 'b:project', 'x:']);
  const list = { secrets };
  assert.equal(preparedNames(list), preparedNames(list));
});

test('"Create secret" only for a typed, valid name that no secret has', () => {
  const p = prepareNames(secrets);
  const valid = (n: string) => (/^[\w-]+$/.test(n) ? undefined : 'bad');
  assert.equal(offersCreate('new-one', matchNames([p], 'new-one'), valid), true);
  assert.equal(offersCreate('db-password', matchNames([p], 'db-password'), valid), false);
  assert.equal(offersCreate('', matchNames([p], ''), valid), false);
  assert.equal(offersCreate('bad name', matchNames([p], 'bad name'), valid), false);
});

test('10,000 names: a prefix is a binary search, not a pass', () => {
  const many: SecretInfo[] = Array.from({ length: 10_000 }, (_, i) => ({ name: `secret-${String(i).padStart(5, '0')}` }));
  const p = prepareNames(many);
  const m = matchNames([p], 'secret-0999');
  assert.equal(m.entries.length, 10);
  assert.equal(m.entries[0].name, 'secret-09990');
});
