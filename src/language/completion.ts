// Completion inside a secret reference (docs/contract.md "Editor features"): the secret names of the
// connection the file is checked against (after ZenML's `{{name.` or a template's `<<name.`, that
// secret's keys), from the model's cached lists — names, types, scopes and dates, never a value —
// and, when the typed name is valid and names no secret, "Create secret 'NAME'…". Where the cursor
// is and what to replace: src/core/references/completionContext.ts; the names:
// src/core/references/completionNames.ts. A keystroke never fetches beyond what checking the file
// asks the model for anyway (a scope's list, a secret's key names), and never waits for it.

import * as vscode from 'vscode';
import { chooseTarget } from '../core/check/target';
import { PlatformClient, ScopeRef, SecretInfo } from '../core/platforms/types';
import { completionContextAt, CompletionContext } from '../core/references/completionContext';
import { matchNames, offersCreate, PreparedNames, preparedNames } from '../core/references/completionNames';
import { SYNTAXES } from '../core/references/syntaxes';
import { languageOfDocument } from './fileCheck';
import { scopeKey, SecretsModel } from '../model/secretsModel';
import { readSetting } from '../ui/settings';
import { createArgsOf } from './missingSecrets';
import type { ReferenceChecker } from './referenceChecker';

/** Typing these may start a name or a key (`secret:`, `<<`, `{{`, `name.`, a Python string). */

/** Lines before the cursor's that completion reads (a Python `secrets=[…]` list over a few lines). */
const LINES_BEFORE = 12;
/** At most this many names per request; more make the list incomplete (VS Code asks again as the user types). */
const MAX_ITEMS = 1000;

interface Ready {
  label: string;
  client: PlatformClient;
  /** The scopes a reference of this file resolves to, most specific first. */
  scopes: ScopeRef[];
}

export class SecretsCompletionProvider implements vscode.CompletionItemProvider {
  constructor(private readonly checker: ReferenceChecker, private readonly model: SecretsModel) {}

  provideCompletionItems(doc: vscode.TextDocument, pos: vscode.Position): vscode.CompletionList | undefined {
    if (!this.checker.isJobFile(doc)) return undefined;
    const from = new vscode.Position(Math.max(0, pos.line - LINES_BEFORE), 0);
    const base = doc.offsetAt(from);
    const text = doc.getText(new vscode.Range(from, doc.lineAt(pos.line).range.end));
    const ctx = completionContextAt(text, doc.offsetAt(pos) - base, languageOfDocument(doc));
    if (!ctx) return undefined;
    const conn = this.connectionFor(doc, ctx);
    if (!conn) return undefined;
    const range = { inserting: new vscode.Range(doc.positionAt(base + ctx.start), pos), replacing: new vscode.Range(doc.positionAt(base + ctx.start), doc.positionAt(base + ctx.end)) };
    return ctx.completes === 'key' ? this.keyItems(conn, ctx, range) : this.nameItems(conn, ctx, range);
  }

  /** The ready connection the file is checked against (as the checker chooses it), with the reference's scopes. */
  private connectionFor(doc: vscode.TextDocument, ctx: CompletionContext): Ready | undefined {
    const syntax = SYNTAXES.find((s) => s.id === ctx.syntax);
    const connections = this.model.connections().map((c) => ({ label: c.label, platform: c.platform, signedIn: this.model.connectionState(c.label).kind !== 'signedOut' }));
    const checked = this.checker.findingsFor(doc)?.connection;
    const fits = (label: string | undefined) => {
      const c = connections.find((x) => x.label === label);
      return !!c && (!syntax?.platforms || syntax.platforms.includes(c.platform));
    };
    let label = fits(checked) ? checked : undefined;
    if (!label) {
      const choice = chooseTarget(doc.uri.path, new Set([ctx.syntax]), readSetting<string>('connection', doc.uri) || undefined, connections);
      label = 'label' in choice && fits(choice.label) ? choice.label : undefined;
    }
    if (!label) return undefined;
    const st = this.model.connectionState(label);
    if (st.kind !== 'ready') return undefined;
    const s = st.client.scopeFor({ syntax: ctx.syntax, text: '', start: 0, end: 0, name: ctx.secret ?? ctx.prefix });
    const scopes = Array.isArray(s) ? s : 'unverified' in s ? [] : [s];
    return scopes.length ? { label, client: st.client, scopes } : undefined;
  }

