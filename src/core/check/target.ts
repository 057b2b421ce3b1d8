// Which connection a file's references are checked against (docs/contract.md):
// the one named by `mlSecrets.connection` for its folder, else the only connection of a platform
// whose syntax the file uses (`secret:` → Apolo/Neu.ro, `{{}}` → ZenML: each syntax's descriptor,
// src/core/references/syntaxes.ts, says), else none. A file under a folder a syntax gives to one of
// its platforms (.neuro/ is neuro-flow's, .apolo/ apolo-flow's) is that platform's own: a folder
// setting naming a connection of another platform of that syntax doesn't rebind it while its own
// platform has exactly one connection (choosing a connection for one file's folder must not
// silently rebind another file). Other tools' files (CI pipelines, Kubernetes manifests, Argo
// workflows: src/core/references/lookalikes.ts) are checked only where their folder is bound.

import { PLATFORM_NAMES, PlatformId } from '../platforms/types';
import type { ReferenceSyntax, SecretReference } from '../references/reference';
import { otherToolOfPath } from '../references/lookalikes';
import type { SyntaxDescriptor } from '../references/syntax';
import { SYNTAXES, syntaxOf } from '../references/syntaxes';
import { FixAction } from './checker';

export interface ConnectionSummary {
  label: string;
  platform: PlatformId;
  /** False for a connection kept after Sign Out (no token): never preferred over a signed-in one. */
  signedIn?: boolean;
}

/** The connection chosen, and why (shown in hovers and lens tooltips). */
export type TargetChoice =
  /** `bound`: chosen by the folder's mlSecrets.connection. */
  | { label: string; platform: PlatformId; why?: string; bound?: boolean }
  /**
   * `bound`: the folder names a connection (that doesn't exist now): its files are job files all the
   * same. `otherTool`: the file is another tool's (a CircleCI pipeline) and its folder is not bound.
   */
  | { none: string; action?: FixAction; bound?: boolean; otherTool?: string };

/** A folder that makes its files one platform's (`.neuro/` → Neu.ro), and that platform's syntax family. */
interface FolderHint {
  /** `.neuro/` */
  dir: string;
  platform: PlatformId;
  /** The platforms of the syntax that gives the folder (Apolo and Neu.ro). */
  family: readonly PlatformId[];
}

/** Platform preference from where the file lives: .neuro/ files are Neu.ro's, .apolo/ files Apolo's. */
function folderHint(path: string): FolderHint | undefined {
  const p = path.replace(/\\/g, '/');
  for (const s of SYNTAXES) {
    for (const f of s.folders ?? []) {
      if (p.startsWith(`${f.dir}/`) || p.includes(`/${f.dir}/`)) return { dir: `${f.dir}/`, platform: f.platform, family: s.platforms ?? [f.platform] };
    }
  }
  return undefined;
}

/** The platforms a file's references name themselves (`neuro run` → Neu.ro): chooseTarget's `hints`. */
export function platformHints(refs: readonly SecretReference[]): ReadonlySet<string> {
  const out = new Set<string>();
  for (const r of refs) if (r.platformHint) out.add(r.platformHint);
  return out;
}

/**
 * `hints`: the platforms the references name (platformHints); when they name one, it is preferred
 * after the folder's (`neuro run` in a script: a Neu.ro connection over an Apolo one).
 */
export function chooseTarget(
  path: string,
  syntaxes: ReadonlySet<ReferenceSyntax>,
  settingLabel: string | undefined,
  connections: readonly ConnectionSummary[],
  hints: ReadonlySet<string> = new Set(),
): TargetChoice {
  const hint = folderHint(path);
  if (settingLabel) return chooseBySetting(hint, settingLabel, connections);
  const tool = otherToolOfPath(path);
  if (tool) return { none: `this is ${tool}, not checked unless its folder is bound to a connection (mlSecrets.connection).`, otherTool: tool };
  const tiers: PlatformId[][] = [];
  if (hint) tiers.push([hint.platform]);
  const named = hints.size === 1 ? connections.find((c) => hints.has(c.platform))?.platform : undefined;
  if (named && named !== hint?.platform) tiers.push([named]);
  const first = SYNTAXES.find((s) => s.platforms && ((syntaxes.has(s.id) && (!s.onlyForItsPlatforms || hasConnectionOf(s, connections))) || (hint && s.platforms.includes(hint.platform))));
  tiers.push(first?.platforms ? [...first.platforms] : connections.map((c) => c.platform));

  for (const tier of tiers) {
    let matches = connections.filter((c) => tier.includes(c.platform));
    // A connection kept signed out doesn't compete with a signed-in one of the same platforms.
    const live = matches.filter((c) => c.signedIn !== false);
    if (matches.length > 1 && live.length === 1) {
      return { label: live[0].label, platform: live[0].platform, why: `${whyOnly(tier, tiers, hint, named).replace('the only', 'the only signed-in')}` };
    }
    if (matches.length > 1 && live.length > 1) matches = live;
    if (matches.length === 1) return { label: matches[0].label, platform: matches[0].platform, why: whyOnly(tier, tiers, hint, named) };
    if (matches.length > 1 && tier === tiers[tiers.length - 1]) {
      const names = matches.map((m) => `'${m.label}'`).join(', ');
      return { none: `${matches.length} connections could apply (${names}). Choose one for this folder (ML Secrets: Choose Connection for This Folder).`, action: 'chooseConnection' };
    }
  }
  const last = tiers[tiers.length - 1];
  const family = last.length ? [...new Set(last.map((p) => PLATFORM_NAMES[p]))].join(' / ') : 'a platform';
  return { none: `no ${family} connection. Sign in with "ML Secrets: Sign In".`, action: 'signIn' };
}

