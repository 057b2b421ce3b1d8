// mcli run YAMLs (src/core/platforms/mosaic/runYaml.ts, runYamlSecrets.ts): recognised only when
// plainly one (other YAML with `command` and `image` stays silent), the env vars the command reads,
// the ones the YAML or the command sets itself, and a warning only where one is due.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { envUses, parseRunYaml } from '../../src/core/platforms/mosaic/runYaml';
import { looksLikeSecret, runFileLenses, runLenses, unprovided } from '../../src/core/platforms/mosaic/runYamlSecrets';
import { MOSAIC } from '../../src/core/platforms/mosaic/facts';
import { PLATFORMS } from '../../src/core/platforms/registry';
import type { SecretInfo } from '../../src/core/platforms/types';

// The shape of mosaicml/llm-foundry mcli/fh_secret_check.yaml.
const HF_CHECK = `name: huggingface-api-key
compute:
  cluster: r1z1
  instance: cpu
image: mosaicml/pytorch
integrations:
  - integration_type: pip_packages
    packages:
      - huggingface-hub
command: |
  export hf_token=$HF_TOKEN
  echo "Checking if HF Token is set..."
  if [ -z "$hf_token" ]; then
    exit 1
  fi
  huggingface-cli login --token $hf_token
`;

// The shape of llm-foundry's mcli-openai-eval.yaml: no compute map, gpu_num / cluster at the top.
const OPENAI_EVAL = `integrations:
- integration_type: git_repo
  git_repo: mosaicml/llm-foundry
  git_branch: v0.15.0
  pip_install: .[gpu,openai]
  ssh_clone: false  # Should be true if using a private repo

command: |
  cd llm-foundry/scripts
  composer eval/eval.py /mnt/config/parameters.yaml

run_name: openai-eval
gpu_num:  #
gpu_type:  #
cluster:  # replace with your cluster here!

image: mosaicml/llm-foundry:2.5.1_cu124-latest

parameters:
  seed: 1
`;

const WANDB_RUN = `name: train-with-wandb
image: mosaicml/pytorch:latest
compute:
  gpus: 8
  cluster: r1z1
env_variables:
  - key: MESSAGE
    value: hello
  - key: DATA_TOKEN
    value: not-really-secret
command: |
  # WANDB_API_KEY comes from a secret; $COMMENTED_KEY is only a comment
  echo $MESSAGE $DATA_TOKEN $RUN_NAME $COMPOSER_RUN_NAME $NODE_RANK
  export LOCAL_SECRET=abc
  echo $LOCAL_SECRET \${OPTIONAL_TOKEN:-none} \\$ESCAPED_KEY
  python -c 'import os; print(os.environ["WANDB_API_KEY"], os.getenv("OPENAI_API_KEY"), os.environ.get("SOFT_KEY", ""))'
  gcloud auth activate-service-account --key-file /secrets/gcp/key.json
`;

const secrets: SecretInfo[] = [
  { name: 'openai', type: 'environment', scope: 'OPENAI_API_KEY' },
  { name: 'gcp', type: 'gcp', scope: '/secrets/gcp' },
  { name: 'docker', type: 'docker_registry' },
];

describe('mcli run YAML recognition', () => {
  it('recognises real mcli run YAML shapes', () => {
    for (const text of [HF_CHECK, OPENAI_EVAL, WANDB_RUN]) assert.ok(parseRunYaml(text), text.slice(0, 40));
    const run = parseRunYaml(HF_CHECK);
    assert.equal(HF_CHECK.slice(run?.commandOffset, (run?.commandOffset ?? 0) + 8), 'command:');
  });

  it('stays silent on other YAML that has command and image', () => {
    const others = [
      // Kubernetes
      'apiVersion: v1\nkind: Pod\nimage: x\ncommand: echo $API_KEY\n',
      // Compose (command/image nested) and a flat file with nothing mcli's
      'services:\n  app:\n    image: x\n    command: echo $API_KEY\n',
      'image: python:3.11\ncommand: echo $API_KEY\n',
      // Azure ML command job
      '$schema: https://azuremlschemas.azureedge.net/latest/commandJob.schema.json\ntype: command\ncommand: echo $API_KEY\nimage: x\ncompute: azureml:cpu\n',
      // dstack
      'type: task\nimage: x\ncommands:\n  - echo $API_KEY\ncommand: x\n',
      // App Engine
      'runtime: python311\nentrypoint: gunicorn\nenv_variables:\n  SECRET_KEY: x\n',
      // compute that isn't mcli's map, integrations that aren't mcli's
      'image: x\ncommand: echo $API_KEY\ncompute: azureml:cpu\n',
      'image: x\ncommand: echo $API_KEY\nintegrations: [slack]\n',
      // not YAML that parses
      'image: x\ncommand: "echo\ncompute: {\n',
      'command: echo $API_KEY\ncompute:\n  gpus: 1\n',
    ];
    for (const text of others) {
      assert.equal(parseRunYaml(text), undefined, text);
      assert.deepEqual(runFileLenses(text, [], 'm'), [], text);
    }
  });
});

