// A small event emitter shaped like VS Code's (`event(listener)` → a Disposable, `fire`, `dispose`),
// for code that must also run in plain Node: the secrets model (src/model/secretsModel.ts), which the
// unit tests drive without VS Code. Its `event` is assignable wherever a `vscode.Event` is expected.

export interface Disposable {
  dispose(): void;
}

export type Event<T> = (listener: (e: T) => unknown, thisArgs?: unknown, disposables?: Disposable[]) => Disposable;

export class Emitter<T> implements Disposable {
  private listeners: { fn: (e: T) => unknown; thisArgs: unknown }[] = [];
  private disposed = false;

  /** Subscribes a listener; the returned Disposable unsubscribes it (and is added to `disposables` when given). */
  readonly event: Event<T> = (fn, thisArgs, disposables) => {
    if (this.disposed) return { dispose: () => undefined };
    const entry = { fn, thisArgs };
    this.listeners.push(entry);
    const sub = { dispose: () => void (this.listeners = this.listeners.filter((l) => l !== entry)) };
    disposables?.push(sub);
    return sub;
  };

  /** Calls every listener subscribed now, in order; one that throws is reported and the others still run (as VS Code's does). */
  fire(e: T): void {
    for (const l of [...this.listeners]) {
      try {
        l.fn.call(l.thisArgs, e);
      } catch (error) {
        console.error(error);
      }
    }
  }

  dispose(): void {
    this.disposed = true;
    this.listeners = [];
  }
}
