// Find All References on a secret reference: every use of the same secret on the same connection in
// the workspace's job files (YAML, Python, shell scripts, Makefiles; open or not), found through the
// workspace reference index and confirmed by the checker's own pipeline (./secretUses.ts).

import * as vscode from 'vscode';
import { identityOf } from '../core/check/secretIdentity';
import { findingAt, UseSources, usesOf } from './secretUses';

export class SecretsReferenceProvider implements vscode.ReferenceProvider {
  constructor(private readonly src: UseSources) {}

  async provideReferences(doc: vscode.TextDocument, pos: vscode.Position, ctx: vscode.ReferenceContext, token?: vscode.CancellationToken): Promise<vscode.Location[] | undefined> {
    const at = findingAt(this.src.checker, doc, pos);
    const id = at && identityOf(at.finding, at.result.connection);
    if (!id) return undefined;
    // A secret has no declaration in the workspace: every use is a reference (includeDeclaration changes nothing).
    void ctx;
    const uses = await usesOf(id, this.src, token);
    return uses.map((u) => new vscode.Location(u.uri, u.range));
  }
}

