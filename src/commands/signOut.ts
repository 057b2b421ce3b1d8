// mlSecrets.signOut: forgets a connection's token; the connection stays, shown as signed out.

import { Command, Invocation, pickConnection, Services, tell } from './common';

async function run(s: Services, inv: Invocation): Promise<void> {
  const rec = await pickConnection(s, inv, 'Sign out of which connection? Its token is removed from secret storage.', true);
  if (!rec) return;
  await s.store.signOut(rec.label);
  s.log.info(`Signed out of '${rec.label}'; its token was removed from secret storage. The connection stays (signed out) until it is removed.`);
  if (inv.interactive) tell(`Signed out of '${rec.label}'. It stays in the Secrets view as "Signed out" — sign in again from there, or remove it (ML Secrets: Remove Connection).`);
}

export const signOut: Command = { title: 'Sign out', run };
