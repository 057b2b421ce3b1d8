// Runs inside the real VS Code (extensionTestsPath): activation time, requests made while
// activating and before anything needs the network, HTTP requests per refresh, and the
// workspace-wide check's cold start and per-file update (./workspaceCheck.ts).
import * as fs from 'node:fs';
import { performance } from 'node:perf_hooks';
import * as vscode from 'vscode';
import { startApoloEmulator } from '../../test/emulators/apolo/server';
import { workspaceCheckFigures } from './workspaceCheck';

export async function run(): Promise<void> {
  const out = process.env.ML_SECRETS_BENCH_RESULTS;
  const emu = await startApoloEmulator({ seed: true });
  try {
    const ext = vscode.extensions.getExtension('ml-secrets.ml-secrets');
    if (!ext) throw new Error('extension not found');
    const wasActive = ext.isActive;
    const t0 = performance.now();
    await ext.activate();
    const activationMs = performance.now() - t0;
    const duringActivation = emu.requests.length;

    const label = 'bench';
    await vscode.commands.executeCommand('mlSecrets.signIn', { platform: 'apolo', url: emu.apiUrl, token: emu.tokens.alice, org: 'demo-org', project: 'demo-project', label });
    const afterSignIn = emu.requests.length;
    // Nothing asks for secrets yet (no view open, no job file): nothing may be fetched.
    await new Promise((r) => setTimeout(r, 1500));
    const idleAfterSignIn = emu.requests.length - afterSignIn;

    await vscode.commands.executeCommand('mlSecrets.listSecrets', { connection: label });
    let n = emu.requests.length;
    await vscode.commands.executeCommand('mlSecrets.refresh', { connection: label });
    const oneScope = emu.requests.length - n;
    await vscode.commands.executeCommand('mlSecrets.listSecrets', { connection: label, project: 'ml-team' });
    n = emu.requests.length;
    await vscode.commands.executeCommand('mlSecrets.refresh', { connection: label });
    const twoScopes = emu.requests.length - n;
    await vscode.commands.executeCommand('mlSecrets.signOut', { connection: label });

    // The workspace-wide check, against one signed-in connection (files are generated after activation was timed).
    const ws = 'bench-ws';
    await vscode.commands.executeCommand('mlSecrets.signIn', { platform: 'apolo', url: emu.apiUrl, token: emu.tokens.alice, org: 'demo-org', project: 'demo-project', label: ws });
    const root = vscode.workspace.workspaceFolders?.[0]?.uri.fsPath;
    if (!root) throw new Error('no workspace folder');
    const workspaceCheck = await workspaceCheckFigures(root);
    await vscode.commands.executeCommand('mlSecrets.signOut', { connection: ws });

    const result = { activationMs, wasActive, duringActivation, idleAfterSignIn, perRefresh: [{ scopes: 1, requests: oneScope }, { scopes: 2, requests: twoScopes }], workspaceCheck };
    console.log(JSON.stringify(result));
    if (out) fs.writeFileSync(out, JSON.stringify(result));
  } finally {
    await emu.close();
  }
}
