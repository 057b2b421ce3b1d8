// Issue 12: every Flyte reference form people write in Python (docs/contract.md "Beyond YAML"), each
// with the exact range of the name literal, and the look-alikes that must stay silent.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { performance } from 'node:perf_hooks';
import { scanPython } from '../../src/core/platforms/flyte/pythonScanner';
import type { SecretReference } from '../../src/core/references/reference';

function scan(text: string): SecretReference[] {
  const refs = scanPython(text).references;
  for (const r of refs) assert.equal(text.slice(r.start, r.end), r.text, 'range covers exactly the literal');
  return refs;
}

/** The expected [start, end) of each literal, found as the nth occurrence (default first) in text. */
function spans(text: string, lits: Array<string | [string, number]>): Array<[number, number]> {
  return lits.map((l) => {
    const [s, nth] = typeof l === 'string' ? [l, 0] : l;
    let at = -1;
    for (let k = 0; k <= nth; k++) at = text.indexOf(s, at + 1);
    assert.ok(at >= 0, `${s} is in the text`);
    return [at, at + s.length];
  });
}

function expectRefs(text: string, lits: Array<string | [string, number]>, names?: string[]): SecretReference[] {
  const refs = scan(text);
  assert.deepEqual(
    refs.map((r) => [r.start, r.end]),
    spans(text, lits),
  );
  if (names) assert.deepEqual(refs.map((r) => r.name), names);
  return refs;
}

const lines = (...ls: string[]) => ls.join('\n') + '\n';

test('1. a module-level name bound to a list of flyte.Secret, passed as secrets=NAME', () => {
  const text = lines(
    'import flyte',
    '',
    '_secrets = [flyte.Secret(key="openai-api-key", as_env_var="OPENAI_API_KEY")]',
    'env = flyte.TaskEnvironment(name="x", secrets=_secrets)',
  );
  const refs = expectRefs(text, ['"openai-api-key"'], ['openai-api-key']);
  assert.equal(refs[0].problem, undefined);
});

test('1. bound to a string, a tuple of strings, a single Secret, and an annotated binding', () => {
  const text = lines(
    'import flyte',
    'KEY = "wandb-key"',
    'PAIR = ("hf-token", "gh-token")',
    'ONE = flyte.Secret("db-pass", as_env_var="DB_PASS")',
    'ANN: list[flyte.Secret] = [flyte.Secret(key="annotated")]',
    'a = flyte.TaskEnvironment(name="a", secrets=KEY)',
    'b = flyte.TaskEnvironment(name="b", secrets=PAIR)',
    'c = flyte.TaskEnvironment(name="c", secrets=ONE)',
    '@a.task(secrets=ANN)',
    'def t(): ...',
  );
  expectRefs(text, ['"wandb-key"', '"hf-token"', '"gh-token"', '"db-pass"', '"annotated"']);
});

test('1. a binding used twice is one reference; a binding never passed as secrets is none', () => {
  const text = lines(
    'import flyte',
    'S = ["shared"]',
    'NOT_SECRETS = ["just-a-list", "of-strings"]',
    'MODELS = ["gpt-4"]',
    'a = flyte.TaskEnvironment(name="a", secrets=S)',
    'b = flyte.TaskEnvironment(name="b", secrets=S)',
    'c = a.clone_with(name="c", secrets=S)',
    'run(models=MODELS)',
  );
  expectRefs(text, ['"shared"']);
});

