// mlSecrets.registerStackSecrets ("Register Missing Secrets for Stack…"): what `zenml stack
// register-secrets --skip-existing` does. For every secret a stack's components reference that is
// missing, or lacks a referenced key: a masked prompt per key, then one create per missing secret and
// one update per existing one that only adds keys (never drops the ones it has). With the argument
// object `{connection, stack, values: {name: {key: value}}}` it prompts for nothing and fails,
// before writing anything, on a value it lacks. Values reach no log, error or tree row.

import * as vscode from 'vscode';
import { ValidationError } from '../core/errors';
import type { PlatformClient, ScopeRef, StackInfo } from '../core/platforms/types';
import { redactor } from '../core/redact';
import { printable } from '../core/text';
import { SecretNeed, stackNeeds } from '../model/stackStatus';
import { Command, Invocation, optString, pickConnection, requireTrust, Services, tell } from './common';

type Values = Record<string, Record<string, string>>;

/** `values` of the argument object: secret name → key → value (strings only). */
function valuesArg(inv: Invocation): Values {
  const v = inv.args.values;
  if (v === undefined || v === null) return {};
  const bad = (): never => {
    throw new ValidationError("'values' must be an object of secret name → {key: value}, every value a string.");
  };
  if (typeof v !== 'object' || Array.isArray(v)) bad();
  const out: Values = {};
  for (const [name, keys] of Object.entries(v as Record<string, unknown>)) {
    if (!keys || typeof keys !== 'object' || Array.isArray(keys)) bad();
    out[name] = {};
    for (const [k, val] of Object.entries(keys as Record<string, unknown>)) {
      if (typeof val !== 'string') bad();
      out[name][k] = val as string;
    }
  }
  return out;
}

/** The stack named by the tree node or `stack` (name or id), or picked by the user. */
async function pickStack(inv: Invocation, stacks: StackInfo[], connection: string): Promise<StackInfo | undefined> {
  if (inv.node?.kind === 'stack') return stacks.find((s) => s.id === (inv.node as { stack: StackInfo }).stack.id) ?? (inv.node as { stack: StackInfo }).stack;
  const wanted = optString(inv.args, 'stack');
  if (wanted) {
    const found = stacks.find((s) => s.name === wanted) ?? stacks.find((s) => s.id === wanted);
    if (!found) throw new ValidationError(`No stack named '${printable(wanted)}' on '${connection}'.${stacks.length ? ` Stacks: ${stacks.map((s) => `'${printable(s.name)}'`).join(', ')}.` : ''}`);
    return found;
  }
  if (!inv.interactive) throw new ValidationError("Missing 'stack' (a stack name) in the argument object.");
  if (!stacks.length) throw new ValidationError(`'${connection}' has no stacks.`);
  const pick = await vscode.window.showQuickPick(
    stacks.map((s) => ({ label: s.name, description: `${s.components.length} components`, stack: s })),
    { placeHolder: 'Register the missing secrets of which stack?', ignoreFocusOut: true },
  );
  return pick?.stack;
}

/** Every missing value: from `values`, else a masked prompt (interactive), else an error naming them all. */
async function collectValues(inv: Invocation, needs: SecretNeed[], given: Values): Promise<Values | undefined> {
  const lacking = needs.flatMap((n) => n.keys.filter((k) => given[n.name]?.[k] === undefined).map((k) => `${n.name}.${k}`));
  if (lacking.length && !inv.interactive) {
    throw new ValidationError(`Missing value${lacking.length === 1 ? '' : 's'} for ${lacking.map((x) => `'${printable(x)}'`).join(', ')}: give them as values: {name: {key: value}}.`);
  }
  const out: Values = {};
  for (const n of needs) {
    out[n.name] = {};
    for (const k of n.keys) {
      let value: string | undefined = given[n.name]?.[k];
      if (value === undefined) {
        value = await vscode.window.showInputBox({
          title: `Register Missing Secrets: ${printable(n.name)}`,
          prompt: `Value for secret \`${printable(n.name)}.${printable(k)}\`${n.existing ? ' (a key the secret lacks)' : ' (a new secret)'}`,
          password: true,
          ignoreFocusOut: true,
          validateInput: (v) => (v ? undefined : 'A value is required.'),
        });
        if (value === undefined) return undefined;
      }
      out[n.name][k] = value;
    }
  }
  return out;
}

/** One create per missing secret, one add-keys update per existing one. */
async function write(client: PlatformClient, scope: ScopeRef, needs: SecretNeed[], values: Values): Promise<{ created: string[]; updated: string[] }> {
  const created: string[] = [];
  const updated: string[] = [];
  for (const n of needs) {
    const v = values[n.name];
    if (n.existing) {
      if (!client.updateSecret) throw new ValidationError('This platform cannot add keys to a secret.');
      await client.updateSecret(scope, n.name, { values: v, which: n.existing.private === undefined ? undefined : n.existing.private ? 'private' : 'public' });
      updated.push(n.name);
    } else {
      await client.addSecret(scope, { name: n.name, values: v });
      created.push(n.name);
    }
  }
  return { created, updated };
}

async function run(s: Services, inv: Invocation): Promise<{ created: string[]; updated: string[] } | undefined> {
  requireTrust('Registering secrets');
  const rec = await pickConnection(s, inv, 'Register stack secrets on which connection?');
  if (!rec) return undefined;
  const st = await s.model.ensureConnection(rec.label);
  if (st.kind === 'signedOut') throw new ValidationError(`Connection '${rec.label}' is signed out; sign in again first.`);
  if (st.kind === 'error') throw st.error instanceof Error ? st.error : new Error(String(st.error));
  if (st.kind !== 'ready') throw new Error(`Connection '${rec.label}' is not ready.`);
  if (!st.client.listStacks) throw new ValidationError(`Connection '${rec.label}' has no stacks: only ZenML stacks reference secrets.`);
  const given = valuesArg(inv);
  const stack = await pickStack(inv, await st.client.listStacks(), rec.label);
  if (!stack) return undefined;
  const scope = (st.scopes.find((x) => x.isDefault) ?? st.scopes[0])?.ref ?? rec.scope;
  const needs = await stackNeeds(s.model, rec.label, scope, stack);
  if (!needs.length) {
    tell(`Every secret stack '${printable(stack.name)}' references exists, with its keys.`);
    return { created: [], updated: [] };
  }
  const values = await collectValues(inv, needs, given);
  if (!values) return undefined;
  const release = redactor.hold(Object.values(values).flatMap((m) => Object.values(m)));
  try {
    const done = await write(st.client, scope, needs, values);
    s.log.info(`Stack '${stack.name}' (${rec.label}): created ${done.created.join(', ') || 'none'}; added keys to ${needs.filter((n) => n.existing).map((n) => `${n.name} (${n.keys.join(', ')})`).join(', ') || 'none'}.`);
    await s.model.reloadList(rec.label, scope);
    tell(`Stack '${printable(stack.name)}': ${[done.created.length ? `created ${done.created.join(', ')}` : '', done.updated.length ? `added keys to ${done.updated.join(', ')}` : ''].filter(Boolean).join('; ')}.`);
    return done;
  } finally {
    release();
  }
}

export const registerStackSecrets: Command = { title: 'Register missing secrets for stack', run };
