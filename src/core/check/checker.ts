// Checks scanned references against what is known of a connection's secrets. Pure and synchronous:
// the adapter hands in a snapshot of the cache (per scope: ok / loading / unknown) and gets one
// finding per reference. A list that isn't known never yields `secret-missing` — it yields
// `secret-unverified`, saying why (the GitHub Actions extension's #222 lesson).

import { SecretInfo } from '../platforms/types';
import type { SecretReference } from '../references/reference';
import { namesOf } from '../references/syntaxes';
import { printable } from '../text';
import { inScope, presenceNote } from '../platforms/scopeLabels';

export type DiagnosticCode = 'secret-missing' | 'key-missing' | 'reference-malformed' | 'secret-unverified' | 'secret-inaccessible';
export type Severity = 'error' | 'warning' | 'information';
export type ValidationLevel = 'none' | 'secretExists' | 'secretAndKeyExist';

export const SEVERITY: Record<DiagnosticCode, Severity> = {
  'secret-missing': 'error',
  'key-missing': 'error',
  'reference-malformed': 'error',
  'secret-unverified': 'information',
  'secret-inaccessible': 'warning',
};

/** What to offer next to an unverified reference. */
export type FixAction = 'signIn' | 'retry' | 'chooseConnection' | 'trust';

export type ScopeState =
  | { status: 'ok'; label: string; secrets: ReadonlyMap<string, SecretInfo>; complete: boolean; incompleteReason?: string; fetchedAt?: number }
  | { status: 'loading'; label: string }
  | { status: 'unknown'; label: string; reason: string; action?: FixAction };

/** One scope, or a lookup chain tried in order (Flyte: project+domain → domain → org). */
export type ScopeResolution = { scopeId: string } | { scopeIds: string[] } | { unverified: string; action?: FixAction };

export interface CheckTarget {
  /** The connection's label. */
  label: string;
  platformName: string;
  /** Secrets have named keys (ZenML): KEY of `<<NAME.KEY>>` / `{{NAME.KEY}}` is checked. */
  keyed: boolean;
  validateName(name: string): string | undefined;
  resolveScope(ref: SecretReference): ScopeResolution;
  state(scopeId: string): ScopeState;
  /** Key names of a secret whose list entry has none yet (fetched on demand). */
  keys?(scopeId: string, secret: SecretInfo): string[] | 'loading' | { unknown: string } | undefined;
}

export interface Finding {
  ref: SecretReference;
  /** ok: resolved; problem: a diagnostic; pending: the list is loading; skipped: not checked. */
  status: 'ok' | 'problem' | 'pending' | 'skipped';
  code?: DiagnosticCode;
  severity?: Severity;
  message: string;
  scopeId?: string;
  scopeLabel?: string;
  secret?: SecretInfo;
  /** The name to create / that is missing (for quick fixes and lenses). */
  missingName?: string;
  action?: FixAction;
  /**
   * The secret resolves, with a caveat worth a ⚠ (Flyte: not present on every cluster): `short` for
   * a lens ("exists, but not on cluster c2"), `detail` for a hover (what it means for a job).
   */
  caution?: { short: string; detail: string };
  /** Skipped because the name is an expression, set at run time (`secret:${{ params.x }}`): a lens says so. */
  runTime?: boolean;
  /** Names to look for a near miss in ("Did you mean…"); computed only when a quick fix asks. */
  candidates?: () => Iterable<string>;
}

export interface CheckInput {
  refs: readonly SecretReference[];
  /** The connection the file is checked against, or why there is none. */
  target: CheckTarget | { none: string; action?: FixAction } | { pending: string };
  level: ValidationLevel;
  /** Name rule used for structural checks when there is no connection. */
  fallbackValidateName?: (ref: SecretReference) => string | undefined;
}

function problem(ref: SecretReference, code: DiagnosticCode, message: string, extra: Partial<Finding> = {}): Finding {
  return { ref, status: 'problem', code, severity: SEVERITY[code], message, ...extra };
}

const q = (s: string) => `'${printable(s)}'`;

/** A reference whose name is an expression (`secret:${{ params.x }}`): what lenses and hovers say. */
export const DYNAMIC_MESSAGE = 'Secret name set at run time — not checked.';

