// One pending timer per key (a document's URI): scheduling again replaces it. The checkers debounce
// edits and idle work with it (./referenceChecker.ts, ./plaintext/checker.ts).

export class KeyedTimers {
  private readonly timers = new Map<string, ReturnType<typeof setTimeout>>();

  /** Runs `fn` after `ms`, unless the key is scheduled again or cancelled first. */
  schedule(key: string, ms: number, fn: () => void): void {
    this.cancel(key);
    this.timers.set(
      key,
      setTimeout(() => {
        this.timers.delete(key);
        fn();
      }, ms),
    );
  }

  cancel(key: string): void {
    const t = this.timers.get(key);
    if (t) clearTimeout(t);
    this.timers.delete(key);
  }

  dispose(): void {
    for (const t of this.timers.values()) clearTimeout(t);
    this.timers.clear();
  }
}
