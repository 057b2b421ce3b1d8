// Issue 12: other tools' YAML raises no false alarm (docs/contract.md "References in job files"):
// CircleCI's `<< parameters.x >>`, Helm / Argo / Jinja / VESSL `{{ … }}`, GitHub Actions' `${{ secrets.X }}`
// are not references, and CI pipelines, Kubernetes manifests and Argo workflows are checked only
// where their folder is bound to a connection. A correct reference next to them is still found.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { checkReferences, CheckTarget } from '../../src/core/check/checker';
import { chooseTarget, ConnectionSummary, referencesForTarget } from '../../src/core/check/target';
import { YamlScanState } from '../../src/core/references/incremental';
import { bracesLookalike, otherToolOfPath, otherToolOfText } from '../../src/core/references/lookalikes';
import { scanYaml } from '../../src/core/references/scanner';
import { SecretInfo } from '../../src/core/platforms/types';

const ZENML: ConnectionSummary = { label: 'zen', platform: 'zenml' };
const APOLO: ConnectionSummary = { label: 'apolo', platform: 'apolo' };

function target(c: ConnectionSummary): CheckTarget {
  const secrets = new Map<string, SecretInfo>([
    ['mlflow', { name: 'mlflow', keys: ['password'] }],
    ['wandb', { name: 'wandb', keys: ['key'] }],
  ]);
  return {
    label: c.label,
    platformName: c.platform,
    keyed: c.platform === ZENML.platform,
    validateName: () => undefined,
    resolveScope: () => ({ scopeId: 'own' }),
    state: () => ({ status: 'ok', label: 'own', complete: true, secrets }),
  };
}

/** What the editor reports for a file: scan, choose its connection, drop what doesn't count, check. */
function diagnose(path: string, text: string, connections: ConnectionSummary[], setting?: string): string[] {
  const scan = scanYaml(text);
  const choice = chooseTarget(path, new Set(scan.references.map((r) => r.syntax)), setting, connections);
  const refs = referencesForTarget(scan.references, choice, connections);
  const c = 'label' in choice ? connections.find((x) => x.label === choice.label) : undefined;
  const t = c ? target(c) : { none: 'none' in choice ? choice.none : '' };
  return checkReferences({ refs, target: t, level: 'secretAndKeyExist' })
    .filter((f) => f.status === 'problem')
    .map((f) => `${text.slice(f.ref.start, f.ref.end)} ${f.code}`);
}

const CIRCLECI = `version: 2.1
parameters:
  folder:
    type: string
    default: app
jobs:
  build:
    docker:
      - image: cimg/python:3.11
    working_directory: ~/<< parameters.folder >>
    steps:
      - checkout
      - run: cd << parameters.folder >> && make test
      - run:
          name: Tag
          command: |
            echo << pipeline.git.tag >> << pipeline.number >>
            docker build -t app:<< pipeline.git.revision >> << parameters.folder >>
`;

const ARGO = `apiVersion: argoproj.io/v1alpha1
kind: Workflow
metadata:
  generateName: hello-
spec:
  entrypoint: main
  templates:
    - name: main
      inputs:
        parameters:
          - name: message
      container:
        image: alpine
        args: ["{{inputs.parameters.message}}"]
        env:
          - name: WF
            value: "{{workflow.name}}"
          - name: ITEM
            value: "{{item.path}}"
`;

const HELM = `apiVersion: apps/v1
kind: Deployment
metadata:
  name: "{{ .Values.api.name }}"
  labels:
    app: "{{ $.Chart.Name }}"
spec:
  template:
    spec:
      containers:
        - name: api
          image: "{{ .Values.image.repository }}:{{ .Values.image.tag }}"
          env:
            - name: MODE
              value: "{{- .Values.mode -}}"
`;

const GHA = `name: ci
on: push
jobs:
  test:
    runs-on: ubuntu-latest
    env:
      TOKEN: \${{ secrets.HF_TOKEN }}
      OTHER: "\${{ secrets.WANDB_KEY }}"
    steps:
      - run: echo "\${{ secrets.WANDB_KEY }}"
      - uses: actions/checkout@v4
        with:
          token: \${{ secrets.GITHUB_TOKEN }}
`;

