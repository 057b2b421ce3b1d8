// The job files under the paths given to `ml-secrets check`: YAML, Python, shell scripts, Markdown and
// Makefiles, skipping node_modules, .git and whatever the repository's .gitignore files ignore
// (each .gitignore applies below its own folder; the `ignore` package implements git's rules:
// globs, `**`, negation `!`, folder-only `/`). With `--plaintext`, also .env files and notebooks,
// and the files .gitignore ignores in the folders walked (a token there is still on disk): they come
// marked `ignored`; ignored folders are never walked.

import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import ignore, { Ignore } from 'ignore';

const JOB_FILE = /(\.ya?ml|\.py|\.sh|\.bash|\.mk|\.md|\.markdown)$|(^|\/)(GNU)?[Mm]akefile$/;
/** What `--plaintext` reads besides the job files: .env files (`.env`, `.env.*`, `*.env`) and notebooks. */
const PLAINTEXT_FILE = /(^|\/)\.env(\.[^/]*)?$|\.env$|\.ipynb$/;

/** A file found, and whether .gitignore ignores it (only plaintext scanning reads ignored files). */
export interface FoundFile {
  abs: string;
  ignored: boolean;
  /** Its references are checked: a job file .gitignore doesn't ignore, or a file given by name. */
  job: boolean;
}
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

/** Whether .gitignore files from the repository root down to a file's folder ignore it. */
async function ignoredFile(root: string, abs: string): Promise<boolean> {
  const dir = path.dirname(abs);
  if (path.relative(root, dir).startsWith('..')) return false;
  const own = await rulesOf(dir);
  return ignored([...(await rulesAbove(root, dir)), ...(own ? [own] : [])], abs, false);
}

async function walk(dir: string, rules: Rules[], out: FoundFile[], plaintext: boolean): Promise<void> {
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
      if (!NEVER.has(e.name) && !ignored(here, abs, true)) await walk(abs, here, out, plaintext);
    } else if (e.isFile() && (JOB_FILE.test(e.name) || (plaintext && PLAINTEXT_FILE.test(e.name)))) {
      const ig = ignored(here, abs, false);
      const job = !ig && JOB_FILE.test(e.name);
      if (job || plaintext) out.push({ abs, ignored: ig, job });
    }
  }
}

/**
 * Every file under `paths` (files given by name are taken as they are), absolute, each once: the job
 * files .gitignore doesn't ignore, and with `plaintext` also .env files, notebooks and ignored files.
 */
export async function findFiles(root: string, paths: readonly string[], plaintext: boolean): Promise<FoundFile[]> {
  const out: FoundFile[] = [];
  for (const p of paths) {
    const abs = path.resolve(p);
    const st = await fs.stat(abs);
    if (st.isFile()) out.push({ abs, ignored: plaintext && (await ignoredFile(root, abs)), job: true }); else if (st.isDirectory()) await walk(abs, await rulesAbove(root, abs), out, plaintext);
  }
  const seen = new Set<string>();
  return out.filter((f) => !seen.has(f.abs) && !!seen.add(f.abs));
}

/** Every job file under `paths` (files given by name are taken as they are), absolute, each once. */
export async function findJobFiles(root: string, paths: readonly string[]): Promise<string[]> {
  return (await findFiles(root, paths, false)).map((f) => f.abs);
}

/**
 * The repository root: the nearest folder up from `start` holding .git or .ml-secrets.json (a tree
 * outside git — an unpacked archive, the sandbox's demo — still finds its folder bindings), else `start`.
 */
export async function repoRoot(start: string): Promise<string> {
  const has = (d: string, f: string) => fs.stat(path.join(d, f)).then(() => true, () => false);
  for (let d = path.resolve(start); ; ) {
    if ((await has(d, '.git')) || (await has(d, '.ml-secrets.json'))) return d;
    const up = path.dirname(d);
    if (up === d) return path.resolve(start);
    d = up;
  }
}
