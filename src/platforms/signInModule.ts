// What a platform's module offers the sign-in commands (src/commands/signIn.ts, importCliCredentials.ts).
// Each platform's part is src/platforms/<id>/signIn.ts; a module that serves several ids (apolo's:
// Apolo and Neu.ro) is told which one.

import type { Invocation, Services } from '../commands/common';
import type { CliConnectionsReader, CliContext } from '../core/platforms/cliPrepare';
import type { PreparedConnection } from '../core/platforms/connect';
import type { PlatformId } from '../core/platforms/types';

export interface SignInModule {
  /**
   * The prompting sign-in (the argument object's fields prefill it): saves the connection and
   * returns its label, or undefined when the user cancels. `previousUrl`: the URL of the connection
   * being signed in again.
   */
  signInInteractive(s: Services, inv: Invocation, platform: PlatformId, previousUrl: string | undefined): Promise<string | undefined>;
  /**
   * mlSecrets.signIn's argument object (docs/contract.md; `inv` is never interactive) → a checked
   * connection, not stored yet. A missing field is a ValidationError.
   */
  prepareWithArguments(s: Services, inv: Invocation, platform: PlatformId, source: string | undefined): Promise<PreparedConnection>;
  /** Where this module's import runs among the platforms' (lower first): messages and labels come out in this order. */
  readonly cliImportOrder: number;
  /**
   * The CLI's own logins as prepared connections (src/core/platforms/<id>/cliConnect.ts, the reader
   * `ml-secrets check` uses too); Import CLI Credentials saves each.
   */
  readonly cliConnections: CliConnectionsReader;
  /** What the editor adds to that reader's context (Flyte: a trusted workspace's folders, and the user's yes to their endpoint). */
  cliImportContext?(inv: Invocation): Partial<CliContext>;
  /** Where cliConnections looks for `platform`'s logins, for "No CLI login found. Looked in: …". */
  cliLocation(platform: PlatformId): string;
}
