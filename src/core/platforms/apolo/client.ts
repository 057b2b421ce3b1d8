// Apolo / Neu.ro client: platform-api's GET /config for discovery, platform-secrets for the secrets,
// the auth service's /users/{user}/permissions for sharing. docs/platform-apis.md §1. Discovery is
// ./config.ts, the error mapping ./apoloError.ts.

import { NotFoundError, ProtocolError, ValidationError } from '../../errors';
import { HttpAuth, HttpClient, HttpResponse, RESPONSE_CAP } from '../../http/httpClient';
import { jsonObject } from '../../http/bodies';
import { redactor } from '../../redact';
import { AccessGrant, Capabilities, DeleteResult, Permission, PlatformClient, PlatformId, Scope, ScopeRef, SecretInfo, SecretInput, SharedSecret, ShareResult } from '../types';
import { printable } from '../../text';
import { APOLO_ACTIONS, validateApoloKey, validateApoloUser } from './names';
import type { SecretReference } from '../../references/reference';
import { apoloError } from './apoloError';
import { ApoloServerConfig, fetchApoloConfig, normaliseApoloUrl } from './config';
import { jwtUser } from '../../connections';
import { grantsOn, myPermissions, revokeGrant, secretUri, sharedIn, sharedSecrets, SharingContext, userPath } from './sharing';


export interface ApoloClientOptions {
  platform: 'apolo' | 'neuro';
  apiUrl: string;
  token: string;
  /** The origins the token is bound to (the API's, plus service origins recorded at sign-in). */
  origins: readonly string[];
  http: HttpClient;
  cluster?: string;
  org?: string;
  project?: string;
}

function str(v: unknown): string | undefined {
  return typeof v === 'string' && v.length > 0 ? v : undefined;
}

export class ApoloClient implements PlatformClient {
  readonly platform: PlatformId;
  readonly capabilities: Capabilities = { share: true, update: 'replace', keys: false, fileValues: true, privateFlag: false, createdAt: false };
  private readonly apiUrl: string;
  private readonly auth: HttpAuth;
  private configPromise: Promise<ApoloServerConfig> | undefined;
  readonly defaults: { cluster?: string; org?: string; project?: string };

  constructor(private readonly o: ApoloClientOptions) {
    this.platform = o.platform;
    this.apiUrl = normaliseApoloUrl(o.apiUrl);
    this.auth = { origins: o.origins, header: 'Authorization', value: `Bearer ${o.token}` };
    redactor.add(o.token);
    this.defaults = { cluster: o.cluster, org: o.org, project: o.project };
  }

  validateName(name: string): string | undefined {
    return validateApoloKey(name);
  }

  /** GET {api}/config with the token; cached until invalidate(). */
  config(signal?: AbortSignal): Promise<ApoloServerConfig> {
    if (!this.configPromise) {
      const p = fetchApoloConfig(this.o.http, this.apiUrl, this.auth, signal);
      this.configPromise = p;
      p.catch(() => {
        if (this.configPromise === p) this.configPromise = undefined;
      });
    }
    return this.configPromise;
  }

  invalidate(): void {
    this.configPromise = undefined;
  }

  async listScopes(signal?: AbortSignal): Promise<Scope[]> {
    const cfg = await this.config(signal);
    const { cluster, org, project } = this.defaults;
    const scopes: Scope[] = [];
    const seen = new Set<string>();
    const add = (ref: Required<Pick<ScopeRef, 'cluster' | 'org' | 'project'>>, role: string | undefined, complete: boolean) => {
      const id = scopeId(ref);
      if (seen.has(id)) return;
      seen.add(id);
      const isDefault = ref.cluster === cluster && ref.org === org && ref.project === project;
      scopes.push({ id, label: ref.project, description: `${ref.org} · ${ref.cluster}${role ? ` · ${role}` : ''}`, ref, isDefault, role, complete });
    };
    if (cluster && org && project) {
      const own = cfg.projects.find((p) => p.cluster === cluster && p.org === org && p.name === project);
      add({ cluster, org, project }, own?.role, !!own);
    }
    for (const p of cfg.projects) {
      if ((cluster && p.cluster !== cluster) || (org && p.org !== org)) continue;
      add({ cluster: p.cluster, org: p.org, project: p.name }, p.role, true);
    }
    return scopes;
  }

  /**
   * A project you are a member of: the secrets service's list. Elsewhere (another project, a user's
   * namespace `secret://CLUSTER/USER`) also what was shared with you there (docs/platform-apis.md
   * §1.8): a grant below read is a secret that exists but that you can't read.
   */
  async listSecrets(scope: ScopeRef, signal?: AbortSignal): Promise<SecretInfo[]> {
    if (scope.cluster && scope.org && !scope.project) return sharedIn(await this.sharedWithMe(signal), scope);
    const cfg = await this.config(signal);
    const { cluster, org, project } = this.resolve(scope);
    if (cfg.projects.some((p) => p.cluster === cluster && p.org === org && p.name === project)) return this.listProject(scope, signal);
    const [listed, shared] = await Promise.allSettled([this.listProject(scope, signal), this.sharedWithMe(signal)]);
    const granted = shared.status === 'fulfilled' ? sharedIn(shared.value, { cluster, org, project }) : [];
    // The service's own answer (an error too) stands unless shares say more.
    if (listed.status === 'rejected' && !granted.length) throw listed.reason;
    const out = listed.status === 'fulfilled' ? listed.value : [];
    const names = new Set(out.map((s) => s.name));
    for (const s of granted) if (!names.has(s.name)) out.push(s);
    return out;
  }

