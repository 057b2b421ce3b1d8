/** The request log (`emulator.requests`) shared by the emulators; each adds its own fields. */

export interface LoggedRequestBase {
  method: string;
  /** Raw path, without the query string. */
  path: string;
  headers: Record<string, string | string[] | undefined>;
  /** Body as UTF-8 text ('' when none). */
  body: string;
  time: number;
}

/** Decoded query pairs as logged: a repeated parameter becomes an array. */
export function queryRecord(pairs: Iterable<[string, string]>): Record<string, string | string[]> {
  const logged: Record<string, string | string[]> = {};
  for (const [k, v] of pairs) {
    const prev = logged[k];
    logged[k] = prev === undefined ? v : Array.isArray(prev) ? [...prev, v] : [prev, v];
  }
  return logged;
}
