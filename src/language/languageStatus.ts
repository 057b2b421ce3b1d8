// The `{}` language status item on job files: the connection the active file is checked against
// (what ./referenceChecker.ts chose), how old its secret lists are, and Refresh / Choose Connection.
// A warning when the folder's mlSecrets.connection names no connection, or a connection of a
// platform none of the file's references are for. Names and ages only — never a value.

import * as vscode from 'vscode';
import { chooseTarget, platformHints } from '../core/check/target';
import { PLATFORM_NAMES, PlatformId } from '../core/platforms/types';
import type { SecretReference } from '../core/references/reference';
import { syntaxOf } from '../core/references/syntaxes';
import { printable } from '../core/text';
import { scopeKey, SecretsModel } from '../model/secretsModel';
import { readSetting } from '../ui/settings';
import { DocumentFindings, ReferenceChecker } from './referenceChecker';

/** What the item shows (the integration tests read it through the extension's API). */
export interface LanguageStatusState {
  text: string;
  detail: string;
  severity: 'information' | 'warning';
  connection?: string;
}

export class ConnectionStatusItem implements vscode.Disposable {
  private readonly item: vscode.LanguageStatusItem;
  /** The second action: a language status item has one command, so Choose Connection is its own row. */
  private readonly choose: vscode.LanguageStatusItem;
  private readonly subs: vscode.Disposable[];
  private timer: ReturnType<typeof setTimeout> | undefined;
  private last: LanguageStatusState | undefined;

  constructor(selector: vscode.DocumentSelector, private readonly checker: ReferenceChecker, private readonly model: SecretsModel) {
    this.item = vscode.languages.createLanguageStatusItem('mlSecrets.connection', selector);
    this.item.name = 'ML Secrets connection';
    this.choose = vscode.languages.createLanguageStatusItem('mlSecrets.chooseConnection', selector);
    this.choose.name = 'ML Secrets: choose connection';
    this.choose.text = '$(plug) Connection for this folder';
    this.choose.command = { title: 'Choose Connection', command: 'mlSecrets.chooseConnection', tooltip: "Choose the connection this folder's job files are checked against" };
    this.subs = [
      vscode.window.onDidChangeActiveTextEditor(() => this.updateSoon()),
      checker.onDidUpdate(() => this.updateSoon()),
      model.onDidChange(() => this.updateSoon()),
      vscode.workspace.onDidChangeConfiguration((e) => e.affectsConfiguration('mlSecrets') && this.updateSoon()),
    ];
    this.update();
  }

  /** What the item shows now (after a pending update). */
  state(): LanguageStatusState | undefined {
    this.update();
    return this.last;
  }

  private updateSoon(): void {
    if (this.timer) return;
    this.timer = setTimeout(() => {
      this.timer = undefined;
      this.update();
    }, 100);
  }

  private update(): void {
    const doc = vscode.window.activeTextEditor?.document;
    const s = doc && this.checker.isJobFile(doc) ? statusOf(this.model, doc.uri, this.checker.findingsFor(doc)) : undefined;
    this.last = s;
    if (!s) {
      this.item.text = 'ML Secrets';
      this.item.detail = 'not a job file';
      this.item.severity = vscode.LanguageStatusSeverity.Information;
      return;
    }
    this.item.text = `$(key) ${s.text}`;
    this.item.detail = s.detail;
    this.item.severity = s.severity === 'warning' ? vscode.LanguageStatusSeverity.Warning : vscode.LanguageStatusSeverity.Information;
    this.item.accessibilityInformation = { label: `ML Secrets: ${s.text}, ${s.detail}` };
    this.item.command = s.connection
      ? { title: 'Refresh', command: 'mlSecrets.refresh', arguments: [{ connection: s.connection }], tooltip: `Refresh the secret lists of '${s.connection}'` }
      : { title: 'Choose Connection', command: 'mlSecrets.chooseConnection', tooltip: "Choose the connection this folder's job files are checked against" };
    this.choose.severity = this.item.severity;
  }

  dispose(): void {
    if (this.timer) clearTimeout(this.timer);
    for (const d of this.subs) d.dispose();
    this.item.dispose();
    this.choose.dispose();
  }
}

/** The status of a job file: its connection (or why none), the age of its lists, and whether the folder's binding is wrong. */
export function statusOf(model: SecretsModel, uri: vscode.Uri, r: DocumentFindings | undefined): LanguageStatusState {
  const refs = r?.findings.map((f) => f.ref) ?? [];
  const settingLabel = readSetting<string>('connection', uri) || undefined;
  const connections = model.connections().map((c) => ({ label: c.label, platform: c.platform, signedIn: model.connectionState(c.label).kind !== 'signedOut' }));
  const choice = chooseTarget(uri.path, new Set(refs.map((x) => x.syntax)), settingLabel, connections, platformHints(refs));
  const label = r?.connection ?? ('label' in choice ? choice.label : undefined);
  if (!label) {
    const why = 'none' in choice ? choice.none : 'no connection';
    const bound = 'bound' in choice && choice.bound === true;
    return { text: 'No connection', detail: printable(why, 200), severity: bound ? 'warning' : 'information' };
  }
  const platform = model.record(label)?.platform;
  const wrong = platform ? wrongPlatform(platform, refs, 'bound' in choice && choice.bound === true) : undefined;
  if (wrong) return { text: printable(label, 60), detail: printable(wrong, 200), severity: 'warning', connection: label };
  return { text: printable(label, 60), detail: listAge(model, label, r), severity: 'information', connection: label };
}

/** A folder bound to a connection of a platform that none of the file's references are for. */
function wrongPlatform(platform: PlatformId, refs: readonly SecretReference[], bound: boolean): string | undefined {
  if (!bound) return undefined;
  const owned = refs.map((x) => syntaxOf(x)?.platforms).filter((p): p is readonly PlatformId[] => !!p);
  if (!owned.length || owned.some((p) => p.includes(platform))) return undefined;
  const wanted = [...new Set(owned.flat().map((p) => PLATFORM_NAMES[p]))].join(' / ');
  return `this folder is bound to a ${PLATFORM_NAMES[platform]} connection, but the file's references are ${wanted}'s (mlSecrets.connection)`;
}

/** "list 2 min old", "loading", "signed out"… for the lists the file's references resolved in (else every list of the connection). */
function listAge(model: SecretsModel, label: string, r: DocumentFindings | undefined): string {
  const st = model.connectionState(label);
  if (st.kind === 'signedOut') return 'signed out';
  if (st.kind === 'error') return 'unreachable';
  if (st.kind !== 'ready') return 'loading';
  const used = new Set((r?.findings ?? []).map((f) => f.scopeId).filter((x): x is string => !!x));
  const scopes = st.scopes.filter((s) => !used.size || used.has(scopeKey(s.ref)));
  let oldest: number | undefined;
  for (const s of scopes) {
    const ls = model.listState(label, s.ref);
    if (ls?.kind === 'loading') return 'loading';
    if (ls?.kind === 'ok') oldest = Math.min(oldest ?? ls.fetchedAt, ls.fetchedAt);
  }
  if (oldest === undefined) return used.size ? 'loading' : 'no list yet';
  const min = Math.floor((Date.now() - oldest) / 60_000);
  return min < 1 ? 'list just fetched' : min < 120 ? `list ${min} min old` : `list ${Math.floor(min / 60)} h old`;
}
