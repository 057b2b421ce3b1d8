// A small keyed cache of one connection's asynchronous extras (what was shared with the user, who has
// access to a secret): one load per key at a time, results kept until the connection is refreshed
// (clear()), a change reported once a load settles. Results of a load started before clear() are dropped.

export type SideState<T> = { kind: 'loading' } | { kind: 'ok'; value: T } | { kind: 'error'; error: unknown };

export class SideCache {
  private readonly states = new Map<string, SideState<unknown>>();
  private generation = 0;

  constructor(private readonly changed: () => void) {}

  /** The state of `key`, starting `load` when nothing is known yet. */
  get<T>(key: string, load: () => Promise<T>): SideState<T> {
    const cur = this.states.get(key) as SideState<T> | undefined;
    if (cur) return cur;
    void this.ensure(key, load);
    return { kind: 'loading' };
  }

  /** Loads `key` (again, when `force`), resolving with the settled state. */
  async ensure<T>(key: string, load: () => Promise<T>, force = false): Promise<SideState<T>> {
    const cur = this.states.get(key) as SideState<T> | undefined;
    if (cur && cur.kind !== 'loading' && !force) return cur;
    const gen = this.generation;
    this.states.set(key, { kind: 'loading' });
    let next: SideState<T>;
    try {
      next = { kind: 'ok', value: await load() };
    } catch (error) {
      next = { kind: 'error', error };
    }
    if (gen === this.generation) {
      this.states.set(key, next);
      this.changed();
    }
    return next;
  }

  clear(): void {
    this.generation++;
    this.states.clear();
  }
}
