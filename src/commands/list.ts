// The one list of the extension's commands. extension.ts registers exactly these, lazy.ts maps each
// lazy one to its file under src/commands/ (a typed Record, so a missing one fails to compile), and
// test/unit/commandList.test.ts checks package.json contributes exactly these.

/** Commands whose code loads with dist/lazy.js on first use (one file each under src/commands/). */
export const LAZY_COMMANDS = [
  'mlSecrets.signIn',
  'mlSecrets.signOut',
  'mlSecrets.removeConnection',
  'mlSecrets.importCliCredentials',
  'mlSecrets.chooseConnection',
  'mlSecrets.addSecret',
  'mlSecrets.updateSecret',
  'mlSecrets.deleteSecret',
  'mlSecrets.shareSecret',
  'mlSecrets.revokeAccess',
  'mlSecrets.listSecrets',
  'mlSecrets.copyReference',
  'mlSecrets.registerStackSecrets',
  'mlSecrets.findReferences',
  'mlSecrets.renameSecret',
  'mlSecrets.moveToSecret',
  'mlSecrets.clearCellOutput',
  'mlSecrets.runPreflightCheck',
] as const;

/** Commands registered by extension.ts itself: refresh.ts and showLogs.ts run in the activation bundle; revealSecret.ts, filterSecrets.ts and clearSecretsFilter.ts are handed the view there and run from lazy.js. */
export const EAGER_COMMANDS = ['mlSecrets.refresh', 'mlSecrets.showLogs', 'mlSecrets.revealSecret', 'mlSecrets.filterSecrets', 'mlSecrets.clearSecretsFilter'] as const;

export type LazyCommandId = (typeof LAZY_COMMANDS)[number];
