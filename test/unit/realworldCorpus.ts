// The real-world corpus (test/fixtures/realworld: public files nobody here wrote, SOURCES.md says
// whence) run through the pipeline the editor uses for a job file (src/language/referenceChecker.ts):
// the file language's own scanner (languageScanner, src/core/references/syntaxes.ts) or the YAML
// scanner, then which connection the file is checked against and which of its references count there
// (chooseTarget / referencesForTarget, src/core/check/target.ts), compared with the hand labels
// (test/fixtures/realworld/labels.json). Used by test/unit/realworld.test.ts.

import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { chooseTarget, platformHints, referencesForTarget, type ConnectionSummary } from '../../src/core/check/target';
import { lineStarts, positionAt, type ScanResult, type SecretReference } from '../../src/core/references/reference';
import { scanYaml } from '../../src/core/references/scanner';
import { languageScanner } from '../../src/core/references/syntaxes';
import { findFixture } from '../fixtures/find';

export interface LabelledReference {
  line: number;
  name: string;
  key?: string;
  kind: string;
}

export interface FileLabel {
  /** apolo | zenml | mosaic | flyte | none (another tool's file). */
  platform: string;
  /** The language id VS Code gives the file: yaml, python, shellscript, makefile. */
  language: string;
  /** The connection label a user would choose for the file's folder (mlSecrets.connection). */
  binding?: string;
  references: LabelledReference[];
  /** Names set at run time (`secret:$[[ params.x ]]`): no diagnostic. */
  runtime?: { line: number; text: string }[];
  /** Real secret names in forms the contract does not list: neither a miss nor a false alarm. */
  optional?: { line: number; name: string; why: string }[];
  lookalikes: { line: number; text: string }[];
}

export interface Finding {
  file: string;
  line: number;
  text: string;
  why: string;
}

export interface FileResult {
  file: string;
  group: string;
  references: number;
  found: number;
  misses: Finding[];
  falseAlarms: Finding[];
  lookalikes: number;
  scanner: 'language' | 'yaml' | 'none';
}

/** One connection of every platform, named by its platform id (labels.json bindings use these). */
export const CONNECTIONS: ConnectionSummary[] = (['apolo', 'neuro', 'zenml', 'mosaic', 'flyte'] as const).map((p) => ({ label: p, platform: p, signedIn: true }));

/** The editor's default mlSecrets.maxFileSizeKB (2048), as the scan limit. */
const MAX_LENGTH = 2048 * 1024;

export function corpusRoot(): string {
  return findFixture('realworld');
}

export function loadLabels(): Record<string, FileLabel> {
  return (JSON.parse(readFileSync(join(corpusRoot(), 'labels.json'), 'utf8')) as { files: Record<string, FileLabel> }).files;
}

/** Every corpus file (not the labels or the sources table), as a path relative to the corpus root, sorted. */
export function corpusFiles(): string[] {
  const root = corpusRoot();
  const out: string[] = [];
  const walk = (dir: string): void => {
    for (const e of readdirSync(dir, { withFileTypes: true })) {
      const p = join(dir, e.name);
      if (e.isDirectory()) walk(p);
      else if (dir !== root) out.push(relative(root, p).replace(/\\/g, '/'));
    }
  };
  walk(root);
  return out.sort();
}

/** The scan the editor runs for a document of this language; undefined when no scanner exists for it (yet). */
function scan(language: string, text: string): { result?: ScanResult; scanner: FileResult['scanner'] } {
  const own = languageScanner(language);
  if (own) return { result: own(text, { maxLength: MAX_LENGTH }), scanner: 'language' };
  if (language === 'yaml') return { result: scanYaml(text, { maxLength: MAX_LENGTH }), scanner: 'yaml' };
  return { scanner: 'none' };
}

/** The references that would get a diagnostic: scanned, counted for the chosen connection, not set at run time. */
export function reportedReferences(file: string, label: FileLabel, text: string): { refs: SecretReference[]; scanner: FileResult['scanner'] } {
  const { result, scanner } = scan(label.language, text);
  if (!result || result.skipped || !result.references.length) return { refs: [], scanner };
  // The document's path as the editor sees it: the repository's own path under a workspace folder.
  const path = `/workspace/${file.split('/').slice(2).join('/')}`;
  const syntaxes = new Set(result.references.map((r) => r.syntax));
  const choice = chooseTarget(path, syntaxes, label.binding, CONNECTIONS, platformHints(result.references));
  return { refs: referencesForTarget(result.references, choice, CONNECTIONS).filter((r) => !r.dynamic), scanner };
}

export function groupOf(label: FileLabel): string {
  return label.platform === 'none' ? 'other-tools' : label.platform;
}

export function checkFile(file: string, label: FileLabel): FileResult {
  const text = readFileSync(join(corpusRoot(), file), 'utf8');
  const lines = text.split('\n');
  const starts = lineStarts(text);
  const { refs, scanner } = reportedReferences(file, label, text);
  const unmatched = [...label.references];
  const optional = new Set((label.optional ?? []).map((o) => o.line));
  const falseAlarms: Finding[] = [];
  let found = 0;
  for (const r of refs) {
    const line = positionAt(starts, r.start).line + 1;
    if (optional.has(line)) continue;
    const i = unmatched.findIndex((l) => l.line === line && l.name === r.name && (l.key === undefined || r.key === undefined || l.key === r.key));
    if (i >= 0) {
      unmatched.splice(i, 1);
      found++;
      continue;
    }
    const where = label.runtime?.some((x) => x.line === line) ? 'on a name set at run time' : label.lookalikes.some((x) => x.line === line) ? 'on a look-alike' : 'unlabelled';
    falseAlarms.push({ file, line, text: r.text, why: `${where}: reported '${r.name}' (${r.syntax})` });
  }
  const misses = unmatched.map((l) => ({ file, line: l.line, text: (lines[l.line - 1] ?? '').trim().slice(0, 140), why: `${l.kind} '${l.name}' not reported${scanner === 'none' ? ` (no ${label.language} scanner)` : ''}` }));
  return { file, group: groupOf(label), references: label.references.length, found, misses, falseAlarms, lookalikes: label.lookalikes.length, scanner };
}
