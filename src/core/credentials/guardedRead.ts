// One guarded way to read a CLI's credential / config file, used by every CLI reader (Apolo and
// Neu.ro db, ZenML config.yaml + credentials.yaml, MosaicML mcli_config, Flyte config.yaml and its
// clientSecretLocation). Pure: no vscode import.
//
// These files are not trusted: a Flyte config.yaml can come from a (trusted) workspace, i.e. from a
// repository, and any file under $HOME can be a symlink to anything. So reading one must never
//   - block: a FIFO is opened with O_NONBLOCK (open returns at once, even without a writer), and
//     nothing that is not a regular file is ever read;
//   - exhaust memory: at most `maxBytes + 1` bytes are read, even from a file that grows while it
//     is read (or lies about its size), and anything that is not a regular file (`/dev/zero`,
//     `/dev/urandom`, a socket, a block device) is refused before its first byte;
//   - take unbounded CPU: YAML is pre-scanned (token count, nesting depth) before it is parsed, and
//     parsed with `uniqueKeys: false` (the duplicate-key check is quadratic) and `maxAliasCount`;
//   - be silently swallowed: "not there" (ENOENT/ENOTDIR) is the only outcome that means "no
//     login"; everything else (permission denied, a directory, a symlink loop, not a regular file,
//     too large, not text, not YAML) is a `CliFileIssue` naming the file, never its contents.
//
// Device files are refused from `stat` before they are opened, because opening some devices has
// side effects (a tape rewinds, a watchdog arms). The opened descriptor is checked again with
// `fstat`, so a file swapped between the two checks is still refused.

import { constants as fsConstants, promises as nodeFs, type Stats } from 'node:fs';
import { MlSecretsError } from '../errors';
import { yaml } from '../vendor';

/** What kind of "found, but unusable" a file is. */
export type CliFileProblem =
  /** EACCES / EPERM. */
  | 'permission'
  /** The path is a directory. */
  | 'isDirectory'
  /** A FIFO, socket, character or block device (e.g. a symlink to /dev/zero). */
  | 'notRegular'
  /** ELOOP: a symbolic link loop (or too many links). */
  | 'symlinkLoop'
  /** Larger than the cap for this kind of file. */
  | 'tooLarge'
  /** Read fine, but the content is not what it should be (not UTF-8, not YAML, not a mapping, corrupt SQLite, …). */
  | 'invalid'
  /** Any other I/O error (EIO, ENAMETOOLONG, …). */
  | 'io';

/** One file-level problem, for the user. `message` names the file and never holds its contents. */
export interface CliFileIssue {
  /** The file as shown to the user (`~/.config/zenml/config.yaml`). */
  readonly file: string;
  readonly problem: CliFileProblem;
  readonly message: string;
}

/** Thrown by the guarded reads for anything but "missing". `code` is the Node-style error code. */
export class CliFileError extends MlSecretsError {
  readonly kind = 'validation';
  constructor(
    readonly problem: CliFileProblem,
    /** Why, without the path: "is a FIFO, not a regular file". */
    readonly reason: string,
    readonly code?: string,
    options?: { cause?: unknown },
  ) {
    super(reason, options);
  }
}

/** Caps for the files the readers read. */
export const MAX_YAML_BYTES = 1024 * 1024;
export const MAX_SECRET_FILE_BYTES = 64 * 1024;

function errorCode(e: unknown): string | undefined {
  const code = (e as { code?: unknown } | null)?.code;
  return typeof code === 'string' ? code : undefined;
}

/** ENOENT / ENOTDIR: the file is not there, which just means "no login from it". */
export function isMissingError(e: unknown): boolean {
  if (e instanceof CliFileError) return false;
  const code = errorCode(e);
  return code === 'ENOENT' || code === 'ENOTDIR';
}

function fileType(st: Pick<Stats, 'isFIFO' | 'isSocket' | 'isCharacterDevice' | 'isBlockDevice' | 'isDirectory' | 'isSymbolicLink'>): string {
  if (st.isDirectory()) return 'a directory';
  if (st.isFIFO()) return 'a FIFO (named pipe)';
  if (st.isSocket()) return 'a socket';
  if (st.isCharacterDevice()) return 'a character device';
  if (st.isBlockDevice()) return 'a block device';
  if (st.isSymbolicLink()) return 'a symbolic link';
  return 'not a regular file';
}

