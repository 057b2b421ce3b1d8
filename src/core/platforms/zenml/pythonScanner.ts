// Finds ZenML `Client().get_secret("NAME")` references in Python source, with exact offsets
// (docs/contract.md "Beyond YAML"). Pure: text in, references out; linear time, never throws.
//
// Only in a file that imports from zenml (`import zenml…`, `from zenml… import …`). Recognised:
//   Client().get_secret("NAME")                     `Client` or an alias imported from zenml
//   zenml.client.Client().get_secret("NAME")
//   client = Client()  …  client.get_secret("NAME")  a name (or `self.x`) bound to `Client()`
//   ….get_secret(name_id_or_prefix="NAME", …)
//   SECRET_NAME = "NAME"  …  get_secret(SECRET_NAME)  a name bound once, by its own statement, to a literal
// The string literal is the reference (its name; no key). Not references: comments, other strings,
// other classes' `get_secret` (Kaggle's `UserSecretsClient().get_secret`), names that aren't
// literals. Reported `dynamic` (not checked): an f-string with a `{}` field, implicit concatenation,
// and a UUID (an id, not a name). A line ending in `# ml-secrets-ignore` yields nothing.

import { capReferences, IGNORE_MARKER, type ScanOptions, type ScanResult, type SecretReference } from '../../references/reference';
import { type PyToken, tokenizePython } from './syntaxPythonLexer';

const UUID = /^[0-9a-f]{8}-?[0-9a-f]{4}-?[0-9a-f]{4}-?[0-9a-f]{4}-?[0-9a-f]{12}$/i;
/** How far (in tokens) a call's arguments are searched for the name. */
const MAX_ARG_TOKENS = 400;

/** The cheap prefilter: text without `get_secret` or `zenml` holds no reference. */
export function mayContainClientReferences(text: string): boolean {
  return text.includes('get_secret') && text.includes('zenml');
}

export function scanZenmlPython(text: string, options: ScanOptions = {}): ScanResult {
  if (options.maxLength !== undefined && text.length > options.maxLength) return { references: [], skipped: 'tooLarge' };
  if (!mayContainClientReferences(text)) return { references: [] };
  const toks = tokenizePython(text);
  const classes = clientClasses(toks);
  if (!classes) return { references: [] };
  const vars = clientVariables(toks, classes);
  const constants = stringConstants(toks);
  const found = new Map<number, SecretReference>();
  for (let i = 0; i + 2 < toks.length; i++) {
    const t = toks[i];
    if (t.kind !== 'name' || t.value !== 'get_secret' || toks[i - 1]?.value !== '.' || toks[i + 1].value !== '(') continue;
    if (!isClientBefore(toks, i - 1, classes, vars)) continue;
    const ref = nameArgument(text, toks, i + 2, constants);
    if (ref) found.set(ref.start, ref);
  }
  const ignored = ignoredLines(text);
  return capReferences([...found.values()].sort((a, b) => a.start - b.start).filter((r) => !ignored(r.end)));
}

/** Names bound exactly once, by a statement of their own, to one string literal (`SECRET_NAME = "x"`): the literal's token. */
function stringConstants(toks: PyToken[]): Map<string, number> {
  const out = new Map<string, number>();
  const seen = new Set<string>();
  for (let i = 0; i + 2 < toks.length; i++) {
    const t = toks[i];
    if (t.kind !== 'name' || !t.lineStart || toks[i + 1].value !== '=') continue;
    const after = toks[i + 3];
    const single = toks[i + 2].kind === 'string' && (!after || after.lineStart || after.value === ';');
    if (seen.has(t.value) || !single) out.delete(t.value);
    else out.set(t.value, i + 2);
    seen.add(t.value);
  }
  return out;
}

/** The names `Client` goes by in a file that imports from zenml; none when it doesn't import zenml. */
function clientClasses(toks: PyToken[]): Set<string> | undefined {
  let zenml = false;
  const names = new Set(['Client']);
  for (let i = 0; i + 1 < toks.length; i++) {
    const t = toks[i];
    if (t.kind !== 'name' || (t.value !== 'from' && t.value !== 'import') || toks[i + 1].value !== 'zenml' || (!t.lineStart && toks[i - 1]?.value !== ';')) continue;
    zenml = true;
    if (t.value !== 'from') continue;
    let j = i + 2;
    while (j < toks.length && (toks[j].value === '.' || (toks[j].kind === 'name' && toks[j].value !== 'import'))) j++;
    if (toks[j]?.value !== 'import') continue;
    // from zenml… import Client as C, (A as B): names, commas, parentheses and `as` only.
    for (j++; j < toks.length && !toks[j].lineStart && (toks[j].kind === 'name' || [',', '(', ')'].includes(toks[j].value)); j++) {
      if (toks[j].value === 'Client' && toks[j + 1]?.value === 'as' && toks[j + 2]?.kind === 'name') names.add(toks[j + 2].value);
      if (toks[j].value === ')') break;
    }
  }
  return zenml ? names : undefined;
}

/** Names (`client`, `self.client`) bound anywhere in the file to a `Client()` call. */
function clientVariables(toks: PyToken[], classes: Set<string>): Set<string> {
  const out = new Set<string>();
  for (let i = 1; i + 3 < toks.length; i++) {
    if (toks[i].value !== '=' || toks[i - 1].kind !== 'name') continue;
    const call = i + 1;
    let j = call;
    while (toks[j + 1]?.value === '.' && toks[j + 2]?.kind === 'name') j += 2;
    if (!isClientClass(toks, call, j, classes) || toks[j + 1]?.value !== '(' || toks[j + 2]?.value !== ')') continue;
    const target = dotted(toks, i - 1);
    if (target) out.add(target);
  }
  return out;
}

