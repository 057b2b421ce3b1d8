// mlSecrets.refresh: drop cached lists (one connection's or all) and check the open job files again.
// Eager (in the activation bundle): it is small and the tree's title bar calls it.

import { reportError } from '../ui/errors';
import type { SecretsModel } from '../model/secretsModel';
import type { ReferenceChecker } from '../language/referenceChecker';
import type { Log } from '../ui/log';

export async function refresh(model: SecretsModel, checker: ReferenceChecker, log: Log, arg?: unknown): Promise<void> {
  const a = arg && typeof arg === 'object' ? (arg as { connection?: unknown }) : {};
  const label = typeof a.connection === 'string' && a.connection ? a.connection : undefined;
  if (label && !model.record(label)) {
    const e = new Error(`No connection labelled '${label}'.`);
    reportError(log, e, 'Refresh');
    throw e;
  }
  await model.refresh(label);
  checker.checkAllSoon(0);
}
