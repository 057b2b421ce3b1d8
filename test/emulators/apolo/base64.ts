/**
 * The two base64 checks a secret value goes through on the real platform:
 *  1. platform-secrets' validator: Python `base64.b64decode(value)` (non-strict: characters outside
 *     the alphabet are skipped, only the length/padding can fail);
 *  2. Kubernetes, which stores `data` as Go `[]byte` and decodes it with `base64.StdEncoding`
 *     (strict alphabet and padding; only `\r`/`\n` are skipped). A failure there makes
 *     platform-secrets answer 400 "Secret key 'k' or its value not valid".
 */

const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
const TABLE = new Int16Array(256).fill(-1);
for (let i = 0; i < ALPHABET.length; i++) TABLE[ALPHABET.charCodeAt(i)] = i;

/** Returns null when Python's `base64.b64decode(s)` accepts `s`, else the exception message. */
export function pythonB64DecodeError(s: string): string | null {
  for (let i = 0; i < s.length; i++) {
    if (s.charCodeAt(i) > 0x7f) return 'string argument should contain only ASCII characters';
  }
  let quadPos = 0;
  let pads = 0;
  let produced = 0;
  for (let i = 0; i < s.length; i++) {
    const ch = s.charCodeAt(i);
    if (ch === 0x3d /* = */) {
      if (quadPos >= 2 && quadPos + ++pads >= 4) return null;
      continue;
    }
    if (TABLE[ch]! < 0) continue;
    pads = 0;
    if (quadPos === 0) quadPos = 1;
    else if (quadPos === 1) {
      quadPos = 2;
      produced++;
    } else if (quadPos === 2) {
      quadPos = 3;
      produced++;
    } else {
      quadPos = 0;
      produced++;
    }
  }
  if (quadPos === 1) {
    const n = Math.floor(produced / 3) * 4 + 1;
    return `Invalid base64-encoded string: number of data characters (${n}) cannot be 1 more than a multiple of 4`;
  }
  if (quadPos !== 0) return 'Incorrect padding';
  return null;
}

/** Go `base64.StdEncoding.DecodeString` semantics; returns null when Go would reject the input. */
export function goStdBase64Decode(s: string): Buffer | null {
  const clean = s.replace(/[\r\n]/g, '');
  if (clean.length % 4 !== 0) return null;
  for (let q = 0; q < clean.length; q += 4) {
    const last = q + 4 === clean.length;
    for (let j = 0; j < 4; j++) {
      const c = clean.charCodeAt(q + j);
      if (c === 0x3d) {
        // '=' allowed only as "xx==" or "xxx=" in the final quantum
        if (!last || j < 2) return null;
        if (j === 2 && clean.charCodeAt(q + 3) !== 0x3d) return null;
        break;
      }
      if (c > 0xff || TABLE[c]! < 0) return null;
    }
  }
  return Buffer.from(clean, 'base64');
}
