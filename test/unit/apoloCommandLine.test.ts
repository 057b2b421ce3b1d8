// Apolo / Neu.ro references on command lines (docs/contract.md "Beyond YAML"): `apolo run` /
// `neuro run` / `apolo job run` --env VAR=secret:… and --volume secret:…:/path in shell scripts,
// Makefile recipes and Markdown shell code blocks (src/core/platforms/apolo/shellCommands.ts, on the
// shared splitter src/core/references/shellWords.ts + shellRegions.ts). Exact ranges, the URI forms,
// quoting, continuations, comments, here-documents, make's `$$`, fences and prompts, silent
// look-alikes, the platform hint's connection choice, the index, and a seeded fuzz / linearity check.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { checkLinear, checkRanges, FUZZ_RUNS, FUZZ_SEED, fuzzStats } from './scannerFuzz';
import { chooseTarget, platformHints } from '../../src/core/check/target';
import { scanApoloMakefile, scanApoloMarkdown, scanApoloShell } from '../../src/core/platforms/apolo/shellCommands';
import type { SecretReference } from '../../src/core/references/reference';
import { candidateNames } from '../../src/core/references/referenceIndex';
import { markdownRegions } from '../../src/core/references/shellRegions';
import { isScannedLanguage, languageOfPath, languageScanner, syntaxOf } from '../../src/core/references/syntaxes';

type Row = [start: number, end: number, text: string, name: string];
const rows = (refs: SecretReference[]): Row[] => refs.map((r) => [r.start, r.end, r.text, r.name]);
/** The row of the n-th occurrence of `ref` in `text`. */
function row(text: string, ref: string, name: string, nth = 0): Row {
  let at = -1;
  for (let n = 0; n <= nth; n++) at = text.indexOf(ref, at + 1);
  assert.ok(at >= 0, ref);
  return [at, at + ref.length, ref, name];
}
const names = (refs: SecretReference[]) => refs.map((r) => r.name);

test('shell: every option form, with exact ranges, nameStart and the URI forms', () => {
  const text = [
    'apolo run --env X=secret:missing -e "Y=secret:/proj/n2" --env=Z=secret://c/o/p/n3 \\',
    "  -v secret:vol:/var/x --volume='secret:v2:/etc/v2.txt' -eW=secret:att -e V='secret:q1' image:x -- python t.py",
  ].join('\n');
  const refs = scanApoloShell(text).references;
  assert.deepEqual(rows(refs), [
    [18, 32, 'secret:missing', 'missing'],
    row(text, 'secret:/proj/n2', 'n2'),
    row(text, 'secret://c/o/p/n3', 'n3'),
    row(text, 'secret:vol:/var/x', 'vol'),
    row(text, 'secret:v2:/etc/v2.txt', 'v2'),
    row(text, 'secret:att', 'att'),
    row(text, 'secret:q1', 'q1'),
  ]);
  assert.equal(refs[0].nameStart, 25);
  assert.deepEqual([refs[1].form, refs[1].project, refs[2].form, refs[2].cluster, refs[2].org, refs[2].project], ['project', 'proj', 'uri', 'c', 'o', 'p']);
  assert.equal(refs[3].mountPath, '/var/x');
  for (const r of refs) {
    assert.equal(text.slice(r.start, r.end), r.text);
    assert.equal(r.syntax, 'apolo');
    assert.equal(r.platformHint, 'apolo');
    assert.ok(r.nameStart !== undefined && text.startsWith(r.name, r.nameStart), r.name);
  }
});

test('shell: the command after assignments and wrappers, global options, job run, paths; neuro names Neu.ro', () => {
  const lines = [
    'neuro run -s gpu-small --name x --http 8888 --detach -e A=secret:a1 img',
    'sudo /usr/local/bin/apolo run -e A=secret:a2 img',
    'FOO=1 env -i apolo --network-timeout 300 -v run -e A=secret:a3 img',
    'apolo job run --preset cpu -e A=secret:a4 img',
    'if neuro run -c 4 -g 1 -m 16G --env A=secret:a5 img; then echo ok; fi',
    'true && apolo run \\\r\n  --volume secret:a6:/x img',
    'JOB=$(apolo run -e A=secret:a7 --detach img)',
    'uv run apolo run --life-span=1d -e A=secret:a8 img',
  ];
  const refs = scanApoloShell(lines.join('\n') + '\n').references;
  assert.deepEqual(names(refs), ['a1', 'a2', 'a3', 'a4', 'a5', 'a6', 'a7', 'a8']);
  assert.deepEqual(
    refs.map((r) => r.platformHint),
    ['neuro', 'apolo', 'apolo', 'apolo', 'neuro', 'apolo', 'apolo', 'apolo'],
  );
});

