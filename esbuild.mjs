// The bundler script.
//   node esbuild.mjs               -> dist/extension.js (the extension; `main` in package.json)
//   node esbuild.mjs --production  -> same, minified, no source map (what the .vsix ships)
//   node esbuild.mjs --tests       -> also transpiles src/, test/ and bench/ to out/ (one file each,
//                                     CommonJS) for the unit tests, the emulators and the suites that
//                                     run inside VS Code
//   node esbuild.mjs --watch       -> rebuild dist/ on change
// Every build also writes dist/cli.js: the `ml-secrets` command line (src/cli/main.ts, bin/ml-secrets.js),
// one self-contained file for plain Node; it ships in the npm package, never in the .vsix (.vscodeignore).
import * as esbuild from 'esbuild';
import { readdirSync, statSync, rmSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const args = new Set(process.argv.slice(2));
const production = args.has('--production');
const tests = args.has('--tests');
const watch = args.has('--watch');

const here = dirname(fileURLToPath(import.meta.url));
/** Modules with identity (error classes for instanceof, the redactor singleton): one copy, dist/shared.js. */
const SHARED = ['src/core/errors', 'src/core/redact'].map((p) => resolve(here, p));

/**
 * Modules shipped as their own file (dist/<name>.js), loaded on first use, so activation doesn't pay
 * for them: the Flyte wire (Connect + the generated flyteidl2 types: the first Flyte call), the
 * scanners of job files that aren't YAML (the first Python, shell or Makefile scanned) and MosaicML's
 * run-YAML analysis (the first mcli run file with a MosaicML connection).
 */
const SPLIT = {
  flyteWire: 'src/core/platforms/flyte/wire',
  flytePython: 'src/core/platforms/flyte/pythonScanner',
  zenmlPython: 'src/core/platforms/zenml/pythonScanner',
  zenmlShell: 'src/core/platforms/zenml/shellScanner',
  apoloShell: 'src/core/platforms/apolo/shellCommands',
  mosaicRunYaml: 'src/core/platforms/mosaic/runYamlSecrets',
  plaintext: 'src/core/plaintext/detect',
  plaintextNotebook: 'src/core/plaintext/notebook',
};

/** Resolves the shared modules, lazy.ts and the SPLIT modules to their own files next to the bundle being built. */
function splitPlugin(self) {
  return {
    name: 'split',
    setup(build) {
      build.onResolve({ filter: /^\./ }, (a) => {
        const abs = resolve(a.resolveDir, a.path).replace(/\.[jt]s$/, '');
        if (self !== 'shared' && SHARED.includes(abs)) return { path: './shared.js', external: true };
        if (self === 'extension' && abs === resolve(here, 'src/lazy')) return { path: './lazy.js', external: true };
        // Code that only some files or calls need loads from its own file on first use.
        for (const [name, mod] of Object.entries(SPLIT)) if (self !== name && abs === resolve(here, mod)) return { path: `./${name}.js`, external: true };
        return undefined;
      });
      // yaml and node-fetch are the heaviest code there is; they load on first use from their own
      // files (see src/core/vendor.ts), so activation doesn't pay for them.
      build.onResolve({ filter: /^(yaml|node-fetch)$/ }, (a) => ({ path: `./vendor/${a.path}.js`, external: true }));
    },
  };
}

/** @type {esbuild.BuildOptions} */
const common = {
  bundle: true,
  format: 'cjs',
  platform: 'node',
  target: 'node20',
  external: ['vscode'],
  minify: production,
  sourcemap: production ? false : 'linked',
  legalComments: production ? 'none' : 'inline',
  logLevel: 'warning',
  // import() of the split files becomes a plain require (VS Code 1.95 loads CommonJS).
  supported: { 'dynamic-import': false },
};

const bundles = [
  { ...common, entryPoints: ['src/extension.ts'], outfile: 'dist/extension.js', plugins: [splitPlugin('extension')] },
  { ...common, entryPoints: ['src/lazy.ts'], outfile: 'dist/lazy.js', plugins: [splitPlugin('lazy')] },
  ...Object.entries(SPLIT).map(([name, mod]) => ({ ...common, entryPoints: [`${mod}.ts`], outfile: `dist/${name}.js`, plugins: [splitPlugin(name)] })),
  // The command line: self-contained (yaml, node-fetch and the scanners inside), kept out of the extension's bundles.
  { ...common, external: [], entryPoints: ['src/cli/main.ts'], outfile: 'dist/cli.js' },
  {
    ...common,
    stdin: { contents: "export * from './src/core/errors'; export * from './src/core/redact';", resolveDir: here, loader: 'ts' },
    outfile: 'dist/shared.js',
    plugins: [splitPlugin('shared')],
  },
];

/** The vendor files, one per package, CommonJS. */
const vendorOptions = (name) => ({
  stdin: { contents: `export * from '${name}';${name === 'node-fetch' ? " export { default } from 'node-fetch';" : ''}`, resolveDir: '.', loader: 'js' },
  bundle: true,
  outfile: `dist/vendor/${name}.js`,
  format: 'cjs',
  platform: 'node',
  target: 'node20',
  minify: true,
  legalComments: 'none',
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
});

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
  await Promise.all([esbuild.build(vendorOptions('yaml')), esbuild.build(vendorOptions('node-fetch'))]);
  for (const b of bundles) await (await esbuild.context(b)).watch();
  console.log('watching src/ …');
} else {
  rmSync('dist', { recursive: true, force: true });
  await Promise.all([...bundles.map((b) => esbuild.build(b)), esbuild.build(vendorOptions('yaml')), esbuild.build(vendorOptions('node-fetch'))]);
  if (tests) await buildTests();
}
