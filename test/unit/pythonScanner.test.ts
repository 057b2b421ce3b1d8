import { test } from 'node:test';
import assert from 'node:assert/strict';
import { performance } from 'node:perf_hooks';
import { scanPython, mayContainPythonReferences } from '../../src/core/platforms/flyte/pythonScanner';
import { MAX_REFERENCES, type SecretReference } from '../../src/core/references/reference';

function scan(text: string): SecretReference[] {
  const refs = scanPython(text).references;
  for (const r of refs) {
    assert.equal(r.syntax, 'flyte');
    assert.equal(text.slice(r.start, r.end), r.text, 'range covers exactly the literal');
    if (r.nameStart !== undefined) assert.equal(text.slice(r.nameStart, r.nameStart + r.name.length), r.name, 'nameStart points at the name');
  }
  return refs;
}

const names = (refs: SecretReference[]) => refs.map((r) => r.name);
const texts = (refs: SecretReference[]) => refs.map((r) => r.text);

test('prefilter', () => {
  assert.equal(mayContainPythonReferences('import flyte\nenv = flyte.TaskEnvironment(name="x")\n'), false);
  assert.equal(mayContainPythonReferences('x = secrets'), true);
  assert.equal(mayContainPythonReferences('s = Secret("k")'), true);
  assert.deepEqual(scanPython('print("hello")').references, []);
});

test('secrets="NAME" on a TaskEnvironment and on @env.task, exact ranges', () => {
  const text = [
    'import flyte',
    '',
    'env = flyte.TaskEnvironment(name="wandb_env", secrets="WANDB_API_KEY")',
    '',
    '@env.task(secrets="my-secret")',
    'async def main() -> str:',
    '    return "ok"',
    '',
  ].join('\n');
  const refs = scan(text);
  assert.deepEqual(texts(refs), ['"WANDB_API_KEY"', '"my-secret"']);
  assert.deepEqual(names(refs), ['WANDB_API_KEY', 'my-secret']);
  assert.equal(refs[0].start, text.indexOf('"WANDB_API_KEY"'));
  assert.equal(refs[0].end, text.indexOf('"WANDB_API_KEY"') + '"WANDB_API_KEY"'.length);
  assert.equal(refs[0].nameStart, refs[0].start + 1);
  assert.equal(refs[1].nameStart, text.indexOf('my-secret'));
  assert.ok(refs.every((r) => !r.problem && !r.dynamic));
});

test('bare TaskEnvironment (from flyte import ...) and any x.TaskEnvironment', () => {
  const text = [
    'from flyte import TaskEnvironment, Secret',
    'import flyte as fl',
    'a = TaskEnvironment("a", secrets=[Secret("openai-key", as_env_var="OPENAI_API_KEY")])',
    'b = fl.TaskEnvironment(name="b", secrets="hf-token")',
  ].join('\n');
  const refs = scan(text);
  assert.deepEqual(names(refs), ['openai-key', 'hf-token']);
  assert.deepEqual(texts(refs), ['"openai-key"', '"hf-token"']);
});

test('secrets list and tuple: literals and flyte.Secret elements (group does not change the name)', () => {
  const text = `env = flyte.TaskEnvironment(name="n", secrets=[ "a", flyte.Secret(key="b", group="g") ])
env2 = flyte.TaskEnvironment(name="n2", secrets=("c", flyte.Secret("d"),))
`;
  const refs = scan(text);
  assert.deepEqual(names(refs), ['a', 'b', 'c', 'd']);
  assert.deepEqual(texts(refs), ['"a"', '"b"', '"c"', '"d"']);
  assert.equal(refs[1].start, text.indexOf('"b"'));
  assert.equal(refs[3].start, text.indexOf('"d"'));
});

