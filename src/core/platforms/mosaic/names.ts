// MosaicML's name rules: secret names (mcli's validate_secret_name, a DNS subdomain) and the
// environment variable an environment secret lands in.

import { printable } from '../../text';

/** Kubernetes DNS-subdomain rule, as mcli's validate_secret_name. */
export function validateMosaicName(name: string): string | undefined {
  if (!name) return 'A secret name is required.';
  if (name.length > 253) return `Secret names are at most 253 characters (this one has ${name.length}).`;
  if (!/^[a-z0-9]([a-z0-9.-]*[a-z0-9])?$/.test(name)) {
    return `'${printable(name)}' is not a valid MosaicML secret name: use lower-case letters, digits, '-' and '.', starting and ending with a letter or digit (a DNS subdomain name).`;
  }
  return undefined;
}

export function validateEnvKey(key: string): string | undefined {
  if (!key) return 'An environment variable name is required.';
  if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(key)) return `'${printable(key)}' is not a valid environment variable name (letters, digits and _, not starting with a digit).`;
  return undefined;
}
