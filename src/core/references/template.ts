// The `<<NAME>>` / `<<NAME.KEY>>` template syntax, which no platform owns: anywhere in a YAML scalar,
// several per scalar, resolved against whichever connection the file is checked against. On a
// platform whose secrets have keys KEY is a key; elsewhere `<<a.b>>` may name the secret `a.b`.

import { MAX_REFERENCES, type SecretReference } from './reference';
import type { SyntaxDescriptor } from './syntax';

// `<<` NAME [`.` KEY] `>>`, no whitespace inside: `cat <<EOF … >> log` in a shell line is not a
// template. Whitespace right inside both brackets (`<< parameters.x >>`, `<< pipeline.git.tag >>`)
// is CircleCI's (docs/contract.md): matched, so that nothing inside it is read, and skipped; so are
// CircleCI's namespaces written without spaces (CIRCLECI_BODY). A body
// of name-like words with whitespace between them (`<<bad name.key>>`, none at either end) is a
// template, a malformed one. A body holds no '<' or '>' (and whitespace only between its words), so
// no match can swallow another.
const TEMPLATE_SOURCE = /<<(?:[ \t]+([^\s<>]+)[ \t]+|([A-Za-z_][\w.-]*(?:[ \t]+[\w.-]+)+)|([^\s<>]*))>>/.source;
const TEMPLATE_RE = new RegExp(TEMPLATE_SOURCE, 'g');
/**
 * CircleCI's own forms without the spaces, in configs and orb sources (`src/jobs/*.yml`):
 * `<<parameters.x>>`, `<<pipeline.git.tag>>`, `<<include(scripts/run.sh)>>`. Not references.
 */
const CIRCLECI_BODY = /^(?:parameters|pipeline)\.|^include\(/;
/** The same rule over a whole text (the workspace index's fast path). */
const TEMPLATES_IN_TEXT = new RegExp(TEMPLATE_SOURCE, 'g');

/** The templates in a scalar's raw source starting at `base`. */
function findTemplates(source: string, base: number, refs: SecretReference[]): void {
  TEMPLATE_RE.lastIndex = 0;
  let last: SecretReference | undefined;
  let m: RegExpExecArray | null;
  while ((m = TEMPLATE_RE.exec(source))) {
    if (refs.length > MAX_REFERENCES) return;
    if (m[1] !== undefined || (m[3] !== undefined && CIRCLECI_BODY.test(m[3]))) continue; // CircleCI's
    const start = base + m.index;
    const text = m[0];
    if (last && last.text === text) {
      refs.push(repeated(last, start));
      continue;
    }
    const ref = parseTemplate(text, start, m);
    last = ref;
    refs.push(ref);
  }
}

/** A scalar repeating one template (hundreds of thousands of times) shares its strings. */
function repeated(last: SecretReference, start: number): SecretReference {
  const ref: SecretReference = { syntax: 'template', text: last.text, start, end: start + last.text.length, name: last.name };
  if (last.key !== undefined) ref.key = last.key;
  if (last.problem !== undefined) ref.problem = last.problem;
  if (last.dynamic) ref.dynamic = true;
  if (last.nameStart !== undefined) ref.nameStart = start + (last.nameStart - last.start);
  return ref;
}

function parseTemplate(text: string, start: number, m: RegExpExecArray): SecretReference {
  const spaced = m[2] !== undefined;
  const body = m[2] ?? m[3] ?? '';
  const ref: SecretReference = { syntax: 'template', text, start, end: start + text.length, name: body };
  if (spaced) {
    const dot = body.indexOf('.');
    if (dot > 0) {
      ref.name = body.slice(0, dot);
      ref.key = body.slice(dot + 1);
    }
    ref.problem = `Template ${text} has whitespace inside: write <<NAME>> or <<NAME.KEY>>, with no spaces.`;
  } else if (!body) {
    ref.problem = 'Empty template: write <<NAME>> or <<NAME.KEY>>.';
  } else if (body.includes('{{')) {
    ref.dynamic = true;
  } else {
    const dot = body.indexOf('.');
    if (dot >= 0) {
      ref.name = body.slice(0, dot);
      ref.key = body.slice(dot + 1);
      if (!ref.name) ref.problem = `Template <<${body}>> has no secret name before the '.'.`;
      else if (!ref.key) ref.problem = `Template <<${body}>> has an empty key after the '.'.`;
    }
  }
  if (ref.name && !ref.problem && !ref.dynamic) {
    const at = text.indexOf(ref.name);
    if (at >= 0) ref.nameStart = start + at;
  }
  return ref;
}

/** Every template's name, body and `NAME.KEY` in a whole text: a superset of what the scanner finds in its scalars. */
function templateCandidates(text: string, out: Set<string>): boolean {
  TEMPLATES_IN_TEXT.lastIndex = 0;
  let m: RegExpExecArray | null;
  while ((m = TEMPLATES_IN_TEXT.exec(text))) {
    const body = m[2] ?? m[3] ?? '';
    if (!body || CIRCLECI_BODY.test(body)) continue;
    out.add(body);
    const dot = body.indexOf('.');
    if (dot > 0) out.add(body.slice(0, dot));
  }
  return false;
}

export const TEMPLATE_SYNTAX: SyntaxDescriptor = {
  id: 'template',
  // On platforms without keys, <<NAME.KEY>> names NAME; a name that itself contains a dot (Apolo
  // allows `aws-creds.json`) is tried whole first.
  names: (ref, keyed) => (!keyed && ref.key !== undefined ? [`${ref.name}.${ref.key}`, ref.name] : [ref.name]),
  yaml: { trigger: '<<', inSource: findTemplates, candidates: templateCandidates },
  // A name after `<<`, a key after `<<name.`; a reference not closed yet gets its `>>`.
  completion: [
    { languages: ['yaml'], before: /<<$/, chars: /[\w-]/, close: '>>' },
    { languages: ['yaml'], before: /<<([\w-]+)\.$/, completes: 'key', chars: /\w/, close: '>>' },
  ],
};
