// The "Missing" group of the Secrets view (src/tree/secretsTree.ts): every referenced secret that
// doesn't exist (the `secret-missing` findings of open and unopened job files), per connection,
// with the files and places that use it. Pure: no vscode, so unit tests run it in plain Node.

import type { Finding } from '../core/check/checker';

/** One file's findings and the connection it was checked against. */
export interface FileFindings {
  /** The file's URI (a string, as the diagnostics are keyed). */
  file: string;
  connection?: string;
  findings: readonly Finding[];
  /** Line and column (0-based) of an offset of the file, when known. */
  at?: (offset: number) => { line: number; character: number };
}

export interface MissingUse {
  file: string;
  start: number;
  end: number;
  line?: number;
  character?: number;
}

export interface MissingSecret {
  connection: string;
  name: string;
  /** The checker's scope id (cluster/org/project/domain) the secret is missing from. */
  scopeId?: string;
  scopeLabel?: string;
  uses: MissingUse[];
}

/** Missing secrets by connection, each sorted by name; every use sorted by file and offset. */
export function missingSecrets(files: Iterable<FileFindings>): Map<string, MissingSecret[]> {
  const byKey = new Map<string, MissingSecret>();
  for (const f of files) {
    if (!f.connection) continue;
    for (const x of f.findings) {
      if (x.status !== 'problem' || x.code !== 'secret-missing') continue;
      const name = x.missingName ?? x.ref.name;
      const key = `${f.connection}\u0000${x.scopeId ?? ''}\u0000${name}`;
      let m = byKey.get(key);
      if (!m) byKey.set(key, (m = { connection: f.connection, name, scopeId: x.scopeId, scopeLabel: x.scopeLabel, uses: [] }));
      m.uses.push({ file: f.file, start: x.ref.start, end: x.ref.end, ...f.at?.(x.ref.start) });
    }
  }
  const out = new Map<string, MissingSecret[]>();
  for (const m of byKey.values()) {
    m.uses.sort((a, b) => (a.file < b.file ? -1 : a.file > b.file ? 1 : a.start - b.start));
    out.set(m.connection, [...(out.get(m.connection) ?? []), m]);
  }
  for (const list of out.values()) list.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : (a.scopeId ?? '').localeCompare(b.scopeId ?? '')));
  return out;
}

/** `project` / `domain` of a checker scope id, for the prefilled "Create" (as the quick fix does). */
export function createArgsOf(m: MissingSecret): Record<string, unknown> {
  const [, , project, domain] = (m.scopeId ?? '').split('/');
  return { connection: m.connection, name: m.name, ...(project ? { project } : {}), ...(domain ? { domain } : {}), interactive: true };
}
