/**
 * Stacks and stack components of the ZenML emulator (server.ts wires them in): what `zenml stack
 * register-secrets` and ML Secrets read. Built to ZenML's own code (README.md, "Stacks and components"):
 *   GET /api/v1/stacks                 Page[StackResponse]     (StackFilter; hydrate default false)
 *   GET /api/v1/stacks/{stack_id}      StackResponse           (hydrate default true)
 *   GET /api/v1/components             Page[ComponentResponse] (ComponentFilter; hydrate default false)
 *   GET /api/v1/components/{id}        ComponentResponse       (hydrate default true)
 * A hydrated stack's `metadata.components` maps a component type to its components, NOT hydrated
 * (`metadata: null`, no configuration), as StackSchema.to_model does; a hydrated component carries
 * `metadata.configuration`. Paging, filters and validation errors follow the secrets list's (server.ts).
 */
import { randomUUID } from 'node:crypto';

export interface StackIssue {
  type: string;
  loc: Array<string | number>;
  msg: string;
  input: unknown;
  ctx?: Record<string, unknown>;
}

interface StackCtx {
  params: Record<string, string>;
  query: Map<string, string>;
}

/** The pieces of server.ts the stack routes use (its auth, its error shapes, its clock). */
export interface StackDeps<Ctx extends StackCtx, Resp> {
  authenticate(ctx: Ctx): unknown;
  /** UserResponse (unhydrated) of a user id, or null. */
  userResponse(userId: string): unknown;
  json(status: number, payload: unknown): Resp;
  queryBool(ctx: Ctx, name: string, dflt: boolean, issues: StackIssue[]): boolean;
  parseIntQuery(s: string, loc: Array<string | number>, issues: StackIssue[]): number | undefined;
  uuidIssue(loc: Array<string | number>, input: unknown): StackIssue | string;
  /** A filter-model ValidationError (FastAPI list or ZenML ValueError, by the emulator's mode). */
  filterError(issues: StackIssue[], model: string): Error;
  requestValidation(issues: StackIssue[]): Error;
  valueError(message: string): Error;
  keyError(message: string): Error;
  nowIso(): string;
}

export interface ZenmlStoredComponent {
  id: string;
  name: string;
  /** StackComponentType value: orchestrator, artifact_store, experiment_tracker, alerter, … */
  type: string;
  flavor: string;
  configuration: Record<string, unknown>;
  userId: string;
  created: string;
  updated: string;
}

export interface ZenmlStoredStack {
  id: string;
  name: string;
  description: string;
  /** Component ids, in order. */
  componentIds: string[];
  userId: string;
  created: string;
  updated: string;
}

export interface ZenmlStackState {
  stacks: Map<string, ZenmlStoredStack>;
  components: Map<string, ZenmlStoredComponent>;
  addComponent(spec: { name: string; type: string; flavor: string; configuration?: Record<string, unknown>; userId: string }): ZenmlStoredComponent;
  addStack(spec: { name: string; description?: string; components: ZenmlStoredComponent[]; userId: string }): ZenmlStoredStack;
}

const PAGE_SIZE_MAXIMUM = 10000;
const STR_OPS = ['equals', 'notequals', 'startswith', 'contains', 'endswith'];
const STACK_FIELDS = ['sort_by', 'logical_operator', 'page', 'size', 'id', 'created', 'updated', 'scope_user', 'user', 'name', 'description', 'component_id', 'component'];
const COMPONENT_FIELDS = ['sort_by', 'logical_operator', 'page', 'size', 'id', 'created', 'updated', 'scope_user', 'user', 'name', 'flavor', 'type', 'connector_id', 'stack_id'];
const EXCLUDED = ['sort_by', 'page', 'size', 'logical_operator', 'user', 'scope_user', 'component_id', 'component', 'stack_id'];

