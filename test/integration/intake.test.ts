// Intake against DynamoDB Local, the SES server and the local bus: the handlers Lambda runs, unmocked.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { handler as apply } from '../../functions/intake/handlers/apply.js';
import { handler as createRound } from '../../functions/intake/handlers/create-round.js';
import { handler as getApplication } from '../../functions/intake/handlers/get-application.js';
import { handler as getRound } from '../../functions/intake/handlers/get-round.js';
import { handler as listRounds } from '../../functions/intake/handlers/list-rounds.js';
import { handler as openDueRounds } from '../../functions/intake/handlers/open-due-rounds.js';
import { handler as sendConfirmation } from '../../functions/intake/handlers/send-application-confirmation.js';
import { advanceClock, resetClock } from '../../functions/shared/clock.js';
import type { LocalEventBus } from '../../local/event-bus.js';
import { readInbox, waitFor } from '../../local/testing.js';
import { countItems, startHarness, type Harness } from '../support/harness.js';
import { busEvent, callRoute, coordinatorClaims, detailOf } from '../support/invoke.js';

let bus: LocalEventBus;
let settled: () => Promise<void>;
let tableName: string;
let harness: Harness;

const unique = () => Math.random().toString(36).slice(2, 10);
const hour = 3600_000;

const itemCount = () => countItems(tableName);

async function openRound(overrides: Record<string, unknown> = {}) {
  const now = Date.now();
  const response = await callRoute(createRound, 'POST /rounds', {
    claims: coordinatorClaims(),
    body: {
      name: `Kevät ${unique()}`,
      region: '01',
      places: 5,
      opensAt: new Date(now - hour).toISOString(),
      closesAt: new Date(now + 14 * 24 * hour).toISOString(),
      languages: ['fi', 'sv', 'en'],
      ...overrides,
    },
  });
  expect(response.status).toBe(201);
  return response.body as { roundId: string; name: string };
}

function application(email: string, overrides: Record<string, unknown> = {}) {
  return {
    municipality: { code: '091', name: 'Helsinki' },
    contact: { name: 'Maija Meikäläinen', email },
    language: 'fi',
    themes: ['remote support'],
    consent: true,
    ...overrides,
  };
}

beforeAll(async () => {
  harness = await startHarness('intake', { retry: { attempts: 3, baseDelayMs: 10 } });
  bus = harness.bus;
  settled = harness.settled;
  tableName = harness.tableName;
});

afterAll(async () => {
  await harness?.stop();
  resetClock();
});

describe('rounds', () => {
  it('a coordinator creates a round; anyone reads it and finds it among the open rounds', async () => {
    const round = await openRound({ places: 3 });
    const read = await callRoute(getRound, 'GET /rounds/{roundId}', { path: { roundId: round.roundId } });
    expect(read.status).toBe(200);
    expect(read.body).toMatchObject({ roundId: round.roundId, places: 3, placesLeft: 3, applications: 0, status: 'open' });

    const open = await callRoute(listRounds, 'GET /rounds');
    expect(open.body.rounds.map((r: { roundId: string }) => r.roundId)).toContain(round.roundId);
  });

  it('lists a round that has not opened yet only when asked for scheduled rounds', async () => {
    const later = await openRound({ opensAt: new Date(Date.now() + 24 * hour).toISOString() });
    const open = await callRoute(listRounds, 'GET /rounds');
    expect(open.body.rounds.map((r: { roundId: string }) => r.roundId)).not.toContain(later.roundId);
    const scheduled = await callRoute(listRounds, 'GET /rounds', { query: { status: 'scheduled' } });
    expect(scheduled.body.rounds.map((r: { roundId: string }) => r.roundId)).toContain(later.roundId);
    const bad = await callRoute(listRounds, 'GET /rounds', { query: { status: 'everything' } });
    expect(bad.status).toBe(400);
    expect(bad.body.error.issues[0].path).toBe('status');
  });

  it('refuses a round from a public caller or a tutor, and writes nothing', async () => {
    const before = await itemCount();
    const body = {
      name: 'x',
      region: '01',
      places: 1,
      opensAt: '2027-01-01T00:00:00Z',
      closesAt: '2027-02-01T00:00:00Z',
      languages: ['fi'],
    };
    expect((await callRoute(createRound, 'POST /rounds', { body })).status).toBe(401);
    const tutor = await callRoute(createRound, 'POST /rounds', {
      body,
      claims: { sub: 't', email: 't@example.fi', email_verified: 'true', 'cognito:groups': '[tutors]' },
    });
    expect(tutor.status).toBe(403);
    expect(await itemCount()).toBe(before);
  });

  it('answers 404 for an unknown round', async () => {
    const response = await callRoute(getRound, 'GET /rounds/{roundId}', { path: { roundId: 'no-such-round' } });
    expect(response.status).toBe(404);
    expect(response.body.error.code).toBe('not_found');
  });
});