/** The folder's setting names a connection: that one, unless the file's folder is another platform's own. */
function chooseBySetting(hint: FolderHint | undefined, settingLabel: string, connections: readonly ConnectionSummary[]): TargetChoice {
  const c = connections.find((x) => x.label === settingLabel);
  if (!c) return { none: `this folder's setting mlSecrets.connection names '${settingLabel}', which is not a connection. Sign in, or choose another connection.`, action: 'chooseConnection', bound: true };
  // A folder's choice is made for its job files; a file under .neuro/ (.apolo/) is the other
  // platform's own syntax (neuro-flow / apolo-flow): a folder setting naming the other platform
  // of the family doesn't rebind it while exactly one connection of its own platform exists.
  if (hint && hint.family.includes(c.platform) && hint.platform !== c.platform) {
    const own = connections.filter((x) => x.platform === hint.platform);
    if (own.length === 1) {
      const name = PLATFORM_NAMES[hint.platform];
      return {
        label: own[0].label,
        platform: own[0].platform,
        bound: true,
        why: `files under ${hint.dir} are ${name} files: checked against the only ${name} connection, not the folder's ${PLATFORM_NAMES[c.platform]} connection '${c.label}' (mlSecrets.connection)`,
      };
    }
  }
  return { label: c.label, platform: c.platform, bound: true, why: `chosen for this folder (mlSecrets.connection)` };
}

function whyOnly(tier: PlatformId[], tiers: PlatformId[][], hint: FolderHint | undefined, named: PlatformId | undefined): string {
  const names = [...new Set(tier.map((p) => PLATFORM_NAMES[p]))].join(' / ');
  if (hint && tier === tiers[0]) return `the only ${names} connection (files under ${hint.dir} are ${PLATFORM_NAMES[hint.platform]} files)`;
  if (named && tier.length === 1 && tier[0] === named) return `the only ${names} connection (the file's command lines are ${names}'s)`;
  if (tier.length > 2) return 'the only connection';
  return `the only ${names} connection (no connection is chosen for this folder)`;
}

function hasConnectionOf(s: SyntaxDescriptor, connections: readonly ConnectionSummary[]): boolean {
  return connections.some((c) => s.platforms?.includes(c.platform));
}

/**
 * Drops the references of a syntax that counts only for its platforms (ZenML's {{NAME.KEY}}, which
 * Helm/Jinja use too) unless the file is checked against one of them. `connected`: the connections,
 * or whether one of such a syntax's platforms exists.
 */
export function referencesForTarget(refs: readonly SecretReference[], choice: TargetChoice, connected: boolean | readonly ConnectionSummary[]): SecretReference[] {
  // Another tool's file (by its path, or its head: src/core/references/lookalikes.ts) counts only where its folder is bound.
  if ('otherTool' in choice && choice.otherTool) return [];
  if (choice.bound !== true && refs.some((r) => r.otherTool)) refs = refs.filter((r) => !r.otherTool);
  const dropped = new Set<ReferenceSyntax>();
  for (const s of SYNTAXES) if (s.onlyForItsPlatforms && !counts(s, refs, choice, connected)) dropped.add(s.id);
  return dropped.size ? refs.filter((r) => !dropped.has(r.syntax)) : [...refs];
}

function counts(s: SyntaxDescriptor, refs: readonly SecretReference[], choice: TargetChoice, connected: boolean | readonly ConnectionSummary[]): boolean {
  if ('label' in choice) return !!s.platforms?.includes(choice.platform);
  // Without a chosen connection, it counts only in a file that looks like its platforms': one of
  // their connections exists and nothing in the file is another platform's syntax. A folder bound
  // to a connection that is gone keeps its references (said unverified), as they were while it
  // existed, rather than silently losing them.
  const exists = typeof connected === 'boolean' ? connected : hasConnectionOf(s, connected);
  return (choice.bound === true || exists) && !refs.some((r) => isOtherPlatforms(syntaxOf(r), s));
}

/** A syntax of platforms other than `s`'s (a template belongs to none). */
function isOtherPlatforms(o: SyntaxDescriptor | undefined, s: SyntaxDescriptor): boolean {
  return !!o && o !== s && !!o.platforms && !o.platforms.some((p) => s.platforms?.includes(p));
}
