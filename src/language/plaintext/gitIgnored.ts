// Whether git ignores a file (a .env that won't be committed is still a token on disk, but the
// diagnostic says so): the .gitignore files from the repository root down to the file's folder and
// .git/info/exclude, matched with the `ignore` package (git's own pattern rules). Reads are cached
// for a few seconds; anything unreadable counts as "not ignored".

import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import ignore from 'ignore';

const CACHE_MS = 5000;
const cache = new Map<string, { at: number; text: string | undefined }>();

async function readCached(file: string): Promise<string | undefined> {
  const hit = cache.get(file);
  if (hit && Date.now() - hit.at < CACHE_MS) return hit.text;
  let text: string | undefined;
  try {
    const st = await fs.stat(file);
    // A .gitignore of megabytes is not one we read in an editor keystroke.
    text = st.isFile() && st.size < 512 * 1024 ? await fs.readFile(file, 'utf8') : undefined;
  } catch {
    text = undefined;
  }
  cache.set(file, { at: Date.now(), text });
  return text;
}

async function isDir(p: string): Promise<boolean> {
  try {
    return (await fs.stat(p)).isDirectory();
  } catch {
    return false;
  }
}

/** The folders from the repository root (the nearest folder with .git) down to the file's own. */
async function foldersToRoot(file: string): Promise<string[] | undefined> {
  const chain: string[] = [];
  let dir = path.dirname(file);
  for (let i = 0; i < 64; i++) {
    chain.unshift(dir);
    if (await isDir(path.join(dir, '.git'))) return chain;
    const up = path.dirname(dir);
    if (up === dir) return undefined;
    dir = up;
  }
  return undefined;
}

export async function isIgnoredByGit(file: string): Promise<boolean> {
  const chain = await foldersToRoot(file);
  if (!chain) return false;
  const root = chain[0];
  const exclude = await readCached(path.join(root, '.git', 'info', 'exclude'));
  for (const dir of chain) {
    const rules = dir === root ? [exclude, await readCached(path.join(dir, '.gitignore'))] : [await readCached(path.join(dir, '.gitignore'))];
    const ig = ignore();
    for (const r of rules) if (r) ig.add(r);
    const rel = path.relative(dir, file).split(path.sep).join('/');
    // A folder ignored higher up ignores everything inside it.
    const parts = rel.split('/');
    for (let n = 1; n <= parts.length; n++) {
      const sub = parts.slice(0, n).join('/') + (n < parts.length ? '/' : '');
      if (ig.ignores(sub)) return true;
    }
  }
  return false;
}
