// mlSecrets.moveToSecret (issue 16): a plaintext token in a file becomes a platform secret. Pick
// the connection (the folder's bound one first) and a name (suggested from the variable, checked
// against the platform's rule), create the secret with the token as its value through the same
// flow as Add Secret, and only then replace the literal with the platform's reference form for
// that file (src/core/platforms/<id>/plaintextMove.ts) in one undoable edit. If the secret can't be
// created the file is untouched; if the file changed meanwhile, the edit is planned again on the
// new text, and when the token is gone from it the secret stays and the user is told.
//
// Argument object: {uri, range | line+character, connection, name, key?, envVar?}; the value is
// always read from the file, never passed.

import * as vscode from 'vscode';
import { ValidationError } from '../core/errors';
import { moveFormFor, suggestSecretName } from '../core/plaintext/moveForms';
import type { MovePlan, PlaintextFinding, PlaintextLanguage } from '../core/plaintext/types';
import { PLATFORM_NAMES } from '../core/platforms/types';
import { printable } from '../core/text';
import { detection, plaintextLanguageOfDocument } from '../language/plaintext/detection';
import { readSetting } from '../ui/settings';
import { Command, findConnection, Invocation, optString, requireTrust, Services, tell } from './common';
import { saveSecret } from './saveSecret';
import { currentSecrets, Target, target } from './secretTarget';

export interface MoveResult {
  connection: string;
  name: string;
  key?: string;
  reference: string;
  edited: boolean;
}

interface Place {
  doc: vscode.TextDocument;
  language: PlaintextLanguage;
  finding: PlaintextFinding;
}

async function run(s: Services, inv: Invocation): Promise<MoveResult | undefined> {
  requireTrust('Moving a token into a secret');
  const place = await findToken(inv);
  const t = await chooseTarget(s, inv, place.doc);
  if (!t) return undefined;
  const form = moveFormFor(t.rec.platform);
  const name = await secretName(s, inv, t, place.finding);
  if (!name) return undefined;
  const envVar = optString(inv.args, 'envVar') ?? place.finding.envVar;
  const planFor = (p: Place, key: string): MovePlan => form({ text: p.doc.getText(), language: p.language, finding: p.finding, name, key, envVar });
  let key = optString(inv.args, 'key') ?? defaultKey(place.finding);
  let plan = planFor(place, key);
  if ('refused' in plan) throw new ValidationError(plan.refused);
  // ZenML: the key is asked for with the name (an argument object that names the secret settles it too).
  if (typeof plan.valueField === 'object' && inv.interactive && !optString(inv.args, 'key') && !optString(inv.args, 'name')) {
    const picked = await askKey(name, key);
    if (!picked) return undefined;
    key = picked;
    plan = planFor(place, key);
    if ('refused' in plan) throw new ValidationError(plan.refused);
  }
  const version = place.doc.version;
  const value = place.doc.getText(rangeOf(place.doc, place.finding.start, place.finding.end));
  const field = plan.valueField === 'value' ? { value } : { values: { [plan.valueField.values]: value } };
  // The secret first: if this throws, the file is exactly as it was.
  await saveSecret(s, { args: { connection: t.rec.label, ...plan.create, ...field }, interactive: false }, 'add', true);
  const edited = await applyPlan(place, version, value, plan, (p) => planFor(p, key));
  s.log.info(`Moved a ${place.finding.label} from ${place.doc.uri.scheme === 'file' ? place.doc.uri.fsPath : place.doc.uri.toString()} into secret '${name}' (${t.rec.label})${edited ? '' : '; the file was not edited'}.`);
  const where = `${PLATFORM_NAMES[t.rec.platform]} secret '${printable(name)}' (${t.rec.label})`;
  if (!edited) tell(`Created ${where}, but the file changed and no longer holds the token there, so it was not edited.`);
  else announce(s, inv, place.doc, t.rec.label, `Moved the ${place.finding.label} into ${where}; the file now reads ${plan.reference}.${plan.note ? ` ${plan.note}` : ''}`);
  return { connection: t.rec.label, name, ...(typeof plan.valueField === 'object' ? { key } : {}), reference: plan.reference, edited };
}

