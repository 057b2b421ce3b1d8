// Every plaintext rule (src/core/plaintext/rules.ts, and the secretlint preset through
// detectPlaintext) with true positives and false positives, like gitleaks' rule validation. All
// tokens are SYNTHETIC (test/fixtures/plaintext/fakes.ts).

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { detectPlaintext, labelOf, maskedPreview, plaintextLanguageOf, RULE_LABELS } from '../../src/core/plaintext/detect';
import { isPlaceholder, RULES } from '../../src/core/plaintext/rules';
import { fake, FAKES, RULE_OF } from '../fixtures/plaintext/fakes';

async function ruleIds(text: string, lang: Parameters<typeof detectPlaintext>[1] = 'yaml'): Promise<string[]> {
  return (await detectPlaintext(text, lang)).map((f) => f.ruleId);
}

/** The context a kind needs to count (W&B keys only next to a wandb name). */
const line = (kind: string, token: string) => (kind.startsWith('wandb') ? `WANDB_API_KEY: ${token}` : `TOKEN_VALUE: ${token}`);

for (const kind of Object.keys(FAKES)) {
  test(`true positives: ${kind} (5 seeds, YAML, Python, shell, .env) → ${RULE_OF[kind]}, the whole token`, async () => {
    for (let seed = 1; seed <= 5; seed++) {
      const t = fake(kind, seed);
      const texts: Array<[string, Parameters<typeof detectPlaintext>[1]]> = [
        [`env:\n  ${line(kind, t)}\n`, 'yaml'],
        [kind.startsWith('wandb') ? `wandb.login(key="${t}")\n` : `client = Client(api_key="${t}")\n`, 'python'],
        [kind.startsWith('wandb') ? `wandb login ${t}\n` : `export TOKEN_VALUE='${t}'\n`, 'shellscript'],
        [kind.startsWith('wandb') ? `WANDB_API_KEY=${t}\n` : `TOKEN_VALUE=${t}\n`, 'dotenv'],
      ];
      for (const [text, lang] of texts) {
        const f = await detectPlaintext(text, lang);
        assert.equal(f.length, 1, `${kind} seed ${seed} in ${lang}: ${f.map((x) => x.ruleId).join(', ')}`);
        assert.equal(f[0].ruleId, RULE_OF[kind], `${kind} in ${lang}`);
        assert.equal(text.slice(f[0].start, f[0].end), t, `${kind} in ${lang}: the whole token`);
      }
    }
  });
}

const NEGATIVES: Record<string, string[]> = {
  huggingface: ['hf_' + 'x'.repeat(34), 'hf_xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx', 'hf_abcdefghijklmnopqrstuvwxyzabcdefgh', 'hf_YOUR_TOKEN_HERE', 'hf_hub_download_and_cache', 'hf_' + 'a'.repeat(20), 'my_hf_token_name', 'hf_' + 'abcdefghijklmnopqrstuvwxyzabcdefgh'.toUpperCase()],
  'huggingface-org': ['api_org_' + 'x'.repeat(34), 'api_org_name'],
  wandb: [`commit: ${'3f2a9c0b7d1e4f5a6b8c9d0e1f2a3b4c5d6e7f80'}`, `sha: 3f2a9c0b7d1e4f5a6b8c9d0e1f2a3b4c5d6e7f80`, 'WANDB_API_KEY: 0123456789abcdef0123456789abcdef01234567', 'WANDB_API_KEY: ' + 'a'.repeat(40), 'WANDB_API_KEY: ${WANDB_API_KEY}', 'WANDB_API_KEY: secret:wandb_key'],
  openai: ['sk-' + 'x'.repeat(48), 'sk-proj-xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx', 'sk-your-key-here', 'task-' + 'Ab1'.repeat(16), 'OPENAI_API_KEY: sk-...', 'risk-assessment-model-version-two-final-draft-abcdef'],
  anthropic: ['sk-ant-api03-xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx', 'sk-ant-YOUR-KEY', 'ANTHROPIC_API_KEY: <your key>'],
  aws: ['AKIAIOSFODNN7EXAMPLE', 'AKIA' + 'X'.repeat(16), 'AKIAABCDEFGHIJKLMNOP', 'XAKIA1234567890ABCDEFG', 'akia2e0a8f3b244c9986'],
  github: ['ghp_' + 'x'.repeat(36), 'ghp_' + 'a'.repeat(36), 'ghp_your_token', 'ghp_' + 'Ab1'.repeat(11)],
  'github-pat': ['github_pat_' + 'x'.repeat(82), 'github_pat_YOUR_TOKEN'],
  databricks: ['dapi' + '0'.repeat(32), 'dapi0123456789abcdef0123456789abcdef', 'dapi' + 'x'.repeat(32), 'databricks_api_host'],
  zenml: ['ZENKEY_' + 'A'.repeat(80), 'ZENKEY_' + Buffer.from('not json at all, just some text here to make it long').toString('base64'), 'ZENKEY_<your key>', 'ZENML_STORE_API_KEY: ${ZENML_STORE_API_KEY}'],
};

