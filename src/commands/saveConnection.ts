// Saving a prepared connection (src/core/platforms/connect.ts) — one path for every platform's
// sign-in, its CLI import and the sandbox — and telling the user about a new one.

import type { ConnectionRecord } from '../core/connections';
import type { PreparedConnection } from '../core/platforms/connect';
import { PLATFORM_NAMES } from '../core/platforms/types';
import type { ConnectionStore } from '../connections/connectionStore';
import { Services, tell } from './common';

/** Stores the record (global state) and the credential (SecretStorage); returns the record. */
export async function saveConnection(store: ConnectionStore, p: PreparedConnection): Promise<ConnectionRecord> {
  await store.save(p.record, p.credential);
  return p.record;
}

/** The end of an interactive sign-in: saved under the label the user chose, and announced. */
export async function saveSignedIn(s: Services, p: PreparedConnection, label: string): Promise<string> {
  const rec = { ...p.record, label };
  await s.store.save(rec, p.credential);
  announce(s, rec);
  return rec.label;
}

/** The log line and the notification for a new connection. */
export function announce(s: Services, rec: ConnectionRecord): void {
  s.log.info(`Signed in: '${rec.label}' (${rec.platform} ${rec.url}${rec.user ? ` as ${rec.user}` : ''})`);
  tell(`Signed in to ${PLATFORM_NAMES[rec.platform]}${rec.user ? ` as ${rec.user}` : ''} — connection '${rec.label}'.`);
}
