// CREATE TABLE parsing for the SQLite reader (./sqlite.ts): just enough to name the columns of a
// record — names, declared types, the rowid alias (INTEGER PRIMARY KEY), generated VIRTUAL columns
// (not stored) and literal DEFAULTs (for rows written before an ALTER TABLE … ADD COLUMN).

import { CredentialFileError, corrupt, type SqlValue, toJsInteger } from './sqliteFormat';

/** SQLite's hard upper limit on SQLITE_MAX_COLUMN. */
const MAX_COLUMNS = 32767;

export interface ColumnInfo {
  readonly name: string;
  /** Declared type as written (`TEXT`, `REAL`, `VARCHAR(10)`, or '' for none). */
  readonly declaredType: string;
  /** The column is the INTEGER PRIMARY KEY, i.e. an alias of the rowid. */
  readonly rowidAlias: boolean;
}

interface Token {
  /** 'word' (keyword or bare identifier), 'ident' (quoted identifier), 'string', 'punct', 'other'. */
  readonly type: 'word' | 'ident' | 'string' | 'punct' | 'other';
  readonly text: string;
}

function tokenize(sql: string): Token[] {
  const out: Token[] = [];
  let i = 0;
  const n = sql.length;
  while (i < n) {
    const c = sql[i];
    if (/\s/.test(c)) {
      i++;
    } else if (c === '-' && sql[i + 1] === '-') {
      const e = sql.indexOf('\n', i);
      i = e < 0 ? n : e + 1;
    } else if (c === '/' && sql[i + 1] === '*') {
      const e = sql.indexOf('*/', i + 2);
      i = e < 0 ? n : e + 2;
    } else if (c === '"' || c === '`' || c === "'" || c === '[') {
      const close = c === '[' ? ']' : c;
      let j = i + 1;
      let text = '';
      for (;;) {
        if (j >= n) throw corrupt('a quoted name in the table definition is not closed');
        if (sql[j] === close) {
          if (close !== ']' && sql[j + 1] === close) {
            text += close;
            j += 2;
            continue;
          }
          break;
        }
        text += sql[j];
        j++;
      }
      out.push({ type: c === "'" ? 'string' : 'ident', text });
      i = j + 1;
    } else if (c === '(' || c === ')' || c === ',') {
      out.push({ type: 'punct', text: c });
      i++;
    } else if (/[A-Za-z0-9_$\u0080-\uffff]/.test(c)) {
      let j = i + 1;
      while (j < n && /[A-Za-z0-9_$\u0080-\uffff]/.test(sql[j])) j++;
      // A number like 1.5 or 1e-3 stays one token, so DEFAULT 1.5 parses.
      if (/^[0-9]/.test(c)) {
        const m = /^[0-9]*(\.[0-9]*)?([eE][+-]?[0-9]+)?/.exec(sql.slice(i));
        if (m && m[0].length > j - i) j = i + m[0].length;
      }
      out.push({ type: 'word', text: sql.slice(i, j) });
      i = j;
    } else if (c === '.' && /[0-9]/.test(sql[i + 1] ?? '')) {
      const m = /^\.[0-9]+([eE][+-]?[0-9]+)?/.exec(sql.slice(i));
      const len = m ? m[0].length : 1;
      out.push({ type: 'word', text: sql.slice(i, i + len) });
      i += len;
    } else {
      out.push({ type: 'other', text: c });
      i++;
    }
  }
  return out;
}

function isKeyword(t: Token | undefined, kw: string): boolean {
  return t !== undefined && t.type === 'word' && t.text.toUpperCase() === kw;
}

const COLUMN_CONSTRAINT_KEYWORDS = new Set(['CONSTRAINT', 'PRIMARY', 'NOT', 'NULL', 'UNIQUE', 'CHECK', 'DEFAULT', 'COLLATE', 'REFERENCES', 'GENERATED', 'AS']);
const TABLE_CONSTRAINT_KEYWORDS = new Set(['CONSTRAINT', 'PRIMARY', 'UNIQUE', 'CHECK', 'FOREIGN']);

export interface ColumnDef extends ColumnInfo {
  /** Generated VIRTUAL: not stored in the record. */
  readonly virtual: boolean;
  /** Value for rows written before the column was added with ALTER TABLE … ADD COLUMN … DEFAULT. */
  readonly defaultValue: SqlValue;
}

