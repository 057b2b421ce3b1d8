/**
 * The permission model of platform-auth, as far as clients can observe it.
 *
 * - Principals are users and roles (roles are "users" whose names may contain `/`).
 * - A principal holds direct grants `{uri, action}`; holding `role://R` (any action >= read)
 *   makes it a member of role R and gives it R's permissions (recursively) — this is how
 *   neuro-auth-client's `Role.to_role_permission()` models membership.
 * - Actions are ordered deny < list < read < write < manage; a grant on a URI covers every URI
 *   below it (path-segment prefix, same scheme).
 */

export type Action = 'deny' | 'list' | 'read' | 'write' | 'manage';
export const ACTIONS: readonly Action[] = ['deny', 'list', 'read', 'write', 'manage'];

export interface Permission {
  uri: string;
  action: Action;
}

export interface Share {
  user: string;
  uri: string;
  action: Action;
}

export interface TreeNode {
  action: Action;
  children: Record<string, TreeNode>;
}

export interface TreeRoot extends TreeNode {
  path: string;
}

export interface Principal {
  name: string;
  kind: 'user' | 'role';
  /** Direct grants, keyed by canonical URI. */
  grants: Map<string, Permission>;
}

export function actionOrder(a: Action): number {
  return ACTIONS.indexOf(a);
}

export function maxAction(a: Action, b: Action): Action {
  return actionOrder(a) >= actionOrder(b) ? a : b;
}

export interface ParsedUri {
  scheme: string;
  segs: string[];
}

/** `secret://c/o/p/k` → {scheme: 'secret', segs: ['c','o','p','k']}; `secret:` → segs []. */
export function parseUri(uri: string): ParsedUri | null {
  const m = /^([a-zA-Z][a-zA-Z0-9+.-]*):(.*)$/s.exec(uri);
  if (!m) return null;
  const rest = m[2]!.startsWith('//') ? m[2]!.slice(2) : m[2]!;
  const segs = rest.split('/').filter((s) => s !== '');
  return { scheme: m[1]!.toLowerCase(), segs };
}

export function canonicalUri(p: ParsedUri): string {
  return `${p.scheme}://${p.segs.join('/')}`;
}

function isPrefix(a: ParsedUri, b: ParsedUri): boolean {
  if (a.scheme !== b.scheme || a.segs.length > b.segs.length) return false;
  return a.segs.every((s, i) => b.segs[i] === s);
}

export class AuthModel {
  readonly principals = new Map<string, Principal>();

  addPrincipal(name: string, kind: 'user' | 'role'): Principal {
    let p = this.principals.get(name);
    if (!p) {
      p = { name, kind, grants: new Map() };
      this.principals.set(name, p);
    }
    return p;
  }

  has(name: string): boolean {
    return this.principals.has(name);
  }

  isUser(name: string): boolean {
    return this.principals.get(name)?.kind === 'user';
  }

  /** Stores max(existing direct grant on that exact URI, action); returns the stored action. */
  grant(name: string, uri: string, action: Action): Action {
    const p = this.principals.get(name);
    if (!p) throw new Error(`unknown principal ${name}`);
    const parsed = parseUri(uri);
    if (!parsed) throw new Error(`invalid uri ${uri}`);
    const key = canonicalUri(parsed);
    const existing = p.grants.get(key);
    const stored = existing ? maxAction(existing.action, action) : action;
    p.grants.set(key, { uri: existing?.uri ?? uri, action: stored });
    return stored;
  }

  /** Removes the direct grant on exactly that URI; false when there was none. */
  revoke(name: string, uri: string): boolean {
    const p = this.principals.get(name);
    const parsed = parseUri(uri);
    if (!p || !parsed) return false;
    return p.grants.delete(canonicalUri(parsed));
  }

  hasDirect(name: string, uri: string): boolean {
    const parsed = parseUri(uri);
    return !!parsed && !!this.principals.get(name)?.grants.has(canonicalUri(parsed));
  }

  direct(name: string): Permission[] {
    return [...(this.principals.get(name)?.grants.values() ?? [])].map((g) => ({ ...g }));
  }

  /** Roles the principal belongs to, transitively (via `role://` grants of at least read). */
  subroles(name: string): string[] {
    const seen = new Set<string>();
    const queue = [name];
    while (queue.length) {
      const cur = this.principals.get(queue.shift()!);
      if (!cur) continue;
      for (const g of cur.grants.values()) {
        const parsed = parseUri(g.uri);
        if (!parsed || parsed.scheme !== 'role' || actionOrder(g.action) < actionOrder('read')) continue;
        const role = parsed.segs.join('/');
        if (role && role !== name && !seen.has(role) && this.principals.get(role)?.kind === 'role') {
          seen.add(role);
          queue.push(role);
        }
      }
    }
    return [...seen];
  }