const VESSL = `name: train
env:
  MLFLOW_TRACKING_USERNAME: "{{MLFLOW_TRACKING_USERNAME}}"
  JINJA: "{{ user }}"
  FILTER: "{{ cfg.token | default('x') }}"
  CALL: "{{ lookup.get('x') }}"
  ARGO_EXPR: "{{=sprig.trim(inputs.parameters.x)}}"
`;

test('CircleCI << parameters.x >> / << pipeline.x >> are no templates, in .circleci/ or anywhere', () => {
  assert.deepEqual(scanYaml(CIRCLECI).references, []);
  for (const conns of [[APOLO], [ZENML], [APOLO, ZENML]]) {
    assert.deepEqual(diagnose('/w/.circleci/config.yml', CIRCLECI, conns), []);
    assert.deepEqual(diagnose('/w/ci/config.yml', CIRCLECI, conns), []);
  }
  // A real template next to them is found (outside a CI folder, or in one bound to a connection).
  const mixed = `${CIRCLECI}      - run: export T=<<nope.key>> << parameters.folder >>\n`;
  assert.deepEqual(diagnose('/w/jobs/job.yml', mixed, [ZENML]), ['<<nope.key>> secret-missing']);
  assert.deepEqual(diagnose('/w/.circleci/config.yml', mixed, [ZENML]), [], 'a CI pipeline is not checked unless bound');
  assert.deepEqual(diagnose('/w/.circleci/config.yml', mixed, [ZENML], 'zen'), ['<<nope.key>> secret-missing'], 'bound: checked');
});

test('Argo {{inputs.parameters.x}} and {{workflow.name}}: silent, even with only a ZenML connection; checked where bound', () => {
  assert.equal(otherToolOfText(ARGO), 'an Argo workflow');
  for (const conns of [[ZENML], [ZENML, APOLO]]) assert.deepEqual(diagnose('/w/zenml/wf.yaml', ARGO, conns), []);
  // {{inputs.parameters.message}} has a dotted key (never a ZenML key): a look-alike, even when bound.
  // {{workflow.name}} is ZenML-shaped: a bound folder checks it, as its owner asked.
  assert.deepEqual(diagnose('/w/zenml/wf.yaml', ARGO, [ZENML], 'zen'), ['{{workflow.name}} secret-missing', '{{item.path}} secret-missing']);
});

test('Helm {{ .Values.x }}, {{ $.Chart.Name }}, {{- … -}}: never references; Kubernetes manifests are another tool’s', () => {
  assert.deepEqual(scanYaml(HELM).references, []);
  assert.equal(otherToolOfText(HELM), 'a Kubernetes manifest');
  assert.deepEqual(diagnose('/w/chart/templates/deploy.yaml', HELM, [ZENML], 'zen'), []);
  // A manifest's secret: value counts only where bound.
  const k8s = `${HELM}            - name: KEY\n              value: secret:nope\n`;
  assert.deepEqual(diagnose('/w/k8s/deploy.yaml', k8s, [APOLO]), []);
  assert.deepEqual(diagnose('/w/k8s/deploy.yaml', k8s, [APOLO], 'apolo'), ['secret:nope secret-missing']);
});

test('GitHub Actions ${{ secrets.X }} is never a reference; .github/ files count only where bound', () => {
  assert.deepEqual(scanYaml(GHA).references, []);
  assert.equal(otherToolOfPath('/w/.github/workflows/ci.yml'), 'a GitHub workflow');
  assert.equal(otherToolOfPath('.gitlab-ci.yml'), 'a GitLab CI pipeline');
  assert.equal(otherToolOfPath('/w/jobs/train.yml'), undefined);
  const withRef = `${GHA}      - run: x\n        env:\n          K: secret:nope\n`;
  assert.deepEqual(diagnose('/w/.github/workflows/ci.yml', withRef, [APOLO]), []);
  assert.deepEqual(diagnose('/w/.github/workflows/ci.yml', withRef, [APOLO], 'apolo'), ['secret:nope secret-missing']);
  assert.deepEqual(diagnose('/w/jobs/ci.yml', withRef, [APOLO]), ['secret:nope secret-missing']);
});