test('1. reassignment: every literal binding counts; none when any binding is not a literal', () => {
  const both = lines('import flyte', 'S = ["first"]', 'S = ["second"]', 'env = flyte.TaskEnvironment(name="e", secrets=S)');
  expectRefs(both, ['"first"', '"second"']);
  const poisoned = [
    lines('import flyte', 'S = ["first"]', 'S = load_secrets()', 'env = flyte.TaskEnvironment(name="e", secrets=S)'),
    lines('import flyte', 'S = ["first"]', 'S += extra', 'env = flyte.TaskEnvironment(name="e", secrets=S)'),
    lines('import flyte', 'S = ["first"]', 'def S(): ...', 'env = flyte.TaskEnvironment(name="e", secrets=S)'),
    lines('import flyte', 'S = ["first"]', 'from conf import S', 'env = flyte.TaskEnvironment(name="e", secrets=S)'),
    lines('import flyte', 'S = OTHER', 'env = flyte.TaskEnvironment(name="e", secrets=S)'),
    lines('import flyte', 'S = f"{team}-key"', 'env = flyte.TaskEnvironment(name="e", secrets=[S])'),
    lines('import flyte', 'S = ["first"]', 'S, T = load()', 'env = flyte.TaskEnvironment(name="e", secrets=S)'),
    lines('import flyte', 'S = ["first"]', 'for S in options: pass', 'env = flyte.TaskEnvironment(name="e", secrets=S)'),
  ];
  for (const text of poisoned) assert.deepEqual(scan(text), [], text);
});

test('1. names are not followed inside a function or a class body, and parameters are not checked', () => {
  const text = lines(
    'import flyte',
    'def make(secrets):',
    '    S = ["local-not-module"]',
    '    return flyte.TaskEnvironment(name="m", secrets=secrets)',
    'class C:',
    '    X = ["class-attr"]',
    'env = flyte.TaskEnvironment(name="e", secrets=X)',
  );
  assert.deepEqual(scan(text), []);
});

test('1. an f-string binding is dynamic (not checked); element names bound to Secret(...) count', () => {
  const text = lines(
    'import flyte',
    'S = f"{PREFIX}-token"',
    'OPENAI = flyte.Secret(key="openai")',
    'PLAIN = "plain-element-not-followed"',
    'env = flyte.TaskEnvironment(name="e", secrets=S)',
    'env2 = flyte.TaskEnvironment(name="e2", secrets=[OPENAI, PLAIN])',
  );
  const refs = expectRefs(text, ['f"{PREFIX}-token"', '"openai"']);
  assert.equal(refs[0].dynamic, true);
  assert.equal(refs[1].dynamic, undefined);
});

test('1. a spread module-level name in a list: its whole value', () => {
  const text = lines(
    'import flyte',
    'COMMON = ["common-a", flyte.Secret(key="common-b")]',
    'env = flyte.TaskEnvironment(name="e", secrets=[*COMMON, flyte.Secret(key="own")])',
    'e2 = flyte.TaskEnvironment(name="e2", secrets=[*load()])',
  );
  expectRefs(text, ['"common-a"', '"common-b"', '"own"']);
});

test('2. both branches of a conditional, inline and bound', () => {
  const text = lines(
    'import flyte',
    'env = flyte.TaskEnvironment(',
    '    name="x",',
    '    secrets=[] if MOCK else [flyte.Secret(key="openai-api-key", as_env_var="OPENAI_API_KEY")],',
    ')',
    'S = "mock-key" if MOCK else "real-key"',
    'e2 = flyte.TaskEnvironment(name="y", secrets=S)',
    'e3 = flyte.TaskEnvironment(name="z", secrets=("a-key" if A else "b-key" if B else flyte.Secret("c-key")))',
    'e4 = flyte.TaskEnvironment(name="w", secrets=[s for s in ["comprehension"] if s])',
  );
  expectRefs(text, ['"openai-api-key"', '"mock-key"', '"real-key"', '"a-key"', '"b-key"', '"c-key"']);
});

test('3. every *Environment class of flyte, imported names, and clone_with', () => {
  const text = lines(
    'import flyte',
    'import flyte.app',
    'from flyte.app.extras import FastAPIAppEnvironment',
    'app_env = flyte.app.AppEnvironment(name="my-api", secrets=flyte.Secret(key="my-api-key", as_env_var="API_KEY"))',
    'api = FastAPIAppEnvironment(name="fastapi", app=app, secrets=["fastapi-key"])',
    'api2 = flyte.app.extras.FastAPIAppEnvironment(name="f2", secrets="fastapi-key-2")',
    'gpu = env.clone_with(name="gpu", secrets=[flyte.Secret(key="gpu-key")])',
  );
  expectRefs(text, ['"my-api-key"', '"fastapi-key"', '"fastapi-key-2"', '"gpu-key"']);
  const plugin = lines('import flyte', 'from flyteplugins.vllm import VLLMAppEnvironment', 'v = VLLMAppEnvironment(name="llm", secrets=["hf-token"])');
  expectRefs(plugin, ['"hf-token"']);
});

