// ZenML's reference syntax: `{{NAME.KEY}}` as a whole YAML scalar (stack and pipeline configs). Helm
// and Jinja write the same braces, so it counts only in files checked against ZenML. A secret created
// from a reference's key must meet ZenML's key rule.

import { validateZenmlKey } from './names';
import type { SecretReference } from '../../references/reference';
import type { SyntaxDescriptor, ValueMatch } from '../../references/syntax';
import { ZENML } from './facts';

/** What `{{ … }}` (trimmed) refers to, or what makes it malformed. */
function parseZenml(trimmed: string): Omit<SecretReference, 'start' | 'end' | 'text'> {
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

/** A value that is `{{ … }}` once trimmed. */
function inValue(value: string): ValueMatch | undefined {
  const trimmed = value.trim();
  if (!trimmed.startsWith('{{') || !trimmed.endsWith('}}')) return undefined;
  return { index: value.indexOf(trimmed), text: trimmed, ref: parseZenml(trimmed) };
}

/** The name is the first thing in the braces. */
function nameOffset(ref: SecretReference): number | undefined {
  const at = ref.text.indexOf(ref.name);
  return at >= 0 ? at : undefined;
}

export const ZENML_SYNTAX: SyntaxDescriptor = {
  id: 'zenml',
  platforms: [ZENML.id],
  onlyForItsPlatforms: true,
  validateKey: validateZenmlKey,
  // A `{{ … }}` value may hold escapes or folded lines: its names come from the exact scan.
  yaml: { trigger: '{{', inValue, nameOffset, candidates: (text) => text.includes('{{') },
};
