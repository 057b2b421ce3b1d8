// Editor intelligence (issue 15) inside the real VS Code: the `{}` language status item (connection,
// list age, warnings for a wrong folder binding), hover actions, code lens density, and the tree's
// filter and "unused" mark — against the Apolo and ZenML emulators.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { startApoloEmulator, ApoloEmulator } from '../emulators/apolo/server';
import { startZenmlEmulator, ZenmlEmulator } from '../emulators/zenml/server';
import { activate, closeAll, EXTENSION_ID, lenses, openJobFile, recordCanaries, waitFor } from './helpers';

const APOLO = 'it-status-apolo';
const ZEN = 'it-status-zenml';

interface StatusApi {
  languageStatus(): { text: string; detail: string; severity: string; connection?: string } | undefined;
}

function run<T = unknown>(id: string, arg?: unknown): Promise<T> {
  return vscode.commands.executeCommand(id, arg) as Promise<T>;
}

const api = () => vscode.extensions.getExtension(EXTENSION_ID)!.exports as StatusApi;
const bind = (label: string | undefined) => vscode.workspace.getConfiguration('mlSecrets').update('connection', label, vscode.ConfigurationTarget.Workspace);

describe('Editor intelligence: language status, hover actions, lens density, tree filter', function () {
  let apolo: ApoloEmulator;
  let zen: ZenmlEmulator;

  before(async () => {
    await activate();
    apolo = await startApoloEmulator({ seed: true });
    zen = await startZenmlEmulator({ seed: true });
    await run('mlSecrets.signIn', { platform: 'apolo', url: apolo.apiUrl, token: apolo.tokens.alice, org: 'demo-org', project: 'demo-project', label: APOLO });
    await run('mlSecrets.signIn', { platform: 'zenml', url: zen.url, username: 'alice', password: zen.users.alice.password, label: ZEN });
  });

  after(async () => {
    await bind(undefined);
    await closeAll();
    for (const l of [APOLO, ZEN]) await run('mlSecrets.removeConnection', { connection: l }).catch(() => undefined);
    recordCanaries([...Object.values(apolo.tokens), zen.users.alice.password]);
    await apolo.close();
    await zen.close();
  });

  it('the language status item names the connection a job file is checked against, and its list age', async () => {
    await bind(APOLO);
    await openJobFile('.apolo/status.yml', 'jobs:\n  train:\n    image: ubuntu\n    env:\n      WANDB_API_KEY: secret:WANDB_API_KEY\n');
    const s = await waitFor(() => {
      const st = api().languageStatus();
      return st?.connection === APOLO && /list (just fetched|\d+ min old)/.test(st.detail) ? st : undefined;
    }, 'the status item to name the connection and its list age', 15_000);
    assert.equal(s.severity, 'information');
    assert.match(s.text, new RegExp(APOLO));
  });

  it('warns when the folder binding names no connection', async () => {
    await bind('no-such-connection');
    const s = await waitFor(() => {
      const st = api().languageStatus();
      return st?.severity === 'warning' ? st : undefined;
    }, 'a warning for a binding naming no connection', 15_000);
    assert.equal(s.connection, undefined);
    assert.match(s.detail, /no-such-connection/);
  });

  it('warns when the folder is bound to a connection of the wrong platform', async () => {
    await bind(ZEN);
    const s = await waitFor(() => {
      const st = api().languageStatus();
      return st?.connection === ZEN && st.severity === 'warning' ? st : undefined;
    }, 'a warning for a ZenML binding of an Apolo file', 15_000);
    assert.match(s.detail, /ZenML connection/);
    await bind(APOLO);
    await waitFor(() => api().languageStatus()?.severity === 'information', 'the warning to clear', 15_000);
  });

  it('hover actions: Create… for a missing secret, Copy reference / Reveal in tree / Refresh for an existing one, only our commands', async () => {
    await bind(APOLO);
    const text = 'jobs:\n  train:\n    image: ubuntu\n    env:\n      A: secret:WANDB_API_KEY\n      B: secret:it_missing_one\n      C: "secret:x](command:workbench.action.terminal.new)"\n';
    const doc = await openJobFile('.apolo/hover.yml', text);
    const linksAt = async (needle: string) => {
      const pos = doc.positionAt(text.indexOf(needle) + needle.length - 2);
      const hovers = (await vscode.commands.executeCommand<vscode.Hover[]>('vscode.executeHoverProvider', doc.uri, pos)) ?? [];
      const md = hovers.flatMap((h) => h.contents.map((c) => (typeof c === 'string' ? c : c.value))).join('\n');
      return [...md.matchAll(/\]\(command:([\w.]+)(?:\?([^ )]*))?/g)].map((m) => ({ id: m[1], args: m[2] ? (JSON.parse(decodeURIComponent(m[2])) as Record<string, unknown>[])[0] : undefined, md }));
    };
    const ok = await waitFor(async () => {
      const l = await linksAt('secret:WANDB_API_KEY');
      return l.some((x) => x.id === 'mlSecrets.revealSecret') ? l : undefined;
    }, 'the actions of an existing secret', 15_000);
    assert.deepEqual(ok.map((x) => x.id).sort(), ['mlSecrets.copyReference', 'mlSecrets.refresh', 'mlSecrets.revealSecret']);
    const reveal = ok.find((x) => x.id === 'mlSecrets.revealSecret')!;
    assert.equal(reveal.args?.name, 'WANDB_API_KEY');
    assert.equal(reveal.args?.connection, APOLO);
    assert.equal(await run<boolean>('mlSecrets.revealSecret', reveal.args), true);
    const copy = ok.find((x) => x.id === 'mlSecrets.copyReference')!;
    assert.equal(await run<string>('mlSecrets.copyReference', { ...copy.args, interactive: false }), 'secret:WANDB_API_KEY');
    const missing = await linksAt('secret:it_missing_one');
    const create = missing.find((x) => x.id === 'mlSecrets.addSecret');
    assert.ok(create, `no Create… in ${missing[0]?.md}`);
    assert.equal(create.args?.name, 'it_missing_one');
    // A hostile reference: whatever the hover says, no link runs anything but our own commands, and no file text is in one.
    for (const at of ['secret:x]', 'terminal.new)']) {
      for (const l of await linksAt(at)) {
        assert.ok(['mlSecrets.addSecret', 'mlSecrets.copyReference', 'mlSecrets.revealSecret', 'mlSecrets.refresh'].includes(l.id), l.id);
        assert.doesNotMatch(JSON.stringify(l.args ?? {}), /workbench|command:/);
      }
    }
  });

  it('lens density: auto (the default: all in an ordinary file, problems in a sweep file), all, problems and summary (one lens per job block)', async () => {
    await bind(APOLO);
    const cfg = () => vscode.workspace.getConfiguration('mlSecrets');
    assert.equal(cfg().inspect<string>('codeLens.show')?.defaultValue, 'auto');
    const text = 'jobs:\n  one:\n    image: x\n    env:\n      A: secret:WANDB_API_KEY\n      B: secret:it_missing_a\n  two:\n    image: x\n    env:\n      C: secret:WANDB_API_KEY\n';
    const doc = await openJobFile('.apolo/density.yml', text);
    const shown = async (mode: string) => {
      await cfg().update('codeLens.show', mode, vscode.ConfigurationTarget.Workspace);
      return waitFor(async () => {
        const ls = await lenses(doc);
        const out = ls.map((l) => `${l.range.start.line}: ${l.command?.title ?? ''}`).sort();
        return out.some((t) => /Checking/.test(t)) ? undefined : { out, ls };
      }, `the ${mode} lenses`, 15_000);
    };
    try {
      // auto: this small file gets every lens; a sweep file of 60 jobs whose secrets exist gets none.
      const auto = await shown('auto');
      assert.equal(auto.out.length, 3, auto.out.join(' | '));
      const sweep = `jobs:\n${Array.from({ length: 60 }, (_, i) => `  j${i}:\n    image: x\n    env:\n      A: secret:WANDB_API_KEY\n`).join('')}  last:\n    image: x\n    env:\n      B: secret:it_missing_a\n`;
      const sweepDoc = await openJobFile('.apolo/sweep.yml', sweep);
      const sweepLenses = await waitFor(async () => {
        const ls = (await lenses(sweepDoc)).map((l) => l.command?.title ?? '');
        return ls.length && !ls.some((t) => /Checking/.test(t)) ? ls : undefined;
      }, 'the sweep file lenses', 15_000);
      assert.deepEqual(sweepLenses.map((t) => t.replace(/\$\([^)]*\) /, '')), ['Missing: it_missing_a — Create…']);
      const all = await shown('all');
      assert.equal(all.out.length, 3, all.out.join(' | '));
      assert.match(all.out[0], /^4: ✓ WANDB_API_KEY exists/);
      assert.match(all.out[1], /^5: .*Missing: it_missing_a — Create…/);
      assert.match(all.out[2], /^9: ✓ WANDB_API_KEY exists/);
      const problems = await shown('problems');
      assert.deepEqual(problems.out.map((t) => t.replace(/\$\([^)]*\) /, '')), ['5: Missing: it_missing_a — Create…']);
      const summary = await shown('summary');
      assert.deepEqual(summary.out.map((t) => t.replace(/\$\([^)]*\) /, '')), ['1: 1 of 2 missing — Create…', '6: 1 secret ✓']);
      const create = summary.ls.find((l) => l.range.start.line === 1)?.command;
      assert.equal(create?.command, 'mlSecrets.addSecret');
      assert.equal((create?.arguments?.[0] as { name?: string }).name, 'it_missing_a');
    } finally {
      await cfg().update('codeLens.show', undefined, vscode.ConfigurationTarget.Workspace);
    }
  });

  describe('the Secrets view: filter and unused mark', () => {
    interface Node {
      kind: string;
      connection?: string;
      scope?: { label: string };
      secret?: { name: string };
    }
    interface TreeApi {
      getChildren(n?: unknown): vscode.ProviderResult<unknown[]>;
      getTreeItem(n: unknown): vscode.TreeItem | Thenable<vscode.TreeItem>;
    }
    const tree = () => (vscode.extensions.getExtension(EXTENSION_ID)!.exports as { secretsTree: TreeApi }).secretsTree;
    const kids = async (n?: unknown) => ((await tree().getChildren(n)) ?? []) as Node[];

    afterEach(() => run('mlSecrets.clearSecretsFilter'));

    it('a filter keeps the matching secrets of every connection, inside collapsed scopes too, expanded', async () => {
      assert.equal(await run('mlSecrets.filterSecrets', { text: 'openai' }), 'openai');
      const shown = await waitFor(async () => {
        const conns = (await kids()).filter((n) => n.kind === 'connection');
        const apoloConn = conns.find((n) => n.connection === APOLO);
        if (!apoloConn || conns.some((n) => n.connection === ZEN)) return undefined;
        const scopes = await kids(apoloConn);
        if (scopes.length !== 1 || scopes[0].kind !== 'scope') return undefined;
        const secrets = await kids(scopes[0]);
        return secrets.length && secrets.every((x) => x.kind === 'secret') ? { scope: scopes[0], secrets } : undefined;
      }, 'only ml-team / OPENAI_API_KEY under the Apolo connection', 15_000);
      assert.equal(shown.scope.scope?.label.includes('ml-team'), true, shown.scope.scope?.label);
      assert.deepEqual(shown.secrets.map((x) => x.secret?.name), ['OPENAI_API_KEY']);
      assert.equal((await tree().getTreeItem(shown.scope)).collapsibleState, vscode.TreeItemCollapsibleState.Expanded);
      await run('mlSecrets.clearSecretsFilter');
      const conn = (await kids()).find((n) => n.connection === APOLO);
      assert.ok((await kids(conn)).filter((n) => n.kind === 'scope').length >= 2, 'the filter is still on after Clear Filter');
    });

    it('"unused" marks a secret no workspace file references, once the workspace check has run', async () => {
      await bind(APOLO);
      await run('mlSecrets.addSecret', { connection: APOLO, name: 'it_status_idle_zz', value: 'idle-CANARY-1' });
      recordCanaries(['idle-CANARY-1']);
      const descOf = async (name: string) => {
        const conn = (await kids()).find((n) => n.connection === APOLO);
        const scope = (await kids(conn)).find((n) => n.kind === 'scope' && n.scope?.label.includes('demo-project'));
        const node = scope && (await kids(scope)).find((n) => n.secret?.name === name);
        if (!node) return undefined;
        return String((await tree().getTreeItem(node)).description ?? '');
      };
      await waitFor(async () => /(^| · )unused$/.test((await descOf('it_status_idle_zz')) ?? ''), 'the unused mark', 30_000);
      assert.doesNotMatch((await descOf('WANDB_API_KEY')) ?? '', /unused/);
      await openJobFile('.apolo/uses-it.yml', 'jobs:\n  x:\n    env:\n      T: secret:it_status_idle_zz\n');
      await waitFor(
        async () => {
          const d = await descOf('it_status_idle_zz');
          return d !== undefined && !/unused/.test(d);
        },
        'the mark to go once a file references it',
        15_000,
      );
    });
  });
});