  /** Each scope's prepared names, as far as cached (a scope not loaded yet is asked for, as the checker does). */
  private lists(conn: Ready): { lists: PreparedNames[]; pending: boolean; secret: (name: string) => { scope: ScopeRef; info: SecretInfo } | undefined } {
    const lists: PreparedNames[] = [];
    const loaded: { scope: ScopeRef; byName: Map<string, SecretInfo> }[] = [];
    let pending = false;
    for (const scope of conn.scopes) {
      const ls = this.model.listState(conn.label, scope);
      if (!ls) void this.model.ensureList(conn.label, scope);
      if (!ls || ls.kind === 'loading') pending = true;
      if (ls?.kind !== 'ok') continue;
      lists.push(preparedNames(ls));
      loaded.push({ scope, byName: ls.byName });
    }
    const secret = (name: string) => {
      for (const l of loaded) {
        const info = l.byName.get(name);
        if (info) return { scope: l.scope, info };
      }
      return undefined;
    };
    return { lists, pending, secret };
  }

  private nameItems(conn: Ready, ctx: CompletionContext, range: ItemRange): vscode.CompletionList {
    const { lists, pending } = this.lists(conn);
    const matches = matchNames(lists, ctx.prefix, MAX_ITEMS);
    const items = matches.entries.map((e) => {
      const item = new vscode.CompletionItem({ label: e.name, description: e.detail }, vscode.CompletionItemKind.Value);
      item.detail = e.detail;
      item.insertText = e.name + (ctx.close ?? '');
      item.filterText = e.name;
      item.sortText = e.lower;
      item.range = range;
      return item;
    });
    // "Create" only once the lists say the name is free (not while one is loading).
    if (!pending && offersCreate(ctx.prefix, matches, (n) => conn.client.validateName(n))) items.push(this.createItem(conn, ctx, range));
    return new vscode.CompletionList(items, matches.truncated || pending);
  }

  private createItem(conn: Ready, ctx: CompletionContext, range: ItemRange): vscode.CompletionItem {
    const item = new vscode.CompletionItem(`Create secret '${ctx.prefix}'…`, vscode.CompletionItemKind.Event);
    item.detail = `Add a secret named '${ctx.prefix}' to ${conn.label}`;
    item.insertText = ctx.prefix + (ctx.close ?? '');
    item.filterText = ctx.prefix;
    item.sortText = '\uffff';
    item.range = range;
    const args = createArgsOf({ connection: conn.label, name: ctx.prefix, scopeId: scopeKey(conn.scopes[0]), uses: [] });
    item.command = { title: 'Create Secret', command: 'mlSecrets.addSecret', arguments: [args] };
    return item;
  }

  /** A secret's key names, when known: a load is started (the model's) and nothing offered meanwhile. */
  private keyItems(conn: Ready, ctx: CompletionContext, range: ItemRange): vscode.CompletionList | undefined {
    const found = this.lists(conn).secret(ctx.secret ?? '');
    if (!found) return undefined;
    const ks = this.model.keysState(conn.label, found.scope, found.info);
    if (!ks || ks.kind !== 'ok') return new vscode.CompletionList([], ks?.kind === 'loading');
    const lower = ctx.prefix.toLowerCase();
    const items = ks.keys
      .filter((k) => k.toLowerCase().startsWith(lower))
      .map((k) => {
        const item = new vscode.CompletionItem({ label: k, description: `key of ${found.info.name}` }, vscode.CompletionItemKind.Property);
        item.detail = `Key of secret '${found.info.name}'`;
        item.insertText = k + (ctx.close ?? '');
        item.filterText = k;
        item.range = range;
        return item;
      });
    return new vscode.CompletionList(items, false);
  }
}

type ItemRange = { inserting: vscode.Range; replacing: vscode.Range };

