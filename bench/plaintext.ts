// Benchmark of plaintext token detection (issue 16), in plain Node: detectPlaintext (secretlint's
// recommended preset + our rules + context) over bench/core.ts's 20,000-line job YAML ÷ the
// reference check of the same file (scan + check against a cached list), as a ratio measured in the
// same run. Also the same file with 200 synthetic tokens in it, and the first call (secretlint's load).
// Run through `npm run bench` (bench/run.mjs).

import { performance } from 'node:perf_hooks';
import { checkReferences, CheckTarget, ScopeState } from '../src/core/check/checker';
import { validateApoloKey } from '../src/core/platforms/apolo/names';
import type { SecretInfo } from '../src/core/platforms/types';
import { detectPlaintext } from '../src/core/plaintext/detect';
import { YamlScanState } from '../src/core/references/incremental';
import { fake } from '../test/fixtures/plaintext/fakes';
import { Figure, jobYaml, ms, timeAsync } from './core';

const time = (fn: () => unknown) => timeAsync(fn, 11, 3);

function target(): CheckTarget {
  const secrets = new Map<string, SecretInfo>(Array.from({ length: 200 }, (_, i) => [`secret_${2 * i}`, { name: `secret_${2 * i}` }]));
  const state: ScopeState = { status: 'ok', label: 'demo-org/demo-project', secrets, complete: true };
  return { label: 'bench', platformName: 'Apolo', keyed: false, validateName: validateApoloKey, resolveScope: () => ({ scopeId: 'own' }), state: () => state };
}

/** The job file with `n` synthetic tokens (a mix of kinds) as env values, spread through it. */
function withTokens(text: string, n: number): string {
  const lines = text.split('\n');
  const kinds = ['huggingface', 'wandb', 'openai', 'aws', 'github', 'databricks', 'zenml', 'anthropic'];
  const step = Math.floor(lines.length / n);
  for (let i = n - 1; i >= 0; i--) {
    const k = kinds[i % kinds.length];
    const name = k === 'wandb' ? 'WANDB_API_KEY' : `TOKEN_${i}`;
    lines.splice(i * step + 1, 0, `      ${name}: ${fake(k, i + 1)}`);
  }
  return lines.join('\n');
}

export async function plaintextFigures(): Promise<Figure[]> {
  const big = jobYaml(20_000, 5_000);
  const t = target();
  const first = performance.now();
  const cold = await detectPlaintext(big, 'yaml');
  const tCold = performance.now() - first;
  const tCheck = await time(() => checkReferences({ refs: YamlScanState.full(big).result.references, target: t, level: 'secretAndKeyExist' }));
  const tDetect = await time(() => detectPlaintext(big, 'yaml'));
  const tokens = withTokens(big, 200);
  let found = 0;
  const tTokens = await time(async () => (found = (await detectPlaintext(tokens, 'yaml')).length));
  const ratio = tDetect / tCheck;
  return [
    {
      id: 'plaintext',
      name: 'plaintext token detection (secretlint preset + own rules) of the 20,000-line job YAML ÷ its reference check (scan + check against a cached list)',
      ratio,
      goal: '≤ 1.5',
      met: ratio <= 1.5 && cold.length === 0 && found === 200,
      detail: `${ms(tDetect)} vs ${ms(tCheck)} (${(big.length / 1024).toFixed(0)} KB, no token: ${cold.length} found); with 200 synthetic tokens ${ms(tTokens)}, ${found} found; first call (loads secretlint) ${ms(tCold)}`,
    },
  ];
}

if (require.main === module) {
  void plaintextFigures().then(
    (f) => process.stdout.write(JSON.stringify(f) + '\n'),
    (e: unknown) => {
      process.stderr.write(`${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
      process.exitCode = 1;
    },
  );
}
