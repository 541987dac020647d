// The role matrix: every route of the wiring table, called over HTTP on the local stack without a
// token, with the other role's token and with a token of no group. Signed-in routes answer 401 and
// 403 (never 2xx, never 5xx) and write nothing; public routes that take a bearer token refuse the
// wrong role. Resource-level checks (a tutor of another engagement) are in the capability tests.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { httpRoutes, type HttpRoute, type RouteKey } from '../../infra/wiring.js';
import type { LocalStack } from '../../local/stack.js';
import { countItems, startTestStack } from '../support/harness.js';

let stack: LocalStack;
const tokens: Record<string, string> = {};
const unique = () => Math.random().toString(36).slice(2, 10);

async function call(routeKey: string, token?: string) {
  const [method, template] = routeKey.split(' ') as [string, string];
  const path = template.replace(/\{(\w+)\}/g, () => `id-${unique()}`);
  const response = await fetch(`${stack.apiUrl}${path}`, {
    method,
    headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
    ...(method === 'GET' || method === 'DELETE' ? {} : { body: '{}' }),
  });
  await response.arrayBuffer();
  return response.status;
}

beforeAll(async () => {
  stack = await startTestStack('role-matrix');
  for (const role of ['coordinator', 'tutor', 'admin'] as const) {
    const answer = await fetch(`${stack.apiUrl}/dev/token`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ role, email: `${role}-${unique()}@example.fi` }),
    });
    tokens[role] = ((await answer.json()) as { token: string }).token;
  }
}, 120_000);

afterAll(() => stack?.stop());

const routes = Object.entries(httpRoutes) as [RouteKey, HttpRoute][];
const signedIn = routes.filter(([, r]) => r.role !== 'public');
/** Whether a route takes the role's token: its own role, its `alsoFor`, and an admin wherever a coordinator may. */
const takes = (route: HttpRoute, role: 'coordinator' | 'tutor' | 'admin') =>
  role === route.role ||
  Boolean(route.alsoFor?.includes(role)) ||
  (role === 'admin' && (route.role === 'coordinator' || Boolean(route.alsoFor?.includes('coordinator'))));
const otherRole = (route: HttpRoute) => (['coordinator', 'tutor', 'admin'] as const).filter((role) => !takes(route, role));

describe('the role matrix', () => {
  it('covers every signed-in route of the wiring table', () => {
    expect(signedIn.length).toBeGreaterThan(20);
  });

  it('every signed-in route: 401 without a token, 403 for a role it does not take; nothing is written', async () => {
    const before = await countItems(stack.tableName);
    const outcomes: string[] = [];
    for (const [key, route] of signedIn) {
      outcomes.push(`${key} public → ${await call(key)}`);
      for (const role of otherRole(route)) outcomes.push(`${key} ${role} → ${await call(key, tokens[role])}`);
    }
    const wrong = outcomes.filter((o) => !(o.endsWith('public → 401') || /(coordinator|tutor|admin) → 403$/.test(o)));
    expect(wrong).toEqual([]);
    expect(await countItems(stack.tableName)).toBe(before);
  });

  it('an admin passes every coordinator route (the answer is about the request, never 401 or 403 or 5xx)', async () => {
    const outcomes: string[] = [];
    for (const [key] of signedIn.filter(([, r]) => takes(r, 'admin'))) {
      outcomes.push(`${key} admin → ${await call(key, tokens.admin)}`);
    }
    expect(outcomes.length).toBeGreaterThan(20);
    expect(outcomes.filter((o) => /→ (401|403|5\d\d)$/.test(o))).toEqual([]);
  });

  it('public routes that take a bearer token refuse a token of another role with 403', async () => {
    for (const [key, route] of routes.filter(([, r]) => r.acceptsBearer)) {
      for (const role of (['coordinator', 'tutor'] as const).filter((r) => !route.acceptsBearer!.includes(r))) {
        expect(`${key} ${role} → ${await call(key, tokens[role])}`).toBe(`${key} ${role} → 403`);
      }
    }
  });
});
