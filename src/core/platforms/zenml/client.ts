// ZenML client: form login (password or API key grant), Bearer calls, silent re-login on 401 when
// the connection holds what it takes, paged lists, name → id lookups, patch_values updates.
// docs/platform-apis.md §2.
//
// Values: ZenML returns secret values in its responses (GET by id always, lists sometimes). They are
// dropped while the JSON is parsed — only key names survive — so no value is ever held, cached,
// shown or logged by the extension.

import { AuthError, ConflictError, HttpError, NotFoundError, PermissionError, ProtocolError, UnsupportedError, ValidationError } from '../../errors';
import { HttpClient, HttpRequest, HttpResponse, jsonObject, RESPONSE_CAP } from '../../http/httpClient';
import { parseServiceUrl } from '../../http/urls';
import { RenewableToken } from '../../http/renewableToken';
import { redact, redactor } from '../../redact';
import type { SecretReference } from '../../references/scanner';
import { printable } from '../../text';
import { Capabilities, DeleteResult, PlatformClient, Scope, ScopeRef, SecretInfo, SecretInput, SecretUpdate } from '../types';

export interface ZenmlLogin {
  apiKey?: string;
  username?: string;
  password?: string;
}

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
const NAME_MAX = 255;

export const ZENML_KEY_RULE = 'a Python identifier: letters, digits and _, not starting with a digit (the ZenML CLI requires it)';

export function validateZenmlName(name: string): string | undefined {
  if (!name) return 'A secret name is required.';
  if (name.length > NAME_MAX) return `ZenML secret names are at most ${NAME_MAX} characters (this one has ${name.length}).`;
  if (/[\t\n\r\v\f]/.test(name)) return 'ZenML secret names cannot contain tabs or line breaks.';
  if (name.trim() !== name) return 'A ZenML secret name cannot start or end with spaces.';
  if (name === 'name') return "'name' is reserved by ZenML and can't be a secret name.";
  return undefined;
}

export function validateZenmlKey(key: string): string | undefined {
  if (!key) return 'A key name is required.';
  if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(key)) return `'${printable(key)}' is not a valid key: use ${ZENML_KEY_RULE}.`;
  if (key === 'name') return "'name' is reserved by ZenML and can't be a key.";
  return undefined;
}

/** The server root a user types, without a trailing slash or /api/v1. */
export function normaliseZenmlUrl(url: string): string {
  const u = parseServiceUrl(url, 'server URL', 'https://zenml.example.com');
  return u.toString().replace(/\/+$/, '').replace(/\/api\/v1$/, '');
}

/** The JSON.parse reviver that replaces every `values` map by its key names (values → null). */
export function dropValues(key: string, v: unknown): unknown {
  if (key === 'values' && v && typeof v === 'object' && !Array.isArray(v)) {
    const keys: Record<string, null> = {};
    for (const k of Object.keys(v as object)) keys[k] = null;
    return keys;
  }
  return v;
}

/** JSON.parse that replaces every `values` map by its key names (values → null) while parsing. */
export function parseDroppingValues(text: string): unknown {
  return JSON.parse(text, dropValues);
}

/** What a request body holds that is a name, not a secret (everything else is held in the redactor). */
const SECRET_BODY_PUBLIC = ['name', 'private'];

interface RawSecret {
  id: string;
  name: string;
  permissionDenied: boolean;
  private?: boolean;
  created?: string;
  updated?: string;
  keys?: string[];
  owner?: string;
}

function toRawSecret(item: unknown): RawSecret {
  if (!item || typeof item !== 'object') throw new ProtocolError('ZenML sent a secret that is not an object.');
  const it = item as Record<string, unknown>;
  if (typeof it.id !== 'string' || typeof it.name !== 'string') throw new ProtocolError('ZenML sent a secret without an id or a name.');
  const body = (it.body && typeof it.body === 'object' ? it.body : {}) as Record<string, unknown>;
  const user = ((it.resources as Record<string, unknown> | undefined)?.user ?? undefined) as Record<string, unknown> | undefined;
  const values = body.values;
  return {
    id: it.id,
    name: it.name,
    permissionDenied: it.permission_denied === true,
    private: typeof body.private === 'boolean' ? body.private : undefined,
    created: typeof body.created === 'string' ? body.created : undefined,
    updated: typeof body.updated === 'string' ? body.updated : undefined,
    // An empty map is what an unhydrated list sends: unknown, not "no keys" (a secret always has one).
    keys: values && typeof values === 'object' && !Array.isArray(values) && Object.keys(values as object).length ? Object.keys(values as object).sort() : undefined,
    owner: typeof user?.name === 'string' ? user.name : undefined,
  };
}

