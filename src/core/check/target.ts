// Which connection a file's references are checked against (docs/contract.md):
// the one named by `mlSecrets.connection` for its folder, else the only connection of a platform
// whose syntax the file uses (`secret:` → Apolo/Neu.ro, `{{}}` → ZenML), else none.

import { PLATFORM_NAMES, PlatformId } from '../platforms/types';
import { ReferenceSyntax, SecretReference } from '../references/scanner';
import { FixAction } from './checker';

export interface ConnectionSummary {
  label: string;
  platform: PlatformId;
}

export type TargetChoice = { label: string; platform: PlatformId } | { none: string; action?: FixAction };

const APOLO_FAMILY: PlatformId[] = ['apolo', 'neuro'];

/** Platform preference from where the file lives: .neuro/ files are Neu.ro's, .apolo/ files Apolo's. */
function folderPreference(path: string): PlatformId[] | undefined {
  const p = path.replace(/\\/g, '/');
  if (/(^|\/)\.neuro\//.test(p)) return ['neuro'];
  if (/(^|\/)\.apolo\//.test(p)) return ['apolo'];
  return undefined;
}

export function chooseTarget(path: string, syntaxes: ReadonlySet<ReferenceSyntax>, settingLabel: string | undefined, connections: readonly ConnectionSummary[]): TargetChoice {
  if (settingLabel) {
    const c = connections.find((x) => x.label === settingLabel);
    if (c) return { label: c.label, platform: c.platform };
    return { none: `this folder's setting mlSecrets.connection names '${settingLabel}', which is not a connection. Sign in, or choose another connection.`, action: 'chooseConnection' };
  }
  const tiers: PlatformId[][] = [];
  const pref = folderPreference(path);
  if (pref) tiers.push(pref);
  if (syntaxes.has('flyte')) tiers.push(['flyte']);
  else if (syntaxes.has('apolo') || pref) tiers.push(APOLO_FAMILY);
  else if (syntaxes.has('zenml') && connections.some((c) => c.platform === 'zenml')) tiers.push(['zenml']);
  else tiers.push(connections.map((c) => c.platform));

  for (const tier of tiers) {
    const matches = connections.filter((c) => tier.includes(c.platform));
    if (matches.length === 1) return { label: matches[0].label, platform: matches[0].platform };
    if (matches.length > 1 && tier === tiers[tiers.length - 1]) {
      const names = matches.map((m) => `'${m.label}'`).join(', ');
      return { none: `${matches.length} connections could apply (${names}). Choose one for this folder (ML Secrets: Choose Connection for This Folder).`, action: 'chooseConnection' };
    }
  }
  const last = tiers[tiers.length - 1];
  const family = last.length ? [...new Set(last.map((p) => PLATFORM_NAMES[p]))].join(' / ') : 'a platform';
  return { none: `no ${family} connection. Sign in with "ML Secrets: Sign In".`, action: 'signIn' };
}

/** ZenML's {{NAME.KEY}} is only a reference in files checked against ZenML (Helm/Jinja use it too). */
export function referencesForTarget(refs: readonly SecretReference[], choice: TargetChoice, hasZenmlConnection: boolean): SecretReference[] {
  // Without a chosen connection, {{ }} counts only in a file that looks like ZenML's: a ZenML
  // connection exists and nothing in the file is Apolo syntax.
  const zenml = 'label' in choice ? choice.platform === 'zenml' : hasZenmlConnection && !refs.some((r) => r.syntax === 'apolo');
  return zenml ? [...refs] : refs.filter((r) => r.syntax !== 'zenml');
}