test('secrets=flyte.Secret(...) single, keyword or positional key, with as_env_var and mount', () => {
  const text = [
    'import pathlib',
    'import flyte',
    '',
    'env = flyte.TaskEnvironment(',
    '    name="agent",',
    '    secrets=flyte.Secret("internal-anthropic-api-key", as_env_var="ANTHROPIC_API_KEY"),',
    ')',
    '',
    '@env.task(secrets=flyte.Secret(key="my-openai-api-key", as_env_var="OPENAI_API_KEY"))',
    'async def ask(q: str) -> str: ...',
    '',
    'files = flyte.TaskEnvironment(name="f", secrets=flyte.Secret(key="cert", mount=pathlib.Path("/etc/flyte/secrets")))',
  ].join('\n');
  const refs = scan(text);
  assert.deepEqual(names(refs), ['internal-anthropic-api-key', 'my-openai-api-key', 'cert']);
  assert.ok(refs.every((r) => !r.problem), JSON.stringify(refs.map((r) => r.problem)));
});

test('the nested-call example from the brief', () => {
  const text = 'env = flyte.TaskEnvironment(name="x", image=flyte.Image.from_debian_base().with_pip_packages("a"), secrets=[flyte.Secret(key="k", as_env_var="K")])\n';
  const refs = scan(text);
  assert.equal(refs.length, 1);
  assert.equal(refs[0].name, 'k');
  assert.equal(refs[0].text, '"k"');
  assert.equal(refs[0].start, text.indexOf('"k"'));
  assert.equal(refs[0].end, text.indexOf('"k"') + 3);
  assert.equal(refs[0].nameStart, text.indexOf('"k"') + 1);
});

test('only secrets= of the env/task call itself counts', () => {
  const text = [
    'env = flyte.TaskEnvironment(',
    '    name="x",',
    '    image=flyte.Image.from_debian_base().with_pip_packages("torch", secret_mounts=["pip-token"]),',
    '    env_vars={"secrets": "not-a-ref"},',
    '    pod_template=make(secrets="nested-call-not-a-ref"),',
    '    secrets=["real"],',
    ')',
    'other = something(secrets="not-in-an-env")',
    'cfg = dict(secrets=flyte.Secret(key="also-not"))',
    'lonely = flyte.Secret(key="floating")',
    '@env.trace(secrets="not-a-task-decorator")',
    'def f(): ...',
    '@task(secrets="bare-task-is-not-env-task")',
    'def g(): ...',
    'x = env.task(secrets="not-a-decorator")',
  ].join('\n');
  assert.deepEqual(names(scan(text)), ['real']);
});

test('multiple environments and tasks in one file, multi-line decorators', () => {
  const text = [
    '"""Training pipeline.',
    '',
    'Example: flyte.TaskEnvironment(name="doc", secrets="in-docstring")',
    '"""',
    'import flyte',
    '',
    '# env = flyte.TaskEnvironment(name="old", secrets="in-comment")',
    'train_env = flyte.TaskEnvironment(',
    '    name="train",',
    '    image=flyte.Image.from_debian_base(python_version=(3, 12)).with_pip_packages("torch", "wandb"),',
    '    resources=flyte.Resources(cpu=2, memory="4Gi", gpu="A100:1"),',
    '    secrets=[',
    '        "wandb-api-key",  # logged to W&B',
    '        flyte.Secret(key="hf-token", as_env_var="HF_TOKEN"),',
    '    ],',
    ')',
    'eval_env = flyte.TaskEnvironment(name="eval", secrets="eval-db")',
    '',
    '',
    '@train_env.task(',
    '    cache="auto",',
    '    retries=3,',
    '    secrets=[',
    '        flyte.Secret(',
    '            key="s3-creds",',
    '            group="aws",',
    '        )',
    '    ],',
    ')',
    'async def train(epochs: int = 3) -> float:',
    '    """Trains. Uses secrets="not-this-one" from the env."""',
    '    key = os.environ["WANDB_API_KEY"]  # secrets="nor-this"',
    '    return 0.9',
    '',
    '',
    '@eval_env.task',
    'async def evaluate(score: float) -> bool:',
    '    return score > 0.5',
    '',
    '',
    'class Pipelines:',
    '    @eval_env.task(secrets="method-task")',
    '    async def run(self) -> None: ...',
  ].join('\r\n');
  const refs = scan(text);
  assert.deepEqual(names(refs), ['wandb-api-key', 'hf-token', 'eval-db', 's3-creds', 'method-task']);
});

