// Add, update, delete, share, list, copy a reference.

import * as fs from 'node:fs/promises';
import * as vscode from 'vscode';
import { ConnectionRecord } from '../core/connections';
import { ConflictError, describeError, NotFoundError, UnsupportedError, ValidationError } from '../core/errors';
import { MOSAIC_TYPES } from '../core/platforms/mosaic/client';
import { RecreateFailedError } from '../core/platforms/recreate';
import { redact } from '../core/redact';
import { printable } from '../core/text';
import { Permission, PERMISSIONS, PlatformClient, PLATFORM_NAMES, Scope, ScopeRef, SecretInfo, SecretInput } from '../core/platforms/types';
import { scopeKey } from '../model/secretsModel';
import { inScope, scopeLabelFor, scopeLabelOf } from '../core/platforms/scopeLabels';
import { WorkspaceReferenceIndex } from '../language/referenceIndex';
import { CommandTable, Invocation, optString, pickConnection, reqString, requireTrust, Services, tell, withCancellableProgress } from './common';
import { addKeyed, updateKeyed } from './keyedSecrets';
import { mapLimit } from '../core/concurrency';
import { flyteInput, mosaicInput } from './typedSecrets';

const MAX_FILE_VALUE_BYTES = 4 * 1024 * 1024;

export const SECRET_COMMANDS: CommandTable = {
  'mlSecrets.addSecret': { title: 'Add secret', run: (s, inv) => saveSecret(s, inv, 'add') },
  'mlSecrets.updateSecret': { title: 'Update secret', run: (s, inv) => saveSecret(s, inv, 'update') },
  'mlSecrets.deleteSecret': { title: 'Delete secret', run: deleteSecret },
  'mlSecrets.shareSecret': { title: 'Share secret', run: shareSecret },
  'mlSecrets.listSecrets': { title: 'List secrets', run: listSecrets },
  'mlSecrets.copyReference': { title: 'Copy reference', run: copyReference },
};

export interface Target {
  rec: ConnectionRecord;
  scopes: Scope[];
  client: PlatformClient;
  scope: ScopeRef;
  scopeLabel: string;
  known?: Scope;
}

/** The connection's client and the scope the command acts on (tree node, `project` arg, or the default). */
async function target(s: Services, inv: Invocation, askScope = false): Promise<Target | undefined> {
  const rec = await pickConnection(s, inv);
  if (!rec) return undefined;
  const st = await s.model.ensureConnection(rec.label);
  if (st.kind === 'signedOut') throw new ValidationError(`Connection '${rec.label}' is signed out; sign in again first.`);
  if (st.kind === 'error') throw st.error instanceof Error ? st.error : new Error(String(st.error));
  if (st.kind !== 'ready') throw new Error(`Connection '${rec.label}' is not ready.`);
  const node = inv.node;
  let scope: ScopeRef | undefined = node && (node.kind === 'scope' || node.kind === 'secret' || node.kind === 'key' || node.kind === 'group') ? node.scope.ref : undefined;
  const project = optString(inv.args, 'project');
  const domain = optString(inv.args, 'domain');
  if (rec.platform === 'flyte') {
    // Flyte scopes are org / domain / project+domain. From the palette or the connection's +, the
    // user picks one, the connection's own scope first; with an argument object, like the flyte
    // CLI, no project or domain means org-wide. (A project without a domain is refused by the
    // client, as by the service.)
    if (!scope && !project && !domain && askScope && inv.interactive) {
      scope = await pickFlyteScope(rec, st.scopes);
      if (!scope) return undefined;
    }
    if (!scope) scope = { org: rec.scope.org, project, domain };
  } else if (!scope && project) scope = { ...rec.scope, project };
  if (!scope) scope = st.scopes.find((x) => x.isDefault)?.ref ?? rec.scope;
  const known = st.scopes.find((x) => scopeKey(x.ref) === scopeKey(scope as ScopeRef));
  const scopeLabel = scopeLabelFor(st.client, scope) ?? rec.label;
  return { rec, client: st.client, scope, scopeLabel, known, scopes: st.scopes };
}

