// Link tokens used crosswise (issue 12, acceptance): a token grants its own application, registration
// or invitation and nothing else. Over HTTP on the local stack, every public route keyed by an
// application or a registration (taken from the wiring table, so a new one is covered or fails here)
// is called with another record's token and with a token of the other kind: 403, as API.md says for
// a link that is not yours (without a token 400, the query lacking it; 404 for an id that does not
// exist), and the table is exactly as it was. An invitation's token grants nothing on another webinar: registering is public,
// but the registration is not taken as invited.
import { ScanCommand, type AttributeValue } from '@aws-sdk/client-dynamodb';
import { unmarshall } from '@aws-sdk/util-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dynamo } from '../../functions/shared/aws.js';
import { httpRoutes, type HttpRoute, type RouteKey } from '../../infra/wiring.js';
import { waitFor } from '../../local/testing.js';
import type { LocalStack } from '../../local/stack.js';
import { startTestStack } from '../support/harness.js';

let stack: LocalStack;
let coordinator: string;
const unique = () => Math.random().toString(36).slice(2, 10);
const hour = 3_600_000;

interface Answer {
  status: number;
  body: any;
}

async function call(method: string, path: string, options: { body?: unknown; token?: string } = {}): Promise<Answer> {
  const response = await fetch(`${stack.apiUrl}${path}`, {
    method,
    headers: {
      'content-type': 'application/json',
      ...(options.token ? { authorization: `Bearer ${options.token}` } : {}),
    },
    ...(options.body !== undefined ? { body: JSON.stringify(options.body) } : {}),
  });
  const text = await response.text();
  return { status: response.status, body: text ? JSON.parse(text) : undefined };
}

/** Every item of the stack's table, by key, as JSON: "nothing written" means this is unchanged. */
async function snapshot(): Promise<Map<string, string>> {
  const items = new Map<string, string>();
  let ExclusiveStartKey: Record<string, AttributeValue> | undefined;
  do {
    const page = await dynamo().send(new ScanCommand({ TableName: stack.tableName, ExclusiveStartKey, ConsistentRead: true }));
    for (const raw of page.Items ?? []) {
      const item = unmarshall(raw);
      items.set(`${item.pk} ${item.sk}`, JSON.stringify(item, Object.keys(item).sort()));
    }
    ExclusiveStartKey = page.LastEvaluatedKey;
  } while (ExclusiveStartKey);
  return items;
}

/** Keys of the items added, removed or changed between two snapshots. */
const changedItems = (before: Map<string, string>, after: Map<string, string>) =>
  [...new Set([...before.keys(), ...after.keys()])].filter((key) => before.get(key) !== after.get(key));

/** Waits until everything the requests so far caused (events, emails) has been handled. */
async function settle(): Promise<void> {
  const answer = await call('POST', '/dev/clock', { body: { advanceBy: 'PT1S' } });
  expect(answer.status).toBe(200);
}

const tokenOf = (link: string) => new URL(link).searchParams.get('token')!;

/** A valid body for each public route keyed by an application or a registration (a new route needs one here). */
const validBodies: Partial<Record<RouteKey, unknown>> = {
  'GET /applications/{applicationId}': undefined,
  'POST /applications/{applicationId}/withdraw': undefined,
  'POST /applications/{applicationId}/offer': { answer: 'accept' },
  'POST /applications/{applicationId}/extra-meetings': { message: 'Voisimmeko saada vielä yhden tapaamisen?' },
  'DELETE /registrations/{registrationId}': undefined,
};

/**
 * Whether an outcome is not what API.md says: a token that is not this record's is 403 ("not yours");
 * no token at all is a query without its required `token`, 400, except where a coordinator's bearer
 * token may stand in for it (withdraw), which leaves the query valid and the link 403.
 */
const notAsApiMdSays = (outcome: string) =>
  outcome.includes(' no token → ') ? !/→ (400|403)$/.test(outcome) : !outcome.endsWith('→ 403');

const tokenRoutes = (param: 'applicationId' | 'registrationId') =>
  (Object.entries(httpRoutes) as [RouteKey, HttpRoute][])
    .filter(([key, route]) => route.role === 'public' && key.includes(`{${param}}`))
    .map(([key]) => key);

/** A record a link token grants, with that token. */
interface Link {
  id: string;
  token: string;
}
const applications: Link[] = [];
const registrations: Link[] = [];
let roundId: string;

