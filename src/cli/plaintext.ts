// `ml-secrets check --plaintext`: tokens in plain text (issue 16) in the job files, .env files and
// notebooks under the paths, reported as `plaintext-secret` warnings with a masked preview (the
// rule's public prefix and the length), never the token. A file .gitignore ignores is reported too,
// "(ignored by git)": the token is still on disk, and one `git add -f` from the history.

import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { detectPlaintext, maskedPreview, plaintextLanguageOf } from '../core/plaintext/detect';
import { detectNotebook } from '../core/plaintext/notebook';
import type { PlaintextFinding } from '../core/plaintext/types';
import { FileFinding, position, PlaintextReport } from './check';
import type { FoundFile } from './files';

/** Like the editor's default mlSecrets.maxFileSizeKB. */
const MAX_LENGTH = 2048 * 1024;

function report(f: PlaintextFinding, ignored: boolean): PlaintextReport {
  const where = f.inComment ? ' in a comment' : '';
  const message = `${f.label} in plain text${where} (${maskedPreview(f.ruleId, f.end - f.start)}): move it into a platform secret${ignored ? ' (ignored by git)' : ''}`;
  return { code: 'plaintext-secret', severity: 'warning', message, ruleId: f.ruleId, envVar: f.envVar, suggestedName: f.suggestedName };
}

function located(rel: string, text: string, start: number, end: number, finding: PlaintextReport): FileFinding {
  const a = position(text, start);
  const b = position(text, end);
  return { path: rel, line: a.line, column: a.column, endLine: b.line, endColumn: b.column, finding };
}

async function scanOne(file: FoundFile, cwd: string): Promise<FileFinding[] | undefined> {
  const notebook = file.abs.endsWith('.ipynb');
  const language = notebook ? undefined : plaintextLanguageOf(file.abs) ?? 'plaintext';
  const text = await fs.readFile(file.abs, 'utf8').catch(() => undefined);
  if (text === undefined) return undefined;
  if (text.length > MAX_LENGTH) return [];
  const rel = path.relative(cwd, file.abs).split(path.sep).join('/');
  if (language) return (await detectPlaintext(text, language, { maxLength: MAX_LENGTH })).map((f) => located(rel, text, f.start, f.end, report(f, file.ignored)));
  const out: FileFinding[] = [];
  for (const n of await detectNotebook(text)) {
    // A notebook's finding is placed at the token in the raw .ipynb text (else at the file's start).
    const at = n.raw ?? { start: 0, end: 0 };
    out.push(located(rel, text, at.start, at.end, report(n.finding, file.ignored)));
  }
  return out;
}

/** The plaintext tokens in `files`: how many files were read, and the findings (in file order). */
export async function scanPlaintext(files: readonly FoundFile[], cwd: string): Promise<{ files: number; findings: FileFinding[] }> {
  const all = await Promise.all(files.map((f) => scanOne(f, cwd)));
  const read = all.filter((x): x is FileFinding[] => !!x);
  return { files: read.length, findings: read.flat() };
}