test('comments, docstrings and strings that look like code are never references', () => {
  const text = [
    'def helper():',
    '    """',
    '    env = flyte.TaskEnvironment(name="x", secrets="in-docstring")',
    '    """',
    "    s = 'flyte.TaskEnvironment(name=\"x\", secrets=\"in-a-string\")'",
    '    t = "@env.task(secrets=\\"in-a-string-2\\")"',
    '    # @env.task(secrets="in-comment")',
    '    return s, t',
    'msg = f"""TaskEnvironment(secrets="{x}")"""',
  ].join('\n');
  assert.deepEqual(scan(text), []);
});

test('a line ending in # ml-secrets-ignore yields nothing', () => {
  const text = [
    'env = flyte.TaskEnvironment(',
    '    name="x",',
    '    secrets=[',
    '        "ignored-one",  # ml-secrets-ignore',
    '        "kept",',
    '        "also-ignored",  # todo # ml-secrets-ignore   ',
    '        "not-ignored # ml-secrets-ignore",',
    '    ],',
    ')',
    '@env.task(secrets="x")  # ml-secrets-ignore',
    'def f(): ...',
  ].join('\n');
  const refs = scan(text);
  assert.deepEqual(names(refs), ['kept', 'not-ignored # ml-secrets-ignore']);
  assert.ok(refs[1].problem);
});

test('dynamic names: variables, calls and + are skipped; f-strings with fields and implicit concatenation are dynamic', () => {
  const text = [
    'KEY = "openai"',
    'env = flyte.TaskEnvironment(',
    '    name="x",',
    '    secrets=[',
    '        KEY,',
    '        f"{PREFIX}-token",',
    '        "a" "b",',
    '        "pre-" + suffix,',
    '        get_name(),',
    '        flyte.Secret(key=KEY),',
    '        flyte.Secret(key=f"{team}-key", as_env_var="TEAM_KEY"),',
    '        f"plain-fstring",',
    '        t"template",',
    '        *more,',
    '    ],',
    ')',
    'e2 = flyte.TaskEnvironment(name="y", secrets=SECRETS)',
    'e3 = flyte.TaskEnvironment(name="y", secrets=[s for s in names])',
    'e4 = flyte.TaskEnvironment(name="y", secrets=["lit" for _ in range(2)])',
  ].join('\n');
  const refs = scan(text);
  assert.deepEqual(texts(refs), ['f"{PREFIX}-token"', '"a" "b"', 'f"{team}-key"', 'f"plain-fstring"', 't"template"']);
  assert.deepEqual(
    refs.map((r) => !!r.dynamic),
    [true, true, true, false, true],
  );
  assert.equal(refs[3].name, 'plain-fstring');
  assert.ok(refs.every((r) => !r.problem));
});

test('string prefixes, quotes, triple quotes and escapes', () => {
  const text = [
    'env = flyte.TaskEnvironment(name="x", secrets=[',
    "    'single',",
    '    r"raw-name",',
    '    R"RAW2",',
    '    u"unicode",',
    '    U"UNI2",',
    '    Rb"bytes-raw",',
    '    b"bytes",',
    '    rf"raw-f",',
    '    Fr"{{literal}}",',
    '    """triple""",',
    "    '''triple-single''',",
    '    "esc\\x41aped",',
    '    r"back\\slash",',
    '    "",',
    '])',
  ].join('\n');
  const refs = scan(text);
  assert.deepEqual(names(refs), ['single', 'raw-name', 'RAW2', 'unicode', 'UNI2', 'bytes-raw', 'bytes', 'raw-f', '{literal}', 'triple', 'triple-single', 'escAaped', 'back\\slash', '']);
  const by = (n: string) => refs.find((r) => r.name === n) as SecretReference;
  assert.equal(by('raw-name').text, 'r"raw-name"');
  assert.equal(by('raw-name').nameStart, text.indexOf('raw-name"'));
  assert.equal(by('triple').nameStart, text.indexOf('triple"""'));
  assert.equal(by('escAaped').nameStart, undefined, 'not verbatim: no nameStart');
  assert.match(by('bytes').problem ?? '', /bytes literal/);
  assert.match(by('bytes-raw').problem ?? '', /bytes literal/);
  assert.match(by('{literal}').problem ?? '', /\^\[-a-zA-Z0-9_\]\+\$/);
  assert.match(by('back\\slash').problem ?? '', /not a valid Flyte secret name/);
  assert.match(by('').problem ?? '', /Empty secret name.*\^\[-a-zA-Z0-9_\]\+\$/);
  for (const ok of ['single', 'raw-name', 'RAW2', 'unicode', 'UNI2', 'raw-f', 'triple', 'triple-single', 'escAaped']) assert.equal(by(ok).problem, undefined, ok);
});

