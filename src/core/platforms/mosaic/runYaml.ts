// An mcli run (or deployment) YAML, read for what its `command` expects at run time: the env var
// names it uses (`$NAME`, `${NAME}`, `os.environ["NAME"]`, `os.getenv("NAME")`), the ones the file
// or the command sets itself (`env_variables`, `env`, `NAME=…`, `export NAME=…`), and the absolute
// paths it names. mcli has no reference syntax: every secret of the user reaches every run
// (docs/platform-apis.md §3.7), so this is what ./runYamlSecrets.ts compares with the secrets.
// Recognition is conservative: anything that isn't plainly an mcli run YAML gives undefined.

import { yaml } from '../../vendor';

export interface EnvUse {
  name: string;
  /** Offset of its first use in the command text. */
  offset: number;
  /** Every use has a fallback (`${NAME:-x}`, `os.environ.get("NAME", x)`): the run works without it. */
  hasDefault: boolean;
}

export interface RunYaml {
  /** Offset of the top-level `command:` key in the file. */
  commandOffset: number;
  /** The env vars the command reads, in order of first use. */
  uses: EnvUse[];
  /** The env vars the YAML (`env_variables`, `env`) or the command itself sets. */
  selfSet: Set<string>;
  /** Absolute paths the command names (`/secrets/gcp/key.json`). */
  paths: string[];
}

/** Top-level keys that only an mcli run/deployment YAML has next to `command` and `image`. */
const MCLI_KEYS = ['compute', 'gpu_num', 'gpu_type', 'cluster', 'integrations', 'run_name', 'scheduling', 'replicas'];
/** Top-level keys of other YAMLs that also have `command` + `image` (Kubernetes, Compose, Azure ML…). */
const FOREIGN_KEYS = ['apiVersion', 'kind', 'services', '$schema', 'type', 'environment', 'jobs', 'steps', 'spec', 'version', 'resources', 'workdir', 'commands'];

/** The run YAML in `text`, or undefined when it isn't one (or doesn't parse). */
export function parseRunYaml(text: string): RunYaml | undefined {
  // Cheap pre-check: both keys at the top level, before anything is parsed.
  if (!/^command[ \t]*:/m.test(text) || !/^image[ \t]*:/m.test(text)) return undefined;
  let doc: ReturnType<ReturnType<typeof yaml>['parseDocument']>;
  try {
    doc = yaml().parseDocument(text, { uniqueKeys: false });
  } catch {
    return undefined;
  }
  if (doc.errors.length) return undefined;
  const top: unknown = doc.toJS();
  if (!isMap(top)) return undefined;
  if (typeof top.image !== 'string' || FOREIGN_KEYS.some((k) => k in top)) return undefined;
  if (!MCLI_KEYS.some((k) => k in top) || (top.compute !== undefined && top.compute !== null && !isMap(top.compute))) return undefined;
  if (top.integrations !== undefined && top.integrations !== null && !isIntegrations(top.integrations)) return undefined;
  const command = commandText(top.command);
  if (command === undefined) return undefined;
  const commandOffset = keyOffset(doc, 'command') ?? text.search(/^command[ \t]*:/m);
  const code = withoutComments(command);
  const selfSet = new Set([...yamlSetVars(top.env_variables), ...yamlSetVars(top.env), ...commandSetVars(code)]);
  return { commandOffset, uses: envUses(code), selfSet, paths: absolutePaths(code) };
}