/** Which Flyte scope (interactive): the connection's own project/domain first, then domain, org. */
async function pickFlyteScope(rec: ConnectionRecord, scopes: Scope[]): Promise<ScopeRef | undefined> {
  const own: ScopeRef = { org: rec.scope.org, project: rec.scope.project, domain: rec.scope.domain };
  const items: Array<vscode.QuickPickItem & { ref: ScopeRef }> = [];
  const seen = new Set<string>();
  const add = (ref: ScopeRef, description: string) => {
    const k = scopeKey(ref);
    if (seen.has(k)) return;
    seen.add(k);
    items.push({ label: scopeLabelOf(ref), description, ref });
  };
  const def = scopes.find((x) => x.isDefault)?.ref ?? (own.project && own.domain ? own : undefined);
  if (def) add(def, "this connection's project and domain — jobs there see it first");
  for (const sc of scopes) add(sc.ref, sc.ref.project ? 'project and domain' : sc.ref.domain ? 'every project in this domain' : 'every project and domain of the org');
  if (own.domain) add({ org: own.org, domain: own.domain }, 'every project in this domain');
  add({ org: own.org }, 'every project and domain of the org');
  const pick = await vscode.window.showQuickPick(items, { title: `Where should the secret live? (${rec.label})`, placeHolder: 'Scope: a project and domain, a whole domain, or org-wide', ignoreFocusOut: true });
  return pick?.ref;
}

/** "flytesnacks/development (flyte-demo)", or just the connection when the scope is the connection. */
function placeOf(t: Target): string {
  return t.scopeLabel === t.rec.label ? t.rec.label : `${t.scopeLabel} (${t.rec.label})`;
}

async function currentSecrets(s: Services, t: Target): Promise<SecretInfo[] | undefined> {
  const ls = await s.model.ensureList(t.rec.label, t.scope);
  return ls.kind === 'ok' ? ls.secrets : undefined;
}

async function readValueFile(file: string): Promise<Uint8Array> {
  let stat;
  try {
    stat = await fs.stat(file);
  } catch {
    throw new ValidationError(`Can't read ${printable(file)}: no such file.`);
  }
  if (!stat.isFile()) throw new ValidationError(`${printable(file)} is not a file.`);
  if (stat.size > MAX_FILE_VALUE_BYTES) throw new ValidationError(`${printable(file)} is too large (${Math.round(stat.size / 1024)} KiB).`);
  return new Uint8Array(await fs.readFile(file));
}