  async sharedWithMe(signal?: AbortSignal): Promise<SharedSecret[]> {
    const ctx = this.sharing();
    const [cfg, perms] = await Promise.all([this.config(signal), myPermissions(ctx, this.defaults.cluster, signal)]);
    return sharedSecrets(perms, ctx.me as string, cfg);
  }

  whoHasAccess(scope: ScopeRef, name: string, signal?: AbortSignal): Promise<AccessGrant[]> {
    const problem = validateApoloKey(name);
    if (problem) return Promise.reject(new ValidationError(problem));
    return grantsOn(this.sharing(), secretUri(this.resolve(scope), name), signal);
  }

  revokeAccess(scope: ScopeRef, name: string, user: string, signal?: AbortSignal): Promise<DeleteResult> {
    const problem = validateApoloKey(name);
    if (problem) return Promise.reject(new ValidationError(problem));
    return revokeGrant(this.sharing(), user, secretUri(this.resolve(scope), name), signal);
  }

  private sharing(): SharingContext {
    return { http: this.o.http, apiUrl: this.apiUrl, auth: this.auth, me: jwtUser(this.o.token) };
  }

  private async listProject(scope: ScopeRef, signal?: AbortSignal): Promise<SecretInfo[]> {
    const { url, org, project } = await this.secretsEndpoint(scope, signal);
    const res = await this.o.http.request({ url, query: { org_name: org, project_name: project }, auth: this.auth, signal, maxResponseBytes: RESPONSE_CAP.list });
    if (res.status !== 200) throw this.error(res, `list the secrets of ${org}/${project}`);
    const body = res.json();
    if (!Array.isArray(body)) throw new ProtocolError(`The secrets service answered with ${typeof body} instead of a list.`);
    const out: SecretInfo[] = [];
    for (const item of body) {
      if (!item || typeof item !== 'object') throw new ProtocolError('The secrets service sent a list item that is not an object.');
      const it = item as Record<string, unknown>;
      if (typeof it.key !== 'string' || !it.key) throw new ProtocolError('The secrets service sent a secret without a name.');
      // Values are never part of a list; if a server sends one anyway, it is dropped here, unread.
      const itemOrg = str(it.org_name) ?? org;
      const itemProject = str(it.project_name) ?? project;
      out.push({ name: it.key, owner: str(it.owner), scope: `${itemOrg}/${itemProject}` });
    }
    return out;
  }

  async addSecret(scope: ScopeRef, input: SecretInput, signal?: AbortSignal): Promise<void> {
    const problem = validateApoloKey(input.name);
    if (problem) throw new ValidationError(problem);
    if (!input.value) throw new ValidationError('A value is required.');
    const b64 = Buffer.from(input.value).toString('base64');
    if (b64.length > 1_048_576) throw new ValidationError(`The value is too large for Apolo: at most about 768 KiB (this one is ${Math.round(input.value.length / 1024)} KiB).`);
    const { url, org, project } = await this.secretsEndpoint(scope, signal);
    const plain = Buffer.from(input.value).toString('utf8');
    redactor.add(plain);
    redactor.add(b64);
    try {
      const res = await this.o.http.request({
        method: 'POST',
        url,
        json: { key: input.name, value: b64, org_name: org, project_name: project },
        publicFields: ['key', 'org_name', 'project_name'],
        auth: this.auth,
        signal,
        maxResponseBytes: RESPONSE_CAP.write,
      });
      if (res.status !== 201 && res.status !== 200) throw this.error(res, `save '${input.name}' in ${org}/${project}`);
      // Documented: 201 {key, owner, org_name, project_name}. A sign-in page or garbage is not a save.
      const body = jsonObject(res, 'The secrets service');
      if (body.key !== input.name) throw new ProtocolError(`The secrets service answered the save of '${input.name}' without naming that secret; the value may not have been saved.`);
    } finally {
      redactor.remove(plain);
      redactor.remove(b64);
    }
  }

