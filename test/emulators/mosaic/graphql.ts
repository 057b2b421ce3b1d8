/**
 * A small, strict GraphQL lexer + parser for executable documents (GraphQL spec, October 2021, §2),
 * written for the MosaicML MAPI emulator. It parses the full executable grammar (operations,
 * fragments, variables with defaults, directives, aliases, every literal kind, block strings) so that
 * the emulator can give precise "not supported" / validation errors instead of syntax errors; what is
 * then *accepted* is decided by the emulator (server.ts).
 *
 * Error texts follow graphql-js 16 ("Syntax Error: Expected Name, found \"}\".", ...), with 1-based
 * line/column locations.
 */

export interface Loc {
  line: number;
  column: number;
}

export class GraphQLSyntaxError extends Error {
  constructor(
    message: string,
    readonly loc: Loc,
  ) {
    super(`Syntax Error: ${message}`);
  }
}

// ---------------------------------------------------------------------------------------------
// AST
// ---------------------------------------------------------------------------------------------

export type ValueNode =
  | { kind: 'Variable'; name: string; loc: Loc }
  | { kind: 'Int'; value: string; loc: Loc }
  | { kind: 'Float'; value: string; loc: Loc }
  | { kind: 'String'; value: string; block: boolean; loc: Loc }
  | { kind: 'Boolean'; value: boolean; loc: Loc }
  | { kind: 'Null'; loc: Loc }
  | { kind: 'Enum'; value: string; loc: Loc }
  | { kind: 'List'; values: ValueNode[]; loc: Loc }
  | { kind: 'Object'; fields: ObjectFieldNode[]; loc: Loc };

export interface ObjectFieldNode {
  name: string;
  value: ValueNode;
  loc: Loc;
}

export type TypeNode =
  | { kind: 'Named'; name: string; loc: Loc }
  | { kind: 'List'; type: TypeNode; loc: Loc }
  | { kind: 'NonNull'; type: TypeNode; loc: Loc };

export interface ArgumentNode {
  name: string;
  value: ValueNode;
  loc: Loc;
}

export interface DirectiveNode {
  name: string;
  arguments: ArgumentNode[];
  loc: Loc;
}

export interface FieldNode {
  kind: 'Field';
  alias?: string;
  name: string;
  arguments: ArgumentNode[];
  directives: DirectiveNode[];
  selectionSet?: SelectionNode[];
  loc: Loc;
}

export interface FragmentSpreadNode {
  kind: 'FragmentSpread';
  name: string;
  directives: DirectiveNode[];
  loc: Loc;
}

export interface InlineFragmentNode {
  kind: 'InlineFragment';
  typeCondition?: string;
  directives: DirectiveNode[];
  selectionSet: SelectionNode[];
  loc: Loc;
}

export type SelectionNode = FieldNode | FragmentSpreadNode | InlineFragmentNode;

export interface VariableDefinitionNode {
  name: string;
  type: TypeNode;
  defaultValue?: ValueNode;
  directives: DirectiveNode[];
  loc: Loc;
}

export type OperationType = 'query' | 'mutation' | 'subscription';

export interface OperationDefinitionNode {
  kind: 'OperationDefinition';
  operation: OperationType;
  name?: string;
  variableDefinitions: VariableDefinitionNode[];
  directives: DirectiveNode[];
  selectionSet: SelectionNode[];
  loc: Loc;
}

export interface FragmentDefinitionNode {
  kind: 'FragmentDefinition';
  name: string;
  typeCondition: string;
  directives: DirectiveNode[];
  selectionSet: SelectionNode[];
  loc: Loc;
}

export type DefinitionNode = OperationDefinitionNode | FragmentDefinitionNode;

// ---------------------------------------------------------------------------------------------
// Lexer
// ---------------------------------------------------------------------------------------------

type TokenKind = 'Punct' | 'Name' | 'Int' | 'Float' | 'String' | 'BlockString' | 'EOF';

interface Token {
  kind: TokenKind;
  value: string;
  loc: Loc;
}

const PUNCT = new Set(['!', '$', '&', '(', ')', ':', '=', '@', '[', ']', '{', '|', '}']);

function isNameStart(c: string | undefined): boolean {
  return c !== undefined && /^[_A-Za-z]$/.test(c);
}
function isNameContinue(c: string | undefined): boolean {
  return c !== undefined && /^[_0-9A-Za-z]$/.test(c);
}
function isDigit(c: string | undefined): boolean {
  return c !== undefined && c >= '0' && c <= '9';
}

