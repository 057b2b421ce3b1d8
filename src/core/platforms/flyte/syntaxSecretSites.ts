// Where Flyte secret names are given in Python (src/core/platforms/flyte/pythonScanner.ts lists the
// forms): which calls and keywords hold them, and what a value may be — a literal, a `Secret(...)`,
// a list or tuple of them, both branches of `a if c else b`, or a module-level name bound to one of
// those (syntaxPythonModule.ts). The references themselves are made in syntaxSecretCalls.ts.

import type { SecretReference } from '../../references/reference';
import type { Range } from './syntaxPythonExpressions';
import { ModuleFacts } from './syntaxPythonModule';
import { SecretCalls } from './syntaxSecretCalls';
import * as tokens from './syntaxPythonTokens';

// Local copies, taken once: the per-file CommonJS build (unit tests, benchmarks) reads an imported
// binding through a getter at every use, which would cost these hot loops several times over.
const { CH_AT, CH_DOT, CH_LBRACKET, CH_LPAREN, CH_STAR, NAME, NL, OP } = tokens;

/** What a value holds: Flyte 2 `secrets=`, an image build's `secret_mounts=`, flytekit's `secret_requests=`. */
const enum Kind {
  Secrets = 0,
  Mounts = 1,
  Requests = 2,
}

/** Which keywords of a call hold secret names (bit per Kind). */
const SECRETS = 1 << Kind.Secrets;
const MOUNTS = 1 << Kind.Mounts;
const REQUESTS = 1 << Kind.Requests;
const KEYWORDS = new Map<string, Kind>([
  ['secrets', Kind.Secrets],
  ['secret_mounts', Kind.Mounts],
  ['secret_requests', Kind.Requests],
]);

export class Analyzer extends SecretCalls {
  private facts: ModuleFacts | undefined;
  /** Names whose bindings were read, per kind and use (each is read once however often the name is used). */
  private readonly done = new Set<string>();
  /** Whether a name's bindings are all literal forms, per name and use (as the value or as an element). */
  private readonly verdicts = new Map<string, boolean>();
  private requestsAnywhere = false;

  private module(): ModuleFacts {
    return (this.facts ??= new ModuleFacts(this.text, this.toks));
  }

  run(): SecretReference[] {
    const { kind, info, count } = this.toks;
    this.requestsAnywhere = this.text.includes('secret_requests') && this.module().flyteImported;
    for (let i = 0; i < count; i++) {
      const k = kind[i];
      if (k === NAME) {
        if (!this.isOp(i + 1, CH_LPAREN) || this.isName(i - 1, 'def') || this.isName(i - 1, 'class')) continue;
        const which = this.callKeywords(i);
        if (which) this.call(i + 1, which);
      } else if (k === OP && info[i] === CH_AT && (i === 0 || kind[i - 1] === NL)) {
        this.decorator(i);
      }
    }
    return this.refs;
  }

  /** The keywords that hold secret names in the call whose callee ends with the name at `i`. */
  private callKeywords(i: number): number {
    const name = this.nameText(i);
    const dotted = this.isOp(i - 1, CH_DOT);
    let which = this.requestsAnywhere ? REQUESTS : 0;
    // TaskEnvironment / AppEnvironment and env.clone_with(...) count in any file (as before); the other
    // *Environment classes of flyte (flyte.app.extras.FastAPIAppEnvironment, …), task.override(...)
    // and the Image builders' secret_mounts only where the file imports flyte.
    if (name === 'TaskEnvironment' || name === 'AppEnvironment' || (dotted && name === 'clone_with')) return which | SECRETS;
    if (!name.endsWith('Environment') && !dotted) return which;
    if (!this.module().flyteImported) return which;
    if (name.endsWith('Environment') || name === 'override') which |= SECRETS;
    else if (dotted && (name.startsWith('with_') || name.startsWith('from_'))) which |= MOUNTS;
    return which;
  }

  /** `@<expr>.task(...)` ending the logical line. */
  private decorator(at: number): void {
    const { kind, info, after, count } = this.toks;
    let lastCall = -1;
    let j = at + 1;
    while (j < count && kind[j] !== NL) {
      if (after[j] >= 0) {
        lastCall = info[j] === CH_LPAREN ? j : -1;
        j = Math.max(after[j], j + 1);
        continue;
      }
      lastCall = -1;
      j++;
    }
    if (lastCall > at + 2 && this.isName(lastCall - 1, 'task') && this.isOp(lastCall - 2, CH_DOT)) this.call(lastCall, SECRETS);
  }