test('malformed names quote the rule; invalid derived env vars; as_env_var and mount problems', () => {
  const text = [
    'env = flyte.TaskEnvironment(name="x", secrets=[',
    '    "my.secret",',
    '    "with space",',
    '    "1password",',
    '    flyte.Secret(key="1password", as_env_var="ONE_PASSWORD"),',
    '    flyte.Secret(key="ok-key", as_env_var="lower_case"),',
    '    flyte.Secret(key="cert", mount="/etc/other"),',
    '    flyte.Secret(key="cert2", mount=pathlib.Path("/etc/flyte/secrets/")),',
    '    flyte.Secret(key="cert3", mount="/etc/flyte/secrets/"),',
    '    flyte.Secret(key="k", group="my.group"),',
    '    flyte.Secret("pos", "grp", None, "9BAD"),',
    '    "héllo",',
    '])',
  ].join('\n');
  const refs = scan(text);
  assert.deepEqual(texts(refs), [
    '"my.secret"',
    '"with space"',
    '"1password"',
    '"1password"',
    '"ok-key"',
    '"lower_case"',
    '"cert"',
    '"/etc/other"',
    '"cert2"',
    '"cert3"',
    '"/etc/flyte/secrets/"',
    '"k"',
    '"pos"',
    '"9BAD"',
    '"héllo"',
  ]);
  const p = refs.map((r) => r.problem ?? '');
  assert.match(p[0], /'my\.secret' is not a valid Flyte secret name \(it has '\.'\).*\^\[-a-zA-Z0-9_\]\+\$/);
  assert.match(p[1], /it has ' '/);
  assert.match(p[2], /derives the environment variable '1PASSWORD'.*\^\[A-Z_\]\[A-Z0-9_\]\*\$/);
  assert.equal(p[3], '', 'as_env_var given: no derived env var');
  assert.equal(p[4], '');
  assert.match(p[5], /as_env_var 'lower_case'.*\^\[A-Z_\]\[A-Z0-9_\]\*\$/);
  assert.equal(refs[5].name, 'ok-key', 'the as_env_var reference carries the secret name');
  assert.equal(refs[5].nameStart, undefined);
  assert.equal(p[6], '', 'mount given: no derived env var');
  assert.match(p[7], /only at \/etc\/flyte\/secrets/);
  assert.equal(refs[7].name, 'cert');
  assert.equal(p[8], '', 'pathlib.Path normalises the trailing slash');
  assert.equal(p[9], '');
  assert.match(p[10], /mount '\/etc\/flyte\/secrets\/'/, 'a plain str keeps its trailing slash');
  assert.match(p[11], /'MY\.GROUP_K'/);
  assert.equal(p[12], '');
  assert.match(p[13], /as_env_var '9BAD'/);
  assert.match(p[14], /it has 'é'/);
});

test('decorators spanning several lines, with comments and continuation lines', () => {
  const text = [
    '@my_env.task(  # a comment with secrets="no"',
    '    retries=2,',
    '    secrets=[  # also ( unbalanced [ in a comment',
    '        "first",',
    "        flyte.Secret(key='second'),",
    '    ],',
    ')',
    'async def one(): ...',
    '',
    '@ envs["gpu"] . task (secrets = \\',
    '    "third")',
    'def two(): ...',
    '',
    '@functools.cache',
    '@a.b.c.task(secrets="fourth")',
    'def three(): ...',
  ].join('\n');
  assert.deepEqual(names(scan(text)), ['first', 'second', 'third', 'fourth']);
});

test('CRLF, tabs and unicode keep offsets exact', () => {
  const text = '# Ünïcödé — 日本語 😀\r\nenv = flyte.TaskEnvironment(\r\n\tname="ü",\r\n\tsecrets=[\r\n\t\t"😀-not-valid",\r\n\t\t"valid-name",\r\n\t],\r\n)\r\n';
  const refs = scan(text);
  assert.deepEqual(names(refs), ['😀-not-valid', 'valid-name']);
  assert.equal(refs[1].start, text.indexOf('"valid-name"'));
  assert.ok(refs[0].problem);
});

