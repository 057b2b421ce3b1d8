// Go to Definition / Peek on a secret reference: a read-only document (scheme ml-secrets:, built from
// the model's cached list) describing the secret — name, connection, scope, type, owner, dates and
// key names, never a value — and the secret (its key, when the reference names one) revealed and
// selected in the Secrets view. A reference to a secret that doesn't exist gets the same document
// saying so; a reference that isn't checked (no connection, a list not known, a run-time name) none.

import * as vscode from 'vscode';
import { identityOf } from '../core/check/secretIdentity';
import { Finding } from '../core/check/checker';
import { PLATFORM_NAMES, Scope, SecretInfo } from '../core/platforms/types';
import { scopeKey, SecretsModel } from '../model/secretsModel';
import type { SecretsNode } from '../tree/nodes';
import { Log } from '../ui/log';
import type { ReferenceChecker } from './referenceChecker';
import { findingAt } from './secretUses';

import { DEFINITION_SCHEME } from './lazyProviders';

export { DEFINITION_SCHEME };

/** What a definition document's URI carries: the connection, scope, name, the referenced key, and the checker's sentence for a missing one. */
interface Described {
  c: string;
  s?: string;
  n: string;
  k?: string;
  m?: string;
}

export class SecretDefinitionProvider implements vscode.DefinitionProvider, vscode.TextDocumentContentProvider {
  private readonly changed = new vscode.EventEmitter<vscode.Uri>();
  readonly onDidChange = this.changed.event;
  private readonly subs: vscode.Disposable[];

  constructor(
    private readonly checker: ReferenceChecker,
    private readonly model: SecretsModel,
    private readonly view: vscode.TreeView<SecretsNode>,
    private readonly log: Log,
  ) {
    // An open description follows the lists (a refresh, a rename, a deletion).
    this.subs = [
      model.onDidChange(() => vscode.workspace.textDocuments.filter((x) => x.uri.scheme === DEFINITION_SCHEME).forEach((x) => this.changed.fire(x.uri))),
      view.onDidChangeVisibility((e) => {
        if (e.visible && this.pending) void this.reveal(this.pending);
      }),
    ];
  }

  provideDefinition(doc: vscode.TextDocument, pos: vscode.Position, token?: vscode.CancellationToken): vscode.Location | undefined {
    const at = findingAt(this.checker, doc, pos);
    const id = at && identityOf(at.finding, at.result.connection);
    if (!at || !id || token?.isCancellationRequested || !describable(at.finding)) return undefined;
    const d: Described = { c: id.connection, n: id.name, ...(id.scopeId ? { s: id.scopeId } : {}), ...(at.finding.ref.key ? { k: at.finding.ref.key } : {}) };
    if (at.finding.status !== 'ok') d.m = at.finding.message;
    const uri = vscode.Uri.from({ scheme: DEFINITION_SCHEME, path: `/${id.connection}/${id.name.replace(/[/\\]/g, '_')}`, query: JSON.stringify(d) });
    const { lines, line } = this.describe(d);
    void this.reveal(d);
    return new vscode.Location(uri, new vscode.Range(line, 0, line, lines[line].length));
  }

  provideTextDocumentContent(uri: vscode.Uri): string {
    try {
      return this.describe(JSON.parse(uri.query) as Described).lines.join('\n');
    } catch {
      return 'ML Secrets: this secret description is no longer available.\n';
    }
  }

  /** The document's lines and the line to select (the secret's name, or the referenced key). */
  private describe(d: Described): { lines: string[]; line: number } {
    const rec = this.model.record(d.c);
    const found = this.lookup(d);
    const lines = [`Secret: ${d.n}`, `Connection: ${d.c}${rec ? ` (${PLATFORM_NAMES[rec.platform]}, ${rec.url})` : ''}`];
    if (found.scope) lines.push(`Scope: ${found.scope.label}`);
    const s = found.secret;
    if (!s) {
      lines.push('', d.m ?? `No secret '${d.n}' is in the connection's list.`);
    } else {
      for (const [label, value] of [['Type', s.type], ['Owner', s.owner], ['Created', s.createdAt], ['Updated', s.updatedAt], ['Status', s.status]] as const) if (value) lines.push(`${label}: ${value}`);
      if (s.private) lines.push('Private: only its owner sees it');
      if (s.inaccessible) lines.push('Access: it exists, but this user cannot read it');
    }
    let line = 0;
    for (const k of found.keys ?? []) {
      if (k === d.k) line = lines.length;
      lines.push(`Key: ${k}`);
    }
    if (d.k && !found.keys?.includes(d.k)) {
      line = lines.length;
      lines.push(`Referenced key: ${d.k}${d.m ? '' : ' (key names not loaded)'}`);
    }
    lines.push('', 'Names, scope and dates only: ML Secrets never shows a secret value here.', '');
    return { lines, line };
  }

  private lookup(d: Described): { scope?: Scope; secret?: SecretInfo; keys?: string[] } {
    const st = this.model.connectionState(d.c);
    const scope = st.kind === 'ready' ? st.scopes.find((x) => scopeKey(x.ref) === d.s) : undefined;
    if (!scope) return {};
    const ls = this.model.listState(d.c, scope.ref);
    const secret = ls?.kind === 'ok' ? (ls.secrets.find((x) => x.name === d.n && !x.shadowed) ?? ls.secrets.find((x) => x.name === d.n)) : undefined;
    if (!secret) return { scope };
    const ks = this.model.keysState(d.c, scope.ref, secret);
    return { scope, secret, keys: secret.keys ?? (ks?.kind === 'ok' ? ks.keys : undefined) };
  }

  /** The secret to select when the Secrets view shows next (a definition asked for while it was hidden). */
  private pending: Described | undefined;

  /**
   * Selects the secret (its key, when the reference names one and the view lists it) in the Secrets
   * view. A hidden view isn't brought up (Ctrl+hover asks for definitions too): it selects the secret when shown.
   */
  private async reveal(d: Described): Promise<void> {
    this.pending = this.view.visible ? undefined : d;
    if (this.pending) return;
    const { scope, secret, keys } = this.lookup(d);
    if (!scope || !secret) return;
    const node: SecretsNode = { kind: 'secret', connection: d.c, scope, secret };
    try {
      if (d.k && keys?.includes(d.k)) await this.view.reveal({ kind: 'key', connection: d.c, scope, secret, key: d.k }, { select: true, focus: false });
      else await this.view.reveal(node, { select: true, focus: false });
    } catch (e) {
      this.log.info(`Could not reveal '${d.n}' in the Secrets view: ${e instanceof Error ? e.message : String(e)}`);
    }
  }

  dispose(): void {
    for (const x of this.subs) x.dispose();
    this.changed.dispose();
  }
}

/** A reference whose secret is known to exist, or known to be missing (not one whose list isn't known). */
function describable(f: Finding): boolean {
  return f.status === 'ok' || f.code === 'secret-missing' || f.code === 'key-missing';
}