export function newStackState(nowIso: () => string): ZenmlStackState {
  const stacks = new Map<string, ZenmlStoredStack>();
  const components = new Map<string, ZenmlStoredComponent>();
  return {
    stacks,
    components,
    addComponent(spec) {
      const t = nowIso();
      const c: ZenmlStoredComponent = { id: randomUUID(), name: spec.name, type: spec.type, flavor: spec.flavor, configuration: spec.configuration ?? {}, userId: spec.userId, created: t, updated: t };
      components.set(c.id, c);
      return c;
    },
    addStack(spec) {
      const t = nowIso();
      const s: ZenmlStoredStack = { id: randomUUID(), name: spec.name, description: spec.description ?? '', componentIds: spec.components.map((c) => c.id), userId: spec.userId, created: t, updated: t };
      stacks.set(s.id, s);
      return s;
    },
  };
}

/** `op:value` → the operator (default equals) and the value; an unknown prefix is part of the value. */
function resolveOp(v: string): { op: string; value: string } {
  const i = v.indexOf(':');
  if (i > 0 && STR_OPS.concat(['oneof', 'gt', 'gte', 'lt', 'lte', 'in']).includes(v.slice(0, i))) return { op: v.slice(0, i), value: v.slice(i + 1) };
  return { op: 'equals', value: v };
}

function strMatch(op: string, value: string): (x: string) => boolean {
  const low = value.toLowerCase();
  switch (op) {
    case 'notequals':
      return (x) => x !== value;
    case 'contains':
      return (x) => x.toLowerCase().includes(low);
    case 'startswith':
      return (x) => x.toLowerCase().startsWith(low);
    case 'endswith':
      return (x) => x.toLowerCase().endsWith(low);
    default:
      return (x) => x === value;
  }
}

