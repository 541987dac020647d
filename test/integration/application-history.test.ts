// The outbox for intake and selection against DynamoDB Local: each command's events are written in the
// transaction of its change, so the history shows exactly what happened, in order, with who did it; a
// retried command that changes nothing writes no second event; and the relay puts each stored event
// on the bus once, with its stored id.
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { handler as applicationHistory } from '../../functions/history/handlers/application-history.js';
import { handler as roundHistory } from '../../functions/history/handlers/round-history.js';
import { handler as apply } from '../../functions/intake/handlers/apply.js';
import { handler as createRound } from '../../functions/intake/handlers/create-round.js';
import { handler as getApplication } from '../../functions/intake/handlers/get-application.js';
import { handler as openDueRounds } from '../../functions/intake/handlers/open-due-rounds.js';
import { intakePorts } from '../../functions/intake/composition.js';
import { handler as completeRound } from '../../functions/selection/handlers/complete-round.js';
import { handler as select } from '../../functions/selection/handlers/select.js';
import { handler as selectDueRounds } from '../../functions/selection/handlers/select-due-rounds.js';
import { handler as withdraw } from '../../functions/selection/handlers/withdraw.js';
import { advanceClock, now, resetClock } from '../../functions/shared/clock.js';
import { unwrapEvent } from '../../functions/shared/events.js';
import { event } from '../../functions/shared/outbox.js';
import { countItems, startHarness, type Harness } from '../support/harness.js';
import { callRoute, coordinatorClaims } from '../support/invoke.js';

let harness: Harness;
const coordinatorEmail = 'kaisa@example.fi';
const coordinator = coordinatorClaims(coordinatorEmail);
const hour = 3600_000;
const unique = () => Math.random().toString(36).slice(2, 10);

interface Entry {
  eventId: string;
  type: string;
  at: string;
  by: { role: string; email?: string };
  detail: Record<string, unknown>;
}

beforeAll(async () => {
  harness = await startHarness('app-history', { retry: { attempts: 3, baseDelayMs: 5 } });
});

afterEach(() => resetClock());

afterAll(async () => {
  await harness?.stop();
});

async function newRound(overrides: Record<string, unknown> = {}): Promise<string> {
  const round = await callRoute(createRound, 'POST /rounds', {
    claims: coordinator,
    body: {
      name: `Kevät ${unique()}`,
      region: '01',
      places: 1,
      opensAt: new Date(Date.now() - hour).toISOString(),
      closesAt: new Date(Date.now() + 24 * hour).toISOString(),
      languages: ['fi'],
      ...overrides,
    },
  });
  expect(round.status).toBe(201);
  return round.body.roundId;
}

const applicationBody = (code: string, email = `kunta-${unique()}@example.fi`) => ({
  municipality: { code, name: `Kunta ${code}` },
  contact: { name: 'Maija Meikäläinen', email },
  language: 'fi',
  themes: ['etätuki'],
  consent: true,
});

async function applyTo(roundId: string, code: string, email?: string) {
  const applied = await callRoute(apply, 'POST /rounds/{roundId}/applications', {
    path: { roundId },
    body: applicationBody(code, email),
  });
  expect([200, 201]).toContain(applied.status);
  return {
    status: applied.status,
    applicationId: applied.body.applicationId as string,
    // A repeat answers without the link (it carries the secret only once).
    token: applied.body.statusUrl ? (new URL(applied.body.statusUrl).searchParams.get('token') ?? '') : '',
  };
}

async function historyOf(kind: 'application' | 'round', id: string): Promise<Entry[]> {
  const answer =
    kind === 'application'
      ? await callRoute(applicationHistory, 'GET /applications/{applicationId}/history', {
          claims: coordinator,
          path: { applicationId: id },
          query: { limit: '500' },
        })
      : await callRoute(roundHistory, 'GET /rounds/{roundId}/history', {
          claims: coordinator,
          path: { roundId: id },
          query: { limit: '500' },
        });
  expect(answer.status).toBe(200);
  expect(answer.body.next).toBeUndefined();
  return answer.body.events as Entry[];
}

const types = (entries: Entry[]) => entries.map((e) => e.type);
const selectNow = (roundId: string) =>
  callRoute(select, 'POST /rounds/{roundId}/selection', {
    claims: coordinator,
    path: { roundId },
    body: { policy: 'first-come', force: true },
  });

