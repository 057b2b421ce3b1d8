// Starts the workspace-wide check (./workspaceCheck.ts, shipped in lazy.js) only once the editor has
// had a moment to itself after activation — or at once when the Secrets view is shown or the
// setting mlSecrets.workspaceCheck changes — so activation neither loads its code nor walks the
// workspace. With the setting "off" it never loads. Until it runs, the Secrets view's Missing
// groups are empty.

import * as vscode from 'vscode';
import type { MissingSecret } from './missingSecrets';
import { readSetting } from '../ui/settings';
import type { MissingSource } from '../tree/missingNodes';
import type { UsedSource } from '../tree/unused';

/** How long after activation the check waits for the editor to settle. */
export const IDLE_START_MS = 1500;

export interface StartedCheck extends MissingSource, UsedSource, vscode.Disposable {}

export class WorkspaceCheckLauncher implements MissingSource, UsedSource, vscode.Disposable {
  private check: StartedCheck | undefined;
  private disposed = false;
  private readonly emitter = new vscode.EventEmitter<void>();
  readonly onDidChangeMissing = this.emitter.event;
  private readonly timer: ReturnType<typeof setTimeout>;
  private readonly subs: vscode.Disposable[];

  constructor(private readonly load: () => StartedCheck) {
    this.timer = setTimeout(() => this.start(), IDLE_START_MS);
    this.subs = [
      this.emitter,
      vscode.workspace.onDidChangeConfiguration((e) => {
        if (e.affectsConfiguration('mlSecrets.workspaceCheck')) this.start();
      }),
    ];
  }

  /** Starts the check now (the view was shown), unless it runs already or the setting is "off". */
  start(): void {
    if (this.check || this.disposed || readSetting<string>('workspaceCheck') === 'off') return;
    this.check = this.load();
    this.subs.push(this.check.onDidChangeMissing(() => this.emitter.fire()));
  }

  /** Shows the view: the check starts when it becomes visible. */
  watch(view: vscode.TreeView<unknown>): vscode.Disposable {
    if (view.visible) this.start();
    return view.onDidChangeVisibility((e) => {
      if (e.visible) this.start();
    });
  }

  missing(): Map<string, MissingSecret[]> {
    return this.check?.missing() ?? new Map();
  }

  /** The names job files reference, once the check has run (the view's "unused" mark). */
  used(): ReadonlySet<string> | undefined {
    return this.check?.used();
  }

  dispose(): void {
    this.disposed = true;
    clearTimeout(this.timer);
    this.check?.dispose();
    for (const s of this.subs) s.dispose();
  }
}
