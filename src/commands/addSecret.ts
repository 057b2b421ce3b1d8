// mlSecrets.addSecret: create a secret in a connection's scope (the flow is src/commands/saveSecret.ts).

import type { Command } from './common';
import { saveSecret } from './saveSecret';

export const addSecret: Command = { title: 'Add secret', run: (s, inv) => saveSecret(s, inv, 'add') };
