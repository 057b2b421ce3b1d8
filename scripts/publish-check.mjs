#!/usr/bin/env node
// `npm run publish:check`: everything a publish to the VS Code Marketplace and to Open VSX checks,
// offline and without publishing. Marketplace: `vsce package` (its manifest, icon, README-link and
// secret-scan checks) and `vsce ls` showing only what the extension needs. Open VSX: ovsx's own
// checks of the packaged .vsix (its manifest as read from the package, the required fields, the
// licence) plus the registry's rules for namespace, name and version. Prints `N passed, N failed`.
import { spawnSync } from 'node:child_process';
import { mkdirSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const repo = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const require = createRequire(import.meta.url);
const vsce = join(repo, 'node_modules', '.bin', 'vsce');
const out = join(repo, '.test-output', 'publish-check', 'ml-secrets.vsix');
/** What the .vsix may hold besides the bundles (dist/*.js): nothing else. */
const ALLOWED = [/^dist\/(?!cli\.js$)[\w.-]+\.js$/, /^dist\/vendor\/[\w.-]+\.js$/, /^media\/(icon\.png|secrets\.svg|walkthrough\/[\w-]+\.webp)$/, /^(package\.json|README\.md|LICENSE|CHANGELOG\.md)$/];
/** The .vsix budget (issue 17): 350 KB plus what secretlint adds, with room for the pictures' drift. */
const MAX_VSIX = 400 * 1024;

let passed = 0;
let failed = 0;
async function check(name, fn) {
  try {
    const note = await fn();
    passed++;
    console.log(`  ✓ ${name}${note ? ` — ${note}` : ''}`);
  } catch (e) {
    failed++;
    console.log(`  ✗ ${name}: ${e instanceof Error ? e.message : String(e)}`);
  }
}

function vsceRun(args) {
  const r = spawnSync(vsce, args, { cwd: repo, encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`vsce ${args[0]} failed: ${(r.stderr || r.stdout).trim().split('\n').slice(-3).join(' ')}`);
  return r.stdout;
}

mkdirSync(dirname(out), { recursive: true });

await check('Marketplace: vsce package accepts the manifest, icon, README and files', () => {
  vsceRun(['package', '--no-dependencies', '--out', out]);
  const size = statSync(out).size;
  if (size > MAX_VSIX) throw new Error(`the .vsix is ${(size / 1024).toFixed(1)} KB (budget ${MAX_VSIX / 1024} KB)`);
  return `${(size / 1024).toFixed(1)} KB`;
});

await check('Marketplace: vsce ls lists only what the extension needs', () => {
  const files = vsceRun(['ls', '--no-dependencies']).split('\n').map((l) => l.trim()).filter(Boolean);
  const extra = files.filter((f) => !ALLOWED.some((re) => re.test(f)));
  if (extra.length) throw new Error(`unexpected files: ${extra.join(', ')}`);
  for (const need of ['dist/extension.js', 'dist/lazy.js', 'media/icon.png', 'package.json', 'LICENSE']) if (!files.includes(need)) throw new Error(`missing ${need}`);
  return `${files.length} files`;
});

await check('Open VSX: ovsx reads the packaged .vsix; required fields, licence, namespace, name and version pass', async () => {
  const ovsx = require('ovsx');
  const { readVSIXPackage } = require('ovsx/lib/zip');
  const manifest = await readVSIXPackage(out);
  ovsx.validateManifest(manifest);
  if (!(await ovsx.isLicenseOk(repo, manifest))) throw new Error('no licence: Open VSX refuses unlicensed extensions');
  // The registry's name rules (openvsx-server ExtensionValidator: namespace and extension names).
  const NAME = /^[\w\-+$~]+$/;
  if (!NAME.test(manifest.publisher) || !NAME.test(manifest.name)) throw new Error(`'${manifest.publisher}.${manifest.name}' is not a valid Open VSX name`);
  if (!/^\d+\.\d+\.\d+(-[\w.]+)?$/.test(manifest.version)) throw new Error(`version '${manifest.version}' is not semver`);
  if (!manifest.engines?.vscode) throw new Error('engines.vscode is missing');
  return `${manifest.publisher}.${manifest.name}@${manifest.version}, licence ${manifest.license}`;
});

console.log(`${passed} passed, ${failed} failed`);
process.exit(failed ? 1 : 0);
