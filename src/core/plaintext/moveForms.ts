// The move forms of "Move to a platform secret…" (issue 16), one per platform, by platform id:
// each is in src/core/platforms/<id>/plaintextMove.ts (Apolo's serves Neu.ro too). Also the secret
// name to suggest for a finding, made to fit a platform's name rule. Pure.

import { APOLO_MOVE } from '../platforms/apolo/plaintextMove';
import { FLYTE_MOVE } from '../platforms/flyte/plaintextMove';
import { MOSAIC_MOVE } from '../platforms/mosaic/plaintextMove';
import type { PlatformId } from '../platforms/types';
import { ZENML_MOVE } from '../platforms/zenml/plaintextMove';
import type { PlatformMove } from './moveParts';
import type { MoveForm, PlaintextFinding } from './types';

const MOVES: Readonly<Record<PlatformId, PlatformMove>> = {
  apolo: APOLO_MOVE,
  neuro: APOLO_MOVE,
  zenml: ZENML_MOVE,
  mosaic: MOSAIC_MOVE,
  flyte: FLYTE_MOVE,
};

/** The platform's move form: `MoveRequest` → `MovePlan` (edits and addSecret fields, or why not). */
export function moveFormFor(platform: PlatformId): MoveForm {
  return MOVES[platform].move;
}

/** The platform's name adaptation (`hf_token` → MosaicML's `hf-token`). */
export function adaptNameFor(platform: PlatformId): (name: string) => string {
  return MOVES[platform].adaptName;
}

const MAX_SUFFIX = 99;

/**
 * A secret name to suggest: `finding.suggestedName` if `validate` accepts it, else adapted to the
 * platform's rule (the platform's own adaptation when `platform` is given, else each platform's in
 * turn), else with `-2`, `-3`… (or `_2`) appended (for a `validate` that also refuses names in use).
 * `validate` returns why a name is refused, or undefined. Falls back to the adapted name.
 */
export function suggestSecretName(finding: Pick<PlaintextFinding, 'suggestedName'>, validate: (name: string) => string | undefined, platform?: PlatformId): string {
  const base = finding.suggestedName || 'secret';
  const adapters = platform ? [MOVES[platform].adaptName] : [...new Set(Object.values(MOVES).map((m) => m.adaptName))];
  const candidates = [base, ...adapters.map((a) => a(base))];
  for (const c of candidates) if (c && !validate(c)) return c;
  const adapt = adapters.find((a) => !validate(a(base))) ?? adapters[0];
  const stem = adapt(base);
  const sep = stem.includes('_') || !stem.includes('-') ? '_' : '-';
  for (let n = 2; n <= MAX_SUFFIX; n++) {
    const c = adapt(`${stem}${sep}${n}`);
    if (!validate(c)) return c;
  }
  return stem;
}