function printChar(c: string | undefined): string {
  if (c === undefined) return '<EOF>';
  const code = c.codePointAt(0)!;
  if (code < 0x20 || code === 0x7f) return JSON.stringify(c);
  return `"${c === '"' ? '\\"' : c}"`;
}

/** GraphQL spec BlockStringValue(): common-indent removal and blank first/last line trimming. */
export function blockStringValue(raw: string): string {
  const lines = raw.split(/\r\n|[\n\r]/);
  let common: number | null = null;
  for (let i = 1; i < lines.length; i++) {
    const line = lines[i]!;
    const indent = /^[\t ]*/.exec(line)![0].length;
    if (indent < line.length && (common === null || indent < common)) common = indent;
  }
  if (common !== null && common > 0) {
    for (let i = 1; i < lines.length; i++) lines[i] = lines[i]!.slice(common);
  }
  const blank = (l: string) => /^[\t ]*$/.test(l);
  while (lines.length && blank(lines[0]!)) lines.shift();
  while (lines.length && blank(lines[lines.length - 1]!)) lines.pop();
  return lines.join('\n');
}

export function lex(source: string): Token[] {
  const tokens: Token[] = [];
  const chars = [...source]; // code points
  let i = 0;
  let line = 1;
  let lineStart = 0;
  const locAt = (idx: number): Loc => ({ line, column: idx - lineStart + 1 });
  const fail = (msg: string, idx: number): never => {
    throw new GraphQLSyntaxError(msg, locAt(idx));
  };
  const newline = (idxAfter: number) => {
    line++;
    lineStart = idxAfter;
  };

  while (i < chars.length) {
    const c = chars[i]!;
    // Ignored tokens: BOM, whitespace, line terminators, commas, comments.
    if (c === '\uFEFF' || c === ' ' || c === '\t' || c === ',') {
      i++;
      continue;
    }
    if (c === '\n') {
      i++;
      newline(i);
      continue;
    }
    if (c === '\r') {
      i += chars[i + 1] === '\n' ? 2 : 1;
      newline(i);
      continue;
    }
    if (c === '#') {
      while (i < chars.length && chars[i] !== '\n' && chars[i] !== '\r') i++;
      continue;
    }
    const start = i;
    if (c === '.') {
      if (chars[i + 1] === '.' && chars[i + 2] === '.') {
        tokens.push({ kind: 'Punct', value: '...', loc: locAt(start) });
        i += 3;
        continue;
      }
      fail(`Unexpected character: "."`, i);
    }
    if (PUNCT.has(c)) {
      tokens.push({ kind: 'Punct', value: c, loc: locAt(start) });
      i++;
      continue;
    }
    if (isNameStart(c)) {
      let j = i + 1;
      while (isNameContinue(chars[j])) j++;
      tokens.push({ kind: 'Name', value: chars.slice(i, j).join(''), loc: locAt(start) });
      i = j;
      continue;
    }
    if (c === '-' || isDigit(c)) {
      let j = i;
      let isFloat = false;
      if (chars[j] === '-') j++;
      if (chars[j] === '0') {
        j++;
        if (isDigit(chars[j])) fail(`Invalid number, unexpected digit after 0: ${printChar(chars[j])}.`, j);
      } else {
        if (!isDigit(chars[j])) fail(`Invalid number, expected digit but got: ${printChar(chars[j])}.`, j);
        while (isDigit(chars[j])) j++;
      }
      if (chars[j] === '.') {
        isFloat = true;
        j++;
        if (!isDigit(chars[j])) fail(`Invalid number, expected digit but got: ${printChar(chars[j])}.`, j);
        while (isDigit(chars[j])) j++;
      }
      if (chars[j] === 'e' || chars[j] === 'E') {
        isFloat = true;
        j++;
        if (chars[j] === '+' || chars[j] === '-') j++;
        if (!isDigit(chars[j])) fail(`Invalid number, expected digit but got: ${printChar(chars[j])}.`, j);
        while (isDigit(chars[j])) j++;
      }
      if (chars[j] === '.' || isNameStart(chars[j])) fail(`Invalid number, expected digit but got: ${printChar(chars[j])}.`, j);
      tokens.push({ kind: isFloat ? 'Float' : 'Int', value: chars.slice(i, j).join(''), loc: locAt(start) });
      i = j;
      continue;
    }
    if (c === '"') {
      if (chars[i + 1] === '"' && chars[i + 2] === '"') {
        // Block string: raw text; only \""" is an escape.
        let j = i + 3;
        let raw = '';
        const startLoc = locAt(start);
        for (;;) {
          if (j >= chars.length) fail('Unterminated string.', j);
          const d = chars[j]!;
          if (d === '"' && chars[j + 1] === '"' && chars[j + 2] === '"') {
            j += 3;
            break;
          }
          if (d === '\\' && chars[j + 1] === '"' && chars[j + 2] === '"' && chars[j + 3] === '"') {
            raw += '"""';
            j += 4;
            continue;
          }
          if (d === '\n') {
            raw += d;
            j++;
            newline(j);
            continue;
          }
          if (d === '\r') {
            raw += chars[j + 1] === '\n' ? '\r\n' : '\r';
            j += chars[j + 1] === '\n' ? 2 : 1;
            newline(j);
            continue;
          }
          const code = d.codePointAt(0)!;
          if (code < 0x20 && d !== '\t') fail(`Invalid character within String: ${printChar(d)}.`, j);
          raw += d;
          j++;
        }
        tokens.push({ kind: 'BlockString', value: blockStringValue(raw), loc: startLoc });
        i = j;
        continue;
      }
      let j = i + 1;
      let value = '';
      for (;;) {
        if (j >= chars.length || chars[j] === '\n' || chars[j] === '\r') fail('Unterminated string.', j);
        const d = chars[j]!;
        if (d === '"') {
          j++;
          break;
        }
        if (d === '\\') {
          const e = chars[j + 1];
          const simple: Record<string, string> = { '"': '"', '\\': '\\', '/': '/', b: '\b', f: '\f', n: '\n', r: '\r', t: '\t' };
          if (e !== undefined && simple[e] !== undefined) {
            value += simple[e];
            j += 2;
            continue;
          }
          if (e === 'u') {
            const hex = chars.slice(j + 2, j + 6).join('');
            if (!/^[0-9a-fA-F]{4}$/.test(hex)) fail(`Invalid Unicode escape sequence: "\\u${hex}".`, j);
            const unit = parseInt(hex, 16);
            // A surrogate pair written as two \u escapes.
            if (unit >= 0xd800 && unit <= 0xdbff && chars[j + 6] === '\\' && chars[j + 7] === 'u') {
              const hex2 = chars.slice(j + 8, j + 12).join('');
              const unit2 = /^[0-9a-fA-F]{4}$/.test(hex2) ? parseInt(hex2, 16) : -1;
              if (unit2 >= 0xdc00 && unit2 <= 0xdfff) {
                value += String.fromCharCode(unit, unit2);
                j += 12;
                continue;
              }
            }
            if (unit >= 0xd800 && unit <= 0xdfff) fail(`Invalid Unicode escape sequence: "\\u${hex}".`, j);
            value += String.fromCharCode(unit);
            j += 6;
            continue;
          }
          fail(`Invalid character escape sequence: "\\${e ?? ''}".`, j);
        }
        const code = d.codePointAt(0)!;
        if (code < 0x20 && d !== '\t') fail(`Invalid character within String: ${printChar(d)}.`, j);
        value += d;
        j++;
      }
      tokens.push({ kind: 'String', value, loc: locAt(start) });
      i = j;
      continue;
    }
    fail(`Unexpected character: ${printChar(c)}.`, i);
  }
  tokens.push({ kind: 'EOF', value: '', loc: locAt(i) });
  return tokens;
}