function isMap(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** mcli's `integrations`: a list of maps, each with an `integration_type`. */
function isIntegrations(v: unknown): boolean {
  return Array.isArray(v) && v.every((i) => isMap(i) && typeof i.integration_type === 'string');
}

/** `command` is a string (usually a block scalar) or, in some deployments, a list of strings. */
function commandText(v: unknown): string | undefined {
  if (typeof v === 'string') return v;
  if (Array.isArray(v) && v.length && v.every((x) => typeof x === 'string')) return v.join('\n');
  return undefined;
}

function keyOffset(doc: ReturnType<ReturnType<typeof yaml>['parseDocument']>, key: string): number | undefined {
  const contents = doc.contents as { items?: Array<{ key?: { value?: unknown; range?: [number, number, number] } }> } | null;
  for (const item of contents?.items ?? []) if (item.key?.value === key && item.key.range) return item.key.range[0];
  return undefined;
}

/** Comment lines (shell or Python `#`) say nothing about what runs: blanked, offsets kept. */
function withoutComments(command: string): string {
  return command.replace(/^([ \t]*)#.*$/gm, (line) => ' '.repeat(line.length));
}

/** `env_variables` / `env`: a map `{NAME: value}`, a list of `{key|name: NAME, value}` or of `NAME=value`. */
function yamlSetVars(v: unknown): string[] {
  if (isMap(v)) return Object.keys(v);
  if (!Array.isArray(v)) return [];
  const out: string[] = [];
  for (const item of v) {
    if (typeof item === 'string') {
      const m = /^\s*([A-Za-z_]\w*)\s*=/.exec(item);
      if (m) out.push(m[1]);
    } else if (isMap(item)) {
      for (const k of ['key', 'name']) if (typeof item[k] === 'string') out.push(item[k] as string);
      // `- FOO: bar` (a list of one-entry maps)
      if (!('key' in item) && !('name' in item)) out.push(...Object.keys(item));
    }
  }
  return out;
}

const NAME = '[A-Za-z_][A-Za-z0-9_]*';

/** Names the command assigns: `NAME=…`, `export NAME=…`, `read NAME`, `for NAME in`, `os.environ["NAME"] = …`. */
function commandSetVars(code: string): string[] {
  const out: string[] = [];
  const patterns = [
    new RegExp(`(?:^|[\\s;&|(\`])(?:(?:export|declare|local|readonly|typeset)\\s+(?:-\\w+\\s+)*)?(${NAME})\\+?=`, 'g'),
    new RegExp(`\\bread\\s+(?:-\\w+\\s+)*((?:${NAME}\\s*)+)`, 'g'),
    new RegExp(`\\bfor\\s+(${NAME})\\s+in\\b`, 'g'),
    new RegExp(`\\benviron\\s*\\[\\s*(['"])(${NAME})\\1\\s*\\]\\s*=[^=]`, 'g'),
    new RegExp(`\\benviron\\.setdefault\\s*\\(\\s*(['"])(${NAME})\\1`, 'g'),
    new RegExp(`\\bputenv\\s*\\(\\s*(['"])(${NAME})\\1`, 'g'),
  ];
  for (const re of patterns) {
    for (const m of code.matchAll(re)) {
      const names = m[2] ?? m[1];
      out.push(...names.split(/\s+/).filter(Boolean));
    }
  }
  return out;
}

/** Every env var the command reads, first use first. */
export function envUses(code: string): EnvUse[] {
  const found: Array<{ name: string; offset: number; hasDefault: boolean }> = [];
  // Shell: $NAME, ${NAME}, ${NAME:-default}; not \$NAME (escaped) or $$.
  for (const m of code.matchAll(new RegExp(`(\\\\?)\\$(?:\\{(${NAME})(:?[-=+?][^}]*)?\\}|(${NAME}))`, 'g'))) {
    if (m[1]) continue;
    const name = m[2] ?? m[4];
    const op = m[3] ?? '';
    found.push({ name, offset: m.index ?? 0, hasDefault: /^:?[-=+]/.test(op) });
  }
  // Python: os.environ["NAME"], os.environ.get("NAME"[, default]), os.getenv("NAME"[, default]).
  for (const m of code.matchAll(new RegExp(`\\benviron\\s*\\[\\s*(['"])(${NAME})\\1\\s*\\]`, 'g'))) found.push({ name: m[2], offset: m.index ?? 0, hasDefault: false });
  for (const m of code.matchAll(new RegExp(`\\b(?:environ\\.get|getenv)\\s*\\(\\s*(['"])(${NAME})\\1\\s*(,)?`, 'g'))) {
    found.push({ name: m[2], offset: m.index ?? 0, hasDefault: !!m[3] });
  }
  const byName = new Map<string, EnvUse>();
  for (const f of found.sort((a, b) => a.offset - b.offset)) {
    const prev = byName.get(f.name);
    if (!prev) byName.set(f.name, { ...f });
    else prev.hasDefault &&= f.hasDefault;
  }
  return [...byName.values()];
}

/** Absolute paths in the command (`/secrets/gcp/key.json`, `--config=/mnt/x`), without a trailing `/`. */
function absolutePaths(code: string): string[] {
  const out = new Set<string>();
  for (const m of code.matchAll(/(?:^|[\s"'=:(<>])(\/[A-Za-z0-9._\-/]+)/g)) out.add(m[1].length > 1 ? m[1].replace(/\/+$/, '') : m[1]);
  return [...out];
}
