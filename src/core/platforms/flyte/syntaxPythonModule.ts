// Module-level facts of a Python file, read off the tokens in one linear pass: whether it imports a
// flyte package (flyte, flytekit, flyteplugins, union), and what each module-level name is bound to — the value
// ranges of `NAME = value` / `NAME: T = value` statements at column 0 — or `null` when some other
// module-level statement rebinds it (`def`, `class`, `import ... as`, `for`, `+=`, `A, B = …`), which makes its
// value unknowable. Used by syntaxSecretSites.ts to resolve `secrets=NAME`.

import type { Range } from './syntaxPythonExpressions';
import type { Tokens } from './syntaxPythonTokens';
import * as tokens from './syntaxPythonTokens';

const { CH_COLON, CH_COMMA, CH_EQ, NAME, NL, OP } = tokens;

const FLYTE_MODULES = new Set(['flyte', 'flytekit', 'flyteplugins', 'union']);

export class ModuleFacts {
  /** Each module-level name's bound values; null when a binding is not an assignment we can read. */
  readonly bindings = new Map<string, Range[] | null>();
  /** The file imports flyte, flytekit, flyteplugins or union (anywhere, at any indentation). */
  flyteImported = false;

  constructor(
    private readonly text: string,
    private readonly toks: Tokens,
  ) {
    const { kind, count } = toks;
    let lineStart = 0;
    for (let j = 0; j <= count; j++) {
      if (j < count && kind[j] !== NL) continue;
      if (j > lineStart) this.statement(lineStart, j);
      lineStart = j + 1;
    }
  }

  private word(j: number): string | undefined {
    const t = this.toks;
    return j >= 0 && j < t.count && t.kind[j] === NAME ? this.text.slice(t.start[j], t.end[j]) : undefined;
  }

  private op(j: number): number {
    const t = this.toks;
    return j >= 0 && j < t.count && t.kind[j] === OP ? t.info[j] : -1;
  }

  private atColumn0(j: number): boolean {
    const s = this.toks.start[j];
    const c = s === 0 ? 10 : this.text.charCodeAt(s - 1);
    return c === 10 || c === 13;
  }

  private poison(name: string | undefined): void {
    if (name !== undefined) this.bindings.set(name, null);
  }

  private bind(name: string, value: Range): void {
    const had = this.bindings.get(name);
    if (had === null) return;
    if (had) had.push(value);
    else this.bindings.set(name, [value]);
  }

  /** The logical line [s, e). */
  private statement(s: number, e: number): void {
    const first = this.word(s);
    if (first === 'import' || first === 'from') {
      this.importLine(s, e);
      return;
    }
    if (first === undefined || !this.atColumn0(s)) return;
    if (first === 'def' || first === 'class' || first === 'for') return this.poison(this.word(s + 1));
    if (first === 'async') return this.poison(this.word(s + 2));
    const op = this.op(s + 1);
    if (op === CH_EQ) return this.bind(first, { s: s + 2, e });
    if (op === CH_COLON) {
      const eq = this.topLevelEq(s + 2, e);
      if (eq >= 0) this.bind(first, { s: eq + 1, e });
      return;
    }
    if (op === CH_COMMA) {
      // Unpacking (`A, B = load()`): each name's value is unknowable.
      const eq = this.topLevelEq(s + 1, e);
      for (let j = s; j < eq; j++) this.poison(this.word(j));
      return;
    }
    // An augmented assignment (`+=`, `|=`, …) changes the value in a way we don't follow.
    const t = op >= 0 ? this.text.slice(this.toks.start[s + 1], this.toks.end[s + 1]) : '';
    if (t.length >= 2 && t.endsWith('=') && t !== '==' && t !== '<=' && t !== '>=' && t !== '!=') this.poison(first);
  }

  private topLevelEq(s: number, e: number): number {
    const { after } = this.toks;
    for (let j = s; j < e; ) {
      if (after[j] >= 0) {
        j = Math.max(after[j], j + 1);
        continue;
      }
      if (this.op(j) === CH_EQ) return j;
      j++;
    }
    return -1;
  }

  /** `import a.b as c, d` / `from a import b as c`: notes a flyte import; at column 0, the names bound. */
  private importLine(s: number, e: number): void {
    if (FLYTE_MODULES.has(this.word(s + 1) ?? '')) this.flyteImported = true;
    const top = this.atColumn0(s);
    for (let j = s + 1; j < e; j++) {
      const prev = this.word(j - 1);
      const bound = prev === 'import' || prev === 'as' || this.op(j - 1) === CH_COMMA;
      if (!bound) continue;
      const w = this.word(j);
      if (this.word(s) === 'import' && w !== undefined && FLYTE_MODULES.has(w)) this.flyteImported = true;
      if (top && w !== undefined && this.word(j + 1) !== 'as') this.poison(w);
    }
  }
}
