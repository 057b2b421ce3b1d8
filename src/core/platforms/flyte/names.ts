// Flyte secret names: the SecretService's rule `^[-a-zA-Z0-9_]+$` (protovalidate on `id.name`).

import { printable } from '../../text';

const NAME_RE = /^[-a-zA-Z0-9_]+$/;

export function validateFlyteName(name: string): string | undefined {
  if (!name) return 'A secret name is required.';
  if (!NAME_RE.test(name)) return `'${printable(name)}' is not a valid Flyte secret name: use letters, digits, '-' and '_' only (^[-a-zA-Z0-9_]+$).`;
  return undefined;
}
