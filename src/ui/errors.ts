// The one place where core errors become UI: a state (for tree nodes and unverified diagnostics)
// or a message with "Show Logs".

import * as vscode from 'vscode';
import { FixAction } from '../core/check/checker';
import { AuthError, CancelledError, describeError, MlSecretsError, NetworkError, PermissionError, TimeoutError } from '../core/errors';
import { redact } from '../core/redact';
import { Log } from './log';

export type ErrorStateKind = 'auth' | 'offline' | 'noPermission' | 'error';

export interface ErrorState {
  kind: ErrorStateKind;
  /** Short, for a tree node ("Offline"). */
  title: string;
  /** Why, and what to do; used in tooltips and unverified diagnostics. */
  reason: string;
  action: FixAction;
}

export function errorState(e: unknown): ErrorState {
  const msg = redact(describeError(e));
  if (e instanceof AuthError) return { kind: 'auth', title: 'Sign-in needed', reason: `${msg}`, action: 'signIn' };
  if (e instanceof NetworkError || e instanceof TimeoutError) return { kind: 'offline', title: 'Offline', reason: `the platform can't be reached (${msg}) Retry with Refresh.`, action: 'retry' };
  if (e instanceof PermissionError) return { kind: 'noPermission', title: 'No permission', reason: msg, action: 'retry' };
  return { kind: 'error', title: 'Error', reason: msg, action: 'retry' };
}

/** Reports an error from an interactive command: a message with "Show Logs", never awaited by callers that must settle. */
export function reportError(log: Log, e: unknown, what: string): void {
  if (e instanceof CancelledError) return;
  const msg = redact(describeError(e));
  log.error(`${what}: ${msg}`);
  if (!(e instanceof MlSecretsError) && e instanceof Error && e.stack) log.debug(redact(e.stack));
  void vscode.window.showErrorMessage(`${what}: ${msg}`, 'Show Logs').then((pick) => {
    if (pick === 'Show Logs') log.show();
  });
}
