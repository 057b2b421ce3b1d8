// mlSecrets.listSecrets: the secrets of a scope (or, where the platform says so, of every scope of
// the connection) as names, keys, types, scopes and dates, never values; interactively also a pick
// that copies one's reference.

import * as vscode from 'vscode';
import { mapLimit } from '../core/concurrency';
import { inScope } from '../core/platforms/scopeLabels';
import { SecretInfo } from '../core/platforms/types';
import { Command, Invocation, optString, Services } from './common';
import { copyReferenceText } from './copyReference';
import { target } from './secretTarget';

/** One secret as listSecrets returns it. */
export interface ListedSecret {
  name: string;
  keys?: string[];
  type?: string;
  scope?: string;
  createdAt?: string;
}

async function run(s: Services, inv: Invocation): Promise<ListedSecret[] | undefined> {
  const t = await target(s, inv);
  if (!t) return undefined;
  // Without project/domain, some platforms list every scope of the connection (Flyte: org, domain, project/domain).
  const all = !!t.module.listsEveryScope && !inv.node && !optString(inv.args, 'project') && !optString(inv.args, 'domain');
  const scopes = all ? t.scopes.map((x) => x.ref) : [t.scope];
  const secrets: SecretInfo[] = [];
  for (const scope of scopes) {
    const ls = await s.model.ensureList(t.rec.label, scope, true);
    if (ls.kind === 'error') throw ls.error instanceof Error ? ls.error : new Error(String(ls.error));
    if (ls.kind === 'ok') secrets.push(...ls.secrets);
  }
  if (t.client.capabilities.keys) {
    // Lists don't carry key names on every platform (ZenML): an explicit list fetches them.
    await mapLimit(
      secrets.filter((x) => !x.keys && !x.inaccessible),
      8,
      async (x) => {
        const ks = await s.model.ensureKeys(t.rec.label, t.scope, x);
        if (ks.kind === 'ok') x.keys = ks.keys;
      },
    );
  }
  const out = secrets.map(listed);
  if (inv.interactive && !inv.args.connection) {
    const pick = await vscode.window.showQuickPick(
      out.map((x) => ({ label: x.name, description: x.scope })),
      { placeHolder: `${out.length} secret${out.length === 1 ? '' : 's'} ${inScope(t.scopeLabel)} — pick one to copy its reference` },
    );
    if (pick) await copyReferenceText(s, t, pick.label);
  }
  return out;
}

function listed(x: SecretInfo): ListedSecret {
  const o: ListedSecret = { name: x.name };
  if (x.keys) o.keys = [...x.keys];
  if (x.type) o.type = x.type;
  if (x.scope) o.scope = x.scope;
  if (x.createdAt) o.createdAt = x.createdAt;
  return o;
}

export const listSecrets: Command = { title: 'List secrets', run };
