// "Move to a platform secret…" (issue 16): each platform's move form (src/core/platforms/<id>/
// plaintextMove.ts, listed by src/core/plaintext/moveForms.ts) on each file language and place of a
// token, with the whole edited text, refusals and their reasons, YAML still valid, and a round trip
// through our own scanners. Tokens are synthetic (./plaintextMoveHelpers.ts).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parse, parseDocument } from 'yaml';
import { moveFormFor, suggestSecretName } from '../../src/core/plaintext/moveForms';
import { YamlScanState } from '../../src/core/references/incremental';
import { languageScanner } from '../../src/core/references/syntaxes';
import { validateApoloKey } from '../../src/core/platforms/apolo/names';
import { validateFlyteName } from '../../src/core/platforms/flyte/names';
import { validateMosaicName } from '../../src/core/platforms/mosaic/names';
import { validateZenmlName } from '../../src/core/platforms/zenml/names';
import { moved, planFor, refusal, requestFor, TOK } from './plaintextMoveHelpers';

const ENV = '${HF_TOKEN}';

// --- Apolo / Neu.ro ---------------------------------------------------------------------------

test('apolo yaml: a whole value becomes secret:NAME, quotes kept, a plain scalar stays plain', () => {
  const plain = `jobs:\n  train:\n    env:\n      HF_TOKEN: ${TOK}\n      OTHER: x\n`;
  assert.equal(moved('apolo', 'yaml', plain), 'jobs:\n  train:\n    env:\n      HF_TOKEN: secret:hf_token\n      OTHER: x\n');
  assert.equal(moved('apolo', 'yaml', `env:\n  HF_TOKEN: "${TOK}"\n`, { quote: '"' }), 'env:\n  HF_TOKEN: "secret:hf_token"\n');
  assert.equal(moved('apolo', 'yaml', `env:\n  HF_TOKEN: '${TOK}'\n`, { quote: "'" }), "env:\n  HF_TOKEN: 'secret:hf_token'\n");
  assert.equal(moved('apolo', 'yaml', `env: {HF_TOKEN: ${TOK}, A: b}\n`), 'env: {HF_TOKEN: secret:hf_token, A: b}\n');
  assert.equal(moved('neuro', 'yaml', `env:\n  HF_TOKEN: ${TOK} # note\n`), 'env:\n  HF_TOKEN: secret:hf_token # note\n');
  const plan = planFor('apolo', 'yaml', plain);
  assert.ok(!('refused' in plan));
  if (!('refused' in plan)) {
    assert.deepEqual(plan.create, { name: 'hf_token' });
    assert.equal(plan.valueField, 'value');
    assert.equal(plan.reference, 'secret:hf_token');
  }
});

test('apolo yaml: the edited file parses the same around the edit, and our scanner reads exactly the one reference back', () => {
  const text = `kind: batch\njobs:\n  train:\n    image: python\n    env:\n      HF_TOKEN: "${TOK}"\n      WANDB_MODE: offline\n`;
  const after = moved('apolo', 'yaml', text, { quote: '"' });
  const before = parse(text) as { jobs: { train: { env: Record<string, string> } } };
  const now = parse(after) as typeof before;
  assert.equal(now.jobs.train.env.HF_TOKEN, 'secret:hf_token');
  before.jobs.train.env.HF_TOKEN = 'secret:hf_token';
  assert.deepEqual(now, before);
  const refs = YamlScanState.full(after).result.references;
  assert.equal(refs.length, 1);
  assert.equal(refs[0].name, 'hf_token');
  assert.equal(refs[0].start, after.indexOf('secret:hf_token'));
});

test('apolo yaml: a token inside a longer string is refused (a reference must be a whole value)', () => {
  const reason = refusal('apolo', 'yaml', `jobs:\n  t:\n    cmd: bash -c "HF_TOKEN=${TOK} python train.py"\n`, { lit: `bash -c "HF_TOKEN=${TOK} python train.py"`, quote: '' });
  assert.match(reason, /whole value/);
  assert.match(reason, /HF_TOKEN: secret:hf_token/);
});

