// ZenML references beyond YAML (docs/contract.md "Beyond YAML"): `{{NAME.KEY}}` in `zenml …` command
// lines of shell scripts and Makefile recipes (src/core/platforms/zenml/shellScanner.ts), and
// `Client().get_secret("NAME")` in Python (src/core/platforms/zenml/pythonScanner.ts), merged with
// Flyte's Python scanner (src/core/references/syntaxes.ts). Exact offsets, silent look-alikes, the
// workspace index, the target choice, and a seeded fuzz / linearity check with a fixed budget.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { checkLinear, checkRanges, FUZZ_RUNS, FUZZ_SEED, fuzzStats } from './scannerFuzz';
import { chooseTarget, referencesForTarget } from '../../src/core/check/target';
import { scanMakefile, scanShell } from '../../src/core/platforms/zenml/shellScanner';
import { scanZenmlPython } from '../../src/core/platforms/zenml/pythonScanner';
import { MAX_REFERENCES, type SecretReference } from '../../src/core/references/reference';
import { candidateNames, languageOf, ReferenceIndex, referencesIn } from '../../src/core/references/referenceIndex';
import { isScannedLanguage, languageOfPath, languageScanner } from '../../src/core/references/syntaxes';

type Row = [start: number, end: number, text: string, name: string, key?: string];
const rows = (refs: SecretReference[]): Row[] => refs.map((r) => (r.key === undefined ? [r.start, r.end, r.text, r.name] : [r.start, r.end, r.text, r.name, r.key]));
/** The row a reference `ref` at the n-th occurrence of `ref` in `text` has. */
function row(text: string, ref: string, name: string, key?: string, nth = 0): Row {
  let at = -1;
  for (let n = 0; n <= nth; n++) at = text.indexOf(ref, at + 1);
  assert.ok(at >= 0, ref);
  return key === undefined ? [at, at + ref.length, ref, name] : [at, at + ref.length, ref, name, key];
}

test('shell: each argument form of a zenml command, with exact ranges and nameStart', () => {
  const text = [
    'zenml experiment-tracker register mlflow --flavor=mlflow --tracking_username={{mlflow_secret.username}} \\',
    '  --tracking_password="{{ mlflow_secret.password }}" --tracking_uri=\'{{uri_s.uri}}\'',
    'zenml orchestrator register o --token {{tok.value}}',
  ].join('\n');
  const refs = scanShell(text).references;
  assert.deepEqual(rows(refs), [
    [77, 103, '{{mlflow_secret.username}}', 'mlflow_secret', 'username'],
    row(text, '{{ mlflow_secret.password }}', 'mlflow_secret', 'password'),
    row(text, '{{uri_s.uri}}', 'uri_s', 'uri'),
    row(text, '{{tok.value}}', 'tok', 'value'),
  ]);
  assert.equal(refs[0].nameStart, 79);
  assert.equal(refs[1].nameStart, refs[1].start + 3);
  for (const r of refs) assert.equal(text.slice(r.start, r.end), r.text);
});

test('shell: the command after assignments, env, runners, wrappers and python -m; CRLF continuations', () => {
  const lines = [
    'pdm run zenml experiment-tracker register t --a={{a1.k}}',
    'poetry run zenml x --a={{a2.k}}',
    'uv run --frozen zenml x --a={{a3.k}}',
    'FOO=1 env -i BAR=2 zenml x --a={{a4.k}}',
    'sudo /usr/local/bin/zenml x --a={{a5.k}}',
    'python -m zenml x --a={{a6.k}}',
    'if zenml x --a={{a7.k}}; then echo ok; fi',
    'true && zenml x \\\r\n  --a={{a8.k}}',
    'X=$(zenml x --a={{a9.k}})',
  ];
  const text = lines.join('\n') + '\n';
  assert.deepEqual(
    scanShell(text).references.map((r) => r.name),
    ['a1', 'a2', 'a3', 'a4', 'a5', 'a6', 'a7', 'a8', 'a9'],
  );
});

