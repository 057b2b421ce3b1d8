// The checker pipeline shared by open files (./referenceChecker.ts) and files that aren't open
// (./workspaceCheck.ts): a scan → the connection (src/core/check/target.ts) → the model's cached
// lists (./checkTarget.ts) → findings → diagnostics. One pipeline, so both give the same problems.

import * as vscode from 'vscode';
import { checkReferences, ValidationLevel } from '../core/check/checker';
import { chooseTarget, platformHints, referencesForTarget } from '../core/check/target';
import { MAX_REFERENCES, ScanResult, SecretReference } from '../core/references/reference';
import { YamlScanState } from '../core/references/incremental';
import { isScannedLanguage, languageOfPath, languageScanner, syntaxOf } from '../core/references/syntaxes';
import { SecretsModel } from '../model/secretsModel';
import { readSetting } from '../ui/settings';
import { checkTargetFor } from './checkTarget';
import type { DocumentFindings } from './referenceChecker';

export const DIAGNOSTIC_SOURCE = 'ML Secrets';

/** The findings of a scanned file at `uri` (its folder's settings choose the connection and level). */
export function findingsOf(model: SecretsModel, uri: vscode.Uri, scan: ScanResult, version: number): DocumentFindings {
  if (scan.skipped) return { version, findings: [], skipped: scan.skipped };
  if (!scan.references.length) return { version, findings: [] };
  const connections = model.connections().map((c) => ({ label: c.label, platform: c.platform, signedIn: model.connectionState(c.label).kind !== 'signedOut' }));
  const settingLabel = readSetting<string>('connection', uri) || undefined;
  const syntaxes = new Set(scan.references.map((r) => r.syntax));
  const choice = chooseTarget(uri.path, syntaxes, settingLabel, connections, platformHints(scan.references));
  const refs = referencesForTarget(scan.references, choice, connections);
  const level = (readSetting<string>('validation.level', uri) ?? 'secretAndKeyExist') as ValidationLevel;
  const target = checkTargetFor(model, choice);
  const findings = checkReferences({
    refs,
    target,
    level: ['none', 'secretExists', 'secretAndKeyExist'].includes(level) ? level : 'secretAndKeyExist',
    // With no connection, a syntax's own name rule still finds malformed references.
    fallbackValidateName: (r: SecretReference) => syntaxOf(r)?.validateName?.(r.name),
  });
  return { version, findings, connection: 'label' in choice ? choice.label : undefined, ...('label' in choice && choice.why ? { connectionWhy: choice.why } : {}), ...(scan.truncated ? { truncated: true } : {}) };
}

/** Where offsets land in a text: an open document's, or one read from disk. */
export interface TextPositions {
  positionAt(offset: number): vscode.Position;
  firstLineLength: number;
}

/** The diagnostics of a file's findings (the Problems panel). */
export function diagnosticsOf(uri: vscode.Uri, r: DocumentFindings, text: TextPositions): vscode.Diagnostic[] {
  const top = new vscode.Range(0, 0, 0, Math.min(1, text.firstLineLength));
  if (r.skipped) {
    const maxKB = readSetting<number>('maxFileSizeKB', uri) ?? 2048;
    return [diagnostic(top, `ML Secrets did not check this file: it is larger than ${maxKB} KB (setting mlSecrets.maxFileSizeKB).`, vscode.DiagnosticSeverity.Information, 'file-too-large')];
  }
  const out: vscode.Diagnostic[] = [];
  if (r.truncated) {
    const msg = `ML Secrets checked the first ${MAX_REFERENCES.toLocaleString('en-US')} secret references of this file; it holds more, and those are not checked.`;
    out.push(diagnostic(top, msg, vscode.DiagnosticSeverity.Information, 'too-many-references'));
  }
  for (const f of r.findings) {
    if (f.status !== 'problem' || !f.code) continue;
    const range = new vscode.Range(text.positionAt(f.ref.start), text.positionAt(f.ref.end));
    const sev = f.severity === 'error' ? vscode.DiagnosticSeverity.Error : f.severity === 'warning' ? vscode.DiagnosticSeverity.Warning : vscode.DiagnosticSeverity.Information;
    out.push(diagnostic(range, f.message, sev, f.code));
  }
  return out;
}

function diagnostic(range: vscode.Range, message: string, severity: vscode.DiagnosticSeverity, code: string): vscode.Diagnostic {
  const d = new vscode.Diagnostic(range, message, severity);
  d.source = DIAGNOSTIC_SOURCE;
  d.code = code;
  return d;
}

/** Positions in a text read from disk (as a TextDocument would give them). */
export function positionsOf(text: string): TextPositions {
  const starts = [0];
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 13 && text.charCodeAt(i + 1) === 10) continue;
    if (c === 10 || c === 13) starts.push(i + 1);
  }
  const firstEnd = starts.length > 1 ? starts[1] - 1 - (text.charCodeAt(starts[1] - 2) === 13 && text.charCodeAt(starts[1] - 1) === 10 ? 1 : 0) : text.length;
  return {
    firstLineLength: Math.max(0, firstEnd),
    positionAt(offset: number): vscode.Position {
      let lo = 0;
      let hi = starts.length - 1;
      while (lo < hi) {
        const mid = (lo + hi + 1) >> 1;
        if (starts[mid] <= offset) lo = mid;
        else hi = mid - 1;
      }
      return new vscode.Position(lo, offset - starts[lo]);
    },
  };
}

/** A whole text scanned as the open-file checker scans a document it sees for the first time. */
export function scanText(text: string, language: string, maxKB: number): ScanResult {
  const opts = { maxLength: Math.max(16, maxKB) * 1024, deferSpans: true };
  const own = languageScanner(language);
  return own ? own(text, opts) : YamlScanState.full(text, opts).result;
}

/**
 * How a job document is read: a language a syntax scans (Python, shell scripts, Makefiles, Markdown:
 * by its language id, else by its path) with that syntax's scanner; every other job file as YAML.
 */
export function languageOfDocument(doc: vscode.TextDocument): string {
  if (isScannedLanguage(doc.languageId)) return doc.languageId;
  return languageOfPath(doc.uri.path) ?? 'yaml';
}
