// Reading settings. In Restricted Mode a workspace's own values of the restricted settings are
// ignored (VS Code does this for restrictedConfigurations; this is the same rule, enforced in code
// as well, so it holds on every VS Code version).

import * as vscode from 'vscode';

const RESTRICTED = new Set(['connection', 'jobFiles']);

export function readSetting<T>(key: string, scope?: vscode.Uri): T | undefined {
  const cfg = vscode.workspace.getConfiguration('mlSecrets', scope);
  if (RESTRICTED.has(key) && !vscode.workspace.isTrusted) {
    const i = cfg.inspect<T>(key);
    return i?.globalValue ?? i?.defaultValue;
  }
  return cfg.get<T>(key);
}