test('4. task.override(secrets=...)', () => {
  const text = lines(
    'import flyte',
    'async def main():',
    '    r = await my_task.override(secrets=[flyte.Secret(key="override-key")])(x=1)',
    '    s = other.override(secrets="override-2", short_name="s")',
    '    return r',
  );
  expectRefs(text, ['"override-key"', '"override-2"']);
});

test('5. image-build secrets: secret_mounts in any Image builder chain method', () => {
  const text = lines(
    'import flyte',
    'from flyte import Image, Secret, SecretMount',
    'image = (',
    '    flyte.Image.from_debian_base(install_flyte=False)',
    '    .with_apt_packages("git", secret_mounts=["/tmp/secret1"])',
    '    .with_pip_packages("mypy", pre=True, secret_mounts=["GITHUB_PAT"])',
    '    .with_commands(["env"], secret_mounts=Secret("cmd-token"))',
    '    .with_requirements("r.txt", secret_mounts=[Secret(group="aws", key="aws-id", as_env_var="AWS_ACCESS_KEY_ID")])',
    '    .with_pip_packages("x", secret_mounts=[SecretMount(Secret(key="mounted"))])',
    ')',
  );
  expectRefs(text, ['"GITHUB_PAT"', '"cmd-token"', '"aws-id"', '"mounted"']);
  const nested = lines(
    'import flyte',
    'env = flyte.TaskEnvironment(',
    '    name="x",',
    '    image=flyte.Image.from_debian_base().with_pip_packages("torch", secret_mounts=["pip-token"]),',
    '    secrets=["real"],',
    ')',
  );
  expectRefs(nested, ['"pip-token"', '"real"']);
});

test('6. flytekit (Union v1): secret_requests with Secret(key=..., group=...)', () => {
  const text = lines(
    'import flytekit',
    'from flytekit import Secret, task',
    '',
    '@task(secret_requests=[Secret(key="user_secret", group="user-info")])',
    'def a() -> str: ...',
    '',
    '@flytekit.task(secret_requests=[flytekit.Secret(group="g", key="kit-dotted", mount_requirement=Secret.MountType.FILE)])',
    'def b() -> str: ...',
    '',
    '@task(secret_requests=[Secret("positional-group", "positional-key")])',
    'def c() -> str: ...',
  );
  const refs = expectRefs(text, ['"user_secret"', '"kit-dotted"', '"positional-key"'], ['user_secret', 'kit-dotted', 'positional-key']);
  assert.ok(refs.every((r) => !r.problem), 'flytekit derives no environment variable: no problem for names like these');
});

test('6. flytekit: module-level Secret bound and passed, import aliases, union package', () => {
  const text = lines(
    'import flytekit as fk',
    'from flytekit import task, Secret, workflow',
    'secret_env_var = Secret(group="my-group", key="token", env_var="MY_SECRET", mount_requirement=Secret.MountType.ENV_VAR)',
    'SECRETS = [Secret(group="impt-mongodb", key="jobs-mongodb-username"), Secret(group="impt-mongodb", key="jobs-mongodb-password")]',
    'wandb_secret = fk.Secret(key="WANDB_API_KEY")',
    '@task(secret_requests=[secret_env_var])',
    'def get() -> str: ...',
    '@task(secret_requests=SECRETS)',
    'def get2() -> str: ...',
    '@fk.task(secret_requests=[wandb_secret])',
    'def get3() -> str: ...',
  );
  expectRefs(text, ['"token"', '"jobs-mongodb-username"', '"jobs-mongodb-password"', '"WANDB_API_KEY"']);
  const union = lines('import union', '@union.task(secret_requests=[union.Secret(key="union-key")])', 'def t(): ...');
  expectRefs(union, ['"union-key"']);
});