/** The document and the token at the argument's range (or position), else the active editor's cursor. */
async function findToken(inv: Invocation): Promise<Place> {
  const doc = await documentOf(inv);
  const language = plaintextLanguageOfDocument(doc);
  if (!language) throw new ValidationError(`ML Secrets doesn't look for tokens in this kind of file (${doc.languageId}).`);
  const at = offsetsOf(inv, doc);
  const findings = await detection().detectPlaintext(doc.getText(), language);
  const finding = findings.find((f) => f.start <= at.end && at.start <= f.end);
  if (!finding) throw new ValidationError(`There is no plaintext token at line ${doc.positionAt(at.start).line + 1} of this file.`);
  return { doc, language, finding };
}

async function documentOf(inv: Invocation): Promise<vscode.TextDocument> {
  const raw = inv.args.uri;
  if (raw === undefined) {
    const ed = vscode.window.activeTextEditor;
    if (!ed || !inv.interactive) throw new ValidationError("Missing 'uri' (the file with the token) in the argument object.");
    return ed.document;
  }
  // A URI string (file://…, vscode-notebook-cell:…, untitled:…), else a path (C:\\x or /x).
  const isUri = (x: string) => /^[a-zA-Z][\w+.-]+:/.test(x) && !/^[a-zA-Z]:[\\/]/.test(x);
  const uri = raw instanceof vscode.Uri ? raw : typeof raw === 'string' ? (isUri(raw) ? vscode.Uri.parse(raw) : vscode.Uri.file(raw)) : undefined;
  if (!uri) throw new ValidationError("'uri' must be a string or a Uri.");
  return vscode.workspace.textDocuments.find((d) => d.uri.toString() === uri.toString()) ?? (await vscode.workspace.openTextDocument(uri));
}

/** The offsets the argument names: `range` ({start, end} of {line, character}), `line` + `character`, or the cursor. */
function offsetsOf(inv: Invocation, doc: vscode.TextDocument): { start: number; end: number } {
  const r = inv.args.range as { start?: { line?: unknown; character?: unknown }; end?: { line?: unknown; character?: unknown } } | undefined;
  const pos = (p: { line?: unknown; character?: unknown } | undefined) =>
    p && typeof p.line === 'number' && typeof p.character === 'number' ? doc.offsetAt(new vscode.Position(p.line, p.character)) : undefined;
  if (r && typeof r === 'object') {
    const start = pos(r.start);
    const end = pos(r.end) ?? start;
    if (start === undefined || end === undefined) throw new ValidationError("'range' must be {start: {line, character}, end: {line, character}}.");
    return { start, end };
  }
  const single = pos(inv.args as { line?: unknown; character?: unknown });
  if (single !== undefined) return { start: single, end: single };
  const ed = vscode.window.activeTextEditor;
  if (ed?.document === doc && inv.interactive) return { start: doc.offsetAt(ed.selection.start), end: doc.offsetAt(ed.selection.end) };
  throw new ValidationError("Missing 'range' (or 'line' and 'character') of the token in the argument object.");
}

/** The connection: the argument's, else picked with the file's bound connection first. */
async function chooseTarget(s: Services, inv: Invocation, doc: vscode.TextDocument): Promise<Target | undefined> {
  let label = optString(inv.args, 'connection');
  if (!label) {
    if (!inv.interactive) throw new ValidationError("Missing 'connection' (a connection label) in the argument object.");
    label = await pickConnectionFor(s, doc);
    if (!label) return undefined;
  }
  findConnection(s, label);
  return target(s, { args: { connection: label, ...scopeArgs(inv) }, interactive: false });
}

function scopeArgs(inv: Invocation): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const k of ['project', 'domain']) if (typeof inv.args[k] === 'string') out[k] = inv.args[k];
  return out;
}

