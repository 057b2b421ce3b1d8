// Finds secret references in YAML text, with exact offsets. Pure: text in, references out.
//
// What is recognised is each syntax's (src/core/references/syntaxes.ts): Apolo's `secret:` forms
// (src/core/platforms/apolo/syntax.ts), ZenML's `{{NAME.KEY}}` (src/core/platforms/zenml/syntax.ts)
// and the shared `<<NAME.KEY>>` templates (template.ts); docs/contract.md "References in job files".
// Comments are never scalars, so text in them is never a reference. A line ending in
// `# ml-secrets-ignore` yields nothing. Other tools' look-alikes are not references, and the
// references of another tool's file (a Kubernetes manifest) say so (lookalikes.ts).
//
// Two scans find the same references: the lexer's (yamlLexer.ts), cheap, used for every scan, and
// the parser's (yamlParser.ts), which also yields the item spans that incremental re-scans
// (incremental.ts) start from.

import { markOtherTool } from './lookalikes';
import type { ScanOptions, ScanResult } from './reference';
import { lexerScan, type TailScan } from './yamlLexer';
import { scanYamlDetailed } from './yamlParser';

/** The scan: yaml's lexer only (no parse tree). */
export function scanYaml(text: string, options: ScanOptions = {}): ScanResult {
  return scanYamlTail(text, options).result;
}

/**
 * scanYaml, also saying where a quoted scalar that never closes starts, when there is one: yaml's
 * lexer runs such a scalar to the end of the file, across document markers (for incremental.ts).
 */
export function scanYamlTail(text: string, options: ScanOptions = {}): TailScan {
  const tail = lexerScan(text, options) ?? { result: scanYamlDetailed(text, options, false).result, openFrom: 0, deepOrBroken: true };
  markOtherTool(text, tail.result.references);
  return tail;
}
