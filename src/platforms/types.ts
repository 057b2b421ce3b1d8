// A platform's module: everything of it the commands need, loaded lazily (dist/lazy.js). Its
// pure parts (client, wire, scanners) live in src/core/platforms/<id>/; its prompts here, in
// src/platforms/<id>/. src/platforms/registry.ts lists one per platform id.

import type { ClientFactory } from '../core/platforms/types';
import type { SecretsModule } from './secretsModule';
import type { SignInModule } from './signInModule';

export interface PlatformModule extends SignInModule, SecretsModule {
  /** A stored connection → its client. */
  readonly createClient: ClientFactory;
}