test('f-strings with nested quotes and format specs are tokenized to their real end', () => {
  const text = [
    'a = f"{x["k"]} secrets=\\"nope\\" {y:>{width}} {z!r:#x}"',
    "b = f'{\"TaskEnvironment(secrets=\\\"no\\\")\"}'",
    'c = f"""{',
    '   d["TaskEnvironment(secrets=\'no\')"]  # comment in a field',
    '}"""',
    'env = flyte.TaskEnvironment(name="x", secrets="after-fstrings")',
  ].join('\n');
  const refs = scan(text);
  assert.deepEqual(names(refs), ['after-fstrings']);
});

test('malformed code never throws and never loops', () => {
  const inputs = [
    'env = flyte.TaskEnvironment(name="x", secrets="unterminated',
    'env = flyte.TaskEnvironment(name="x", secrets="""unterminated triple',
    'env = flyte.TaskEnvironment(name="x", secrets=["a", "b"',
    'env = flyte.TaskEnvironment(name="x", secrets=["a", "b")',
    'env = flyte.TaskEnvironment(name="x", secrets=["a"]]]]',
    ')))]]]}}}flyte.TaskEnvironment(secrets="z")',
    '@env.task(secrets=',
    '@',
    '@.task(secrets="x")',
    'TaskEnvironment(',
    'TaskEnvironment',
    'flyte.Secret(',
    'secrets=',
    'f"{',
    'f"{x:{y:{z:{',
    "'\\",
    '"\\\r\n',
    'x = "a" "',
    'b"\\',
    'r""""""""""""',
    '\\',
    '\u0000\uffff\ud800 secrets',
    '@env.task(secrets=flyte.Secret(key="k", mount=pathlib.Path(',
    'f"' + '{f"'.repeat(200) + 'secrets',
    'TaskEnvironment(secrets=' + '['.repeat(5000) + '"deep"',
    'TaskEnvironment(secrets=' + '('.repeat(5000) + '"deep"' + ')'.repeat(5000) + ')',
  ];
  for (const t of inputs) {
    assert.doesNotThrow(() => scan(t), t.slice(0, 60));
  }
  // Unterminated literals are skipped; a closed one after an unclosed bracket still counts.
  assert.deepEqual(scan(inputs[0]), []);
  assert.deepEqual(scan(inputs[1]), []);
  assert.deepEqual(names(scan(inputs[2])), ['a', 'b']);
  assert.deepEqual(names(scan(inputs[5])), ['z']);
  assert.deepEqual(names(scan(inputs[25])), ['deep'], 'redundant parentheses unwrap');
});

test('mutation fuzz: never throws, ranges always exact', () => {
  const seedText = [
    'import flyte, pathlib',
    'env = flyte.TaskEnvironment(name="x", image=flyte.Image.from_debian_base().with_pip_packages("a"), secrets=[flyte.Secret(key="k", as_env_var="K"), "plain", f"{x}-y", "a" "b"])',
    '@env.task(secrets=flyte.Secret("cert", mount=pathlib.Path("/etc/flyte/secrets")))  # ml-secrets-ignore',
    'async def f(x: int) -> str:',
    '    """doc secrets="no" """',
    "    return f\"{x!r:>{w}}\" + r'\\d' + '''q'''",
    '@env.task(',
    "    secrets=(\"t1\", flyte.Secret(key='t2', group=\"g\")),",
    ')',
    'def g(): ...',
  ].join('\n');
  assert.deepEqual(texts(scan(seedText)), ['"k"', '"plain"', 'f"{x}-y"', '"a" "b"', '"t1"', "'t2'"]);
  const pieces = ['(', ')', '[', ']', '"', "'", '"""', '\\', '\n', '\r', '#', '{', '}', 'f', 'r', ',', '=', '@', 'def ', '\\\n'];
  let seed = 99;
  const rnd = () => (seed = (seed * 1103515245 + 12345) & 0x7fffffff) / 0x7fffffff;
  for (let it = 0; it < 3000; it++) {
    let s = seedText;
    const muts = 1 + Math.floor(rnd() * 4);
    for (let m = 0; m < muts; m++) {
      const at = Math.floor(rnd() * s.length);
      const op = rnd();
      if (op < 0.4) s = s.slice(0, at) + s.slice(at + 1 + Math.floor(rnd() * 5));
      else if (op < 0.8) s = s.slice(0, at) + pieces[Math.floor(rnd() * pieces.length)] + s.slice(at);
      else s = s.slice(0, at);
    }
    scan(s); // asserts exact ranges and nameStart
  }
});