/** Splits `tokens[from..)` (just after an opening parenthesis) at depth-0 commas up to the closing one. */
function splitDefinitions(tokens: Token[], from: number): { defs: Token[][]; end: number } {
  const defs: Token[][] = [];
  let cur: Token[] = [];
  let depth = 0;
  for (let i = from; i < tokens.length; i++) {
    const t = tokens[i];
    if (t.type === 'punct' && t.text === '(') depth++;
    if (t.type === 'punct' && t.text === ')') {
      if (depth === 0) {
        defs.push(cur);
        return { defs, end: i };
      }
      depth--;
    }
    if (depth === 0 && t.type === 'punct' && t.text === ',') {
      defs.push(cur);
      cur = [];
    } else {
      cur.push(t);
    }
  }
  throw corrupt('the table definition is not closed');
}

/** Tokens at parenthesis depth 0 of one definition, with their indexes. */
function topLevel(def: Token[]): Array<[Token, number]> {
  const out: Array<[Token, number]> = [];
  let depth = 0;
  def.forEach((t, i) => {
    if (t.type === 'punct' && t.text === ')') depth--;
    if (depth === 0) out.push([t, i]);
    if (t.type === 'punct' && t.text === '(') depth++;
  });
  return out;
}

function literalDefault(def: Token[]): SqlValue {
  const top = topLevel(def);
  const at = top.findIndex(([t]) => isKeyword(t, 'DEFAULT'));
  if (at < 0) return null;
  let sign = 1;
  let k = at + 1;
  if (top[k] && top[k][0].type === 'other' && (top[k][0].text === '-' || top[k][0].text === '+')) {
    sign = top[k][0].text === '-' ? -1 : 1;
    k++;
  }
  const t = top[k]?.[0];
  if (!t) return null;
  if (t.type === 'string') return t.text;
  if (t.type === 'word') {
    const up = t.text.toUpperCase();
    if (up === 'NULL') return null;
    if (up === 'TRUE') return 1;
    if (up === 'FALSE') return 0;
    if (/^[0-9]+$/.test(t.text)) {
      const v = BigInt(t.text) * BigInt(sign);
      return toJsInteger(v);
    }
    if (/^([0-9]+\.?[0-9]*|\.[0-9]+)([eE][+-]?[0-9]+)?$/.test(t.text)) return sign * Number(t.text);
  }
  // Expressions (CURRENT_TIMESTAMP, (1+1), X'00'): not evaluated here.
  return null;
}

/** The column and constraint definitions of a CREATE TABLE statement, refusing virtual and WITHOUT ROWID tables. */
function tableDefinitions(sql: string, tableName: string): Token[][] {
  const tokens = tokenize(sql);
  const open = tokens.findIndex((t) => t.type === 'punct' && t.text === '(');
  if (open < 0 || !isKeyword(tokens[0], 'CREATE')) {
    throw new CredentialFileError(`The definition of table "${tableName}" is not a CREATE TABLE statement with columns.`, 'unsupported');
  }
  if (tokens.slice(0, open).some((t) => isKeyword(t, 'VIRTUAL'))) {
    throw new CredentialFileError(`Table "${tableName}" is a virtual table, which this reader cannot read.`, 'unsupported');
  }
  const { defs, end } = splitDefinitions(tokens, open + 1);
  const options = tokens.slice(end + 1);
  for (let i = 0; i + 1 < options.length; i++) {
    if (isKeyword(options[i], 'WITHOUT') && isKeyword(options[i + 1], 'ROWID')) {
      throw new CredentialFileError(`Table "${tableName}" is a WITHOUT ROWID table, which this reader cannot read.`, 'unsupported');
    }
  }
  return defs;
}

/** CONSTRAINT name PRIMARY KEY (a, b) → the key's column names (undefined for any other table constraint). */
function tablePrimaryKey(def: Token[]): string[] | undefined {
  const top = topLevel(def);
  const pkAt = top.findIndex(([t], k) => isKeyword(t, 'PRIMARY') && isKeyword(top[k + 1]?.[0], 'KEY'));
  if (pkAt < 0) return undefined;
  const openAt = top[pkAt + 2]?.[1];
  if (openAt === undefined || def[openAt].type !== 'punct' || def[openAt].text !== '(') return undefined;
  const inner = splitDefinitions(def, openAt + 1).defs;
  return inner.map((d) => (d[0] ? d[0].text : ''));
}