  /** The arguments of a call: only the keywords in `which` matter. */
  private call(open: number, which: number): void {
    for (const a of this.args(open)) {
      const kw = this.keyword(a);
      const k = kw === undefined ? undefined : KEYWORDS.get(kw);
      if (k !== undefined && which & (1 << k)) this.value({ s: a.s + 2, e: a.e }, k, true, false);
    }
  }

  /**
   * A value holding secret names. `list`: a list or tuple may hold them (not inside an element);
   * `bound`: the value is a module-level binding's (its names are not followed further). A work list,
   * not recursion: chained conditionals and nested `SecretMount(...)` can be as deep as the file is long.
   */
  private value(r0: Range, k: Kind, list0: boolean, bound: boolean): void {
    const work: Array<{ r: Range; list: boolean }> = [{ r: r0, list: list0 }];
    for (let item = work.pop(); item; item = work.pop()) {
      const r = this.unwrap(item.r);
      const list = item.list;
      if (r.e <= r.s) continue;
      const branches = this.conditional(r);
      if (branches) {
        work.push({ r: branches[1], list }, { r: branches[0], list });
        continue;
      }
      if (this.isStringChain(r)) {
        const lit = this.literal(r);
        // An image build's secret_mounts once took paths; a path is not a name.
        if (lit && !(k === Kind.Mounts && lit.value.startsWith('/'))) this.nameRef(lit, { derive: k !== Kind.Requests, group: undefined });
        continue;
      }
      const call = this.dottedCall(r);
      if (call) {
        if (call.last === 'Secret') this.secretCall(call.open, k === Kind.Requests);
        else if (call.last === 'SecretMount' && k === Kind.Mounts) {
          const first = this.args(call.open)[0];
          if (first && this.keyword(first) === undefined) work.push({ r: first, list: false });
        }
      } else if (r.e - r.s === 1 && this.isName(r.s)) {
        if (!bound) this.name(r.s, k, list);
      } else if (r.e - r.s === 2 && !list && this.isOp(r.s, CH_STAR) && this.isName(r.s + 1)) {
        if (!bound) this.name(r.s + 1, k, true); // `[*COMMON, ...]`: the name's whole value, spread
      } else if (list && (this.isOp(r.s, CH_LBRACKET) || this.isOp(r.s, CH_LPAREN)) && this.toks.after[r.s] === r.e) {
        const parts = this.split(r.s + 1, this.toks.m[r.s]).parts;
        for (let p = parts.length - 1; p >= 0; p--) work.push({ r: parts[p], list: false });
      }
    }
  }

  /** `a if c else b` at the top level of r: [a, b]. */
  private conditional(r: Range): Range[] | undefined {
    const { after } = this.toks;
    let at = -1;
    for (let j = r.s; j < r.e; ) {
      if (after[j] >= 0) {
        j = Math.max(after[j], j + 1);
        continue;
      }
      if (at < 0 && this.isName(j, 'if')) at = j;
      else if (at >= 0 && this.isName(j, 'else')) return [{ s: r.s, e: at }, { s: j + 1, e: r.e }];
      else if (this.isName(j, 'lambda') || this.isName(j, 'for')) return undefined;
      j++;
    }
    return undefined;
  }

  /**
   * A module-level name given as the value (`secrets=NAME`) or as an element (`[NAME, ...]`): every
   * binding it has, when each is a literal form — as an element, only `Secret(...)` bindings count.
   */
  private name(at: number, k: Kind, whole: boolean): void {
    const name = this.nameText(at);
    const values = this.module().bindings.get(name);
    if (!values) return;
    const verdictKey = (whole ? '=' : '[') + name;
    let ok = this.verdicts.get(verdictKey);
    if (ok === undefined) this.verdicts.set(verdictKey, (ok = values.every((v) => this.literalForm(v, whole))));
    if (!ok || this.done.has(k + verdictKey)) return;
    this.done.add(k + verdictKey);
    for (const v of values) this.value(v, k, true, true);
  }

  /** A string, a `Secret(...)`, a list/tuple display, or a conditional of those (an element: `Secret(...)` only). */
  private literalForm(r0: Range, whole: boolean): boolean {
    const work: Range[] = [r0];
    for (let r = work.pop(); r; r = work.pop()) {
      r = this.unwrap(r);
      if (r.e <= r.s) return false;
      const branches = this.conditional(r);
      if (branches) {
        work.push(...branches);
        continue;
      }
      const call = this.dottedCall(r);
      if (call) {
        if (call.last === 'Secret' || (whole && call.last === 'SecretMount')) continue;
        return false;
      }
      if (!whole) return false;
      if (!this.isStringChain(r) && !((this.isOp(r.s, CH_LBRACKET) || this.isOp(r.s, CH_LPAREN)) && this.toks.after[r.s] === r.e)) return false;
    }
    return true;
  }
}