async function saveSecret(s: Services, inv: Invocation, mode: 'add' | 'update'): Promise<void> {
  requireTrust(mode === 'add' ? 'Adding a secret' : 'Updating a secret');
  const t = await target(s, inv, true);
  if (!t) return;
  const verb = mode === 'add' ? 'Add' : 'Update';

  let name = inv.node?.kind === 'secret' || inv.node?.kind === 'key' ? inv.node.secret.name : reqString(inv, 'name', 'the secret name');
  if (name !== undefined) {
    const bad = t.client.validateName(name);
    if (bad && !inv.interactive) throw new ValidationError(bad);
  }
  if (!name || (inv.interactive && t.client.validateName(name))) {
    name = await vscode.window.showInputBox({
      title: `${verb} a secret — ${placeOf(t)}`,
      prompt: 'Secret name',
      value: name,
      ignoreFocusOut: true,
      validateInput: (v) => t.client.validateName(v),
    });
    if (!name) return;
  }

  const existing = await currentSecrets(s, t);
  const current = existing?.find((x) => x.name === name && !x.shadowed);
  const exists = !!current;
  if (t.client.capabilities.keys) {
    // Secrets with named keys (ZenML): a name clash is the server's call (a private and a public
    // secret may share a name); its 409 says so plainly.
    if (mode === 'update' && existing && !exists) throw new NotFoundError(`Secret '${printable(name)}' does not exist ${inScope(t.scopeLabel)}; use Add Secret to create it.`);
    const keys = current && mode === 'update' ? await s.model.ensureKeys(t.rec.label, t.scope, current) : undefined;
    const done = mode === 'add' ? await addKeyed(s, inv, t, name) : await updateKeyed(s, inv, t, name, keys?.kind === 'ok' ? keys.keys : [], current?.private);
    if (!done) return;
    await s.model.reloadList(t.rec.label, t.scope);
    if (mode === 'add') tell(`Added secret '${printable(name)}' ${inScope(t.scopeLabel)}.`);
    return;
  }
  if (mode === 'add' && exists) {
    if (!inv.interactive) throw new ConflictError(`Secret '${printable(name)}' already exists ${inScope(t.scopeLabel)}; use Update Secret to replace its value.`);
    const go = await vscode.window.showWarningMessage(`Secret '${printable(name)}' already exists ${inScope(t.scopeLabel)}. Replace its value?`, { modal: true }, 'Replace');
    if (go !== 'Replace') return;
  }
  if (mode === 'update' && existing && !exists) {
    throw new NotFoundError(`Secret '${printable(name)}' does not exist ${inScope(t.scopeLabel)}; use Add Secret to create it.`);
  }

  let value: Uint8Array | undefined;
  const valueArg = inv.args.value;
  if (valueArg !== undefined && valueArg !== null) {
    if (typeof valueArg !== 'string') throw new ValidationError("'value' must be a string.");
    value = new TextEncoder().encode(valueArg);
  }
  const valueFile = optString(inv.args, 'valueFile');
  if (!value && valueFile) value = await readValueFile(valueFile);

  // Typed platforms collect their own fields (MosaicML types, Flyte image-pull secrets).
  let input: SecretInput | undefined;
  const platform = t.client.platform;
  if (platform === 'mosaic') {
    // An update keeps the type and where the secret lands (env name, mount path); only the value(s)
    // are asked for, the way that type needs them (a key file, registry credentials…).
    const keep = mode === 'update' && current && (MOSAIC_TYPES as readonly string[]).includes(current.type ?? '') ? { type: current.type, envKey: current.scope, mountPath: current.scope, mountDirectory: current.scope } : {};
    input = await mosaicInput({ ...inv, args: { ...inv.args, ...keep } }, name, value);
    if (!input) return;
  } else if (platform === 'flyte') {
    const currentType = current?.type === 'image pull' ? 'image_pull' : undefined;
    input = await flyteInput(inv, t, name, value, mode === 'update' ? currentType : undefined);
    if (!input) return;
    value = input.value;
  }
  const needsValue = !input || (!input.values && !input.value);
  if (needsValue && !value && !inv.interactive) throw new ValidationError("Missing 'value' or 'valueFile' in the argument object.");
  if (needsValue && !value) {
    const how = t.client.capabilities.fileValues
      ? await vscode.window.showQuickPick(
          [
            { label: '$(key) Type the value', id: 'type' },
            { label: "$(file) Use a file's contents", description: "like the CLI's @file", id: 'file' },
          ],
          { title: `${verb} secret '${name}'`, ignoreFocusOut: true },
        )
      : { id: 'type' };
    if (!how) return;
    if (how.id === 'file') {
      const uris = await vscode.window.showOpenDialog({ canSelectMany: false, openLabel: 'Use as secret value' });
      if (!uris?.[0]) return;
      value = await readValueFile(uris[0].fsPath);
    } else {
      const typed = await vscode.window.showInputBox({
        title: `${verb} secret '${name}' ${inScope(t.scopeLabel)}`,
        prompt: 'Value (hidden; sent to the platform and never stored or shown by ML Secrets)',
        password: true,
        ignoreFocusOut: true,
        validateInput: (v) => (v.length ? undefined : 'A value is required.'),
      });
      if (typed === undefined) return;
      value = new TextEncoder().encode(typed);
    }
  }
  const final: SecretInput = input ? { ...input, value: input.value ?? value } : { name, value };

  const how = t.client.capabilities.update;
  if (mode === 'update' && how === 'recreate' && inv.interactive) {
    const go = await vscode.window.showWarningMessage(
      `Replace the value of '${printable(name)}'?`,
      {
        modal: true,
        detail:
          `${PLATFORM_NAMES[t.rec.platform]} can't modify a secret or read its value back, so an update deletes '${printable(name)}' and creates it again with the new value (same type, mount path and env name). ` +
          'If creating it again fails, the old value is gone: ML Secrets keeps the new value in memory (never on disk) and offers Retry until it is saved or you discard it.',
      },
      'Delete and Recreate',
    );
    if (go !== 'Delete and Recreate') return;
  }
  const doIt = (signal?: AbortSignal) =>
    mode === 'update' && how !== 'replace' && t.client.updateSecret
      ? t.client.updateSecret(t.scope, name as string, { value: final.value, values: final.values }, signal)
      : t.client.addSecret(t.scope, final, signal);
  try {
    if (inv.interactive) await withCancellableProgress(`Saving secret '${name}'…`, doIt);
    else await doIt();
  } catch (e) {
    if (!(e instanceof RecreateFailedError)) throw e;
    await s.model.reloadList(t.rec.label, t.scope).catch(() => undefined);
    if (!inv.interactive) {
      // The caller still has the value it passed; nothing is kept here.
      e.discard();
      throw e;
    }
    if (!(await offerRecreateRetry(s, e, name, t.scopeLabel))) return;
  } finally {
    final.value?.fill(0);
  }
  const recreated = mode === 'update' && how === 'recreate';
  s.log.info(`${mode === 'add' ? 'Added' : recreated ? 'Recreated' : 'Updated'} secret '${name}' ${inScope(t.scopeLabel)} (${t.rec.label}).`);
  await s.model.reloadList(t.rec.label, t.scope);
  tell(
    recreated
      ? `${PLATFORM_NAMES[t.rec.platform]} secrets can't be modified, so '${printable(name)}' was deleted and created again with the new value.`
      : `${mode === 'add' ? 'Added' : 'Updated'} secret '${printable(name)}' ${inScope(t.scopeLabel)}.`,
  );
}