/** Whether tokens [from, to] are `Client` (an alias) or `zenml.client.Client`. */
function isClientClass(toks: PyToken[], from: number, to: number, classes: Set<string>): boolean {
  const parts: string[] = [];
  for (let k = from; k <= to; k += 2) parts.push(toks[k].value);
  const path = parts.join('.');
  return (from === to && classes.has(path)) || path === 'zenml.client.Client' || path === 'zenml.Client';
}

/** The dotted name ending at token `end` (`client`, `self.client`), or '' when it is not one. */
function dotted(toks: PyToken[], end: number): string {
  let k = end;
  while (!toks[k].lineStart && toks[k - 1]?.value === '.' && toks[k - 2]?.kind === 'name') k -= 2;
  const before = toks[k].lineStart ? undefined : toks[k - 1]?.value;
  if (before === '.' || before === ')' || before === ']') return '';
  const parts: string[] = [];
  for (let m = k; m <= end; m += 2) parts.push(toks[m].value);
  return parts.join('.');
}

/** Whether what precedes `.get_secret` (the `.` at `dot`) is a `Client()` call or a name bound to one. */
function isClientBefore(toks: PyToken[], dot: number, classes: Set<string>, vars: Set<string>): boolean {
  const before = toks[dot - 1];
  if (before?.kind === 'name') return vars.has(dotted(toks, dot - 1));
  if (before?.value !== ')' || toks[dot - 2]?.value !== '(') return false;
  const end = dot - 3;
  let k = end;
  while (toks[k - 1]?.value === '.' && toks[k - 2]?.kind === 'name') k -= 2;
  return toks[end]?.kind === 'name' && toks[k - 1]?.value !== '.' && isClientClass(toks, k, end, classes);
}

/** The reference the call's name argument (first positional, or `name_id_or_prefix=`) is, when a literal. */
function nameArgument(text: string, toks: PyToken[], first: number, constants: Map<string, number>): SecretReference | undefined {
  let depth = 0;
  let at: number | undefined;
  for (let j = first, n = 0; j < toks.length && n < MAX_ARG_TOKENS; j++, n++) {
    const v = toks[j].value;
    if (toks[j].kind === 'op' && (v === '(' || v === '[' || v === '{')) depth++;
    else if (toks[j].kind === 'op' && (v === ')' || v === ']' || v === '}')) {
      if (depth-- === 0) break;
    } else if (depth === 0 && j === first && (toks[j].kind === 'string' || (toks[j].kind === 'name' && toks[j + 1]?.value !== '='))) at = j;
    else if (depth === 0 && v === 'name_id_or_prefix' && toks[j + 1]?.value === '=' && (j === first || toks[j - 1].value === ',')) at = j + 2;
  }
  if (at === undefined) return undefined;
  const next = toks[at + 1]?.value;
  // A name bound once to a literal (`get_secret(SECRET_NAME)`): that literal is the reference.
  const bound = toks[at]?.kind === 'name' && (next === ',' || next === ')') ? constants.get(toks[at].value) : undefined;
  if (bound !== undefined) return literalReference(text, toks[bound], false);
  const t = toks[at];
  if (t?.kind !== 'string' || (next !== ',' && next !== ')' && toks[at + 1]?.kind !== 'string')) return undefined;
  return literalReference(text, t, toks[at + 1]?.kind === 'string');
}

function literalReference(text: string, t: PyToken, concatenated: boolean): SecretReference | undefined {
  const prefix = t.prefix.toLowerCase();
  if (prefix.includes('b')) return undefined;
  const raw = text.slice(t.start, t.end);
  const ref: SecretReference = { syntax: 'zenml', text: raw, start: t.start, end: t.end, name: t.value };
  if (concatenated || prefix.includes('t') || (prefix.includes('f') && /\{(?!\{)/.test(t.value.replace(/\{\{/g, ''))) || UUID.test(t.value)) {
    ref.dynamic = true;
    return ref;
  }
  if (!prefix.includes('r') && t.value.includes('\\')) ref.name = unescape(t.value);
  if (prefix.includes('f')) ref.name = ref.name.replace(/\{\{/g, '{').replace(/\}\}/g, '}');
  if (ref.name === t.value) ref.nameStart = t.contentStart;
  if (!ref.name.trim()) ref.problem = 'Empty secret name: get_secret needs the name (or id) of a ZenML secret.';
  return ref;
}

const ESCAPES: Record<string, string> = { n: '\n', t: '\t', r: '\r', '\\': '\\', "'": "'", '"': '"', '0': '\0', '\n': '' };

function unescape(s: string): string {
  return s.replace(/\\(.)/gs, (m, c: string) => ESCAPES[c] ?? m);
}

/** Whether the line holding an offset ends in the ignore marker (asked in increasing order: each line looked at once). */
function ignoredLines(text: string): (at: number) => boolean {
  let end = -1;
  let ignored = false;
  return (at) => {
    if (at > end) {
      end = text.indexOf('\n', at);
      if (end < 0) end = text.length;
      ignored = text.slice(Math.max(at, end - IGNORE_MARKER.length - 2), end).trimEnd().endsWith(IGNORE_MARKER);
    }
    return ignored;
  };
}