describe('an application’s history, written by the commands themselves', () => {
  it('received → accepted → withdrawn: exactly those events, in order, each with who did it', async () => {
    const roundId = await newRound({ places: 1 });
    const applicant = await applyTo(roundId, '091');
    const other = await applyTo(roundId, '092');
    await harness.settled();

    const selected = await selectNow(roundId);
    expect(selected.status).toBe(200);
    await harness.settled();
    const withdrawn = await callRoute(withdraw, 'POST /applications/{applicationId}/withdraw', {
      path: { applicationId: applicant.applicationId },
      query: { token: applicant.token },
    });
    expect(withdrawn.status).toBe(200);
    await harness.settled();

    const entries = await historyOf('application', applicant.applicationId);
    expect(entries.map((e) => [e.type, e.by])).toEqual([
      ['ApplicationReceived', { role: 'public' }],
      ['ApplicationAccepted', { role: 'coordinator', email: coordinatorEmail }],
      ['ApplicationWithdrawn', { role: 'public' }],
    ]);
    expect(entries.map((e) => e.at)).toEqual([...entries.map((e) => e.at)].sort());
    expect(entries[0]!.detail).toMatchObject({ applicationId: applicant.applicationId, roundId, municipalityCode: '091' });
    expect(entries[1]!.detail).toEqual({ applicationId: applicant.applicationId, roundId, via: 'selection' });
    expect(entries[2]!.detail).toEqual({
      applicationId: applicant.applicationId,
      roundId,
      previousStatus: 'accepted',
      by: 'applicant',
    });

    // The waitlisted one got the freed place: its offer was written by the PlaceFreed handler, as the system.
    expect((await historyOf('application', other.applicationId)).map((e) => [e.type, e.by.role])).toEqual([
      ['ApplicationReceived', 'public'],
      ['ApplicationWaitlisted', 'coordinator'],
      ['PlaceOffered', 'system'],
    ]);
    // The round's history, in the order things were written: the decisions, then the selection's end
    // (once), then the withdrawal with its freed place (once, in one transaction), then the offer.
    // It holds the engagement's events too (tutoring opens one for the accepted municipality, finds no
    // tutor, and closes it on withdrawal), interleaved as their handlers ran: checked once each below.
    const all = types(await historyOf('round', roundId));
    const engagementEvents = ['EngagementLeftUnassigned', 'EngagementWithdrawn'];
    expect(all.filter((t) => engagementEvents.includes(t)).sort()).toEqual(engagementEvents);
    const round = all.filter((t) => !engagementEvents.includes(t));
    expect(round.slice(0, 2)).toEqual(['ApplicationReceived', 'ApplicationReceived']);
    expect([...round.slice(2, 4)].sort()).toEqual(['ApplicationAccepted', 'ApplicationWaitlisted']);
    expect(round.slice(4)).toEqual(['SelectionCompleted', 'ApplicationWithdrawn', 'PlaceFreed', 'PlaceOffered']);

    // Each stored event reached the bus once, under its stored id.
    const relayed = harness.bus.publishedEvents().map((e) => unwrapEvent(e as never).eventId);
    for (const { eventId } of entries) expect(relayed.filter((id) => id === eventId)).toHaveLength(1);
  });

  it('the application and its ApplicationReceived are written together; a refused apply writes neither', async () => {
    const roundId = await newRound();
    const applicant = await applyTo(roundId, '049');
    expect(applicant.status).toBe(201);
    const stored = await intakePorts().applications.get(applicant.applicationId);
    expect(stored).toMatchObject({ applicationId: applicant.applicationId, status: 'received' });
    const [received] = await historyOf('application', applicant.applicationId);
    expect(received).toMatchObject({
      type: 'ApplicationReceived',
      at: stored!.receivedAt,
      detail: { applicationId: applicant.applicationId, roundId, receivedAt: stored!.receivedAt, language: 'fi' },
    });

    const closed = await newRound({
      opensAt: new Date(Date.now() + 24 * hour).toISOString(),
      closesAt: new Date(Date.now() + 48 * hour).toISOString(),
    });
    await harness.settled();
    const before = await countItems(harness.tableName);
    const refused = await callRoute(apply, 'POST /rounds/{roundId}/applications', {
      path: { roundId: closed },
      body: applicationBody('049'),
    });
    expect(refused.status).toBe(409);
    expect(await countItems(harness.tableName)).toBe(before);
    expect(await historyOf('round', closed)).toEqual([]);
  });
});