test('apolo shell: --env VAR=value of apolo run / neuro run / apolo job run becomes secret:NAME, read back by the command-line scanner', () => {
  const a = `apolo run --env HF_TOKEN=${TOK} -s cpu-small python:3.12 -- python train.py\n`;
  const after = moved('apolo', 'shellscript', a, { lit: `HF_TOKEN=${TOK}`, whole: false });
  assert.equal(after, 'apolo run --env HF_TOKEN=secret:hf_token -s cpu-small python:3.12 -- python train.py\n');
  const refs = languageScanner('shellscript')!(after).references;
  assert.equal(refs.length, 1);
  assert.deepEqual([refs[0].name, refs[0].start], ['hf_token', after.indexOf('secret:')]);
  assert.equal(moved('neuro', 'shellscript', `neuro run -e "HF_TOKEN=${TOK}" img\n`, { lit: `"HF_TOKEN=${TOK}"`, whole: false }), 'neuro run -e "HF_TOKEN=secret:hf_token" img\n');
  assert.equal(moved('apolo', 'shellscript', `apolo job run --env=HF_TOKEN=${TOK} img\n`, { lit: `--env=HF_TOKEN=${TOK}`, whole: false }), 'apolo job run --env=HF_TOKEN=secret:hf_token img\n');
  const make = `train:\n\tapolo run --env HF_TOKEN=${TOK} img\n`;
  assert.equal(moved('apolo', 'makefile', make, { lit: `HF_TOKEN=${TOK}`, whole: false }), 'train:\n\tapolo run --env HF_TOKEN=secret:hf_token img\n');
  const plan = planFor('apolo', 'shellscript', a, { lit: `HF_TOKEN=${TOK}`, whole: false });
  assert.ok(!('refused' in plan) && plan.note === undefined);
});

test('apolo shell: elsewhere the word reads "${ENVVAR}" (quotes kept valid) and the note says to pass --env', () => {
  assert.equal(moved('apolo', 'shellscript', `export HF_TOKEN=${TOK}\npython train.py\n`, { lit: `HF_TOKEN=${TOK}`, whole: false }), `export HF_TOKEN="${ENV}"\npython train.py\n`);
  assert.equal(moved('apolo', 'shellscript', `TOKEN="${TOK}"\n`, { lit: `"${TOK}"` }), `TOKEN="${ENV}"\n`);
  assert.equal(moved('apolo', 'shellscript', `TOKEN='${TOK}'\n`, { lit: `'${TOK}'` }), `TOKEN="${ENV}"\n`);
  assert.equal(moved('apolo', 'shellscript', `curl -H "Authorization: Bearer ${TOK}" u\n`, { lit: `"Authorization: Bearer ${TOK}"` }), `curl -H "Authorization: Bearer ${ENV}" u\n`);
  assert.equal(moved('apolo', 'shellscript', `curl -H 'Authorization: Bearer ${TOK}' u\n`, { lit: `'Authorization: Bearer ${TOK}'` }), `curl -H 'Authorization: Bearer '"${ENV}"'' u\n`);
  // apolo run's image argument onwards is the container's command: not an --env option.
  assert.equal(moved('apolo', 'shellscript', `apolo run img -- login ${TOK}\n`), `apolo run img -- login "${ENV}"\n`);
  const plan = planFor('apolo', 'shellscript', `TOKEN="${TOK}"\n`, { lit: `"${TOK}"` });
  assert.ok(!('refused' in plan));
  if (!('refused' in plan)) {
    assert.equal(plan.note, 'Pass --env HF_TOKEN=secret:hf_token to the job (apolo run / neuro run, or the flow\'s env:).');
    assert.equal(plan.reference, `"${ENV}"`);
  }
});