describe('env vars the command uses', () => {
  it('finds $NAME, ${NAME}, os.environ[...] and os.getenv(...), with or without a fallback', () => {
    const uses = envUses('echo $A ${B} ${C:-x} ${D:?must} \\$E $$ $1\npython -c "os.environ[\'F\']; os.getenv(\'G\'); os.environ.get(\'H\', 1); os.getenv(\'I\', None)"');
    assert.deepEqual(
      uses.map((u) => [u.name, u.hasDefault]),
      [['A', false], ['B', false], ['C', true], ['D', false], ['F', false], ['G', false], ['H', true], ['I', true]],
    );
  });

  it('knows what the YAML and the command set themselves', () => {
    const run = parseRunYaml(WANDB_RUN);
    assert.ok(run);
    for (const n of ['MESSAGE', 'DATA_TOKEN', 'LOCAL_SECRET']) assert.ok(run.selfSet.has(n), n);
    assert.ok(!run.uses.some((u) => u.name === 'COMMENTED_KEY' || u.name === 'ESCAPED_KEY'));
    assert.ok(run.paths.includes('/secrets/gcp/key.json'));
    const dict = parseRunYaml('name: x\nimage: y\ncompute:\n  gpus: 1\nenv_variables:\n  FOO_TOKEN: a\nenv:\n  - BAR_KEY=b\ncommand: echo $FOO_TOKEN $BAR_KEY\n');
    assert.deepEqual(dict && unprovided(dict, []), []);
    assert.ok(parseRunYaml(HF_CHECK)?.selfSet.has('hf_token'));
  });

  it('reads names that look like secrets', () => {
    for (const n of ['WANDB_API_KEY', 'HF_TOKEN', 'DB_PASSWORD', 'AWS_SECRET_ACCESS_KEY', 'MY_CREDENTIALS', 'APIKEY', 'SFTP_PASS']) assert.ok(looksLikeSecret(n), n);
    for (const n of ['MESSAGE', 'PASSTHROUGH', 'KEYBOARD_LAYOUT', 'TOKENIZER', 'NODE_RANK', 'DATA_PATH']) assert.ok(!looksLikeSecret(n), n);
  });
});

describe('lenses against the secrets', () => {
  it('lists what the run receives and warns only where no secret, YAML or runtime provides a secret-looking var', () => {
    const lenses = runFileLenses(WANDB_RUN, secrets, 'mosaic');
    assert.equal(lenses.length, 2);
    assert.match(lenses[0].title, /receives 3 secrets: OPENAI_API_KEY \(env\), \/secrets\/gcp \(gcp\), docker registry/);
    assert.match(lenses[0].tooltip, /gcp: .*used by this command/);
    assert.match(lenses[0].tooltip, /openai: .*used by this command/);
    assert.match(lenses[1].title, /uses \$WANDB_API_KEY: no environment secret provides it/);
    assert.doesNotMatch(lenses[1].title, /OPENAI|SOFT_KEY|OPTIONAL_TOKEN|DATA_TOKEN|LOCAL_SECRET|RUN_NAME/);
    assert.deepEqual(lenses[1].create, { name: 'wandb-api-key', type: 'environment', envKey: 'WANDB_API_KEY' });
  });

  it('no warning once an environment secret provides it', () => {
    const lenses = runFileLenses(WANDB_RUN, [...secrets, { name: 'wandb', type: 'environment', scope: 'WANDB_API_KEY' }], 'mosaic');
    assert.equal(lenses.length, 1);
    assert.match(lenses[0].title, /receives 4 secrets: .* \+1 more/);
  });

  it('HF_TOKEN: a warning without a Hugging Face secret, none with one', () => {
    assert.match(runFileLenses(HF_CHECK, [], 'm')[1]?.title ?? '', /\$HF_TOKEN/);
    assert.equal(runFileLenses(HF_CHECK, [], 'm')[0].title, 'This run receives no secrets');
    assert.equal(runFileLenses(HF_CHECK, [{ name: 'hf', type: 'hugging_face', scope: 'HF_TOKEN' }], 'm').length, 1);
  });

  it("a secret of a type we don't know: no warning (it may set the variable)", () => {
    assert.equal(runFileLenses(HF_CHECK, [{ name: 'new-kind', type: 'brand_new', scope: undefined }], 'm').length, 1);
  });

  it('variables a secret type sets (Databricks, GCP) and runtime ones never warn', () => {
    const run = parseRunYaml('name: x\nimage: y\ncompute:\n  gpus: 1\ncommand: echo $DATABRICKS_TOKEN $GOOGLE_APPLICATION_CREDENTIALS $COMPOSER_SFTP_KEY_FILE $MOSAICML_API_KEY\n');
    assert.ok(run);
    assert.equal(runLenses(run, [], 'm').length, 1);
  });

  it('MosaicML facts carry the hook; other platforms have none', () => {
    assert.equal(typeof MOSAIC.runFileLenses, 'function');
    assert.deepEqual(PLATFORMS.filter((p) => p.runFileLenses), [MOSAIC]);
  });
});
