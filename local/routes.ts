// Route matching like API Gateway HTTP APIs: route keys `METHOD /path/{param}` (also `ANY` and a
// greedy last `{proxy+}`), the most specific route winning, and 404 vs 405 told apart.

type Segment = { kind: 'literal'; text: string } | { kind: 'param'; name: string } | { kind: 'greedy'; name: string };

export interface CompiledRoute<T> {
  /** The route key as written, e.g. `POST /rounds/{roundId}/applications`. */
  key: string;
  method: string;
  segments: Segment[];
  value: T;
}

export type RouteLookup<T> =
  | { kind: 'found'; route: CompiledRoute<T>; pathParameters: Record<string, string> }
  | { kind: 'method-not-allowed'; allow: string[] }
  | { kind: 'not-found' };

const segmentRank = { literal: 0, param: 1, greedy: 2 } as const;

/** Compiles a table keyed by route key; throws on a key that is not `METHOD /path`. */
export function compileRoutes<T>(table: Readonly<Record<string, T>>): CompiledRoute<T>[] {
  const routes = Object.entries(table).map(([key, value]) => {
    const match = /^([A-Z]+) (\/.*)$/.exec(key);
    if (!match) throw new Error(`Route key ${JSON.stringify(key)} is not "METHOD /path"`);
    const [, method, template] = match as unknown as [string, string, string];
    const parts = splitPath(template);
    const segments = parts.map((part, index): Segment => {
      const param = /^\{([\w-]+)(\+)?\}$/.exec(part);
      if (!param) return { kind: 'literal', text: part };
      if (param[2] && index !== parts.length - 1) throw new Error(`Greedy ${part} must be last in ${key}`);
      return { kind: param[2] ? 'greedy' : 'param', name: param[1] as string };
    });
    return { key, method, segments, value };
  });
  // API Gateway prefers the most specific route: literal segments beat {params}, which beat {greedy+}.
  return routes.sort((a, b) => compareSpecificity(a.segments, b.segments));
}

export function findRoute<T>(routes: readonly CompiledRoute<T>[], method: string, rawPath: string): RouteLookup<T> {
  const parts = splitPath(rawPath);
  const allow = new Set<string>();
  for (const route of routes) {
    const pathParameters = matchSegments(route.segments, parts);
    if (!pathParameters) continue;
    if (route.method === method || route.method === 'ANY') return { kind: 'found', route, pathParameters };
    allow.add(route.method);
  }
  return allow.size > 0 ? { kind: 'method-not-allowed', allow: [...allow].sort() } : { kind: 'not-found' };
}

function splitPath(path: string): string[] {
  return path.split('/').slice(1);
}

function matchSegments(segments: readonly Segment[], parts: readonly string[]): Record<string, string> | undefined {
  const params: Record<string, string> = {};
  for (const [index, segment] of segments.entries()) {
    if (segment.kind === 'greedy') {
      const rest = parts.slice(index);
      if (rest.length === 0 || rest.join('/') === '') return undefined;
      params[segment.name] = decode(rest.join('/'));
      return params;
    }
    const part = parts[index];
    if (part === undefined) return undefined;
    if (segment.kind === 'literal') {
      if (part !== segment.text) return undefined;
    } else {
      if (part === '') return undefined;
      params[segment.name] = decode(part);
    }
  }
  return parts.length === segments.length ? params : undefined;
}

function compareSpecificity(a: readonly Segment[], b: readonly Segment[]): number {
  for (let i = 0; i < Math.min(a.length, b.length); i++) {
    const diff = segmentRank[(a[i] as Segment).kind] - segmentRank[(b[i] as Segment).kind];
    if (diff !== 0) return diff;
  }
  return b.length - a.length;
}

/** Path parameters arrive decoded; a malformed escape is passed through as written. */
function decode(value: string): string {
  try {
    return decodeURIComponent(value);
  } catch {
    return value;
  }
}