// ---------------------------------------------------------------------------------------------
// Parser
// ---------------------------------------------------------------------------------------------

function describe(t: Token): string {
  switch (t.kind) {
    case 'EOF':
      return '<EOF>';
    case 'Punct':
      return `"${t.value}"`;
    case 'BlockString':
      return `BlockString ${JSON.stringify(t.value)}`;
    default:
      return `${t.kind} ${JSON.stringify(t.value)}`;
  }
}

class Parser {
  private i = 0;
  constructor(private readonly tokens: Token[]) {}

  peek(): Token {
    return this.tokens[this.i]!;
  }
  private advance(): Token {
    const t = this.tokens[this.i]!;
    if (t.kind !== 'EOF') this.i++;
    return t;
  }
  private isPunct(p: string): boolean {
    const t = this.peek();
    return t.kind === 'Punct' && t.value === p;
  }
  private skipPunct(p: string): boolean {
    if (this.isPunct(p)) {
      this.advance();
      return true;
    }
    return false;
  }
  private expectPunct(p: string): Token {
    const t = this.peek();
    if (t.kind === 'Punct' && t.value === p) return this.advance();
    throw new GraphQLSyntaxError(`Expected "${p}", found ${describe(t)}.`, t.loc);
  }
  private expectName(): Token {
    const t = this.peek();
    if (t.kind === 'Name') return this.advance();
    throw new GraphQLSyntaxError(`Expected Name, found ${describe(t)}.`, t.loc);
  }
  private unexpected(t: Token = this.peek()): never {
    throw new GraphQLSyntaxError(`Unexpected ${describe(t)}.`, t.loc);
  }

