// What a platform's module offers the sign-in commands (src/commands/signIn.ts, importCliCredentials.ts).
// Each platform's part is src/platforms/<id>/signIn.ts; a module that serves several ids (apolo's:
// Apolo and Neu.ro) is told which one.

import type { Invocation, Services } from '../commands/common';
import type { PreparedConnection } from '../core/platforms/connect';
import type { PlatformId } from '../core/platforms/types';

/** What one platform's CLI import made: the labels saved, and what could not be imported (for the log). */
export interface CliImportResult {
  labels: string[];
  notes: string[];
}

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
  /** Reads the CLI's own logins and saves a connection for each; `only`: just that platform's logins. */
  importCli(s: Services, inv: Invocation, only: PlatformId | undefined): Promise<CliImportResult>;
  /** Where importCli looks for `platform`'s logins, for "No CLI login found. Looked in: …". */
  cliLocation(platform: PlatformId): string;
}
