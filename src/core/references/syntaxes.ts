// The reference syntaxes ML Secrets knows, as descriptors (src/core/references/syntax.ts): each
// platform's from its folder, and the shared template syntax. Generic code asks them instead of
// naming a syntax or a platform. Adding a syntax: its descriptor, and one entry here.

import { APOLO_SYNTAX } from '../platforms/apolo/syntax';
import { FLYTE_SYNTAX } from '../platforms/flyte/syntax';
import { ZENML_SYNTAX } from '../platforms/zenml/syntax';
import { capReferences, type ReferenceSyntax, type ScanOptions, type ScanResult, type SecretReference } from './reference';
import type { SyntaxDescriptor, SyntaxLanguage, YamlRecogniser } from './syntax';
import { TEMPLATE_SYNTAX } from './template';

/**
 * In order of precedence: a file using several syntaxes is checked against the platforms of the
 * first listed that it uses (src/core/check/target.ts).
 */
export const SYNTAXES: readonly SyntaxDescriptor[] = [FLYTE_SYNTAX, APOLO_SYNTAX, ZENML_SYNTAX, TEMPLATE_SYNTAX];

const BY_ID = new Map<ReferenceSyntax, SyntaxDescriptor>(SYNTAXES.map((s) => [s.id, s]));

/** The descriptor of a reference's syntax (a reference built by hand may name none). */
export function syntaxOf(ref: Pick<SecretReference, 'syntax'>): SyntaxDescriptor | undefined {
  return BY_ID.get(ref.syntax);
}

/** The names a reference may denote, tried in order (`<<a.b>>` on a platform without keys: `a.b`, then `a`). */
export function namesOf(ref: SecretReference, keyed: boolean): string[] {
  return syntaxOf(ref)?.names?.(ref, keyed) ?? [ref.name];
}

/** What the YAML scanner asks of each syntax that appears in YAML. */
export const YAML_RECOGNISERS: readonly YamlRecogniser[] = SYNTAXES.flatMap((s) => (s.yaml ? [s.yaml] : []));

/** Every file language a syntax brings, with its scanner (one language may come from several syntaxes). */
const LANGUAGES: readonly SyntaxLanguage[] = SYNTAXES.flatMap((s) => [...(s.language ? [s.language] : []), ...(s.languages ?? [])]);

/**
 * The scanner of a file language the syntaxes bring (Python: Flyte's and ZenML's; shell scripts and
 * Makefiles: ZenML's); none for YAML (scanner.ts). Several syntaxes' scanners make one: every
 * reference of each, in order.
 */
export function languageScanner(language: string): SyntaxLanguage['scan'] | undefined {
  const scans = LANGUAGES.filter((l) => l.id === language).map((l) => l.scan);
  if (scans.length <= 1) return scans[0];
  return (text: string, options?: ScanOptions) => mergeScans(scans.map((scan) => scan(text, options)));
}

function mergeScans(results: ScanResult[]): ScanResult {
  const skipped = results.find((r) => r.skipped)?.skipped;
  if (skipped) return { references: [], skipped };
  const refs = results.flatMap((r) => r.references).sort((a, b) => a.start - b.start || a.end - b.end);
  const out = capReferences(refs);
  return results.some((r) => r.truncated) ? { ...out, truncated: true } : out;
}

/** Whether a syntax brings a scanner for this (VS Code) language id. */
export function isScannedLanguage(language: string): boolean {
  return LANGUAGES.some((l) => l.id === language);
}

/** The language a file's path says it is of, when a syntax brings a scanner for it (`.py`, `.sh`, `Makefile`); else none (YAML). */
export function languageOfPath(path: string): string | undefined {
  return LANGUAGES.find((l) => l.files?.test(path))?.id;
}
