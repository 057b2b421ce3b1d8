// mlSecrets.updateSecret: change a secret's value (platforms without an update call: delete and
// recreate, said to the user). The flow is src/commands/saveSecret.ts.

import type { Command } from './common';
import { saveSecret } from './saveSecret';

export const updateSecret: Command = { title: 'Update secret', run: (s, inv) => saveSecret(s, inv, 'update') };
