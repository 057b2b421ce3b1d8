// Apolo / Neu.ro references on command lines inside the real VS Code (docs/contract.md "Beyond YAML"):
// `apolo run --env VAR=secret:NAME` / `--volume secret:NAME:/path` in a shell script and in a Markdown
// shell block get the same diagnostics, exact ranges, code lenses and quick fixes as YAML; look-alikes
// (comments, echo strings, prose, other code blocks) stay silent; `neuro run` is checked against the
// Neu.ro connection when both platforms have one. Against the strict Apolo emulator.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { startApoloEmulator, ApoloEmulator } from '../emulators/apolo/server';
import { activate, closeAll, codeOf, describeDiagnostics, lenses, openJobFile, ours, recordCanaries, waitFor } from './helpers';

const LABEL = 'it-apolo-cmdline';
const ORG = 'demo-org';
const PROJECT = 'demo-project';

function run<T = unknown>(id: string, arg?: unknown): Promise<T> {
  return vscode.commands.executeCommand(id, arg) as Promise<T>;
}

const b64 = (s: string) => Buffer.from(s, 'utf8').toString('base64');

/** The diagnostics as "line:col-line:col code text", once they equal `expected` (sorted). */
async function expectDiagnostics(doc: vscode.TextDocument, expected: string[], what: string): Promise<void> {
  const want = JSON.stringify([...expected].sort());
  await waitFor(() => JSON.stringify(describeDiagnostics(doc)) === want, `${what}: ${JSON.stringify(describeDiagnostics(doc))}`, 15_000);
}

describe('Apolo: secrets on command lines (shell scripts, Markdown)', function () {
  let emu: ApoloEmulator;

  before(async () => {
    await activate();
    emu = await startApoloEmulator({ seed: false });
    emu.state.setSecret(ORG, PROJECT, 'present_key', b64('cmdline-CANARY-p'));
    emu.state.setSecret(ORG, 'ml-team', 'team_key', b64('cmdline-CANARY-t'));
    await run('mlSecrets.signIn', { platform: 'apolo', url: emu.apiUrl, token: emu.tokens.alice, org: ORG, project: PROJECT, label: LABEL });
  });

  after(async () => {
    await closeAll();
    await run('mlSecrets.removeConnection', { connection: LABEL }).catch(() => undefined);
    recordCanaries([...Object.values(emu.tokens), 'cmdline-CANARY-p', 'cmdline-CANARY-t']);
    await emu.close();
  });

  it('a shell script: secret-missing exactly on the reference, none for an existing one, look-alikes silent, a lens per line, a Create… fix', async () => {
    const sh = [
      '#!/bin/bash',
      '# apolo run --env X=secret:in_comment img',
      'echo "apolo run --env X=secret:echoed img"',
      'apolo run --preset cpu-small \\',
      '  --env TOKEN=secret:present_key \\',
      '  --env X=secret:missing \\',
      '  -v secret:vol_missing:/var/secret/x \\',
      '  image:train -- python train.py --env Y=secret:container_arg',
      'docker run -e A=secret:docker_one img',
      '',
    ].join('\n');
    const doc = await openJobFile('scripts/train-job.sh', sh);
    await expectDiagnostics(doc, ['5:10-5:24 secret-missing secret:missing', '6:5-6:37 secret-missing secret:vol_missing:/var/secret/x'], 'shell diagnostics');
    for (const d of ours(doc.uri)) assert.equal(d.severity, vscode.DiagnosticSeverity.Error);
    const ls = await waitFor(async () => {
      const l = await lenses(doc);
      return l.length === 3 && l.every((x) => !x.command?.title.includes('Checking')) ? l : undefined;
    }, 'lenses');
    const byLine = new Map(ls.map((l) => [l.range.start.line, l.command]));
    assert.match(byLine.get(4)?.title ?? '', /✓ present_key exists in demo-org\/demo-project/);
    assert.match(byLine.get(5)?.title ?? '', /Missing: missing — Create/);
    assert.equal(byLine.get(5)?.command, 'mlSecrets.addSecret');
    const missing = ours(doc.uri).find((d) => doc.getText(d.range) === 'secret:missing');
    assert.ok(missing);
    const actions = await vscode.commands.executeCommand<vscode.CodeAction[]>('vscode.executeCodeActionProvider', doc.uri, missing.range);
    const titles = actions.map((a) => a.title);
    assert.ok(titles.some((t) => /Create secret 'missing'/.test(t)), titles.join(' | '));
  });

  it('a Markdown file: references in shell code blocks (prompts too), none in prose, other blocks or output lines', async () => {
    const md = [
      '# Training',
      '',
      'Pass the token with `apolo run --env X=secret:inline_missing img`:',
      '',
      '```console',
      '$ apolo run --env TOKEN=secret:present_key --env X=secret:md_missing image:train',
      'apolo run --env X=secret:output_line img',
      '```',
      '',
      '```python',
      'apolo run --env X=secret:python_block img',
      '```',
      '',
      '```bash',
      'apolo run -v secret:/ml-team/team_key:/var/t image:train',
      '```',
      '',
    ].join('\n');
    const doc = await openJobFile('docs/TRAINING.md', md);
    await expectDiagnostics(doc, ['5:51-5:68 secret-missing secret:md_missing'], 'Markdown diagnostics');
    const ls = await waitFor(async () => {
      const l = await lenses(doc);
      return l.length === 2 && l.every((x) => !x.command?.title.includes('Checking')) ? l : undefined;
    }, `Markdown lenses`);
    const titles = ls.map((l) => `${l.range.start.line}: ${l.command?.title}`);
    assert.ok(titles.some((t) => /^5: .*(Missing: md_missing|present_key)/.test(t)), titles.join(' | '));
    assert.ok(titles.some((t) => /^14: ✓ team_key exists in demo-org\/ml-team/.test(t)), titles.join(' | '));
  });

  it('`neuro run` is checked against the Neu.ro connection, `apolo run` against the Apolo one', async () => {
    await run('mlSecrets.signIn', { platform: 'neuro', url: emu.apiUrl, token: emu.tokens.alice, org: ORG, project: 'ml-team', label: 'it-neuro-cmdline' });
    try {
      const neuro = await openJobFile('scripts/neuro-job.sh', 'neuro run -e T=secret:team_key -e P=secret:present_key img\n');
      await expectDiagnostics(neuro, ['0:36-0:54 secret-missing secret:present_key'], 'neuro run diagnostics');
      const apolo = await openJobFile('scripts/apolo-job.sh', 'apolo run -e T=secret:team_key -e P=secret:present_key img\n');
      await expectDiagnostics(apolo, ['0:15-0:30 secret-missing secret:team_key'], 'apolo run diagnostics');
      assert.equal(ours(apolo.uri).filter((d) => codeOf(d) === 'secret-unverified').length, 0);
    } finally {
      await run('mlSecrets.removeConnection', { connection: 'it-neuro-cmdline' });
    }
  });
});
