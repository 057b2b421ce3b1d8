// Flyte secrets between the SecretService's messages and ML Secrets' shapes: the SecretSpec a write
// sends (the value as bytes; image-pull secrets as a dockerconfigjson), and what a listed Secret
// becomes (name, scope, type, created time, presence on the clusters).

import { ProtocolError, ValidationError } from '../../errors';
import { printable } from '../../text';
import { scopeLabelOf } from '../scopeLabels';
import type { ScopeRef, SecretInfo, SecretInput } from '../types';
import type { Secret } from './gen/flyteidl2/secret/definition_pb';
import type { WireModule } from './wireLoader';

/** A listed secret, read out of its message. */
export interface RawFlyteSecret {
  name: string;
  domain: string;
  project: string;
  imagePull: boolean;
  created?: string;
  overall: 'partial' | 'unknown' | undefined;
  missingOn: string[];
}

/** The SecretSpec's parts: the value as bytes (binary_value, as the CLI sends), and whether it is an image-pull secret. */
export function secretSpec(input: SecretInput, ref: ScopeRef): { value: Uint8Array; imagePull: boolean } {
  if (input.type === 'image_pull' || input.type === 'SECRET_TYPE_IMAGE_PULL_SECRET') {
    if (ref.domain || ref.project) throw new ValidationError('Image-pull secrets must be org-wide: give no project or domain.');
    let value = input.value;
    if (!value) {
      const v = input.values ?? {};
      if (!v.registry || !v.username || !v.password) throw new ValidationError("An image-pull secret needs values {registry, username, password} (or a dockerconfigjson 'valueFile').");
      const auth = Buffer.from(`${v.username}:${v.password}`).toString('base64');
      value = new TextEncoder().encode(JSON.stringify({ auths: { [v.registry]: { username: v.username, password: v.password, auth } } }));
    }
    return { value, imagePull: true };
  }
  if (input.type && input.type !== 'regular' && input.type !== 'generic' && input.type !== 'SECRET_TYPE_GENERIC') {
    throw new ValidationError(`Unknown Flyte secret type '${printable(input.type)}': use regular or image_pull.`);
  }
  if (!input.value || !input.value.length) throw new ValidationError('A value is required.');
  return { value: input.value, imagePull: false };
}

export function toRaw(s: Secret, flyte: WireModule['flyte']): RawFlyteSecret {
  const name = s.id?.name;
  if (!name) throw new ProtocolError('Flyte sent a secret without a name.');
  const meta = s.secretMetadata;
  const status = meta?.secretStatus;
  const { OverallStatus, SecretPresenceStatus, SecretType } = flyte;
  const createdAt = meta?.createdTime ? flyte.timestampDate(meta.createdTime) : undefined;
  // RFC 3339 in whole seconds, as the server keeps them; a time out of Date's range is left out.
  const created = createdAt && !Number.isNaN(createdAt.getTime()) ? createdAt.toISOString().replace('.000Z', 'Z') : undefined;
  return {
    name,
    domain: s.id?.domain ?? '',
    project: s.id?.project ?? '',
    imagePull: meta?.type === SecretType.IMAGE_PULL_SECRET,
    created,
    overall: status?.overallStatus === OverallStatus.PARTIALLY_PRESENT ? 'partial' : status?.overallStatus === OverallStatus.UNKNOWN_STATUS ? 'unknown' : undefined,
    missingOn: (status?.clusterStatus ?? []).filter((c) => c.presenceStatus === SecretPresenceStatus.MISSING).map((c) => printable((c.cluster?.name || '?').slice(0, 100))),
  };
}

/** The secrets a scope shows: exactly its own (a server may also return narrower ones), with their presence as status. */
export function scopeSecrets(raw: RawFlyteSecret[], ref: ScopeRef): SecretInfo[] {
  const mine = raw.filter((r) => (r.domain || undefined) === (ref.domain || undefined) && (r.project || undefined) === (ref.project || undefined));
  return mine.map((r) => ({
    name: r.name,
    type: r.imagePull ? 'image pull' : undefined,
    scope: scopeLabelOf(ref),
    createdAt: r.created,
    status: r.overall === 'partial' ? `partially present${r.missingOn.length ? ` — missing on ${r.missingOn.join(', ')}` : ''}` : r.overall === 'unknown' ? 'presence unknown' : undefined,
  }));
}
