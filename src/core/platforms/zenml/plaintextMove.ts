// "Move to a platform secret…" for ZenML (issue 16): the secret holds {KEY: token}; the token becomes
// `{{NAME.KEY}}` where ZenML resolves that — a whole YAML value (a plain scalar becomes a quoted one:
// an unquoted `{` starts a flow mapping), a whole word or `--opt=` value of a `zenml …` command line
// (./shellScanner.ts reads the edit back) — and `Client().get_secret("NAME").secret_values["KEY"]`
// in Python. ZenML resolves `{{…}}` only as a whole value and splits it at the first `.`, so a name
// with a `.` or a space has no reference. No form in `.env` files. Pure.

import { commentPlan, docRefusal, planOf, pythonLiteralEdit, pythonLiteralProblem, refuse, yamlReferenceEdit, type Creation, type PlatformMove } from '../../plaintext/moveParts';
import { nameImport } from '../../plaintext/pythonImports';
import type { MovePlan, MoveRequest } from '../../plaintext/types';
import { validateZenmlName } from './names';
import { scanMakefile, scanShell } from './shellScanner';

const creation = (req: MoveRequest): Creation => ({ create: { name: req.name }, valueField: { values: req.key } });

export function moveZenml(req: MoveRequest): MovePlan {
  const created = creation(req);
  const reference = `{{${req.name}.${req.key}}}`;
  if (req.finding.inComment) return commentPlan(req, created, reference);
  const doc = docRefusal(req);
  if (doc) return doc;
  if (req.language === 'dotenv') return refuse('ZenML has no reference form in .env files: reference the secret from a stack component ({{NAME.KEY}}) or read it in Python with Client().get_secret().');
  if (req.language === 'python') return pythonMove(req, created);
  if (/[.\s{}]/.test(req.name)) return refuse(`ZenML reads {{${req.name}.${req.key}}} as a different name (it splits at the first '.', and a name with spaces or braces has no reference): choose a name without '.', spaces or braces.`);
  if (req.language === 'yaml') return yamlMove(req, created, reference);
  return commandLineMove(req, created, reference);
}

function yamlMove(req: MoveRequest, created: Creation, reference: string): MovePlan {
  if (!req.finding.whole) return refuse('ZenML resolves {{NAME.KEY}} only as a whole value, and this token is part of a longer string: make the value the token alone first.');
  const edit = yamlReferenceEdit(req, reference, true, (r) => r.name === req.name && r.key === req.key && r.text.startsWith('{{'));
  return typeof edit === 'string' ? refuse(edit) : planOf(created, [edit], reference);
}

/** Characters a shell word can hold unquoted without brace expansion, globbing or expansion. */
const SHELL_PLAIN = /^[A-Za-z0-9_.\-@%+:/=]*$/;

/** In a `zenml …` command line: a whole word, or the whole value after `--opt=`; read back with the command-line scanner. */
function commandLineMove(req: MoveRequest, created: Creation, reference: string): MovePlan {
  const { text, finding } = req;
  const { start, end, literal } = finding;
  const q = literal.quote;
  const open = q ? literal.start + 1 : literal.start;
  const close = q ? literal.end - 1 : literal.end;
  if (end !== close || !/^(?:--?[A-Za-z0-9][\w-]*=)?$/.test(text.slice(open, start))) {
    return refuse('ZenML resolves {{NAME.KEY}} only as a whole argument (or the whole value of --option=): make the token an argument of its own first.');
  }
  const inner = `${req.name}.${req.key}`;
  let newText = reference;
  if (q === "'" && inner.includes("'")) return refuse("The secret name has a ' and the token is in '…' quotes: choose another name.");
  if (q === '"' && /["$`\\!]/.test(inner)) return refuse('The secret name has a character the shell expands inside "…" quotes: choose another name.');
  if (!q && !SHELL_PLAIN.test(inner)) {
    if (inner.includes("'")) return refuse("The secret name has a ' : choose another name.");
    newText = `'${reference}'`;
  }
  const after = text.slice(0, start) + newText + text.slice(end);
  const scan = req.language === 'makefile' ? scanMakefile : scanShell;
  const at = newText === reference ? start : start + 1;
  const found = scan(after).references.some((r) => r.start === at && r.name === req.name && r.key === req.key && !r.dynamic && !r.problem);
  if (!found) return refuse('ZenML reads {{NAME.KEY}} only in the arguments of a zenml command (zenml stack-component register --password=…): this token is elsewhere in the script.');
  return planOf(created, [{ start, end, newText }], reference);
}

function pythonMove(req: MoveRequest, created: Creation): MovePlan {
  const problem = pythonLiteralProblem(req);
  if (problem) return refuse(problem);
  const client = nameImport(req.text, 'zenml.client', 'Client', req.finding.literal.start);
  if (!client) return refuse("There is no safe place for 'from zenml.client import Client' in this file: add it, then move the token.");
  const expr = `${client.expr}().get_secret(${JSON.stringify(req.name)}).secret_values[${JSON.stringify(req.key)}]`;
  return planOf(created, [...(client.edit ? [client.edit] : []), pythonLiteralEdit(req, expr)], expr);
}

/** ZenML takes almost any name, but a reference can't hold `.`, spaces or braces: those become `_`. */
export function adaptZenmlName(name: string): string {
  let out = name.replace(/[.\s{}]+/g, '_').slice(0, 255);
  if (!out || validateZenmlName(out)) out = 'secret';
  return out;
}

export const ZENML_MOVE: PlatformMove = { move: moveZenml, adaptName: adaptZenmlName };