export function stackRoutes<Ctx extends StackCtx, Resp>(state: ZenmlStackState, d: StackDeps<Ctx, Resp>) {
  const componentResponse = (c: ZenmlStoredComponent, hydrate: boolean): unknown => ({
    id: c.id,
    name: c.name,
    permission_denied: false,
    body: { created: c.created, updated: c.updated, user_id: c.userId, type: c.type, flavor_name: c.flavor, integration: null, logo_url: null },
    metadata: hydrate ? { configuration: c.configuration, labels: null, connector_resource_id: null, connector: null, secrets: [] } : null,
    // CHOICE: the flavor resource (a FlavorResponse) is left out; the user is the creator's UserResponse.
    resources: { user: d.userResponse(c.userId), flavor: null },
  });

  const stackResponse = (s: ZenmlStoredStack, hydrate: boolean): unknown => {
    const byType: Record<string, unknown[]> = {};
    for (const id of s.componentIds) {
      const c = state.components.get(id);
      if (c) (byType[c.type] ??= []).push(componentResponse(c, false));
    }
    return {
      id: s.id,
      name: s.name,
      permission_denied: false,
      body: { created: s.created, updated: s.updated, user_id: s.userId },
      metadata: hydrate ? { components: byType, description: s.description, stack_spec_path: null, labels: null, environment: {}, secrets: [] } : null,
      resources: { user: d.userResponse(s.userId) },
    };
  };

  /** The filter model's paging and sorting (BaseFilter), with the FastAPI-level type checks first. */
  const paging = (ctx: Ctx, model: string, fields: string[]) => {
    const issues: StackIssue[] = [];
    const q = ctx.query;
    const logical = q.get('logical_operator') ?? 'and';
    if (logical !== 'and' && logical !== 'or') issues.push({ type: 'enum', loc: ['query', 'logical_operator'], msg: "Input should be 'and' or 'or'", input: logical, ctx: { expected: "'and' or 'or'" } });
    const page = q.has('page') ? d.parseIntQuery(q.get('page')!, ['query', 'page'], issues) : 1;
    const size = q.has('size') ? d.parseIntQuery(q.get('size')!, ['query', 'size'], issues) : 20;
    if (issues.length) throw d.requestValidation(issues);
    const sortBy = q.get('sort_by') ?? 'created';
    const colon = sortBy.indexOf(':');
    const column = colon === -1 ? sortBy : sortBy.slice(colon + 1);
    const desc = colon !== -1 && sortBy.slice(0, colon) === 'desc';
    if (EXCLUDED.includes(column)) issues.push({ type: 'value_error', loc: ['sort_by'], msg: `Value error, This resource can not be sorted by this field: '${column}'`, input: sortBy, ctx: { error: {} } });
    else if (!fields.includes(column)) issues.push({ type: 'value_error', loc: ['sort_by'], msg: 'Value error, You can only sort by valid fields of this resource', input: sortBy, ctx: { error: {} } });
    if (page! < 1) issues.push({ type: 'greater_than_equal', loc: ['page'], msg: 'Input should be greater than or equal to 1', input: page, ctx: { ge: 1 } });
    if (size! < 1) issues.push({ type: 'greater_than_equal', loc: ['size'], msg: 'Input should be greater than or equal to 1', input: size, ctx: { ge: 1 } });
    else if (size! > PAGE_SIZE_MAXIMUM) issues.push({ type: 'less_than_equal', loc: ['size'], msg: `Input should be less than or equal to ${PAGE_SIZE_MAXIMUM}`, input: size, ctx: { le: PAGE_SIZE_MAXIMUM } });
    for (const f of ['name', 'flavor', 'type', 'description']) {
      const raw = q.get(f);
      if (raw === undefined || !fields.includes(f)) continue;
      const { op } = resolveOp(raw);
      if (!STR_OPS.includes(op)) {
        issues.push({ type: 'value_error', loc: [], msg: `Value error, This datatype can not be filtered using this operation: '${op}'. The allowed operations are: [${STR_OPS.map((o) => `'${o}'`).join(', ')}]`, input: {}, ctx: { error: {} } });
      }
    }
    if (issues.length) throw d.filterError(issues, model);
    return { page: page!, size: size!, column, desc, or: logical === 'or' };
  };

  function pageOf<T extends { id: string; created: string; updated: string; name: string }>(rows: T[], p: ReturnType<typeof paging>, toItem: (x: T) => unknown): Resp {
    const key = (x: T): string => String((x as unknown as Record<string, unknown>)[p.column] ?? x.created);
    rows.sort((a, b) => {
      const c = key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : a.id < b.id ? -1 : 1;
      return p.desc ? -c : c;
    });
    const total = rows.length;
    const totalPages = total === 0 ? 1 : Math.ceil(total / p.size);
    if (p.page > totalPages) {
      throw d.valueError(`Invalid page ${p.page}. The requested page size is ${p.size} and there are a total of ${total} items for this query. The maximum page value therefore is ${totalPages}.`);
    }
    const start = (p.page - 1) * p.size;
    return d.json(200, { index: p.page, max_size: p.size, total_pages: totalPages, total, items: rows.slice(start, start + p.size).map(toItem) });
  }

  /** The string filters present in the query, combined by logical_operator. */
  const filters = (ctx: Ctx, fields: string[], row: (field: string) => string | undefined, or: boolean): boolean => {
    const preds: boolean[] = [];
    for (const f of fields) {
      const raw = ctx.query.get(f);
      if (raw === undefined) continue;
      const { op, value } = resolveOp(raw);
      preds.push(strMatch(op, value)(row(f) ?? ''));
    }
    return !preds.length || (or ? preds.some(Boolean) : preds.every(Boolean));
  };

  const uuidParam = (loc: Array<string | number>, raw: string | undefined, issues: StackIssue[]): string | undefined => {
    if (raw === undefined) return undefined;
    const r = d.uuidIssue(loc, raw);
    if (typeof r === 'string') return r;
    issues.push(r);
    return undefined;
  };

  const listStacks = (ctx: Ctx): Resp => {
    const p = paging(ctx, 'StackFilter', STACK_FIELDS);
    d.authenticate(ctx);
    const issues: StackIssue[] = [];
    const hydrate = d.queryBool(ctx, 'hydrate', false, issues);
    const componentId = uuidParam(['query', 'component_id'], ctx.query.get('component_id'), issues);
    if (issues.length) throw d.requestValidation(issues);
    const rows = [...state.stacks.values()].filter(
      (s) => filters(ctx, ['name', 'description'], (f) => (f === 'name' ? s.name : s.description), p.or) && (!componentId || s.componentIds.includes(componentId)),
    );
    return pageOf(rows, p, (s) => stackResponse(s, hydrate));
  };

  const listComponents = (ctx: Ctx): Resp => {
    const p = paging(ctx, 'ComponentFilter', COMPONENT_FIELDS);
    d.authenticate(ctx);
    const issues: StackIssue[] = [];
    const hydrate = d.queryBool(ctx, 'hydrate', false, issues);
    const stackId = uuidParam(['query', 'stack_id'], ctx.query.get('stack_id'), issues);
    if (issues.length) throw d.requestValidation(issues);
    const inStack = stackId ? new Set(state.stacks.get(stackId)?.componentIds ?? []) : undefined;
    const rows = [...state.components.values()].filter(
      (c) => filters(ctx, ['name', 'flavor', 'type'], (f) => (f === 'name' ? c.name : f === 'flavor' ? c.flavor : c.type), p.or) && (!inStack || inStack.has(c.id)),
    );
    return pageOf(rows, p, (c) => componentResponse(c, hydrate));
  };

  const getOne = (what: 'stack' | 'component') => (ctx: Ctx): Resp => {
    d.authenticate(ctx);
    const issues: StackIssue[] = [];
    const param = what === 'stack' ? 'stack_id' : 'component_id';
    const id = uuidParam(['path', param], ctx.params[param], issues);
    const hydrate = d.queryBool(ctx, 'hydrate', true, issues);
    if (issues.length || !id) throw d.requestValidation(issues);
    if (what === 'stack') {
      const s = state.stacks.get(id);
      if (!s) throw d.keyError(`Stack with ID ${id} not found.`);
      return d.json(200, stackResponse(s, hydrate));
    }
    const c = state.components.get(id);
    if (!c) throw d.keyError(`Stack component with ID ${id} not found.`);
    return d.json(200, componentResponse(c, hydrate));
  };

  return { listStacks, listComponents, getStack: getOne('stack'), getComponent: getOne('component') };
}

