import { ScopeRef } from './types';

/** How a Flyte scope reads: "project/domain", "domain D" or "org-wide". */
export function scopeLabelOf(ref: ScopeRef): string {
  if (ref.project && ref.domain) return `${ref.project}/${ref.domain}`;
  if (ref.domain) return `domain ${ref.domain}`;
  return 'org-wide';
}
