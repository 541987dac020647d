// Fuzzing every public endpoint with malformed bodies and queries (fast-check): never a 5xx, never a write.
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { handler as apply } from '../../functions/intake/handlers/apply.js';
import { handler as createRound } from '../../functions/intake/handlers/create-round.js';
import { httpRoutes, type RouteKey } from '../../infra/wiring.js';
import { defaultLoadHandler } from '../../local/handlers.js';
import { routeContracts, type RouteContract } from '../../schemas/api/routes.js';
import { countItems, startHarness, type Harness } from '../support/harness.js';
import { callRoute, coordinatorClaims } from '../support/invoke.js';

const runsPerRoute = 200;
let settled: () => Promise<void>;
let tableName: string;
let harness: Harness;
const ids: Record<string, string> = {};

const itemCount = () => countItems(tableName);

beforeAll(async () => {
  harness = await startHarness('fuzz', { retry: { attempts: 1, baseDelayMs: 1 } });
  settled = harness.settled;
  tableName = harness.tableName;
  // Real ids, so that a malformed body is the only thing wrong with a request.
  const round = await callRoute(createRound, 'POST /rounds', {
    claims: coordinatorClaims(),
    body: {
      name: 'Fuzz',
      region: '01',
      places: 2,
      opensAt: new Date(Date.now() - 3600_000).toISOString(),
      closesAt: new Date(Date.now() + 86_400_000).toISOString(),
      languages: ['fi'],
    },
  });
  ids.roundId = round.body.roundId;
  const application = await callRoute(apply, 'POST /rounds/{roundId}/applications', {
    path: { roundId: ids.roundId! },
    body: {
      municipality: { code: '091', name: 'Helsinki' },
      contact: { name: 'M', email: 'fuzz@example.fi' },
      language: 'fi',
      themes: ['x'],
      consent: true,
    },
  });
  ids.applicationId = application.body.applicationId;
  await settled();
});

afterAll(async () => {
  await harness?.stop();
});

/** Bodies that are not valid for `schema`: anything at all, valid JSON of the wrong shape, or broken text. */
function malformedBodies(contract: RouteContract) {
  const schema = contract.body!;
  const jsonValue = fc.jsonValue({ maxDepth: 4 });
  const wrongShape = fc
    .oneof(
      fc.anything({ maxDepth: 3 }),
      jsonValue,
      fc.dictionary(
        fc.constantFrom('municipality', 'contact', 'consent', 'answer', 'email', 'name', 'language', 'themes', 'message'),
        jsonValue,
      ),
    )
    .filter((value) => !schema.safeParse(value).success)
    .map((value) => JSON.stringify(value) ?? 'undefined');
  const brokenText = fc.oneof(
    fc.string({ maxLength: 200 }),
    fc.string({ minLength: 1, maxLength: 50 }).map((s) => `{"${s}":`),
    fc.constant('x'.repeat(70_000)),
  );
  return fc.oneof({ weight: 3, arbitrary: wrongShape }, { weight: 1, arbitrary: brokenText });
}

const publicRoutes = (Object.keys(httpRoutes) as RouteKey[]).filter((key) => httpRoutes[key].role === 'public');

function pathFor(routeKey: RouteKey): Record<string, string> {
  const names = [...routeKey.matchAll(/\{(\w+)\}/g)].map((m) => m[1]!);
  return Object.fromEntries(names.map((name) => [name, ids[name] ?? 'no-such-id']));
}

describe('fuzzing the public endpoints', () => {
  it('there are public endpoints with bodies to fuzz', () => {
    expect(publicRoutes.filter((key) => (routeContracts[key] as RouteContract).body).length).toBeGreaterThanOrEqual(2);
  });

  it.each(publicRoutes.filter((key) => (routeContracts[key] as RouteContract).body))(
    `${runsPerRoute} malformed bodies to %s: only 4xx, nothing written`,
    async (routeKey) => {
      const handler = (await defaultLoadHandler(httpRoutes[routeKey].handler)) as never;
      const before = await itemCount();
      const statuses = new Map<number, number>();
      await fc.assert(
        fc.asyncProperty(malformedBodies(routeContracts[routeKey] as RouteContract), async (body) => {
          const response = await callRoute(handler, routeKey, { path: pathFor(routeKey), query: { token: 'wrong' }, body });
          statuses.set(response.status, (statuses.get(response.status) ?? 0) + 1);
          expect(response.status).toBeGreaterThanOrEqual(400);
          expect(response.status).toBeLessThan(500);
          expect(response.body.error.code).toEqual(expect.any(String));
        }),
        { numRuns: runsPerRoute },
      );
      await settled();
      expect(await itemCount()).toBe(before);
      expect([...statuses.values()].reduce((a, b) => a + b, 0)).toBe(runsPerRoute);
    },
  );

  it.each(publicRoutes.filter((key) => (routeContracts[key] as RouteContract).query))(
    `${runsPerRoute} malformed queries to %s: only 4xx, nothing written`,
    async (routeKey) => {
      const handler = (await defaultLoadHandler(httpRoutes[routeKey].handler)) as never;
      const before = await itemCount();
      await fc.assert(
        fc.asyncProperty(fc.dictionary(fc.string({ maxLength: 12 }), fc.string({ maxLength: 40 })), async (query) => {
          const response = await callRoute(handler, routeKey, { path: pathFor(routeKey), query, body: {} });
          expect(response.status, JSON.stringify(query)).toBeLessThan(500);
          if (routeKey.startsWith('GET')) return;
          expect(response.status).toBeGreaterThanOrEqual(400);
        }),
        { numRuns: runsPerRoute },
      );
      await settled();
      expect(await itemCount()).toBe(before);
    },
  );
});
