// Text from files and servers, made safe to show.

/**
 * Names come from files and servers: show them without control characters, and without the
 * invisible and bidirectional-override characters a hostile name could use to look like another
 * (Trojan Source, CVE-2021-42574).
 */
export function printable(s: string, max = 80): string {
  // eslint-disable-next-line no-control-regex
  const clean = s.replace(/[\u0000-\u001f\u007f-\u009f\u200b-\u200f\u202a-\u202e\u2028\u2029\u2060-\u2069\ufeff]/g, '?');
  return clean.length > max ? `${clean.slice(0, max)}…` : clean;
}
