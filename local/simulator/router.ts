/**
 * Matches request paths against the tenant's route table. Literal segments beat `{param}` segments
 * (so `/leads/lists` is never read as `/leads/{leadId}`); a path that matches with the wrong method
 * is a 405, a path that matches nothing a 404.
 */
import { operationIds, type HttpMethod, type OperationId, type RouteTable } from '../../shared/ipscape/routes';

type Segment = { readonly literal: string } | { readonly param: string };

interface PathPattern {
  readonly segments: readonly Segment[];
  /** Per method, the operation and its own parameter names (two routes may name them differently). */
  readonly methods: Map<string, { readonly operationId: OperationId; readonly path: string; readonly segments: readonly Segment[] }>;
}

export type RouteMatch =
  | { readonly kind: 'matched'; readonly operationId: OperationId; readonly routePath: string; readonly params: Record<string, string> }
  | { readonly kind: 'method-not-allowed'; readonly allow: readonly HttpMethod[] }
  | { readonly kind: 'not-found' }
  | { readonly kind: 'bad-path' };

function splitPath(path: string): string[] {
  return path.split('/').filter((s) => s !== '');
}

/** Compiles a route table once; `match` then runs per request. */
export class Router {
  private readonly patterns: PathPattern[] = [];

  constructor(routes: RouteTable) {
    const byPath = new Map<string, PathPattern>();
    for (const id of operationIds) {
      const route = routes[id];
      const segments = splitPath(route.path).map((s): Segment => {
        const m = /^\{(\w+)\}$/.exec(s);
        return m ? { param: m[1]! } : { literal: s };
      });
      // Patterns that differ only in parameter names are the same path.
      const key = segments.map((s) => ('literal' in s ? s.literal : '{}')).join('/');
      let pattern = byPath.get(key);
      if (!pattern) {
        pattern = { segments, methods: new Map() };
        byPath.set(key, pattern);
        this.patterns.push(pattern);
      }
      // A tenant table naming one method+path twice is a misconfiguration: the first operation wins.
      if (!pattern.methods.has(route.method)) pattern.methods.set(route.method, { operationId: id, path: route.path, segments });
    }
  }

  /**
   * Finds the operation for a method and a path relative to the base path.
   *
   * @example router.match('GET', '/leads/lists') // { kind: 'matched', operationId: 'listLeadLists', ... }
   */
  match(method: string, relativePath: string): RouteMatch {
    let segments: string[];
    try {
      segments = splitPath(relativePath).map(decodeURIComponent);
    } catch {
      return { kind: 'bad-path' };
    }
    let best: { pattern: PathPattern; rank: string } | undefined;
    for (const pattern of this.patterns) {
      if (pattern.segments.length !== segments.length) continue;
      // Rank: one character per segment, literal "1" before param "0"; the highest string wins,
      // so the first literal position decides (`/leads/lists/{listId}` beats `/leads/{leadId}/...`).
      let rank = '';
      let ok = true;
      pattern.segments.forEach((seg, i) => {
        const actual = segments[i]!;
        if ('literal' in seg) {
          if (seg.literal === actual) rank += '1';
          else ok = false;
        } else {
          rank += '0';
        }
      });
      if (ok && (!best || rank > best.rank)) best = { pattern, rank };
    }
    if (!best) return { kind: 'not-found' };
    const target = best.pattern.methods.get(method.toUpperCase());
    if (!target) return { kind: 'method-not-allowed', allow: [...best.pattern.methods.keys()] as HttpMethod[] };
    const params: Record<string, string> = {};
    target.segments.forEach((seg, i) => {
      if ('param' in seg) params[seg.param] = segments[i]!;
    });
    return { kind: 'matched', operationId: target.operationId, routePath: target.path, params };
  }
}
