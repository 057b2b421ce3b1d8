// Real job files: no false alarms, and the references people actually write (issue 12). Each public
// file of test/fixtures/realworld goes through the editor's pipeline (realworldCorpus.ts) and is
// compared with its hand labels. Prints, per platform, files, references, found, misses, false
// alarms, precision and recall, and lists every miss and false alarm; fails when a platform has a
// false alarm or a recall under 95%.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { checkFile, corpusFiles, corpusRoot, groupOf, loadLabels, type FileResult } from './realworldCorpus';

const GROUPS = ['apolo', 'zenml', 'mosaic', 'flyte', 'other-tools'];
const MIN_RECALL = 0.95;

interface Figures {
  files: number;
  references: number;
  found: number;
  misses: number;
  falseAlarms: number;
  lookalikes: number;
}

function pct(n: number, d: number): string {
  return d === 0 ? 'n/a' : `${((100 * n) / d).toFixed(1)}%`;
}

function figures(results: FileResult[]): Map<string, Figures> {
  const by = new Map<string, Figures>(GROUPS.map((g) => [g, { files: 0, references: 0, found: 0, misses: 0, falseAlarms: 0, lookalikes: 0 }]));
  for (const r of results) {
    const f = by.get(r.group)!;
    f.files++;
    f.references += r.references;
    f.found += r.found;
    f.misses += r.misses.length;
    f.falseAlarms += r.falseAlarms.length;
    f.lookalikes += r.lookalikes;
  }
  return by;
}

function report(results: FileResult[], by: Map<string, Figures>): string {
  const rows = [['platform', 'files', 'refs', 'found', 'misses', 'false alarms', 'look-alikes', 'precision', 'recall']];
  for (const [g, f] of by) rows.push([g, f.files, f.references, f.found, f.misses, f.falseAlarms, f.lookalikes, pct(f.found, f.found + f.falseAlarms), pct(f.found, f.references)].map(String));
  const widths = rows[0].map((_, i) => Math.max(...rows.map((r) => r[i].length)));
  const out = ['Real-world corpus (test/fixtures/realworld):', ...rows.map((r) => r.map((c, i) => c.padEnd(widths[i])).join('  '))];
  for (const r of results) {
    for (const m of r.misses) out.push(`  MISS         ${m.file}:${m.line}  ${m.text}  — ${m.why}`);
    for (const a of r.falseAlarms) out.push(`  FALSE ALARM  ${a.file}:${a.line}  ${a.text}  — ${a.why}`);
  }
  return out.join('\n');
}

test('every corpus file is labelled and listed in SOURCES.md, and each labelled name is on its line', () => {
  const labels = loadLabels();
  const files = corpusFiles();
  const sources = readFileSync(join(corpusRoot(), 'SOURCES.md'), 'utf8');
  assert.deepEqual(Object.keys(labels).sort(), files, 'labels.json covers exactly the corpus files');
  for (const f of files) {
    assert.ok(sources.includes(`| ${f} |`), `SOURCES.md lists ${f}`);
    const lines = readFileSync(join(corpusRoot(), f), 'utf8').split('\n');
    for (const r of labels[f].references) assert.ok(lines[r.line - 1]?.includes(r.name), `${f}:${r.line} holds '${r.name}'`);
    assert.ok(GROUPS.includes(groupOf(labels[f])), `${f}: known platform`);
  }
  assert.ok(files.length >= 60, `${files.length} files`);
});

test('real job files: no false alarms, recall ≥ 95% per platform', () => {
  const labels = loadLabels();
  const t0 = Date.now();
  const results = corpusFiles().map((f) => checkFile(f, labels[f]));
  const by = figures(results);
  console.log(report(results, by));
  console.log(`(${results.length} files in ${Date.now() - t0} ms)`);
  const failures: string[] = [];
  for (const [g, f] of by) {
    if (f.falseAlarms) failures.push(`${g}: ${f.falseAlarms} false alarm(s)`);
    if (f.references && f.found / f.references < MIN_RECALL) failures.push(`${g}: recall ${pct(f.found, f.references)} < ${MIN_RECALL * 100}%`);
  }
  assert.deepEqual(failures, []);
});
