// mlSecrets.runPreflightCheck: the pre-flight check a CI job runs — `ml-secrets check --plaintext`
// (README "Checking a whole repository") — run in a workspace folder as a VS Code task, the walkthrough's
// last step. The task runs the command line's own code (src/cli/main.ts) in the extension host, with the
// credentials the command line uses (the platform CLIs' environment variables and config files in the
// home folder), and shows its output in a terminal: nothing is downloaded (an `npx ml-secrets` would
// fetch whatever the registry serves under that name), and no Node.js is needed on the PATH.
// Argument object: {folder?} (a workspace folder's path; the only folder when left out).
// Returns, once the check has finished, {folder, exitCode, summary} (the command line's exit code and its
// summary line), or undefined when no folder was picked.

import * as fs from 'node:fs';
import * as os from 'node:os';
import * as vscode from 'vscode';
import { main } from '../cli/main';
import { describeError, ValidationError } from '../core/errors';
import { Command, Invocation, optString, requireTrust, Services } from './common';

/** The command line the task runs, as its terminal shows it. */
export const PREFLIGHT_ARGS = ['check', '--plaintext'];

export interface PreflightResult {
  folder: string;
  exitCode: number;
  summary: string;
}
/** What the task's terminal reports when the check has run. */
type CheckOutcome = Omit<PreflightResult, 'folder'>;

async function folderOf(inv: Invocation): Promise<vscode.WorkspaceFolder | undefined> {
  const folders = vscode.workspace.workspaceFolders ?? [];
  const path = optString(inv.args, 'folder');
  if (path) {
    const f = folders.find((x) => x.uri.fsPath === path);
    if (!f) throw new ValidationError(`'${path}' is not a folder of this workspace.`);
    return f;
  }
  if (!folders.length) throw new ValidationError('Open a folder first: the check runs over its job files.');
  if (folders.length === 1 || !inv.interactive) return folders[0];
  return vscode.window.showWorkspaceFolderPick({ placeHolder: 'Run the pre-flight check in which folder?' });
}

/**
 * The command line's environment. In the sandbox (`npm start`) the demo's CLI logins come from the
 * file ML_SECRETS_DEMO_CLI_ENV names (its variables and a HOME of its own), as a user's come from
 * their shell and home folder.
 */
function cliEnvironment(): { env: Record<string, string | undefined>; home: string } {
  const file = process.env.ML_SECRETS_SANDBOX ? process.env.ML_SECRETS_DEMO_CLI_ENV : undefined;
  if (!file) return { env: process.env, home: os.homedir() };
  const demo = JSON.parse(fs.readFileSync(file, 'utf8')) as Record<string, string>;
  return { env: { ...process.env, ...demo }, home: demo.HOME ?? os.homedir() };
}

/** The task's terminal: runs the check once when opened, prints what the command line prints and its exit code. */
class PreflightTerminal implements vscode.Pseudoterminal {
  private readonly written = new vscode.EventEmitter<string>();
  private readonly closed = new vscode.EventEmitter<void>();
  readonly onDidWrite = this.written.event;
  readonly onDidClose = this.closed.event;

  constructor(
    private readonly cwd: string,
    private readonly folderName: string,
    private readonly done: (r: CheckOutcome) => void,
  ) {}

  open(): void {
    const out: string[] = [];
    const print = (s: string) => this.written.fire(`${s.replace(/\r?\n/g, '\r\n')}\r\n`);
    print(`> ml-secrets ${PREFLIGHT_ARGS.join(' ')}   (in ${this.folderName})\r\n`);
    void Promise.resolve()
      .then(() => main(PREFLIGHT_ARGS, { cwd: this.cwd, ...cliEnvironment(), out: (s) => (out.push(s), print(s)), err: print }))
      .catch((e: unknown) => (print(`ml-secrets: ${describeError(e)}`), 2))
      .then((exitCode) => {
        print(`\r\nml-secrets check exited with ${exitCode}${exitCode === 0 ? ': nothing to fix.' : exitCode === 1 ? ': fix the findings above before the job runs.' : '.'}`);
        const lines = out.join('\n').split('\n');
        this.done({ exitCode, summary: lines.reverse().find((l) => / file\(s\), \d+ reference\(s\): /.test(l)) ?? '' });
        // Closed without a code: VS Code calls a custom task that ends with one "failed to launch", and this one ran;
        // its exit code is in the line above and in the command's result.
        this.closed.fire();
      });
  }

  close(): void {
    // The check ends by itself; closing the terminal early only stops showing it.
  }
}

async function run(_s: Services, inv: Invocation): Promise<PreflightResult | undefined> {
  // VS Code runs no task in Restricted Mode; say so plainly rather than let the task fail.
  requireTrust('Running the pre-flight check');
  const folder = await folderOf(inv);
  if (!folder) return undefined;
  let finished!: (r: CheckOutcome) => void;
  const result = new Promise<CheckOutcome>((resolve) => (finished = resolve));
  const exec = new vscode.CustomExecution(async () => new PreflightTerminal(folder.uri.fsPath, folder.name, finished));
  const task = new vscode.Task({ type: 'ml-secrets', command: 'check' }, folder, 'check workspace', 'ml-secrets', exec);
  task.presentationOptions = { reveal: vscode.TaskRevealKind.Always, clear: true };
  const execution = await vscode.tasks.executeTask(task);
  // A task stopped before its terminal ran the check (Tasks: Terminate Task) ends without a result.
  const stopped = new Promise<never>((_resolve, reject) => {
    const sub = vscode.tasks.onDidEndTask((e) => {
      if (e.execution !== execution) return;
      sub.dispose();
      reject(new ValidationError('The pre-flight check was stopped before it finished.'));
    });
    void result.then(() => sub.dispose());
  });
  return { folder: folder.uri.fsPath, ...(await Promise.race([result, stopped])) };
}

export const runPreflightCheck: Command = { title: 'Run the pre-flight check', run };