/**
 * The old secret was deleted and the new value couldn't be created: offer Retry until it is saved
 * or the user discards it. The value stays inside the error (memory only). True once it is saved.
 */
async function offerRecreateRetry(s: Services, failure: RecreateFailedError, name: string, scopeLabel: string): Promise<boolean> {
  let e: unknown = failure;
  for (;;) {
    s.log.error(`Update of '${name}' in ${scopeLabel}: ${redact(describeError(e))}`);
    const pick = await vscode.window.showErrorMessage(
      `'${printable(name)}' was deleted from ${scopeLabel}, but creating it again failed (${redact(describeError(failure.reason))}). The new value is kept in memory only.`,
      { modal: true, detail: 'Retry creates the secret with the new value. Discard forgets the new value: the secret then no longer exists.' },
      'Retry',
      'Discard',
    );
    if (pick !== 'Retry') {
      failure.discard();
      s.log.warn(`The new value of '${name}' was discarded; the secret no longer exists in ${scopeLabel}.`);
      return false;
    }
    try {
      await withCancellableProgress(`Creating secret '${name}' again…`, (signal) => failure.retry(signal));
      return true;
    } catch (err) {
      e = err;
    }
  }
}

async function deleteSecret(s: Services, inv: Invocation): Promise<void> {
  requireTrust('Deleting a secret');
  const t = await target(s, inv, true);
  if (!t) return;
  let name = inv.node?.kind === 'secret' || inv.node?.kind === 'key' ? inv.node.secret.name : reqString(inv, 'name', 'the secret name');
  if (!name) {
    const list = (await currentSecrets(s, t)) ?? [];
    const pick = await vscode.window.showQuickPick(list.map((x) => ({ label: x.name, description: x.scope })), { placeHolder: `Delete which secret of ${t.scopeLabel}?`, ignoreFocusOut: true });
    if (!pick) return;
    name = pick.label;
  }
  const bad = t.client.validateName(name);
  if (bad) throw new ValidationError(bad);
  if (inv.args.confirm !== true) {
    const files = await WorkspaceReferenceIndex.get(s.context).filesReferencing(name, t.rec);
    const where = files.length
      ? `It is referenced in ${files.length} workspace file${files.length > 1 ? 's' : ''}: ${files.slice(0, 8).join(', ')}${files.length > 8 ? ', …' : ''}. Jobs using them will fail.`
      : 'No file in this workspace references it.';
    const go = await vscode.window.showWarningMessage(
      `Delete secret '${printable(name)}' from ${t.scopeLabel} (${PLATFORM_NAMES[t.rec.platform]})?`,
      { modal: true, detail: `${where}\n\nThis cannot be undone.` },
      'Delete',
    );
    if (go !== 'Delete') return;
  }
  const which = inv.args.private === true ? 'private' : inv.args.private === false ? 'public' : inv.node?.kind === 'secret' && inv.node.secret.private !== undefined ? (inv.node.secret.private ? 'private' : 'public') : undefined;
  const res = await t.client.deleteSecret(t.scope, name, undefined, which);
  s.log.info(`Deleted secret '${name}' from ${t.scopeLabel} (${t.rec.label})${res.alreadyGone ? ' — it was already gone' : ''}.`);
  await s.model.reloadList(t.rec.label, t.scope);
  tell(res.alreadyGone ? `Secret '${printable(name)}' was already gone from ${t.scopeLabel}.` : `Deleted secret '${printable(name)}' from ${t.scopeLabel}.`);
}