test('apolo makefile: a recipe escapes $ as $$; a make variable reads $(ENVVAR) unless it is ENVVAR itself', () => {
  assert.equal(moved('apolo', 'makefile', `run:\n\tHF_TOKEN=${TOK} python x.py\n`, { lit: `HF_TOKEN=${TOK}`, whole: false }), 'run:\n\tHF_TOKEN="$${HF_TOKEN}" python x.py\n');
  assert.equal(moved('apolo', 'makefile', `TOKEN := ${TOK}\nrun:\n\techo\n`, { variable: 'TOKEN' }), 'TOKEN := $(HF_TOKEN)\nrun:\n\techo\n');
  assert.match(refusal('apolo', 'makefile', `HF_TOKEN := ${TOK}\n`, { variable: 'HF_TOKEN' }), /can't read itself/);
});

test('apolo dotenv: the value becomes secret:NAME (apolo --env-file keeps quotes, so they go); other shapes refused', () => {
  assert.equal(moved('apolo', 'dotenv', `A=b\nHF_TOKEN=${TOK}\nC=d\n`), 'A=b\nHF_TOKEN=secret:hf_token\nC=d\n');
  assert.equal(moved('apolo', 'dotenv', `HF_TOKEN="${TOK}"\r\n`, { lit: `"${TOK}"` }), 'HF_TOKEN=secret:hf_token\r\n');
  assert.match(refusal('apolo', 'dotenv', `export HF_TOKEN=${TOK}\n`), /NAME=value verbatim/);
  assert.match(refusal('apolo', 'dotenv', `HF_TOKEN = ${TOK}\n`), /NAME=value verbatim/);
  assert.match(refusal('apolo', 'dotenv', `HF_TOKEN=${TOK} # mine\n`), /rest of the line/);
  assert.match(refusal('apolo', 'dotenv', `HF_TOKEN=x${TOK}\n`, { lit: `x${TOK}`, whole: false }), /whole value/);
});

test('apolo python: os.environ["ENVVAR"], import os inserted after the docstring and __future__ imports', () => {
  const text = `"""Train."""\nfrom __future__ import annotations\nimport sys\n\nlogin(token="${TOK}")\n`;
  assert.equal(moved('apolo', 'python', text, { lit: `"${TOK}"` }), '"""Train."""\nfrom __future__ import annotations\nimport os\nimport sys\n\nlogin(token=os.environ["HF_TOKEN"])\n');
  const has = `import os, sys\nlogin(token='${TOK}')\n`;
  assert.equal(moved('apolo', 'python', has, { lit: `'${TOK}'` }), 'import os, sys\nlogin(token=os.environ["HF_TOKEN"])\n');
  const plan = planFor('apolo', 'python', has, { lit: `'${TOK}'` });
  assert.ok(!('refused' in plan));
  if (!('refused' in plan)) {
    assert.equal(plan.edits.length, 1);
    assert.match(plan.note ?? '', /--env HF_TOKEN=secret:hf_token/);
  }
});

test('every platform: a token in a comment is deleted from it', () => {
  const yml = `# old: ${TOK}\nenv: {}\n`;
  assert.equal(moved('apolo', 'yaml', yml, { inComment: true }), '# old: <moved to secret hf_token>\nenv: {}\n');
  assert.equal(moved('zenml', 'yaml', yml, { inComment: true }), '# old: <moved to secret hf_token>\nenv: {}\n');
  assert.equal(moved('mosaic', 'python', `x = 1  # ${TOK}\n`, { inComment: true }), 'x = 1  # <moved to secret hf_token>\n');
  assert.equal(moved('flyte', 'dotenv', `# ${TOK}\nA=b\n`, { inComment: true }), '# <moved to secret hf_token>\nA=b\n');
  const plan = planFor('zenml', 'shellscript', `# ${TOK}\n`, { inComment: true });
  assert.ok(!('refused' in plan) && plan.reference === '{{hf_token.token}}');
});

test('markdown and plain text have no form', () => {
  assert.match(refusal('apolo', 'markdown', `Use ${TOK}\n`), /Markdown/);
  assert.match(refusal('flyte', 'plaintext', `${TOK}\n`), /plain text/);
});

// --- ZenML ----------------------------------------------------------------------------------

test('zenml yaml: a whole value becomes {{NAME.KEY}}; a plain scalar becomes a quoted one', () => {
  const text = `settings:\n  tracking_password: ${TOK}\n  other: 1\n`;
  const after = moved('zenml', 'yaml', text);
  assert.equal(after, 'settings:\n  tracking_password: "{{hf_token.token}}"\n  other: 1\n');
  assert.deepEqual(parse(after), { settings: { tracking_password: '{{hf_token.token}}', other: 1 } });
  const refs = YamlScanState.full(after).result.references;
  assert.equal(refs.length, 1);
  assert.deepEqual([refs[0].name, refs[0].key, refs[0].start], ['hf_token', 'token', after.indexOf('{{')]);
  assert.equal(moved('zenml', 'yaml', `a: "${TOK}"\n`, { quote: '"' }), 'a: "{{hf_token.token}}"\n');
  assert.equal(moved('zenml', 'yaml', `a: '${TOK}'\n`, { quote: "'" }), "a: '{{hf_token.token}}'\n");
  assert.equal(moved('zenml', 'yaml', `a: {b: ${TOK}}\n`), 'a: {b: "{{hf_token.token}}"}\n');
  const plan = planFor('zenml', 'yaml', text);
  assert.ok(!('refused' in plan));
  if (!('refused' in plan)) {
    assert.deepEqual(plan.create, { name: 'hf_token' });
    assert.deepEqual(plan.valueField, { values: 'token' });
  }
});

test('zenml yaml: refused inside a longer string, and for a name ZenML would split', () => {
  assert.match(refusal('zenml', 'yaml', `a: Bearer ${TOK}\n`, { lit: `Bearer ${TOK}`, whole: false }), /whole value/);
  assert.match(refusal('zenml', 'yaml', `a: ${TOK}\n`, { name: 'hf.token' }), /first '\.'/);
});

test('zenml shell: a whole argument or --opt= value of a zenml command; elsewhere refused', () => {
  const text = `zenml experiment-tracker register wb --flavor=wandb --api_key=${TOK}\n`;
  const after = moved('zenml', 'shellscript', text, { lit: `--api_key=${TOK}`, whole: false });
  assert.equal(after, 'zenml experiment-tracker register wb --flavor=wandb --api_key={{hf_token.token}}\n');
  const refs = languageScanner('shellscript')!(after).references;
  assert.equal(refs.length, 1);
  assert.deepEqual([refs[0].name, refs[0].key], ['hf_token', 'token']);
  assert.equal(moved('zenml', 'shellscript', `zenml x register y --token "${TOK}"\n`, { lit: `"${TOK}"` }), 'zenml x register y --token "{{hf_token.token}}"\n');
  assert.equal(moved('zenml', 'shellscript', `zenml x register y --token ${TOK}\n`, { name: 'a,b' }), "zenml x register y --token '{{a,b.token}}'\n");
  assert.equal(moved('zenml', 'makefile', `reg:\n\tzenml x register y --password=${TOK}\n`, { lit: `--password=${TOK}`, whole: false }), 'reg:\n\tzenml x register y --password={{hf_token.token}}\n');
  assert.match(refusal('zenml', 'shellscript', `export WANDB_API_KEY=${TOK}\n`, { lit: `WANDB_API_KEY=${TOK}`, whole: false }), /whole argument|zenml command/);
  assert.match(refusal('zenml', 'shellscript', `wandb login ${TOK}\n`), /zenml command/);
});

test('zenml python: Client().get_secret(...).secret_values[...], with the import the module needs', () => {
  const text = `import wandb\n\nwandb.login(key="${TOK}")\n`;
  assert.equal(
    moved('zenml', 'python', text, { lit: `"${TOK}"` }),
    'from zenml.client import Client\nimport wandb\n\nwandb.login(key=Client().get_secret("hf_token").secret_values["token"])\n',
  );
  const has = `from zenml.client import Client\nk = "${TOK}"\n`;
  assert.equal(moved('zenml', 'python', has, { lit: `"${TOK}"` }), 'from zenml.client import Client\nk = Client().get_secret("hf_token").secret_values["token"]\n');
  const mod = `import zenml.client\nk = "${TOK}"\n`;
  assert.equal(moved('zenml', 'python', mod, { lit: `"${TOK}"` }), 'import zenml.client\nk = zenml.client.Client().get_secret("hf_token").secret_values["token"]\n');
  const other = `from openai import Client\nk = "${TOK}"\n`;
  assert.equal(moved('zenml', 'python', other, { lit: `"${TOK}"` }), 'import zenml.client\nfrom openai import Client\nk = zenml.client.Client().get_secret("hf_token").secret_values["token"]\n');
});

test('zenml dotenv is refused', () => {
  assert.match(refusal('zenml', 'dotenv', `WANDB_API_KEY=${TOK}\n`), /no reference form in \.env/);
});

// --- MosaicML -------------------------------------------------------------------------------

const RUN = 'name: train\nimage: mosaicml/pytorch\ncompute:\n  gpus: 8\ncommand: |\n  python train.py\n';

test('mosaic yaml: the env_variables entry is deleted (whole lines); the env secret is created with its key', () => {
  const text = `${RUN}env_variables:\n  HF_TOKEN: ${TOK}\n  WANDB_MODE: offline\n`;
  assert.equal(moved('mosaic', 'yaml', text), `${RUN}env_variables:\n  WANDB_MODE: offline\n`);
  const plan = planFor('mosaic', 'yaml', text, { envVar: 'OTHER' });
  assert.ok(!('refused' in plan));
  if (!('refused' in plan)) {
    assert.deepEqual(plan.create, { name: 'hf_token', type: 'environment', envKey: 'HF_TOKEN' });
    assert.equal(plan.valueField, 'value');
    assert.equal(plan.reference, 'environment variable HF_TOKEN (MosaicML injects env secrets into every run)');
  }
  const list = `${RUN}env_variables:\n  - key: A\n    value: b\n  - key: HF_TOKEN\n    value: "${TOK}"\n`;
  assert.equal(moved('mosaic', 'yaml', list, { quote: '"' }), `${RUN}env_variables:\n  - key: A\n    value: b\n`);
  const named = `${RUN}env_variables:\n  - name: HF_TOKEN\n    value: ${TOK}\n  - name: A\n    value: b\n`;
  assert.equal(moved('mosaic', 'yaml', named), `${RUN}env_variables:\n  - name: A\n    value: b\n`);
  const eq = `${RUN}env_variables:\n  - A=b\n  - HF_TOKEN=${TOK}\n`;
  assert.equal(moved('mosaic', 'yaml', eq, { lit: `HF_TOKEN=${TOK}`, whole: false }), `${RUN}env_variables:\n  - A=b\n`);
});

test('mosaic yaml: the only entry takes env_variables with it; flow collections lose the entry and a comma', () => {
  const only = `env_variables:\n  HF_TOKEN: ${TOK}\n${RUN}`;
  const after = moved('mosaic', 'yaml', only);
  assert.equal(after, RUN);
  assert.equal(parseDocument(after).errors.length, 0);
  assert.equal(moved('mosaic', 'yaml', `${RUN}env_variables: {HF_TOKEN: ${TOK}, A: b}\n`), `${RUN}env_variables: {A: b}\n`);
  assert.equal(moved('mosaic', 'yaml', `${RUN}env_variables: {A: b, HF_TOKEN: ${TOK}}\n`), `${RUN}env_variables: {A: b}\n`);
  assert.equal(moved('mosaic', 'yaml', `${RUN}env_variables: {HF_TOKEN: ${TOK}}\n`), `${RUN}env_variables: {}\n`);
});

test('mosaic yaml: a token outside a top-level env_variables is refused; env_variables without compute keys moves', () => {
  assert.match(refusal('mosaic', 'yaml', `${RUN.replace('python train.py', `python train.py --token ${TOK}`)}`, { lit: `python train.py --token ${TOK}\n`, whole: false }), /no reference syntax/);
  assert.match(refusal('mosaic', 'yaml', `env:\n  HF_TOKEN: ${TOK}\n`), /env_variables/);
  assert.equal(moved('mosaic', 'yaml', `name: x\nimage: i\nenv_variables:\n  HF_TOKEN: ${TOK}\n  A: b\ncommand: c\n`), 'name: x\nimage: i\nenv_variables:\n  A: b\ncommand: c\n');
});

test('mosaic python, shell and dotenv', () => {
  assert.equal(moved('mosaic', 'python', `token = "${TOK}"\n`, { lit: `"${TOK}"` }), 'import os\ntoken = os.environ["HF_TOKEN"]\n');
  assert.equal(moved('mosaic', 'shellscript', `huggingface-cli login --token ${TOK}\n`), `huggingface-cli login --token "${ENV}"\n`);
  assert.equal(moved('mosaic', 'dotenv', `A=b\nHF_TOKEN=${TOK}\nC=d\n`), 'A=b\nC=d\n');
  assert.equal(moved('mosaic', 'dotenv', `A=b\r\nexport HF_TOKEN='${TOK}'`, { lit: `'${TOK}'` }), 'A=b');
  const plan = planFor('mosaic', 'dotenv', `WANDB_API_KEY=${TOK}\n`, { envVar: 'WANDB_API_KEY' });
  assert.ok(!('refused' in plan) && (plan.create as { envKey: string }).envKey === 'WANDB_API_KEY');
});

// --- Flyte ----------------------------------------------------------------------------------

test('flyte python: os.environ["ENVVAR"] and a note naming the flyte.Secret request', () => {
  const text = `import flyte\n\nenv = flyte.TaskEnvironment(name="t")\n\n@env.task\ndef f() -> None:\n    login(token="${TOK}")\n`;
  const plan = planFor('flyte', 'python', text, { lit: `"${TOK}"` });
  assert.ok(!('refused' in plan));
  if ('refused' in plan) return;
  assert.equal(moved('flyte', 'python', text, { lit: `"${TOK}"` }), text.replace('import flyte\n', 'import os\nimport flyte\n').replace(`"${TOK}"`, 'os.environ["HF_TOKEN"]'));
  assert.deepEqual(plan.create, { name: 'hf_token' });
  assert.match(plan.note ?? '', /secrets=flyte\.Secret\(key="hf_token", as_env_var="HF_TOKEN"\)/);
  assert.match(refusal('flyte', 'python', `t = "${TOK}"\n`, { lit: `"${TOK}"`, envVar: 'hf_token' }), /as_env_var/);
});

test('flyte python: an env_vars value of flyte.TaskEnvironment leaves the dict, and the call requests the secret', () => {
  const one = `import flyte\nenv = flyte.TaskEnvironment(name="t", env_vars={"HF_TOKEN": "${TOK}"})\n`;
  assert.equal(moved('flyte', 'python', one, { lit: `"${TOK}"` }), 'import flyte\nenv = flyte.TaskEnvironment(name="t", env_vars={}, secrets=flyte.Secret(key="hf_token", as_env_var="HF_TOKEN"))\n');
  const refs = languageScanner('python')!(moved('flyte', 'python', one, { lit: `"${TOK}"` })).references;
  assert.deepEqual(refs.map((r) => r.name), ['hf_token']);
  const first = `import flyte\nenv = flyte.TaskEnvironment(\n    name="t",\n    env_vars={\n        "HF_TOKEN": "${TOK}",\n        "MODE": "x",\n    },\n)\n`;
  assert.equal(
    moved('flyte', 'python', first, { lit: `"${TOK}"` }),
    'import flyte\nenv = flyte.TaskEnvironment(\n    name="t",\n    env_vars={\n        "MODE": "x",\n    }, secrets=flyte.Secret(key="hf_token", as_env_var="HF_TOKEN"),\n)\n',
  );
  const last = `import flyte\nenv = flyte.TaskEnvironment(name="t", env_vars={"MODE": "x", "WANDB_API_KEY": '${TOK}'})\n`;
  const plan = planFor('flyte', 'python', last, { lit: `'${TOK}'` });
  assert.ok(!('refused' in plan));
  if (!('refused' in plan)) assert.equal(plan.reference, 'flyte.Secret(key="hf_token", as_env_var="WANDB_API_KEY")');
  assert.equal(moved('flyte', 'python', last, { lit: `'${TOK}'` }), 'import flyte\nenv = flyte.TaskEnvironment(name="t", env_vars={"MODE": "x"}, secrets=flyte.Secret(key="hf_token", as_env_var="WANDB_API_KEY"))\n');
  const has = `import flyte\nenv = flyte.TaskEnvironment(name="t", secrets=["a"], env_vars={"HF_TOKEN": "${TOK}"})\n`;
  assert.match(refusal('flyte', 'python', has, { lit: `"${TOK}"` }), /already has secrets=/);
  const bare = `from flyte import TaskEnvironment\nenv = TaskEnvironment(name="t", env_vars={"HF_TOKEN": "${TOK}"})\n`;
  assert.match(refusal('flyte', 'python', bare, { lit: `"${TOK}"` }), /not imported as flyte/);
  // Not an env_vars entry of a TaskEnvironment: the simple form.
  assert.equal(moved('flyte', 'python', `import os\ncfg = {"HF_TOKEN": "${TOK}"}\n`, { lit: `"${TOK}"` }), 'import os\ncfg = {"HF_TOKEN": os.environ["HF_TOKEN"]}\n');
});

test('flyte: shell reads "${ENVVAR}"; yaml and dotenv are refused', () => {
  assert.equal(moved('flyte', 'shellscript', `HF_TOKEN=${TOK} python x.py\n`, { lit: `HF_TOKEN=${TOK}`, whole: false }), `HF_TOKEN="${ENV}" python x.py\n`);
  assert.match(refusal('flyte', 'yaml', `a: ${TOK}\n`), /read secrets in Python/);
  assert.match(refusal('flyte', 'dotenv', `A=${TOK}\n`), /read secrets in Python/);
});

// --- Python literal edges ---------------------------------------------------------------------

test('python: refused for part of a string, a bytes literal, implicit concatenation; glued keywords keep a space', () => {
  assert.match(refusal('apolo', 'python', `h = "Bearer ${TOK}"\n`, { lit: `"Bearer ${TOK}"` }), /longer string/);
  assert.match(refusal('apolo', 'python', `h = b"${TOK}"\n`, { lit: `b"${TOK}"` }), /bytes/);
  assert.match(refusal('apolo', 'python', `h = ("${TOK}"\n     "x")\n`, { lit: `"${TOK}"` }), /concatenated/);
  assert.equal(moved('apolo', 'python', `import os\ndef f():\n    return"${TOK}"\n`, { lit: `"${TOK}"` }), 'import os\ndef f():\n    return os.environ["HF_TOKEN"]\n');
  assert.equal(moved('apolo', 'python', `import os\nx = f"${TOK}"\n`, { lit: `f"${TOK}"` }), 'import os\nx = os.environ["HF_TOKEN"]\n');
});

test('python imports: shebang and encoding kept first, a cell magic stays first, CRLF kept, a docstring-only module', () => {
  assert.equal(moved('apolo', 'python', `#!/usr/bin/env python\n# -*- coding: utf-8 -*-\nx = "${TOK}"\n`, { lit: `"${TOK}"` }), '#!/usr/bin/env python\n# -*- coding: utf-8 -*-\nimport os\nx = os.environ["HF_TOKEN"]\n');
  assert.equal(moved('apolo', 'python', `%%time\nx = "${TOK}"\n`, { lit: `"${TOK}"` }), '%%time\nimport os\nx = os.environ["HF_TOKEN"]\n');
  assert.equal(moved('apolo', 'python', `import sys\r\nx = "${TOK}"\r\n`, { lit: `"${TOK}"` }), 'import os\r\nimport sys\r\nx = os.environ["HF_TOKEN"]\r\n');
  assert.equal(moved('apolo', 'python', `import os.path\nx = "${TOK}"\n`, { lit: `"${TOK}"` }), 'import os.path\nx = os.environ["HF_TOKEN"]\n');
  // `import os` only inside a function doesn't bind it at module level.
  assert.equal(moved('apolo', 'python', `def f():\n    import os\nx = "${TOK}"\n`, { lit: `"${TOK}"` }), 'import os\ndef f():\n    import os\nx = os.environ["HF_TOKEN"]\n');
  assert.equal(moved('apolo', 'python', `\uFEFFimport sys\nx = "${TOK}"\n`, { lit: `"${TOK}"` }), '\uFEFFimport os\nimport sys\nx = os.environ["HF_TOKEN"]\n');
  assert.match(refusal('apolo', 'python', `x = f"{'${TOK}'}"\n`, { lit: `'${TOK}'` }), /string literal of its own/);
  const multi = `x = ("""\nimport os\n""", "${TOK}")\n`;
  assert.equal(moved('apolo', 'python', multi, { lit: `"${TOK}"` }), `import os\nx = ("""\nimport os\n""", os.environ["HF_TOKEN"])\n`);
});

// --- Names --------------------------------------------------------------------------------------

test('suggestSecretName fits each platform rule; moveFormFor serves Neu.ro with Apolo form', () => {
  const f = { suggestedName: 'hf_token' };
  assert.equal(suggestSecretName(f, validateApoloKey, 'apolo'), 'hf_token');
  assert.equal(suggestSecretName(f, validateMosaicName, 'mosaic'), 'hf-token');
  assert.equal(suggestSecretName(f, validateMosaicName), 'hf-token');
  assert.equal(suggestSecretName(f, validateFlyteName, 'flyte'), 'hf_token');
  assert.equal(suggestSecretName({ suggestedName: 'my.token x' }, validateFlyteName, 'flyte'), 'my_token_x');
  assert.equal(suggestSecretName({ suggestedName: 'my.token' }, (n) => validateZenmlName(n) ?? (n.includes('.') ? 'dot' : undefined), 'zenml'), 'my_token');
  const taken = new Set(['hf-token', 'hf-token-2']);
  assert.equal(suggestSecretName(f, (n) => validateMosaicName(n) ?? (taken.has(n) ? 'taken' : undefined), 'mosaic'), 'hf-token-3');
  assert.equal(moveFormFor('neuro'), moveFormFor('apolo'));
  assert.equal(requestFor('yaml', `a: ${TOK}\n`).finding.whole, true);
});
