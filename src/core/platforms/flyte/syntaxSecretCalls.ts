// Flyte's secret references in Python, read off the tokens (src/core/platforms/flyte/pythonScanner.ts
// lists the forms): a `Secret(...)` call's key and a name literal as references, with the problems
// Flyte's `Secret()` would raise (name rule, derived environment variable, `as_env_var`, `mount`).
// Where they count (which calls, which keywords, bound names): syntaxSecretSites.ts.

import { positionAt, type SecretReference } from '../../references/reference';
import { type Literal, type Range, TokenView } from './syntaxPythonExpressions';
import * as tokens from './syntaxPythonTokens';

// Local copies, taken once: the per-file CommonJS build (unit tests, benchmarks) reads an imported
// binding through a getter at every use, which would cost these hot loops several times over.
const { CH_STAR, OP_STARSTAR } = tokens;

export const FLYTE_NAME_RULE = /^[-a-zA-Z0-9_]+$/;
export const FLYTE_ENV_VAR_RULE = /^[A-Z_][A-Z0-9_]*$/;
export const FLYTE_SECRET_MOUNT = '/etc/flyte/secrets';

/** Flyte 2's `Secret(key, group, mount, as_env_var)`; flytekit's (Union v1) `Secret(group, key, group_version, mount_requirement, env_var)`. */
const SECRET_PARAMS = ['key', 'group', 'mount', 'as_env_var'];
const KIT_SECRET_PARAMS = ['group', 'key', 'group_version', 'mount_requirement', 'env_var'];

/** A `Secret(...)` call and a name literal as references (the sites that hold them: syntaxSecretSites.ts). */
export class SecretCalls extends TokenView {
  protected readonly refs: SecretReference[] = [];

  /** `Secret(...)`: its key is the name (group does not change it); `kit` for flytekit's, whose own checks differ. */
  protected secretCall(open: number, kit = false): void {
    const params = kit ? KIT_SECRET_PARAMS : SECRET_PARAMS;
    const given = new Map<string, Range>();
    let positional = 0;
    let positionalOk = true;
    for (const a of this.args(open)) {
      const kw = this.keyword(a);
      if (kw !== undefined) {
        if (!given.has(kw)) given.set(kw, { s: a.s + 2, e: a.e });
        continue;
      }
      if (this.isOp(a.s, CH_STAR) || this.isOp(a.s, OP_STARSTAR)) {
        positionalOk = false;
        continue;
      }
      if (positionalOk && positional < params.length && !given.has(params[positional])) given.set(params[positional], a);
      positional++;
    }

    const key = this.literalArg(given.get('key'));
    const group = this.literalArg(given.get('group'));
    const asEnv = this.literalArg(given.get('as_env_var'));
    const mount = this.mountLiteral(given.get('mount'));
    const keyName = key && !key.dynamic ? key.value : '';
    if (kit) {
      // flytekit derives no environment variable from the name and has no as_env_var / mount.
      if (key) this.nameRef(key, { derive: false, group: undefined });
      return;
    }

    // The env var Flyte derives when neither as_env_var nor mount is set (falsy): only knowable
    // when both are absent or empty literals and the group is absent or a plain literal.
    const knownEmpty = (l: Literal | undefined | null): boolean => l === undefined || (!!l && !l.dynamic && l.value === '');
    const derive = knownEmpty(asEnv) && (mount === undefined || (!!mount && !mount.lit.dynamic && mount.lit.value === '')) && (group === undefined || (!!group && !group.dynamic));
    if (key) this.nameRef(key, { derive, group: group && !group.dynamic ? group.value : undefined });

    if (asEnv && !asEnv.dynamic && asEnv.value !== '' && !FLYTE_ENV_VAR_RULE.test(asEnv.value)) {
      this.push(asEnv, keyName, `as_env_var ${show(asEnv.value)} is not a valid environment variable name for Flyte: it must match ^[A-Z_][A-Z0-9_]*$ (upper-case letters, digits and '_', not starting with a digit).`);
    }
    if (mount && !mount.lit.dynamic && mount.lit.value !== '') {
      const path = mount.viaPath ? normalizePosixPath(mount.lit.value) : mount.lit.value;
      if (path !== FLYTE_SECRET_MOUNT) this.push(mount.lit, keyName, `Flyte mounts secret files only at ${FLYTE_SECRET_MOUNT}; mount ${show(mount.lit.value)} is rejected by Secret().`);
    }
  }