function sizeText(n: number): string {
  return n >= 1024 * 1024 ? `${Math.round(n / (1024 * 1024))} MB` : `${Math.round(n / 1024)} KB`;
}

/** The problem an error from a file read stands for (for errors that are not "missing"). */
export function classifyReadError(e: unknown, maxBytes?: number): CliFileError {
  if (e instanceof CliFileError) return e;
  const code = errorCode(e);
  switch (code) {
    case 'EACCES':
    case 'EPERM':
      return new CliFileError('permission', 'cannot be read (permission denied)', code);
    case 'EISDIR':
      return new CliFileError('isDirectory', 'is a directory, not a file', code);
    case 'ELOOP':
      return new CliFileError('symlinkLoop', 'is a symbolic link loop (or a chain of too many links)', code);
    case 'EFBIG':
      return new CliFileError('tooLarge', maxBytes ? `is larger than ${sizeText(maxBytes)}, too large for a CLI login file` : 'is too large', code);
    case 'ENXIO':
    case 'ENODEV':
      return new CliFileError('notRegular', 'is not a regular file', code);
    default:
      return new CliFileError('io', code ? `could not be read (error ${code})` : 'could not be read (unexpected error)', code, { cause: e });
  }
}

/**
 * Reads at most `maxBytes` of a regular file, following symlinks only to a regular file.
 * Throws the Node error for ENOENT/ENOTDIR (test with `isMissingError`), else a CliFileError.
 */
export async function guardedReadFile(path: string, maxBytes: number): Promise<Uint8Array> {
  let st: Stats;
  try {
    st = await nodeFs.stat(path);
  } catch (e) {
    if (isMissingError(e)) throw e;
    throw classifyReadError(e, maxBytes);
  }
  if (st.isDirectory()) throw new CliFileError('isDirectory', 'is a directory, not a file', 'EISDIR');
  if (!st.isFile()) throw new CliFileError('notRegular', `is ${fileType(st)}, not a regular file`, 'ENOTREG');
  if (st.size > maxBytes) throw new CliFileError('tooLarge', `is larger than ${sizeText(maxBytes)}, too large for a CLI login file`, 'EFBIG');

  // O_NONBLOCK: should the path have become a FIFO since the stat, open still returns at once.
  const flags = fsConstants.O_RDONLY | (fsConstants.O_NONBLOCK ?? 0) | (fsConstants.O_NOCTTY ?? 0);
  let fh: nodeFs.FileHandle;
  try {
    fh = await nodeFs.open(path, flags);
  } catch (e) {
    if (isMissingError(e)) throw e;
    throw classifyReadError(e, maxBytes);
  }
  try {
    const fst = await fh.stat();
    if (!fst.isFile()) throw new CliFileError('notRegular', `is ${fileType(fst)}, not a regular file`, 'ENOTREG');
    if (fst.size > maxBytes) throw new CliFileError('tooLarge', `is larger than ${sizeText(maxBytes)}, too large for a CLI login file`, 'EFBIG');
    // Read until EOF, but never more than maxBytes + 1 (the +1 tells "exactly the cap" from "more").
    let buf = new Uint8Array(Math.min(maxBytes + 1, Math.max(fst.size + 1, 4096)));
    let len = 0;
    for (;;) {
      if (len === buf.length) {
        if (buf.length > maxBytes) break;
        const bigger = new Uint8Array(Math.min(maxBytes + 1, buf.length * 2));
        bigger.set(buf);
        buf = bigger;
      }
      const { bytesRead } = await fh.read(buf, len, buf.length - len, len);
      if (bytesRead === 0) break;
      len += bytesRead;
    }
    if (len > maxBytes) throw new CliFileError('tooLarge', `is larger than ${sizeText(maxBytes)}, too large for a CLI login file`, 'EFBIG');
    return buf.subarray(0, len);
  } catch (e) {
    throw classifyReadError(e, maxBytes);
  } finally {
    await fh.close().catch(() => undefined);
  }
}

const utf8Fatal = new TextDecoder('utf-8', { fatal: true });

/**
 * Bytes → text: a UTF-8 BOM is dropped; UTF-16 with a BOM (what Windows editors write as
 * "Unicode") is decoded; anything else must be valid UTF-8 without NUL bytes.
 */
