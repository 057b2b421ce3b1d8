// "Move to a platform secret…" for MosaicML (issue 16). mcli has no reference syntax: an env secret
// (type `environment`, `envKey`) reaches every run of the user as an environment variable
// (docs/platform-apis.md §3.7). So the token's place goes: an entry of a run YAML's `env_variables`
// (a map `KEY: value`, or a list of `{key|name: K, value: V}` or `K=V`, as ./runYaml.ts reads them)
// is deleted, whole lines and their line break (the run gets it from the secret); a `.env` line
// `KEY=value` is deleted; Python reads `os.environ["ENVVAR"]`, a shell script `"${ENVVAR}"`. Pure.

import { commentPlan, docRefusal, ENV_NAME, planOf, pythonEnvPlan, refuse, shellEnvPlan, type Creation, type PlatformMove } from '../../plaintext/moveParts';
import type { MovePlan, MoveRequest, TextEdit } from '../../plaintext/types';
import { yaml } from '../../vendor';
import { validateMosaicName } from './names';

const creation = (name: string, envKey: string): Creation => ({ create: { name, type: 'environment', envKey }, valueField: 'value' });
const injected = (envKey: string) => `environment variable ${envKey} (MosaicML injects env secrets into every run)`;

export function moveMosaic(req: MoveRequest): MovePlan {
  if (req.finding.inComment) return commentPlan(req, creation(req.name, req.envVar), injected(req.envVar));
  const doc = docRefusal(req);
  if (doc) return doc;
  if (req.language === 'yaml') return yamlMove(req);
  if (req.language === 'dotenv') return dotenvMove(req);
  if (!ENV_NAME.test(req.envVar)) return refuse(`'${req.envVar}' is not an environment variable name (letters, digits and _, not starting with a digit).`);
  const created = creation(req.name, req.envVar);
  if (req.language === 'python') return pythonEnvPlan(req, created, `MosaicML gives every run the secret as ${req.envVar}.`);
  return shellEnvPlan(req, created, `MosaicML gives every run the secret as ${req.envVar}.`);
}

function lineStartOf(text: string, at: number): number {
  return text.lastIndexOf('\n', at - 1) + 1;
}

function lineAfter(text: string, at: number): number {
  const nl = text.indexOf('\n', at);
  return nl < 0 ? text.length : nl + 1;
}

/** Whole lines [start of `from`'s line, after `to`'s line), or, on the last line without a break, from the break before. */
function deleteLines(text: string, from: number, to: number): TextEdit {
  const start = lineStartOf(text, from);
  const end = lineAfter(text, to);
  if (end === text.length && !text.endsWith('\n') && start > 0) return { start: start - (text[start - 2] === '\r' ? 2 : 1), end, newText: '' };
  return { start, end, newText: '' };
}