async function openRound(): Promise<string> {
  const now = Date.now();
  const round = await call('POST', '/rounds', {
    token: coordinator,
    body: {
      name: `Ristiinkierros ${unique()}`,
      region: '01',
      places: 5,
      opensAt: new Date(now - hour).toISOString(),
      closesAt: new Date(now + 14 * 24 * hour).toISOString(),
      languages: ['fi', 'sv'],
    },
  });
  expect(round.status).toBe(201);
  return round.body.roundId as string;
}

async function newWebinar(): Promise<string> {
  const now = Date.now();
  const webinar = await call('POST', `/rounds/${roundId}/webinars`, {
    token: coordinator,
    body: {
      title: `Loppuwebinaari ${unique()}`,
      startsAt: new Date(now + 30 * 24 * hour).toISOString(),
      endsAt: new Date(now + 30 * 24 * hour + 2 * hour).toISOString(),
      seats: 50,
      registrationClosesAt: new Date(now + 29 * 24 * hour).toISOString(),
      joinUrl: 'https://meet.example.fi/webinar',
      languages: ['fi', 'sv'],
    },
  });
  expect(webinar.status).toBe(201);
  return webinar.body.webinarId as string;
}

beforeAll(async () => {
  stack = await startTestStack('crosswise');
  const signIn = await call('POST', '/dev/token', {
    body: { role: 'coordinator', email: `koordinaattori-${unique()}@example.fi` },
  });
  coordinator = signIn.body.token as string;

  roundId = await openRound();
  for (const [code, name] of [
    ['091', 'Helsinki'],
    ['049', 'Espoo'],
  ] as const) {
    const applied = await call('POST', `/rounds/${roundId}/applications`, {
      body: {
        municipality: { code, name },
        contact: { name: `Yhteyshenkilö ${name}`, email: `${name.toLowerCase()}-${unique()}@example.fi` },
        language: 'fi',
        themes: ['etätuki'],
        consent: true,
      },
    });
    expect(applied.status).toBe(201);
    applications.push({ id: applied.body.applicationId, token: tokenOf(applied.body.statusUrl) });
  }

  const webinarId = await newWebinar();
  for (const person of ['Matti', 'Liisa']) {
    const registered = await call('POST', `/webinars/${webinarId}/registrations`, {
      body: { name: person, email: `${person.toLowerCase()}-${unique()}@example.fi`, language: 'fi', consent: true },
    });
    expect(registered.status).toBe(201);
    registrations.push({ id: registered.body.registrationId, token: tokenOf(registered.body.cancelUrl) });
  }
  await settle();
}, 120_000);

afterAll(() => stack?.stop());

describe('application and registration tokens used crosswise', () => {
  it('covers every public route keyed by an application or a registration, each with a valid body', () => {
    const routes = [...tokenRoutes('applicationId'), ...tokenRoutes('registrationId')];
    expect(routes.length).toBeGreaterThanOrEqual(5);
    expect(routes.filter((key) => !(key in validBodies))).toEqual([]);
  });

  /**
   * Each route keyed by `param`, called on one record with the other's token (both ways), with a token
   * of the other kind and with none; the outcomes that are not as API.md says, and whether the table changed.
   */
  async function crosswise(param: 'applicationId' | 'registrationId', [a, b]: Link[], otherKind: Link) {
    const before = await snapshot();
    const outcomes: string[] = [];
    for (const key of tokenRoutes(param)) {
      const [method, template] = key.split(' ') as [string, string];
      for (const [target, token, what] of [
        [b!, a!.token, "the first's token on the second"],
        [a!, b!.token, "the second's token on the first"],
        [a!, otherKind.token, 'a token of the other kind'],
        [a!, '', 'no token'],
      ] as const) {
        const path = template.replace(`{${param}}`, target.id) + (token ? `?token=${encodeURIComponent(token)}` : '');
        outcomes.push(`${key} ${what} → ${(await call(method, path, { body: validBodies[key] })).status}`);
      }
    }
    await settle();
    return { wrong: outcomes.filter(notAsApiMdSays), changed: changedItems(before, await snapshot()) };
  }

  it("refuses another application's token, a registration's token and no token on every application route: 403 (400 without a token), nothing written", async () => {
    expect(await crosswise('applicationId', applications, registrations[0]!)).toEqual({ wrong: [], changed: [] });
  });

  it("refuses another registration's token, an application's token and no token on every registration route: 403 (400 without a token), nothing written", async () => {
    expect(await crosswise('registrationId', registrations, applications[0]!)).toEqual({ wrong: [], changed: [] });
  });

  it('answers 404 for an id that does not exist, whatever token comes with it, and writes nothing', async () => {
    const before = await snapshot();
    const outcomes: string[] = [];
    for (const [param, token] of [
      ['applicationId', applications[0]!.token],
      ['registrationId', registrations[0]!.token],
    ] as const) {
      for (const key of tokenRoutes(param)) {
        const [method, template] = key.split(' ') as [string, string];
        const path = `${template.replace(`{${param}}`, `00000000-0000-4000-8000-${unique().padEnd(12, '0').slice(0, 12)}`)}?token=${token}`;
        outcomes.push(`${key} → ${(await call(method, path, { body: validBodies[key] })).status}`);
      }
    }
    expect(outcomes.filter((o) => !o.endsWith('→ 404'))).toEqual([]);
    expect(await snapshot()).toEqual(before);
  });

  it('still lets each token act on its own record (the refusals above were about the token)', async () => {
    for (const { id, token } of applications) {
      const own = await call('GET', `/applications/${id}?token=${encodeURIComponent(token)}`);
      expect(own).toMatchObject({ status: 200, body: { applicationId: id, status: 'received' } });
    }
    const [first] = applications;
    const withdrawn = await call('POST', `/applications/${first!.id}/withdraw?token=${encodeURIComponent(first!.token)}`);
    expect(withdrawn).toMatchObject({ status: 200, body: { status: 'withdrawn' } });
    const [x] = registrations;
    const cancelled = await call('DELETE', `/registrations/${x!.id}?token=${encodeURIComponent(x!.token)}`);
    expect(cancelled).toMatchObject({ status: 200, body: { registrationId: x!.id, status: 'cancelled' } });
    await settle();
  });
});