test('shell: look-alikes are silent (other commands, comments, Jinja/Helm, ignore marker)', () => {
  const text = [
    '# zenml x --a={{c.k}}',
    'echo "{{x.y}}"',
    'echo zenml --a={{e.k}}',
    'helm install r ./chart --set v={{ .Values.x }}',
    'cat t.j2 | jinja2 {{ item.name }}',
    'zenml x --a=1 # --b={{in.comment}}',
    'zenml x --a={{ig.k}} # ml-secrets-ignore',
    'zenmlx run --a={{zz.k}}',
    'python -m pip install {{p.k}}',
    'zenml stack list; echo {{after.sep}}',
  ].join('\n');
  assert.deepEqual(scanShell(text).references, []);
});

test('shell: malformed and dynamic references; Go/Helm/Jinja template shapes are not references', () => {
  const text = 'zenml x --a={{nokey}} --b={{ .Values.k }} --c={{n.}} --d={{${PREFIX}_s.k}} --e={{$N.k}} --f={{- x.y -}} --g={{ a | b.c }} --h={{ a . b }}\n';
  const refs = scanShell(text).references;
  assert.deepEqual(
    refs.map((r) => [r.text, r.problem ? 'problem' : r.dynamic ? 'dynamic' : 'ok']),
    // `{{nokey}}` has no '.': ZenML's is_secret_reference says no (a Jinja/cookiecutter variable), as in YAML.
    [
      ['{{n.}}', 'problem'],
      ['{{${PREFIX}_s.k}}', 'dynamic'],
      ['{{$N.k}}', 'dynamic'],
    ],
  );
});

test('Makefile: recipe lines only, @/-/+ prefixes, continuations, $$ and make variables', () => {
  const text = [
    'ZEN = zenml x --a={{var.k}}',
    '# zenml x --a={{c.k}}',
    'install-stack:',
    '\t@zenml experiment-tracker register w --flavor=wandb --entity={{wandb_secret.entity}} && \\',
    '\tzenml stack register s -e w --k={{k.v}}',
    '\t-zenml secret create m \\',
    '    --aws_access_key_id={{minio.key_id}} \\',
    '    --x={{$(NAME).k}} --y={{$$N.k}}',
    '\techo {{e.e}}',
    'other: ; zenml x --a={{rule.k}}',
  ].join('\n');
  const refs = scanMakefile(text).references;
  assert.deepEqual(rows(refs.filter((r) => !r.dynamic)), [
    row(text, '{{wandb_secret.entity}}', 'wandb_secret', 'entity'),
    row(text, '{{k.v}}', 'k', 'v'),
    row(text, '{{minio.key_id}}', 'minio', 'key_id'),
  ]);
  assert.deepEqual(
    refs.filter((r) => r.dynamic).map((r) => r.text),
    ['{{$(NAME).k}}', '{{$$N.k}}'],
  );
});

test('Python: Client().get_secret forms, only in a file importing zenml', () => {
  const text = [
    'from zenml.client import Client as ZC',
    'from kaggle_secrets import UserSecretsClient',
    'hf = UserSecretsClient().get_secret("HF_TOKEN")',
    's = ZC().get_secret("mlflow_secret").secret_values["k"]',
    'client = ZC()',
    'client.get_secret(name_id_or_prefix="other", allow_partial_name_match=False)',
    'zenml.client.Client().get_secret(\'third\')',
    '# Client().get_secret("comment")',
    'doc = "Client().get_secret(\\"in_string\\")"',
    'Client().get_secret(f"{prefix}_x")',
    'Client().get_secret(name)',
    'Client().get_secret("a" "b")',
    'Client().get_secret("123e4567-e89b-12d3-a456-426614174000")',
    'Client().get_secret("ig")  # ml-secrets-ignore',
    'other.get_secret("not_a_client")',
  ].join('\n');
  const refs = scanZenmlPython(text).references;
  assert.deepEqual(rows(refs.filter((r) => !r.dynamic)), [
    row(text, '"mlflow_secret"', 'mlflow_secret'),
    row(text, '"other"', 'other'),
    row(text, "'third'", 'third'),
  ]);
  assert.equal(refs[0].nameStart, refs[0].start + 1);
  assert.deepEqual(
    refs.filter((r) => r.dynamic).map((r) => r.text),
    ['f"{prefix}_x"', '"a"', '"123e4567-e89b-12d3-a456-426614174000"'],
  );
  assert.deepEqual(scanZenmlPython(text.replace('from zenml.client import Client as ZC', 'from mylib import Client as ZC')).references, [], 'no zenml import: silent');
  assert.deepEqual(scanZenmlPython('import kaggle_secrets\nUserSecretsClient().get_secret("HF")\n').references, []);
});

