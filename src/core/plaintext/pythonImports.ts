// Python imports for "Move to a platform secret…" (issue 16): whether a module (or a notebook cell:
// the text is one cell's source) already imports what a move form's expression needs (`os` for
// `os.environ[…]`, ZenML's `Client`), and, when not, the one line to insert: after a shebang /
// encoding comment, the module docstring and `from __future__` imports, before the first other
// statement, at column 0 (never inside a string or a bracket: statements come from the tokenizer
// of src/core/platforms/flyte/syntaxPythonTokenizer.ts). A cell magic (`%%time`) stays first.
// Pure; never throws.

import { tokenize } from '../platforms/flyte/syntaxPythonTokenizer';
import { NAME, NL, OP, STR } from '../platforms/flyte/syntaxPythonTokens';
import type { TextEdit } from './types';

/** One top-level `import a.b as c, d` or `from m import x as y, z` statement. */
export interface ImportStatement {
  start: number;
  /** `import`: the dotted modules; `from`: the module imported from. */
  from?: string;
  /** What it binds: `{name: 'os.path', alias: undefined}` for `import os.path`, `{name: 'Client'}` for `from … import Client`. */
  names: Array<{ name: string; alias?: string }>;
}

/** A statement's first token and the tokens it spans (end exclusive). */
interface Statement {
  first: number;
  end: number;
  /** It starts a logical line at column 0 (or follows `;` on such a line): a module-level statement. */
  top: boolean;
}

interface Parsed {
  text: string;
  statements: Statement[];
  tok: (i: number) => string;
  kind: (i: number) => number;
  start: (i: number) => number;
  endOf: (i: number) => number;
}

function parse(text: string): Parsed {
  const { toks } = tokenize(text);
  const statements: Statement[] = [];
  let first = -1;
  let lineTop = false;
  const close = (end: number) => {
    if (first >= 0 && end > first) statements.push({ first, end, top: lineTop });
    first = -1;
  };
  for (let i = 0; i < toks.count; i++) {
    const k = toks.kind[i];
    if (k === NL) {
      close(i);
      lineTop = false;
      continue;
    }
    if (k === OP && text.slice(toks.start[i], toks.end[i]) === ';') {
      close(i);
      continue;
    }
    if (first < 0) {
      if (i === 0 || toks.kind[i - 1] === NL) lineTop = atColumn0(text, toks.start[i]);
      first = i;
    }
  }
  close(toks.count);
  return {
    text,
    statements,
    tok: (i) => text.slice(toks.start[i], toks.end[i]),
    kind: (i) => toks.kind[i],
    start: (i) => toks.start[i],
    endOf: (i) => toks.end[i],
  };
}

function atColumn0(text: string, at: number): boolean {
  return at === 0 || text[at - 1] === '\n' || text[at - 1] === '\r';
}

/** A dotted name from token i: `[name, next index]`. */
function dotted(p: Parsed, i: number, end: number): [string, number] {
  let name = '';
  while (i < end && p.kind(i) === NAME) {
    name += p.tok(i);
    if (i + 1 < end && p.tok(i + 1) === '.') {
      name += '.';
      i += 2;
    } else return [name, i + 1];
  }
  return [name, i];
}

/** `a as b, c` (brackets allowed after `from … import`) from token i to end. */
function importNames(p: Parsed, i: number, end: number): Array<{ name: string; alias?: string }> {
  const out: Array<{ name: string; alias?: string }> = [];
  while (i < end) {
    if (p.tok(i) === '(' || p.tok(i) === ')' || p.tok(i) === ',') {
      i++;
      continue;
    }
    const [name, next] = dotted(p, i, end);
    if (!name) return out;
    i = next;
    let alias: string | undefined;
    if (p.tok(i) === 'as' && i + 1 < end) {
      alias = p.tok(i + 1);
      i += 2;
    }
    out.push({ name, alias });
  }
  return out;
}

/** The module-level import statements of `text`, in order. */
export function topImports(text: string): ImportStatement[] {
  const p = parse(text);
  return importsOf(p);
}

function importsOf(p: Parsed): ImportStatement[] {
  const out: ImportStatement[] = [];
  for (const s of p.statements) {
    if (!s.top) continue;
    const head = p.tok(s.first);
    if (head === 'import') out.push({ start: p.start(s.first), names: importNames(p, s.first + 1, s.end) });
    else if (head === 'from') {
      const [module, next] = dotted(p, s.first + 1, s.end);
      if (module && p.tok(next) === 'import') out.push({ start: p.start(s.first), from: module, names: importNames(p, next + 1, s.end) });
    }
  }
  return out;
}

