// flyte: which scope a secret command acts on. Flyte scopes are org / domain / project+domain; from
// the palette or the connection's +, the user picks one, the connection's own scope first; with an
// argument object, like the flyte CLI, no project or domain means org-wide. (A project without a
// domain is refused by the client, as by the service.)

import * as vscode from 'vscode';
import type { ConnectionRecord } from '../../core/connections';
import { scopeLabelOf } from '../../core/platforms/scopeLabels';
import type { Scope, ScopeRef } from '../../core/platforms/types';
import { scopeKey } from '../../model/secretsModel';
import type { ScopeRequest } from '../secretsModule';

export async function resolveScope(req: ScopeRequest): Promise<ScopeRef | undefined> {
  const { inv, rec, project, domain } = req;
  if (!project && !domain && req.askScope && inv.interactive) return pickScope(rec, req.scopes);
  return { org: rec.scope.org, project, domain };
}

/** Which scope (interactive): the connection's own project/domain first, then domain, org. */
async function pickScope(rec: ConnectionRecord, scopes: Scope[]): Promise<ScopeRef | undefined> {
  const own: ScopeRef = { org: rec.scope.org, project: rec.scope.project, domain: rec.scope.domain };
  const items: Array<vscode.QuickPickItem & { ref: ScopeRef }> = [];
  const seen = new Set<string>();
  const add = (ref: ScopeRef, description: string) => {
    const k = scopeKey(ref);
    if (seen.has(k)) return;
    seen.add(k);
    items.push({ label: scopeLabelOf(ref), description, ref });
  };
  const def = scopes.find((x) => x.isDefault)?.ref ?? (own.project && own.domain ? own : undefined);
  if (def) add(def, "this connection's project and domain — jobs there see it first");
  for (const sc of scopes) add(sc.ref, sc.ref.project ? 'project and domain' : sc.ref.domain ? 'every project in this domain' : 'every project and domain of the org');
  if (own.domain) add({ org: own.org, domain: own.domain }, 'every project in this domain');
  add({ org: own.org }, 'every project and domain of the org');
  const pick = await vscode.window.showQuickPick(items, { title: `Where should the secret live? (${rec.label})`, placeHolder: 'Scope: a project and domain, a whole domain, or org-wide', ignoreFocusOut: true });
  return pick?.ref;
}
