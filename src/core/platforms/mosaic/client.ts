// MosaicML (mcli "MAPI") client: one GraphQL endpoint, the API key as the raw Authorization
// header (as mcli sends it), list-shaped results, errors[].extensions.code. docs/platform-apis.md §3.
// Secrets can't be modified: an update is delete + recreate, with type, mount path and env key kept.
// The GraphQL operations and answers are ./graphql.ts; the secret types ./secretTypes.ts.

import { NotFoundError, ProtocolError, UnsupportedError, ValidationError } from '../../errors';
import { HttpClient, RESPONSE_CAP } from '../../http/httpClient';
import { redactor } from '../../redact';
import type { SecretReference } from '../../references/reference';
import { printable } from '../../text';
import { deleteThenRecreate, RecreateOptions } from '../recreate';
import { Capabilities, DeleteResult, PlatformClient, Scope, ScopeRef, SecretInfo, SecretInput, SecretUpdate } from '../types';
import { CREATE_SECRET, DELETE_SECRETS, GET_SECRETS, MosaicItem, normaliseMosaicEndpoint, parseMosaicAnswer } from './graphql';
import { validateMosaicName } from './names';
import { buildCreateInput, MOSAIC_TYPE_SPECS, mosaicDetail, mosaicTypeOf } from './secretTypes';


export class MosaicClient implements PlatformClient {
  readonly platform = 'mosaic' as const;
  readonly capabilities: Capabilities = {
    share: false,
    shareUnsupportedReason: 'MosaicML secrets belong to your user and are injected into every run you start; mcli has no way to share a secret with another user.',
    update: 'recreate',
    keys: false,
    fileValues: true,
    privateFlag: false,
    groupByType: true,
  };
  private readonly endpoint: string;

  constructor(private readonly o: { endpoint: string; apiKey: string; origins: readonly string[]; http: HttpClient }) {
    this.endpoint = normaliseMosaicEndpoint(o.endpoint);
    redactor.add(o.apiKey);
  }

  validateName(name: string): string | undefined {
    return validateMosaicName(name);
  }

  private async gql(query: string, operationName: string, variables: Record<string, unknown>, field: string, what: string, signal?: AbortSignal): Promise<MosaicItem[]> {
    const res = await this.o.http.request({
      method: 'POST',
      url: this.endpoint,
      json: { query, variables, operationName },
      headers: { 'x-mosaicml-client': 'mcli', 'x-mosaicml-client-version': 'ml-secrets' },
      // mcli sends the key verbatim (no "Bearer"); a Databricks PAT arrives already as "Bearer …".
      auth: { origins: this.o.origins, header: 'Authorization', value: this.o.apiKey },
      // Names and metadata (env var name, mount path); every value string is held in the redactor.
      publicFields: ['query', 'operationName', 'variables.getSecretsData', 'variables.createSecretData.*.name', 'variables.createSecretData.*.metadata'],
      idempotent: operationName === 'GetSecrets',
      maxResponseBytes: operationName === 'GetSecrets' ? RESPONSE_CAP.list : RESPONSE_CAP.write,
      signal,
    });
    return parseMosaicAnswer(res, field, what);
  }

  async listScopes(): Promise<Scope[]> {
    return [{ id: 'user', label: 'Your secrets', description: new URL(this.endpoint).host, ref: {}, isDefault: true, complete: true }];
  }

  async listSecrets(_scope: ScopeRef, signal?: AbortSignal): Promise<SecretInfo[]> {
    const items = await this.gql(GET_SECRETS, 'GetSecrets', { getSecretsData: { filters: {} } }, 'getSecrets', 'list secrets', signal);
    return items.map((it) => ({ name: it.name, type: mosaicTypeOf(it) ?? it.type.toLowerCase(), scope: mosaicDetail(it), createdAt: it.createdAt }));
  }

  async addSecret(_scope: ScopeRef, input: SecretInput, signal?: AbortSignal): Promise<void> {
    const problem = validateMosaicName(input.name);
    if (problem) throw new ValidationError(problem);
    const data = buildCreateInput(input);
    const plain = input.value ? Buffer.from(input.value).toString('utf8') : undefined;
    redactor.add(plain);
    for (const v of Object.values(input.values ?? {})) redactor.add(v);
    try {
      const items = await this.gql(CREATE_SECRET, 'CreateSecret', { createSecretData: data }, 'createSecret', `create '${printable(input.name)}'`, signal);
      if (items.length !== 1) throw new ProtocolError(`MosaicML answered the create with ${items.length} items; expected 1.`);
    } finally {
      redactor.remove(plain);
      for (const v of Object.values(input.values ?? {})) redactor.remove(v);
    }
  }

  /**
   * Secrets are not modifiable: delete, then create again with the same type and metadata
   * (src/core/platforms/recreate.ts says why that order, and how the new value is never lost).
   */
  async updateSecret(scope: ScopeRef, name: string, update: SecretUpdate, signal?: AbortSignal): Promise<void> {
    const current = (await this.gql(GET_SECRETS, 'GetSecrets', { getSecretsData: { filters: { name: { in: [name] } } } }, 'getSecrets', `read '${printable(name)}'`, signal)).find((i) => i.name === name);
    if (!current) throw new NotFoundError(`Secret '${printable(name)}' does not exist; use Add Secret to create it.`);
    const type = mosaicTypeOf(current);
    if (!type) throw new UnsupportedError(`Secrets of type ${current.type} can't be recreated by ML Secrets.`);
    // Our own copy: the caller wipes its buffer when the command ends, and a failed re-create must
    // still hold the new value for Retry.
    const value = update.value ? Uint8Array.from(update.value) : undefined;
    const values = update.values ? Object.fromEntries(Object.entries(update.values).filter((e): e is [string, string] => typeof e[1] === 'string')) : undefined;
    const input: SecretInput = { name, type, value, values, extra: {} };
    const meta = MOSAIC_TYPE_SPECS[type].meta;
    const detail = mosaicDetail(current);
    if (meta === 'key') input.extra = { envKey: detail };
    else if (meta === 'mountPath') input.extra = { mountPath: detail };
    else if (meta === 'mountDirectory') input.extra = { mountDirectory: detail };
    buildCreateInput(input); // validate before anything is deleted
    await deleteThenRecreate(
      {
        label: printable(name),
        remove: (s) => this.deleteSecret(scope, name, s),
        create: (s) => this.addSecret(scope, input, s),
        exists: async (s) => (await this.gql(GET_SECRETS, 'GetSecrets', { getSecretsData: { filters: { name: { in: [name] } } } }, 'getSecrets', `read '${printable(name)}'`, s)).some((i) => i.name === name),
        wipe: () => {
          value?.fill(0);
          input.values = undefined;
        },
      },
      signal,
      this.recreateOptions,
    );
  }

  /** Test seam: how the re-create after a delete is retried. */
  recreateOptions: RecreateOptions = {};

  async deleteSecret(_scope: ScopeRef, name: string, signal?: AbortSignal): Promise<DeleteResult> {
    const problem = validateMosaicName(name);
    if (problem) throw new ValidationError(problem);
    // Always by name: empty filters would delete every secret of the user.
    const items = await this.gql(DELETE_SECRETS, 'DeleteSecrets', { getSecretsData: { filters: { name: { in: [name] } } } }, 'deleteSecrets', `delete '${printable(name)}'`, signal);
    return { alreadyGone: !items.some((i) => i.name === name) };
  }

  scopeFor(_ref: SecretReference): ScopeRef {
    return {};
  }

  reference(_scope: ScopeRef, name: string): string {
    return `<<${name}>>`;
  }
}
