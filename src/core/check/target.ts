// Which connection a file's references are checked against (docs/contract.md):
// the one named by `mlSecrets.connection` for its folder, else the only connection of a platform
// whose syntax the file uses (`secret:` → Apolo/Neu.ro, `{{}}` → ZenML), else none. A file under
// .neuro/ (.apolo/) is neuro-flow's (apolo-flow's) own syntax: a folder setting naming a connection
// of the other platform of that family doesn't rebind it while its own platform has exactly one
// connection (choosing a connection for one file's folder must not silently rebind another file).

import { PLATFORM_NAMES, PlatformId } from '../platforms/types';
import { ReferenceSyntax, SecretReference } from '../references/scanner';
import { FixAction } from './checker';

export interface ConnectionSummary {
  label: string;
  platform: PlatformId;
  /** False for a connection kept after Sign Out (no token): never preferred over a signed-in one. */
  signedIn?: boolean;
}

/** The connection chosen, and why (shown in hovers and lens tooltips). */
export type TargetChoice =
  | { label: string; platform: PlatformId; why?: string }
  /** `bound`: the folder names a connection (that doesn't exist now): its files are job files all the same. */
  | { none: string; action?: FixAction; bound?: boolean };

const APOLO_FAMILY: PlatformId[] = ['apolo', 'neuro'];

/** Platform preference from where the file lives: .neuro/ files are Neu.ro's, .apolo/ files Apolo's. */
function folderPreference(path: string): PlatformId[] | undefined {
  const p = path.replace(/\\/g, '/');
  if (/(^|\/)\.neuro\//.test(p)) return ['neuro'];
  if (/(^|\/)\.apolo\//.test(p)) return ['apolo'];
  return undefined;
}

export function chooseTarget(path: string, syntaxes: ReadonlySet<ReferenceSyntax>, settingLabel: string | undefined, connections: readonly ConnectionSummary[]): TargetChoice {
  const pref = folderPreference(path);
  if (settingLabel) {
    const c = connections.find((x) => x.label === settingLabel);
    if (c) {
      // A folder's choice is made for its job files; a file under .neuro/ (.apolo/) is the other
      // platform's own syntax (neuro-flow / apolo-flow): a folder setting naming the other platform
      // of the family doesn't rebind it while exactly one connection of its own platform exists.
      if (pref && APOLO_FAMILY.includes(c.platform) && !pref.includes(c.platform)) {
        const own = connections.filter((x) => pref.includes(x.platform));
        if (own.length === 1) {
          const dir = pref[0] === 'neuro' ? '.neuro/' : '.apolo/';
          return {
            label: own[0].label,
            platform: own[0].platform,
            why: `files under ${dir} are ${PLATFORM_NAMES[pref[0]]} files: checked against the only ${PLATFORM_NAMES[pref[0]]} connection, not the folder's ${PLATFORM_NAMES[c.platform]} connection '${c.label}' (mlSecrets.connection)`,
          };
        }
      }
      return { label: c.label, platform: c.platform, why: `chosen for this folder (mlSecrets.connection)` };
    }
    return { none: `this folder's setting mlSecrets.connection names '${settingLabel}', which is not a connection. Sign in, or choose another connection.`, action: 'chooseConnection', bound: true };
  }
  const tiers: PlatformId[][] = [];
  if (pref) tiers.push(pref);
  if (syntaxes.has('flyte')) tiers.push(['flyte']);
  else if (syntaxes.has('apolo') || pref) tiers.push(APOLO_FAMILY);
  else if (syntaxes.has('zenml') && connections.some((c) => c.platform === 'zenml')) tiers.push(['zenml']);
  else tiers.push(connections.map((c) => c.platform));

  for (const tier of tiers) {
    let matches = connections.filter((c) => tier.includes(c.platform));
    // A connection kept signed out doesn't compete with a signed-in one of the same platforms.
    const live = matches.filter((c) => c.signedIn !== false);
    if (matches.length > 1 && live.length === 1) {
      return { label: live[0].label, platform: live[0].platform, why: `${whyOnly(tier, tiers, pref).replace('the only', 'the only signed-in')}` };
    }
    if (matches.length > 1 && live.length > 1) matches = live;
    if (matches.length === 1) return { label: matches[0].label, platform: matches[0].platform, why: whyOnly(tier, tiers, pref) };
    if (matches.length > 1 && tier === tiers[tiers.length - 1]) {
      const names = matches.map((m) => `'${m.label}'`).join(', ');
      return { none: `${matches.length} connections could apply (${names}). Choose one for this folder (ML Secrets: Choose Connection for This Folder).`, action: 'chooseConnection' };
    }
  }
  const last = tiers[tiers.length - 1];
  const family = last.length ? [...new Set(last.map((p) => PLATFORM_NAMES[p]))].join(' / ') : 'a platform';
  return { none: `no ${family} connection. Sign in with "ML Secrets: Sign In".`, action: 'signIn' };
}

function whyOnly(tier: PlatformId[], tiers: PlatformId[][], pref: PlatformId[] | undefined): string {
  const names = [...new Set(tier.map((p) => PLATFORM_NAMES[p]))].join(' / ');
  if (pref && tier === tiers[0]) return `the only ${names} connection (files under .${pref[0]}/ are ${PLATFORM_NAMES[pref[0]]} files)`;
  if (tier.length > 2) return 'the only connection';
  return `the only ${names} connection (no connection is chosen for this folder)`;
}

/** ZenML's {{NAME.KEY}} is only a reference in files checked against ZenML (Helm/Jinja use it too). */
export function referencesForTarget(refs: readonly SecretReference[], choice: TargetChoice, hasZenmlConnection: boolean): SecretReference[] {
  // Without a chosen connection, {{ }} counts only in a file that looks like ZenML's: a ZenML
  // connection exists and nothing in the file is Apolo syntax.
  // A folder bound to a connection that is gone keeps its {{ }} references (said unverified), as
  // they were while it existed, rather than silently losing them.
  const zenml = 'label' in choice ? choice.platform === 'zenml' : (choice.bound === true || hasZenmlConnection) && !refs.some((r) => r.syntax === 'apolo');
  return zenml ? [...refs] : refs.filter((r) => r.syntax !== 'zenml');
}
