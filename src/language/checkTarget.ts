// The connection a job file is checked against, as the checker (src/core/check/checker.ts) sees it:
// its name rule, how a reference resolves to scopes, and each scope's cached secret list and keys,
// read from the model (a list not fetched yet is asked for, and reads as loading meanwhile).

import { CheckInput, CheckTarget, ScopeState } from '../core/check/checker';
import { TargetChoice } from '../core/check/target';
import { scopeLabelFor } from '../core/platforms/scopeLabels';
import { PLATFORM_NAMES, PlatformClient, Scope, ScopeRef, SecretInfo } from '../core/platforms/types';
import { scopeKey, SecretsModel } from '../model/secretsModel';
import { errorState } from '../ui/errors';

export function checkTargetFor(model: SecretsModel, choice: TargetChoice): CheckInput['target'] {
  if (!('label' in choice)) return choice;
  const { label } = choice;
  const st = model.connectionState(label);
  const name = PLATFORM_NAMES[choice.platform];
  if (st.kind === 'signedOut') return { none: `not signed in to ${name} (connection '${label}'). Sign in with "ML Secrets: Sign In".`, action: 'signIn' };
  if (st.kind === 'error') {
    const es = errorState(st.error);
    return { none: `${es.reason} (connection '${label}')`, action: es.action };
  }
  if (st.kind !== 'ready') return { pending: `Connecting to '${label}'…` };
  const conn = { model, label, client: st.client, scopes: st.scopes };
  return {
    label,
    platformName: name,
    keyed: st.client.capabilities.keys,
    validateName: (n) => st.client.validateName(n),
    resolveScope: (ref) => {
      const s = st.client.scopeFor(ref);
      if (Array.isArray(s)) return { scopeIds: s.map(scopeKey) };
      if ('unverified' in s) return { unverified: s.unverified };
      return { scopeId: scopeKey(s) };
    },
    keys: (scopeId, secret) => keysOf(conn, scopeId, secret),
    state: (scopeId) => scopeState(conn, scopeId),
  };
}

interface ReadyConnection {
  model: SecretsModel;
  label: string;
  client: PlatformClient;
  scopes: Scope[];
}

function keysOf(c: ReadyConnection, scopeId: string, secret: SecretInfo): ReturnType<NonNullable<CheckTarget['keys']>> {
  const ref = c.scopes.find((s) => scopeKey(s.ref) === scopeId)?.ref ?? refOf(scopeId);
  const ks = c.model.keysState(c.label, ref, secret);
  if (!ks) return undefined;
  if (ks.kind === 'loading') return 'loading';
  if (ks.kind === 'ok') return ks.keys;
  return { unknown: errorState(ks.error).reason };
}

function scopeState(c: ReadyConnection, scopeId: string): ScopeState {
  const ref = c.scopes.find((s) => scopeKey(s.ref) === scopeId)?.ref ?? refOf(scopeId);
  const known = c.scopes.find((s) => scopeKey(s.ref) === scopeId);
  const scopeLabel = scopeLabelFor(c.client, ref) ?? (known?.label.replace(/^Your /, 'your ') || c.label);
  const ls = c.model.listState(c.label, ref);
  if (!ls) {
    void c.model.ensureList(c.label, ref);
    return { status: 'loading', label: scopeLabel };
  }
  if (ls.kind === 'loading') return { status: 'loading', label: scopeLabel };
  if (ls.kind === 'error') {
    const es = errorState(ls.error);
    return { status: 'unknown', label: scopeLabel, reason: es.reason, action: es.action };
  }
  return {
    status: 'ok',
    label: scopeLabel,
    secrets: ls.byName,
    complete: !!known?.complete,
    incompleteReason: `you are not a member of project '${ref.project ?? '?'}', so only secrets shared with you are listed there.`,
    fetchedAt: ls.fetchedAt,
  };
}

/** A scope id (cluster/org/project/domain) back to its coordinates. */
function refOf(scopeId: string): ScopeRef {
  const [cluster, org, project, domain] = scopeId.split('/');
  return { cluster: cluster || undefined, org: org || undefined, project: project || undefined, domain: domain || undefined };
}
