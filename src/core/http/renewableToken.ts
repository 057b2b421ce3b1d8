// A bearer token the client can renew by itself (ZenML login, Flyte client credentials): renewed a
// little before it expires, or once after a 401; one renewal at a time, shared by every caller.

import { AuthError } from '../errors';
import { redactor } from '../redact';
import type { HttpResponse } from './httpTypes';

export type Renew = (signal?: AbortSignal) => Promise<{ token: string; expiresAt?: number }>;

const EARLY_MS = 30_000;

export class RenewableToken {
  private renewing: Promise<string> | undefined;

  constructor(
    /** undefined: the token can't be renewed (a pasted one); a 401 then means "sign in again". */
    private readonly renewFn: Renew | undefined,
    private token: string | undefined,
    private expiresAt: number | undefined,
    private readonly onToken: ((token: string, expiresAt: number | undefined) => void) | undefined,
    private readonly noSession: string,
  ) {
    redactor.add(token);
  }

  get canRenew(): boolean {
    return !!this.renewFn;
  }

  snapshot(): { token: string; expiresAt?: number } {
    return { token: this.token ?? '', expiresAt: this.expiresAt };
  }

  renew(signal?: AbortSignal): Promise<string> {
    if (!this.renewFn) return Promise.reject(new AuthError(this.noSession));
    if (!this.renewing) {
      const p = this.renewFn(signal).then((r) => {
        redactor.add(r.token);
        this.token = r.token;
        this.expiresAt = r.expiresAt;
        this.onToken?.(r.token, r.expiresAt);
        return r.token;
      });
      this.renewing = p;
      p.finally(() => {
        if (this.renewing === p) this.renewing = undefined;
      }).catch(() => undefined);
    }
    return this.renewing;
  }

  async current(signal?: AbortSignal): Promise<string> {
    if (this.token && this.expiresAt && this.renewFn && Date.now() > this.expiresAt - EARLY_MS) return this.renew(signal);
    if (this.token) return this.token;
    return this.renew(signal);
  }

  /** Sends with the current token; after a 401, renews once (if it can) and sends again. */
  async send(request: (token: string) => Promise<HttpResponse>, signal?: AbortSignal): Promise<HttpResponse> {
    const used = await this.current(signal);
    const res = await request(used);
    if (res.status !== 401 || !this.renewFn) return res;
    // Another caller may have renewed it already.
    const next = this.token && this.token !== used ? this.token : await this.renew(signal);
    return request(next);
  }
}
