// Where a plaintext token sits (src/core/plaintext/context.ts): the literal (exact offsets, quote),
// whole, inComment, the variable, envVar and suggestedName, per language. SYNTHETIC tokens only.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { detectPlaintext } from '../../src/core/plaintext/detect';
import { markdownLanguageAt, snakeName } from '../../src/core/plaintext/context';
import type { PlaintextLanguage } from '../../src/core/plaintext/types';
import { fake } from '../fixtures/plaintext/fakes';

const HF = fake('huggingface', 9);
const WB = fake('wandb', 9);

interface Want {
  /** The literal's text. */
  literal: string;
  quote?: '"' | "'" | '';
  whole: boolean;
  variable?: string;
  envVar: string;
  suggestedName: string;
  inComment?: boolean;
}

/** `text` holds one token (`T` stands for HF, `W` for the W&B key); checks the finding's context with exact offsets. */
async function expect(lang: PlaintextLanguage, template: string, want: Want): Promise<void> {
  const text = template.replace(/\bT\b/, HF).replace(/\bW\b/, WB);
  const token = template.includes('W') && /\bW\b/.test(template) ? WB : HF;
  const f = await detectPlaintext(text, lang);
  assert.equal(f.length, 1, `${lang}: ${template}`);
  const at = text.indexOf(token);
  assert.equal(f[0].start, at, template);
  assert.equal(f[0].end, at + token.length, template);
  const lit = want.literal.replace(/\bT\b/, HF).replace(/\bW\b/, WB);
  const litAt = text.indexOf(lit);
  assert.ok(litAt >= 0, `literal in text: ${want.literal}`);
  assert.deepEqual(f[0].literal, { start: litAt, end: litAt + lit.length, quote: want.quote ?? '' }, `${lang}: ${template} literal`);
  assert.equal(f[0].whole, want.whole, `${template} whole`);
  assert.equal(f[0].variable, want.variable, `${template} variable`);
  assert.equal(f[0].envVar, want.envVar, `${template} envVar`);
  assert.equal(f[0].suggestedName, want.suggestedName, `${template} suggestedName`);
  assert.equal(f[0].inComment, want.inComment, `${template} inComment`);
}

const hf = { envVar: 'HF_TOKEN', suggestedName: 'hf_token' };

test('YAML: KEY: value, quoted, flow mappings, - KEY=value, commands, comments', async () => {
  await expect('yaml', 'env:\n  HF_TOKEN: T\n', { literal: 'T', whole: true, variable: 'HF_TOKEN', ...hf });
  await expect('yaml', 'env:\n  HF_TOKEN: "T"  # note\n', { literal: 'T', quote: '"', whole: true, variable: 'HF_TOKEN', ...hf });
  await expect('yaml', "env:\n  MY_HUB_KEY: 'T'\n", { literal: 'T', quote: "'", whole: true, variable: 'MY_HUB_KEY', envVar: 'MY_HUB_KEY', suggestedName: 'my_hub_key' });
  await expect('yaml', 'env: {HF_TOKEN: T, B: 2}\n', { literal: 'T', whole: true, variable: 'HF_TOKEN', ...hf });
  await expect('yaml', 'env:\n  - HF_TOKEN=T\n', { literal: 'HF_TOKEN=T', whole: false, variable: 'HF_TOKEN', ...hf });
  await expect('yaml', 'cmd: huggingface-cli login --token T && python x.py\n', { literal: 'huggingface-cli login --token T && python x.py', whole: false, variable: 'token', ...hf });
  await expect('yaml', 'a: 1 # old token T\n', { literal: 'T', whole: true, inComment: true, ...hf });
  await expect('yaml', 'hub:\n  token: T\n', { literal: 'T', whole: true, variable: 'token', ...hf });
  await expect('yaml', 'wandb_key: W\n', { literal: 'W', whole: true, variable: 'wandb_key', envVar: 'WANDB_API_KEY', suggestedName: 'wandb_key' });
});

test('Python: the string literal with prefix and quotes; NAME =, os.environ[…] =, setdefault, keyword, dict; comments', async () => {
  await expect('python', 'HF_TOKEN = "T"\n', { literal: '"T"', quote: '"', whole: true, variable: 'HF_TOKEN', ...hf });
  await expect('python', 'hub_token: str = "T"\n', { literal: '"T"', quote: '"', whole: true, variable: 'hub_token', envVar: 'HF_TOKEN', suggestedName: 'hub_token' });
  await expect('python', 'os.environ["HF_TOKEN"] = \'T\'\n', { literal: "'T'", quote: "'", whole: true, variable: 'HF_TOKEN', ...hf });
  await expect('python', 'os.environ.setdefault("HF_TOKEN", "T")\n', { literal: '"T"', quote: '"', whole: true, variable: 'HF_TOKEN', ...hf });
  await expect('python', 'login(token=f"T")\n', { literal: 'f"T"', quote: '"', whole: true, variable: 'token', ...hf });
  await expect('python', 'cfg = {"HF_TOKEN": r"T", "x": 1}\n', { literal: 'r"T"', quote: '"', whole: true, variable: 'HF_TOKEN', ...hf });
  await expect('python', 'url = "https://x/?token=T&a=1"\n', { literal: '"https://x/?token=T&a=1"', quote: '"', whole: false, variable: 'token', ...hf });
  await expect('python', 'x = 1  # token: T\n', { literal: 'T', whole: true, inComment: true, ...hf });
  await expect('python', 'wandb.login(key="W")\n', { literal: '"W"', quote: '"', whole: true, variable: 'key', envVar: 'WANDB_API_KEY', suggestedName: 'wandb_api_key' });
  await expect('python', 's = """T"""\n', { literal: '"""T"""', quote: '"', whole: true, variable: 's', ...hf });
});

