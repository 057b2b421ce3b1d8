// The flow Add Secret and Update Secret share: the name, what exists already, the value (argument
// object or prompts; typed secrets' fields and keyed secrets' flows come from the platform's module),
// then the save: native update, overwrite, or delete and recreate with its Retry offer.

import * as vscode from 'vscode';
import { ConflictError, describeError, NotFoundError, ValidationError } from '../core/errors';
import { RecreateFailedError } from '../core/platforms/recreate';
import { inScope } from '../core/platforms/scopeLabels';
import { PLATFORM_NAMES, SecretInfo, SecretInput } from '../core/platforms/types';
import { redact } from '../core/redact';
import { printable } from '../core/text';
import type { KeyedSecrets, SaveMode } from '../platforms/secretsModule';
import { Invocation, requireTrust, Services, tell, withCancellableProgress } from './common';
import { currentSecrets, placeOf, secretNameArg, Target, target } from './secretTarget';
import { promptValue, valueFromArgs } from './secretValues';

/** `quiet`: the caller says what happened itself (Move to a platform secret). */
export async function saveSecret(s: Services, inv: Invocation, mode: SaveMode, quiet = false): Promise<void> {
  requireTrust(mode === 'add' ? 'Adding a secret' : 'Updating a secret');
  const t = await target(s, inv, true);
  if (!t) return;
  const name = await secretName(inv, t, verbOf(mode));
  if (!name) return;
  const existing = await currentSecrets(s, t);
  const current = existing?.find((x) => x.name === name && !x.shadowed);
  if (t.module.keyedSecrets) return saveKeyed(s, inv, t, t.module.keyedSecrets, name, mode, existing, current, quiet);
  if (mode === 'add' && current) {
    if (!inv.interactive) throw new ConflictError(`Secret '${printable(name)}' already exists ${inScope(t.scopeLabel)}; use Update Secret to replace its value.`);
    const go = await vscode.window.showWarningMessage(`Secret '${printable(name)}' already exists ${inScope(t.scopeLabel)}. Replace its value?`, { modal: true }, 'Replace');
    if (go !== 'Replace') return;
  }
  if (mode === 'update' && existing && !current) throw notFound(t, name);
  const input = await collectInput(inv, t, name, mode, current);
  if (!input) return;
  await store(s, inv, t, name, mode, input, quiet);
}

function verbOf(mode: SaveMode): string {
  return mode === 'add' ? 'Add' : 'Update';
}

function notFound(t: Target, name: string): NotFoundError {
  return new NotFoundError(`Secret '${printable(name)}' does not exist ${inScope(t.scopeLabel)}; use Add Secret to create it.`);
}

/** The secret's name: the tree node's or the argument's, else (or when the platform refuses it, interactively) asked for. */
async function secretName(inv: Invocation, t: Target, verb: string): Promise<string | undefined> {
  let name = secretNameArg(inv);
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
    if (!name) return undefined;
  }
  return name;
}

async function saveKeyed(s: Services, inv: Invocation, t: Target, keyed: KeyedSecrets, name: string, mode: SaveMode, existing: SecretInfo[] | undefined, current: SecretInfo | undefined, quiet: boolean): Promise<void> {
  // Secrets with named keys (ZenML): a name clash is the server's call (a private and a public
  // secret may share a name); its 409 says so plainly.
  if (mode === 'update' && existing && !current) throw notFound(t, name);
  const keys = current && mode === 'update' ? await s.model.ensureKeys(t.rec.label, t.scope, current) : undefined;
  const done = mode === 'add' ? await keyed.add(s, inv, t, name) : await keyed.update(s, inv, t, name, keys?.kind === 'ok' ? keys.keys : [], current?.private);
  if (!done) return;
  await s.model.reloadList(t.rec.label, t.scope);
  if (mode === 'add') created();
  if (mode === 'add' && !quiet) tell(`Added secret '${printable(name)}' ${inScope(t.scopeLabel)}.`);
}

/** What to save: the value from the argument object or asked for, with the typed platforms' own fields. Undefined when cancelled. */
async function collectInput(inv: Invocation, t: Target, name: string, mode: SaveMode, current: SecretInfo | undefined): Promise<SecretInput | undefined> {
  let value = await valueFromArgs(inv);
  // Typed platforms collect their own fields (MosaicML types, Flyte image-pull secrets).
  let input: SecretInput | undefined;
  if (t.module.secretInput) {
    input = await t.module.secretInput(inv, t, name, value, mode, current);
    if (!input) return undefined;
  }
  const needsValue = !input || (!input.values && !input.value);
  if (needsValue && !value && !inv.interactive) throw new ValidationError("Missing 'value' or 'valueFile' in the argument object.");
  if (needsValue && !value) {
    value = await promptValue(t, name, verbOf(mode));
    if (!value) return undefined;
  }
  return input ? { ...input, value: input.value ?? value } : { name, value };
}

async function store(s: Services, inv: Invocation, t: Target, name: string, mode: SaveMode, final: SecretInput, quiet: boolean): Promise<void> {
  const how = t.client.capabilities.update;
  if (mode === 'update' && how === 'recreate' && inv.interactive && !(await confirmRecreate(t, name))) return;
  const doIt = (signal?: AbortSignal) =>
    mode === 'update' && how !== 'replace' && t.client.updateSecret
      ? t.client.updateSecret(t.scope, name, { value: final.value, values: final.values }, signal)
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
  if (mode === 'add') created();
  const recreated = mode === 'update' && how === 'recreate';
  s.log.info(`${mode === 'add' ? 'Added' : recreated ? 'Recreated' : 'Updated'} secret '${name}' ${inScope(t.scopeLabel)} (${t.rec.label}).`);
  await s.model.reloadList(t.rec.label, t.scope);
  if (quiet) return;
  tell(
    recreated
      ? `${PLATFORM_NAMES[t.rec.platform]} secrets can't be modified, so '${printable(name)}' was deleted and created again with the new value.`
      : `${mode === 'add' ? 'Added' : 'Updated'} secret '${printable(name)}' ${inScope(t.scopeLabel)}.`,
  );
}

/** A secret was created: the walkthrough's "Create a missing secret" step is done (package.json walkthroughs). */
function created(): void {
  void vscode.commands.executeCommand('setContext', 'mlSecrets.secretCreated', true);
}

/** An update by delete and recreate: says so (modally) and asks to go ahead. */
async function confirmRecreate(t: Target, name: string): Promise<boolean> {
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
  return go === 'Delete and Recreate';
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
    } catch (e2) {
      e = e2;
    }
  }
}