test('VESSL {{NAME}} and Jinja {{ var }}, filters, calls, Argo expressions: silent in a ZenML-bound folder; a real {{NAME.KEY}} next to them is checked', () => {
  const text = `${VESSL}  REAL: "{{ mlflow.password }}"\n  WRONG: "{{mlflow.nope}}"\n  EMPTY: "{{mlflow.}}"\n`;
  assert.deepEqual(diagnose('/w/zen/run.yaml', text, [ZENML], 'zen'), ['{{mlflow.nope}} key-missing', '{{mlflow.}} reference-malformed']);
  const real = scanYaml(text).references.find((r) => r.key === 'password');
  assert.equal(real && text.slice(real.start, real.end), '{{ mlflow.password }}');
});

test('the {{ }} look-alike rule', () => {
  for (const t of ['{{x}}', '{{ MLFLOW_TRACKING_USERNAME }}', '{{}}', '{{ .Values.x }}', '{{.b}}', '{{ $.Values.x }}', '{{- .Values.x }}', '{{=a.b}}', '{{inputs.parameters.x}}', '{{ a.b | f }}', '{{ a.b.c }}', "{{a.get('x')}}", '{{a.b[0]}}']) {
    assert.equal(bracesLookalike(t), true, t);
  }
  for (const t of ['{{a.b}}', '{{ mlflow_secret.password }}', '{{a.}}', '{{my-secret.key_1}}', '{{a.b-c}}', '{{ a . b }}']) assert.equal(bracesLookalike(t), false, t);
});

test('CircleCI orb sources: <<parameters.x>>, <<pipeline.git.tag>>, <<include(scripts/x.sh)>> without spaces are silent too', () => {
  const orb = 'steps:\n  - run:\n      name: <<parameters.step-name>>\n      environment:\n        TAG: <<pipeline.git.tag>>\n        KEY: <<hf.token>>\n      command: <<include(scripts/run.sh)>>\n';
  assert.deepEqual(scanYaml(orb).references.map((r) => r.text), ['<<hf.token>>']);
});

test('<< x >> with whitespace right inside is silent; <<bad name.key>> stays malformed', () => {
  const refs = scanYaml('a: "<< parameters.x >> <<ok>> <<bad name.key>> << pipeline.id >>"\n').references;
  assert.deepEqual(refs.map((r) => [r.text, r.problem !== undefined]), [
    ['<<ok>>', false],
    ['<<bad name.key>>', true],
  ]);
});

test('an edit that makes a file a Kubernetes manifest (or not) re-scans to what a full scan says', () => {
  const body = 'spec:\n  env:\n    - value: secret:wandb\n    - value: "<<mlflow.password>>"\n';
  const plain = `kind: Thing\n${body}`;
  const manifest = `apiVersion: v1\nkind: Thing\n${body}`;
  for (const [from, to] of [
    [plain, manifest],
    [manifest, plain],
  ]) {
    const state = YamlScanState.full(from);
    state.prepare();
    const next = state.apply(to, [from === plain ? { start: 0, end: 0, text: 'apiVersion: v1\n' } : { start: 0, end: 'apiVersion: v1\n'.length, text: '' }]);
    const strip = (rs: readonly { text: string; start: number; otherTool?: string }[]) => rs.map((r) => [r.text, r.start, r.otherTool]);
    assert.deepEqual(strip(next.result.references), strip(scanYaml(to).references));
  }
  // An edit far below the head keeps the mark.
  const long = `apiVersion: v1\nkind: Thing\n${body}${'x: 1\n'.repeat(5000)}y: secret:later\n`;
  const s = YamlScanState.full(long);
  s.prepare();
  const edited = long.replace('secret:later', 'secret:later2');
  const n = s.apply(edited, [{ start: long.indexOf('secret:later') + 'secret:later'.length, end: long.indexOf('secret:later') + 'secret:later'.length, text: '2' }]);
  assert.ok(n.result.references.every((r) => r.otherTool === 'a Kubernetes manifest'));
  assert.deepEqual(strip2(n.result.references), strip2(scanYaml(edited).references));
});

function strip2(rs: readonly { text: string; start: number; otherTool?: string }[]) {
  return rs.map((r) => [r.text, r.start, r.otherTool]);
}