test('Python: a name bound once to a literal and passed to get_secret is that literal', () => {
  const text = [
    'from zenml import step',
    'from zenml.client import Client',
    'SECRET_NAME = "example-secret"',
    'TWICE = "a"',
    'TWICE = "b"',
    'EXPR = "p" + suffix',
    '@step',
    'def loader() -> None:',
    '    secret = Client().get_secret(SECRET_NAME)',
    '    again = Client().get_secret(name_id_or_prefix=SECRET_NAME)',
    '    Client().get_secret(TWICE)',
    '    Client().get_secret(EXPR)',
  ].join('\n');
  assert.deepEqual(rows(scanZenmlPython(text).references), [row(text, '"example-secret"', 'example-secret')]);
});

test('Python: Flyte and ZenML references of one file, merged in order, each its own syntax', () => {
  const text = 'import flyte\nfrom zenml.client import Client\nzen = Client().get_secret("zen")\nenv = flyte.TaskEnvironment(name="e", secrets=["fly"])\n';
  const refs = languageScanner('python')?.(text).references ?? assert.fail('no python scanner');
  assert.deepEqual(
    refs.map((r) => [r.syntax, r.name, r.text]),
    [
      ['zenml', 'zen', '"zen"'],
      ['flyte', 'fly', '"fly"'],
    ],
  );
  // The file's connection: ZenML refs alone go to the ZenML connection; with Flyte's, ZenML's are left out (no false alarm).
  const conns = [
    { label: 'f', platform: 'flyte' as const },
    { label: 'z', platform: 'zenml' as const },
  ];
  const zenOnly = refs.filter((r) => r.syntax === 'zenml');
  const c1 = chooseTarget('/w/a.py', new Set(zenOnly.map((r) => r.syntax)), undefined, conns);
  assert.equal('label' in c1 && c1.label, 'z');
  assert.equal(referencesForTarget(zenOnly, c1, conns).length, 1);
  const c2 = chooseTarget('/w/a.py', new Set(refs.map((r) => r.syntax)), undefined, conns);
  assert.equal('label' in c2 && c2.label, 'f');
  assert.deepEqual(
    referencesForTarget(refs, c2, conns).map((r) => r.name),
    ['fly'],
  );
});

test('languages by id and by path; the workspace index reads shell scripts and Makefiles', () => {
  for (const id of ['python', 'shellscript', 'makefile']) assert.ok(isScannedLanguage(id), id);
  assert.equal(isScannedLanguage('yaml'), false);
  const by = (p: string) => languageOfPath(p) ?? 'yaml';
  assert.deepEqual(['/w/a.py', '/w/s.sh', '/w/b.bash', '/w/Makefile', '/w/sub/GNUmakefile', '/w/x.mk', '/w/c.yaml', '/w/Makefile.bak'].map(by), [
    'python',
    'shellscript',
    'shellscript',
    'makefile',
    'makefile',
    'makefile',
    'yaml',
    'yaml',
  ]);
  assert.equal(languageOf('/w/register.sh'), 'shellscript');
  const sh = 'zenml stack register s --a={{idx_secret.k}}\necho {{other.k}}\n';
  assert.deepEqual([...candidateNames(sh, 'shellscript')], ['idx_secret']);
  const index = new ReferenceIndex();
  index.set('file:///w/register.sh', sh);
  index.set('file:///w/Makefile', 'all:\n\tzenml x --a={{idx_secret.j}}\n');
  index.set('file:///w/c.yaml', 'a: "{{idx_secret.k}}"\n');
  assert.deepEqual(index.candidates('idx_secret').sort(), ['file:///w/Makefile', 'file:///w/c.yaml', 'file:///w/register.sh']);
  assert.equal(referencesIn(sh, 'idx_secret', undefined, 'shellscript').length, 1);
});