test('shell: NAME=value, export, quotes, --env NAME=value, -e NAME=value, --token value, wandb login KEY; comments', async () => {
  await expect('shellscript', 'export HF_TOKEN=T\n', { literal: 'T', whole: true, variable: 'HF_TOKEN', ...hf });
  await expect('shellscript', 'HF_TOKEN="T" python train.py\n', { literal: '"T"', quote: '"', whole: true, variable: 'HF_TOKEN', ...hf });
  await expect('shellscript', "docker run --env HF_TOKEN='T' img\n", { literal: "'T'", quote: "'", whole: true, variable: 'HF_TOKEN', ...hf });
  await expect('shellscript', 'docker run -e HUB_TOKEN=T img\n', { literal: 'T', whole: true, variable: 'HUB_TOKEN', envVar: 'HUB_TOKEN', suggestedName: 'hub_token' });
  await expect('shellscript', 'huggingface-cli login --token T\n', { literal: 'T', whole: true, variable: 'token', ...hf });
  await expect('shellscript', 'python x.py --hf-token=T\n', { literal: 'T', whole: true, variable: 'hf_token', ...hf });
  await expect('shellscript', 'wandb login W\n', { literal: 'W', whole: true, envVar: 'WANDB_API_KEY', suggestedName: 'wandb_api_key' });
  await expect('shellscript', 'echo ok # T\n', { literal: 'T', whole: true, inComment: true, ...hf });
});

test('.env and Makefile: the value (quotes included), comments after it, recipes as shell', async () => {
  await expect('dotenv', 'HF_TOKEN=T\n', { literal: 'T', whole: true, variable: 'HF_TOKEN', ...hf });
  await expect('dotenv', 'export HF_TOKEN = "T"   # hub\n', { literal: '"T"', quote: '"', whole: true, variable: 'HF_TOKEN', ...hf });
  await expect('makefile', 'HF_TOKEN ?= T\n', { literal: 'T', whole: true, variable: 'HF_TOKEN', ...hf });
  await expect('makefile', 'HF_TOKEN := "T"\n', { literal: '"T"', quote: '"', whole: true, variable: 'HF_TOKEN', ...hf });
  await expect('makefile', 'train:\n\tHF_TOKEN=T python train.py\n', { literal: 'T', whole: true, variable: 'HF_TOKEN', ...hf });
});

test('Markdown: fenced blocks read by their info string; prose as plain text', async () => {
  await expect('markdown', '# Setup\n\n```bash\nexport HF_TOKEN="T"\n```\n', { literal: '"T"', quote: '"', whole: true, variable: 'HF_TOKEN', ...hf });
  await expect('markdown', 'Text\n\n```python\nlogin(token="T")\n```\n', { literal: '"T"', quote: '"', whole: true, variable: 'token', ...hf });
  await expect('markdown', 'Use the token T to log in.\n', { literal: 'T', whole: true, ...hf });
  assert.equal(markdownLanguageAt('a\n```yaml\nk: v\n```\nb\n', 11), 'yaml');
  assert.equal(markdownLanguageAt('a\n```yaml\nk: v\n```\nb\n', 20), 'plaintext');
  assert.equal(markdownLanguageAt('~~~sh\nx\n~~~\n', 6), 'shellscript');
});

test('snakeName', () => {
  assert.equal(snakeName('HF_TOKEN'), 'hf_token');
  assert.equal(snakeName('hfToken'), 'hf_token');
  assert.equal(snakeName('--hf-token'), 'hf_token');
});

test('a token over several lines (a private key in a block scalar) is its own literal', async () => {
  // SYNTHETIC: base64 of a repeated sentence behind the ASN.1 SEQUENCE magic `MI` (what secretlint looks for).
  const body = 'MIIEow' + Array.from({ length: 8 }, (_, i) => Buffer.from(`synthetic key line ${i} `.repeat(3)).toString('base64').slice(0, 64)).join('\n    ');
  const text = `key: |\n    -----BEGIN RSA PRIVATE KEY-----\n    ${body}\n    -----END RSA PRIVATE KEY-----\n`;
  const f = await detectPlaintext(text, 'yaml');
  assert.equal(f.length, 1);
  assert.equal(f[0].ruleId, '@secretlint/secretlint-rule-privatekey');
  assert.ok(f[0].literal.start <= f[0].start && f[0].end <= f[0].literal.end);
});
