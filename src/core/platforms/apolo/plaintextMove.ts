// "Move to a platform secret…" for Apolo / Neu.ro (issue 16; one form for both): the token becomes
// `secret:NAME` where a job reads that — a whole YAML value (flow `env:`), an `apolo run` / `neuro
// run` command line's `--env VAR=…` (./shellCommands.ts recognises it: the edit is read back with
// it), a `.env` value (apolo's `--env-file` reads `VAR=secret:NAME` like `--env`: neuro-sdk's
// Parser._build_env in neuro-inc/neuro-cli neuro-sdk/src/neuro_sdk/_parser.py joins the file's
// lines with the `--env` values, splits at the first `=` without removing quotes, and takes a value
// starting `secret:` as a secret). Elsewhere the code reads an environment variable the job is given
// with `--env ENVVAR=secret:NAME` (the plan's note says so). Pure.

import { commentPlan, docRefusal, planOf, pythonEnvPlan, refuse, shellEnvPlan, yamlReferenceEdit, type Creation, type PlatformMove } from '../../plaintext/moveParts';
import type { MovePlan, MoveRequest } from '../../plaintext/types';
import { scanApoloMakefile, scanApoloShell } from './shellCommands';
import { validateApoloKey } from './names';

const creation = (name: string): Creation => ({ create: { name }, valueField: 'value' });

const envNote = (req: MoveRequest): string => `Pass --env ${req.envVar}=secret:${req.name} to the job (apolo run / neuro run, or the flow's env:).`;

export function moveApolo(req: MoveRequest): MovePlan {
  const created = creation(req.name);
  const reference = `secret:${req.name}`;
  if (req.finding.inComment) return commentPlan(req, created, reference);
  const doc = docRefusal(req);
  if (doc) return doc;
  switch (req.language) {
    case 'yaml':
      return yamlMove(req, created, reference);
    case 'shellscript':
    case 'makefile':
      return commandLineMove(req, created, reference) ?? shellEnvPlan(req, created, envNote(req));
    case 'dotenv':
      return dotenvMove(req, created, reference);
    default:
      return pythonEnvPlan(req, created, envNote(req));
  }
}

function yamlMove(req: MoveRequest, created: Creation, reference: string): MovePlan {
  if (!req.finding.whole) {
    return refuse(`An Apolo reference must be a whole value, and this token is part of a longer string: put it in the job's env: as ${req.envVar}: ${reference} and use $${req.envVar} here.`);
  }
  const edit = yamlReferenceEdit(req, reference, false, (r) => r.name === req.name && r.text.startsWith('secret:'));
  return typeof edit === 'string' ? refuse(edit) : planOf(created, [edit], reference);
}

/** `--env VAR=<token>` of an `apolo run` command: the token becomes the reference, when the command-line scanner reads it back as one. */
function commandLineMove(req: MoveRequest, created: Creation, reference: string): MovePlan | undefined {
  const { start, end } = req.finding;
  const after = req.text.slice(0, start) + reference + req.text.slice(end);
  const scan = req.language === 'makefile' ? scanApoloMakefile : scanApoloShell;
  const found = scan(after).references.some((r) => r.start === start && r.end === start + reference.length && r.name === req.name && !r.dynamic && !r.problem);
  return found ? planOf(created, [{ start, end, newText: reference }], reference) : undefined;
}

/** A `.env` line `VAR=<token>` (quotes dropped: apolo keeps them in the value). */
function dotenvMove(req: MoveRequest, created: Creation, reference: string): MovePlan {
  const { text, finding } = req;
  const { literal } = finding;
  if (!finding.whole) return refuse(`The value holds more than the token: apolo's --env-file takes a secret only as a whole value (${finding.variable ?? req.envVar}=${reference}).`);
  const lineStart = Math.max(text.lastIndexOf('\n', literal.start - 1) + 1, 0);
  const nl = text.indexOf('\n', literal.end);
  const rest = text.slice(literal.end, nl < 0 ? text.length : nl);
  if (!/^[ \t]*[A-Za-z_][A-Za-z0-9_]*=$/.test(text.slice(lineStart, literal.start))) {
    return refuse("apolo's --env-file reads a line as NAME=value verbatim (no 'export', no spaces around '='): write the line so, then move the token.");
  }
  if (!/^\r?$/.test(rest)) return refuse("apolo's --env-file keeps the rest of the line in the value: remove the text after the token (a comment), then move it.");
  return planOf(created, [{ start: literal.start, end: literal.end, newText: reference }], reference);
}

/** `hf_token` fits already; other characters become `_`, a leading `..` is dropped, at most 253. */
export function adaptApoloName(name: string): string {
  let out = name.replace(/[^a-zA-Z0-9_\-.]/g, '_').replace(/^\.+/, '').slice(0, 253);
  if (!out || validateApoloKey(out)) out = 'secret';
  return out;
}

export const APOLO_MOVE: PlatformMove = { move: moveApolo, adaptName: adaptApoloName };
