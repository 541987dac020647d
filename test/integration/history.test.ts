// The audit trail against DynamoDB Local: event items written with eventParts in a transaction come back
// through the four history routes in order, each once, paged without gaps, to the roles that may see them.
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { handler as applicationHistory } from '../../functions/history/handlers/application-history.js';
import { handler as engagementHistory } from '../../functions/history/handlers/engagement-history.js';
import { handler as roundHistory } from '../../functions/history/handlers/round-history.js';
import { handler as webinarHistory } from '../../functions/history/handlers/webinar-history.js';
import { handler as apply } from '../../functions/intake/handlers/apply.js';
import { handler as createRound } from '../../functions/intake/handlers/create-round.js';
import { withActor } from '../../functions/shared/actor.js';
import { withCorrelation } from '../../functions/shared/correlation.js';
import { event, eventParts, type PendingEvent } from '../../functions/shared/outbox.js';
import { transact } from '../../functions/shared/transactions.js';
import { handler as createTutor } from '../../functions/tutoring/handlers/create-tutor.js';
import { DynamoEngagementStore } from '../../functions/stores/engagements.js';
import { config } from '../../functions/shared/config.js';
import { handler as createWebinar } from '../../functions/webinar/handlers/create-webinar.js';
import type { Actor } from '../../schemas/events/stored.js';
import { startHarness, type Harness } from '../support/harness.js';
import { callRoute, coordinatorClaims } from '../support/invoke.js';

let harness: Harness;
const coordinator = coordinatorClaims('kaisa@example.fi');
const tutorClaims = (email: string) => ({
  sub: `sub-${email}`,
  email,
  email_verified: 'true',
  'cognito:groups': '[tutors]',
  token_use: 'id',
});
const unique = () => Math.random().toString(36).slice(2, 10);
const hour = 3600_000;

beforeAll(async () => {
  harness = await startHarness('history');
});

afterAll(async () => {
  await harness?.stop();
});

/** Writes the events in one transaction, as a command would, as `by`, at `at`. */
async function record(events: PendingEvent[], by: Actor, at: string, correlationId: string = randomUUID()) {
  await withCorrelation(correlationId, () => withActor(by, () => transact(eventParts(events, { at }))));
}

async function newRound(): Promise<string> {
  const round = await callRoute(createRound, 'POST /rounds', {
    claims: coordinator,
    body: {
      name: `Kevät ${unique()}`,
      region: '01',
      places: 2,
      opensAt: new Date(Date.now() - hour).toISOString(),
      closesAt: new Date(Date.now() + 24 * hour).toISOString(),
      languages: ['fi'],
    },
  });
  expect(round.status).toBe(201);
  return round.body.roundId;
}

async function newApplication(roundId: string, code = '091'): Promise<string> {
  const applied = await callRoute(apply, 'POST /rounds/{roundId}/applications', {
    path: { roundId },
    body: {
      municipality: { code, name: `Kunta ${code}` },
      contact: { name: 'Maija Meikäläinen', email: `maija-${unique()}@example.fi` },
      language: 'fi',
      themes: ['etätuki'],
      consent: true,
    },
  });
  expect(applied.status).toBe(201);
  return applied.body.applicationId;
}

const history =
  (handler: typeof roundHistory, routeKey: Parameters<typeof callRoute>[1]) =>
  (path: Record<string, string>, options: { query?: Record<string, string>; claims?: Record<string, unknown> | null } = {}) =>
    callRoute(handler, routeKey, {
      path,
      ...(options.query ? { query: options.query } : {}),
      ...(options.claims === null ? {} : { claims: options.claims ?? coordinator }),
    });
const ofRound = history(roundHistory, 'GET /rounds/{roundId}/history');
const ofApplication = history(applicationHistory, 'GET /applications/{applicationId}/history');
const ofWebinar = history(webinarHistory, 'GET /webinars/{webinarId}/history');
const ofEngagement = history(engagementHistory, 'GET /engagements/{engagementId}/history');

/** Every page of a history, following `next`. */
async function allPages(read: () => ReturnType<typeof ofRound>, next: (after: string) => ReturnType<typeof ofRound>) {
  const pages = [];
  let page = await read();
  for (;;) {
    expect(page.status).toBe(200);
    pages.push(page.body);
    if (!page.body.next) return pages;
    page = await next(page.body.next);
  }
}