export function checkReferences(input: CheckInput): Finding[] {
  const { refs, target, level } = input;
  const out: Finding[] = [];
  for (const ref of refs) {
    if (level === 'none') {
      out.push({ ref, status: 'skipped', message: 'Checking is off (mlSecrets.validation.level = none).' });
      continue;
    }
    if (ref.dynamic) {
      out.push({ ref, status: 'skipped', message: DYNAMIC_MESSAGE, runTime: true });
      continue;
    }
    if (ref.problem) {
      out.push(viaShare(ref, target, level) ?? problem(ref, 'reference-malformed', ref.problem));
      continue;
    }
    if ('pending' in target) {
      out.push({ ref, status: 'pending', message: target.pending });
      continue;
    }
    if ('none' in target) {
      const bad = input.fallbackValidateName?.(ref);
      if (bad) out.push(problem(ref, 'reference-malformed', bad));
      else out.push(problem(ref, 'secret-unverified', `Can't verify ${q(ref.name)}: ${target.none}`, { action: target.action }));
      continue;
    }
    out.push(checkOne(ref, target, level));
  }
  return out;
}

/**
 * A reference malformed by its syntax's own rule that still names a place (Neu.ro's user-scoped
 * secret://CLUSTER/USER/NAME) resolves when the list there has it: what was shared with the user.
 */
function viaShare(ref: SecretReference, target: CheckInput['target'], level: ValidationLevel): Finding | undefined {
  if (!ref.cluster || 'none' in target || 'pending' in target) return undefined;
  const f = checkOne({ ...ref, problem: undefined }, target, level);
  if (f.status === 'pending') return { ...f, ref };
  return f.status === 'ok' || f.code === 'secret-inaccessible' ? { ...f, ref } : undefined;
}

function checkOne(ref: SecretReference, t: CheckTarget, level: ValidationLevel): Finding {
  // The names the reference may denote, in order (on platforms without keys, <<NAME.KEY>> is
  // tried as the name `NAME.KEY` first, then NAME).
  const candidates = namesOf(ref, t.keyed);
  const nameProblems = candidates.map((c) => t.validateName(c));
  const lastProblem = nameProblems[nameProblems.length - 1];
  if (lastProblem && nameProblems.every(Boolean)) return problem(ref, 'reference-malformed', lastProblem);

  const res = t.resolveScope(ref);
  if ('unverified' in res) return problem(ref, 'secret-unverified', `Can't verify ${q(ref.name)}: ${res.unverified}`, { action: res.action });
  if ('scopeIds' in res) return checkChain(ref, t, res.scopeIds);
  const state = t.state(res.scopeId);
  const base = { scopeId: res.scopeId, scopeLabel: state.label };
  if (state.status === 'loading') return { ref, status: 'pending', message: `Checking ${q(ref.name)} ${inScope(state.label)}…`, ...base };
  if (state.status === 'unknown') return problem(ref, 'secret-unverified', `Can't verify ${q(ref.name)} ${inScope(state.label)}: ${state.reason}`, { ...base, action: state.action });

  const foundName = candidates.find((c) => state.secrets.has(c));
  const secret = foundName !== undefined ? state.secrets.get(foundName) : undefined;
  if (!secret) {
    if (!state.complete) {
      return problem(ref, 'secret-unverified', `Can't verify ${q(ref.name)} ${inScope(state.label)}: ${state.incompleteReason ?? 'the list there may be incomplete.'}`, base);
    }
    const missingName = ref.name;
    return problem(ref, 'secret-missing', `Secret ${q(missingName)} not found ${inScope(state.label)} (connection ${q(t.label)}).`, {
      ...base,
      missingName,
      candidates: () => state.secrets.keys(),
    });
  }
  if (secret.inaccessible) {
    return problem(ref, 'secret-inaccessible', `Secret ${q(secret.name)} exists ${inScope(state.label)}, but your user (connection ${q(t.label)}) can't read it.`, { ...base, secret });
  }
  if (t.keyed && ref.key !== undefined && level === 'secretAndKeyExist') {
    let keys = secret.keys;
    if (!keys && t.keys) {
      const k = t.keys(res.scopeId, secret);
      if (k === 'loading') return { ref, status: 'pending', message: `Checking the keys of ${q(secret.name)}…`, secret, ...base };
      if (Array.isArray(k)) keys = k;
      else if (k) return problem(ref, 'secret-unverified', `Can't verify key ${q(ref.key)} of ${q(secret.name)}: ${k.unknown}`, { ...base, secret });
    }
    if (keys && !keys.includes(ref.key)) {
      const list = keys.length ? keys.map((k) => printable(k, 40)).join(', ') : 'none';
      return problem(ref, 'key-missing', `Secret ${q(secret.name)} has no key ${q(ref.key)} (its keys: ${list}).`, {
        ...base,
        secret: { ...secret, keys },
        candidates: () => keys as string[],
      });
    }
    if (keys) return found(ref, { ...secret, keys }, state.label, base);
  }
  return found(ref, secret, state.label, base);
}

