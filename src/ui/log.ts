// The one log channel (VS Code's own log level applies). Everything goes through the redactor;
// the channel is never shown unless the user asks (ML Secrets: Show Logs).

import * as vscode from 'vscode';
import { redact } from '../core/redact';
import type { LogFn } from '../core/http/httpClient';

export class Log implements vscode.Disposable {
  readonly channel: vscode.LogOutputChannel;

  constructor() {
    this.channel = vscode.window.createOutputChannel('ML Secrets', { log: true });
  }

  trace(msg: string): void {
    this.channel.trace(redact(msg));
  }
  debug(msg: string): void {
    this.channel.debug(redact(msg));
  }
  info(msg: string): void {
    this.channel.info(redact(msg));
  }
  warn(msg: string): void {
    this.channel.warn(redact(msg));
  }
  error(msg: string): void {
    this.channel.error(redact(msg));
  }

  /** Adapter for the core's HTTP layer. */
  readonly fn: LogFn = (level, message) => this[level](message);

  show(): void {
    this.channel.show(true);
  }

  dispose(): void {
    this.channel.dispose();
  }
}