function dotenvMove(req: MoveRequest): MovePlan {
  const { text, finding } = req;
  const { literal } = finding;
  const head = /^[ \t]*(?:export[ \t]+)?([A-Za-z_][A-Za-z0-9_]*)[ \t]*=[ \t]*$/.exec(text.slice(lineStartOf(text, literal.start), literal.start));
  const nl = text.indexOf('\n', literal.end);
  const tail = text.slice(literal.end, nl < 0 ? text.length : nl);
  if (!finding.whole || !head || !/^[ \t]*(?:#.*)?\r?$/.test(tail)) {
    return refuse('The token is not the whole value of a KEY=value line: MosaicML gives a secret to a run only as a whole environment variable.');
  }
  const envKey = head[1];
  return planOf(creation(req.name, envKey), [deleteLines(text, literal.start, literal.end)], injected(envKey));
}

interface Entry {
  /** The environment variable the entry sets. */
  envKey: string;
  /** The entry's source (a map's key to its value's end; a list item). */
  start: number;
  end: number;
}

type YamlNode = { range?: [number, number, number]; items?: unknown[]; flow?: boolean; value?: unknown; key?: unknown };

/** The env_variables entries in source order, and which one's value holds [at, at]. */
function entriesOf(text: string, node: YamlNode): Array<Entry & { value?: YamlNode; whole?: string }> {
  const out: Array<Entry & { value?: YamlNode; whole?: string }> = [];
  for (const raw of node.items ?? []) {
    const it = raw as YamlNode;
    if (it.key !== undefined) {
      const key = it.key as YamlNode;
      const value = it.value as YamlNode | null;
      if (key?.range && value?.range) out.push({ envKey: String(key.value), start: key.range[0], end: value.range[1], value });
    } else if (it.range && it.items) {
      const pairs = it.items as Array<{ key: YamlNode; value: YamlNode | null }>;
      const k = pairs.find((p) => p.key?.value === 'key' || p.key?.value === 'name');
      const v = pairs.find((p) => p.key?.value === 'value');
      if (k?.value && v?.value?.range) out.push({ envKey: String(k.value.value), start: it.range[0], end: it.range[1], value: v.value });
    } else if (it.range && typeof it.value === 'string' && /^[A-Za-z_][A-Za-z0-9_]*=/.test(it.value)) {
      const eq = it.value.indexOf('=');
      out.push({ envKey: it.value.slice(0, eq), start: it.range[0], end: it.range[1], value: it, whole: it.value.slice(eq + 1) });
    }
  }
  // A block list item's range runs on to the next item's line: up to its last non-blank character.
  for (const e of out) e.end = e.start + text.slice(e.start, e.end).trimEnd().length;
  return out;
}

function yamlMove(req: MoveRequest): MovePlan {
  const { text, finding } = req;
  const why = 'MosaicML has no reference syntax: only a whole value of the run YAML’s env_variables can move into an env secret (it reaches every run).';
  // The user chose MosaicML for this file: a top-level env_variables is enough (a run YAML without
  // compute/cluster keys yet is still one being written).
  const doc = yaml().parseDocument(text, { uniqueKeys: false });
  const top = doc.contents as YamlNode | null;
  const pair = (top?.items as Array<{ key: YamlNode; value: YamlNode | null }> | undefined)?.find((p) => p.key?.value === 'env_variables');
  const node = pair?.value;
  if (!pair || !node?.range || !node.items) return refuse(why);
  const entries = entriesOf(text, node);
  const i = entries.findIndex((e) => e.value?.range && e.value.range[0] <= finding.literal.start && finding.literal.end <= e.value.range[1]);
  const entry = entries[i];
  const token = text.slice(finding.start, finding.end);
  if (!entry || (entry.whole !== undefined ? entry.whole !== token : !finding.whole)) return refuse(why);
  const edit = deletion(text, node, entries, i, pair.key);
  if (!edit) return refuse('The env_variables entry shares its lines with other text: move it to lines of its own, then move the token.');
  const after = text.slice(0, edit.start) + edit.newText + text.slice(edit.end);
  if (!sameOtherwise(text, after)) return refuse('Deleting the entry would change the rest of the YAML: move the token by hand.');
  return planOf(creation(req.name, entry.envKey), [edit], injected(entry.envKey));
}

/**
 * The entry deleted. Block collections: its whole lines; the only entry takes the `env_variables:`
 * key with it (an empty `env_variables:` is null, which mcli need not accept; no key is no variables).
 * Flow collections: the entry and one comma (`{}` when it was the only one).
 */
function deletion(text: string, node: YamlNode, entries: Entry[], i: number, key: YamlNode): TextEdit | undefined {
  const e = entries[i];
  if (node.flow) {
    if (i + 1 < entries.length) return { start: e.start, end: entries[i + 1].start, newText: '' };
    if (i > 0) return { start: entries[i - 1].end, end: e.end, newText: '' };
    return { start: e.start, end: e.end, newText: '' };
  }
  const lead = text.slice(lineStartOf(text, e.start), e.start);
  const trail = text.slice(e.end, lineAfter(text, e.end));
  if (!/^[ \t]*(?:-[ \t]+)?$/.test(lead) || !/^[ \t]*(?:#.*)?\r?\n?$/.test(trail)) return undefined;
  if (entries.length === 1 && (node.items?.length ?? 0) === 1 && key.range) return deleteLines(text, key.range[0], e.end);
  return deleteLines(text, e.start, e.end);
}

/** The edited YAML parses cleanly and differs only in env_variables. */
function sameOtherwise(before: string, after: string): boolean {
  try {
    const b = yaml().parseDocument(before, { uniqueKeys: false });
    const a = yaml().parseDocument(after, { uniqueKeys: false });
    if (a.errors.length) return false;
    const strip = (v: unknown) => {
      const o = { ...(v as Record<string, unknown>) };
      delete o.env_variables;
      return JSON.stringify(o);
    };
    return strip(a.toJS()) === strip(b.toJS());
  } catch {
    return false;
  }
}

/** A DNS subdomain name: lower case, `_` and other characters become `-`, letters or digits at both ends. */
export function adaptMosaicName(name: string): string {
  let out = name
    .toLowerCase()
    .replace(/[^a-z0-9.-]+/g, '-')
    .replace(/-{2,}/g, '-')
    .replace(/^[^a-z0-9]+|[^a-z0-9]+$/g, '')
    .slice(0, 253)
    .replace(/[^a-z0-9]+$/, '');
  if (!out || validateMosaicName(out)) out = 'secret';
  return out;
}

export const MOSAIC_MOVE: PlatformMove = { move: moveMosaic, adaptName: adaptMosaicName };
