// Generates the TypeScript for the vendored flyteidl2 .proto files (proto/flyteidl2/, see
// proto/README.md) into src/core/platforms/flyte/gen/.   npm run gen:proto
//
// Steps, all local (no network, no Buf Schema Registry):
//   1. copy proto/flyteidl2/**/*.proto to a temporary directory, with the annotations of the two
//      modules the upstream build pulls from the registry removed (see stripAnnotations):
//        - buf.validate (protovalidate) constraints: `[(buf.validate.field)…]`,
//          `option (buf.validate.oneof|message)… ;` and `import "buf/validate/validate.proto"`;
//        - grpc-gateway REST mappings: `option (google.api.http) = {…};` and
//          `import "google/api/annotations.proto"`.
//      Custom options are descriptor metadata only: they change neither the messages, the field
//      numbers nor the wire format. The vendored files stay byte-for-byte as upstream.
//   2. run the npm `buf` (devDependency @bufbuild/buf) with the npm `protoc-gen-es`
//      (@bufbuild/protoc-gen-es v2) as a local plugin: target=ts, import_extension=none (esbuild
//      bundles to CommonJS and resolves extension-less imports), output replaced wholesale.
//   3. check that no generated file still mentions a stripped module.
//
// `--check` regenerates into a temporary directory and fails if the committed output differs.
import { spawnSync } from 'node:child_process';
import { cpSync, mkdtempSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const protoDir = join(root, 'proto');
const outDir = join(root, 'src/core/platforms/flyte/gen');
const check = process.argv.includes('--check');

/** Options (and their imports) from modules that are not vendored. */
const STRIPPED = ['buf.validate', 'google.api'];
const STRIPPED_IMPORTS = ['buf/validate/validate.proto', 'google/api/annotations.proto'];

function walk(dir) {
  return readdirSync(dir).flatMap((n) => {
    const p = join(dir, n);
    return statSync(p).isDirectory() ? walk(p) : [p];
  });
}

/**
 * Index just past the string, comment or bracketed group starting at i, or i + 1 for any other
 * character. Brackets nest; strings and comments may hold any character.
 */
function skip(src, i) {
  const c = src[i];
  if (c === '"' || c === "'") {
    let j = i + 1;
    while (j < src.length && src[j] !== c) j += src[j] === '\\' ? 2 : 1;
    return j + 1;
  }
  if (c === '/' && src[i + 1] === '/') {
    const j = src.indexOf('\n', i);
    return j < 0 ? src.length : j;
  }
  if (c === '/' && src[i + 1] === '*') return src.indexOf('*/', i + 2) + 2;
  const close = { '[': ']', '{': '}', '(': ')' }[c];
  if (close) {
    let j = i + 1;
    while (j < src.length && src[j] !== close) j = skip(src, j);
    if (j >= src.length) throw new Error(`unbalanced ${c} at ${i}`);
    return j + 1;
  }
  return i + 1;
}

/** Whether an option name (text after `option` or inside `[...]`) belongs to a stripped module. */
const isStripped = (text) => STRIPPED.some((m) => text.trimStart().startsWith(`(${m}`));

/** Removes the stripped modules' imports, option statements and field options. */
function stripAnnotations(src, file) {
  let out = '';
  let i = 0;
  let prevWord = '';
  while (i < src.length) {
    const c = src[i];
    // `import "…";` of a stripped module
    const imp = /^import\s+"([^"]+)"\s*;[ \t]*\n?/.exec(src.slice(i, i + 200));
    if (imp && /(^|\n)\s*$/.test(out) && STRIPPED_IMPORTS.includes(imp[1])) {
      i += imp[0].length;
      continue;
    }
    // `option (buf.validate…) = …;` statement (message, oneof or method level)
    const opt = /^option\s+/.exec(src.slice(i, i + 20));
    if (opt && /(^|[\s{;])$/.test(out) && isStripped(src.slice(i + opt[0].length))) {
      let j = i + opt[0].length;
      while (src[j] !== ';') j = skip(src, j);
      i = j + 1;
      out = out.replace(/[ \t]*$/, '');
      if (src[i] === '\n') i++;
      if (!/\n$/.test(out)) out += '\n';
      continue;
    }
    // field options `[a, (buf.validate.field)…, b]` after `= <number>`
    if (c === '[' && /^\d+$/.test(prevWord)) {
      const end = skip(src, i);
      const inner = src.slice(i + 1, end - 1);
      const parts = [];
      let k = 0;
      let start = 0;
      while (k <= inner.length) {
        if (k === inner.length || inner[k] === ',') {
          parts.push(inner.slice(start, k));
          start = k + 1;
          k++;
        } else k = skip(inner, k);
      }
      const kept = parts.filter((p) => !isStripped(p.replace(/^\s*(\/\/[^\n]*\n\s*)*/, '')) && p.trim() !== '');
      if (kept.length) out += `[${kept.map((p) => p.trim()).join(', ')}]`;
      else out = out.replace(/[ \t]*$/, '');
      i = end;
      continue;
    }
    // anything else: copy a string, comment, word or single character; remember the last
    // significant token (a field's `[` follows its number)
    let j = c === '"' || c === "'" || c === '/' ? skip(src, i) : i + 1;
    if (/\w/.test(c)) while (j < src.length && /\w/.test(src[j])) j++;
    const tok = src.slice(i, j);
    out += tok;
    if (!/^\s|^\/[/*]/.test(tok)) prevWord = tok;
    i = j;
  }
  for (const m of STRIPPED) {
    // what's left in code (not comments) must not name a stripped module
    const code = out.replace(/\/\/[^\n]*|\/\*[\s\S]*?\*\//g, '');
    if (code.includes(`(${m}`) || STRIPPED_IMPORTS.some((p) => code.includes(`"${p}"`))) {
      throw new Error(`${file}: ${m} left after stripping`);
    }
  }
  return out;
}

function run(cmd, args, opts) {
  const r = spawnSync(cmd, args, { stdio: 'inherit', ...opts });
  if (r.status !== 0) throw new Error(`${cmd} ${args.join(' ')} failed (${r.status ?? r.signal})`);
}

const work = mkdtempSync(join(tmpdir(), 'gen-flyte-proto-'));
try {
  const src = join(work, 'proto');
  for (const f of walk(join(protoDir, 'flyteidl2')).filter((p) => p.endsWith('.proto'))) {
    const rel = relative(protoDir, f);
    mkdirSync(dirname(join(src, rel)), { recursive: true });
    writeFileSync(join(src, rel), stripAnnotations(readFileSync(f, 'utf8'), rel));
  }
  const target = check ? join(work, 'out') : outDir;
  rmSync(target, { recursive: true, force: true });
  const bin = (n) => join(root, 'node_modules', '.bin', process.platform === 'win32' ? `${n}.cmd` : n);
  const template = {
    version: 'v2',
    plugins: [{ local: bin('protoc-gen-es'), out: target, opt: ['target=ts', 'import_extension=none'] }],
  };
  run(bin('buf'), ['generate', src, '--template', JSON.stringify(template)], { cwd: work, shell: process.platform === 'win32' });
  const files = walk(target);
  for (const f of files) {
    const text = readFileSync(f, 'utf8');
    if (/buf\/validate|google\/api/.test(text)) throw new Error(`${relative(root, f)} still refers to a stripped module`);
  }
  if (check) {
    const committed = walk(outDir).map((f) => relative(outDir, f)).sort();
    const fresh = files.map((f) => relative(target, f)).sort();
    const differs =
      committed.join('\n') !== fresh.join('\n') ||
      fresh.some((r) => readFileSync(join(target, r), 'utf8') !== readFileSync(join(outDir, r), 'utf8'));
    if (differs) {
      console.error('gen:proto --check: src/core/platforms/flyte/gen is not what the script generates; run npm run gen:proto');
      process.exitCode = 1;
    } else console.log(`gen:proto --check: ${fresh.length} files up to date`);
  } else {
    console.log(`gen:proto: ${files.length} files in ${relative(root, outDir)}`);
  }
} finally {
  rmSync(work, { recursive: true, force: true });
}
