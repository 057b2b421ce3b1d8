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