test('an unclosed bracket does not swallow the decorators and environments after it', () => {
  const text = [
    'env = flyte.TaskEnvironment(name="x", secrets=["a", ',
    '',
    '@env.task(secrets="b")',
    'async def f(): ...',
    '',
    'def g():',
    '    other = flyte.TaskEnvironment(name="y", secrets="c")',
  ].join('\n');
  assert.deepEqual(names(scan(text)), ['a', 'b', 'c']);
});

test('maxLength skips large files', () => {
  const text = 'env = flyte.TaskEnvironment(name="x", secrets="a")\n';
  assert.deepEqual(scanPython(text, { maxLength: 10 }), { references: [], skipped: 'tooLarge' });
  assert.equal(scanPython(text, { maxLength: text.length }).references.length, 1);
});

test('class / def named TaskEnvironment are not calls', () => {
  const text = [
    'class TaskEnvironment(secrets="no"): ...',
    'def TaskEnvironment(secrets="no"): ...',
    'isinstance(e, flyte.TaskEnvironment)',
    'flyte.TaskEnvironment.from_task(secrets="no")',
  ].join('\n');
  assert.deepEqual(scan(text), []);
});

test('performance: a 50,000-line Python file scans in linear time', () => {
  const block = [
    'import flyte',
    '',
    '# Environment for step {i}; secrets="in-comment"',
    'env_{i} = flyte.TaskEnvironment(',
    '    name="env-{i}",',
    '    image=flyte.Image.from_debian_base().with_pip_packages("torch", "pandas"),',
    '    resources=flyte.Resources(cpu=1, memory="1Gi"),',
    '    secrets=["wandb-{i}", flyte.Secret(key="hf-token-{i}", as_env_var="HF_TOKEN")],',
    ')',
    '',
    '',
    '@env_{i}.task(secrets="openai-{i}", retries=2)',
    'async def step_{i}(x: int, y: dict[str, str] = {"a": "b"}) -> int:',
    '    """Docstring with flyte.TaskEnvironment(secrets="nope")."""',
    "    s = f\"{x!r:>10} {y['a']}\" + r'\\d+' + '''multi",
    "    line'''",
    '    return x * 2 + len(s)  # trailing comment',
    '',
    '',
    '',
  ];
  const lines: string[] = [];
  let i = 0;
  while (lines.length < 50_000) {
    const n = String(i++);
    for (const l of block) lines.push(l.replace(/\{i\}/g, n));
  }
  const text = lines.slice(0, 50_000).join('\n');
  // Timing is printed, not asserted (shared machines are noisy): the first (cold) run and the
  // best of the next three.
  const times: number[] = [];
  let refs: SecretReference[] = [];
  for (let run = 0; run < 4; run++) {
    const t0 = performance.now();
    refs = scanPython(text).references;
    times.push(performance.now() - t0);
  }
  const warm = Math.min(...times.slice(1));
  console.log(`pythonScanner: 50,000 lines (${(text.length / 1e6).toFixed(2)} MB), ${refs.length} references: first run ${times[0].toFixed(1)} ms, best of the next three ${warm.toFixed(1)} ms`);
  // Three per block; past MAX_REFERENCES the file is checked up to the cap (and says so).
  assert.equal(refs.length, Math.min(i * 3, MAX_REFERENCES));
  assert.equal(scanPython(text).truncated, i * 3 > MAX_REFERENCES ? true : undefined);
  assert.ok(refs.every((r) => !r.problem));
});