async function shareSecret(s: Services, inv: Invocation): Promise<unknown> {
  requireTrust('Sharing a secret');
  const t = await target(s, inv);
  if (!t) return undefined;
  if (!t.client.capabilities.share || !t.client.shareSecret) {
    throw new UnsupportedError(t.client.capabilities.shareUnsupportedReason ?? `${PLATFORM_NAMES[t.rec.platform]} has no way to share a single secret with another user.`);
  }
  let name = inv.node?.kind === 'secret' || inv.node?.kind === 'key' ? inv.node.secret.name : reqString(inv, 'name', 'the secret name');
  if (!name) {
    const list = (await currentSecrets(s, t)) ?? [];
    const pick = await vscode.window.showQuickPick(list.map((x) => ({ label: x.name })), { placeHolder: 'Share which secret?', ignoreFocusOut: true });
    if (!pick) return undefined;
    name = pick.label;
  }
  let user = reqString(inv, 'user', 'the user or role to share with');
  if (!user) {
    user = await vscode.window.showInputBox({ title: `Share '${name}'`, prompt: 'User (or role) to share with', ignoreFocusOut: true, validateInput: (v) => (v.trim() ? undefined : 'A user name is required.') });
    if (!user) return undefined;
  }
  let permission = reqString(inv, 'permission', 'read, write or manage') as Permission | undefined;
  if (permission && !PERMISSIONS.includes(permission)) throw new ValidationError(`'permission' must be one of read, write, manage (got '${printable(permission)}').`);
  if (!permission) {
    const pick = await vscode.window.showQuickPick(
      [
        { label: 'read', description: 'use the secret in jobs', id: 'read' as Permission },
        { label: 'write', description: 'also change its value', id: 'write' as Permission },
        { label: 'manage', description: 'also delete it and share it further', id: 'manage' as Permission },
      ],
      { title: `Share '${name}' with ${user}`, ignoreFocusOut: true },
    );
    if (!pick) return undefined;
    permission = pick.id;
    const go = await vscode.window.showWarningMessage(`Give ${printable(user)} ${permission} permission on secret '${printable(name)}' ${inScope(t.scopeLabel)}?`, { modal: true }, 'Share');
    if (go !== 'Share') return undefined;
  }
  const result = await t.client.shareSecret(t.scope, name, user.trim(), permission);
  const higher = result.alreadyHigher;
  const msg = higher
    ? `${printable(user)} already had a higher permission (${result.granted}) on '${printable(name)}'; nothing was lowered.`
    : `Shared '${printable(name)}' with ${printable(user)} (${result.granted}).`;
  s.log.info(msg);
  tell(msg);
  return { ...result, alreadyHigher: higher, message: msg };
}