/** A resolved reference; one whose secret isn't present everywhere (Flyte) says so. */
function found(ref: SecretReference, secret: SecretInfo, label: string, base: { scopeId: string; scopeLabel: string }): Finding {
  const note = presenceNote(secret.status);
  if (note) return { ref, status: 'ok', message: `${printable(secret.name)} ${note.lens} (${inScope(label)})`, secret, caution: { short: note.lens, detail: note.detail }, ...base };
  return { ref, status: 'ok', message: `${printable(secret.name)} exists ${inScope(label)}`, secret, ...base };
}

/** The first scope of the chain that has the name wins; missing only when every list is complete. */
function checkChain(ref: SecretReference, t: CheckTarget, ids: string[]): Finding {
  const states = ids.map((id) => ({ id, st: t.state(id) }));
  const first = states[0];
  const labels = states.map((s) => s.st.label).join(', then ');
  for (const { id, st } of states) {
    if (st.status === 'loading') return { ref, status: 'pending', message: `Checking ${q(ref.name)} ${inScope(st.label)}…`, scopeId: first.id, scopeLabel: first.st.label };
    if (st.status === 'unknown') return problem(ref, 'secret-unverified', `Can't verify ${q(ref.name)} ${inScope(st.label)}: ${st.reason}`, { scopeId: id, scopeLabel: st.label, action: st.action });
    const secret = st.secrets.get(ref.name);
    if (secret) return found(ref, secret, st.label, { scopeId: id, scopeLabel: st.label });
  }
  const incomplete = states.find((s) => s.st.status === 'ok' && !s.st.complete);
  if (incomplete && incomplete.st.status === 'ok') {
    return problem(ref, 'secret-unverified', `Can't verify ${q(ref.name)} ${inScope(incomplete.st.label)}: ${incomplete.st.incompleteReason ?? 'the list there may be incomplete.'}`, { scopeId: incomplete.id, scopeLabel: incomplete.st.label });
  }
  const all = function* () {
    for (const s of states) if (s.st.status === 'ok') yield* s.st.secrets.keys();
  };
  return problem(ref, 'secret-missing', `Secret ${q(ref.name)} not found in ${labels} (connection ${q(t.label)}).`, {
    scopeId: first.id,
    scopeLabel: first.st.label,
    missingName: ref.name,
    candidates: all,
  });
}

/** Up to three names within a small edit distance, closest first ("Did you mean…"). */
export function suggest(name: string, names: Iterable<string>, max = 3): string[] {
  const limit = Math.max(1, Math.min(3, Math.floor(name.length / 3)));
  const lower = name.toLowerCase();
  const scored: Array<[number, string]> = [];
  for (const n of names) {
    if (n === name) continue;
    const d = n.toLowerCase() === lower ? 0 : editDistance(lower, n.toLowerCase(), limit);
    if (d <= limit) scored.push([d, n]);
  }
  return scored.sort((a, b) => a[0] - b[0] || a[1].localeCompare(b[1])).slice(0, max).map((s) => s[1]);
}

/** Levenshtein distance, giving up (returning limit + 1) once it must exceed limit. */
export function editDistance(a: string, b: string, limit: number): number {
  if (Math.abs(a.length - b.length) > limit) return limit + 1;
  let prev = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    const cur = [i];
    let rowMin = i;
    for (let j = 1; j <= b.length; j++) {
      cur[j] = Math.min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1));
      rowMin = Math.min(rowMin, cur[j]);
    }
    if (rowMin > limit) return limit + 1;
    prev = cur;
  }
  return prev[b.length];
}
