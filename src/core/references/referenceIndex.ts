// Which workspace files may reference a secret, kept up to date file by file. The index is an
// inverted index of candidate names found by one regular-expression pass over each file (files
// without any trigger are skipped by the prefilter); a lookup then confirms each candidate file
// with the exact scanner. So building it costs little more than reading the files, and answers
// are exact.

import { mayContainReferences, scanYaml, SecretReference } from './scanner';

// secret:NAME, secret:/PROJECT/NAME, secret://C/O/P/NAME (NAME up to a ':' mount path, quote or
// space), <<NAME>> / <<NAME.KEY>>, {{ NAME.KEY }}.
const CANDIDATES = /secret:(?:\/\/[^/\s'"]+\/[^/\s'"]+\/[^/\s'"]+\/|\/[^/\s'"]+\/)?([^\s'":/#,\]}]+)|<<\s*([^\s<>.]+)(?:\.[^\s<>]*)?\s*>>|\{\{\s*([^\s{}.]+)\s*\.[^{}]*\}\}/g;

/** Candidate secret names in a text (a superset of what the exact scanner reports). */
export function candidateNames(text: string): Set<string> {
  const out = new Set<string>();
  if (!mayContainReferences(text)) return out;
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

  set(file: string, text: string): void {
    this.delete(file);
    const names = candidateNames(text);
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
export function referencesIn(text: string, name: string, maxLength?: number): SecretReference[] {
  return scanYaml(text, { maxLength }).references.filter((r) => r.name === name || (r.syntax === 'template' && r.key !== undefined && `${r.name}.${r.key}` === name));
}
