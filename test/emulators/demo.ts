// The sandbox's demo platforms: the four emulators with their seed data plus a few demo secrets, the
// connections the editor signs in with (handed over through ML_SECRETS_SANDBOX), and the same logins
// the way a platform CLI user has them (environment variables), so `ml-secrets check` on the demo
// workspace sees what the editor sees. Used by `npm start` (scripts/sandbox.mjs) and by the test that
// compares the command line with the editor (test/integration/sandboxCheck.test.ts).
import { randomBytes } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { randomToken } from './common/random';
import { ApoloEmulator, startApoloEmulator } from './apolo/server';
import { FlyteEmulator, startFlyteEmulator } from './flyte/server';
import { MosaicEmulator, startMosaicEmulator } from './mosaic/server';
import { startZenmlEmulator, ZenmlEmulator } from './zenml/server';

export interface DemoPlatforms {
  apolo: ApoloEmulator;
  zenml: ZenmlEmulator;
  mosaic: MosaicEmulator;
  flyte: FlyteEmulator;
  /** The editor's demo connections (the ML_SECRETS_SANDBOX file's content). Holds tokens. */
  connections: Record<string, string>[];
  /** The same logins as platform CLI environment variables. Holds tokens. */
  cliEnv: Record<string, string>;
  close(): Promise<void>;
}

const b64 = (s: string) => Buffer.from(s, 'utf8').toString('base64');
const dummy = (prefix: string, n = 24) => `${prefix}${randomBytes(n).toString('hex').slice(0, n)}`;

/** `apolo config show`'s passed-config form: what `APOLO_PASSED_CONFIG` holds in a job. */
function passedConfig(url: string, token: string, project: string): string {
  return b64(JSON.stringify({ token, url, cluster: 'default', org_name: 'demo-org', project_name: project }));
}

export async function startDemoPlatforms(o: { apoloPort?: number; zenmlPort?: number } = {}): Promise<DemoPlatforms> {
  const apolo = await startApoloEmulator({ port: o.apoloPort ?? 0, seed: true, userNamespaces: true });
  // A few more demo secrets, so the demo files show every state: present, missing, other project.
  apolo.state.setSecret('demo-org', 'demo-project', 'ssh-deploy-key', b64(`-----BEGIN OPENSSH PRIVATE KEY-----\n${dummy('', 64)}\n-----END OPENSSH PRIVATE KEY-----\n`));
  apolo.state.setSecret('demo-org', 'demo-project', 'gcp-sa.json', b64(JSON.stringify({ type: 'service_account', private_key_id: dummy('', 40) })));
  apolo.state.setSecret('demo-org', 'ml-team', 'aws-creds.json', b64(JSON.stringify({ aws_access_key_id: dummy('AKIA', 16) })));
  // Sharing (the view's "Shared with me" and "Who has access"): bob shares a user-scoped secret of his
  // with alice, a partner project lets her see one of its secrets exist (list, below read), and alice
  // has granted bob read on one of hers.
  apolo.state.grant('alice', 'secret://default/bob/dataset-token', 'read');
  apolo.state.grant('alice', 'secret://default/partner-org/research/HF_READ_TOKEN', 'list');
  apolo.state.grant('bob', 'secret://default/demo-org/demo-project/WANDB_API_KEY', 'read');
  const zenml = await startZenmlEmulator({ port: o.zenmlPort ?? 0, seed: true });
  const mosaic = await startMosaicEmulator({ seed: true });
  // Union's two-endpoint layout: SelectCluster sends the org-wide and flytesnacks/development secrets to
  // a data-plane listener; the domain-wide ones stay on the control plane.
  const flyte = await startFlyteEmulator({ seed: true, dataPlane: { scopes: [{}, { domain: 'development', project: 'flytesnacks' }] } });
  const connections: Record<string, string>[] = [
    { platform: 'apolo', url: apolo.apiUrl, token: apolo.tokens.alice, label: 'apolo-demo', cluster: 'default', org: 'demo-org', project: 'demo-project' },
    { platform: 'neuro', url: apolo.apiUrl, token: apolo.tokens.alice, label: 'neuro-demo', cluster: 'default', org: 'demo-org', project: 'ml-team' },
    { platform: 'zenml', url: zenml.url, username: 'alice', password: zenml.users.alice.password, label: 'zenml-demo' },
    { platform: 'mosaic', url: mosaic.endpoint, apiKey: mosaic.apiKeys.alice, label: 'mosaic-demo' },
    { platform: 'flyte', apiKey: flyte.apiKey, project: 'flytesnacks', domain: 'development', label: 'flyte-demo' },
  ];
  const cliEnv = {
    APOLO_PASSED_CONFIG: passedConfig(apolo.apiUrl, apolo.tokens.alice, 'demo-project'),
    NEURO_PASSED_CONFIG: passedConfig(apolo.apiUrl, apolo.tokens.alice, 'ml-team'),
    ZENML_STORE_URL: zenml.url,
    ZENML_STORE_API_KEY: zenml.apiKeys.alice,
    MOSAICML_API_KEY: mosaic.apiKeys.alice,
    MOSAICML_API_ENDPOINT: mosaic.endpoint,
    FLYTE_API_KEY: flyte.apiKey,
  };
  return {
    apolo,
    zenml,
    mosaic,
    flyte,
    connections,
    cliEnv,
    async close() {
      await Promise.all([apolo.close(), zenml.close(), mosaic.close(), flyte.close()]);
    },
  };
}

