// mosaic: what the secret commands ask and do differently here.

import type { SecretsModule } from '../secretsModule';

export const secrets: SecretsModule = {};
