// mlSecrets.showLogs: the output channel (every request line, redacted; every error with its cause).

import type { Log } from '../ui/log';

export function showLogs(log: Log): void {
  log.show();
}
