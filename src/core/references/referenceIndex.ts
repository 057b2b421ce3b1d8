// Which workspace files may reference a secret, kept up to date file by file. The index is an
// inverted index of candidate names found by one pass over each file's text (files without any
// trigger are skipped by the prefilter); a lookup then confirms each candidate file with the exact
// scanner. YAML files go through scanYaml, files of a language a syntax brings (Python: Flyte's)
// through that syntax's scanner; the candidates include every name the exact scanner reports, so no
// reference is ever missed.

import type { ScanResult, SecretReference } from './reference';
import { scanYaml } from './scanner';
import { languageOfPath, languageScanner, namesOf, YAML_RECOGNISERS } from './syntaxes';
import { mayContainReferences } from './yamlScalars';

/** Which scanner a file's text goes through: YAML's, or a syntax's own language (`python`, `shellscript`, …; src/core/references/syntaxes.ts). */
export type IndexedLanguage = string;

/** A file whose path a syntax's language claims (`.py`, `.sh`, `Makefile`) is of that language; everything else indexed is YAML. */
export function languageOf(file: string): IndexedLanguage {
  return languageOfPath(file) ?? 'yaml';
}

/**
 * Candidate secret names in a text: a superset of what the exact scanner reports (scanYaml, or the
 * language's own scanner), by construction.
 *
 * YAML, fast path (text only, no lexing): each syntax adds the names its references could have
 * (src/core/references/syntax.ts YamlRecogniser.candidates), text in comments included. A name is in
 * the text verbatim unless an escape (`\`, `''`) or a syntax's decoding gets in between: such texts
 * also go through the exact scanner, whose names are added.
 */
export function candidateNames(text: string, language: IndexedLanguage = 'yaml'): Set<string> {
  const out = new Set<string>();
  const scan = languageScanner(language);
  if (scan) {
    for (const r of scan(text).references) for (const n of namesOf(r, false)) if (n) out.add(n);
    return out;
  }
  if (!mayContainReferences(text)) return out;
  let needExact = text.includes('\\') || text.includes("''");
  for (const r of YAML_RECOGNISERS) if (r.candidates?.(text, out)) needExact = true;
  if (needExact) for (const r of scanYaml(text).references) for (const n of namesOf(r, false)) if (n) out.add(n);
  return out;
}

export class ReferenceIndex {
  private readonly byFile = new Map<string, Set<string>>();
  private readonly byName = new Map<string, Set<string>>();

  /** Indexes a file's text (`language` defaults by the file's path: `.py` is Python, `.sh` a shell script). */
  set(file: string, text: string, language: IndexedLanguage = languageOf(file)): void {
    this.delete(file);
    const names = candidateNames(text, language);
    if (!names.size) return;
    this.byFile.set(file, names);
    for (const n of names) {
      let files = this.byName.get(n);
      if (!files) this.byName.set(n, (files = new Set()));
      files.add(file);
    }
  }

  delete(file: string): void {
    const names = this.byFile.get(file);
    if (!names) return;
    this.byFile.delete(file);
    for (const n of names) {
      const files = this.byName.get(n);
      files?.delete(file);
      if (files && !files.size) this.byName.delete(n);
    }
  }

  /** Files that may reference `name` (confirm with `referencesIn`). */
  candidates(name: string): string[] {
    return [...(this.byName.get(name) ?? [])];
  }

  get size(): number {
    return this.byFile.size;
  }
}

/** A file's references, by the scanner of its language. */
export function scanIndexed(text: string, maxLength?: number, language: IndexedLanguage = 'yaml'): ScanResult {
  return (languageScanner(language) ?? scanYaml)(text, { maxLength });
}

/** Whether a reference may denote `name` (`<<a.b>>` denotes `a.b` and `a`). */
export function refersToName(ref: SecretReference, name: string): boolean {
  return namesOf(ref, false).includes(name);
}

/** The exact references to `name` in a text (what a lookup confirms candidates with). */
export function referencesIn(text: string, name: string, maxLength?: number, language: IndexedLanguage = 'yaml'): SecretReference[] {
  return scanIndexed(text, maxLength, language).references.filter((r) => refersToName(r, name));
}