  /** Own grants plus those of every role held; one entry per URI with the highest action. */
  effective(name: string): Permission[] {
    const out = new Map<string, Permission>();
    for (const who of [name, ...this.subroles(name)]) {
      for (const [key, g] of this.principals.get(who)?.grants ?? []) {
        const prev = out.get(key);
        out.set(key, prev ? { uri: prev.uri, action: maxAction(prev.action, g.action) } : { ...g });
      }
    }
    return [...out.values()];
  }

  /** The highest action the principal has on `uri` (grants on the URI or any prefix of it). */
  actionFor(name: string, uri: string): Action {
    const target = parseUri(uri);
    if (!target) return 'deny';
    let best: Action = 'deny';
    for (const g of this.effective(name)) {
      const p = parseUri(g.uri);
      if (p && isPrefix(p, target)) best = maxAction(best, g.action);
    }
    return best;
  }

  missing(name: string, perms: Permission[]): Permission[] {
    return perms.filter((p) => actionOrder(this.actionFor(name, p.uri)) < actionOrder(p.action));
  }

  /** `GET /users/{u}/permissions/tree?uri=...&depth=N` */
  tree(name: string, uri: string, depth?: number): TreeRoot {
    const root = parseUri(uri) ?? { scheme: '', segs: [] };
    const perms = this.effective(name)
      .map((g) => ({ parsed: parseUri(g.uri), action: g.action }))
      .filter((g): g is { parsed: ParsedUri; action: Action } => !!g.parsed && g.parsed.scheme === root.scheme);
    let rootAction: Action = 'deny';
    const below: Array<{ rel: string[]; action: Action }> = [];
    for (const g of perms) {
      if (isPrefix(g.parsed, root)) rootAction = maxAction(rootAction, g.action);
      else if (isPrefix(root, g.parsed)) below.push({ rel: g.parsed.segs.slice(root.segs.length), action: g.action });
    }
    interface Raw {
      own?: Action;
      children: Map<string, Raw>;
    }
    const trie: Raw = { children: new Map() };
    for (const b of below) {
      let node = trie;
      for (const seg of b.rel) {
        let next = node.children.get(seg);
        if (!next) {
          next = { children: new Map() };
          node.children.set(seg, next);
        }
        node = next;
      }
      node.own = node.own ? maxAction(node.own, b.action) : b.action;
    }
    const build = (raw: Raw, inherited: Action, level: number): TreeNode => {
      let action = raw.own ? maxAction(inherited, raw.own) : inherited;
      const children: Record<string, TreeNode> = {};
      if (depth === undefined || level < depth) {
        for (const [seg, child] of [...raw.children].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) {
          children[seg] = build(child, action, level + 1);
        }
      }
      if (action === 'deny' && raw.children.size) action = 'list';
      return { action, children };
    };
    const built = build(trie, rootAction, 0);
    return { path: '/' + root.segs.join('/'), action: built.action, children: built.children };
  }

  /**
   * `GET /users/{u}/permissions/shared`: direct grants other principals hold on resources `name`
   * manages (excluding `name` itself and the roles it holds).
   */
  shared(name: string, filterUri?: string): Share[] {
    const filter = filterUri !== undefined ? parseUri(filterUri) : null;
    const exclude = new Set([name, ...this.subroles(name)]);
    const out: Share[] = [];
    for (const p of this.principals.values()) {
      if (exclude.has(p.name)) continue;
      for (const g of p.grants.values()) {
        const parsed = parseUri(g.uri);
        if (!parsed) continue;
        if (filter && !isPrefix(filter, parsed)) continue;
        if (this.actionFor(name, g.uri) !== 'manage') continue;
        out.push({ user: p.name, uri: g.uri, action: g.action });
      }
    }
    return out;
  }

  /** Permissions whose URI lies at or below `filterUri` (all when undefined). */
  static filterUnder(perms: Permission[], filterUri?: string): Permission[] {
    if (filterUri === undefined) return perms;
    const filter = parseUri(filterUri);
    if (!filter) return [];
    return perms.filter((g) => {
      const p = parseUri(g.uri);
      return !!p && isPrefix(filter, p);
    });
  }
}
