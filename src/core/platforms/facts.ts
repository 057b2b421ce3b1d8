// What the activation bundle knows about a platform without loading its code: the facts each
// src/core/platforms/<id>/facts.ts declares and src/core/platforms/registry.ts lists. Everything
// that needs the platform's code (client, sign-in, prompts) is its module in src/platforms/<id>/,
// loaded lazily.

import type { PlatformId } from './types';

export interface PlatformFacts {
  readonly id: PlatformId;
  /** How the platform is named to the user. */
  readonly name: string;
  /** The URL a sign-in prompt offers first. */
  readonly defaultUrl: string;
}
