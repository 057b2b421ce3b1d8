// Which workspace files may reference a secret, kept up to date file by file. The index is an
// inverted index of candidate names found by one pass over each file's text (files without any
// trigger are skipped by the prefilter); a lookup then confirms each candidate file with the exact
// scanner. YAML files go through scanYaml, Python files (Flyte) through scanPython;
// the candidates include every name the exact scanner reports, so no reference is ever missed.

import { scanPython } from './python';
import { mayContainReferences, scanYaml, SecretReference } from './scanner';

/** Which scanner a file's text goes through. */
export type IndexedLanguage = 'yaml' | 'python';

/** `.py` files are Python; everything else indexed is YAML. */
export function languageOf(file: string): IndexedLanguage {
  return /\.py$/i.test(file) ? 'python' : 'yaml';
}

// The scanner's template rule (src/core/references/scanner.ts), run over the whole text: a body
// holds no '<' or '>' (and whitespace only between its words), so no match can swallow another, and every template the scanner
// finds in a scalar is found here too.
const TEMPLATES = /<<(?:[ \t]+([^\s<>]+)[ \t]+|([A-Za-z_][\w.-]*(?:[ \t]+[\w.-]+)+)|([^\s<>]*))>>/g;
const NON_SPACE_RUN = /\S*/y;
/** Where a `secret:` value can end inside its run of non-space characters (a quote, a flow indicator, a mount path). */
const VALUE_ENDS = new Set(['"', "'", ',', ']', '}', ':']);
/** More name candidates than this from one `secret:` run (adversarial text): ask the exact scanner instead. */
const MAX_PER_RUN = 64;

/**
 * Candidate secret names in a text: a superset of what the exact scanner reports (scanYaml, or
 * scanPython for Python), by construction.
 *
 * YAML, fast path (text only, no lexing): a reference's name is in the text verbatim unless an escape
 * (`\`, `''`), percent-decoding (`%`) or a ZenML `{{…}}` value gets in between — such texts also
 * go through the exact scanner, whose names are added. Otherwise a `secret:` value is a prefix of
 * the run of non-space characters after `secret:` (a value with whitespace is never a reference),
 * ending at the run's end or before a quote, `,` `]` `}` or `:`; its name is such a prefix's part
 * after its last '/' or the whole of it. Every such substring is a candidate, and so is every
 * template's name, body and `NAME.KEY`. Text in comments is included (a lookup confirms with the
 * exact scanner).
 */
export function candidateNames(text: string, language: IndexedLanguage = 'yaml'): Set<string> {
  const out = new Set<string>();
  if (language === 'python') {
    for (const r of scanPython(text).references) if (r.name) out.add(r.name);
    return out;
  }
  if (!mayContainReferences(text)) return out;
  const exact = (): Set<string> => {
    for (const r of scanYaml(text).references) {
      if (r.name) out.add(r.name);
      if (r.syntax === 'template' && r.key !== undefined) out.add(`${r.name}.${r.key}`);
    }
    return out;
  };
  let needExact = text.includes('\\') || text.includes("''") || text.includes('%') || text.includes('{{');
  for (let i = text.indexOf('secret:'); i >= 0; i = text.indexOf('secret:', i + 1)) {
    NON_SPACE_RUN.lastIndex = i + 'secret:'.length;
    NON_SPACE_RUN.test(text);
    const run = text.slice(i + 'secret:'.length, NON_SPACE_RUN.lastIndex);
    const starts = [0];
    const ends: number[] = [];
    for (let j = 0; j < run.length; j++) {
      if (run[j] === '/') starts.push(j + 1);
      if (VALUE_ENDS.has(run[j])) ends.push(j);
    }
    ends.push(run.length);
    if (starts.length * ends.length > MAX_PER_RUN) {
      needExact = true;
      continue;
    }
    for (const s of starts) for (const e of ends) if (e > s) out.add(run.slice(s, e));
  }
  addTemplates(text, out);
  return needExact ? exact() : out;
}

function addTemplates(text: string, out: Set<string>): void {
  TEMPLATES.lastIndex = 0;
  let m: RegExpExecArray | null;
  while ((m = TEMPLATES.exec(text))) {
    const body = m[1] ?? m[2] ?? m[3] ?? '';
    if (!body) continue;
    out.add(body);
    const dot = body.indexOf('.');
    if (dot > 0) out.add(body.slice(0, dot));
  }
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