describe('applying', () => {
  it('stores the application, publishes ApplicationReceived and mails a confirmation in the applicant language with a working status link', async () => {
    const round = await openRound();
    const email = `kunta-${unique()}@example.fi`;
    const response = await callRoute(apply, 'POST /rounds/{roundId}/applications', {
      path: { roundId: round.roundId },
      body: application(email, { language: 'sv', municipality: { code: '049', name: 'Esbo' } }),
    });
    expect(response.status).toBe(201);
    expect(response.body).toMatchObject({ status: 'received', statusUrl: expect.stringContaining('token=') });

    await settled();
    const published = bus.publishedEvents().filter((e) => e['detail-type'] === 'ApplicationReceived');
    expect(published.map((e) => detailOf<{ applicationId: string }>(e).applicationId)).toContain(response.body.applicationId);

    const [mail, ...more] = await waitFor(async () => {
      const mails = await readInbox({ to: email });
      return mails.length ? mails : undefined;
    });
    expect(more).toHaveLength(0);
    expect(mail!.subject).toBe(`Ansökan mottagen: ${round.name}`);
    expect(mail!.body.text).toContain(response.body.statusUrl);

    const url = new URL(response.body.statusUrl);
    const status = await callRoute(getApplication, 'GET /applications/{applicationId}', {
      path: { applicationId: response.body.applicationId },
      query: { token: url.searchParams.get('token')! },
    });
    expect(status.status).toBe(200);
    expect(status.body).toMatchObject({ status: 'received', roundName: round.name, municipality: { code: '049', name: 'Esbo' } });

    const counted = await callRoute(getRound, 'GET /rounds/{roundId}', { path: { roundId: round.roundId } });
    expect(counted.body.applications).toBe(1);
  });

  it('the status page refuses a wrong or missing token and an unknown application', async () => {
    const round = await openRound();
    const created = await callRoute(apply, 'POST /rounds/{roundId}/applications', {
      path: { roundId: round.roundId },
      body: application(`kunta-${unique()}@example.fi`),
    });
    const applicationId = created.body.applicationId;
    const wrong = await callRoute(getApplication, 'GET /applications/{applicationId}', {
      path: { applicationId },
      query: { token: 'guess' },
    });
    expect(wrong.status).toBe(403);
    const missing = await callRoute(getApplication, 'GET /applications/{applicationId}', { path: { applicationId } });
    expect(missing.status).toBe(400);
    expect(missing.body.error.issues[0].path).toBe('token');
    const unknown = await callRoute(getApplication, 'GET /applications/{applicationId}', {
      path: { applicationId: 'nope' },
      query: { token: 'x' },
    });
    expect(unknown.status).toBe(404);
  });

  it('the same municipality again gets its existing application with 200 and no second email', async () => {
    const round = await openRound();
    const email = `kunta-${unique()}@example.fi`;
    const first = await callRoute(apply, 'POST /rounds/{roundId}/applications', {
      path: { roundId: round.roundId },
      body: application(email),
    });
    await settled();
    const second = await callRoute(apply, 'POST /rounds/{roundId}/applications', {
      path: { roundId: round.roundId },
      body: application(email),
    });
    expect(first.status).toBe(201);
    expect(second.status).toBe(200);
    expect(second.body.applicationId).toBe(first.body.applicationId);
    // A repeat never hands out the link (it would give anyone who knows the address the application).
    expect(second.body).toEqual({ applicationId: first.body.applicationId, status: 'received' });
    await settled();
    expect(await readInbox({ to: email })).toHaveLength(1);

    // Someone else submitting for the same municipality learns it has applied, but gets no access link.
    const other = await callRoute(apply, 'POST /rounds/{roundId}/applications', {
      path: { roundId: round.roundId },
      body: application(`someone-${unique()}@example.fi`),
    });
    expect(other.status).toBe(200);
    // ... and the same answer whatever address is given: it does not tell which address applied.
    expect(other.body).toEqual(second.body);
  });

  it('racing applications of one municipality leave exactly one application and one email', async () => {
    const round = await openRound();
    const email = `kunta-${unique()}@example.fi`;
    const responses = await Promise.all(
      Array.from({ length: 8 }, () =>
        callRoute(apply, 'POST /rounds/{roundId}/applications', { path: { roundId: round.roundId }, body: application(email) }),
      ),
    );
    expect(responses.filter((r) => r.status === 201)).toHaveLength(1);
    expect(responses.filter((r) => r.status === 200)).toHaveLength(7);
    expect(new Set(responses.map((r) => r.body.applicationId)).size).toBe(1);

    const counted = await callRoute(getRound, 'GET /rounds/{roundId}', { path: { roundId: round.roundId } });
    expect(counted.body.applications).toBe(1);
    await settled();
    await waitFor(async () => (await readInbox({ to: email })).length === 1);
    await settled();
    expect(await readInbox({ to: email })).toHaveLength(1);
  });

  it('refuses with 409 when the round is not open, and writes nothing', async () => {
    const scheduled = await openRound({ opensAt: new Date(Date.now() + 24 * hour).toISOString() });
    const before = await itemCount();
    const early = await callRoute(apply, 'POST /rounds/{roundId}/applications', {
      path: { roundId: scheduled.roundId },
      body: application(`kunta-${unique()}@example.fi`),
    });
    expect(early.status).toBe(409);
    expect(early.body.error.code).toBe('round_not_open');
    expect(await itemCount()).toBe(before);

    const closing = await openRound({ closesAt: new Date(Date.now() + hour).toISOString() });
    advanceClock(2 * hour);
    try {
      const late = await callRoute(apply, 'POST /rounds/{roundId}/applications', {
        path: { roundId: closing.roundId },
        body: application(`kunta-${unique()}@example.fi`),
      });
      expect(late.status).toBe(409);
    } finally {
      resetClock();
    }
    const unknown = await callRoute(apply, 'POST /rounds/{roundId}/applications', {
      path: { roundId: 'nope' },
      body: application('a@example.fi'),
    });
    expect(unknown.status).toBe(404);
  });

  it('malformed bodies get 4xx with field paths, and nothing is written or sent', async () => {
    const round = await openRound();
    const email = `bad-${unique()}@example.fi`;
    const before = await itemCount();
    const cases: { body: unknown; headers?: Record<string, string>; status: number; path?: string }[] = [
      { body: application(email, { themes: 'remote support' }), status: 400, path: 'themes' },
      { body: application(email, { contact: { name: 'M', email: 'not-an-email' } }), status: 400, path: 'contact.email' },
      { body: application(email, { consent: false }), status: 400, path: 'consent' },
      { body: application(email, { municipality: { code: 91, name: 'Helsinki' } }), status: 400, path: 'municipality.code' },
      { body: application(email, { language: 'de' }), status: 400, path: 'language' },
      { body: { ...application(email), consent: undefined }, status: 400, path: 'consent' },
      { body: '{"municipality": {', status: 400, path: '' },
      { body: '[]', status: 400, path: '' },
      { body: 'null', status: 400, path: '' },
      { body: application(email), headers: { 'content-type': 'text/plain' }, status: 415 },
      { body: application(email, { situation: 'x'.repeat(70_000) }), status: 413 },
    ];
    for (const c of cases) {
      const response = await callRoute(apply, 'POST /rounds/{roundId}/applications', {
        path: { roundId: round.roundId },
        body: c.body,
        headers: c.headers,
      });
      expect(response.status, JSON.stringify(c.body).slice(0, 80)).toBe(c.status);
      expect(response.body.error.code).toEqual(expect.any(String));
      if (c.path !== undefined) expect(response.body.error.issues.map((i: { path: string }) => i.path)).toContain(c.path);
    }
    expect(await itemCount()).toBe(before);
    await settled();
    expect(await readInbox({ to: email })).toHaveLength(0);
  });
});

