// Flyte 2's reference syntax: secret names in the `secrets=` of a Python task environment or task
// decorator. Its references are all in Python files, found by its own scanner (pythonScanner.ts).

import type { ScanOptions, ScanResult, SecretReference } from '../../references/reference';
import type { SyntaxDescriptor, SyntaxFix } from '../../references/syntax';
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

export const FLYTE_SYNTAX: SyntaxDescriptor = {
  id: 'flyte',
  platforms: [FLYTE.id],
  fixes,
  language: { id: 'python', scan: scanPython },
};
