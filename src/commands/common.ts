// Shared pieces of the commands: argument objects vs. prompts, connection lookup, trust gating.
// Every command accepts one optional argument object that answers its prompts; called with one it
// never prompts (missing fields are an error it throws), unless the object says `interactive: true`
// (used by lenses and quick fixes to prefill a prompting flow).

import * as vscode from 'vscode';
import { ValidationError } from '../core/errors';
import { ConnectionRecord } from '../core/connections';
import { SecretsModel } from '../model/secretsModel';
import { ConnectionStore } from '../connections/connectionStore';
import { ReferenceChecker } from '../language/referenceChecker';
import { createArgsOf } from '../language/missingSecrets';
import { Log } from '../ui/log';
import { reportError } from '../ui/errors';
import type { SecretsNode } from '../tree/secretsTree';

export interface Services {
  context: vscode.ExtensionContext;
  store: ConnectionStore;
  model: SecretsModel;
  checker: ReferenceChecker;
  log: Log;
  http: import('../core/http/httpClient').HttpClient;
}

export type Args = Record<string, unknown>;

export interface Invocation {
  args: Args;
  /** Prompts allowed (palette, tree, or `interactive: true`). */
  interactive: boolean;
  node?: SecretsNode;
}

export function isTreeNode(a: unknown): a is SecretsNode {
  return !!a && typeof a === 'object' && typeof (a as { kind?: unknown }).kind === 'string' && typeof (a as { connection?: unknown }).connection === 'string';
}

export function invocation(arg: unknown): Invocation {
  // The Missing group's secret: create it, name and scope filled in as its quick fix does.
  if (isTreeNode(arg) && arg.kind === 'missingSecret') return { args: createArgsOf(arg.secret), interactive: true };
  if (isTreeNode(arg)) return { args: {}, interactive: true, node: arg };
  if (arg && typeof arg === 'object' && !Array.isArray(arg)) {
    const args = arg as Args;
    return { args, interactive: args.interactive === true };
  }
  return { args: {}, interactive: true };
}

export function optString(args: Args, key: string): string | undefined {
  const v = args[key];
  if (v === undefined || v === null || v === '') return undefined;
  if (typeof v !== 'string') throw new ValidationError(`'${key}' must be a string.`);
  return v;
}

export function reqString(inv: Invocation, key: string, what: string): string | undefined {
  const v = optString(inv.args, key);
  if (v === undefined && !inv.interactive) throw new ValidationError(`Missing '${key}' (${what}) in the argument object.`);
  return v;
}

export function findConnection(s: Services, label: string): ConnectionRecord {
  const rec = s.model.record(label);
  if (!rec) {
    const all = s.model.connections().map((c) => `'${c.label}'`);
    throw new ValidationError(`No connection labelled '${label}'.${all.length ? ` Connections: ${all.join(', ')}.` : ' Sign in first.'}`);
  }
  return rec;
}

/** The connection named by the args or the tree node, or picked by the user (interactive only). */
export async function pickConnection(s: Services, inv: Invocation, placeHolder = 'Choose a connection', alwaysAsk = false): Promise<ConnectionRecord | undefined> {
  const label = inv.node?.connection ?? optString(inv.args, 'connection');
  if (label) return findConnection(s, label);
  if (!inv.interactive) throw new ValidationError("Missing 'connection' (a connection label) in the argument object.");
  const all = s.model.connections();
  if (!all.length) throw new ValidationError('No connection yet: sign in first (ML Secrets: Sign In).');
  if (all.length === 1 && !alwaysAsk) return all[0];
  const pick = await vscode.window.showQuickPick(
    all.map((c) => ({ label: c.label, description: `${c.platform} · ${c.url}`, rec: c })),
    { placeHolder, ignoreFocusOut: true },
  );
  return pick?.rec;
}

export function requireTrust(what: string): void {
  if (!vscode.workspace.isTrusted) {
    throw new ValidationError(`${what} needs a trusted workspace. ML Secrets only reads in Restricted Mode; trust this folder to ${what.toLowerCase()}.`);
  }
}

/** Shows a message without waiting on it (commands with argument objects must settle on their own). */
export function tell(message: string): void {
  void vscode.window.showInformationMessage(message);
}

export type CommandHandler = (inv: Invocation) => Promise<unknown>;
/** One command: its title (for error messages) and what it does. Each lives in its own file under src/commands/. */
export interface Command {
  title: string;
  run: (s: Services, inv: Invocation) => Promise<unknown>;
}
export type CommandTable = Record<string, Command>;

/**
 * Runs a command: errors become a message with "Show Logs" when interactive; with an argument
 * object they are also thrown so the caller (a keybinding, a task, a test) sees them.
 */
export async function runCommand(s: Services, title: string, fn: CommandHandler, arg: unknown): Promise<unknown> {
  const inv = invocation(arg);
  try {
    return await fn(inv);
  } catch (e) {
    reportError(s.log, e, title);
    if (!inv.interactive) throw e instanceof Error ? e : new Error(String(e));
    return undefined;
  }
}

/** Runs fn under a cancellable progress notification; Cancel aborts its HTTP requests. */
export function withCancellableProgress<T>(title: string, fn: (signal: AbortSignal) => Promise<T>): Thenable<T> {
  return vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title, cancellable: true }, (_p, token) => {
    const ac = new AbortController();
    const sub = token.onCancellationRequested(() => ac.abort());
    return fn(ac.signal).finally(() => sub.dispose());
  });
}