  parseDocument(): DefinitionNode[] {
    const defs: DefinitionNode[] = [];
    do {
      defs.push(this.parseDefinition());
    } while (this.peek().kind !== 'EOF');
    return defs;
  }

  private parseDefinition(): DefinitionNode {
    const t = this.peek();
    if (t.kind === 'Punct' && t.value === '{') {
      return { kind: 'OperationDefinition', operation: 'query', variableDefinitions: [], directives: [], selectionSet: this.parseSelectionSet(), loc: t.loc };
    }
    if (t.kind === 'Name') {
      if (t.value === 'query' || t.value === 'mutation' || t.value === 'subscription') return this.parseOperation();
      if (t.value === 'fragment') return this.parseFragmentDefinition();
    }
    return this.unexpected(t);
  }

  private parseOperation(): OperationDefinitionNode {
    const t = this.advance();
    const op: OperationDefinitionNode = {
      kind: 'OperationDefinition',
      operation: t.value as OperationType,
      variableDefinitions: [],
      directives: [],
      selectionSet: [],
      loc: t.loc,
    };
    if (this.peek().kind === 'Name') op.name = this.advance().value;
    if (this.skipPunct('(')) {
      do {
        op.variableDefinitions.push(this.parseVariableDefinition());
      } while (!this.skipPunct(')'));
    }
    op.directives = this.parseDirectives(false);
    op.selectionSet = this.parseSelectionSet();
    return op;
  }

  private parseVariableDefinition(): VariableDefinitionNode {
    const start = this.expectPunct('$');
    const name = this.expectName().value;
    this.expectPunct(':');
    const type = this.parseType();
    const def: VariableDefinitionNode = { name, type, directives: [], loc: start.loc };
    if (this.skipPunct('=')) def.defaultValue = this.parseValue(true);
    def.directives = this.parseDirectives(true);
    return def;
  }

  parseType(): TypeNode {
    const t = this.peek();
    let type: TypeNode;
    if (this.skipPunct('[')) {
      const inner = this.parseType();
      this.expectPunct(']');
      type = { kind: 'List', type: inner, loc: t.loc };
    } else {
      type = { kind: 'Named', name: this.expectName().value, loc: t.loc };
    }
    if (this.skipPunct('!')) type = { kind: 'NonNull', type, loc: t.loc };
    return type;
  }

  private parseFragmentDefinition(): FragmentDefinitionNode {
    const t = this.advance();
    const nameTok = this.expectName();
    if (nameTok.value === 'on') this.unexpected(nameTok);
    const on = this.expectName();
    if (on.value !== 'on') throw new GraphQLSyntaxError(`Expected "on", found ${describe(on)}.`, on.loc);
    const typeCondition = this.expectName().value;
    const directives = this.parseDirectives(false);
    return { kind: 'FragmentDefinition', name: nameTok.value, typeCondition, directives, selectionSet: this.parseSelectionSet(), loc: t.loc };
  }

  private parseSelectionSet(): SelectionNode[] {
    this.expectPunct('{');
    const out: SelectionNode[] = [];
    do {
      out.push(this.parseSelection());
    } while (!this.skipPunct('}'));
    return out;
  }

  private parseSelection(): SelectionNode {
    const t = this.peek();
    if (this.skipPunct('...')) {
      const n = this.peek();
      if (n.kind === 'Name' && n.value !== 'on') {
        this.advance();
        return { kind: 'FragmentSpread', name: n.value, directives: this.parseDirectives(false), loc: t.loc };
      }
      let typeCondition: string | undefined;
      if (n.kind === 'Name' && n.value === 'on') {
        this.advance();
        typeCondition = this.expectName().value;
      }
      const directives = this.parseDirectives(false);
      return { kind: 'InlineFragment', typeCondition, directives, selectionSet: this.parseSelectionSet(), loc: t.loc };
    }
    const first = this.expectName();
    const field: FieldNode = { kind: 'Field', name: first.value, arguments: [], directives: [], loc: first.loc };
    if (this.skipPunct(':')) {
      field.alias = first.value;
      field.name = this.expectName().value;
    }
    if (this.isPunct('(')) field.arguments = this.parseArguments(false);
    field.directives = this.parseDirectives(false);
    if (this.isPunct('{')) field.selectionSet = this.parseSelectionSet();
    return field;
  }

