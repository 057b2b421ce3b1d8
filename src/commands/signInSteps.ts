// The steps of an interactive sign-in, for every platform's flow (src/platforms/<id>/signIn.ts).
// Each step is one input box that stays open until its value checks out: a URL is checked (reachable,
// the right platform) as soon as it is entered, a token as soon as it is typed, and a failure shows
// as the box's validation message with the value kept, so only the failing step is typed again.

import * as vscode from 'vscode';
import { CancelledError, describeError } from '../core/errors';
import { redact } from '../core/redact';
import { isLoopbackHost } from '../core/http/urls';
import { PLATFORM_NAMES, PlatformId } from '../core/platforms/types';
import { Invocation, optString, Services, withCancellableProgress } from './common';

export interface Step<T> {
  title: string;
  prompt?: string;
  placeholder?: string;
  value?: string;
  password?: boolean;
  /** Checked as the user types; an Error-severity message (or a string) blocks Enter. */
  validate?: (v: string) => string | vscode.InputBoxValidationMessage | undefined;
  /** Run on Enter; what it throws is shown in the box and the box stays open. */
  check: (v: string, signal: AbortSignal) => Promise<T>;
  /** A message to show when the box opens (a previous attempt's error). */
  error?: string;
}

/** A validation message that blocks Enter. */
export function invalid(message: string): vscode.InputBoxValidationMessage {
  return { message, severity: vscode.InputBoxValidationSeverity.Error };
}

function blocks(m: string | vscode.InputBoxValidationMessage | undefined): boolean {
  return !!m && (typeof m === 'string' || m.severity === vscode.InputBoxValidationSeverity.Error);
}

function errorMessage(e: unknown): vscode.InputBoxValidationMessage {
  return invalid(redact(describeError(e)));
}

export function ask<T>(step: Step<T>): Promise<{ value: string; result: T } | undefined> {
  return new Promise((resolve) => {
    const box = vscode.window.createInputBox();
    box.title = step.title;
    box.prompt = step.prompt;
    box.placeholder = step.placeholder;
    box.value = step.value ?? '';
    box.password = !!step.password;
    box.ignoreFocusOut = true;
    box.validationMessage = step.error ? invalid(redact(step.error)) : step.value ? step.validate?.(step.value) : undefined;
    let done = false;
    let checking: AbortController | undefined;
    const finish = (r: { value: string; result: T } | undefined) => {
      if (done) return;
      done = true;
      checking?.abort();
      resolve(r);
      box.dispose();
    };
    box.onDidChangeValue((v) => {
      if (!checking) box.validationMessage = step.validate?.(v);
    });
    box.onDidAccept(async () => {
      if (checking) return;
      const value = box.value;
      const m = step.validate?.(value);
      if (blocks(m)) {
        box.validationMessage = m;
        return;
      }
      const ac = new AbortController();
      checking = ac;
      box.busy = true;
      box.enabled = false;
      try {
        const result = await step.check(value, ac.signal);
        finish({ value, result });
      } catch (e) {
        if (done) return;
        checking = undefined;
        box.busy = false;
        box.enabled = true;
        box.validationMessage = errorMessage(e);
      }
    });
    box.onDidHide(() => finish(undefined));
    box.show();
  });
}

/** Runs a check on a value that came with the arguments; its error (not thrown) opens the step. */
export async function precheck<T>(title: string, fn: (signal: AbortSignal) => Promise<T>): Promise<{ result?: T; error?: string }> {
  try {
    return { result: await withCancellableProgress(title, fn) };
  } catch (e) {
    if (e instanceof CancelledError) throw e;
    return { error: describeError(e) };
  }
}

export function host(url: string): string {
  return new URL(url).host;
}

/** Labels that a folder's mlSecrets.connection names but that are no connection (active editor's folder first). */
function missingFolderLabels(s: Services): string[] {
  const active = vscode.window.activeTextEditor && vscode.workspace.getWorkspaceFolder(vscode.window.activeTextEditor.document.uri);
  const folders = [...(active ? [active] : []), ...(vscode.workspace.workspaceFolders ?? []).filter((f) => f !== active)];
  const out: string[] = [];
  for (const f of folders) {
    const l = vscode.workspace.getConfiguration('mlSecrets', f.uri).get<string>('connection');
    if (l && !s.model.record(l) && !out.includes(l)) out.push(l);
  }
  return out;
}