export function decodeText(bytes: Uint8Array): string {
  let text: string;
  try {
    if (bytes.length >= 2 && bytes[0] === 0xff && bytes[1] === 0xfe) text = new TextDecoder('utf-16le', { fatal: true }).decode(bytes.subarray(2));
    else if (bytes.length >= 2 && bytes[0] === 0xfe && bytes[1] === 0xff) text = new TextDecoder('utf-16be', { fatal: true }).decode(bytes.subarray(2));
    else text = utf8Fatal.decode(bytes.length >= 3 && bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf ? bytes.subarray(3) : bytes);
  } catch {
    throw new CliFileError('invalid', 'is not text (it is not valid UTF-8)', 'EINVAL');
  }
  return checkText(text);
}

/** A text that went through a custom file system: the same checks as decoded bytes. */
export function checkText(text: string, maxChars = MAX_YAML_BYTES): string {
  if (typeof text !== 'string') throw new CliFileError('invalid', 'could not be read (not text)', 'EINVAL');
  if (text.length > maxChars) throw new CliFileError('tooLarge', `is larger than ${sizeText(maxChars)}, too large for a CLI login file`, 'EFBIG');
  if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
  if (text.includes('\u0000')) throw new CliFileError('invalid', 'is not text (it holds NUL bytes)', 'EINVAL');
  return text;
}

/** Reads a regular text file through the guard. */
export async function guardedReadText(path: string, maxBytes = MAX_YAML_BYTES): Promise<string> {
  return decodeText(await guardedReadFile(path, maxBytes));
}

export interface YamlLimits {
  /** Lexer tokens (about 7 per `key: value` line). Parse cost is linear in it once unique keys are not checked. */
  maxTokens?: number;
  /** Flow (`[` `{`) plus block (indentation) nesting. The parser recurses per level. */
  maxDepth?: number;
  maxAliasCount?: number;
}

/** A credentials file has tens of lines; these bounds keep the worst case around 0.1–0.2 s. */
const DEFAULT_YAML_LIMITS: Required<YamlLimits> = { maxTokens: 60_000, maxDepth: 64, maxAliasCount: 50 };

/** Deepest block nesting by indentation, with compact `- - x` entries counting as levels. Stops early above `max`. */
function blockDepth(text: string, max: number): number {
  const stack: number[] = [];
  let deepest = 0;
  let i = 0;
  const n = text.length;
  while (i < n) {
    let j = i;
    while (j < n && text.charCodeAt(j) === 0x20) j++;
    const indent = j - i;
    const c = text[j];
    let end = text.indexOf('\n', j);
    if (end < 0) end = n;
    if (c !== undefined && c !== '\n' && c !== '\r' && c !== '#') {
      while (stack.length > 0 && stack[stack.length - 1] > indent) stack.pop();
      if (stack.length === 0 || stack[stack.length - 1] < indent) stack.push(indent);
      // "- - - x": each indicator opens one more level on the same line.
      let extra = 0;
      let k = j;
      while (k + 1 < end && (text[k] === '-' || text[k] === '?') && text[k + 1] === ' ') {
        extra++;
        k += 2;
        while (k < end && text[k] === ' ') k++;
      }
      deepest = Math.max(deepest, stack.length + extra);
      if (deepest > max) return deepest;
    }
    i = end + 1;
  }
  return deepest;
}

/**
 * Parses one YAML document with bounded cost, or throws CliFileError('invalid'). The message says
 * what is wrong in general terms only (the parser's own message quotes the offending line, which
 * may be a token).
 */
export function parseYamlBounded(text: string, limits: YamlLimits = {}): unknown {
  const lim = { ...DEFAULT_YAML_LIMITS, ...limits };
  const Y = yaml();
  let tokens = 0;
  let flow = 0;
  let deepestFlow = 0;
  for (const tok of new Y.Lexer().lex(text)) {
    if (++tokens > lim.maxTokens) throw new CliFileError('invalid', 'has too many entries to be a CLI config file', 'EFBIG');
    if (tok === '[' || tok === '{') {
      flow++;
      if (flow > deepestFlow) deepestFlow = flow;
    } else if ((tok === ']' || tok === '}') && flow > 0) flow--;
  }
  if (deepestFlow + blockDepth(text, lim.maxDepth) > lim.maxDepth) throw new CliFileError('invalid', 'is nested too deeply to be a CLI config file', 'EINVAL');
  try {
    return Y.parse(text, { maxAliasCount: lim.maxAliasCount, uniqueKeys: false, prettyErrors: false, logLevel: 'error' });
  } catch (e) {
    const why = e instanceof ReferenceError && /alias/i.test(e.message) ? 'uses too many YAML aliases (an "alias bomb")' : 'is not valid YAML';
    throw new CliFileError('invalid', why, 'EINVAL');
  }
}