/** Where one import line goes (column 0), or undefined when there is no safe place. */
export function importInsertionPoint(text: string): number | undefined {
  const p = parse(text);
  const bom = text.startsWith('\uFEFF') ? 1 : 0;
  const floor = text.startsWith('%%', bom) ? lineAfter(text, 0) : bom;
  let preambleEnd: number | undefined;
  for (let n = 0; n < p.statements.length; n++) {
    const s = p.statements[n];
    const head = p.tok(s.first);
    const docstring = n === 0 && isOnlyStrings(p, s);
    const future = head === 'from' && p.tok(s.first + 1) === '__future__';
    if (p.start(s.first) < floor) continue;
    if (docstring || future) {
      preambleEnd = p.endOf(s.end - 1);
      continue;
    }
    const at = Math.max(lineStart(text, p.start(s.first)), bom);
    return at >= (preambleEnd ?? floor) ? at : undefined;
  }
  return preambleEnd === undefined ? Math.max(floor, afterHeaderComments(text)) : lineAfter(text, preambleEnd);
}

function isOnlyStrings(p: Parsed, s: Statement): boolean {
  for (let i = s.first; i < s.end; i++) if (p.kind(i) !== STR) return false;
  return true;
}

function lineStart(text: string, at: number): number {
  let i = at;
  while (i > 0 && text[i - 1] !== '\n' && text[i - 1] !== '\r') i--;
  return i;
}

/** The start of the line after the one `at` is on (text.length when it is the last). */
function lineAfter(text: string, at: number): number {
  const nl = text.indexOf('\n', at);
  return nl < 0 ? text.length : nl + 1;
}

/** A file of comments only: after a shebang and an encoding line. */
function afterHeaderComments(text: string): number {
  let at = text.startsWith('\uFEFF') ? 1 : 0;
  for (let n = 0; n < 2 && at < text.length; n++) {
    const end = lineAfter(text, at);
    const line = text.slice(at, end);
    if (!(n === 0 && line.startsWith('#!')) && !/^[ \t\f]*#.*coding[:=]/.test(line)) break;
    at = end;
  }
  return at;
}

/** The edit that inserts `line` (without its line break) at the insertion point, or undefined. */
export function insertImportLine(text: string, line: string): TextEdit | undefined {
  const at = importInsertionPoint(text);
  if (at === undefined) return undefined;
  const eol = text.includes('\r\n') ? '\r\n' : '\n';
  // At the end of a text without a final line break, the line goes after one.
  const before = at === text.length && at > 0 && text[at - 1] !== '\n' ? eol : '';
  return { start: at, end: at, newText: `${before}${line}${eol}` };
}

/** What `module` is bound to at module level before `before` (`os` for `import os`, `import os.path`), or undefined. */
function boundModule(imports: readonly ImportStatement[], module: string, before: number): string | undefined {
  for (const s of imports) {
    if (s.start >= before || s.from !== undefined) continue;
    for (const n of s.names) {
      if (n.alias) {
        if (n.name === module) return n.alias;
      } else if (n.name === module || n.name.startsWith(`${module}.`)) return module;
    }
  }
  return undefined;
}

/** The `import os` the text needs before offset `before`: none (undefined) or the insertion; `false` when it can't be placed. */
export function osImport(text: string, before: number): { edit?: TextEdit } | false {
  if (boundModule(topImports(text), 'os', before) === 'os') return {};
  const edit = insertImportLine(text, 'import os');
  return edit ? { edit } : false;
}

/**
 * How to name `name` of `module` (ZenML's `Client` of `zenml.client`) at offset `before`: `Client` when
 * `from zenml.client import Client` is there (or inserted), `X.Client` after `import zenml.client [as X]`,
 * and `zenml.client.Client` with `import zenml.client` inserted when another import binds `Client`.
 */
export function nameImport(text: string, module: string, name: string, before: number): { expr: string; edit?: TextEdit } | false {
  const imports = topImports(text);
  for (const s of imports) {
    if (s.start >= before || s.from !== module) continue;
    if (s.names.some((n) => n.name === name && (!n.alias || n.alias === name))) return { expr: name };
  }
  const bound = boundModule(imports, module, before);
  if (bound) return { expr: `${bound}.${name}` };
  const taken = imports.some((s) => s.names.some((n) => (n.alias ?? (s.from !== undefined ? n.name : n.name.split('.')[0])) === name));
  const edit = insertImportLine(text, taken ? `import ${module}` : `from ${module} import ${name}`);
  if (!edit) return false;
  return { expr: taken ? `${module}.${name}` : name, edit };
}