  /** `mount="…"` or `mount=pathlib.Path("…")` / `Path("…")` / `PurePosixPath("…")`. */
  private mountLiteral(r: Range | undefined): { lit: Literal; viaPath: boolean } | undefined | null {
    if (!r) return undefined;
    const u = this.unwrap(r);
    if (this.isStringChain(u)) {
      const lit = this.literal(u);
      return lit ? { lit, viaPath: false } : null;
    }
    const call = this.dottedCall(u);
    if (call && /Path$/.test(call.last)) {
      const args = this.args(call.open);
      if (args.length === 1 && this.keyword(args[0]) === undefined) {
        const lit = this.literalArg(args[0]);
        return lit ? { lit, viaPath: true } : null;
      }
    }
    return null;
  }

  /** The reference for a secret's name literal, with its problem if any. */
  protected nameRef(lit: Literal, opts: { derive: boolean; group: string | undefined }): void {
    if (lit.dynamic) {
      this.push(lit, lit.value, undefined, true);
      return;
    }
    let problem: string | undefined;
    const name = lit.value;
    if (lit.bytes) problem = `${show(lit.text)} is a bytes literal; a Flyte secret name must be a str.`;
    else if (name === '') problem = 'Empty secret name: a Flyte secret name must match ^[-a-zA-Z0-9_]+$.';
    else if (!FLYTE_NAME_RULE.test(name)) {
      const bad = [...name].find((ch) => !/[-a-zA-Z0-9_]/.test(ch)) ?? '';
      problem = `${show(name)} is not a valid Flyte secret name (it has ${show(bad)}): names must match ^[-a-zA-Z0-9_]+$ (letters, digits, '-' and '_').`;
    } else if (opts.derive) {
      const derived = (opts.group ? `${opts.group}_${name}` : name).replace(/-/g, '_').toUpperCase();
      if (!FLYTE_ENV_VAR_RULE.test(derived)) {
        problem = `Flyte derives the environment variable ${show(derived)} from this name (upper-cased, '-' → '_'), which doesn't match ^[A-Z_][A-Z0-9_]*$, so Secret() fails; use flyte.Secret(key=${show(name)}, as_env_var="…").`;
      }
    }
    this.push(lit, name, problem, false, lit.valueStart);
  }

  private lineStarts: number[] | undefined;

  /** The start of the physical line (Python's: CRLF, CR or LF ends one) holding `offset`. */
  private lineStartOf(offset: number): number {
    if (!this.lineStarts) {
      this.lineStarts = [0];
      const re = /\r\n?|\n/g;
      while (re.exec(this.text)) this.lineStarts.push(re.lastIndex);
    }
    return this.lineStarts[positionAt(this.lineStarts, offset).line];
  }

  private push(lit: Literal, name: string, problem?: string, dynamic = false, nameStart?: number): void {
    if (this.lexed.ignored.size && this.lexed.ignored.has(this.lineStartOf(lit.start))) return;
    const ref: SecretReference = { syntax: 'flyte', text: lit.text, start: lit.start, end: lit.end, name };
    if (nameStart !== undefined) ref.nameStart = nameStart;
    if (problem) ref.problem = problem;
    if (dynamic) ref.dynamic = true;
    this.refs.push(ref);
  }
}

/** What str(pathlib.PurePosixPath(p)) gives for the simple cases. */
function normalizePosixPath(p: string): string {
  const abs = p.startsWith('/');
  const segs = p.split('/').filter((x) => x !== '' && x !== '.');
  const joined = segs.join('/');
  if (abs) return p.startsWith('//') && !p.startsWith('///') ? `//${joined}` : `/${joined}`;
  return joined || '.';
}

function show(s: string): string {
  const short = s.length > 60 ? `${s.slice(0, 57)}…` : s;
  // eslint-disable-next-line no-control-regex -- deliberately matches control characters (refused or replaced)
  return `'${short.replace(/[\u0000-\u001f\u007f]/g, (ch) => (ch === '\n' ? '\\n' : ch === '\t' ? '\\t' : ch === '\r' ? '\\r' : `\\x${ch.charCodeAt(0).toString(16).padStart(2, '0')}`))}'`;
}
