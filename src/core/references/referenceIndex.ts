// Which workspace files may reference a secret, kept up to date file by file. The index is an
// inverted index of candidate names found by one regular-expression pass over each file (files
// without any trigger are skipped by the prefilter); a lookup then confirms each candidate file
// with the exact scanner. YAML files go through scanYaml, Python files (Flyte) through scanPython;
// the candidates include every name the exact scanner reports, so no reference is ever missed.

import { scanPython } from './python';
import { mayContainReferences, scanYaml, SecretReference } from './scanner';

/** Which scanner a file's text goes through. */
export type IndexedLanguage = 'yaml' | 'python';

/** `.py` files are Python; everything else indexed is YAML. */
export function languageOf(file: string): IndexedLanguage {
  return /\.py$/i.test(file) ? 'python' : 'yaml';
}

// secret:NAME, secret:/PROJECT/NAME, secret://C/O/P/NAME (NAME up to a ':' mount path, quote or
// space), <<NAME>> / <<NAME.KEY>>, {{ NAME.KEY }}: cheap extras (comments included).
const CANDIDATES = /secret:(?:\/\/[^/\s'"]+\/[^/\s'"]+\/[^/\s'"]+\/|\/[^/\s'"]+\/)?([^\s'":/#,\]}]+)|<<\s*([^\s<>.]+)(?:\.[^\s<>]*)?\s*>>|\{\{\s*([^\s{}.]+)\s*\.[^{}]*\}\}/g;

/**
 * Candidate secret names in a text: a superset of what the exact scanner reports, by construction —
 * every name the exact scanner (scanYaml, or scanPython for Python) reports is in it (and, for a
 * template, its `NAME.KEY`), plus what a regular expression finds (text in comments included).
 */
export function candidateNames(text: string, language: IndexedLanguage = 'yaml'): Set<string> {
  const out = new Set<string>();
  if (language === 'python') {
    for (const r of scanPython(text).references) if (r.name) out.add(r.name);
    return out;
  }
  if (!mayContainReferences(text)) return out;
  for (const r of scanYaml(text).references) {
    if (r.name) out.add(r.name);
    if (r.syntax === 'template' && r.key !== undefined) out.add(`${r.name}.${r.key}`);
  }
  CANDIDATES.lastIndex = 0;
  let m: RegExpExecArray | null;
  while ((m = CANDIDATES.exec(text))) {
    const name = m[1] ?? m[2] ?? m[3];
    if (name) out.add(name);
    // <<NAME.KEY>> may name a secret whose own name holds the dot (Apolo's aws-creds.json).
    if (m[2] && m[0].includes('.')) out.add(m[0].slice(2, -2).trim());
  }
  return out;
}

export class ReferenceIndex {
  private readonly byFile = new Map<string, Set<string>>();
  private readonly byName = new Map<string, Set<string>>();

  /** Indexes a file's text (`language` defaults by the file's extension: `.py` is Python). */
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

/** The exact references to `name` in a text (what a lookup confirms candidates with). */
export function referencesIn(text: string, name: string, maxLength?: number, language: IndexedLanguage = 'yaml'): SecretReference[] {
  const refs = language === 'python' ? scanPython(text, { maxLength }).references : scanYaml(text, { maxLength }).references;
  return refs.filter((r) => r.name === name || (r.syntax === 'template' && r.key !== undefined && `${r.name}.${r.key}` === name));
}
