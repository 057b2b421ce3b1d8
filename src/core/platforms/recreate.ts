// Replacing a secret on a platform that can't modify one (MosaicML): delete, then create again.
//
// The API offers no safer order: names are unique (a create before the delete is a 409), there is
// no rename, and values can't be read back, so the old value can't be kept once it is deleted.
// What we can guarantee is that the user never ends up with neither the old nor the new value:
//   1. everything that can fail before the delete is checked first (the secret exists and the
//      credentials work — the caller's read — and the new input is valid, locally);
//   2. the create is tried again on faults that may pass (network, timeout, 429, 5xx), each time
//      asking the platform first whether an earlier attempt landed after all (a lost answer);
//   3. if it still fails, the new value is kept in memory — never on disk — inside the error, whose
//      `retry()` creates it when the user says so, and `discard()` wipes it.

import { AuthError, CancelledError, ErrorKind, HttpError, MlSecretsError, NetworkError, PermissionError, TimeoutError, ValidationError } from '../errors';

export interface RecreateSteps {
  /** Human name of the secret, already printable. */
  label: string;
  /** Deletes the old secret. */
  remove(signal?: AbortSignal): Promise<unknown>;
  /** Creates the secret with the new value (must not keep the value anywhere). */
  create(signal?: AbortSignal): Promise<void>;
  /** Whether a secret of that name exists now (asked before a retry: an earlier attempt may have landed). */
  exists(signal?: AbortSignal): Promise<boolean>;
  /** Wipes the new value from memory (called when the caller gives up). */
  wipe?(): void;
}

export interface RecreateOptions {
  /** Attempts of the create after the delete (default 3). */
  attempts?: number;
  sleep?: (ms: number) => Promise<void>;
}

/** Faults after which another try of the same create may work. */
export function mayPass(e: unknown): boolean {
  if (e instanceof NetworkError || e instanceof TimeoutError) return true;
  if (e instanceof HttpError) return e.status === 429 || e.status >= 500;
  return false;
}

/**
 * The old secret is gone and the new value is not on the platform yet. The value lives only in
 * this object's closure (not an own property: `util.inspect` and `JSON.stringify` can't reach it).
 */
export class RecreateFailedError extends MlSecretsError {
  readonly kind: ErrorKind;
  /** The failure of the last create attempt. */
  declare readonly reason: unknown;
  private declare readonly steps: RecreateSteps;
  private settled = false;

  constructor(steps: RecreateSteps, reason: unknown) {
    const why = reason instanceof Error ? reason.message : 'unknown error';
    super(
      `'${steps.label}' was deleted, but creating it again with the new value failed: ${why} Nothing but this error holds the new value now.`,
    );
    this.kind = reason instanceof MlSecretsError ? reason.kind : 'http';
    Object.defineProperty(this, 'steps', { value: steps, enumerable: false });
    Object.defineProperty(this, 'reason', { value: reason, enumerable: false });
  }

  /** The value is still held (neither retried successfully nor discarded). */
  get pending(): boolean {
    return !this.settled;
  }

  /** Creates the secret with the kept value; on failure the value is still kept (throws again). */
  async retry(signal?: AbortSignal): Promise<void> {
    if (this.settled) throw new ValidationError(`The new value of '${this.steps.label}' was already saved or discarded.`);
    await createUntilPresent(this.steps, 1, signal, async () => undefined);
    this.settled = true;
    this.steps.wipe?.();
  }

  /** Forgets the new value (zeroes what can be zeroed). */
  discard(): void {
    if (this.settled) return;
    this.settled = true;
    this.steps.wipe?.();
  }
}

async function createUntilPresent(steps: RecreateSteps, attempts: number, signal: AbortSignal | undefined, sleep: (ms: number) => Promise<void>): Promise<void> {
  let last: unknown;
  for (let i = 0; i < attempts; i++) {
    if (i > 0) {
      await sleep(Math.min(4000, 500 * 2 ** (i - 1)));
      // An attempt whose answer was lost may have created it after all.
      try {
        if (await steps.exists(signal)) return;
      } catch {
        /* can't tell: try the create, whose 409 would tell */
      }
    }
    try {
      await steps.create(signal);
      return;
    } catch (e) {
      last = e;
      if (e instanceof HttpError && e.status === 409) {
        // Exists already: an earlier attempt landed (nothing else creates it between our calls).
        return;
      }
      if (e instanceof CancelledError || e instanceof AuthError || e instanceof PermissionError || e instanceof ValidationError || !mayPass(e)) break;
    }
  }
  throw last;
}

/**
 * Deletes, then creates with the new value. Throws what the delete threw (nothing changed then),
 * or a RecreateFailedError holding the new value when the create can't be done.
 */
export async function deleteThenRecreate(steps: RecreateSteps, signal?: AbortSignal, options: RecreateOptions = {}): Promise<void> {
  await steps.remove(signal);
  // From here on the old value is gone: a cancel no longer aborts the create (that would lose both).
  try {
    await createUntilPresent(steps, options.attempts ?? 3, undefined, options.sleep ?? ((ms) => new Promise((r) => setTimeout(r, ms))));
    steps.wipe?.();
  } catch (e) {
    throw new RecreateFailedError(steps, e);
  }
}
