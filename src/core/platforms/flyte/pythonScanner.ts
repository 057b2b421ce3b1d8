// Finds Flyte 2 secret references in Python source, with exact offsets. Pure: text in, references
// out; no parser dependency (a small Python tokenizer, syntaxPythonTokenizer.ts), linear time, never throws.
//
// Recognised (docs/contract.md "References in job files" and "Beyond YAML", docs/platform-apis.md §4.8):
// the `secrets=` of a `TaskEnvironment(...)` / `AppEnvironment(...)` call (bare or `x.TaskEnvironment`),
// of `env.clone_with(...)`, or of a decorator whose expression ends in a call `.task(...)`
// (`@env.task(...)`, `@envs["gpu"].task(...)`; not a bare `@task(...)`); and, in a file that imports
// flyte, flytekit, flyteplugins or union (anywhere): the `secrets=` of any other `*Environment(...)` call
// (`FastAPIAppEnvironment`, …) and of `x.override(...)`, the `secret_mounts=` of an Image builder
// method `.with_*(...)` / `.from_*(...)`, and flytekit's (Union v1) `secret_requests=` of any call
// (`@task(...)`, `ContainerTask(...)`). In those values:
//   "NAME"                                           the literal is a reference
//   ["NAME", ...] / ("NAME", ...)                    each literal element is one
//   flyte.Secret(key="NAME", ...)                    the key (keyword or positional: Flyte 2's first
//   [flyte.Secret("NAME", group=...), ...]           parameter, flytekit's second) of `Secret(...)`
//   a if cond else b                                 both branches
//   NAME (bound at module level)                     every binding's value, when each one (`NAME = v` or
//                                                    `NAME: T = v` at column 0) is one of the above;
//                                                    none when any is not, or when the name is also
//                                                    bound by def/class/import/for/`+=` at module level
//   [NAME, ...]                                      an element name bound only to `Secret(...)` calls
//   [*NAME, ...]                                     a spread name: as NAME above
//   SecretMount(Secret(...))                         in secret_mounts (a path string there is not a name)
// `group=` does not change the name. Only the call's own keyword counts (not one of a nested call
// such as `image=...`), and a `Secret(...)` outside such a value doesn't count. A binding's value is
// read once, however often its name is used, and names inside it are not followed (linear time).
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
// match ^[A-Z_][A-Z0-9_]*$, else `Secret()` raises; not for flytekit's `secret_requests`, which
// derives none). A literal `as_env_var=` that doesn't match
// ^[A-Z_][A-Z0-9_]*$, and a literal `mount=` (plain or `pathlib.Path("…")`) other than
// /etc/flyte/secrets, are each reported as a separate reference whose range is that literal, whose
// `name` is the secret's name (or '' when it isn't a literal), and whose `problem` says why.

import { capReferences, type ScanOptions, type ScanResult, type SecretReference } from '../../references/reference';
import { Analyzer } from './syntaxSecretSites';
import { tokenize } from './syntaxPythonTokenizer';

const QUICK_TRIGGERS = ['secrets', 'Secret(', 'secret_mounts', 'secret_requests'];

/** The cheap prefilter: text without `secrets`, `Secret(`, `secret_mounts` or `secret_requests` can't hold a Flyte reference. */
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
