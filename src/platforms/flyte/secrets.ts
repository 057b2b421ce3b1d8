// flyte: what the secret commands ask and do differently here: scopes are org / domain /
// project+domain (src/platforms/flyte/secretScope.ts), image-pull secrets have their own fields
// (src/platforms/flyte/secretInput.ts), and a list without project/domain covers every scope.

import type { SecretsModule } from '../secretsModule';
import { secretInput } from './secretInput';
import { resolveScope } from './secretScope';

export const secrets: SecretsModule = { resolveScope, secretInput, listsEveryScope: true };