test('shell: look-alikes are silent (other commands and subcommands, the container command, comments, here-documents, strings, variables)', () => {
  const text = [
    '# apolo run -e A=secret:c1 img',
    'echo "apolo run -e A=secret:c2 img"',
    'echo apolo run -e A=secret:c3',
    'docker run -e A=secret:c4 -v secret:c5:/x img',
    'helm in-pod exec --volume secret:c6:/etc/creds:ro -- ls',
    'apolo secret add c7 value; apolo acl grant secret:c8 bob read',
    'apolo run img -- env A=secret:c9 --volume secret:c10:/x',
    'apolo run img python -e A=secret:c11',
    'apolo run -e A=$SECRET -e B=plain -v storage:data:/data:rw -e "C=not secret:c12" img',
    'apolo run -e A=secret:c13 img # ml-secrets-ignore',
    'apolo-flow run -e A=secret:c14',
    'apolox run -e A=secret:c15 img',
    'cat <<EOF',
    'apolo run -e A=secret:c16 img',
    'EOF',
    'cat <<-"END"',
    '\tneuro run -e A=secret:c17 img',
    '\tEND',
    'apolo run --env mypass:secret:c18 img',
    'apolo run -e secret:c19 img',
  ].join('\n');
  assert.deepEqual(scanApoloShell(text).references, []);
});

test('shell: malformed and run-time references; a value split by quotes is no exact reference', () => {
  const text = 'apolo run -e A=secret: -v secret:k:/m:ro -v secret:r:rel -e B=secret:a/b -e C=secret:$NAME -e D="secret:${N}" -e E=secret:$(whoami) -e F=secret:"x"y img\n';
  const refs = scanApoloShell(text).references;
  assert.deepEqual(
    refs.map((r) => [r.text, !!r.problem, !!r.dynamic]),
    [
      ['secret:', true, false],
      ['secret:k:/m:ro', true, false],
      ['secret:r:rel', true, false],
      ['secret:a/b', true, false],
      ['secret:$NAME', false, true],
      ['secret:${N}', false, true],
      ['secret:', false, true],
    ],
  );
  for (const r of refs) assert.equal(text.slice(r.start, r.end), r.text);
  // The YAML fixes apply on command lines too: drop `:ro`, make the mount path absolute.
  const fixes = (r: SecretReference) => syntaxOf(r)?.fixes?.(r) ?? [];
  assert.deepEqual(
    fixes(refs[1]).map((f) => text.slice(f.start, f.end) + '→' + f.newText),
    [':ro→'],
  );
  assert.deepEqual(
    fixes(refs[2]).map((f) => [f.start - refs[2].start, f.newText]),
    [['secret:r:'.length, '/']],
  );
});

test("Makefile: recipe lines only; make's $$ and $(VAR); @ - + prefixes; continuations", () => {
  const text = [
    'NAME = apolo run -e A=secret:notrecipe img',
    'run:',
    '\t@apolo run -e A=secret:$(NAME) -e B=secret:m1 img',
    '\t-neuro run \\',
    '\t\t--volume secret:m2:/var/m2 \\',
    '\t\t--env C=secret:$${X} img',
    '\t+apolo run -e D=secret:m3 $(IMAGE) -- bash -c "echo secret:no"',
  ].join('\n');
  const refs = scanApoloMakefile(text).references;
  assert.deepEqual(
    refs.map((r) => [r.text, r.name, !!r.dynamic]),
    [
      ['secret:$(NAME)', '$(NAME)', true],
      ['secret:m1', 'm1', false],
      ['secret:m2:/var/m2', 'm2', false],
      ['secret:$${X}', '${X}', true],
      ['secret:m3', 'm3', false],
    ],
  );
  for (const r of refs) assert.equal(text.slice(r.start, r.end), r.text);
});