describe('an invitation token used on another webinar', () => {
  it("grants nothing there: the registration is not taken as invited, and neither webinar's invitations change", async () => {
    const first = await newWebinar();
    const second = await newWebinar();
    const invitedToFirst = `kutsuttu-${unique()}@example.fi`;
    const invitedToSecond = `toinen-${unique()}@example.fi`;
    for (const [webinarId, email] of [
      [first, invitedToFirst],
      [second, invitedToSecond],
    ] as const) {
      const requested = await call('POST', `/webinars/${webinarId}/invitations`, {
        token: coordinator,
        body: { extraInvitees: [{ name: 'Kutsuttu', email, language: 'fi' }] },
      });
      expect(requested.status).toBe(202);
      await waitFor(
        async () =>
          (await call('GET', `/webinars/${webinarId}/invitations/${requested.body.batchId}`, { token: coordinator })).body
            .status === 'done',
        { timeoutMs: 20_000, message: `the invitations of ${webinarId} are sent` },
      );
    }
    await settle();
    const invitationsOf = (items: Map<string, string>) =>
      [...items.values()].map((json) => JSON.parse(json)).filter((item) => item.type === 'invitation');
    const before = await snapshot();
    const invitations = invitationsOf(before);
    const tokenFor = (webinarId: string, email: string) =>
      invitations.find((i) => i.webinarId === webinarId && i.email === email)?.token as string;
    const firstToken = tokenFor(first, invitedToFirst);
    expect(firstToken, "the first webinar's invitation").toBeTruthy();
    expect(tokenFor(second, invitedToSecond), "the second webinar's invitation").toBeTruthy();

    // The first webinar's token on the second: by the address it was sent to (not invited there), and
    // by the address the second webinar did invite (whose own token is another).
    const registered: string[] = [];
    for (const email of [invitedToFirst, invitedToSecond]) {
      const answer = await call('POST', `/webinars/${second}/registrations`, {
        body: { name: 'Kutsuttu', email, language: 'fi', consent: true, invitation: firstToken },
      });
      expect(answer.status, email).toBe(201);
      registered.push(answer.body.registrationId as string);
    }
    await settle();
    const after = await snapshot();
    expect(invitationsOf(after)).toEqual(invitations);
    const stored = [...after.values()].map((json) => JSON.parse(json));
    for (const registrationId of registered) {
      const registration = stored.find((i) => i.type === 'registration' && i.registrationId === registrationId);
      expect(registration, registrationId).toMatchObject({ webinarId: second, invited: false });
    }

    // The same token on its own webinar, by its own address, is taken as invited (the check can pass).
    const own = await call('POST', `/webinars/${first}/registrations`, {
      body: { name: 'Kutsuttu', email: invitedToFirst, language: 'fi', consent: true, invitation: firstToken },
    });
    expect(own.status).toBe(201);
    await settle();
    const ownItem = [...(await snapshot()).values()]
      .map((json) => JSON.parse(json))
      .find((i) => i.type === 'registration' && i.registrationId === own.body.registrationId);
    expect(ownItem).toMatchObject({ webinarId: first, invited: true });
  });
});
