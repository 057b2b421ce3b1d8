// Flyte 2's reference syntax: secret names in the `secrets=` of a Python task environment or task
// decorator. Its references are all in Python files, found by its own scanner (pythonScanner.ts).

import type { ScanOptions, ScanResult } from '../../references/reference';
import type { SyntaxDescriptor } from '../../references/syntax';
import { FLYTE } from './facts';

type Scanner = typeof import('./pythonScanner');
let scanner: Scanner | undefined;
/** The scanner loads with the first Python file (its own bundle, dist/flytePython.js: see esbuild.mjs), not at activation. */
function scanPython(text: string, options?: ScanOptions): ScanResult {
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- deliberately lazy (see above)
  scanner ??= require('./pythonScanner') as Scanner;
  return scanner.scanPython(text, options);
}

export const FLYTE_SYNTAX: SyntaxDescriptor = {
  id: 'flyte',
  platforms: [FLYTE.id],
  language: { id: 'python', scan: scanPython },
};
