// What a fetched list becomes in the model: sorted (by code unit: fast and stable for 10,000
// names), and indexed by name for the checker (a shadowed secret never answers a lookup).

import { SecretInfo } from './platforms/types';

export interface SecretList {
  secrets: SecretInfo[];
  byName: Map<string, SecretInfo>;
  fetchedAt: number;
}

export function buildSecretList(secrets: SecretInfo[], now = Date.now()): SecretList {
  secrets.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  const byName = new Map<string, SecretInfo>();
  for (const s of secrets) if (!s.shadowed) byName.set(s.name, s);
  return { secrets, byName, fetchedAt: now };
}
