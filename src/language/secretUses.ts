// Which secret a reference denotes, and every use of that secret on the same connection across the
// workspace (open files or not): what Go to Definition, Find All References and Rename
// (./definition.ts, ./references.ts, ./rename.ts) and the tree's Find All References share. A use
// is a reference the editor's own pipeline (./fileCheck.ts) checks against the same connection and
// resolves to the same name in the same scope; the candidate files come from the workspace
// reference index (./referenceIndex.ts), handed in so that there is one index.

import * as vscode from 'vscode';
import { Finding } from '../core/check/checker';
import { SecretReference } from '../core/references/reference';
import { languageOfPath } from '../core/references/syntaxes';
import { SecretsModel } from '../model/secretsModel';
import { readSetting } from '../ui/settings';
import { findingsOf, positionsOf, scanText, TextPositions } from './fileCheck';
import type { DocumentFindings, ReferenceChecker } from './referenceChecker';
import type { WorkspaceReferenceIndex } from './referenceIndex';

/** A secret as references denote it: its connection's label, its name and (when resolved) its scope. */
export interface SecretIdentity {
  connection: string;
  name: string;
  scopeId?: string;
}

/** One use of a secret: the reference, where it is, and where its name is written verbatim (what Rename replaces). */
export interface SecretUse {
  uri: vscode.Uri;
  ref: SecretReference;
  range: vscode.Range;
  nameRange?: vscode.Range;
}

/** The finding of the reference under `pos` (its whole text, ends included), with the document's findings. */
export function findingAt(checker: ReferenceChecker, doc: vscode.TextDocument, pos: vscode.Position): { finding: Finding; result: DocumentFindings } | undefined {
  const result = checker.findingsFor(doc);
  if (!result) return undefined;
  const offset = doc.offsetAt(pos);
  const finding = result.findings.find((f) => f.ref.start <= offset && offset <= f.ref.end);
  return finding ? { finding, result } : undefined;
}

/** The secret a finding denotes on its file's connection; none for a name set at run time, a malformed reference or a file with no connection. */
export function identityOf(f: Finding, connection: string | undefined): SecretIdentity | undefined {
  if (!connection || f.ref.dynamic || f.status === 'skipped' || f.code === 'reference-malformed') return undefined;
  const name = f.secret?.name ?? f.missingName ?? f.ref.name;
  if (!name) return undefined;
  return { connection, name, ...(f.scopeId ? { scopeId: f.scopeId } : {}) };
}

/** Whether two identities are the same secret (a scope not known yet — the list is loading — doesn't tell them apart). */
export function sameSecret(a: SecretIdentity, b: SecretIdentity): boolean {
  return a.connection === b.connection && a.name === b.name && (a.scopeId === undefined || b.scopeId === undefined || a.scopeId === b.scopeId);
}

/** The range of a reference's name where the text holds it verbatim at `nameStart`, else undefined. */
export function nameOffsets(ref: SecretReference, name: string, text: string): { start: number; end: number } | undefined {
  if (ref.nameStart === undefined || ref.nameStart < ref.start || ref.nameStart + name.length > ref.end) return undefined;
  return text.startsWith(name, ref.nameStart) ? { start: ref.nameStart, end: ref.nameStart + name.length } : undefined;
}

export interface UseSources {
  model: SecretsModel;
  checker: ReferenceChecker;
  index: () => WorkspaceReferenceIndex | Promise<WorkspaceReferenceIndex>;
}

/** Every use of the secret in the workspace's job files (open or not), in file order. */
export async function usesOf(id: SecretIdentity, src: UseSources, token?: vscode.CancellationToken): Promise<SecretUse[]> {
  const index = await src.index();
  const out: SecretUse[] = [];
  for (const { uri, text } of await index.candidateTexts(id.name)) {
    if (token?.isCancellationRequested) return [];
    const checked = checkedFile(src, uri, text);
    if (!checked) continue;
    for (const f of checked.result.findings) {
      const other = identityOf(f, checked.result.connection);
      if (!other || !sameSecret(id, other)) continue;
      const at = nameOffsets(f.ref, id.name, text);
      out.push({
        uri,
        ref: f.ref,
        range: new vscode.Range(checked.positions.positionAt(f.ref.start), checked.positions.positionAt(f.ref.end)),
        ...(at ? { nameRange: new vscode.Range(checked.positions.positionAt(at.start), checked.positions.positionAt(at.end)) } : {}),
      });
    }
  }
  return out.sort((a, b) => a.uri.toString().localeCompare(b.uri.toString()) || a.ref.start - b.ref.start);
}

/** A file's findings as the editor has them: an open job file's from the checker, any other's through the same pipeline. */
function checkedFile(src: UseSources, uri: vscode.Uri, text: string): { result: DocumentFindings; positions: TextPositions } | undefined {
  const doc = vscode.workspace.textDocuments.find((d) => d.uri.toString() === uri.toString());
  if (doc && src.checker.isJobFile(doc)) {
    const result = src.checker.findingsFor(doc);
    return result && { result, positions: { positionAt: (o) => doc.positionAt(o), firstLineLength: 0 } };
  }
  const scan = scanText(text, languageOfPath(uri.path) ?? 'yaml', readSetting<number>('maxFileSizeKB', uri) ?? 2048);
  return { result: findingsOf(src.model, uri, scan, 0), positions: positionsOf(text) };
}
