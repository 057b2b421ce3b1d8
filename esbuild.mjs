// The bundler script.
//   node esbuild.mjs               -> dist/extension.js (the extension; `main` in package.json)
//   node esbuild.mjs --production  -> same, minified, no source map (what the .vsix ships)
//   node esbuild.mjs --tests       -> also transpiles src/, test/ and bench/ to out/ (one file each,
//                                     CommonJS) for the unit tests, the emulators and the suites that
//                                     run inside VS Code
//   node esbuild.mjs --watch       -> rebuild dist/ on change
import * as esbuild from 'esbuild';
import { readdirSync, statSync, rmSync } from 'node:fs';
import { join } from 'node:path';

const args = new Set(process.argv.slice(2));
const production = args.has('--production');
const tests = args.has('--tests');
const watch = args.has('--watch');

/** @type {esbuild.BuildOptions} */
const extensionOptions = {
  entryPoints: ['src/extension.ts'],
  bundle: true,
  outfile: 'dist/extension.js',
  format: 'cjs',
  platform: 'node',
  target: 'node20',
  external: ['vscode'],
  minify: production,
  sourcemap: production ? false : 'linked',
  legalComments: production ? 'none' : 'inline',
  logLevel: 'warning',
  // node-fetch v3 reaches for a web-streams polyfill only when node:stream/web is missing;
  // every Node that VS Code ships has it, so the polyfill is never bundled.
  plugins: [
    {
      name: 'no-web-streams-polyfill',
      setup(build) {
        build.onResolve({ filter: /^web-streams-polyfill/ }, (a) => ({ path: a.path, external: true }));
      },
    },
  ],
};

function walk(dir, out = []) {
  for (const name of readdirSync(dir)) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) walk(p, out);
    else if (/\.(ts|mts)$/.test(name) && !name.endsWith('.d.ts')) out.push(p);
  }
  return out;
}

async function buildTests() {
  rmSync('out', { recursive: true, force: true });
  const entryPoints = ['src', 'test', 'bench'].flatMap((d) => {
    try {
      return walk(d);
    } catch {
      return [];
    }
  });
  await esbuild.build({
    entryPoints,
    outdir: 'out',
    outbase: '.',
    format: 'cjs',
    // keep import() native so ESM-only packages (node-fetch 3) load in plain Node
    supported: { 'dynamic-import': true },
    platform: 'node',
    target: 'node20',
    sourcemap: 'inline',
    logLevel: 'warning',
  });
}

if (watch) {
  const ctx = await esbuild.context(extensionOptions);
  await ctx.watch();
  console.log('watching src/ …');
} else {
  await esbuild.build(extensionOptions);
  if (tests) await buildTests();
}
