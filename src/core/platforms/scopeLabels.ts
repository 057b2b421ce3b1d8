import type { PlatformClient, ScopeRef } from './types';

/** How a scope of this client reads in messages: the platform's own wording, else "org/project" (undefined when both are empty). */
export function scopeLabelFor(client: PlatformClient, ref: ScopeRef): string | undefined {
  return client.scopeLabel?.(ref) ?? ([ref.org, ref.project].filter(Boolean).join('/') || undefined);
}

/** How a Flyte scope reads: "project/domain", "domain D" or "org-wide". */
export function scopeLabelOf(ref: ScopeRef): string {
  if (ref.project && ref.domain) return `${ref.project}/${ref.domain}`;
  if (ref.domain) return `domain ${ref.domain}`;
  return 'org-wide';
}

/** "in demo-org/demo-project", "in domain development", but "org-wide" (never "in org-wide"). */
export function inScope(label: string): string {
  return label === 'org-wide' ? 'org-wide' : `in ${label}`;
}

/** Flyte's "partially present — missing on c2" (SecretInfo.status), as each place says it. */
export interface PresenceNote {
  /** For a narrow tree row: "missing on c2". */
  short: string;
  /** After a name in a lens: "exists, but not on cluster c2". */
  lens: string;
  /** What it means for a job (tooltips, hovers). */
  detail: string;
}

export function presenceNote(status: string | undefined): PresenceNote | undefined {
  if (!status) return undefined;
  const m = /^partially present(?: — missing on (.+))?$/.exec(status);
  if (m) {
    const clusters = m[1];
    const where = clusters ? `cluster${clusters.includes(',') ? 's' : ''} ${clusters}` : 'every cluster';
    return {
      short: `missing on ${clusters ?? 'some clusters'}`,
      lens: `exists, but not on ${where}`,
      detail:
        `Partially present: the secret exists, but it is not present on ${where}. ` +
        `A job scheduled on ${clusters ? (clusters.includes(',') ? 'those clusters' : 'that cluster') : 'a cluster without it'} can't read it and fails; jobs on the other clusters can.`,
    };
  }
  if (status === 'presence unknown') {
    return { short: 'presence unknown', lens: 'exists, but its presence on the clusters is unknown', detail: "Flyte can't say on which clusters the secret is present: a job may not find it." };
  }
  return { short: status, lens: `exists (${status})`, detail: status };
}
