// ZenML stacks and the secret references in their components' configurations (what `zenml stack
// register-secrets` asks for). Two paged lists (test/emulators/zenml/README.md, "Stacks and components"):
//   GET /api/v1/stacks?hydrate=true      → each stack's `metadata.components` {type: [component]}, not
//                                          hydrated (no configuration)
//   GET /api/v1/components?hydrate=true  → each component's `metadata.configuration`
// and the client joins them by component id. A configuration may hold plain values (a password typed
// in): while the JSON is parsed, every configuration keeps only its `{{name.key}}` references (parsed
// by ZenML's own rule, ./syntaxParse.ts) and every secret `values` map only its key names, so no
// value is ever held, cached or logged.

import { ProtocolError } from '../../errors';
import type { HttpRequest, HttpResponse } from '../../http/httpClient';
import { RESPONSE_CAP } from '../../http/httpClient';
import type { StackComponentInfo, StackInfo, StackSecretRef } from '../types';
import { dropValues, zenmlError } from './responses';
import { parseZenml } from './syntaxParse';

export type ZenmlCall = (req: Omit<HttpRequest, 'auth'>) => Promise<HttpResponse>;

const PAGE_SIZE = 200;
/** At most this many pages of each list (40,000 stacks or components): a larger answer is refused. */
export const MAX_STACK_PAGES = 200;

/** ZenML's `is_secret_reference`: the whole string is `{{ NAME.KEY }}` (secret_utils.py's fullmatch). */
export function secretReferenceOf(value: unknown): { name: string; key: string } | undefined {
  if (typeof value !== 'string' || !value.startsWith('{{') || !value.endsWith('}}')) return undefined;
  const ref = parseZenml(value);
  if (ref.problem || !ref.key || /\s/.test(ref.name) || /\s/.test(ref.key)) return undefined;
  return { name: ref.name, key: ref.key };
}

/** The JSON.parse reviver: a `configuration` keeps only its secret references; `values` only key names. */
export function keepReferencesOnly(key: string, v: unknown): unknown {
  if (key === 'configuration' && v && typeof v === 'object' && !Array.isArray(v)) {
    const refs: Record<string, string> = {};
    for (const [attr, value] of Object.entries(v as Record<string, unknown>)) {
      const r = secretReferenceOf(value);
      if (r) refs[attr] = `{{${r.name}.${r.key}}}`;
    }
    return refs;
  }
  return dropValues(key, v);
}

/** Every page of a ZenML list (Page envelope), at most MAX_STACK_PAGES. */
async function listAll(call: ZenmlCall, url: string, what: string, query: Record<string, string>): Promise<Record<string, unknown>[]> {
  const out: Record<string, unknown>[] = [];
  const seen = new Set<string>();
  let total: number | undefined;
  for (let page = 1; page <= MAX_STACK_PAGES; page++) {
    const res = await call({ url, query: { ...query, page: String(page), size: String(PAGE_SIZE) }, maxResponseBytes: RESPONSE_CAP.list });
    if (res.status !== 200) throw zenmlError(res, `list ${what}`);
    const body = res.json(keepReferencesOnly) as { items?: unknown; total_pages?: unknown } | null;
    if (!body || typeof body !== 'object' || !Array.isArray(body.items)) throw new ProtocolError(`ZenML answered the ${what} list without a page of items.`);
    let fresh = 0;
    for (const item of body.items as unknown[]) {
      if (!item || typeof item !== 'object' || typeof (item as { id?: unknown }).id !== 'string') throw new ProtocolError(`ZenML sent one of the ${what} without an id.`);
      const id = (item as { id: string }).id;
      if (seen.has(id)) continue;
      seen.add(id);
      out.push(item as Record<string, unknown>);
      fresh++;
    }
    if (total === undefined && typeof body.total_pages === 'number' && Number.isFinite(body.total_pages)) {
      total = body.total_pages;
      if (total > MAX_STACK_PAGES) throw new ProtocolError(`ZenML says the ${what} list has ${Math.round(total)} pages; ML Secrets reads at most ${MAX_STACK_PAGES}.`);
    }
    if (!body.items.length || !fresh || total === undefined || page >= total) return out;
  }
  throw new ProtocolError(`ZenML kept sending pages of ${what} past ${MAX_STACK_PAGES}; stopped there.`);
}

const str = (v: unknown): string | undefined => (typeof v === 'string' ? v : undefined);
const obj = (v: unknown): Record<string, unknown> => (v && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : {});

/** A component as listed (hydrated: with its configuration's references). */
function toComponent(item: Record<string, unknown>, typeHint?: string): StackComponentInfo {
  const body = obj(item.body);
  const config = obj(obj(item.metadata).configuration);
  const references: StackSecretRef[] = [];
  for (const [attribute, value] of Object.entries(config)) {
    const r = secretReferenceOf(value);
    if (r) references.push({ attribute, ...r });
  }
  references.sort((a, b) => (a.attribute < b.attribute ? -1 : a.attribute > b.attribute ? 1 : 0));
  return { id: item.id as string, name: str(item.name) ?? '', type: str(body.type) ?? typeHint ?? '', flavor: str(body.flavor_name) ?? str(body.flavor) ?? '', references };
}

/** Stacks with their components and each component's secret references (names and keys only). */
export async function listZenmlStacks(call: ZenmlCall, server: string): Promise<StackInfo[]> {
  const stacks = await listAll(call, `${server}/api/v1/stacks`, 'stacks', { hydrate: 'true' });
  const components = new Map<string, StackComponentInfo>();
  for (const c of await listAll(call, `${server}/api/v1/components`, 'stack components', { hydrate: 'true' })) components.set(c.id as string, toComponent(c));
  return stacks
    .map((s) => {
      const byType = obj(obj(s.metadata).components);
      const members: StackComponentInfo[] = [];
      for (const [type, list] of Object.entries(byType)) {
        for (const c of Array.isArray(list) ? list : []) {
          const id = str(obj(c).id);
          if (!id) continue;
          // The stack's own copy is not hydrated: the configuration comes from the components list.
          members.push(components.get(id) ?? toComponent(obj(c) as Record<string, unknown> & { id: string }, type));
        }
      }
      return { id: s.id as string, name: str(s.name) ?? '', components: members };
    })
    .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
}
