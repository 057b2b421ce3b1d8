// Benchmark of `ml-secrets check` (src/cli/main.ts), in plain Node and in-process: a generated
// repository of 10,000 job files (10% with references) checked against the Apolo emulator through
// two CLI logins (APOLO_PASSED_CONFIG for the .apolo/ files, NEURO_PASSED_CONFIG with another
// project for the .neuro/ files), the real HttpClient. Figures: the check ÷ reading the same files,
// and secret-list requests per scope. Run through `npm run bench` (bench/run.mjs).

import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { performance } from 'node:perf_hooks';
import { main } from '../src/cli/main';
import { ApoloEmulator, startApoloEmulator } from '../test/emulators/apolo/server';
import type { Figure } from './core';

const FILES = 10_000;
const ms = (x: number) => `${x < 10 ? x.toFixed(2) : x.toFixed(1)} ms`;
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

/**
 * A job file of about 40 lines; `refs` are its `secret:` references (none: no reference at all).
 * `expressions`: its images are named with apolo-flow's `${{ … }}` expressions, which hold `{{`,
 * one of the scanner's triggers (ZenML's syntax): such a file can't be skipped unread by the prefilter.
 */
export function jobFile(i: number, refs: readonly string[], expressions: boolean): string {
  const out = ['kind: batch', `title: job ${i}`, 'defaults:', '  preset: cpu-small', '  life_span: 1d', 'images:', '  train:', `    ref: image:train-${i % 7}:v1`, 'jobs:'];
  for (let j = 0; j < 3; j++) {
    out.push(`  step_${j}:`, expressions ? '    image: ${{ images.train.ref }}' : `    image: image:train-${i % 7}:v1`, `    preset: gpu-${j}`, '    volumes:', `      - storage:data/${i}:/data:ro`, '    env:');
    out.push(`      EPOCHS: "${10 + j}"`, `      SEED: "${i}"`);
    if (j === 0) refs.forEach((r, k) => out.push(`      SECRET_${k}: secret:${r}`));
    out.push('    bash: |', `      python train.py --step ${j} --seed ${i}`);
  }
  return out.join('\n') + '\n';
}

/**
 * The repository: `.apolo/` folders (Apolo, project demo-project) and, 1 in 10, `.neuro/` folders
 * (Neu.ro, project ml-team); 1 file in 10 has references, present and missing ones, and `${{ … }}`
 * expressions; the others have expressions only when `expressions` says so.
 */
export function generateRepo(dir: string, n: number, rel: (i: number) => string, expressions = false): { files: string[]; missing: number } {
  const files: string[] = [];
  let missing = 0;
  for (let i = 0; i < n; i++) {
    const neuro = i % 10 === 5;
    const f = path.join(dir, rel(i).replace('.apolo', neuro ? '.neuro' : '.apolo'));
    let refs: string[] = [];
    if (i % 10 === 0 || i % 100 === 5) {
      refs = neuro ? ['OPENAI_API_KEY', `NEURO_MISSING_${i}`] : ['WANDB_API_KEY', 'HF_TOKEN', `MISSING_${i}`];
      missing++;
    }
    fs.mkdirSync(path.dirname(f), { recursive: true });
    fs.writeFileSync(f, jobFile(i, refs, expressions || refs.length > 0));
    files.push(f);
  }
  return { files, missing };
}

function passedConfig(token: string, url: string, project: string): string {
  return Buffer.from(JSON.stringify({ token, url, cluster: 'default', org_name: 'demo-org', project_name: project })).toString('base64');
}

interface Measured {
  check: number;
  read: number;
  lists: number;
  scopes: string[];
  references: number;
  missing: number;
}