async function listSecrets(s: Services, inv: Invocation): Promise<Array<{ name: string; keys?: string[]; type?: string; scope?: string; createdAt?: string }> | undefined> {
  const t = await target(s, inv);
  if (!t) return undefined;
  // Flyte without project/domain: every scope of the connection (org, domain, project/domain).
  const all = t.rec.platform === 'flyte' && !inv.node && !optString(inv.args, 'project') && !optString(inv.args, 'domain');
  const scopes = all ? t.scopes.map((x) => x.ref) : [t.scope];
  const secrets: SecretInfo[] = [];
  for (const scope of scopes) {
    const ls = await s.model.ensureList(t.rec.label, scope, true);
    if (ls.kind === 'error') throw ls.error instanceof Error ? ls.error : new Error(String(ls.error));
    if (ls.kind === 'ok') secrets.push(...ls.secrets);
  }
  if (t.client.capabilities.keys) {
    // Lists don't carry key names on every platform (ZenML): an explicit list fetches them.
    await mapLimit(
      secrets.filter((x) => !x.keys && !x.inaccessible),
      8,
      async (x) => {
        const ks = await s.model.ensureKeys(t.rec.label, t.scope, x);
        if (ks.kind === 'ok') x.keys = ks.keys;
      },
    );
  }
  const out = secrets.map((x) => {
    const o: { name: string; keys?: string[]; type?: string; scope?: string; createdAt?: string } = { name: x.name };
    if (x.keys) o.keys = [...x.keys];
    if (x.type) o.type = x.type;
    if (x.scope) o.scope = x.scope;
    if (x.createdAt) o.createdAt = x.createdAt;
    return o;
  });
  if (inv.interactive && !inv.args.connection) {
    const pick = await vscode.window.showQuickPick(
      out.map((x) => ({ label: x.name, description: x.scope })),
      { placeHolder: `${out.length} secret${out.length === 1 ? '' : 's'} ${inScope(t.scopeLabel)} — pick one to copy its reference` },
    );
    if (pick) await copy(s, t, pick.label);
  }
  return out;
}

async function copy(s: Services, t: Target, name: string, key?: string): Promise<string> {
  const text = t.client.reference(t.scope, name, key);
  await vscode.env.clipboard.writeText(text);
  s.log.info(`Copied reference ${text}`);
  return text;
}

async function copyReference(s: Services, inv: Invocation): Promise<string | undefined> {
  const t = await target(s, inv);
  if (!t) return undefined;
  let name = inv.node?.kind === 'secret' || inv.node?.kind === 'key' ? inv.node.secret.name : reqString(inv, 'name', 'the secret name');
  if (!name) {
    const list = (await currentSecrets(s, t)) ?? [];
    const pick = await vscode.window.showQuickPick(list.map((x) => ({ label: x.name })), { placeHolder: 'Copy the reference of which secret?' });
    if (!pick) return undefined;
    name = pick.label;
  }
  let key = inv.node?.kind === 'key' ? inv.node.key : optString(inv.args, 'key');
  if (!key && t.client.capabilities.keys) {
    // A reference names one key: the given one, the only one, or (interactively) the chosen one.
    // Lists don't carry key names (ZenML): they are fetched for this one secret.
    const info = (await currentSecrets(s, t))?.find((x) => x.name === name && !x.shadowed);
    let keys = info?.keys ?? [];
    if (info && !info.keys) {
      const st = await s.model.ensureKeys(t.rec.label, t.scope, info);
      if (st.kind === 'ok') keys = st.keys;
    }
    if (keys.length > 1 && inv.interactive) {
      const pick = await vscode.window.showQuickPick(keys.map((k) => ({ label: k })), { title: `Which key of '${printable(name)}'?`, placeHolder: 'A reference names one key: pick the one to copy' });
      if (!pick) return undefined;
      key = pick.label;
    } else if (keys.length === 1) key = keys[0];
    else if (keys.length > 1) throw new ValidationError(`Secret '${printable(name)}' has ${keys.length} keys (${keys.map((k) => printable(k, 40)).join(', ')}): say which one in 'key'.`);
    else throw new ValidationError(`Secret '${printable(name)}' has no keys to reference${info ? '' : ' (or was not found)'}; add a key first.`);
  }
  const text = await copy(s, t, name, key);
  if (inv.interactive) void vscode.window.setStatusBarMessage(`Copied ${text}`, 3000);
  return text;
}

