// Our own token rules (issue 16), for what secretlint's recommended preset lacks or misses: its AWS
// rule reports access key ids only with `enableIDScanRule` (off by default), its OpenAI rule needs
// the `T3BlbkFJ` marker, its Anthropic rule the `AA` ending, its Hugging Face rule letters only; it
// has nothing for W&B or ZenML. Each rule says what the token is, the environment variable a job
// reads it from and the secret name to suggest. Sources of the formats:
//   Hugging Face  `hf_` + 34 letters (older tokens: mixed alphanumerics), org tokens `api_org_` — gitleaks' huggingface rules
//   W&B           40 hex, only where a wandb name gives it its value (`wandb login KEY`, `WANDB_API_KEY=`, …);
//                 W&B Server keys `local-` + 40 alphanumerics — wandb tests
//                 (tests/…/test_local_key_on_cloud: `local-{40 alnum}`; sdk/lib/wbauth/validation.py: `prefix-` + 40+)
//   OpenAI        `sk-proj-`, `sk-svcacct-`, `sk-admin-` + 40–200, legacy `sk-` + 48 — gitleaks' openai rule, OpenAI key pages
//   Anthropic     `sk-ant-api03-…`, `sk-ant-admin01-…` — secretlint's anthropic rule, Anthropic's admin API docs
//   AWS           `AKIA` / `ASIA` + 16 upper/digits — AWS IAM "unique identifier prefixes"
//   GitHub        `ghp_`/`gho_`/`ghu_`/`ghs_`/`ghr_` + 36, `github_pat_` + 82 — GitHub secret-scanning patterns
//   Databricks    `dapi` + 32 hex (+ `-N`) — Databricks PAT docs
//   ZenML         `ZENKEY_` + base64 of `{"id": UUID, "key": …}` — zenml-io/zenml src/zenml/models/v2/core/api_key.py
//                 (APIKey.encode: ZENML_API_KEY_PREFIX + b64_encode(model_dump_json()); constants.py ZENML_API_KEY_PREFIX = "ZENKEY_")

/** One kind of token. */
export interface PlaintextRule {
  id: string;
  label: string;
  /** The environment variable a job normally reads it from. */
  envVar: string;
  /** Its fixed public prefix (shown in masked previews; never any other character). */
  prefix: string;
  /** Literal strings one of which any match contains (a cheap prefilter before the regex). */
  triggers: readonly string[];
  /** Global regex; the whole match is the token. */
  pattern: RegExp;
  /** The token counts only where this says the text names it so (W&B: a `wandb` name gives it its value). */
  near?: (text: string, start: number) => boolean;
  /** A last check of the token (beyond the placeholder filter). */
  valid?: (token: string) => boolean;
}

const B = '(?<![A-Za-z0-9_])';
const E = '(?![A-Za-z0-9_])';
const re = (body: string, flags = 'g') => new RegExp(`${B}(?:${body})${E}`, flags);

const mixedCase = (s: string) => /[a-z]/.test(s) && /[A-Z]/.test(s);
const lettersAndDigits = (s: string) => /[A-Za-z]/.test(s) && /[0-9]/.test(s);

/** ZenML's API key: `ZENKEY_` + base64 of a JSON object with an `id` and a `key`. */
function zenmlKey(token: string): boolean {
  try {
    const o = JSON.parse(Buffer.from(token.slice('ZENKEY_'.length), 'base64').toString('utf8')) as Record<string, unknown>;
    return !!o && typeof o === 'object' && typeof o.id === 'string' && typeof o.key === 'string' && o.key.length >= 8;
  } catch {
    return false;
  }
}

