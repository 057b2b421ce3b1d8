// The platforms ML Secrets knows, as facts (light: the activation bundle reads them). Adding a
// platform: its folder src/core/platforms/<id>/ with facts.ts, one line here, and one line in
// src/platforms/registry.ts for its lazily loaded module (client, sign-in, prompts).

import { UnsupportedError } from '../errors';
import { APOLO, NEURO } from './apolo/facts';
import { FLYTE } from './flyte/facts';
import { MOSAIC } from './mosaic/facts';
import { ZENML } from './zenml/facts';
import type { PlatformFacts } from './facts';
import type { PlatformId } from './types';

export const PLATFORMS: readonly PlatformFacts[] = [APOLO, NEURO, ZENML, MOSAIC, FLYTE];

export const PLATFORM_IDS: readonly PlatformId[] = PLATFORMS.map((p) => p.id);
export const PLATFORM_NAMES = Object.fromEntries(PLATFORMS.map((p) => [p.id, p.name])) as Record<PlatformId, string>;

export function platformFacts(id: PlatformId): PlatformFacts {
  const f = PLATFORMS.find((p) => p.id === id);
  if (!f) throw new UnsupportedError(`'${String(id)}' connections are not supported by this version of ML Secrets.`);
  return f;
}