/**
 * The label the label step offers: the connection being signed in again (from its Sign in node or
 * quick fix), a signed-out connection of the same platform, a folder setting's label that names no
 * connection, else the platform's default.
 */
function suggestLabel(s: Services, inv: Invocation, platform: PlatformId, origin: string | undefined, fallback: string): string {
  const asked = optString(inv.args, 'label');
  if (asked) return asked;
  const signedOut = s.model.connections().filter((c) => c.platform === platform && s.model.connectionState(c.label).kind === 'signedOut');
  const same = signedOut.find((c) => c.origin === origin) ?? (signedOut.length === 1 ? signedOut[0] : undefined);
  if (same) return same.label;
  const missing = missingFolderLabels(s);
  const named = missing.find((l) => l.toLowerCase().includes(platform)) ?? (missing.length === 1 ? missing[0] : undefined);
  return named ?? fallback;
}

/** The label step: an existing label is never taken over silently. */
export async function askLabel(s: Services, inv: Invocation, platform: PlatformId, origin: string, fallback: string): Promise<string | undefined> {
  const folderLabels = missingFolderLabels(s);
  const r = await ask({
    title: `Sign in to ${PLATFORM_NAMES[platform]}: name this connection`,
    prompt: 'A label for the tree and for the mlSecrets.connection setting',
    value: suggestLabel(s, inv, platform, origin, fallback),
    validate: (v) => {
      const t = v.trim();
      if (!t) return invalid('A label is required.');
      const rec = s.model.record(t);
      if (!rec) {
        return folderLabels.includes(t) ? { message: `The mlSecrets.connection setting of a folder names '${t}': its files will be checked against this connection.`, severity: vscode.InputBoxValidationSeverity.Info } : undefined;
      }
      const signedOut = s.model.connectionState(t).kind === 'signedOut';
      if (signedOut && rec.platform === platform && rec.origin === origin) return { message: `Signs in again to '${t}' (signed out).`, severity: vscode.InputBoxValidationSeverity.Info };
      return {
        message: `A connection '${t}' already exists (${PLATFORM_NAMES[rec.platform]} · ${host(rec.url)}${signedOut ? ', signed out' : ''}). Press Enter to replace it${rec.platform === platform ? ' (sign in again to it)' : ''}, or type another label.`,
        severity: vscode.InputBoxValidationSeverity.Warning,
      };
    },
    check: async (v) => v.trim(),
  });
  return r?.result;
}

function plainHttp(url: string): boolean {
  return new URL(url).protocol === 'http:' && !isLoopbackHost(new URL(url).hostname);
}

/** Asks before a token would travel over plain http (loopback aside); false: the user said no. */
export async function confirmPlainHttp(url: string): Promise<boolean> {
  if (!plainHttp(url)) return true;
  const go = await vscode.window.showWarningMessage(`${host(url)} uses plain http: your token would travel unencrypted. Continue?`, { modal: true }, 'Continue');
  return go === 'Continue';
}

/** The URL step: the given URL if it checks out, else the box with it (and the error) to correct. */
export async function askUrl(given: string | undefined, step: Omit<Step<string>, 'value' | 'error'> & { fallback?: string }): Promise<string | undefined> {
  let error: string | undefined;
  if (given) {
    const pre = await precheck(`Checking ${given}…`, (signal) => step.check(given, signal));
    if (pre.result) return pre.result;
    error = pre.error;
  }
  const r = await ask({ ...step, value: given ?? step.fallback, error });
  return r?.result;
}

/** A URL step's as-you-type check: the platform's own normalisation must accept it. */
export function urlSyntax(normalise: (v: string) => string): (v: string) => vscode.InputBoxValidationMessage | undefined {
  return (v) => {
    try {
      normalise(v);
      return undefined;
    } catch (e) {
      return errorMessage(e);
    }
  };
}