test('6. flytekit: a key that is a module constant is not followed (a name is not a literal)', () => {
  const text = lines(
    'from flytekit import Secret, task',
    'SECRET_NAME = "user_secret"',
    'SECRET_GROUP = "user-info"',
    '@task(secret_requests=[Secret(group=SECRET_GROUP, key=SECRET_NAME)])',
    'def secret_task() -> str: ...',
  );
  assert.deepEqual(scan(text), []);
});

test('not literal: f-string with fields, call results, parameters are not checked', () => {
  const text = lines(
    'import flyte',
    'env = flyte.TaskEnvironment(name="x", secrets=get_secrets())',
    'e2 = flyte.TaskEnvironment(name="y", secrets=[flyte.Secret(key=f"{team}-key")])',
    'def f(names):',
    '    return t.override(secrets=names)',
  );
  const refs = scan(text);
  assert.equal(refs.length, 1);
  assert.equal(refs[0].dynamic, true);
});

test('comments and docstrings are never references', () => {
  const text = lines(
    'import flyte',
    '# env = flyte.TaskEnvironment(name="x", secrets=["in-comment"])',
    'def f():',
    '    """',
    '    t.override(secrets=["in-docstring"])',
    '    @task(secret_requests=[Secret(key="doc")])',
    '    """',
    '    return 1',
    'S = ["bound"]  # secrets=S',
  );
  assert.deepEqual(scan(text), []);
});

test('look-alikes stay silent', () => {
  const cases = [
    // secrets= of unrelated calls, in a flyte file
    lines('import flyte', 'import boto3', 'c = boto3.client("secretsmanager", secrets=["not-flyte"])', 'x = os.environ.get("secrets")'),
    lines('import flyte', 'cfg = {"secrets": ["dict-key"]}', 'd = dict(secrets=["dict-call"])', 'S = ["never-used"]', 'other(secrets=S)'),
    // Secret(...) and secret_requests / secret_mounts / override / *Environment without any flyte import
    lines('from kubetorch import Secret', 'job = Job(secret_requests=[Secret(key="kube")])'),
    lines('from lib.vibe.secrets import Secret', 's = Secret(key="provider-key")', 'p.override(secrets=["plain-override"])'),
    lines('import gym', 'e = gym.make("x")', 'w = MyEnvironment(secrets=["gym-env"])'),
    lines('image = docker.with_packages("x", secret_mounts=["docker-secret"])'),
    // an Image builder's keyword other than secret_mounts, a non-builder method
    lines('import flyte', 'i = flyte.Image.from_debian_base().with_env_vars({"secrets": "x"})', 'y = thing.mount(secret_mounts=["not-builder"])'),
    // keywords named like Object.prototype members are not secret keywords
    lines('import flyte', 'e = flyte.TaskEnvironment(name="e", constructor="c", toString="t", __proto__="p")'),
  ];
  for (const text of cases) assert.deepEqual(scan(text), [], text);
});

test('problems keep working on the new forms (reference-malformed on the literal)', () => {
  const text = lines('import flyte', 'S = ["bad name"]', 'env = flyte.TaskEnvironment(name="e", secrets=S)', 'm = flyte.Image.from_debian_base().with_pip_packages("x", secret_mounts="9lives")');
  const refs = expectRefs(text, ['"bad name"', '"9lives"']);
  assert.ok(refs[0].problem && /not a valid Flyte secret name/.test(refs[0].problem));
  assert.ok(refs[1].problem && /environment variable/.test(refs[1].problem));
});

