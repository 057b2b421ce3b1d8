// "Move to a platform secret…" for Flyte 2 / Union (issue 16): a task reads a secret it requests as
// an environment variable (`secrets=flyte.Secret(key="NAME", as_env_var="ENVVAR")`, docs/
// platform-apis.md §4.8), so the token's literal becomes `os.environ["ENVVAR"]` (plus `import os`)
// and the plan's note says what to request; a shell script reads `"${ENVVAR}"`. YAML and `.env`
// files have no Flyte form (tasks read secrets in Python). A token that is the value of an
// `env_vars={"ENVVAR": "…"}` entry of `flyte.TaskEnvironment(...)` (without `secrets=`) instead
// leaves env_vars, and the call requests the secret: `secrets=flyte.Secret(key="NAME",
// as_env_var="ENVVAR")` after the dict (read with ./syntaxPythonTokenizer.ts); `os.environ[…]` there
// would be read where the environment is declared, not in the task, so that place has no simple form.
// Pure.

import { commentPlan, docRefusal, planOf, pythonEnvPlan, pythonLiteralProblem, refuse, shellEnvPlan, type Creation, type PlatformMove } from '../../plaintext/moveParts';
import type { MovePlan, MoveRequest, TextEdit } from '../../plaintext/types';
import { validateFlyteName } from './names';
import { tokenize } from './syntaxPythonTokenizer';
import { NAME, OP, STR, type Tokens } from './syntaxPythonTokens';

/** flyte.Secret's rule for `as_env_var`. */
const AS_ENV_VAR = /^[A-Z_][A-Z0-9_]*$/;

const creation = (name: string): Creation => ({ create: { name }, valueField: 'value' });

const request = (req: MoveRequest) => `flyte.Secret(key=${JSON.stringify(req.name)}, as_env_var=${JSON.stringify(req.envVar)})`;

export function moveFlyte(req: MoveRequest): MovePlan {
  const created = creation(req.name);
  if (req.finding.inComment) return commentPlan(req, created, request(req));
  const doc = docRefusal(req);
  if (doc) return doc;
  if (req.language === 'yaml' || req.language === 'dotenv') {
    return refuse(`Flyte tasks read secrets in Python: there is no Flyte reference in ${req.language === 'yaml' ? 'YAML' : '.env'} files. Request the secret in the task's environment (secrets=${request(req)}) and read it there.`);
  }
  if (req.language === 'python') {
    const site = envVarsSite(req);
    if (site) return envVarsMove(req, created, site);
  }
  if (!AS_ENV_VAR.test(req.envVar)) return refuse(`flyte.Secret's as_env_var must match ^[A-Z_][A-Z0-9_]*$, and '${req.envVar}' does not: choose an upper-case name.`);
  const note = `Request it in the task's environment: secrets=${request(req)} (in flyte.TaskEnvironment(...) or @env.task(...)).`;
  if (req.language === 'python') return pythonEnvPlan(req, created, note);
  return shellEnvPlan(req, created, `The task runs this with the secret as ${req.envVar}: ${note}`);
}

/** An `env_vars={…}` entry of a TaskEnvironment call whose value is the literal. */
interface EnvVarsSite {
  toks: Tokens;
  /** Token indices: the entry's key string, its value (the literal), the dict's `{`, the call's `(`. */
  key: number;
  value: number;
  dict: number;
  call: number;
  /** The entry's key: the environment variable the task reads. */
  envVar: string;
  /** How the module names flyte.Secret (`flyte.Secret`), or undefined when it can't. */
  secret?: string;
}

const isOp = (t: Tokens, text: string, i: number, op: string) => i >= 0 && i < t.count && t.kind[i] === OP && text.slice(t.start[i], t.end[i]) === op;
const nameAt = (t: Tokens, text: string, i: number) => (i >= 0 && i < t.count && t.kind[i] === NAME ? text.slice(t.start[i], t.end[i]) : '');

/** The innermost bracket group around token i, when its opener is `open` (`{`, `(`); else -1. */
function enclosing(t: Tokens, text: string, i: number, open: string): number {
  for (let j = i - 1; j >= 0; j--) if (t.m[j] >= i && t.kind[j] === OP) return isOp(t, text, j, open) ? j : -1;
  return -1;
}

