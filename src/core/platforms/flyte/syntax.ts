// Flyte 2's reference syntax: secret names in the `secrets=` of a Python task environment or task
// decorator. Its references are all in Python files, found by its own scanner (pythonScanner.ts).

import type { SyntaxDescriptor } from '../../references/syntax';
import { FLYTE } from './facts';
import { scanPython } from './pythonScanner';

export const FLYTE_SYNTAX: SyntaxDescriptor = {
  id: 'flyte',
  platforms: [FLYTE.id],
  language: { id: 'python', scan: scanPython },
};
