// Connections: records in global state, tokens in SecretStorage (bound to their origin).
// SecretStorage can lose entries (no keyring → in-memory; decrypt failure → deleted) and can fail
// to store: `undefined` always means "signed out", and nothing ever falls back to plaintext.

import * as vscode from 'vscode';
import { ConnectionRecord, CREDENTIAL_KEY_PREFIX, credentialKey, isConnectionRecord, parseCredential, StoredCredential } from '../core/connections';
import { AuthError } from '../core/errors';
import { redactor } from '../core/redact';
import { Log } from '../ui/log';

const RECORDS_KEY = 'mlSecrets.connections';

function registerCredential(c: StoredCredential): void {
  redactor.add(c.token);
  redactor.add(c.login?.apiKey);
  redactor.add(c.login?.password);
}

export class ConnectionStore implements vscode.Disposable {
  private readonly emitter = new vscode.EventEmitter<void>();
  readonly onDidChange = this.emitter.event;
  private readonly disposables: vscode.Disposable[] = [this.emitter];
  private changeTimer: ReturnType<typeof setTimeout> | undefined;

  constructor(private readonly context: vscode.ExtensionContext, private readonly log: Log) {
    // Another window signing in or out changes the same storage: follow it, debounced, since the
    // event can fire twice per store or without a change.
    this.disposables.push(
      context.secrets.onDidChange((e) => {
        if (e.key.startsWith(CREDENTIAL_KEY_PREFIX)) this.fireSoon();
      }),
    );
  }

  private fireSoon(): void {
    if (this.changeTimer) clearTimeout(this.changeTimer);
    this.changeTimer = setTimeout(() => {
      this.changeTimer = undefined;
      this.emitter.fire();
    }, 150);
  }

  list(): ConnectionRecord[] {
    const raw = this.context.globalState.get<unknown[]>(RECORDS_KEY, []);
    return Array.isArray(raw) ? raw.filter(isConnectionRecord) : [];
  }

  get(label: string): ConnectionRecord | undefined {
    return this.list().find((r) => r.label === label);
  }

  /** Stores the token first; the record is written only once the token is safely stored. */
  async save(record: ConnectionRecord, credential: StoredCredential): Promise<void> {
    registerCredential(credential);
    const previous = this.get(record.label);
    try {
      await this.context.secrets.store(credentialKey(record), JSON.stringify(credential));
    } catch (e) {
      this.log.error(`Could not store the token for '${record.label}' in VS Code's secret storage: ${e instanceof Error ? e.message : String(e)}`);
      throw new AuthError(
        "VS Code's secret storage refused to keep the token (no OS keyring?). ML Secrets never stores tokens anywhere else; see VS Code's \"Troubleshooting keychain issues\" and try again.",
      );
    }
    if (previous && credentialKey(previous) !== credentialKey(record)) await this.deleteSecret(previous);
    const others = this.list().filter((r) => r.label !== record.label);
    await this.context.globalState.update(RECORDS_KEY, [...others, record]);
    this.emitter.fire();
  }

  /**
   * Signs a connection out: its token leaves secret storage, the record stays (the tree keeps it as
   * "Signed out", files bound to it say so) until `remove`.
   */
  async signOut(label: string): Promise<boolean> {
    const rec = this.get(label);
    if (!rec) return false;
    await this.deleteSecret(rec);
    this.emitter.fire();
    return true;
  }

  /** Forgets a connection: its token and its record. */
  async remove(label: string): Promise<boolean> {
    const rec = this.get(label);
    if (!rec) return false;
    await this.deleteSecret(rec);
    await this.context.globalState.update(
      RECORDS_KEY,
      this.list().filter((r) => r.label !== label),
    );
    this.emitter.fire();
    return true;
  }

  private async deleteSecret(rec: ConnectionRecord): Promise<void> {
    try {
      await this.context.secrets.delete(credentialKey(rec));
    } catch (e) {
      // Keep going: the record goes anyway, and a stale entry without a record is never used.
      this.log.warn(`Could not delete the stored token of '${rec.label}': ${e instanceof Error ? e.message : String(e)}`);
    }
  }

  /** The connection's credential, or undefined when signed out (or the stored one is unusable). */
  async credential(rec: ConnectionRecord): Promise<StoredCredential | undefined> {
    let raw: string | undefined;
    try {
      raw = await this.context.secrets.get(credentialKey(rec));
    } catch (e) {
      this.log.warn(`Secret storage could not read the token of '${rec.label}': ${e instanceof Error ? e.message : String(e)}`);
      return undefined;
    }
    const cred = parseCredential(raw, rec.origin);
    if (cred) registerCredential(cred);
    return cred;
  }

  /** Replaces the stored access token after a silent re-login; fires no change (it is the same sign-in). */
  async updateToken(rec: ConnectionRecord, token: string, expiresAt: number | undefined): Promise<void> {
    const cred = await this.credential(rec);
    if (!cred) return;
    redactor.add(token);
    try {
      await this.context.secrets.store(credentialKey(rec), JSON.stringify({ ...cred, token, expiresAt }));
    } catch (e) {
      this.log.warn(`Could not store the refreshed token of '${rec.label}': ${e instanceof Error ? e.message : String(e)}`);
    }
  }

  dispose(): void {
    if (this.changeTimer) clearTimeout(this.changeTimer);
    for (const d of this.disposables) d.dispose();
  }
}
