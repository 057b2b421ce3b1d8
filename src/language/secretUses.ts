// Which secret a reference denotes, and every use of that secret on the same connection across the
// workspace (open files or not): what Go to Definition, Find All References and Rename
// (./definition.ts, ./references.ts, ./rename.ts) and the tree's Find All References share. A use
// is a reference the editor's own pipeline (./fileCheck.ts) checks against the same connection and
// resolves to the same name in the same scope; the candidate files come from the workspace
// reference index (./referenceIndex.ts), handed in so that there is one index.

import * as vscode from 'vscode';
import type { Finding } from '../core/check/checker';
import { identityOf, nameOffsets, SecretIdentity, sameSecret } from '../core/check/secretIdentity';
import { SecretReference } from '../core/references/reference';
import { languageOfPath } from '../core/references/syntaxes';
import { SecretsModel } from '../model/secretsModel';
import { readSetting } from '../ui/settings';
import { findingsOf, positionsOf, scanText, TextPositions } from './fileCheck';
import type { DocumentFindings, ReferenceChecker } from './referenceChecker';
import type { WorkspaceReferenceIndex } from './referenceIndex';

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
