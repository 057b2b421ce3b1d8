// What the activation bundle knows about a platform without loading its code: the facts each
// src/core/platforms/<id>/facts.ts declares and src/core/platforms/registry.ts lists. Everything
// that needs the platform's code (client, sign-in, prompts) is its module in src/platforms/<id>/,
// loaded lazily.

import type { PlatformId, SecretInfo } from './types';

export interface PlatformFacts {
  readonly id: PlatformId;
  /** How the platform is named to the user. */
  readonly name: string;
  /** The URL a sign-in prompt offers first. */
  readonly defaultUrl: string;
  /**
   * A platform without a reference syntax whose run files still expect secrets (MosaicML's mcli run
   * YAML): the code lenses of such a file against the connection's fetched list, none when the text
   * isn't one. src/language/runSecretsLens.ts shows them.
   */
  readonly runFileLenses?: (text: string, secrets: readonly SecretInfo[], connection: string) => RunFileLens[];
}

/** One lens of a run file: at an offset, a title (a warning when due), and a "Create…" prefill when it warns. */
export interface RunFileLens {
  offset: number;
  title: string;
  tooltip: string;
  /** `mlSecrets.addSecret`'s arguments (the connection is added by the lens). */
  create?: Record<string, unknown>;
}