for (const rule of RULES) {
  test(`false positives: ${rule.id} (placeholders, documented examples, sequences, look-alikes) → nothing`, async () => {
    const samples = NEGATIVES[rule.id] ?? NEGATIVES[rule.id.replace(/-.*/, '')] ?? [];
    assert.ok(samples.length >= 2, `negatives for ${rule.id}`);
    for (const s of samples) {
      for (const lang of ['yaml', 'python', 'shellscript'] as const) assert.deepEqual(await ruleIds(`x: ${s}\n`, lang), [], `${rule.id}: ${s} (${lang})`);
    }
  });
}

test('W&B: a 40-hex value counts only next to a wandb name (its line or the line before)', async () => {
  const key = fake('wandb', 3);
  assert.deepEqual(await ruleIds(`git_sha: ${key}\n`), []);
  assert.deepEqual(await ruleIds(`image: repo@${key}\n`), []);
  assert.deepEqual(await ruleIds(`wandb:\n  key: ${key}\n`), ['wandb']);
  assert.deepEqual(await ruleIds(`wandb.login(\n    key="${key}")\n`, 'python'), ['wandb']);
  assert.deepEqual(await ruleIds(`wandb:\n  a: 1\n  b: 2\n  key: ${key}\n`), []);
});

test('one finding per token: secretlint and our rule on the same token → ours (the more specific label)', async () => {
  const t = fake('huggingface', 2);
  const f = await detectPlaintext(`HF_TOKEN: ${t}\n`, 'yaml');
  assert.equal(f.length, 1);
  assert.equal(f[0].ruleId, 'huggingface');
  assert.equal(f[0].label, 'Hugging Face token');
});

test('a line ending in # ml-secrets-ignore yields nothing; the next line still does', async () => {
  const t = fake('github', 4);
  const f = await detectPlaintext(`A: ${t} # ml-secrets-ignore\nB: ${t}\n`, 'yaml');
  assert.equal(f.length, 1);
  assert.equal(f[0].start, `A: ${t} # ml-secrets-ignore\nB: `.length);
});

test('secretlint-only kinds keep its rule id and get a label: a Slack token, a private key', async () => {
  const f = await detectPlaintext(`SLACK: ${fake('slack', 1)}\n`, 'yaml');
  assert.deepEqual(f.map((x) => [x.ruleId, x.label]), [['@secretlint/secretlint-rule-slack', 'Slack token']]);
});

test('maskedPreview shows only the rule prefix and the length; labels for every rule', () => {
  assert.equal(maskedPreview('huggingface', 37), 'hf_••• (37 characters)');
  assert.equal(maskedPreview('wandb', 40), '••• (40 characters)');
  assert.equal(maskedPreview('zenml-api-key', 160), 'ZENKEY_••• (160 characters)');
  assert.equal(maskedPreview('nope', 9), '••• (9 characters)');
  for (const r of RULES) assert.equal(labelOf(r.id), r.label);
  assert.equal(RULE_LABELS['@secretlint/secretlint-rule-slack'], 'Slack token');
  assert.equal(labelOf('nope'), 'token');
});

test('placeholders: ${VAR}, $VAR, {{ }}, <…>, secret:, ***, one repeated character, sequences', () => {
  for (const p of ['${HF_TOKEN}', '$HF_TOKEN', '{{ secrets.HF }}', '<your_token>', 'secret:hf', 'hf_***', 'hf_aaaaaaaaaaaaaaaaaaaaaa', 'hf_abcdefghijklmnopqrstuvwxyz', 'hf_0123456789012345678']) {
    assert.ok(isPlaceholder(p, 'hf_'), p);
  }
  assert.ok(!isPlaceholder(fake('huggingface', 1), 'hf_'));
});

test('plaintextLanguageOf: .env files, Python, shell, Makefiles, YAML, Markdown; undefined otherwise', () => {
  const cases: Array<[string, string | undefined]> = [
    ['.env', 'dotenv'], ['a/.env.local', 'dotenv'], ['prod.env', 'dotenv'], ['x.py', 'python'], ['run.sh', 'shellscript'], ['b.bash', 'shellscript'],
    ['Makefile', 'makefile'], ['x/GNUmakefile', 'makefile'], ['rules.mk', 'makefile'], ['job.yml', 'yaml'], ['c.yaml', 'yaml'], ['README.md', 'markdown'],
    ['x.ts', undefined], ['nb.ipynb', undefined], ['environment.txt', undefined],
  ];
  for (const [p, want] of cases) assert.equal(plaintextLanguageOf(p), want, p);
  assert.equal(plaintextLanguageOf('untitled', 'python'), 'python');
});

test('limits: a text over maxLength gives nothing; never throws on odd input', async () => {
  const t = `HF_TOKEN: ${fake('huggingface', 5)}\n`;
  assert.equal((await detectPlaintext(t, 'yaml', { maxLength: 10 })).length, 0);
  assert.equal((await detectPlaintext(t, 'yaml', { maxLength: t.length })).length, 1);
  assert.deepEqual(await detectPlaintext(undefined as unknown as string, 'yaml'), []);
  assert.deepEqual(await detectPlaintext('', 'python'), []);
  assert.deepEqual(await detectPlaintext('\u0000\uffff\ud800', 'markdown'), []);
});
