// Apolo / Neu.ro references on command lines (docs/contract.md "Beyond YAML"): in shell scripts,
// Makefile recipes and Markdown shell code blocks, the options of `apolo run` / `neuro run` (also
// `apolo job run`) that take a secret:
//   --env VAR=secret:NAME   -e VAR=secret:NAME   --env=VAR=secret:NAME   -eVAR=secret:NAME
//   --volume secret:NAME:/path   -v secret:NAME:/path   --volume=secret:NAME:/path
// with every secret URI form (secret:NAME, secret:/PROJECT/NAME, secret://CLUSTER/ORG/PROJECT/NAME),
// parsed as in YAML (syntaxRef.ts), with exact ranges. Quotes around a value are the shell's; a name
// holding a variable (`secret:$NAME`, make's `$(NAME)`, `$(cmd)`) is set at run time (dynamic). Only
// options before the image: what follows the image (or `--`) is the container's command. `neuro`
// names Neu.ro, `apolo` Apolo: each reference carries that platform as a hint (src/core/check/target.ts).
// Other commands, comments, here-documents, `echo "… secret:x"`, `$SECRET` are not references.
// Pure; linear time; never throws. Loaded on first use (esbuild.mjs SPLIT `apoloShell`).

import { capReferences, type ScanOptions, type ScanResult, type SecretReference } from '../../references/reference';
import { commandsOf, commandStart, cookedAt, dropIgnored, type ShellDialect } from '../../references/shellRegions';
import type { ShellWord } from '../../references/shellWords';
import { APOLO, NEURO } from './facts';
import { apoloNameOffset, parseApoloRef } from './syntaxRef';

/** The CLI's names and the platform each one talks to. */
const COMMANDS: ReadonlyMap<string, string> = new Map([
  ['apolo', APOLO.id],
  ['neuro', NEURO.id],
]);

/** Options of the CLI itself (before `run`) that take a value. */
const GLOBAL_VALUES = new Set(['--network-timeout', '--config-path', '--neuromation-config', '--color']);
/** Options of `run` that take a value (apolo-cli's job.py; older neuro-cli's `-c`/`-g`/`-m`/`--gpu-model` too). */
const RUN_VALUES = new Set([
  ...['--cluster', '--org', '-s', '--preset', '--http', '--http-port', '-n', '--name', '--tag', '-d', '--description', '--entrypoint', '-w', '--workdir'],
  ...['--env-file', '--restart', '--life-span', '--schedule-timeout', '--port-forward', '--share', '--priority', '--energy-schedule', '-p', '--project'],
  ...['-c', '--cpu', '-g', '--gpu', '-m', '--memory', '--gpu-model', '--tpu-type', '--tpu-sw-version'],
]);
const ENV = new Set(['-e', '--env']);
const VOLUME = new Set(['-v', '--volume']);
const ENV_VALUE = /^[A-Za-z_][A-Za-z0-9_]*=(?=secret:)/;

/** The cheap prefilter: a text without `secret:` and one of the CLI's names holds no reference. */
export function mayContainApoloCommands(text: string): boolean {
  return text.includes('secret:') && (text.includes('apolo') || text.includes('neuro'));
}

export const scanApoloShell = (text: string, options?: ScanOptions): ScanResult => scan(text, 'shell', options);
export const scanApoloMakefile = (text: string, options?: ScanOptions): ScanResult => scan(text, 'make', options);
export const scanApoloMarkdown = (text: string, options?: ScanOptions): ScanResult => scan(text, 'markdown', options);

function scan(text: string, dialect: ShellDialect, options: ScanOptions = {}): ScanResult {
  if (options.maxLength !== undefined && text.length > options.maxLength) return { references: [], skipped: 'tooLarge' };
  if (!mayContainApoloCommands(text)) return { references: [] };
  const refs: SecretReference[] = [];
  commandsOf(text, dialect, (words) => runOptions(text, words, dialect === 'make', refs));
  return capReferences(dropIgnored(text, refs));
}

/** Where `run`'s options start in an `apolo run` / `neuro run` / `apolo job run` command, and its platform. */
function runCommand(words: readonly ShellWord[], make: boolean): { at: number; platform: string } | undefined {
  const k = commandStart(words, make);
  const platform = COMMANDS.get(cookedAt(words, k, make).replace(/^.*\//, ''));
  if (!platform) return undefined;
  let j = k + 1;
  while (j < words.length && words[j].cooked.startsWith('-')) j += GLOBAL_VALUES.has(words[j].cooked) ? 2 : 1;
  if (words[j]?.cooked === 'run') return { at: j + 1, platform };
  if (words[j]?.cooked === 'job' && words[j + 1]?.cooked === 'run') return { at: j + 2, platform };
  return undefined;
}

/** Each `--env` / `--volume` value of a run command, up to its image (or `--`). */
function runOptions(text: string, words: readonly ShellWord[], make: boolean, refs: SecretReference[]): void {
  const run = runCommand(words, make);
  if (!run) return;
  for (let j = run.at; j < words.length; ) {
    const w = words[j].cooked;
    const eq = w.indexOf('=');
    const name = w.startsWith('--') && eq > 0 ? w.slice(0, eq) : w;
    if (w === '--') return;
    if (ENV.has(name) || VOLUME.has(name)) {
      // `--env VALUE` or `--env=VALUE`
      const separate = name === w;
      const word = separate ? words[j + 1] : words[j];
      if (word) option(text, word, separate ? 0 : eq + 1, ENV.has(name), run.platform, refs);
      j += separate ? 2 : 1;
    } else if (/^-[ev]./.test(w)) {
      // `-eVALUE`, click's attached short option value
      option(text, words[j], 2, w[1] === 'e', run.platform, refs);
      j++;
    } else if (RUN_VALUES.has(w)) j += 2;
    else if (w.startsWith('-') || w.startsWith('$')) j++;
    else return; // the image: what follows is the container's command
  }
}

/** The reference an option's value holds (from cooked offset `from` of `word`), if any. */
function option(text: string, word: ShellWord, from: number, env: boolean, platform: string, refs: SecretReference[]): void {
  const value = word.cooked.slice(from);
  let at = from;
  if (env) {
    const m = ENV_VALUE.exec(value);
    if (!m) return;
    at += m[0].length;
  } else if (!value.startsWith('secret:')) return;
  const cooked = word.cooked.slice(at);
  const start = word.at[at];
  const end = word.openAfter ? word.end : word.at[word.at.length - 1] + 1;
  const source = text.slice(start, end);
  const dynamic = word.openAfter || cooked.includes('$');
  // A value whose reference isn't verbatim in the source (`secret:"a"b`) has no exact range: not one.
  if (!dynamic && source !== cooked) return;
  if (dynamic) {
    refs.push({ syntax: 'apolo', text: source, start, end, name: cooked.slice('secret:'.length), dynamic: true, platformHint: platform });
    return;
  }
  const ref: SecretReference = { ...parseApoloRef(cooked), text: source, start, end, platformHint: platform };
  if (ref.name && !ref.problem) {
    const offset = apoloNameOffset(ref);
    if (offset !== undefined) ref.nameStart = start + offset;
  }
  refs.push(ref);
}