/** Text file access for the YAML readers; a fake may return text directly. */
export interface TextFs {
  readFile(p: string): Promise<string>;
}

/** The guarded node implementation of `TextFs`. */
export const guardedTextFs: TextFs = { readFile: (p) => guardedReadText(p) };

export type ReadOutcome<T> = { status: 'missing' } | { status: 'ok'; value: T } | { status: 'problem'; issue: CliFileIssue };

/** The issue for `err` on the file shown as `shown`. */
export function issueOf(shown: string, err: unknown, maxBytes?: number): CliFileIssue {
  const e = classifyReadError(err, maxBytes);
  return { file: shown, problem: e.problem, message: `${shown} ${e.reason}; skipped.` };
}

/** Reads and checks a text file through `fs`: missing, its text, or the problem with it. */
export async function readTextOutcome(fs: TextFs, path: string, shown: string, maxChars = MAX_YAML_BYTES): Promise<ReadOutcome<string>> {
  try {
    return { status: 'ok', value: checkText(await fs.readFile(path), maxChars) };
  } catch (e) {
    if (isMissingError(e)) return { status: 'missing' };
    return { status: 'problem', issue: issueOf(shown, e, maxChars) };
  }
}

/** Reads a YAML file that must hold a mapping (an empty file is an empty mapping). */
export async function readYamlMapping(fs: TextFs, path: string, shown: string, limits?: YamlLimits): Promise<ReadOutcome<Record<string, unknown>>> {
  const r = await readTextOutcome(fs, path, shown);
  if (r.status !== 'ok') return r;
  try {
    const v = parseYamlBounded(r.value, limits);
    if (v === null || v === undefined) return { status: 'ok', value: {} };
    if (!isMapping(v)) throw new CliFileError('invalid', `holds ${describeType(v)} where a mapping (key: value lines) is expected`, 'EINVAL');
    return { status: 'ok', value: v };
  } catch (e) {
    return { status: 'problem', issue: issueOf(shown, e) };
  }
}

export function isMapping(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v) && !(v instanceof Uint8Array) && !(v instanceof Date);
}

/** "a list", "a number", … for messages (never the value itself). */
export function describeType(v: unknown): string {
  if (v === null || v === undefined) return 'nothing';
  if (Array.isArray(v)) return 'a list';
  if (v instanceof Date) return 'a date';
  if (typeof v === 'object') return 'a mapping';
  if (typeof v === 'number' || typeof v === 'bigint') return 'a number';
  if (typeof v === 'boolean') return 'a boolean';
  return 'a string';
}

/** An own property only: a YAML key `__proto__` or `constructor` never reaches Object.prototype. */
export function own(obj: Record<string, unknown> | undefined, key: string): unknown {
  return obj !== undefined && Object.prototype.hasOwnProperty.call(obj, key) ? obj[key] : undefined;
}

/**
 * A path for messages: `~` for the home directory, control characters replaced, and at most 200
 * characters (a path can come from an environment variable holding anything).
 */
export function displayPath(p: string, home: string): string {
  const h = home.replace(/[\\/]+$/, '');
  let out = h && (p === h || p.startsWith(h + '/') || p.startsWith(h + '\\')) ? '~' + p.slice(h.length) : p;
  // eslint-disable-next-line no-control-regex -- deliberately matches control characters (refused or replaced)
  out = out.replace(/[\u0000-\u001f\u007f-\u009f]/g, '?');
  return out.length > 200 ? `${out.slice(0, 80)}…${out.slice(-80)}` : out;
}

/** Header-safe credential text: visible ASCII (and spaces inside), bounded. */
export const MAX_CREDENTIAL_CHARS = 16 * 1024;
export function credentialProblem(v: string, allowSpaces = false): string | undefined {
  if (v.length > MAX_CREDENTIAL_CHARS) return 'is too long to be a credential';
  if (!(allowSpaces ? /^[\x20-\x7e]+$/ : /^[\x21-\x7e]+$/).test(v)) return allowSpaces ? 'has control or non-ASCII characters' : 'has spaces, control or non-ASCII characters';
  return undefined;
}
