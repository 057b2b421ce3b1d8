// ZenML client: form login (password or API key grant, ./session.ts), Bearer calls, silent re-login
// on 401 when the connection holds what it takes, paged lists, name → id lookups, patch_values
// updates. docs/platform-apis.md §2. Answers are read (and errors mapped) in ./responses.ts.
//
// Values: ZenML returns secret values in its responses (GET by id always, lists sometimes). They are
// dropped while the JSON is parsed — only key names survive — so no value is ever held, cached,
// shown or logged by the extension.

import { ConflictError, NotFoundError, ProtocolError, UnsupportedError, ValidationError } from '../../errors';
import { HttpClient, HttpRequest, HttpResponse, RESPONSE_CAP } from '../../http/httpClient';
import { jsonObject } from '../../http/bodies';
import { RenewableToken } from '../../http/renewableToken';
import { redactor } from '../../redact';
import type { SecretReference } from '../../references/reference';
import { printable } from '../../text';
import { Capabilities, DeleteResult, PlatformClient, Scope, ScopeRef, SecretInfo, SecretInput, SecretUpdate, StackInfo } from '../types';
import { validateZenmlKey, validateZenmlName } from './names';
import { dropValues, expectSecretResponse, RawSecret, toRawSecret, zenmlError } from './responses';
import { normaliseZenmlUrl, ZenmlLogin, zenmlLogin } from './session';
import { listZenmlStacks } from './stacks';


export interface ZenmlClientOptions {
  serverUrl: string;
  origins: readonly string[];
  http: HttpClient;
  login?: ZenmlLogin;
  accessToken?: string;
  expiresAt?: number;
  /** Called after a silent re-login, so the new token can be stored. */
  onToken?: (token: string, expiresAt: number | undefined) => void;
}

export interface ZenmlServerInfo {
  id?: string;
  name?: string;
  version?: string;
  deploymentType?: string;
}

const PAGE_SIZE = 1000;
const MAX_PAGES = 1000;

/** What a request body holds that is a name, not a secret (everything else is held in the redactor). */
const SECRET_BODY_PUBLIC = ['name', 'private'];

export class ZenmlClient implements PlatformClient {
  readonly platform = 'zenml' as const;
  readonly capabilities: Capabilities = {
    share: false,
    shareUnsupportedReason: "ZenML has no per-user sharing of a secret: a secret is either private (only its owner sees it) or public (every user of the server). Use Update Secret to make it public.",
    update: 'native',
    rename: true,
    keys: true,
    fileValues: false,
    privateFlag: true,
  };
  private readonly server: string;
  private readonly session_: RenewableToken;
  private infoCache: Promise<ZenmlServerInfo> | undefined;
  /** name → ids seen in the last list (a private and a public secret may share a name). */
  private readonly ids = new Map<string, RawSecret[]>();

  constructor(private readonly o: ZenmlClientOptions) {
    this.server = normaliseZenmlUrl(o.serverUrl);
    redactor.add(o.login?.apiKey);
    redactor.add(o.login?.password);
    const canLogin = !!(o.login?.apiKey || (o.login?.username && o.login.password));
    this.session_ = new RenewableToken(canLogin ? (signal) => zenmlLogin(o.http, this.server, o.login ?? {}, signal) : undefined, o.accessToken || undefined, o.expiresAt, o.onToken, 'No ZenML session: sign in again.');
  }

  /** The current access token and its expiry (to store after sign-in). */
  session(): { token: string; expiresAt?: number } {
    return this.session_.snapshot();
  }

  validateName(name: string): string | undefined {
    return validateZenmlName(name);
  }

  /** POST /api/v1/login (form). API key first (grant zenml-api-key), else username + password. */
  login(signal?: AbortSignal): Promise<string> {
    return this.session_.renew(signal);
  }

  /** An authenticated request; on 401 logs in again once (when it can) and retries. */
  private call(req: Omit<HttpRequest, 'auth'>, signal?: AbortSignal): Promise<HttpResponse> {
    return this.session_.send((token) => this.o.http.request({ ...req, signal, auth: { origins: this.o.origins, header: 'Authorization', value: `Bearer ${token}` } }), signal);
  }

  info(signal?: AbortSignal): Promise<ZenmlServerInfo> {
    if (!this.infoCache) {
      const p = this.call({ url: `${this.server}/api/v1/info`, maxResponseBytes: RESPONSE_CAP.read }, signal).then((res) => {
        if (res.status !== 200) throw zenmlError(res, 'read the server info');
        const b = jsonObject(res, 'ZenML (server info)');
        const s = (v: unknown) => (typeof v === 'string' ? v : undefined);
        return { id: s(b.id), name: s(b.name), version: s(b.version), deploymentType: s(b.deployment_type) };
      });
      this.infoCache = p;
      p.catch(() => {
        if (this.infoCache === p) this.infoCache = undefined;
      });
    }
    return this.infoCache;
  }

