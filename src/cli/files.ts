// The job files under the paths given to `ml-secrets check`: YAML, Python, shell scripts, Markdown and
// Makefiles, skipping node_modules, .git and whatever the repository's .gitignore files ignore
// (each .gitignore applies below its own folder; the `ignore` package implements git's rules:
// globs, `**`, negation `!`, folder-only `/`).

import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import ignore, { Ignore } from 'ignore';

const JOB_FILE = /(\.ya?ml|\.py|\.sh|\.bash|\.mk|\.md|\.markdown)$|(^|\/)(GNU)?[Mm]akefile$/;
const NEVER = new Set(['node_modules', '.git']);

interface Rules {
  dir: string;
  ig: Ignore;
}

/** Whether a path (a file, or a folder when `isDir`) is ignored by any .gitignore above it. */
function ignored(rules: readonly Rules[], abs: string, isDir: boolean): boolean {
  for (const r of rules) {
    const rel = path.relative(r.dir, abs).split(path.sep).join('/');
    if (!rel || rel.startsWith('..')) continue;
    if (r.ig.ignores(isDir ? `${rel}/` : rel)) return true;
  }
  return false;
}

async function rulesOf(dir: string): Promise<Rules | undefined> {
  try {
    const text = await fs.readFile(path.join(dir, '.gitignore'), 'utf8');
    return { dir, ig: ignore().add(text) };
  } catch {
    return undefined;
  }
}

/** The .gitignore rules of the folders from the repository root down to `dir` (exclusive). */
async function rulesAbove(root: string, dir: string): Promise<Rules[]> {
  const out: Rules[] = [];
  let d = root;
  const parts = path.relative(root, dir).split(path.sep).filter(Boolean);
  for (const p of parts) {
    const r = await rulesOf(d);
    if (r) out.push(r);
    d = path.join(d, p);
  }
  return out;
}

async function walk(dir: string, rules: Rules[], out: string[]): Promise<void> {
  const own = await rulesOf(dir);
  const here = own ? [...rules, own] : rules;
  let entries;
  try {
    entries = await fs.readdir(dir, { withFileTypes: true });
  } catch {
    return;
  }
  entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  for (const e of entries) {
    const abs = path.join(dir, e.name);
    if (e.isDirectory()) {
      if (!NEVER.has(e.name) && !ignored(here, abs, true)) await walk(abs, here, out);
    } else if (e.isFile() && JOB_FILE.test(e.name) && !ignored(here, abs, false)) out.push(abs);
  }
}

/** Every job file under `paths` (files given by name are taken as they are), absolute, each once. */
export async function findJobFiles(root: string, paths: readonly string[]): Promise<string[]> {
  const out: string[] = [];
  for (const p of paths) {
    const abs = path.resolve(p);
    const st = await fs.stat(abs);
    if (st.isFile()) out.push(abs);
    else if (st.isDirectory()) await walk(abs, await rulesAbove(root, abs), out);
  }
  return [...new Set(out)];
}

/** The repository root: the nearest folder up from `start` holding .git (else `start`). */
export async function repoRoot(start: string): Promise<string> {
  let d = path.resolve(start);
  for (;;) {
    try {
      await fs.stat(path.join(d, '.git'));
      return d;
    } catch {
      const up = path.dirname(d);
      if (up === d) return path.resolve(start);
      d = up;
    }
  }
}
