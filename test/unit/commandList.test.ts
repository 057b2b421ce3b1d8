// The one command list (src/commands/list.ts) against package.json, extension.ts and lazy.ts: a
// command contributed but not registered (or registered but not contributed) fails here.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { EAGER_COMMANDS, LAZY_COMMANDS } from '../../src/commands/list';

const root = join(__dirname, '..', '..', '..');
const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
const source = (f: string) => readFileSync(join(root, f), 'utf8');

test('package.json contributes exactly the commands of src/commands/list.ts', () => {
  const contributed = (pkg.contributes.commands as Array<{ command: string }>).map((c) => c.command).sort();
  assert.deepEqual(contributed, [...LAZY_COMMANDS, ...EAGER_COMMANDS].sort());
  assert.equal(new Set(contributed).size, contributed.length, 'no command is contributed twice');
});

test('extension.ts registers the lazy list and each eager command, and nothing else', () => {
  const ext = source('src/extension.ts');
  assert.match(ext, /\.\.\.LAZY_COMMANDS\.map\(\(id\) => vscode\.commands\.registerCommand\(id,/);
  const literal = [...ext.matchAll(/registerCommand\('([^']+)'/g)].map((m) => m[1]).sort();
  assert.deepEqual(literal, [...EAGER_COMMANDS].sort());
});

test('lazy.ts maps every lazy command, each from its own file under src/commands/', () => {
  const lazy = source('src/lazy.ts');
  const mapped = [...lazy.matchAll(/^\s+'(mlSecrets\.[A-Za-z]+)': /gm)].map((m) => m[1]).sort();
  assert.deepEqual(mapped, [...LAZY_COMMANDS].sort());
  const files = new Set(readdirSync(join(root, 'src', 'commands')).map((f) => f.replace(/\.ts$/, '')));
  for (const id of [...LAZY_COMMANDS, ...EAGER_COMMANDS]) {
    const name = id.replace(/^mlSecrets\./, '');
    assert.ok(files.has(name), `src/commands/${name}.ts holds ${id}`);
  }
});

test('menus and keybindings name only listed commands', () => {
  const known = new Set<string>([...LAZY_COMMANDS, ...EAGER_COMMANDS]);
  const menus = pkg.contributes.menus as Record<string, Array<{ command?: string }>>;
  for (const [where, items] of Object.entries(menus)) for (const m of items) if (m.command) assert.ok(known.has(m.command), `${where}: ${m.command}`);
  for (const k of (pkg.contributes.keybindings ?? []) as Array<{ command: string }>) assert.ok(known.has(k.command.replace(/^-/, '')), k.command);
});
