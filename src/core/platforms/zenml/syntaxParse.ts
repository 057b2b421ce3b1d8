// ZenML's own parse of a `{{NAME.KEY}}` reference (zenml/utils/secret_utils.py): strip the braces,
// split at the first `.`, trim each part. Shared by the YAML recogniser (syntax.ts) and the shell /
// Makefile scanner (shellScanner.ts).

import type { SecretReference } from '../../references/reference';

/** What `{{ … }}` (trimmed) refers to, or what makes it malformed. */
export function parseZenml(trimmed: string): Omit<SecretReference, 'start' | 'end' | 'text'> {
  const inner = trimmed.slice(2, -2).trim();
  const ref: Omit<SecretReference, 'start' | 'end' | 'text'> = { syntax: 'zenml', name: inner };
  const dot = inner.indexOf('.');
  if (!inner) ref.problem = 'Empty reference: write {{NAME.KEY}}.';
  else if (dot < 0) ref.problem = `{{${inner}}} names no key: write {{NAME.KEY}}.`;
  else {
    ref.name = inner.slice(0, dot).trim();
    ref.key = inner.slice(dot + 1).trim();
    if (!ref.name) ref.problem = `{{${inner}}} has no secret name before the '.'.`;
    else if (!ref.key) ref.problem = `{{${inner}}} has an empty key after the '.'.`;
  }
  return ref;
}
