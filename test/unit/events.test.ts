// The small VS Code-shaped event emitter (src/core/events.ts) the secrets model fires its change event with.
import assert from 'node:assert/strict';
import { describe, it, mock } from 'node:test';
import { Disposable, Emitter } from '../../src/core/events';

describe('Emitter', () => {
  it('calls every listener in order with the value; a disposed subscription is no longer called', () => {
    const e = new Emitter<string>();
    const got: string[] = [];
    const a = e.event((v) => got.push(`a:${v}`));
    e.event((v) => got.push(`b:${v}`));
    e.fire('1');
    a.dispose();
    e.fire('2');
    assert.deepEqual(got, ['a:1', 'b:1', 'b:2']);
  });

  it('binds thisArgs and adds the subscription to the disposables given', () => {
    const e = new Emitter<number>();
    const owner = { seen: 0 };
    const bag: Disposable[] = [];
    e.event(
      function (this: typeof owner, v: number) {
        this.seen = v;
      },
      owner,
      bag,
    );
    e.fire(7);
    assert.equal(owner.seen, 7);
    assert.equal(bag.length, 1);
    bag[0].dispose();
    e.fire(8);
    assert.equal(owner.seen, 7);
  });

  it('a listener that throws is reported and the others still run', () => {
    const error = mock.method(console, 'error', () => undefined);
    try {
      const e = new Emitter<void>();
      let after = 0;
      e.event(() => {
        throw new Error('listener broke');
      });
      e.event(() => after++);
      e.fire();
      assert.equal(after, 1);
      assert.equal(error.mock.callCount(), 1);
    } finally {
      error.mock.restore();
    }
  });

  it('a listener added or removed while firing takes effect from the next fire', () => {
    const e = new Emitter<void>();
    const got: string[] = [];
    let late: Disposable | undefined;
    const first = e.event(() => {
      got.push('first');
      late ??= e.event(() => got.push('late'));
      first.dispose();
    });
    e.event(() => got.push('second'));
    e.fire();
    e.fire();
    assert.deepEqual(got, ['first', 'second', 'second', 'late']);
  });

  it('after dispose nothing is called and new subscriptions are inert', () => {
    const e = new Emitter<void>();
    let calls = 0;
    e.event(() => calls++);
    e.dispose();
    e.fire();
    const sub = e.event(() => calls++);
    e.fire();
    sub.dispose();
    assert.equal(calls, 0);
  });
});