test('many uses of one large binding stay linear (the binding is read once)', () => {
  const n = 20_000;
  const big = 'S = [' + Array.from({ length: n }, (_, i) => `"k${i}"`).join(', ') + ']\n';
  const uses = Array.from({ length: n }, (_, i) => `e${i} = flyte.TaskEnvironment(name="e", secrets=S)`).join('\n');
  const t0 = Date.now();
  const refs = scanPython('import flyte\n' + big + uses + '\n').references;
  assert.ok(refs.length > 0);
  assert.ok(Date.now() - t0 < 5000, 'well under quadratic');
});

test('chained conditionals and nested SecretMount as deep as the file allows neither throw nor hide references', () => {
  const deep = 100_000;
  const tail = 'env2 = flyte.TaskEnvironment(name="b", secrets="after")\n';
  const inputs = [
    'import flyte\nenv = flyte.TaskEnvironment(secrets=' + 'X if c else '.repeat(deep) + '"y")\n',
    'import flyte\nS = ' + '"x" if c else '.repeat(deep) + 'Y\nenv = flyte.TaskEnvironment(secrets=S)\n',
    'import flyte\ni = flyte.Image.from_debian_base().with_pip_packages(secret_mounts=' + 'SecretMount('.repeat(deep) + '"m"' + ')'.repeat(deep) + ')\n',
    'import flyte\nenv = flyte.TaskEnvironment(secrets=' + '(('.repeat(deep) + 'X if c else Z)' + ' if d else W)'.repeat(deep) + ')\n',
  ];
  for (const text of inputs) {
    let refs: SecretReference[] = [];
    assert.doesNotThrow(() => (refs = scanPython(text + tail).references));
    for (const r of refs) assert.equal((text + tail).slice(r.start, r.end), r.text);
    assert.equal(refs[refs.length - 1].name, 'after');
  }
});

test('bound names stay linear: many bindings of one name, long string chains, many uses (time ratio for 8x input)', () => {
  const make = (n: number): string => {
    const out = ['import flyte', 'from flytekit import Secret, task'];
    for (let i = 0; i < n; i++) out.push(`S = "k${i}"`, `C = ${'"a" '.repeat(20)}`, `K = Secret(key="r${i}") if X else Secret(key="q${i}")`);
    for (let i = 0; i < n; i++) out.push(`e${i} = flyte.TaskEnvironment(name="e", secrets=S)`, `f${i} = t.override(secrets=C)`, `@task(secret_requests=[K, K])`, `def g${i}(): ...`);
    return out.join('\n') + '\n';
  };
  const time = (text: string): number => {
    let best = Infinity;
    for (let k = 0; k < 3; k++) {
      const t0 = performance.now();
      scanPython(text);
      best = Math.min(best, performance.now() - t0);
    }
    return best;
  };
  const small = make(500);
  const large = make(4000);
  time(small);
  const ratio = time(large) / Math.max(time(small), 0.5);
  assert.ok(ratio < 40, `8x the input took ${ratio.toFixed(1)}x the time`);
});

test('a name Flyte refuses gets one fix: each run of refused characters becomes one "-", applied only to the name', () => {
  const { FLYTE_SYNTAX } = require('../../src/core/platforms/flyte/syntax') as typeof import('../../src/core/platforms/flyte/syntax');
  const src = 'import flyte\n\n@env.task(secrets=flyte.Secret(key="s3 creds"))\nasync def f(): ...\n\nenv = flyte.TaskEnvironment(name="t", secrets=["ok-name", "  a..b  "])\n';
  const refs = scanPython(src).references;
  const fixed = (name: string) => {
    const ref = refs.find((r) => r.name === name)!;
    const fixes = FLYTE_SYNTAX.fixes!(ref);
    return fixes.map((f) => src.slice(0, f.start) + f.newText + src.slice(f.end));
  };
  const [one] = fixed('s3 creds');
  assert.ok(one.includes('flyte.Secret(key="s3-creds")'), one);
  assert.equal(one.length, src.length);
  assert.deepEqual(fixed('ok-name'), []);
  const [two] = fixed('  a..b  ');
  assert.ok(two.includes('"ok-name", "a-b"]'), two);
});