async function pickConnectionFor(s: Services, doc: vscode.TextDocument): Promise<string | undefined> {
  const all = s.model.connections();
  if (!all.length) throw new ValidationError('No connection yet: sign in first (ML Secrets: Sign In).');
  const bound = readSetting<string>('connection', doc.uri) || s.checker.findingsFor(doc)?.connection;
  const ordered = [...all].sort((a, b) => Number(b.label === bound) - Number(a.label === bound));
  if (ordered.length === 1) return ordered[0].label;
  const pick = await vscode.window.showQuickPick(
    ordered.map((c) => ({ label: c.label, description: `${PLATFORM_NAMES[c.platform]}${c.label === bound ? ' · this file’s connection' : ''}` })),
    { title: 'Move the token into a secret of which connection?', ignoreFocusOut: true },
  );
  return pick?.label;
}

/** The name: the argument's (checked), else asked for, prefilled from the variable. */
async function secretName(s: Services, inv: Invocation, t: Target, f: PlaintextFinding): Promise<string | undefined> {
  const given = optString(inv.args, 'name');
  const existing = new Set(((await currentSecrets(s, t)) ?? []).filter((x) => !x.shadowed).map((x) => x.name));
  const problem = (n: string) => t.client.validateName(n) ?? (existing.has(n) ? `A secret named '${printable(n)}' already exists here: choose another name.` : undefined);
  if (given !== undefined && (!inv.interactive || !problem(given))) {
    const bad = problem(given);
    if (bad) throw new ValidationError(bad);
    return given;
  }
  return vscode.window.showInputBox({
    title: `Move the ${f.label} into a secret — ${t.scopeLabel}`,
    prompt: 'Name of the new secret (the token becomes its value)',
    value: given ?? suggestSecretName(f, problem, t.rec.platform),
    ignoreFocusOut: true,
    validateInput: problem,
  });
}

/** The key a keyed secret (ZenML) holds the value under: from the environment variable's name. */
function defaultKey(f: PlaintextFinding): string {
  return /KEY/i.test(f.envVar) ? 'api_key' : 'token';
}

function askKey(name: string, key: string): Thenable<string | undefined> {
  return vscode.window.showInputBox({
    title: `The key in secret '${printable(name)}' that holds the value`,
    value: key,
    ignoreFocusOut: true,
    validateInput: (v) => (/^[A-Za-z_][A-Za-z0-9_]*$/.test(v) ? undefined : 'A key is a Python identifier: letters, digits and _, not starting with a digit.'),
  });
}

/**
 * Replaces the literal, once the secret exists. If the document moved on meanwhile, the token is
 * found again in the new text (the same value) and the edit planned again; gone → no edit.
 */
async function applyPlan(place: Place, version: number, value: string, plan: MovePlan, replan: (p: Place) => MovePlan): Promise<boolean> {
  let p = place;
  let current = plan;
  if (place.doc.version !== version) {
    const again = (await detection().detectPlaintext(place.doc.getText(), place.language)).find((f) => place.doc.getText(rangeOf(place.doc, f.start, f.end)) === value);
    if (!again) return false;
    p = { ...place, finding: again };
    current = replan(p);
  }
  if ('refused' in current) return false;
  const edit = new vscode.WorkspaceEdit();
  for (const e of current.edits) edit.replace(p.doc.uri, rangeOf(p.doc, e.start, e.end), e.newText);
  return vscode.workspace.applyEdit(edit);
}

/**
 * Says what moved. Interactively, when the file's new reference can't be checked because its folder
 * names no connection and several could serve it, offers to bind the folder to the one just used.
 */
function announce(s: Services, inv: Invocation, doc: vscode.TextDocument, label: string, message: string): void {
  const folder = vscode.workspace.getWorkspaceFolder(doc.uri);
  const unbound = inv.interactive && folder && !readSetting<string>('connection', doc.uri) && s.checker.findingsFor(doc)?.connection === undefined && (s.checker.findingsFor(doc)?.findings.length ?? 0) > 0;
  if (!unbound) return tell(message);
  const bind = `Check ${folder.name} against ${label}`;
  void vscode.window.showInformationMessage(message, bind).then((pick) => {
    if (pick === bind) void vscode.commands.executeCommand('mlSecrets.chooseConnection', { folder: folder.uri.fsPath, connection: label });
  });
}

function rangeOf(doc: vscode.TextDocument, start: number, end: number): vscode.Range {
  return new vscode.Range(doc.positionAt(start), doc.positionAt(end));
}

export const moveToSecret: Command = { title: 'Move to a platform secret', run };
