// Plaintext tokens in a text (issue 16): secretlint's recommended preset plus our own rules
// (./rules.ts), merged to one finding per token (ours preferred: they name the variable a job reads),
// without placeholders, documented examples or lines ending in `# ml-secrets-ignore`, each with the
// literal that holds it and the name the text gives it (./context.ts). Bundled with secretlint into
// dist/plaintext.js (esbuild.mjs SPLIT), loaded on first use. Never throws; never holds a token's
// text beyond the offsets (messages use maskedPreview).

import { IGNORE_MARKER } from '../references/reference';
import { tokenContext } from './context';
import { lineAround } from './lexical';
import { isPlaceholder, RULES, SECRETLINT } from './rules';
import type { PlaintextFinding, PlaintextLanguage } from './types';

/** Texts longer than this are not scanned (like the editor's default mlSecrets.maxFileSizeKB). */
export const MAX_PLAINTEXT_LENGTH = 2 * 1024 * 1024;

interface Hit {
  start: number;
  end: number;
  ruleId: string;
  label: string;
  envVar: string;
  ours: boolean;
}

type LintSource = (typeof import('@secretlint/core'))['lintSource'];
type Lint = { lintSource: LintSource; creator: unknown };

let loading: Promise<Lint | undefined> | undefined;

/** secretlint and its preset, loaded once (undefined when they fail to load: our rules still run). */
function secretlint(): Promise<Lint | undefined> {
  loading ??= Promise.all([import('@secretlint/core'), import('@secretlint/secretlint-rule-preset-recommend')])
    .then(([core, preset]) => ({ lintSource: core.lintSource, creator: preset.creator as unknown }))
    .catch(() => undefined);
  return loading;
}

const EXT: Record<PlaintextLanguage, string> = { yaml: '.yml', python: '.py', shellscript: '.sh', makefile: '.mk', dotenv: '.env', markdown: '.md', plaintext: '.txt' };

/**
 * Only what secretlint reports by rule id, message id and range: never a message's text or data
 * (they can hold the token).
 */
async function presetHits(text: string, language: PlaintextLanguage): Promise<Hit[]> {
  const lint = await secretlint();
  if (!lint) return [];
  try {
    const r = await lint.lintSource({
      source: { filePath: `file${EXT[language]}`, content: text, ext: EXT[language], contentType: 'text' },
      options: { config: { rules: [{ id: '@secretlint/secretlint-rule-preset-recommend', rule: lint.creator as never }] }, maskSecrets: true },
    });
    const out: Hit[] = [];
    for (const m of r.messages) {
      const [start, end] = m.range;
      if (!(start >= 0 && end > start && end <= text.length)) continue;
      const known = SECRETLINT[m.ruleId];
      const label = known?.label ?? `secret (${m.ruleId.replace(/^@secretlint\/secretlint-rule-/, '')})`;
      out.push({ start, end, ruleId: m.ruleId, label, envVar: known?.envVar ?? 'SECRET', ours: false });
    }
    return out;
  } catch {
    return [];
  }
}

/** Our rules' hits (a rule runs only when one of its trigger strings is in the text). */
function ruleHits(text: string): Hit[] {
  const out: Hit[] = [];
  const wandb = /wandb/i.test(text);
  for (const rule of RULES) {
    if (rule.near ? !wandb : !rule.triggers.some((t) => text.includes(t))) continue;
    for (const m of text.matchAll(rule.pattern)) {
      const start = m.index ?? 0;
      const token = m[0];
      if (rule.valid && !rule.valid(token)) continue;
      if (rule.near && !rule.near(text, start)) continue;
      out.push({ start, end: start + token.length, ruleId: rule.id, label: rule.label, envVar: rule.envVar, ours: true });
    }
  }
  return out;
}

/** One hit per token: overlapping hits keep ours over secretlint's, then the longer. */
function merge(hits: Hit[]): Hit[] {
  hits.sort((a, b) => a.start - b.start || Number(b.ours) - Number(a.ours) || b.end - a.end);
  const out: Hit[] = [];
  for (const h of hits) {
    const last = out[out.length - 1];
    if (!last || h.start >= last.end) out.push(h);
    else if ((h.ours && !last.ours) || (h.ours === last.ours && h.end - h.start > last.end - last.start)) out[out.length - 1] = h;
  }
  return out;
}

function ignoredLine(text: string, offset: number): boolean {
  const l = lineAround(text, offset);
  return text.slice(l.start, l.end).trimEnd().endsWith(IGNORE_MARKER);
}

function prefixOf(ruleId: string): string {
  return RULES.find((r) => r.id === ruleId)?.prefix ?? SECRETLINT[ruleId]?.prefix ?? '';
}

/** Every rule's label by id: ours and secretlint's. */
export const RULE_LABELS: Readonly<Record<string, string>> = Object.fromEntries([...RULES.map((r) => [r.id, r.label]), ...Object.entries(SECRETLINT).map(([id, s]) => [id, s.label])]);

/** The label of a rule id (`token` for one we don't know). */
export function labelOf(ruleId: string): string {
  return RULE_LABELS[ruleId] ?? 'token';
}

/** A token shown without itself: the rule's fixed public prefix and its length, e.g. `hf_••• (37 characters)`. */
export function maskedPreview(ruleId: string, tokenLength: number): string {
  return `${prefixOf(ruleId)}••• (${tokenLength} characters)`;
}

/** The plaintext tokens in `text`, sorted by offset. Never throws; a text over `maxLength` gives none. */
export async function detectPlaintext(text: string, language: PlaintextLanguage, opts: { maxLength?: number } = {}): Promise<PlaintextFinding[]> {
  try {
    if (typeof text !== 'string' || text.length > (opts.maxLength ?? MAX_PLAINTEXT_LENGTH)) return [];
    const hits = merge([...(await presetHits(text, language)), ...ruleHits(text)]);
    const out: PlaintextFinding[] = [];
    for (const h of hits) {
      if (isPlaceholder(text.slice(h.start, h.end), prefixOf(h.ruleId)) || ignoredLine(text, h.start)) continue;
      out.push({ start: h.start, end: h.end, ruleId: h.ruleId, label: h.label, ...tokenContext(text, language, h.start, h.end, h.envVar) });
    }
    return out;
  } catch {
    return [];
  }
}

/** The editor language ids detection reads, and how it reads each. */
export const PLAINTEXT_LANGUAGE_IDS: Readonly<Record<string, PlaintextLanguage>> = { yaml: 'yaml', python: 'python', shellscript: 'shellscript', makefile: 'makefile', dotenv: 'dotenv', markdown: 'markdown' };

/** The language detection reads a file as, by its path (or the editor's language id); undefined for files it doesn't read. */
export function plaintextLanguageOf(path: string, languageId?: string): PlaintextLanguage | undefined {
  const base = path.split(/[\\/]/).pop() ?? '';
  const lower = base.toLowerCase();
  if (lower === '.env' || lower.startsWith('.env.') || lower.endsWith('.env')) return 'dotenv';
  if (/\.(py|pyw)$/.test(lower)) return 'python';
  if (/\.(sh|bash|zsh)$/.test(lower)) return 'shellscript';
  if (/^(gnu)?makefile$/.test(lower) || lower.endsWith('.mk')) return 'makefile';
  if (/\.ya?ml$/.test(lower)) return 'yaml';
  if (/\.(md|markdown)$/.test(lower)) return 'markdown';
  return languageId ? PLAINTEXT_LANGUAGE_IDS[languageId] : undefined;
}
