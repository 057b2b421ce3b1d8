// Finds Flyte 2 secret references in Python source, with exact offsets. Pure: text in, references
// out; no parser dependency (a small Python tokenizer, syntaxPythonTokenizer.ts), linear time, never throws.
//
// Recognised (docs/contract.md "References in job files", docs/platform-apis.md §4.8), only inside
// the arguments of a `TaskEnvironment(...)` call (bare, `flyte.TaskEnvironment`, or any
// `x.TaskEnvironment`) or of a decorator whose expression ends in a call `.task(...)`
// (`@env.task(...)`, `@envs["gpu"].task(...)`; not a bare `@task(...)`):
//   secrets="NAME"                                   the literal is a reference
//   secrets=["NAME", ...] / secrets=("NAME", ...)    each literal element is one
//   secrets=flyte.Secret(key="NAME", ...)            the key (keyword or first positional argument)
//   secrets=[flyte.Secret("NAME", group=...), ...]   of `Secret(...)` / `<anything>.Secret(...)`
// `group=` does not change the name. Only the call's own `secrets=` keyword counts (not one of a
// nested call such as `image=...`), and a `Secret(...)` outside such a `secrets=` doesn't count.
//
// Not a reference, never reported: comments, docstrings and other strings (a string that merely
// contains `TaskEnvironment(` is one string token), variables, calls, `+` concatenations,
// comprehensions. Reported with `dynamic: true` (so not checked): an f-string with a `{}` field, a
// t-string, and implicit concatenation of adjacent literals (`"a" "b"`). Unterminated literals are
// skipped (the user is still typing). A line ending in `# ml-secrets-ignore` yields nothing.
//
// `problem` (→ reference-malformed) on the name's literal when the name is empty, is a bytes
// literal, doesn't match Flyte's name rule ^[-a-zA-Z0-9_]+$, or when Flyte would derive an invalid
// environment variable from it (no `as_env_var`/`mount`: (group_)key upper-cased, '-' → '_', must
// match ^[A-Z_][A-Z0-9_]*$, else `Secret()` raises). A literal `as_env_var=` that doesn't match
// ^[A-Z_][A-Z0-9_]*$, and a literal `mount=` (plain or `pathlib.Path("…")`) other than
// /etc/flyte/secrets, are each reported as a separate reference whose range is that literal, whose
// `name` is the secret's name (or '' when it isn't a literal), and whose `problem` says why.

import { capReferences, type ScanOptions, type ScanResult, type SecretReference } from '../../references/reference';
import { Analyzer } from './syntaxSecretCalls';
import { tokenize } from './syntaxPythonTokenizer';

const QUICK_TRIGGERS = ['secrets', 'Secret('];

/** The cheap prefilter: text without `secrets` or `Secret(` can't hold a Flyte reference. */
export function mayContainPythonReferences(text: string): boolean {
  for (const t of QUICK_TRIGGERS) if (text.includes(t)) return true;
  return false;
}

export function scanPython(text: string, options: ScanOptions = {}): ScanResult {
  if (options.maxLength !== undefined && text.length > options.maxLength) return { references: [], skipped: 'tooLarge' };
  if (!mayContainPythonReferences(text)) return { references: [] };
  const lexed = tokenize(text);
  const refs = new Analyzer(text, lexed).run();
  refs.sort((a, b) => a.start - b.start || a.end - b.end);
  const out: SecretReference[] = [];
  for (const r of refs) {
    const prev = out[out.length - 1];
    if (prev && prev.start === r.start && prev.end === r.end) continue;
    out.push(r);
  }
  return capReferences(out);
}
