// The workspace-wide check (src/language/workspaceCheck.ts, setting mlSecrets.workspaceCheck)
// inside the real VS Code: unopened job files are generated on disk while the setting is "off"
// (bench/run.mjs writes it into the workspace's settings before VS Code starts); then (a) cold start:
// the setting flips to "on" and the clock runs until every file with a missing reference shows its
// `secret-missing` problem, against reading the same files with vscode.workspace.fs.readFile;
// (b) one file rewritten on disk (a new missing reference) until its problems show it, against
// reading that file. Times come back to bench/vscode/index.ts.

import * as fs from 'node:fs';
import * as path from 'node:path';
import { performance } from 'node:perf_hooks';
import * as vscode from 'vscode';

const FILES = 2000;
const CHANGES = 3;
/** How long the cold start may take; a change, or waiting for the check to be quiet: CHANGE_TIMEOUT_MS. */
const TIMEOUT_MS = 120_000;
const CHANGE_TIMEOUT_MS = 15_000;

export interface WorkspaceCheckResult {
  files: number;
  withMissing: number;
  coldMs: number;
  readAllMs: number;
  /** Median over the CHANGES rewrites that showed (-1: none did). */
  changeMs: number;
  /** Each rewrite's time; -1: it never showed within CHANGE_TIMEOUT_MS. */
  changeAll: number[];
  /** One rewrite right after the cold start, before the check was quiet (-1: it never showed). */
  duringPass: number;
  readOneMs: number;
  /** Files still without their problem when the wait gave up (0 when all showed up). */
  notShown: number;
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

function jobText(i: number, missing: readonly string[]): string {
  const env = missing.map((m, k) => `      MISSING_${k}: secret:${m}\n`).join('');
  return `kind: batch\ntitle: service ${i}\njobs:\n  train:\n    image: image:train:v${i % 5}\n    preset: gpu-small\n    env:\n      EPOCHS: "10"\n${env}    bash: python train.py --seed ${i}\n`;
}

/** Whether the file's problems include a secret-missing one naming `name`. */
function shows(uri: vscode.Uri, name: string): boolean {
  return vscode.languages.getDiagnostics(uri).some((d) => d.code === 'secret-missing' && d.message.includes(`'${name}'`));
}

/** Resolves with the time at which every (uri, name) shows, or with the ones left after `timeoutMs`. */
function waitFor(expected: Map<string, { uri: vscode.Uri; name: string }>, timeoutMs = TIMEOUT_MS): Promise<{ at: number; left: number }> {
  return new Promise((resolve) => {
    const check = (uris: readonly vscode.Uri[]) => {
      for (const u of uris) {
        const e = expected.get(u.toString());
        if (e && shows(e.uri, e.name)) expected.delete(u.toString());
      }
      if (!expected.size) done();
    };
    const sub = vscode.languages.onDidChangeDiagnostics((e) => check(e.uris));
    // Also look now and then, in case an event was missed.
    const poll = setInterval(() => check([...expected.values()].map((e) => e.uri)), 500);
    const timer = setTimeout(() => done(), timeoutMs);
    function done() {
      const at = performance.now();
      sub.dispose();
      clearInterval(poll);
      clearTimeout(timer);
      resolve({ at, left: expected.size });
    }
  });
}

/** Resolves once no diagnostics changed for `quietMs` (the check's passes are over), or after CHANGE_TIMEOUT_MS. */
function settled(quietMs: number): Promise<void> {
  return new Promise((resolve) => {
    let timer = setTimeout(done, quietMs);
    const sub = vscode.languages.onDidChangeDiagnostics(() => {
      clearTimeout(timer);
      timer = setTimeout(done, quietMs);
    });
    const cap = setTimeout(done, CHANGE_TIMEOUT_MS);
    function done() {
      clearTimeout(timer);
      clearTimeout(cap);
      sub.dispose();
      resolve();
    }
  });
}

async function readAll(uris: readonly vscode.Uri[]): Promise<number> {
  const t = performance.now();
  for (const u of uris) await vscode.workspace.fs.readFile(u);
  return performance.now() - t;
}

export async function workspaceCheckFigures(root: string): Promise<WorkspaceCheckResult> {
  const cfg = () => vscode.workspace.getConfiguration('mlSecrets');
  if (cfg().get('workspaceCheck') !== 'off') throw new Error('mlSecrets.workspaceCheck must be "off" in the bench workspace at start');
  const uris: vscode.Uri[] = [];
  const expected = new Map<string, { uri: vscode.Uri; name: string }>();
  const plain: vscode.Uri[] = [];
  for (let i = 0; i < FILES; i++) {
    const f = path.join(root, `svc${i % 40}`, '.apolo', `job_${i}.yml`);
    fs.mkdirSync(path.dirname(f), { recursive: true });
    const name = i % 10 === 0 ? `WS_MISSING_${i}` : undefined;
    fs.writeFileSync(f, jobText(i, name ? [name] : []));
    const uri = vscode.Uri.file(f);
    uris.push(uri);
    if (name) expected.set(uri.toString(), { uri, name });
    else plain.push(uri);
  }
  // Let VS Code's own watcher see the new files before anything is timed.
  await new Promise((r) => setTimeout(r, 3000));
  // Baseline: read every file, one after another as the extension's index does; warm-up, then the median of 3.
  await readAll(uris);
  const readAllMs = median([await readAll(uris), await readAll(uris), await readAll(uris)]);

  // (a) Cold start: nothing was checked or indexed while "off".
  const withMissing = expected.size;
  const waiting = waitFor(expected);
  const t0 = performance.now();
  await cfg().update('workspaceCheck', 'on', vscode.ConfigurationTarget.Workspace);
  const { at, left } = await waiting;
  const coldMs = at - t0;

  // (b) One unopened file rewritten on disk with a new missing reference; the file watcher tells the index.
  // Each change waits until the check is quiet (2 s without a diagnostics change, at most 15 s) (the pass that follows the list's arrival can still be running).
  const changeAll: number[] = [];
  const readOne: number[] = [];
  const change = async (k: number): Promise<number> => {
    const uri = plain[k * 97];
    const name = `WS_CHANGED_${k}`;
    const t = performance.now();
    await vscode.workspace.fs.readFile(uri);
    readOne.push(performance.now() - t);
    const one = waitFor(new Map([[uri.toString(), { uri, name }]]), CHANGE_TIMEOUT_MS);
    const t1 = performance.now();
    fs.writeFileSync(uri.fsPath, jobText(k, [name]));
    const r = await one;
    return r.left ? -1 : r.at - t1;
  };
  // Once right away, while the pass that follows the list's arrival may still run (not in the median).
  const duringPass = await change(CHANGES);
  for (let k = 0; k < CHANGES; k++) {
    await settled(2000);
    changeAll.push(await change(k));
  }
  const shown = changeAll.filter((x) => x >= 0);
  return { files: FILES, withMissing, coldMs, readAllMs, changeMs: shown.length ? median(shown) : -1, changeAll, duringPass, readOneMs: median(readOne), notShown: left };
}