export class ZenmlClient implements PlatformClient {
  readonly platform = 'zenml' as const;
  readonly capabilities: Capabilities = {
    share: false,
    shareUnsupportedReason: "ZenML has no per-user sharing of a secret: a secret is either private (only its owner sees it) or public (every user of the server). Use Update Secret to make it public.",
    update: 'native',
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

/** POST /api/v1/login; returns the token and when it expires. */
export async function zenmlLogin(http: HttpClient, server: string, login: ZenmlLogin, signal?: AbortSignal): Promise<{ token: string; expiresAt?: number }> {
  let form: Record<string, string>;
  if (login.apiKey) {
    redactor.add(login.apiKey);
    form = { grant_type: 'zenml-api-key', password: login.apiKey };
  } else if (login.username && login.password !== undefined) {
    redactor.add(login.password);
    form = { grant_type: 'password', username: login.username, password: login.password };
  } else {
    throw new AuthError('No ZenML credentials to log in with: sign in again.');
  }
  const res = await http.request({ method: 'POST', url: `${server}/api/v1/login`, form, publicFields: ['grant_type', 'username'], confidential: true, signal, idempotent: false, maxResponseBytes: RESPONSE_CAP.auth });
  if (res.status === 401 || res.status === 403) {
    throw new AuthError(login.apiKey ? 'ZenML did not accept the API key.' : `ZenML did not accept the user name and password for '${printable(login.username ?? '')}'.`);
  }
  if (res.status === 429) throw new HttpError(429, 'ZenML is rate-limiting logins (5 a minute by default); try again in a minute.');
  if (res.status === 404 || res.status === 405) {
    throw new NotFoundError(`${server}/api/v1/login answered ${res.status} (${res.status === 404 ? 'Not Found' : 'Method Not Allowed'}): ${server} is not a ZenML server. Expected the server root that \`zenml login\` uses, like https://zenml.example.com.`);
  }
  if (res.status !== 200) throw zenmlError(res, 'log in');
  const b = jsonObject(res, 'ZenML (login)');
  if (typeof b.access_token !== 'string' || !b.access_token) {
    if (typeof b.authorization_url === 'string') throw new UnsupportedError('This ZenML server signs in through a browser (external authentication); use an API key instead.');
    throw new ProtocolError('ZenML answered the login without an access token.');
  }
  redactor.add(b.access_token);
  const expiresAt = typeof b.expires_in === 'number' ? Date.now() + b.expires_in * 1000 : undefined;
  return { token: b.access_token, expiresAt };
}

/** A write's answer: the SecretResponse the API documents (an object with an id and a name). */
function expectSecretResponse(res: HttpResponse, action: string, name: string): void {
  const b = jsonObject(res, `ZenML (${action})`, dropValues);
  if (typeof b.id !== 'string' || b.name !== name) throw new ProtocolError(`ZenML answered the request to ${action} without the secret it should describe; the change may not have been made.`);
}

/** Maps a ZenML answer to a typed error with the server's own (redacted) message. */
export function zenmlError(res: HttpResponse, action: string): Error {
  let cls: string | undefined;
  let msg: string | undefined;
  try {
    const body = parseDroppingValues(res.text) as { detail?: unknown };
    const d = body?.detail;
    if (Array.isArray(d) && d.length === 2 && typeof d[0] === 'string' && typeof d[1] === 'string') {
      // detail[0] is a Python exception class name; anything else there is not quoted.
      cls = /^[A-Za-z_][A-Za-z0-9_.]{0,80}$/.test(d[0]) ? d[0] : undefined;
      msg = d[1];
    } else if (Array.isArray(d)) {
      msg = d
        .map((x) => (x && typeof x === 'object' ? `${Array.isArray((x as { loc?: unknown }).loc) ? `${((x as { loc: unknown[] }).loc).join('.')}: ` : ''}${String((x as { msg?: unknown }).msg ?? '')}` : String(x)))
        .join('; ');
    } else if (typeof d === 'string') msg = d;
  } catch {
    /* not JSON */
  }
  const server = msg ? redact(msg).slice(0, 300) : undefined;
  const suffix = server ? `: ${server}` : '.';
  switch (res.status) {
    case 401:
      return new AuthError(`ZenML did not accept the session (401) when trying to ${action}. Sign in again.`);
    case 403:
      return new PermissionError(`ZenML refused to ${action}${suffix}`);
    case 404:
      return new NotFoundError(`Not found while trying to ${action}${suffix}`, server);
    case 409:
      return new ConflictError(`Conflict while trying to ${action}${suffix}`, server);
    case 400:
    case 422:
      return new HttpError(res.status, `ZenML rejected the request to ${action}${suffix}`, server);
    case 501:
      return new UnsupportedError(`This ZenML server can't ${action}${suffix}`);
    default:
      return new HttpError(res.status, res.status >= 500 ? `ZenML had a server error (${res.status}${cls ? ` ${cls}` : ''}) trying to ${action}${suffix}` : `Unexpected answer ${res.status} trying to ${action}${suffix}`, server);
  }
}