  async currentUser(signal?: AbortSignal): Promise<string | undefined> {
    const res = await this.call({ url: `${this.server}/api/v1/current-user`, maxResponseBytes: RESPONSE_CAP.read }, signal);
    if (res.status !== 200) throw zenmlError(res, 'read the current user');
    const b = jsonObject(res, 'ZenML (current user)');
    return typeof b.name === 'string' ? b.name : undefined;
  }

  async listScopes(signal?: AbortSignal): Promise<Scope[]> {
    const info = await this.info(signal);
    const host = new URL(this.server).host;
    return [
      {
        id: 'server',
        label: info.name && info.name !== 'default' ? info.name : host,
        description: `ZenML${info.version ? ` ${info.version}` : ''} · ${host}`,
        ref: {},
        isDefault: true,
        complete: true,
      },
    ];
  }

  /** Every page of GET /api/v1/secrets. */
  private async listRaw(query: Record<string, string>, signal?: AbortSignal): Promise<RawSecret[]> {
    const out: RawSecret[] = [];
    let total: number | undefined;
    const seen = new Set<string>();
    for (let page = 1; page <= MAX_PAGES; page++) {
      const res = await this.call({ url: `${this.server}/api/v1/secrets`, query: { ...query, page: String(page), size: String(PAGE_SIZE) }, maxResponseBytes: RESPONSE_CAP.list }, signal);
      if (res.status !== 200) throw zenmlError(res, 'list secrets');
      const body = res.json(dropValues);
      if (!body || typeof body !== 'object' || !Array.isArray((body as { items?: unknown }).items)) throw new ProtocolError('ZenML answered the secret list without a page of items.');
      const b = body as { items: unknown[]; total_pages?: unknown; total?: unknown };
      let fresh = 0;
      for (const item of b.items) {
        const raw = toRawSecret(item);
        if (seen.has(raw.id)) continue;
        seen.add(raw.id);
        out.push(raw);
        fresh++;
      }
      // The page count is the first page's: a server that keeps raising it, or sends the same page
      // again, does not keep us paging.
      if (total === undefined && typeof b.total_pages === 'number' && Number.isFinite(b.total_pages)) {
        total = b.total_pages;
        if (total > MAX_PAGES) throw new ProtocolError(`ZenML says the secret list has ${Math.round(total)} pages; ML Secrets reads at most ${MAX_PAGES}.`);
      }
      if (!b.items.length || !fresh || total === undefined || page >= total) return out;
    }
    throw new ProtocolError(`ZenML kept sending pages past ${MAX_PAGES}; stopped there.`);
  }

  async listSecrets(_scope: ScopeRef, signal?: AbortSignal): Promise<SecretInfo[]> {
    const raw = await this.listRaw({}, signal);
    this.ids.clear();
    for (const r of raw) this.ids.set(r.name, [...(this.ids.get(r.name) ?? []), r]);
    // A private secret shadows a public one of the same name (ZenML looks private up first).
    const byName = new Map<string, RawSecret>();
    for (const r of raw) {
      const prev = byName.get(r.name);
      if (!prev || (r.private && !prev.private)) byName.set(r.name, r);
    }
    const shown = new Set(byName.values());
    return raw.map((r) => ({
      name: r.name,
      keys: r.keys,
      private: r.private,
      owner: r.owner,
      createdAt: r.created,
      updatedAt: r.updated,
      inaccessible: r.permissionDenied || undefined,
      scope: r.private ? 'private' : 'public',
      shadowed: shown.has(r) ? undefined : true,
    }));
  }

  /**
   * Key names of one secret. Lists don't carry them (values are loaded only by GET-by-id), so they
   * are fetched on demand — when a tree node opens or a reference names a key — not for every
   * secret of every refresh.
   */
  async secretKeys(_scope: ScopeRef, secret: SecretInfo, signal?: AbortSignal): Promise<string[] | undefined> {
    const known = this.ids.get(secret.name)?.find((r) => (secret.private === undefined || r.private === secret.private));
    const target = known ?? (await this.idOf(secret.name, secret.private, signal));
    if (!target) return undefined;
    return this.keysById(target.id, signal);
  }

  private async keysById(id: string, signal?: AbortSignal): Promise<string[] | undefined> {
    const res = await this.call({ url: `${this.server}/api/v1/secrets/${encodeURIComponent(id)}`, query: { hydrate: 'true' }, maxResponseBytes: RESPONSE_CAP.read }, signal);
    if (res.status !== 200) throw zenmlError(res, 'read a secret');
    const raw = toRawSecret(res.json(dropValues));
    // Hydrated, an empty (or absent) values map means the secret has no keys: it lacks every key.
    return raw.permissionDenied ? raw.keys : (raw.keys ?? []);
  }

  /** The secret's id by name: private first (as ZenML resolves), unless `wantPrivate` says which. */
  private async idOf(name: string, wantPrivate?: boolean, signal?: AbortSignal): Promise<RawSecret | undefined> {
    const found = await this.listRaw({ name: `equals:${name}` }, signal);
    const exact = found.filter((r) => r.name === name && (wantPrivate === undefined || r.private === wantPrivate));
    return exact.find((r) => r.private) ?? exact[0];
  }