  async deleteSecret(scope: ScopeRef, name: string, signal?: AbortSignal): Promise<DeleteResult> {
    const problem = validateApoloKey(name);
    if (problem) throw new ValidationError(problem);
    const { url, org, project } = await this.secretsEndpoint(scope, signal);
    const res = await this.o.http.request({ method: 'DELETE', url: `${url}/${encodeURIComponent(name)}`, query: { org_name: org, project_name: project }, auth: this.auth, signal, maxResponseBytes: RESPONSE_CAP.write });
    if (res.status === 204 || res.status === 200) {
      // Documented: 204 with an empty body. A 200 with a body (a sign-in page, garbage, anything) is
      // not the secrets service saying it deleted.
      if (res.text.trim()) throw new ProtocolError(`The secrets service answered the delete of '${name}' with a body it doesn't send (${res.status}); the secret may not have been deleted.`);
      return { alreadyGone: false };
    }
    if (res.status === 404) return { alreadyGone: true };
    throw this.error(res, `delete '${name}' from ${org}/${project}`);
  }

  async shareSecret(scope: ScopeRef, name: string, user: string, permission: Permission, signal?: AbortSignal): Promise<ShareResult> {
    const problem = validateApoloKey(name) ?? validateApoloUser(user);
    if (problem) throw new ValidationError(problem);
    const { cluster, org, project } = this.resolve(scope);
    const uri = `secret://${cluster}/${org}/${project}/${name}`;
    const path = userPath(user);
    const res = await this.o.http.request({
      method: 'POST',
      url: `${this.apiUrl}/users/${path}/permissions`,
      json: [{ uri, action: permission }],
      publicFields: ['*'],
      auth: this.auth,
      signal,
      maxResponseBytes: RESPONSE_CAP.write,
    });
    if (res.status !== 201) throw this.error(res, `share '${name}' with ${printable(user)}`);
    // Documented: 201 [{uri, action}].
    const body = res.json();
    const first = Array.isArray(body) ? (body[0] as Record<string, unknown> | undefined) : undefined;
    if (!first || typeof first !== 'object' || typeof first.action !== 'string') {
      throw new ProtocolError(`The auth service answered the share of '${name}' without the permission it granted; check it with the CLI.`);
    }
    if (!APOLO_ACTIONS.includes(first.action)) throw new ProtocolError(`The auth service granted an unknown permission for '${name}'.`);
    const granted = first.action;
    return { granted, requested: permission, uri, alreadyHigher: APOLO_ACTIONS.indexOf(granted) > APOLO_ACTIONS.indexOf(permission) };
  }

  reference(scope: ScopeRef, name: string): string {
    const { cluster, org, project } = this.defaults;
    if (!scope.project || (scope.project === project && (!scope.org || scope.org === org) && (!scope.cluster || scope.cluster === cluster))) return `secret:${name}`;
    if ((!scope.org || scope.org === org) && (!scope.cluster || scope.cluster === cluster)) return `secret:/${scope.project}/${name}`;
    return `secret://${scope.cluster ?? cluster}/${scope.org ?? org}/${scope.project}/${name}`;
  }

  scopeFor(ref: SecretReference): ScopeRef | { unverified: string } {
    const { cluster, org, project } = this.defaults;
    if (ref.syntax !== 'apolo' || ref.form === 'short' || !ref.form) {
      if (!cluster || !org || !project) return { unverified: 'this connection has no project chosen; sign in again to pick one.' };
      return { cluster, org, project };
    }
    if (ref.form === 'project') {
      if (!cluster || !org) return { unverified: 'this connection has no cluster and org chosen; sign in again.' };
      return { cluster, org, project: ref.project };
    }
    return { cluster: ref.cluster, org: ref.org, project: ref.project };
  }

  private resolve(scope: ScopeRef): { cluster: string; org: string; project: string } {
    const cluster = scope.cluster ?? this.defaults.cluster;
    const org = scope.org ?? this.defaults.org;
    const project = scope.project ?? this.defaults.project;
    if (!cluster || !org || !project) throw new ValidationError('This connection has no cluster, org and project chosen; sign in again to pick them.');
    return { cluster, org, project };
  }

  private async secretsEndpoint(scope: ScopeRef, signal?: AbortSignal): Promise<{ url: string; org: string; project: string }> {
    const { cluster, org, project } = this.resolve(scope);
    const cfg = await this.config(signal);
    const c = cfg.clusters.find((x) => x.name === cluster);
    if (!c) throw new NotFoundError(`Cluster '${printable(cluster)}' is not in this server's configuration for your user.`);
    let url: URL;
    try {
      // Without a secrets_url the service is where platform-api mounts it: {api}/secrets.
      url = new URL(c.secretsUrl ?? `${this.apiUrl}/secrets`);
    } catch {
      throw new ProtocolError(`Cluster '${printable(cluster)}' has an invalid secrets URL.`);
    }
    if (!this.auth.origins.includes(url.origin)) {
      throw new ProtocolError(`The secrets service of cluster '${printable(cluster)}' is at ${url.origin}, which this sign-in is not bound to. Sign in again to allow it.`);
    }
    return { url: url.toString().replace(/\/+$/, ''), org, project };
  }

  private error(res: HttpResponse, action: string): Error {
    return apoloError(res, action);
  }
}

export function scopeId(ref: ScopeRef): string {
  return `${ref.cluster ?? ''}/${ref.org ?? ''}/${ref.project ?? ''}`;
}