test('Markdown: shell fences (info strings, ~~~, indented), prompts, output lines; other fences and prose are silent', () => {
  const text = [
    'Run `apolo run --env X=secret:inline img` like this:',
    '```bash',
    'apolo run --env X=secret:md1 img',
    '```',
    '```console',
    '$ neuro run --volume secret:md2:/var/x \\',
    '    -e Y=secret:md3 img',
    'apolo run -e X=secret:output img',
    '> apolo run -e X=secret:md4 img',
    '```',
    '```python',
    'apolo run --env X=secret:py img',
    '```',
    '  ~~~',
    '  apolo job run -e X=secret:md5 img',
    '  ~~~',
    '```yaml',
    'env: apolo run -e X=secret:yaml img',
    '```',
    '```sh title="x"',
    '% apolo run -e X=secret:md6 img',
    '````',
    'apolo run -e X=secret:unclosed',
  ].join('\n');
  const refs = scanApoloMarkdown(text).references;
  assert.deepEqual(names(refs), ['md1', 'md2', 'md3', 'md4', 'md5', 'md6']);
  for (const r of refs) assert.equal(text.slice(r.start, r.end), r.text);
  assert.deepEqual(
    refs.map((r) => r.platformHint),
    ['apolo', 'neuro', 'neuro', 'apolo', 'apolo', 'apolo'],
  );
  // A fence that never closes runs to the end of the file.
  assert.deepEqual(names(scanApoloMarkdown('```\napolo run -e X=secret:open img\n').references), ['open']);
  assert.deepEqual(markdownRegions('no fences\n'), []);
});

test('languages: .md is Markdown and scanned; shell scripts get both ZenML and Apolo references, in order', () => {
  assert.equal(languageOfPath('docs/README.md'), 'markdown');
  assert.equal(languageOfPath('x/NOTES.markdown'), 'markdown');
  assert.ok(isScannedLanguage('markdown'));
  const text = 'zenml x --a={{z.k}}\napolo run -e X=secret:ap img\n';
  const refs = languageScanner('shellscript')?.(text).references ?? [];
  assert.deepEqual(
    refs.map((r) => [r.syntax, r.name]),
    [
      ['zenml', 'z'],
      ['apolo', 'ap'],
    ],
  );
  assert.deepEqual([...candidateNames('```sh\nneuro run -e X=secret:idx img\n```\n', 'markdown')], ['idx']);
  assert.equal(scanApoloShell('apolo run -e A=secret:x img', { maxLength: 5 }).skipped, 'tooLarge');
});

test('connection: `neuro run` prefers the Neu.ro connection, `apolo run` the Apolo one; a folder setting and .neuro/ still decide first', () => {
  const conns = [
    { label: 'ap', platform: 'apolo' as const, signedIn: true },
    { label: 'ne', platform: 'neuro' as const, signedIn: true },
  ];
  const choose = (path: string, text: string, setting?: string) => {
    const refs = scanApoloShell(text).references;
    return chooseTarget(path, new Set(refs.map((r) => r.syntax)), setting, conns, platformHints(refs));
  };
  const neuro = choose('/w/run.sh', 'neuro run -e A=secret:a img\n');
  assert.ok('label' in neuro && neuro.label === 'ne', JSON.stringify(neuro));
  assert.match('why' in neuro ? (neuro.why ?? '') : '', /command lines/);
  const apolo = choose('/w/run.sh', 'apolo run -e A=secret:a img\n');
  assert.ok('label' in apolo && apolo.label === 'ap');
  // Both named: no preference, as for YAML.
  const both = choose('/w/run.sh', 'apolo run -e A=secret:a img\nneuro run -e B=secret:b img\n');
  assert.ok('none' in both && both.action === 'chooseConnection');
  // The folder's setting wins; a .neuro/ folder comes before the command's name.
  const bound = choose('/w/run.sh', 'neuro run -e A=secret:a img\n', 'ap');
  assert.ok('label' in bound && bound.label === 'ap');
  const folder = choose('/w/.neuro/run.sh', 'apolo run -e A=secret:a img\n');
  assert.ok('label' in folder && folder.label === 'ne');
  // Only an Apolo connection: a `neuro run` script is checked against it (the same secrets service).
  const only = chooseTarget('/w/run.sh', new Set(['apolo']), undefined, [conns[0]], new Set(['neuro']));
  assert.ok('label' in only && only.label === 'ap');
});