describe('a command retried after it succeeded writes no second event', () => {
  it('applying again, selecting again, withdrawing again and completing again', async () => {
    const roundId = await newRound({ places: 1 });
    const email = `kunta-${unique()}@example.fi`;
    const first = await applyTo(roundId, '091', email);
    const again = await Promise.all([applyTo(roundId, '091', email), applyTo(roundId, '091')]);
    expect(first.status).toBe(201);
    expect(again.map((a) => [a.status, a.applicationId])).toEqual([
      [200, first.applicationId],
      [200, first.applicationId],
    ]);
    await harness.settled();
    expect(types(await historyOf('application', first.applicationId))).toEqual(['ApplicationReceived']);

    expect((await selectNow(roundId)).status).toBe(200);
    expect((await selectNow(roundId)).status).toBe(200);
    await selectDueRounds({} as never);
    await harness.settled();
    expect(types(await historyOf('application', first.applicationId))).toEqual(['ApplicationReceived', 'ApplicationAccepted']);

    const withdrawOnce = () =>
      callRoute(withdraw, 'POST /applications/{applicationId}/withdraw', {
        path: { applicationId: first.applicationId },
        query: { token: first.token },
      });
    expect((await withdrawOnce()).status).toBe(200);
    const twice = await withdrawOnce();
    expect(twice.status).toBe(409);
    expect(twice.body.error.code).toBe('already_withdrawn');

    const complete = () =>
      callRoute(completeRound, 'POST /rounds/{roundId}/complete', { claims: coordinator, path: { roundId } });
    expect((await complete()).status).toBe(200);
    expect((await complete()).status).toBe(200);
    await harness.settled();

    expect(types(await historyOf('application', first.applicationId))).toEqual([
      'ApplicationReceived',
      'ApplicationAccepted',
      'ApplicationWithdrawn',
    ]);
    const round = types(await historyOf('round', roundId));
    for (const once of ['SelectionCompleted', 'PlaceFreed', 'RoundCompleted']) {
      expect(
        round.filter((t) => t === once),
        once,
      ).toHaveLength(1);
    }
    const completedOnBus = harness.bus
      .publishedEvents()
      .filter((e) => e['detail-type'] === 'RoundCompleted' && JSON.stringify(e.detail).includes(roundId));
    expect(completedOnBus).toHaveLength(1);
  });

  it('a round opens once however many schedule runs race; RoundOpened is on record once', async () => {
    const roundId = await newRound({
      opensAt: new Date(Date.now() + hour).toISOString(),
      closesAt: new Date(Date.now() + 48 * hour).toISOString(),
    });
    await openDueRounds({} as never);
    expect(await historyOf('round', roundId)).toEqual([]);
    advanceClock(2 * hour);
    await Promise.all([openDueRounds({} as never), openDueRounds({} as never), openDueRounds({} as never)]);
    await openDueRounds({} as never);
    await harness.settled();
    const entries = await historyOf('round', roundId);
    expect(entries.map((e) => [e.type, e.by])).toEqual([['RoundOpened', { role: 'system' }]]);
    expect((await intakePorts().rounds.get(roundId))!.openedAt).toEqual(entries[0]!.at);
  });

  it('a selection that crashed half-way is finished without announcing its earlier decisions again', async () => {
    const roundId = await newRound({ places: 2 });
    const applicants = [];
    for (const code of ['101', '102', '103']) {
      applicants.push(await applyTo(roundId, code));
      advanceClock(1000); // distinct arrival times; the clock stays ahead until the test ends
    }
    await harness.settled();
    // The crashed run: its selection on record, one decision made (with its event), then nothing.
    const startedAt = now().toISOString();
    expect(
      await intakePorts().rounds.claimSelection(roundId, { policy: 'first-come', startedAt, by: coordinatorEmail }, now()),
    ).toBe(true);
    const first = (await intakePorts().applications.get(applicants[0]!.applicationId))!;
    expect(
      await intakePorts().applications.accept(first, startedAt, [
        event('ApplicationAccepted', { applicationId: first.applicationId, roundId, via: 'selection' }),
      ]),
    ).toBe('accepted');

    await selectDueRounds({} as never); // the schedule finishes it
    await harness.settled();
    const decisions = await Promise.all(
      applicants.map(async (a) => types(await historyOf('application', a.applicationId)).slice(1)),
    );
    expect(decisions).toEqual([['ApplicationAccepted'], ['ApplicationAccepted'], ['ApplicationWaitlisted']]);
    const round = await historyOf('round', roundId);
    const completed = round.filter((e) => e.type === 'SelectionCompleted');
    expect(completed.map((e) => e.detail)).toEqual([{ roundId, policy: 'first-come', accepted: 2, waitlisted: 1 }]);

    const statuses = await Promise.all(
      applicants.map(
        async (a) =>
          (
            await callRoute(getApplication, 'GET /applications/{applicationId}', {
              path: { applicationId: a.applicationId },
              query: { token: a.token },
            })
          ).body.status,
      ),
    );
    expect(statuses).toEqual(['accepted', 'accepted', 'waitlisted']);
  });
});