/**
 * The demo stacks (seed: true). `default` (local orchestrator and artifact store, no secrets) and
 * `demo_stack`, whose components reference:
 *   s3_creds.{aws_access_key_id, aws_secret_access_key}   missing secret (artifact store)
 *   slack_bot.token                                        missing secret (alerter)
 *   mlflow_secret.{username, password}                     present (seeded secret)
 *   mlflow_secret.token                                    present secret, missing key
 * and plain values too (a bucket path, a channel id, a tracking URI), as real configurations do.
 */
export function seedStacks(state: ZenmlStackState, userId: string): void {
  const orchestrator = state.addComponent({ name: 'default', type: 'orchestrator', flavor: 'local', userId });
  const localStore = state.addComponent({ name: 'default', type: 'artifact_store', flavor: 'local', configuration: { path: '/tmp/zenml/local_stores/default' }, userId });
  state.addStack({ name: 'default', components: [orchestrator, localStore], userId });
  const s3 = state.addComponent({
    name: 's3_store',
    type: 'artifact_store',
    flavor: 's3',
    configuration: { path: 's3://demo-bucket/zenml', key: '{{s3_creds.aws_access_key_id}}', secret: '{{s3_creds.aws_secret_access_key}}', client_kwargs: { region_name: 'eu-west-1' } },
    userId,
  });
  const mlflow = state.addComponent({
    name: 'mlflow_tracker',
    type: 'experiment_tracker',
    flavor: 'mlflow',
    configuration: {
      tracking_uri: 'http://mlflow.example.internal:5000',
      tracking_username: '{{mlflow_secret.username}}',
      tracking_password: '{{mlflow_secret.password}}',
      tracking_token: '{{ mlflow_secret.token }}',
      tracking_insecure_tls: false,
    },
    userId,
  });
  const slack = state.addComponent({ name: 'slack_alerts', type: 'alerter', flavor: 'slack', configuration: { slack_token: '{{slack_bot.token}}', default_slack_channel_id: 'C0DEMO123' }, userId });
  state.addStack({ name: 'demo_stack', description: 'Demo stack whose components reference secrets', components: [orchestrator, s3, mlflow, slack], userId });
}
