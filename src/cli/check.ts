// `ml-secrets check`: scan the job files, pick each file's connection as the editor does
// (src/language/referenceChecker.ts: chooseTarget + referencesForTarget), fetch the lists the
// references need, and check them with the editor's checker.

import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { checkReferences, CheckInput, Finding } from '../core/check/checker';
import { chooseTarget, platformHints, ConnectionSummary, referencesForTarget, TargetChoice } from '../core/check/target';
import type { SecretReference } from '../core/references/reference';
import { languageOf, scanIndexed } from '../core/references/referenceIndex';
import { syntaxOf } from '../core/references/syntaxes';
import { PLATFORM_NAMES } from '../core/platforms/registry';
import { bindingFor, CONFIG_FILE, FolderBinding } from './config';
import { bindingLabel, CliConnection } from './connections';
import { checkTargetOf, fetchLists, ListFailure } from './lists';

/** Like the editor's default mlSecrets.maxFileSizeKB. */
const MAX_LENGTH = 2048 * 1024;

/** A plaintext token (`--plaintext`, src/cli/plaintext.ts): what it is and where it should go, never the token. */
export interface PlaintextReport {
  code: 'plaintext-secret';
  severity: 'warning';
  message: string;
  ruleId: string;
  envVar: string;
  suggestedName: string;
}

export interface FileFinding {
  /** Relative to the working folder, forward slashes. */
  path: string;
  line: number;
  column: number;
  endLine: number;
  endColumn: number;
  finding: Finding | PlaintextReport;
}

export interface CheckResult {
  files: number;
  references: number;
  findings: FileFinding[];
  /** List requests made, and how many answered. */
  lists: number;
  fetched: number;
  failures: ListFailure[];
}

interface Scanned {
  rel: string;
  text: string;
  refs: SecretReference[];
  choice: TargetChoice;
}

async function scanFile(abs: string, cwd: string, root: string, bindings: readonly FolderBinding[], summaries: readonly ConnectionSummary[]): Promise<Scanned | undefined> {
  const text = await fs.readFile(abs, 'utf8').catch(() => undefined);
  if (text === undefined) return undefined;
  const rel = path.relative(cwd, abs).split(path.sep).join('/');
  const fromRoot = path.relative(root, abs).split(path.sep).join('/');
  const scan = scanIndexed(text, MAX_LENGTH, languageOf(fromRoot));
  if (scan.skipped || !scan.references.length) return { rel, text, refs: [], choice: { none: '' } };
  const b = bindingFor(bindings, fromRoot);
  const label = b ? bindingLabel(b) : undefined;
  // Another folder's binding is not a candidate here: only the logins and this file's own binding are.
  const candidates = summaries.filter((c) => c.label === label || !c.label.startsWith(`${CONFIG_FILE}:`));
  const choice = chooseTarget(fromRoot, new Set(scan.references.map((r) => r.syntax)), label, candidates, platformHints(scan.references));
  return { rel, text, refs: referencesForTarget(scan.references, choice, candidates), choice: cliWording(choice, b) };
}

/** The editor's advice (its commands and settings) said the command line's way. */
function cliWording(choice: TargetChoice, b: FolderBinding | undefined): TargetChoice {
  if (!('none' in choice)) return choice;
  if (b && choice.bound) {
    return { ...choice, none: `${CONFIG_FILE} binds '${b.folder}' to ${PLATFORM_NAMES[b.platform]}, but there is no ${PLATFORM_NAMES[b.platform]} CLI login (environment or home dir): log in with its CLI.` };
  }
  const none = choice.none
    .replace(/^no a platform connection\. Sign in with "ML Secrets: Sign In"\.$/, "no platform CLI login (environment or home dir): log in with your platform's CLI.")
    .replace(/ connection\. Sign in with "ML Secrets: Sign In"\.$/, " CLI login (environment or home dir): log in with its CLI.")
    .replace(/ Choose one for this folder \(ML Secrets: Choose Connection for This Folder\)\.$/, ' Bind this folder to one in .ml-secrets.json.')
    .replace(/unless its folder is bound to a connection \(mlSecrets\.connection\)/, 'unless its folder is bound in .ml-secrets.json');
  return { ...choice, none };
}

/** 1-based line and column of an offset. */
export function position(text: string, offset: number): { line: number; column: number } {
  let line = 1;
  let lineStart = 0;
  for (let i = text.indexOf('\n'); i !== -1 && i < offset; i = text.indexOf('\n', i + 1)) {
    line++;
    lineStart = i + 1;
  }
  return { line, column: offset - lineStart + 1 };
}

function located(s: Scanned, f: Finding): FileFinding {
  const a = position(s.text, f.ref.start);
  const b = position(s.text, f.ref.end);
  return { path: s.rel, line: a.line, column: a.column, endLine: b.line, endColumn: b.column, finding: f };
}

export interface CheckOptions {
  cwd: string;
  root: string;
  files: readonly string[];
  bindings: readonly FolderBinding[];
  connections: readonly CliConnection[];
  offline: boolean;
}

export async function runCheck(o: CheckOptions): Promise<CheckResult> {
  const summaries: ConnectionSummary[] = o.connections.map((c) => ({ label: c.label, platform: c.platform }));
  const scanned = (await Promise.all(o.files.map((f) => scanFile(f, o.cwd, o.root, o.bindings, summaries)))).filter((s): s is Scanned => !!s);
  const work = new Map<CliConnection, SecretReference[]>();
  for (const s of scanned) {
    const c = 'label' in s.choice ? o.connections.find((x) => x.label === (s.choice as { label: string }).label) : undefined;
    if (c) work.set(c, [...(work.get(c) ?? []), ...s.refs]);
  }
  const fetched = o.offline ? undefined : await fetchLists(work);
  const findings: FileFinding[] = [];
  for (const s of scanned) {
    const cl = 'label' in s.choice ? fetched?.all.get(s.choice.label) : undefined;
    const target: CheckInput['target'] = cl ? checkTargetOf(cl) : 'none' in s.choice ? s.choice : { none: 'offline (--offline): only the references\u2019 syntax is checked.' };
    const out = checkReferences({ refs: s.refs, target, level: 'secretAndKeyExist', fallbackValidateName: (r) => syntaxOf(r)?.validateName?.(r.name) });
    for (const f of out) {
      if (f.status !== 'problem' || !f.code) continue;
      if (o.offline && f.code !== 'reference-malformed') continue;
      findings.push(located(s, f));
    }
  }
  return { files: scanned.length, references: scanned.reduce((n, s) => n + s.refs.length, 0), findings, lists: fetched?.requests ?? 0, fetched: fetched?.fetched ?? 0, failures: fetched?.failures ?? [] };
}
