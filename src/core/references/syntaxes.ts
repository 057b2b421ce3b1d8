// The reference syntaxes ML Secrets knows, as descriptors (src/core/references/syntax.ts): each
// platform's from its folder, and the shared template syntax. Generic code asks them instead of
// naming a syntax or a platform. Adding a syntax: its descriptor, and one entry here.

import { APOLO_SYNTAX } from '../platforms/apolo/syntax';
import { FLYTE_SYNTAX } from '../platforms/flyte/syntax';
import { ZENML_SYNTAX } from '../platforms/zenml/syntax';
import type { ReferenceSyntax, SecretReference } from './reference';
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

/** The scanner a syntax brings for its file language (Flyte's, for Python); none for YAML (scanner.ts). */
export function languageScanner(language: string): SyntaxLanguage['scan'] | undefined {
  return SYNTAXES.find((s) => s.language?.id === language)?.language?.scan;
}