/**
 * Deterministic work measure: the number of characters the scanner reads through the String
 * methods it uses on the text (charCodeAt, startsWith, slice), counted by wrapping them for the
 * duration of one scan. A tokenizer that re-reads the text (quadratic) reads ~4x more per
 * character at 4x the size; a linear one reads the same per character.
 */
function charactersRead(text: string): number {
  const proto = String.prototype;
  const saved = { charCodeAt: proto.charCodeAt, startsWith: proto.startsWith, slice: proto.slice };
  let reads = 0;
  proto.charCodeAt = function (this: string, i?: number) {
    if (this === text) reads++;
    return saved.charCodeAt.call(this, i as number);
  };
  proto.startsWith = function (this: string, search: string, pos?: number) {
    if (this === text) reads += String(search).length;
    return saved.startsWith.call(this, search, pos);
  };
  proto.slice = function (this: string, a?: number, b?: number) {
    const r = saved.slice.call(this, a, b);
    if (this === text) reads += r.length;
    return r;
  };
  try {
    scanPython(text);
  } finally {
    Object.assign(proto, saved);
  }
  return reads;
}

const PATHOLOGICAL: Array<[string, string]> = [
  ['unclosed nested calls', 'flyte.TaskEnvironment(secrets=[flyte.Secret(key="k",\n'],
  ['unclosed brackets', 'env = TaskEnvironment(secrets=[[[(\n'],
  ['unterminated triple-quoted strings', 'x = """a\n\\"\n'],
  ['many small environments', 'e = flyte.TaskEnvironment(name="n", secrets=[flyte.Secret(key="k", as_env_var="K")])\n'],
  ['decorators without a def', '@env.task(secrets="s")\n'],
];
/** Every input opens with this, so none is skipped by the prefilter. */
const OPENING = 'import flyte\nenv = flyte.TaskEnvironment(name="p", secrets=[\n';
const repeated = (unit: string, n: number) => OPENING + unit.repeat(n);

test('pathological input stays linear: characters read grow 4x for 4x the input (deterministic)', () => {
  for (const [what, unit] of PATHOLOGICAL) {
    const n = 2_000;
    const small = charactersRead(repeated(unit, n));
    const large = charactersRead(repeated(unit, 4 * n));
    assert.ok(small > n, `${what}: the counter sees the scanner's reads`);
    console.log(`pythonScanner: ${what}: ${small} characters read for ${n} units, ${large} for ${4 * n} (x${(large / small).toFixed(2)})`);
    // Linear: 4.0 (plus a constant); quadratic: ~16.
    assert.ok(large / small < 4.5, `${what}: ${small} characters read for ${n} units, ${large} for ${4 * n} (ratio ${(large / small).toFixed(2)})`);
  }
});

test('AppEnvironment(...) and env.clone_with(...) count too', () => {
  const text = 'import flyte\nfrom flyte.app import AppEnvironment\napp = AppEnvironment(name="a", secrets=["app-key"])\ngpu = env.clone_with(name="gpu", secrets=flyte.Secret(key="gpu-key"))\ndef clone_with(secrets="nope"): pass\n';
  assert.deepEqual(scanPython(text).references.map((r) => r.name), ['app-key', 'gpu-key']);
});

test('hardening item 3 (Python): nesting as deep as the size cap allows neither throws nor hides later references', () => {
  const deep = 300_000;
  const tail = '\nenv2 = flyte.TaskEnvironment(name="b", secrets="after")\n';
  const inputs = [
    'env = TaskEnvironment(' + '('.repeat(deep) + 'secrets="x"',
    'env = TaskEnvironment(secrets=' + '['.repeat(deep) + '"x"' + ']'.repeat(deep) + ')',
    'e = TaskEnvironment(secrets=flyte.Secret(key=' + '('.repeat(deep) + '"x"' + ')'.repeat(deep) + '))',
    'x = f"' + '{f"'.repeat(100_000),
    '@env.task(' + '{'.repeat(deep),
  ];
  for (const text of inputs) {
    let refs: ReturnType<typeof scanPython>['references'] = [];
    assert.doesNotThrow(() => (refs = scanPython(text + tail).references));
    for (const r of refs) assert.equal((text + tail).slice(r.start, r.end), r.text);
  }
  assert.deepEqual(scanPython(inputs[2] + tail).references.map((r) => r.name), ['x', 'after']);
});
