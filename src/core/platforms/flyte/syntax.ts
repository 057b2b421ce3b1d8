// Flyte 2's reference syntax: secret names in the `secrets=` of a Python task environment or task
// decorator. Its references are all in Python files, found by its own scanner (pythonScanner.ts).

import type { ScanOptions, ScanResult, SecretReference } from '../../references/reference';
import type { CompletionForm, SyntaxDescriptor, SyntaxFix } from '../../references/syntax';
import { FLYTE } from './facts';

type Scanner = typeof import('./pythonScanner');
let scanner: Scanner | undefined;
/** The scanner loads with the first Python file (its own bundle, dist/flytePython.js: see esbuild.mjs), not at activation. */
function scanPython(text: string, options?: ScanOptions): ScanResult {
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- deliberately lazy (see above)
  scanner ??= require('./pythonScanner') as Scanner;
  return scanner.scanPython(text, options);
}

/** A name with characters Flyte refuses (`s3 creds`): offer it with each run of them as one '-' (`s3-creds`). */
function fixes(ref: SecretReference): SyntaxFix[] {
  if (ref.nameStart === undefined || !ref.name || /^[-a-zA-Z0-9_]+$/.test(ref.name)) return [];
  const at = ref.nameStart - ref.start;
  if (ref.text.slice(at, at + ref.name.length) !== ref.name) return [];
  const valid = ref.name.replace(/[^-a-zA-Z0-9_]+/g, '-').replace(/^-+|-+$/g, '');
  if (!valid) return [];
  return [{ title: `Use '${valid}' (Flyte names have letters, digits, '-' and '_' only)`, start: ref.nameStart, end: ref.nameStart + ref.name.length, newText: valid, preferred: true }];
}

/** An element already in a `secrets=[…]` list: a string, a `Secret(…)`, a name. */
const ELEMENT = /(?:"[^"\n]*"|'[^'\n]*'|[\w.]*Secret\((?:[^()"']|"[^"\n]*"|'[^'\n]*')*\)|[\w.]+)/.source;
/** Completion in a string of `secrets="…"`, `secrets=["a", "…"]` (over lines too), `Secret("…")`, `Secret(key="…")`. */
const COMPLETION: readonly CompletionForm[] = [
  { languages: ['python'], before: new RegExp(`\\b(?:secrets|secret_requests)\\s*=\\s*(?:[\\[(](?:\\s*${ELEMENT}\\s*,)*\\s*)?["']$`), chars: /[\w-]/ },
  { languages: ['python'], before: /\bSecret\(\s*(?:(?:[^()"']|"[^"\n]*"|'[^'\n]*')*?\bkey\s*=\s*)?["']$/, chars: /[\w-]/ },
];

export const FLYTE_SYNTAX: SyntaxDescriptor = {
  id: 'flyte',
  platforms: [FLYTE.id],
  fixes,
  language: { id: 'python', scan: scanPython },
  completion: COMPLETION,
};
