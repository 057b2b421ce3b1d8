// Each platform id → its module (client, sign-in, prompts), loaded lazily. The light facts the
// activation bundle needs are in src/core/platforms/registry.ts; a new platform adds one line to each.

import { UnsupportedError } from '../core/errors';
import type { PlatformId } from '../core/platforms/types';
import { module as apolo } from './apolo/index';
import { module as flyte } from './flyte/index';
import { module as mosaic } from './mosaic/index';
import { module as zenml } from './zenml/index';
import type { PlatformModule } from './types';

const MODULES: Record<PlatformId, PlatformModule> = { apolo, neuro: apolo, zenml, mosaic, flyte };

export function platformModule(id: PlatformId): PlatformModule {
  const m = Object.hasOwn(MODULES, id) ? MODULES[id] : undefined;
  if (!m) throw new UnsupportedError(`'${String(id)}' connections are not supported by this version of ML Secrets.`);
  return m;
}
