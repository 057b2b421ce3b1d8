// What a scan yields: secret references with exact offsets, the options and result of a scan, and
// the limits every scanner shares (the YAML scanner in scanner.ts, each syntax's own scanner such as
// Flyte's Python one in src/core/platforms/flyte/pythonScanner.ts). Pure types and helpers.

/** The id of a reference's syntax descriptor (src/core/references/syntaxes.ts lists them). */
export type ReferenceSyntax = string;

export interface SecretReference {
  syntax: ReferenceSyntax;
  /** The reference's exact source text (what its diagnostic covers). */
  text: string;
  start: number;
  end: number;
  /** The secret name ('' when there is none to speak of). */
  name: string;
  /** Where `name` starts in the text, when it appears there verbatim (for "Did you mean" edits). */
  nameStart?: number;
  key?: string;
  /** Apolo forms. */
  form?: 'short' | 'project' | 'uri';
  cluster?: string;
  org?: string;
  project?: string;
  mountPath?: string;
  /** Set when the text is a reference but not a valid one; the message says why. */
  problem?: string;
  /** A templated part (`${{ … }}`) makes the name unknowable until run time: not checked. */
  dynamic?: boolean;
  /**
   * The file is another tool's (`a Kubernetes manifest`, from its head: lookalikes.ts): its
   * references count only where the folder is bound to a connection (src/core/check/target.ts).
   */
  otherTool?: string;
  /**
   * The platform (a PlatformId) the reference's own text names, as `neuro run` names Neu.ro and
   * `apolo run` Apolo: preferred among its syntax's platforms (src/core/check/target.ts).
   */
  platformHint?: string;
}

export interface ScanOptions {
  /** Skip the scan (and say so) above this many UTF-16 code units. */
  maxLength?: number;
  /**
   * Incremental re-scans (incremental.ts): build the item spans, which take a whole-file parse
   * (≈3× a scan), only in prepare() — which the editor calls when idle — and never while applying
   * a keystroke, so no keystroke costs more than a full scan.
   */
  deferSpans?: boolean;
}

export interface ScanResult {
  references: SecretReference[];
  /** Set when the file was not scanned. */
  skipped?: 'tooLarge';
  /** Set when the file holds more than MAX_REFERENCES references: only the first ones are reported. */
  truncated?: boolean;
}

/**
 * No job file a person writes holds this many references; a file that does (generated, or hostile)
 * gets its first ones checked and one notice, so the cost of a scan stays bounded by the text, not
 * by a pathological count of tiny references.
 */
export const MAX_REFERENCES = 5_000;

/** The first MAX_REFERENCES of the (ordered) references, and whether any were dropped. */
export function capReferences(refs: SecretReference[]): ScanResult {
  return refs.length > MAX_REFERENCES ? { references: refs.slice(0, MAX_REFERENCES), truncated: true } : { references: refs };
}

/** A line ending in this comment yields no reference. */
export const IGNORE_MARKER = '# ml-secrets-ignore';

/** Offsets of line starts, for offset → line/column without a vscode document. */
export function lineStarts(text: string): number[] {
  const out = [0];
  for (let i = text.indexOf('\n'); i >= 0; i = text.indexOf('\n', i + 1)) out.push(i + 1);
  return out;
}

export function positionAt(starts: number[], offset: number): { line: number; character: number } {
  let lo = 0;
  let hi = starts.length - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (starts[mid] <= offset) lo = mid;
    else hi = mid - 1;
  }
  return { line: lo, character: offset - starts[lo] };
}