/** Generates a repository, then times the check and the read baseline, alternating, after a warm-up. */
async function measure(emu: ApoloEmulator, expressions: boolean, rounds: number): Promise<Measured> {
  const repo = fs.mkdtempSync(path.join(os.tmpdir(), 'ml-secrets-bench-cli-'));
  const home = fs.mkdtempSync(path.join(os.tmpdir(), 'ml-secrets-bench-home-'));
  try {
    fs.mkdirSync(path.join(repo, '.git'));
    const { files, missing } = generateRepo(repo, FILES, (i) => path.join(`team${i % 20}`, `proj${i % 100}`, '.apolo', `job_${i}.yml`), expressions);
    const env = {
      APOLO_PASSED_CONFIG: passedConfig(emu.tokens.alice, emu.apiUrl, 'demo-project'),
      NEURO_PASSED_CONFIG: passedConfig(emu.tokens.alice, emu.apiUrl, 'ml-team'),
    };
    let out = '';
    let err = '';
    let code = -1;
    const check = async () => {
      out = '';
      err = '';
      code = await main(['check', '--format', 'json'], { cwd: repo, env, home, out: (s) => (out += s), err: (s) => (err += s) });
    };
    // The CLI reads every file at once (Promise.all in src/cli/check.ts): so does the baseline.
    const read = async () => (await Promise.all(files.map((f) => fs.promises.readFile(f, 'utf8')))).length;
    await check();
    await read();
    const tCheck: number[] = [];
    const tRead: number[] = [];
    let lists = 0;
    const scopes = new Set<string>();
    for (let round = 0; round < rounds; round++) {
      let t = performance.now();
      await read();
      tRead.push(performance.now() - t);
      const before = emu.requests.length;
      t = performance.now();
      await check();
      tCheck.push(performance.now() - t);
      const got = emu.requests.slice(before).filter((q) => q.method === 'GET' && /\/secrets\/?$/.test(q.path));
      lists = got.length;
      for (const q of got) scopes.add(`${String(q.query.org_name)}/${String(q.query.project_name)}`);
    }
    const j = JSON.parse(out) as { findings: Array<{ code: string }>; summary: { files: number; references: number } };
    const found = j.findings.filter((f) => f.code === 'secret-missing').length;
    if (code !== 1 || found !== missing || j.summary.files !== FILES) throw new Error(`the check did not do its work: exit ${code}, ${found} of ${missing} missing found, ${j.summary.files} files\n${err}`);
    return { check: median(tCheck), read: median(tRead), lists, scopes: [...scopes], references: j.summary.references, missing: found };
  } finally {
    fs.rmSync(repo, { recursive: true, force: true });
    fs.rmSync(home, { recursive: true, force: true });
  }
}

export async function cliFigures(): Promise<Figure[]> {
  const emu = await startApoloEmulator({ seed: true });
  try {
    const m = await measure(emu, false, 5);
    const x = await measure(emu, true, 3);
    const ratio = m.check / m.read;
    const perScope = m.lists === m.scopes.length && m.scopes.length === 2;
    return [
      {
        id: 'cliCheck',
        name: `ml-secrets check of a repository of ${FILES.toLocaleString('en')} job files (10% with references, 2 logins) ÷ reading the same files`,
        ratio,
        goal: '≤ 2',
        met: ratio <= 2,
        detail:
          `check ${ms(m.check)} vs read ${ms(m.read)} (median of 5, alternating, after a warm-up; in-process, real HttpClient, emulator over HTTP); ` +
          `${m.references} references, ${m.missing} secret-missing; when every file has apolo-flow \${{ … }} expressions (no file skipped unread): ` +
          `${(x.check / x.read).toFixed(2)} (${ms(x.check)} vs ${ms(x.read)}, median of 3)`,
      },
      {
        id: 'cliRequestsPerScope',
        name: 'secret-list requests of that check',
        value: `${m.lists} for ${m.scopes.length} scope${m.scopes.length === 1 ? '' : 's'} (goal: 1 per scope) ${perScope ? 'met' : 'NOT MET'}`,
        detail: `GET …/secrets counted at the Apolo emulator, one check; scopes ${m.scopes.join(', ')}`,
        met: perScope,
      },
    ];
  } finally {
    await emu.close();
  }
}

if (require.main === module) {
  void cliFigures().then(
    (f) => process.stdout.write(JSON.stringify(f) + '\n'),
    (e: unknown) => {
      process.stderr.write(`${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
      process.exitCode = 1;
    },
  );
}
