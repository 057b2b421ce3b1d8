// What `ml-secrets check` prints: text (`path:line:col: severity code message`, clickable in
// terminals and editors), JSON (findings + summary) or SARIF 2.1.0 (for code-scanning uploads).
// Messages are the checker's: names of secrets, never a value or a token; `--plaintext` adds
// `plaintext-secret` warnings whose messages show only a token's public prefix and length.

import { SEVERITY, DiagnosticCode } from '../core/check/checker';
import type { CheckResult, FileFinding } from './check';

export type Format = 'text' | 'json' | 'sarif';

/** Every code the command line reports: the checker's, and `plaintext-secret` (`--plaintext`). */
export type CliCode = DiagnosticCode | 'plaintext-secret';

/** Codes that make the check fail (exit 1): a plaintext token fails it like a missing secret. */
export const FAILING: readonly CliCode[] = ['secret-missing', 'key-missing', 'reference-malformed', 'plaintext-secret'];

const RULES: Record<CliCode, string> = {
  'secret-missing': 'The referenced secret does not exist in the scope the job reads it from.',
  'key-missing': 'The referenced secret exists but has no such key.',
  'reference-malformed': 'The secret reference is not valid for its platform.',
  'secret-unverified': 'The reference could not be checked (no connection, or its list could not be fetched).',
  'secret-inaccessible': 'The secret exists but your user cannot read it.',
  'plaintext-secret': 'A token (Hugging Face, W&B, OpenAI, Anthropic, AWS, GitHub, Databricks, ZenML, …) is written in plain text: move it into a platform secret.',
};

const LEVELS: Record<CliCode, 'error' | 'warning' | 'information'> = { ...SEVERITY, 'plaintext-secret': 'warning' };

/** The repository (package.json): the README says how to use the command line. */
const HELP = 'https://github.com/ml-secrets/ml-secrets';

export interface Summary {
  files: number;
  references: number;
  findings: Partial<Record<CliCode, number>>;
  listsFetched: number;
  listsFailed: Array<{ connection: string; scope: string; reason: string }>;
  ms: number;
}

export function summaryOf(r: CheckResult, ms: number): Summary {
  const findings: Partial<Record<CliCode, number>> = {};
  for (const f of r.findings) if (f.finding.code) findings[f.finding.code] = (findings[f.finding.code] ?? 0) + 1;
  return { files: r.files, references: r.references, findings, listsFetched: r.fetched, listsFailed: r.failures, ms };
}

function text(r: CheckResult, s: Summary): string {
  const lines = r.findings.map((f) => `${f.path}:${f.line}:${f.column}: ${f.finding.severity ?? 'information'} ${f.finding.code ?? ''} ${f.finding.message}`);
  const byCode = Object.entries(s.findings).map(([c, n]) => `${n} ${c}`).join(', ') || 'no findings';
  lines.push(`${s.files} file(s), ${s.references} reference(s): ${byCode}; ${s.listsFetched} list(s) fetched in ${(s.ms / 1000).toFixed(1)} s.`);
  for (const f of s.listsFailed) lines.push(`Could not fetch the list of ${f.scope} (connection '${f.connection}'): ${f.reason}`);
  return lines.join('\n');
}

function jsonOf(f: FileFinding): Record<string, unknown> {
  const { finding } = f;
  const at = { path: f.path, line: f.line, column: f.column, endLine: f.endLine, endColumn: f.endColumn, severity: finding.severity, code: finding.code, message: finding.message };
  if (!('ref' in finding)) return { ...at, rule: finding.ruleId, envVar: finding.envVar, suggestedName: finding.suggestedName };
  const named = finding.ref.name ? { name: finding.ref.name, ...(finding.ref.key !== undefined ? { key: finding.ref.key } : {}) } : {};
  return { ...at, reference: finding.ref.text, ...named };
}

const LEVEL = { error: 'error', warning: 'warning', information: 'note' } as const;

function sarif(r: CheckResult, version: string, plaintext: boolean): unknown {
  const codes = (Object.keys(RULES) as CliCode[]).filter((c) => plaintext || c !== 'plaintext-secret');
  return {
    version: '2.1.0',
    $schema: 'https://json.schemastore.org/sarif-2.1.0.json',
    runs: [
      {
        tool: {
          driver: {
            name: 'ML Secrets',
            version,
            informationUri: HELP,
            rules: codes.map((id) => ({ id, shortDescription: { text: RULES[id] }, helpUri: HELP, defaultConfiguration: { level: LEVEL[LEVELS[id]] } })),
          },
        },
        results: r.findings.map((f) => ({
          ruleId: f.finding.code,
          ruleIndex: codes.indexOf(f.finding.code as CliCode),
          level: LEVEL[f.finding.severity ?? 'information'],
          message: { text: f.finding.message },
          locations: [
            {
              physicalLocation: {
                artifactLocation: { uri: encodeURI(f.path) },
                region: { startLine: f.line, startColumn: f.column, endLine: f.endLine, endColumn: f.endColumn },
              },
            },
          ],
        })),
      },
    ],
  };
}

/** The output; `plaintext` (`--plaintext`) adds the `plaintext-secret` rule to SARIF's rules. */
export function render(format: Format, r: CheckResult, s: Summary, version: string, plaintext = false): string {
  if (format === 'json') return JSON.stringify({ findings: r.findings.map(jsonOf), summary: s }, null, 2);
  if (format === 'sarif') return JSON.stringify(sarif(r, version, plaintext), null, 2);
  return text(r, s);
}