function envVarsSite(req: MoveRequest): EnvVarsSite | undefined {
  const { text } = req;
  const { toks: t } = tokenize(text);
  let value = -1;
  for (let i = 0; i < t.count && value < 0; i++) if (t.kind[i] === STR && t.start[i] === req.finding.literal.start) value = i;
  const key = value - 2;
  if (value < 2 || !isOp(t, text, value - 1, ':') || t.kind[key] !== STR) return undefined;
  const envVar = /^(["'])([A-Za-z_][A-Za-z0-9_]*)\1$/.exec(text.slice(t.start[key], t.end[key]))?.[2];
  const dict = enclosing(t, text, value, '{');
  if (!envVar || dict < 2 || !isOp(t, text, dict - 1, '=') || nameAt(t, text, dict - 2) !== 'env_vars') return undefined;
  if (!isOp(t, text, key - 1, '{') && !isOp(t, text, key - 1, ',')) return undefined;
  const call = enclosing(t, text, dict, '(');
  if (call < 1 || !nameAt(t, text, call - 1).endsWith('TaskEnvironment')) return undefined;
  const qualified = isOp(t, text, call - 2, '.') && nameAt(t, text, call - 3) === 'flyte';
  return { toks: t, key, value, dict, call, envVar, secret: qualified ? 'flyte.Secret' : undefined };
}

/** Whether the call already has a `secrets=` argument (at its own level). */
function hasSecrets(site: EnvVarsSite, text: string): boolean {
  const t = site.toks;
  for (let j = site.call + 1; j < t.m[site.call]; j = t.after[j] >= 0 ? Math.max(t.after[j], j + 1) : j + 1) {
    if (nameAt(t, text, j) === 'secrets' && isOp(t, text, j + 1, '=') && (isOp(t, text, j - 1, '(') || isOp(t, text, j - 1, ','))) return true;
  }
  return false;
}

/** The entry leaves the dict (with one comma); `secrets=flyte.Secret(...)` follows the dict. */
function envVarsMove(req: MoveRequest, created: Creation, site: EnvVarsSite): MovePlan {
  const { text } = req;
  const t = site.toks;
  const problem = pythonLiteralProblem(req);
  if (problem) return refuse(problem);
  if (!site.secret || hasSecrets(site, text) || !AS_ENV_VAR.test(site.envVar)) {
    return refuse(`The token is a value of the TaskEnvironment's env_vars: remove that entry and add secrets=${request({ ...req, envVar: site.envVar })} to the call (by hand: ${!site.secret ? 'flyte is not imported as flyte' : !AS_ENV_VAR.test(site.envVar) ? `'${site.envVar}' is not a valid as_env_var` : 'the call already has secrets='}).`);
  }
  const close = t.m[site.dict];
  let remove: TextEdit;
  if (isOp(t, text, site.value + 1, ',') && site.value + 2 < close) remove = { start: t.start[site.key], end: t.start[site.value + 2], newText: '' };
  else if (isOp(t, text, site.key - 1, ',')) remove = { start: t.end[site.key - 2], end: t.end[site.value], newText: '' };
  else remove = { start: t.start[site.key], end: isOp(t, text, site.value + 1, ',') ? t.end[site.value + 1] : t.end[site.value], newText: '' };
  if (close >= t.count || !isOp(t, text, close, '}')) return refuse('The env_vars dict is not closed: finish it, then move the token.');
  const secret = `${site.secret}(key=${JSON.stringify(req.name)}, as_env_var=${JSON.stringify(site.envVar)})`;
  const add: TextEdit = { start: t.end[close], end: t.end[close], newText: `, secrets=${secret}` };
  return planOf(created, [remove, add], secret, `The task environment now requests the secret as ${site.envVar}; the plaintext entry left env_vars.`);
}

/** Flyte names: letters, digits, `-` and `_` (anything else becomes `_`). */
export function adaptFlyteName(name: string): string {
  let out = name.replace(/[^-a-zA-Z0-9_]+/g, '_');
  if (!out || validateFlyteName(out)) out = 'secret';
  return out;
}

export const FLYTE_MOVE: PlatformMove = { move: moveFlyte, adaptName: adaptFlyteName };