describe('confirmation handler, delivered more than once', () => {
  async function receivedEvent() {
    const round = await openRound();
    const email = `kunta-${unique()}@example.fi`;
    const created = await callRoute(apply, 'POST /rounds/{roundId}/applications', {
      path: { roundId: round.roundId },
      body: application(email, { language: 'en' }),
    });
    await settled();
    await waitFor(async () => (await readInbox({ to: email })).length === 1);
    const event = bus
      .publishedEvents()
      .find((e) => detailOf<{ applicationId?: string }>(e).applicationId === created.body.applicationId)!;
    expect(event).toBeDefined();
    return { event, email };
  }

  it('the same ApplicationReceived again sends no second email', async () => {
    const { event, email } = await receivedEvent();
    await sendConfirmation(event as never);
    await sendConfirmation({ ...event, id: crypto.randomUUID() } as never);
    expect(await readInbox({ to: email })).toHaveLength(1);
  });

  it('concurrent deliveries of a fresh event send one email; the losers fail so that they are retried', async () => {
    const round = await openRound();
    const email = `kunta-${unique()}@example.fi`;
    const created = await callRoute(apply, 'POST /rounds/{roundId}/applications', {
      path: { roundId: round.roundId },
      body: application(email),
    });
    const detail = {
      applicationId: created.body.applicationId,
      roundId: round.roundId,
      municipalityCode: '091',
      language: 'fi',
      receivedAt: new Date().toISOString(),
    };
    // Deliver the same event five times at once, directly (the bus also delivers its own copy).
    const results = await Promise.allSettled(
      Array.from({ length: 5 }, () => sendConfirmation(busEvent('ApplicationReceived', 'sparraus.intake', detail) as never)),
    );
    await settled();
    // Whoever lost the claim while it was being sent failed with EmailInProgressError; a retry finds it sent.
    for (const r of results) if (r.status === 'rejected') expect((r.reason as Error).name).toBe('EmailInProgressError');
    await Promise.all(
      Array.from({ length: 3 }, () => sendConfirmation(busEvent('ApplicationReceived', 'sparraus.intake', detail) as never)),
    );
    expect(await readInbox({ to: email })).toHaveLength(1);
  });

  it('refuses an event whose detail breaks the contract, so that it is retried and dead-lettered rather than dropped', async () => {
    await expect(
      sendConfirmation(busEvent('ApplicationReceived', 'sparraus.intake', { applicationId: 'x' }) as never),
    ).rejects.toThrow();
  });
});

describe('opening rounds on schedule', () => {
  it('publishes RoundOpened once per round, however often the schedule fires', async () => {
    const round = await openRound({ opensAt: new Date(Date.now() + 2 * hour).toISOString() });
    const opened = () =>
      bus
        .publishedEvents()
        .filter((e) => e['detail-type'] === 'RoundOpened' && detailOf<{ roundId: string }>(e).roundId === round.roundId);

    await openDueRounds({} as never);
    await settled();
    expect(opened()).toHaveLength(0);

    advanceClock(3 * hour);
    try {
      await Promise.all([openDueRounds({} as never), openDueRounds({} as never)]);
      await openDueRounds({} as never);
      await settled();
    } finally {
      resetClock();
    }
    expect(opened()).toHaveLength(1);
    expect(detailOf(opened()[0]!)).toMatchObject({ roundId: round.roundId });
  });
});