test('limits: too large is skipped and said, across merged scanners too; more than MAX_REFERENCES is cut', () => {
  assert.equal(scanShell('zenml x --a={{a.b}}\n', { maxLength: 5 }).skipped, 'tooLarge');
  assert.equal(scanMakefile('all:\n\tzenml x --a={{a.b}}\n', { maxLength: 5 }).skipped, 'tooLarge');
  assert.equal(languageScanner('python')?.('from zenml.client import Client\nClient().get_secret("x")\n', { maxLength: 5 }).skipped, 'tooLarge');
  const many = 'zenml x ' + Array.from({ length: MAX_REFERENCES + 3 }, (_, i) => `--a${i}={{s${i}.k}}`).join(' ') + '\n';
  const r = scanShell(many);
  assert.equal(r.truncated, true);
  assert.equal(r.references.length, MAX_REFERENCES);
});

// Fuzz: generated shell / Makefile / Python text never throws, every range holds its text, nameStart
// its name, and the index's candidates include every name. Seeded, fixed budget, printed.

const name = fc.oneof(fc.constantFrom('s', 'a-b', 'x.y', '', ' sp ', '$V', '$$V', '$(V)', "q'", 'q"', '{{', '}}', 'ü'), fc.stringMatching(/^[a-z][a-z0-9_]{0,6}$/));
const ref = fc.tuple(name, name, fc.constantFrom('', ' ')).map(([n, k, s]) => `{{${s}${n}.${k}${s}}}`);
const word = fc.oneof(
  ref.map((r) => `--a=${r}`),
  ref.map((r) => `--a="${r}"`),
  ref.map((r) => `'${r}'`),
  fc.constantFrom('zenml', 'echo', 'env', 'X=1', 'uv', 'run', '-m', 'python', '\\\n', '\\\r\n', '#', ';', '&&', '|', '(', ')', '`', '$(', '${', '"', "'", '\t', '\n', '\r\n', '@', '-', '{{', '}}', '$$', ' # ml-secrets-ignore\n'),
);
const line = fc.tuple(fc.constantFrom('zenml x ', 'pdm run zenml y ', 'FOO=1 zenml z ', 'echo ', '\t@zenml w ', '\t', ''), fc.array(word, { maxLength: 8 })).map(([c, w]) => c + w.join(' '));
const shellText = fc.array(line, { maxLength: 6 }).map((l) => l.join('\n'));

test('fuzz: shell and Makefile text — never throws, exact ranges, indexed', () => {
  fc.assert(
    fc.property(shellText, fc.boolean(), (text, tabs) => {
      checkRanges(text, scanShell(text).references, 'shellscript');
      const mk = tabs ? text.replace(/\n/g, '\n\t') : text;
      checkRanges(mk, scanMakefile(mk).references, 'makefile');
    }),
    { seed: FUZZ_SEED, numRuns: FUZZ_RUNS },
  );
});

const pyPiece = fc.oneof(
  fc.constantFrom('from zenml.client import Client', 'import zenml', 'client = Client()', 'Client()', '.get_secret(', 'client.get_secret(', 'name_id_or_prefix=', ')', '(', ',', '\n', '#', '"""', "'", '"', 'f"{x}"', '\\', 'x = ', ' # ml-secrets-ignore'),
  name.map((n) => `"${n}"`),
  name.map((n) => `Client().get_secret("${n}")`),
);
const pyText = fc.array(pyPiece, { maxLength: 30 }).map((p) => p.join(''));

test('fuzz: Python text — never throws, exact ranges, indexed', () => {
  fc.assert(
    fc.property(pyText, (text) => {
      checkRanges(text, scanZenmlPython(text).references.filter((r) => r.syntax === 'zenml'), 'python');
      checkRanges(text, languageScanner('python')?.(text).references ?? [], 'python');
    }),
    { seed: FUZZ_SEED, numRuns: FUZZ_RUNS },
  );
});

test('linear time: 64× the input costs well under 64² the time (shell, Makefile, Python)', () => {
  const linear = checkLinear([
    ['shell', 'zenml x --a={{s.k}} "{{ \' ${ $( `\\\n', scanShell],
    ['make', '\tzenml x --a={{s.k}} $(A {{ \'\\\n', scanMakefile],
    ['py', 'from zenml import Client\nc = Client()\nc.get_secret("s") ( "\'{{', scanZenmlPython],
  ]);
  console.log(`zenml scanners: fuzz seed ${FUZZ_SEED}, ${fuzzStats.inputs} inputs, ${fuzzStats.refs} references, ${fuzzStats.renames} renames in place; linearity ${linear}`);
});