const WANDB_LOGIN = /wandb\s+login\b[^\n]*$|wandb\.login\s*\([^)]*$/i;
/** `WANDB_API_KEY: `, `WANDB_API_KEY=`, `wandb_key = "`, `os.environ["WANDB_API_KEY"] = "`, `wandb_api_key: str = "`, `W := `. */
const WANDB_NAME = /wandb[\w-]*(?:key|token|secret|auth)[\w-]*["'\]]*\s*(?::\s*[\w[\]., |]+?)?\s*[?:+!]?[:=]\s*["']?$/i;
/** A key-ish name given the value: `key: `, `api_key=`, `token = "`, `value: `, `default="`. */
const KEYISH = /(?:key|token|default|value|secret)["'\]]*\s*[:=]\s*["']?$/i;

/**
 * A W&B key is only 40 hex digits (a git SHA looks the same): it counts when a `wandb` name gives
 * it its value — `wandb login KEY`, `wandb.login(key=…)`, a variable / key / option named after W&B,
 * or a key-ish name (`key:`, `api_key=`, `value:`) on a line that mentions wandb or right below one.
 */
function wandbNamed(text: string, start: number): boolean {
  const lineStart = text.lastIndexOf('\n', start - 1) + 1;
  const prefix = text.slice(lineStart, start);
  if (WANDB_LOGIN.test(prefix) || WANDB_NAME.test(prefix)) return true;
  if (!KEYISH.test(prefix)) return false;
  if (/wandb/i.test(prefix)) return true;
  const prevStart = lineStart > 0 ? text.lastIndexOf('\n', lineStart - 2) + 1 : lineStart;
  return lineStart > 0 && /wandb/i.test(text.slice(prevStart, lineStart));
}

export const RULES: readonly PlaintextRule[] = [
  { id: 'huggingface', label: 'Hugging Face token', envVar: 'HF_TOKEN', prefix: 'hf_', triggers: ['hf_'], pattern: re('hf_[A-Za-z0-9]{30,40}'), valid: (t) => mixedCase(t.slice(3)) },
  { id: 'huggingface-org', label: 'Hugging Face organization token', envVar: 'HF_TOKEN', prefix: 'api_org_', triggers: ['api_org_'], pattern: re('api_org_[A-Za-z0-9]{30,40}'), valid: (t) => mixedCase(t.slice(8)) },
  {
    id: 'wandb',
    label: 'W&B API key',
    envVar: 'WANDB_API_KEY',
    prefix: '',
    triggers: ['wandb', 'WANDB', 'Wandb', 'WandB'],
    pattern: re('[0-9a-f]{40}|local-[A-Za-z0-9]{40}'),
    near: wandbNamed,
    valid: (t) => (t.startsWith('local-') ? lettersAndDigits(t.slice(6)) : lettersAndDigits(t)),
  },
  { id: 'anthropic', label: 'Anthropic API key', envVar: 'ANTHROPIC_API_KEY', prefix: 'sk-ant-', triggers: ['sk-ant-'], pattern: re('sk-ant-(?:api|admin|oat|sid)\\d\\d-[A-Za-z0-9_-]{32,160}') },
  {
    id: 'openai',
    label: 'OpenAI API key',
    envVar: 'OPENAI_API_KEY',
    prefix: 'sk-',
    triggers: ['sk-'],
    pattern: new RegExp(`(?<![A-Za-z0-9_-])(?:sk-(?:proj|svcacct|admin|None)-[A-Za-z0-9_-]{40,200}|sk-[A-Za-z0-9]{48})(?![A-Za-z0-9_-])`, 'g'),
    valid: (t) => lettersAndDigits(t.slice(3)) && mixedCase(t.slice(3)),
  },
  { id: 'aws', label: 'AWS access key id', envVar: 'AWS_ACCESS_KEY_ID', prefix: '', triggers: ['AKIA', 'ASIA'], pattern: re('(?:AKIA|ASIA)[A-Z0-9]{16}'), valid: (t) => /[0-9]/.test(t.slice(4)) || /[A-Z]{16}/.test(t.slice(4)) },
  { id: 'github', label: 'GitHub token', envVar: 'GITHUB_TOKEN', prefix: 'gh', triggers: ['ghp_', 'gho_', 'ghu_', 'ghs_', 'ghr_'], pattern: re('gh[pousr]_[A-Za-z0-9]{36}') },
  { id: 'github-pat', label: 'GitHub fine-grained token', envVar: 'GITHUB_TOKEN', prefix: 'github_pat_', triggers: ['github_pat_'], pattern: re('github_pat_[A-Za-z0-9_]{82}') },
  { id: 'databricks', label: 'Databricks token', envVar: 'DATABRICKS_TOKEN', prefix: 'dapi', triggers: ['dapi'], pattern: re('dapi[a-fA-F0-9]{32}(?:-[0-9])?') },
  { id: 'zenml-api-key', label: 'ZenML API key', envVar: 'ZENML_STORE_API_KEY', prefix: 'ZENKEY_', triggers: ['ZENKEY_'], pattern: /(?<![A-Za-z0-9_])ZENKEY_[A-Za-z0-9+/]{40,}={0,2}(?![A-Za-z0-9+/=])/g, valid: zenmlKey },
];

/** What secretlint's rules find, said our way (its rule id → label, env var, public prefix). */
export const SECRETLINT: Record<string, { label: string; envVar: string; prefix: string }> = {
  '@secretlint/secretlint-rule-huggingface': { label: 'Hugging Face token', envVar: 'HF_TOKEN', prefix: 'hf_' },
  '@secretlint/secretlint-rule-openai': { label: 'OpenAI API key', envVar: 'OPENAI_API_KEY', prefix: 'sk-' },
  '@secretlint/secretlint-rule-anthropic': { label: 'Anthropic API key', envVar: 'ANTHROPIC_API_KEY', prefix: 'sk-ant-' },
  '@secretlint/secretlint-rule-github': { label: 'GitHub token', envVar: 'GITHUB_TOKEN', prefix: 'gh' },
  '@secretlint/secretlint-rule-databricks': { label: 'Databricks token', envVar: 'DATABRICKS_TOKEN', prefix: 'dapi' },
  '@secretlint/secretlint-rule-aws': { label: 'AWS secret access key', envVar: 'AWS_SECRET_ACCESS_KEY', prefix: '' },
  '@secretlint/secretlint-rule-gcp': { label: 'Google Cloud service account key', envVar: 'GOOGLE_APPLICATION_CREDENTIALS', prefix: '' },
  '@secretlint/secretlint-rule-npm': { label: 'npm token', envVar: 'NPM_TOKEN', prefix: '' },
  '@secretlint/secretlint-rule-slack': { label: 'Slack token', envVar: 'SLACK_TOKEN', prefix: '' },
  '@secretlint/secretlint-rule-basicauth': { label: 'password in a URL', envVar: 'PASSWORD', prefix: '' },
  '@secretlint/secretlint-rule-groq': { label: 'Groq API key', envVar: 'GROQ_API_KEY', prefix: 'gsk_' },
  '@secretlint/secretlint-rule-linear': { label: 'Linear API key', envVar: 'LINEAR_API_KEY', prefix: '' },
  '@secretlint/secretlint-rule-notion': { label: 'Notion token', envVar: 'NOTION_TOKEN', prefix: '' },
  '@secretlint/secretlint-rule-privatekey': { label: 'private key', envVar: 'PRIVATE_KEY', prefix: '' },
  '@secretlint/secretlint-rule-sendgrid': { label: 'SendGrid API key', envVar: 'SENDGRID_API_KEY', prefix: 'SG.' },
  '@secretlint/secretlint-rule-shopify': { label: 'Shopify token', envVar: 'SHOPIFY_TOKEN', prefix: '' },
  '@secretlint/secretlint-rule-stripe': { label: 'Stripe key', envVar: 'STRIPE_API_KEY', prefix: '' },
  '@secretlint/secretlint-rule-gitlab': { label: 'GitLab token', envVar: 'GITLAB_TOKEN', prefix: 'glpat-' },
  '@secretlint/secretlint-rule-grafana': { label: 'Grafana token', envVar: 'GRAFANA_TOKEN', prefix: '' },
  '@secretlint/secretlint-rule-1password': { label: '1Password token', envVar: 'OP_SERVICE_ACCOUNT_TOKEN', prefix: 'ops_' },
  '@secretlint/secretlint-rule-database-connection-string': { label: 'database password in a connection string', envVar: 'DATABASE_URL', prefix: '' },
  '@secretlint/secretlint-rule-hashicorp-vault': { label: 'HashiCorp Vault token', envVar: 'VAULT_TOKEN', prefix: '' },
  '@secretlint/secretlint-rule-vercel': { label: 'Vercel token', envVar: 'VERCEL_TOKEN', prefix: '' },
  '@secretlint/secretlint-rule-docker': { label: 'Docker registry password', envVar: 'DOCKER_PASSWORD', prefix: '' },
  '@secretlint/secretlint-rule-figma': { label: 'Figma token', envVar: 'FIGMA_TOKEN', prefix: 'figd_' },
  '@secretlint/secretlint-rule-cloudflare': { label: 'Cloudflare token', envVar: 'CLOUDFLARE_API_TOKEN', prefix: '' },
  '@secretlint/secretlint-rule-tailscale': { label: 'Tailscale key', envVar: 'TAILSCALE_AUTHKEY', prefix: 'tskey-' },
};

/** Words that say a value is a placeholder or a documented example, not a token. */
const PLACEHOLDER = /example|placeholder|your[_-]?|redacted|dummy|changeme|replace|insert|xxxx|\*\*\*|\.\.\.|•|<|>|\$\{|\$\(|\{\{|\}\}|<<|secret:/i;

/** Most neighbours one apart (`abcdef…`, `0123…`, `zyx…`), or one character repeated. */
function sequential(body: string): boolean {
  if (body.length < 8) return false;
  let steps = 0;
  let same = 0;
  for (let i = 1; i < body.length; i++) {
    const d = body.charCodeAt(i) - body.charCodeAt(i - 1);
    if (d === 1 || d === -1) steps++;
    if (d === 0) same++;
  }
  return steps >= (body.length - 1) * 0.6 || same >= (body.length - 1) * 0.6;
}

/** A placeholder, a documented example or a made-up sequence rather than a token (its body after `prefix`). */
export function isPlaceholder(token: string, prefix = ''): boolean {
  const body = token.startsWith(prefix) ? token.slice(prefix.length) : token;
  if (PLACEHOLDER.test(token)) return true;
  if (/^\$[A-Za-z_]/.test(body)) return true;
  if (new Set(body).size <= 3 && body.length >= 12) return true;
  return sequential(body.replace(/[^A-Za-z0-9]/g, ''));
}
