// ZenML's rules for secret names and key names (what the server and the ZenML CLI accept).

import { printable } from '../../text';

const NAME_MAX = 255;

export const ZENML_KEY_RULE = 'a Python identifier: letters, digits and _, not starting with a digit (the ZenML CLI requires it)';

export function validateZenmlName(name: string): string | undefined {
  if (!name) return 'A secret name is required.';
  if (name.length > NAME_MAX) return `ZenML secret names are at most ${NAME_MAX} characters (this one has ${name.length}).`;
  if (/[\t\n\r\v\f]/.test(name)) return 'ZenML secret names cannot contain tabs or line breaks.';
  if (name.trim() !== name) return 'A ZenML secret name cannot start or end with spaces.';
  if (name === 'name') return "'name' is reserved by ZenML and can't be a secret name.";
  return undefined;
}

export function validateZenmlKey(key: string): string | undefined {
  if (!key) return 'A key name is required.';
  if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(key)) return `'${printable(key)}' is not a valid key: use ${ZENML_KEY_RULE}.`;
  if (key === 'name') return "'name' is reserved by ZenML and can't be a key.";
  return undefined;
}