  async addSecret(_scope: ScopeRef, input: SecretInput, signal?: AbortSignal): Promise<void> {
    const problem = validateZenmlName(input.name);
    if (problem) throw new ValidationError(problem);
    const values = input.values ?? {};
    if (!Object.keys(values).length) throw new ValidationError('A ZenML secret needs at least one key/value pair.');
    for (const k of Object.keys(values)) {
      const bad = validateZenmlKey(k);
      if (bad) throw new ValidationError(bad);
    }
    // The values are held in the redactor for the whole operation (the HTTP layer holds them too,
    // per request): a server or proxy that echoes the body can't put one into a message.
    const release = redactor.hold(Object.values(values));
    try {
      const res = await this.call(
        { method: 'POST', url: `${this.server}/api/v1/secrets`, json: { name: input.name, private: input.private ?? false, values }, publicFields: SECRET_BODY_PUBLIC, maxResponseBytes: RESPONSE_CAP.write },
        signal,
      );
      if (res.status === 409) {
        throw new ConflictError(`A ${input.private ? 'private' : 'public'} secret named '${printable(input.name)}' already exists on this ZenML server; use Update Secret to change it, or choose another name.`);
      }
      if (res.status !== 200 && res.status !== 201) throw zenmlError(res, `create '${printable(input.name)}'`);
      expectSecretResponse(res, `create '${printable(input.name)}'`, input.name);
    } finally {
      release();
    }
  }

  async updateSecret(_scope: ScopeRef, name: string, update: SecretUpdate, signal?: AbortSignal): Promise<void> {
    if (update.value) throw new ValidationError('ZenML secrets hold key/value pairs: give values, not a single value.');
    const target = await this.idOf(name, update.which === undefined ? undefined : update.which === 'private', signal);
    if (!target) throw new NotFoundError(`Secret '${printable(name)}' does not exist on this ZenML server (or is another user's private secret).`);
    if (update.newName !== undefined) {
      const bad = validateZenmlName(update.newName);
      if (bad) throw new ValidationError(bad);
    }
    for (const [k, v] of Object.entries(update.values ?? {})) {
      const bad = v === null ? (k ? undefined : 'A key name is required.') : validateZenmlKey(k);
      if (bad) throw new ValidationError(bad);
    }
    const json: Record<string, unknown> = {};
    if (update.newName !== undefined && update.newName !== name) json.name = update.newName;
    if (update.private !== undefined) json.private = update.private;
    if (update.values && Object.keys(update.values).length) json.values = update.values;
    if (!Object.keys(json).length) throw new ValidationError('Nothing to update: give values, a new name or private.');
    const release = redactor.hold(Object.values(update.values ?? {}).filter((v): v is string => typeof v === 'string'));
    try {
      const res = await this.call(
        { method: 'PUT', url: `${this.server}/api/v1/secrets/${encodeURIComponent(target.id)}`, query: { patch_values: 'true' }, json, publicFields: SECRET_BODY_PUBLIC, maxResponseBytes: RESPONSE_CAP.write },
        signal,
      );
      if (res.status === 409) throw new ConflictError(`A secret named '${printable(update.newName ?? name)}' already exists there; choose another name.`);
      if (res.status !== 200) throw zenmlError(res, `update '${printable(name)}'`);
      expectSecretResponse(res, `update '${printable(name)}'`, update.newName ?? name);
    } finally {
      release();
    }
  }

  async deleteSecret(_scope: ScopeRef, name: string, signal?: AbortSignal, which?: 'private' | 'public'): Promise<DeleteResult> {
    const target = await this.idOf(name, which === undefined ? undefined : which === 'private', signal);
    if (!target) return { alreadyGone: true };
    const res = await this.call({ method: 'DELETE', url: `${this.server}/api/v1/secrets/${encodeURIComponent(target.id)}`, maxResponseBytes: RESPONSE_CAP.write }, signal);
    if (res.status === 404) return { alreadyGone: true };
    if (res.status !== 200 && res.status !== 204) throw zenmlError(res, `delete '${printable(name)}'`);
    // Documented: 200 with `null` (an empty body or the deleted model are tolerated). An HTML page,
    // garbage or anything else is not a delete.
    if (res.text.trim()) {
      const b = res.json(dropValues);
      if (b !== null && (typeof b !== 'object' || Array.isArray(b))) throw new ProtocolError(`ZenML answered the delete of '${printable(name)}' with something other than null; the secret may not have been deleted.`);
    }
    return { alreadyGone: false };
  }

  /** Stacks, their components and the `{{name.key}}` references in their configurations (./stacks.ts). */
  listStacks(signal?: AbortSignal): Promise<StackInfo[]> {
    return listZenmlStacks((req) => this.call(req, signal), this.server);
  }

  scopeFor(_ref: SecretReference): ScopeRef {
    return {};
  }

  reference(_scope: ScopeRef, name: string, key?: string): string {
    return `{{${name}.${key ?? 'KEY'}}}`;
  }

  shareSecret(): never {
    throw new UnsupportedError(this.capabilities.shareUnsupportedReason as string);
  }
}