describe('history', () => {
  it('lists an application’s events oldest first with when, who and the correlation id, each once', async () => {
    const roundId = await newRound();
    const applicationId = await newApplication(roundId);
    const t0 = Date.parse('2027-01-10T08:00:00.000Z');
    const at = (minutes: number) => new Date(t0 + minutes * 60_000).toISOString();
    // Written out of order in time: the history sorts by when things happened.
    await record(
      [event('ApplicationAccepted', { applicationId, roundId, via: 'selection' })],
      { role: 'coordinator', email: 'kaisa@example.fi' },
      at(10),
      'select-1',
    );
    await record(
      [event('ApplicationReceived', { applicationId, roundId, municipalityCode: '091', language: 'fi', receivedAt: at(0) })],
      { role: 'public' },
      at(0),
      'apply-1',
    );
    await record(
      [
        event('ApplicationWithdrawn', { applicationId, roundId, previousStatus: 'accepted', by: 'applicant' }),
        event('PlaceFreed', { roundId, reason: 'withdrawn' }),
      ],
      { role: 'public' },
      at(20),
      'withdraw-1',
    );

    const page = await ofApplication({ applicationId });
    expect(page.status).toBe(200);
    expect(page.body.next).toBeUndefined();
    const mine = page.body.events.filter((e: { at: string }) => e.at >= at(0));
    expect(
      mine.map((e: { type: string; at: string; by: unknown; correlationId: string }) => [e.type, e.at, e.by, e.correlationId]),
    ).toEqual([
      ['ApplicationReceived', at(0), { role: 'public' }, 'apply-1'],
      ['ApplicationAccepted', at(10), { role: 'coordinator', email: 'kaisa@example.fi' }, 'select-1'],
      ['ApplicationWithdrawn', at(20), { role: 'public' }, 'withdraw-1'],
    ]);
    expect(mine[2].detail).toEqual({ applicationId, roundId, previousStatus: 'accepted', by: 'applicant' });
    expect(new Set(page.body.events.map((e: { eventId: string }) => e.eventId)).size).toBe(page.body.events.length);

    // The round's history has the round's own event and its applications' events.
    const round = await ofRound({ roundId });
    expect(round.status).toBe(200);
    const types = round.body.events.filter((e: { at: string }) => e.at >= at(0)).map((e: { type: string }) => e.type);
    expect(types).toEqual(['ApplicationReceived', 'ApplicationAccepted', 'ApplicationWithdrawn', 'PlaceFreed']);
  });

  it('pages across many transactions with no duplicates and no gaps, for a subject and for the round', async () => {
    const roundId = await newRound();
    const applicationId = await newApplication(roundId, '049');
    const t0 = Date.parse('2027-02-01T08:00:00.000Z');
    const written: string[] = [];
    for (let tx = 0; tx < 9; tx++) {
      const at = new Date(t0 + tx * 1000).toISOString();
      // Three events per transaction at the same instant: their place in the transaction orders them.
      const events = [1, 2, 3].map((n) => event('ApplicationWaitlisted', { applicationId, roundId, position: tx * 3 + n }));
      await record(events, { role: 'system' }, at);
      written.push(...events.map((e) => String(e.detail.position)));
    }
    for (const [read, limit] of [
      [(q: Record<string, string>) => ofApplication({ applicationId }, { query: q }), '4'],
      [(q: Record<string, string>) => ofRound({ roundId }, { query: q }), '5'],
      [(q: Record<string, string>) => ofApplication({ applicationId }, { query: q }), '27'],
    ] as const) {
      const pages = await allPages(
        () => read({ limit }),
        (after) => read({ limit, after }),
      );
      for (const page of pages) expect(page.events.length).toBeLessThanOrEqual(Number(limit));
      const listed = pages
        .flatMap((p) => p.events)
        .filter((e: { type: string }) => e.type === 'ApplicationWaitlisted')
        .map((e: { detail: { position: number } }) => String(e.detail.position));
      expect(listed).toEqual(written);
      const ids = pages.flatMap((p) => p.events.map((e: { eventId: string }) => e.eventId));
      expect(new Set(ids).size).toBe(ids.length);
    }
    // A limit that takes everything: one page, no next.
    const whole = await ofApplication({ applicationId }, { query: { limit: '500' } });
    expect(whole.body.next).toBeUndefined();
  });

  it('refuses a bad cursor or limit (400 naming the field)', async () => {
    const roundId = await newRound();
    const badQueries: Record<string, string>[] = [
      { after: 'not-a-cursor!' },
      { after: Buffer.from('EVENT#x').toString('base64url') },
      { limit: '0' },
      { limit: '501' },
    ];
    for (const query of badQueries) {
      const answer = await ofRound({ roundId }, { query });
      expect(answer.status).toBe(400);
      expect(answer.body.error.issues.map((i: { path: string }) => i.path)).toEqual([Object.keys(query)[0]]);
    }
  });

  it('answers 401 without a token, 403 for the wrong role or another tutor, 404 for an unknown id', async () => {
    const roundId = await newRound();
    const applicationId = await newApplication(roundId, '092');
    const webinar = await callRoute(createWebinar, 'POST /rounds/{roundId}/webinars', {
      claims: coordinator,
      path: { roundId },
      body: {
        title: `Päätöswebinaari ${unique()}`,
        startsAt: new Date(Date.now() + 72 * hour).toISOString(),
        endsAt: new Date(Date.now() + 74 * hour).toISOString(),
        seats: 30,
        registrationClosesAt: new Date(Date.now() + 48 * hour).toISOString(),
        joinUrl: 'https://teams.example.fi/webinar',
        languages: ['fi'],
      },
    });
    expect(webinar.status).toBe(201);
    const webinarId: string = webinar.body.webinarId;
    const tutorEmail = `tuuli-${unique()}@example.fi`;
    const otherEmail = `toinen-${unique()}@example.fi`;
    const tutorIds: string[] = [];
    for (const email of [tutorEmail, otherEmail]) {
      const tutor = await callRoute(createTutor, 'POST /tutors', {
        claims: coordinator,
        body: { name: `Tutor ${unique()}`, email, languages: ['fi'], regions: [], maxActive: 5 },
      });
      expect(tutor.status).toBe(201);
      tutorIds.push(tutor.body.tutorId);
    }
    const engagementId = applicationId;
    const created = await new DynamoEngagementStore(config.tableName()).createEngagement({
      engagementId,
      applicationId,
      roundId,
      municipality: { code: '092', name: 'Vantaa' },
      language: 'fi',
      region: '01',
      themes: ['etätuki'],
      status: 'active',
      tutorId: tutorIds[0]!,
      assignments: 1,
      assignedAt: new Date().toISOString(),
      history: [],
      createdAt: new Date().toISOString(),
    });
    expect(created).toBe(true);
    await record(
      [event('TutorAssigned', { engagementId, applicationId, roundId, tutorId: tutorIds[0]!, assignment: 1, by: 'coordinator' })],
      { role: 'coordinator', email: 'kaisa@example.fi' },
      new Date().toISOString(),
    );
    await record(
      [event('WebinarCreated', { webinarId, roundId, startsAt: new Date().toISOString(), seats: 30 })],
      { role: 'coordinator', email: 'kaisa@example.fi' },
      new Date().toISOString(),
    );

    const routes = [
      [ofRound, { roundId }, { roundId: 'no-such-round' }],
      [ofApplication, { applicationId }, { applicationId: 'no-such-application' }],
      [ofWebinar, { webinarId }, { webinarId: 'no-such-webinar' }],
      [ofEngagement, { engagementId }, { engagementId: 'no-such-engagement' }],
    ] as const;
    for (const [read, known, unknown] of routes) {
      expect((await read(known, { claims: null })).status).toBe(401);
      expect((await read(known)).status).toBe(200);
      expect((await read(unknown)).status).toBe(404);
    }
    // The coordinator routes are not for tutors.
    for (const [read, known] of routes.slice(0, 3))
      expect((await read(known, { claims: tutorClaims(tutorEmail) })).status).toBe(403);

    // The engagement's tutor sees its history; another tutor and someone off the roster do not.
    const own = await ofEngagement({ engagementId }, { claims: tutorClaims(tutorEmail) });
    expect(own.status).toBe(200);
    expect(own.body.events.map((e: { type: string }) => e.type)).toEqual(['TutorAssigned']);
    expect((await ofEngagement({ engagementId }, { claims: tutorClaims(otherEmail) })).status).toBe(403);
    expect((await ofEngagement({ engagementId }, { claims: tutorClaims(`nobody-${unique()}@example.fi`) })).status).toBe(403);

    const webinarEvents = await ofWebinar({ webinarId });
    expect(webinarEvents.body.events.map((e: { type: string }) => e.type)).toContain('WebinarCreated');
    // The round's history lists its engagement's and webinar's events too.
    const roundTypes = (await ofRound({ roundId })).body.events.map((e: { type: string }) => e.type);
    expect(roundTypes).toEqual(expect.arrayContaining(['TutorAssigned', 'WebinarCreated']));
  });
});