interface ParsedColumn {
  name: string;
  declaredType: string;
  pk: boolean;
  virtual: boolean;
  defaultValue: SqlValue;
}

/** One column definition: its name, declared type and what its constraints say. */
function parseColumn(def: Token[], tableName: string): ParsedColumn {
  const first = def[0];
  if (first.type !== 'word' && first.type !== 'ident' && first.type !== 'string') {
    throw corrupt(`the definition of table "${tableName}" has a column without a name`);
  }
  const top = topLevel(def);
  // Declared type: the words (and a parenthesised size) after the name, up to the first constraint.
  let typeEnd = def.length;
  for (const [t, idx] of top) {
    if (idx === 0) continue;
    if (t.type === 'word' && COLUMN_CONSTRAINT_KEYWORDS.has(t.text.toUpperCase())) {
      typeEnd = idx;
      break;
    }
  }
  const declaredType = def
    .slice(1, typeEnd)
    .map((t) => t.text)
    .join(' ')
    .replace(/ \( /g, '(')
    .replace(/ \)/g, ')')
    .replace(/ , /g, ',');
  const constraintTop = top.filter(([, idx]) => idx >= typeEnd);
  let pk = false;
  for (let k = 0; k + 1 < constraintTop.length; k++) {
    if (isKeyword(constraintTop[k][0], 'PRIMARY') && isKeyword(constraintTop[k + 1][0], 'KEY')) {
      // The documented quirk: "INTEGER PRIMARY KEY DESC" is not a rowid alias.
      pk = !isKeyword(constraintTop[k + 2]?.[0], 'DESC');
    }
  }
  const asAt = constraintTop.findIndex(([t]) => isKeyword(t, 'AS'));
  const generated = asAt >= 0;
  const stored = generated && constraintTop.slice(asAt).some(([t]) => isKeyword(t, 'STORED'));
  return { name: first.text, declaredType, pk, virtual: generated && !stored, defaultValue: literalDefault(def) };
}

export function parseCreateTable(sql: string, tableName: string): ColumnDef[] {
  const columns: ParsedColumn[] = [];
  const tablePk: string[][] = [];
  for (const def of tableDefinitions(sql, tableName)) {
    if (def.length === 0) throw corrupt(`the definition of table "${tableName}" has an empty column`);
    const first = def[0];
    if (first.type === 'word' && TABLE_CONSTRAINT_KEYWORDS.has(first.text.toUpperCase())) {
      const key = tablePrimaryKey(def);
      if (key) tablePk.push(key);
      continue;
    }
    columns.push(parseColumn(def, tableName));
  }
  if (columns.length === 0) throw corrupt(`table "${tableName}" has no columns`);
  if (columns.length > MAX_COLUMNS) throw corrupt(`table "${tableName}" has ${columns.length} columns, more than SQLite allows (${MAX_COLUMNS})`);

  // Rowid alias: exactly one primary-key column whose declared type is exactly INTEGER.
  let aliasName: string | undefined;
  const columnPks = columns.filter((c) => c.pk);
  if (columnPks.length === 1 && tablePk.length === 0) aliasName = columnPks[0].name;
  if (columnPks.length === 0 && tablePk.length === 1 && tablePk[0].length === 1) aliasName = tablePk[0][0];
  return columns.map((c) => ({
    name: c.name,
    declaredType: c.declaredType,
    rowidAlias: aliasName !== undefined && c.name.toLowerCase() === aliasName.toLowerCase() && c.declaredType.toUpperCase() === 'INTEGER',
    virtual: c.virtual,
    defaultValue: c.defaultValue,
  }));
}

export const SCHEMA_COLUMNS: ColumnDef[] = ['type', 'name', 'tbl_name', 'rootpage', 'sql'].map((name) => ({
  name,
  declaredType: name === 'rootpage' ? 'INT' : 'TEXT',
  rowidAlias: false,
  virtual: false,
  defaultValue: null,
}));
export const SCHEMA_NAMES = new Set(['sqlite_schema', 'sqlite_master', 'sqlite_temp_schema', 'sqlite_temp_master']);
