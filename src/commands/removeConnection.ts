// mlSecrets.removeConnection: forgets a connection, its token and its record (Sign Out keeps the record).

import { Command, Invocation, pickConnection, Services, tell } from './common';

async function run(s: Services, inv: Invocation): Promise<void> {
  const rec = await pickConnection(s, inv, 'Remove which connection? Its token and its entry are forgotten.', true);
  if (!rec) return;
  await s.store.remove(rec.label);
  s.log.info(`Removed the connection '${rec.label}' and its token.`);
  if (inv.interactive) tell(`Removed the connection '${rec.label}'.`);
}

export const removeConnection: Command = { title: 'Remove connection', run };
