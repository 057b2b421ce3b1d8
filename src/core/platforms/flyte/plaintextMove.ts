// "Move to a platform secret…" for Flyte 2 / Union (issue 16): a task reads a secret it requests as
// an environment variable (`secrets=flyte.Secret(key="NAME", as_env_var="ENVVAR")`, docs/
// platform-apis.md §4.8), so the token's literal becomes `os.environ["ENVVAR"]` (plus `import os`)
// and the plan's note says what to request; a shell script reads `"${ENVVAR}"`. YAML and `.env`
// files have no Flyte form (tasks read secrets in Python). Only the literal changes: an `env_vars=`
// entry of a TaskEnvironment is left for the user to drop (rewriting the call's other arguments
// would reach beyond the literal). Pure.

import { commentPlan, docRefusal, pythonEnvPlan, refuse, shellEnvPlan, type Creation, type PlatformMove } from '../../plaintext/moveParts';
import type { MovePlan, MoveRequest } from '../../plaintext/types';
import { validateFlyteName } from './names';

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
  if (!AS_ENV_VAR.test(req.envVar)) return refuse(`flyte.Secret's as_env_var must match ^[A-Z_][A-Z0-9_]*$, and '${req.envVar}' does not: choose an upper-case name.`);
  const note = `Request it in the task's environment: secrets=${request(req)} (in flyte.TaskEnvironment(...) or @env.task(...))${req.finding.variable ? `, and drop the plaintext ${req.finding.variable} from env_vars if it was there` : ''}.`;
  if (req.language === 'python') return pythonEnvPlan(req, created, note);
  return shellEnvPlan(req, created, `The task runs this with the secret as ${req.envVar}: ${note}`);
}

/** Flyte names: letters, digits, `-` and `_` (anything else becomes `_`). */
export function adaptFlyteName(name: string): string {
  let out = name.replace(/[^-a-zA-Z0-9_]+/g, '_');
  if (!out || validateFlyteName(out)) out = 'secret';
  return out;
}

export const FLYTE_MOVE: PlatformMove = { move: moveFlyte, adaptName: adaptFlyteName };