  private parseArguments(isConst: boolean): ArgumentNode[] {
    this.expectPunct('(');
    const out: ArgumentNode[] = [];
    do {
      const n = this.expectName();
      this.expectPunct(':');
      out.push({ name: n.value, value: this.parseValue(isConst), loc: n.loc });
    } while (!this.skipPunct(')'));
    return out;
  }

  private parseDirectives(isConst: boolean): DirectiveNode[] {
    const out: DirectiveNode[] = [];
    while (this.isPunct('@')) {
      const at = this.advance();
      const name = this.expectName().value;
      out.push({ name, arguments: this.isPunct('(') ? this.parseArguments(isConst) : [], loc: at.loc });
    }
    return out;
  }

  parseValue(isConst: boolean): ValueNode {
    const t = this.peek();
    switch (t.kind) {
      case 'Punct':
        if (t.value === '[') {
          this.advance();
          const values: ValueNode[] = [];
          while (!this.skipPunct(']')) values.push(this.parseValue(isConst));
          return { kind: 'List', values, loc: t.loc };
        }
        if (t.value === '{') {
          this.advance();
          const fields: ObjectFieldNode[] = [];
          while (!this.skipPunct('}')) {
            const n = this.expectName();
            this.expectPunct(':');
            fields.push({ name: n.value, value: this.parseValue(isConst), loc: n.loc });
          }
          return { kind: 'Object', fields, loc: t.loc };
        }
        if (t.value === '$') {
          if (isConst) {
            const n = this.tokens[this.i + 1]!;
            if (n.kind === 'Name') throw new GraphQLSyntaxError(`Unexpected variable "$${n.value}" in constant value.`, t.loc);
            this.unexpected(t);
          }
          this.advance();
          return { kind: 'Variable', name: this.expectName().value, loc: t.loc };
        }
        return this.unexpected(t);
      case 'Int':
        this.advance();
        return { kind: 'Int', value: t.value, loc: t.loc };
      case 'Float':
        this.advance();
        return { kind: 'Float', value: t.value, loc: t.loc };
      case 'String':
      case 'BlockString':
        this.advance();
        return { kind: 'String', value: t.value, block: t.kind === 'BlockString', loc: t.loc };
      case 'Name':
        this.advance();
        if (t.value === 'true' || t.value === 'false') return { kind: 'Boolean', value: t.value === 'true', loc: t.loc };
        if (t.value === 'null') return { kind: 'Null', loc: t.loc };
        return { kind: 'Enum', value: t.value, loc: t.loc };
      default:
        return this.unexpected(t);
    }
  }
}

/** Parses an executable document. Throws GraphQLSyntaxError. */
export function parseDocument(source: string): DefinitionNode[] {
  return new Parser(lex(source)).parseDocument();
}

/** Parses a type reference such as `[String!]!` (used to write the emulator's schema). */
export function parseTypeReference(source: string): TypeNode {
  const p = new Parser(lex(source));
  const t = p.parseType();
  if (p.peek().kind !== 'EOF') throw new GraphQLSyntaxError(`Unexpected ${describe(p.peek())}.`, p.peek().loc);
  return t;
}

export function printType(t: TypeNode): string {
  switch (t.kind) {
    case 'Named':
      return t.name;
    case 'List':
      return `[${printType(t.type)}]`;
    case 'NonNull':
      return `${printType(t.type)}!`;
  }
}

/** GraphQL source text of a value (as graphql-js `print` does for error messages). */
export function printValue(v: ValueNode): string {
  switch (v.kind) {
    case 'Variable':
      return `$${v.name}`;
    case 'Int':
    case 'Float':
    case 'Enum':
      return v.value;
    case 'String':
      return JSON.stringify(v.value);
    case 'Boolean':
      return String(v.value);
    case 'Null':
      return 'null';
    case 'List':
      return `[${v.values.map(printValue).join(', ')}]`;
    case 'Object':
      return `{${v.fields.map((f) => `${f.name}: ${printValue(f.value)}`).join(', ')}}`;
  }
}