const LETTERS = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';

/**
 * Demo files with plaintext tokens (issue 16), written into a fresh copy of the demo workspace with
 * tokens made up on the spot (synthetic, in each rule's shape; never committed): a MosaicML run YAML
 * whose env_variables hold a Hugging Face token, and a notebook with a W&B key in a cell and a Hugging
 * Face token in a saved output. Returns the tokens (for leak canaries).
 */
export function writeDemoLeaks(root: string): string[] {
  const hf = () => `hf_${randomToken(LETTERS, 34)}`;
  const runToken = hf();
  const printed = hf();
  const wandb = randomBytes(20).toString('hex');
  const mosaicDir = join(root, 'mosaic-project');
  mkdirSync(mosaicDir, { recursive: true });
  writeFileSync(
    join(mosaicDir, 'eval.yaml'),
    [
      '# A run YAML with a token pasted in: the warning offers "Move to a platform secret…", which',
      '# creates a MosaicML env secret (injected into every run) and removes the plaintext entry.',
      'name: llm-eval',
      'image: mosaicml/llm-foundry:latest',
      'compute:',
      '  gpus: 1',
      'command: composer eval.py',
      'env_variables:',
      `  HF_TOKEN: ${runToken}`,
      '  LOG_LEVEL: info',
      '',
    ].join('\n'),
  );
  const nbDir = join(root, 'flyte-project', 'notebooks');
  mkdirSync(nbDir, { recursive: true });
  const notebook = {
    nbformat: 4,
    nbformat_minor: 5,
    metadata: { kernelspec: { name: 'python3', display_name: 'Python 3', language: 'python' }, language_info: { name: 'python' } },
    cells: [
      { cell_type: 'markdown', id: 'intro', metadata: {}, source: ['# Exploring the dataset\n', 'The key below and the printed environment are what ML Secrets warns about.'] },
      { cell_type: 'code', id: 'login', metadata: {}, execution_count: 1, source: ['import wandb\n', `wandb.login(key="${wandb}")`], outputs: [] },
      { cell_type: 'code', id: 'env', metadata: {}, execution_count: 2, source: ['import os\n', 'print(os.environ)'], outputs: [{ output_type: 'stream', name: 'stdout', text: [`environ({'HF_TOKEN': '${printed}'})\n`] }] },
    ],
  };
  writeFileSync(join(nbDir, 'explore.ipynb'), JSON.stringify(notebook, null, 1) + '\n');
  return [runToken, printed, wandb];
}