// Fuzz: generated shell / Makefile / Markdown text never throws, every range holds its text,
// nameStart its name, the index has every name, and renaming in place re-scans in place. Seeded,
// fixed budget, printed.

const secretName = fc.oneof(fc.constantFrom('s', 'a-b', 'x.y', '', '$V', '$$V', '$(V)', "q'", 'q"', 'p/n', 'ü', '%41'), fc.stringMatching(/^[a-z][a-z0-9_-]{0,6}$/));
const uri = fc.oneof(
  secretName.map((n) => `secret:${n}`),
  secretName.map((n) => `secret:/proj/${n}`),
  secretName.map((n) => `secret://c/o/p/${n}`),
);
const word = fc.oneof(
  uri.map((u) => `--env X=${u}`),
  uri.map((u) => `-e "X=${u}"`),
  uri.map((u) => `--env=X=${u}`),
  uri.map((u) => `-v ${u}:/var/x`),
  uri.map((u) => `--volume='${u}:/m:ro'`),
  fc.constantFrom('apolo', 'neuro', 'run', 'job', '-s', 'gpu', '--name', '--', 'img', 'echo', 'env', 'X=1', '\\\n', '\\\r\n', '#', ';', '&&', '|', '(', ')', '`', '$(', '${', '"', "'"),
  fc.constantFrom('\t', '\n', '\r\n', '@', '-', '$$', '<<EOF', '\nEOF', '```', '```bash', '$ ', '> ', ' # ml-secrets-ignore\n', 'secret:', '-e', '-v'),
);
const line = fc.tuple(fc.constantFrom('apolo run ', 'neuro run -s cpu ', 'apolo job run ', 'FOO=1 neuro run ', 'echo ', '\t@apolo run ', '$ apolo run ', '\t', ''), fc.array(word, { maxLength: 8 })).map(([c, w]) => c + w.join(' '));
const cmdText = fc.array(line, { maxLength: 6 }).map((l) => l.join('\n'));

test('fuzz: shell, Makefile and Markdown text — never throws, exact ranges, indexed, renamed in place', () => {
  fc.assert(
    fc.property(cmdText, fc.boolean(), fc.constantFrom('```', '```sh', '~~~', '```console'), (text, tabs, fence) => {
      checkRanges(text, scanApoloShell(text).references, 'shellscript');
      checkRanges(text, languageScanner('shellscript')?.(text).references ?? [], 'shellscript');
      const mk = tabs ? text.replace(/\n/g, '\n\t') : text;
      checkRanges(mk, scanApoloMakefile(mk).references, 'makefile');
      const md = `# t\n${fence}\n${text}\n${fence.slice(0, 3)}\nprose secret:x\n`;
      checkRanges(md, scanApoloMarkdown(md).references, 'markdown');
    }),
    { seed: FUZZ_SEED, numRuns: FUZZ_RUNS },
  );
});

test('linear time: 64× the input costs well under 64² the time (shell, Makefile, Markdown)', () => {
  const linear = checkLinear([
    ['shell', 'apolo run -e X=secret:s -v "secret:v:/x" \' ${ $( `<<E\\\n', scanApoloShell],
    ['make', '\tneuro run -e X=secret:$(A) -e Y=secret:b $$ \'\\\n', scanApoloMakefile],
    ['markdown', '```\n$ apolo run -e X=secret:m img \\\n```bash\n~~~\n', scanApoloMarkdown],
  ]);
  console.log(`apolo command lines: fuzz seed ${FUZZ_SEED}, ${fuzzStats.inputs} inputs, ${fuzzStats.refs} references, ${fuzzStats.renames} renames in place; linearity ${linear}`);
});
