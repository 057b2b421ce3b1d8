// The manifest against the contract and the security rules (docs/security.md A2).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

const pkg = JSON.parse(readFileSync(join(__dirname, '..', '..', '..', 'package.json'), 'utf8'));

test('identity and engines match the contract', () => {
  assert.equal(pkg.name, 'ml-secrets');
  assert.equal(pkg.publisher, 'ml-secrets');
  assert.equal(pkg.displayName, 'ML Secrets');
  assert.equal(pkg.engines.vscode, '^1.95.0');
  assert.equal(pkg.devDependencies['@types/vscode'], '1.95.0');
  assert.ok(pkg.contributes.viewsContainers.activitybar.some((c: { id: string }) => c.id === 'mlSecrets'));
  assert.ok(pkg.contributes.views.mlSecrets.some((v: { id: string }) => v.id === 'mlSecrets.secrets'));
});

test("every contract command is contributed, with a category", () => {
  const ids = ['signIn', 'signOut', 'importCliCredentials', 'refresh', 'addSecret', 'updateSecret', 'deleteSecret', 'shareSecret', 'listSecrets', 'copyReference', 'showLogs'].map((c) => `mlSecrets.${c}`);
  const contributed = new Map(pkg.contributes.commands.map((c: { command: string; category?: string }) => [c.command, c]));
  for (const id of ids) {
    assert.ok(contributed.has(id), id);
    assert.equal((contributed.get(id) as { category?: string }).category, 'ML Secrets');
  }
});

test('no setting can redirect a token; every setting has an explicit scope', () => {
  const props = pkg.contributes.configuration.properties as Record<string, { scope?: string; type: string }>;
  for (const [key, p] of Object.entries(props)) {
    assert.ok(p.scope, `${key} has no scope`);
    const words = key.replace(/^mlSecrets\./, '').split(/[.]|(?=[A-Z])/).map((w) => w.toLowerCase());
    for (const w of words) assert.ok(!['url', 'uri', 'endpoint', 'host', 'proxy', 'cert', 'ca', 'tls', 'path', 'command', 'args', 'server'].includes(w), `${key} looks like it chooses where a token goes or what runs`);
  }
  assert.equal(props['mlSecrets.http.timeoutSeconds'].scope, 'application');
});

test('Restricted Mode support is declared honestly', () => {
  const u = pkg.capabilities.untrustedWorkspaces;
  assert.equal(u.supported, 'limited');
  assert.match(u.description, /will not add, update, delete or share/);
  assert.deepEqual([...u.restrictedConfigurations].sort(), ['mlSecrets.connection', 'mlSecrets.jobFiles']);
});

test('key rows (ZenML) have a context menu with Copy Reference, as secret rows do', () => {
  const menu = pkg.contributes.menus['view/item/context'] as Array<{ command: string; when: string; group?: string }>;
  const keyItems = menu.filter((m) => m.when.includes('mlSecrets\\.key') && !(m.group ?? '').startsWith('inline'));
  assert.ok(keyItems.some((m) => m.command === 'mlSecrets.copyReference'), 'no context-menu Copy Reference on key rows');
});

test('engines.node is what the development tools need (the extension itself runs on VS Code\'s own Node)', () => {
  assert.equal(pkg.engines.node, '>=22');
});

/** The VS Code Marketplace's categories (vsce rejects others). */
const MARKETPLACE_CATEGORIES = new Set(['AI', 'Azure', 'Chat', 'Data Science', 'Debuggers', 'Education', 'Extension Packs', 'Formatters', 'Keymaps', 'Language Packs', 'Linters', 'Machine Learning', 'Notebooks', 'Other', 'Programming Languages', 'SCM Providers', 'Snippets', 'Testing', 'Themes', 'Visualization']);

test('marketplace-ready: a 128×128 PNG icon, banner, known categories, at most 30 keywords, links, licence and changelog', () => {
  const root = join(__dirname, '..', '..', '..');
  const png = readFileSync(join(root, pkg.icon));
  assert.equal(png.subarray(1, 4).toString('latin1'), 'PNG');
  // IHDR: width and height, big-endian, at bytes 16 and 20.
  assert.deepEqual([png.readUInt32BE(16), png.readUInt32BE(20)], [128, 128]);
  assert.match(pkg.galleryBanner.color, /^#[0-9a-f]{6}$/i);
  assert.ok(['dark', 'light'].includes(pkg.galleryBanner.theme));
  for (const c of pkg.categories) assert.ok(MARKETPLACE_CATEGORIES.has(c), c);
  assert.ok(pkg.keywords.length > 0 && pkg.keywords.length <= 30);
  for (const k of ['repository', 'bugs', 'homepage']) assert.ok(pkg[k], k);
  assert.match(pkg.bugs.url, /^https:\/\//);
  for (const f of ['LICENSE', 'CHANGELOG.md', 'README.md']) assert.ok(readFileSync(join(root, f), 'utf8').length > 20, f);
});

test('the walkthrough: every step has a picture that ships and a completion event that can fire', () => {
  const root = join(__dirname, '..', '..', '..');
  const [w] = pkg.contributes.walkthroughs;
  assert.equal(w.id, 'gettingStarted');
  const commands = new Set(pkg.contributes.commands.map((c: { command: string }) => c.command));
  const ignore = readFileSync(join(root, '.vscodeignore'), 'utf8');
  assert.match(ignore, /^!media\/walkthrough\/\*\*$/m);
  for (const s of w.steps) {
    assert.ok(readFileSync(join(root, s.media.image)).length > 1000, s.media.image);
    assert.ok(s.media.altText, s.id);
    assert.equal(s.completionEvents.length, 1, s.id);
    const [kind, what] = s.completionEvents[0].split(':');
    if (kind === 'onCommand') assert.ok(commands.has(what), what);
    else assert.ok(kind === 'onContext' && ['mlSecrets.hasConnections', 'mlSecrets.jobFileChecked', 'mlSecrets.secretCreated'].includes(what), s.completionEvents[0]);
    for (const m of s.description.matchAll(/\(command:([\w.]+)/g)) assert.ok(commands.has(m[1]) || m[1].startsWith('workbench.'), m[1]);
  }
});

test("the README's pictures and the walkthrough's are the ones scripts/pictures.mjs makes from the UI tests' screenshots", async () => {
  const root = join(__dirname, '..', '..', '..');
  // The table of pictures, read from the script (an ES module) as data.
  const script = readFileSync(join(root, 'scripts', 'pictures.mjs'), 'utf8');
  const made = new Set([...script.matchAll(/\['[\w.-]+\.png', '(media\/[\w/.-]+)'/g)].map((m) => m[1]));
  const readme = readFileSync(join(root, 'README.md'), 'utf8');
  const shown = [...readme.matchAll(/!\[[^\]]+\]\((media\/[^)]+)\)/g)].map((m) => m[1]);
  assert.ok(shown.length >= 3, 'the README shows at least three pictures');
  for (const p of shown) {
    assert.ok(made.has(p), `${p} is not made by scripts/pictures.mjs`);
    assert.ok(readFileSync(join(root, p)).length > 1000, p);
  }
  for (const s of pkg.contributes.walkthroughs[0].steps) {
    assert.ok(made.has(s.media.image), `${s.media.image} is not made by scripts/pictures.mjs`);
    // WebP: RIFF....WEBP
    const b = readFileSync(join(root, s.media.image));
    assert.equal(`${b.subarray(0, 4).toString('latin1')}${b.subarray(8, 12).toString('latin1')}`, 'RIFFWEBP', s.media.image);
  }
});
