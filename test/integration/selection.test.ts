// Selection, the waiting list, offers and carry-over against DynamoDB Local, the SES server and the local bus.
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { handler as apply } from '../../functions/intake/handlers/apply.js';
import { handler as createRound } from '../../functions/intake/handlers/create-round.js';
import { handler as getApplication } from '../../functions/intake/handlers/get-application.js';
import { handler as getRound } from '../../functions/intake/handlers/get-round.js';
import { handler as openDueRounds } from '../../functions/intake/handlers/open-due-rounds.js';
import { handler as updateRound } from '../../functions/intake/handlers/update-round.js';
import { handler as answerOffer } from '../../functions/selection/handlers/answer-offer.js';
import { handler as completeRound } from '../../functions/selection/handlers/complete-round.js';
import { handler as expireOffers } from '../../functions/selection/handlers/expire-offers.js';
import { handler as listApplications } from '../../functions/selection/handlers/list-applications.js';
import { handler as select } from '../../functions/selection/handlers/select.js';
import { handler as selectDueRounds } from '../../functions/selection/handlers/select-due-rounds.js';
import { handler as withdraw } from '../../functions/selection/handlers/withdraw.js';
import { advanceClock, resetClock } from '../../functions/shared/clock.js';
import { unwrapEvent } from '../../functions/shared/events.js';
import type { BusEvent, LocalEventBus } from '../../local/event-bus.js';
import { readInbox, type InboxEmail } from '../../local/testing.js';
import { startHarness, type Harness } from '../support/harness.js';
import { callRoute, coordinatorClaims } from '../support/invoke.js';
import { eventRules } from '../../infra/wiring.js';
import { defaultLoadHandler } from '../../local/handlers.js';

let bus: LocalEventBus;
let settled: () => Promise<void>;
let harness: Harness;
const hour = 3600_000;
const coordinator = coordinatorClaims();
const unique = () => Math.random().toString(36).slice(2, 10);
const languages = ['fi', 'sv', 'en'] as const;

beforeAll(async () => {
  harness = await startHarness('selection', { retry: { attempts: 4, baseDelayMs: 5 } });
  bus = harness.bus;
  settled = harness.settled;
});

afterEach(() => resetClock());

afterAll(async () => {
  await harness?.stop();
});

interface Applicant {
  applicationId: string;
  token: string;
  email: string;
  language: (typeof languages)[number];
  code: string;
}

async function roundWithApplicants(count: number, options: { places?: number; extra?: Record<string, unknown> } = {}) {
  const created = await callRoute(createRound, 'POST /rounds', {
    claims: coordinator,
    body: {
      name: `Kierros ${unique()}`,
      region: '01',
      places: options.places ?? 5,
      opensAt: new Date(Date.now() - hour).toISOString(),
      closesAt: new Date(Date.now() + 7 * 24 * hour).toISOString(),
      languages: ['fi', 'sv', 'en'],
      ...options.extra,
    },
  });
  expect(created.status).toBe(201);
  const roundId: string = created.body.roundId;
  const applicants: Applicant[] = [];
  for (let i = 0; i < count; i++) {
    const language = languages[i % 3]!;
    const email = `kunta${i}-${unique()}@example.fi`;
    const code = String(100 + i).padStart(3, '0');
    const response = await callRoute(apply, 'POST /rounds/{roundId}/applications', {
      path: { roundId },
      body: {
        municipality: { code, name: `Kunta ${i}` },
        contact: { name: `Yhteys ${i}`, email },
        language,
        themes: ['etätuki'],
        consent: true,
      },
    });
    expect(response.status).toBe(201);
    applicants.push({
      applicationId: response.body.applicationId,
      token: new URL(response.body.statusUrl).searchParams.get('token')!,
      email,
      language,
      code,
    });
    advanceClock(1000); // distinct arrival times make first-come order observable
  }
  resetClock();
  await settled();
  return { roundId, applicants };
}

const selectNow = (roundId: string, body: Record<string, unknown> = { policy: 'first-come', force: true }) =>
  callRoute(select, 'POST /rounds/{roundId}/selection', { claims: coordinator, path: { roundId }, body });

const statusOf = async (a: Applicant) =>
  (
    await callRoute(getApplication, 'GET /applications/{applicationId}', {
      path: { applicationId: a.applicationId },
      query: { token: a.token },
    })
  ).body;

const roundOf = async (roundId: string) => (await callRoute(getRound, 'GET /rounds/{roundId}', { path: { roundId } })).body;

async function mails(a: Applicant): Promise<InboxEmail[]> {
  return readInbox({ to: a.email });
}

/** Subjects of the mails to `a`, without the application-received confirmation. */
async function selectionSubjects(a: Applicant): Promise<string[]> {
  return (await mails(a)).map((m) => m.subject).filter((s) => !/vastaanotettu|mottagen|received/i.test(s));
}

describe('selection', () => {
  it('seven applications, five places: five accepted, two waitlisted in order, one email each in its language', async () => {
    const { roundId, applicants } = await roundWithApplicants(7);
    const result = await selectNow(roundId);
    expect(result.status).toBe(200);
    expect(result.body).toMatchObject({ accepted: 5, waitlisted: 2, placesLeft: 0, policy: 'first-come' });
    await settled();

    const statuses = await Promise.all(applicants.map(statusOf));
    expect(statuses.map((s) => s.status)).toEqual([
      'accepted',
      'accepted',
      'accepted',
      'accepted',
      'accepted',
      'waitlisted',
      'waitlisted',
    ]);
    expect(statuses.slice(5).map((s) => s.position)).toEqual([1, 2]);

    const expected: Record<string, { accepted: RegExp; waitlisted: RegExp }> = {
      fi: { accepted: /on mukana/, waitlisted: /^Varasijalla/ },
      sv: { accepted: /är med/, waitlisted: /^På reservplats/ },
      en: { accepted: /has a place/, waitlisted: /^On the waiting list/ },
    };
    for (const [index, a] of applicants.entries()) {
      const subjects = await selectionSubjects(a);
      expect(subjects, a.email).toHaveLength(1);
      expect(subjects[0]).toMatch(expected[a.language]![index < 5 ? 'accepted' : 'waitlisted']);
    }
    const waitlistedMail = (await mails(applicants[6]!)).find((m) => /Varasijalla|reservplats|waiting list/.test(m.subject))!;
    expect(waitlistedMail.body.text).toMatch(/ 2\b/);

    const round = await roundOf(roundId);
    expect(round).toMatchObject({ status: 'selected', accepted: 5, placesLeft: 0 });
    expect(round.closesAt <= new Date().toISOString()).toBe(true); // force closed the window

    const listing = await callRoute(listApplications, 'GET /rounds/{roundId}/applications', {
      claims: coordinator,
      path: { roundId },
    });
    expect(listing.status).toBe(200);
    expect(
      listing.body.applications
        .filter((a: { status: string }) => a.status === 'waitlisted')
        .map((a: { position: number }) => a.position),
    ).toEqual([1, 2]);
    expect(listing.body.applications[0]).toMatchObject({
      contact: { email: applicants[0]!.email },
      acceptedAt: expect.any(String),
    });
  });

  it('running it again changes nothing; a different policy is a conflict; new applications are refused', async () => {
    const { roundId, applicants } = await roundWithApplicants(3, { places: 2 });
    await selectNow(roundId);
    await settled();
    const again = await selectNow(roundId);
    expect(again.status).toBe(200);
    expect(again.body).toMatchObject({ accepted: 2, waitlisted: 1 });
    await selectDueRounds({} as never);
    await settled();
    for (const a of applicants) expect(await selectionSubjects(a)).toHaveLength(1);

    const other = await selectNow(roundId, { policy: 'manual', accept: [applicants[2]!.applicationId], force: true });
    expect(other.status).toBe(409);
    expect(other.body.error.code).toBe('already_selected');

    const late = await callRoute(apply, 'POST /rounds/{roundId}/applications', {
      path: { roundId },
      body: {
        municipality: { code: '999', name: 'Myöhäinen' },
        contact: { name: 'M', email: `late-${unique()}@example.fi` },
        language: 'fi',
        themes: ['x'],
        consent: true,
      },
    });
    expect(late.status).toBe(409);
  });

  it('manual selection accepts the listed ones and waitlists the rest in order of arrival', async () => {
    const { roundId, applicants } = await roundWithApplicants(4, { places: 2 });
    const chosen = [applicants[3]!.applicationId, applicants[1]!.applicationId];
    const result = await selectNow(roundId, { policy: 'manual', accept: chosen, force: true });
    expect(result.status).toBe(200);
    await settled();
    const statuses = await Promise.all(applicants.map(statusOf));
    expect(statuses.map((s) => [s.status, s.position])).toEqual([
      ['waitlisted', 1],
      ['accepted', undefined],
      ['waitlisted', 2],
      ['accepted', undefined],
    ]);
  });

  it('the window closing selects first-come rounds by itself, at most once', async () => {
    const { roundId, applicants } = await roundWithApplicants(3, {
      places: 2,
      extra: { closesAt: new Date(Date.now() + hour).toISOString() },
    });
    await selectDueRounds({} as never);
    expect((await roundOf(roundId)).status).toBe('open');
    advanceClock(2 * hour);
    await Promise.all([selectDueRounds({} as never), selectDueRounds({} as never)]);
    await settled();
    expect((await roundOf(roundId)).status).toBe('selected');
    expect((await Promise.all(applicants.map(statusOf))).map((s) => s.status)).toEqual(['accepted', 'accepted', 'waitlisted']);
    for (const a of applicants) expect(await selectionSubjects(a)).toHaveLength(1);
  });

  it('bad input and wrong state get clear 4xx answers and change nothing', async () => {
    const { roundId, applicants } = await roundWithApplicants(3, { places: 2 });
    const early = await selectNow(roundId, { policy: 'first-come' });
    expect(early.status).toBe(409);
    expect(early.body.error.code).toBe('window_open');
    const badPolicy = await selectNow(roundId, { policy: 'lottery' });
    expect(badPolicy.status).toBe(400);
    expect(badPolicy.body.error.issues[0].path).toBe('policy');
    const tooMany = await selectNow(roundId, { policy: 'manual', accept: applicants.map((a) => a.applicationId), force: true });
    expect(tooMany.status).toBe(400);
    expect(tooMany.body.error.issues.map((i: { path: string }) => i.path)).toContain('accept');
    const unknown = await selectNow(roundId, { policy: 'manual', accept: ['nope'], force: true });
    expect(unknown.status).toBe(400);
    expect(unknown.body.error.issues[0].path).toBe('accept.0');
    expect((await roundOf(roundId)).status).toBe('open');
    expect((await statusOf(applicants[0]!)).status).toBe('received');
    const notFound = await selectNow('no-such-round');
    expect(notFound.status).toBe(404);
  });

  it('a round that has not closed can be changed; a selected one cannot', async () => {
    const { roundId } = await roundWithApplicants(1, { places: 2 });
    const changed = await callRoute(updateRound, 'PATCH /rounds/{roundId}', {
      claims: coordinator,
      path: { roundId },
      body: { places: 3, name: 'Uusi nimi' },
    });
    expect(changed.status).toBe(200);
    expect(changed.body).toMatchObject({ places: 3, name: 'Uusi nimi', placesLeft: 3 });
    const bad = await callRoute(updateRound, 'PATCH /rounds/{roundId}', {
      claims: coordinator,
      path: { roundId },
      body: { closesAt: '2000-01-01T00:00:00Z' },
    });
    expect(bad.status).toBe(400);
    await selectNow(roundId);
    const late = await callRoute(updateRound, 'PATCH /rounds/{roundId}', {
      claims: coordinator,
      path: { roundId },
      body: { places: 4 },
    });
    expect(late.status).toBe(409);
  });
});

describe('withdrawal and offers', () => {
  it('an accepted municipality withdraws → the first waitlisted gets an offer → confirming makes it accepted', async () => {
    const { roundId, applicants } = await roundWithApplicants(4, { places: 2 });
    await selectNow(roundId);
    await settled();
    const [first, , third, fourth] = applicants as [Applicant, Applicant, Applicant, Applicant];

    const withdrawn = await callRoute(withdraw, 'POST /applications/{applicationId}/withdraw', {
      path: { applicationId: first.applicationId },
      query: { token: first.token },
    });
    expect(withdrawn.status).toBe(200);
    expect(withdrawn.body.status).toBe('withdrawn');
    await settled();

    const offered = await statusOf(third);
    expect(offered).toMatchObject({ status: 'offered', offer: { kind: 'place', expiresAt: expect.any(String) } });
    expect((await statusOf(fourth)).position).toBe(1);
    expect(await selectionSubjects(third)).toEqual([
      expect.stringMatching(/varasijalla|reservplats|waiting list/i),
      expect.stringMatching(/free|vapautunut|ledig/i),
    ]);
    expect((await selectionSubjects(first)).at(-1)).toMatch(/peruttu|återkallad|withdrawn/i);
    expect(await roundOf(roundId)).toMatchObject({ accepted: 1, placesLeft: 0 });

    const confirmed = await callRoute(answerOffer, 'POST /applications/{applicationId}/offer', {
      path: { applicationId: third.applicationId },
      query: { token: third.token },
      body: { answer: 'accept' },
    });
    expect(confirmed.status).toBe(200);
    expect(confirmed.body.status).toBe('accepted');
    await settled();
    expect(await roundOf(roundId)).toMatchObject({ accepted: 2, placesLeft: 0 });
    expect((await selectionSubjects(third)).at(-1)).toMatch(/vahvistettu|bekräftad|confirmed/i);

    // Withdrawing twice, or with a wrong token, changes nothing.
    const twice = await callRoute(withdraw, 'POST /applications/{applicationId}/withdraw', {
      path: { applicationId: first.applicationId },
      query: { token: first.token },
    });
    expect(twice.status).toBe(409);
    expect(twice.body.error.code).toBe('already_withdrawn');
    const wrongToken = await callRoute(withdraw, 'POST /applications/{applicationId}/withdraw', {
      path: { applicationId: fourth.applicationId },
      query: { token: 'guess' },
    });
    expect(wrongToken.status).toBe(403);
    expect((await statusOf(fourth)).status).toBe('waitlisted');
  });

  it('a lapsed offer passes to the next; answering it afterwards is a 409', async () => {
    const { roundId, applicants } = await roundWithApplicants(4, { places: 2, extra: { offerHours: 24 } });
    await selectNow(roundId);
    await settled();
    const [first, , third, fourth] = applicants as [Applicant, Applicant, Applicant, Applicant];
    await callRoute(withdraw, 'POST /applications/{applicationId}/withdraw', {
      path: { applicationId: first.applicationId },
      query: { token: first.token },
    });
    await settled();
    expect((await statusOf(third)).status).toBe('offered');

    advanceClock(25 * hour);
    const late = await callRoute(answerOffer, 'POST /applications/{applicationId}/offer', {
      path: { applicationId: third.applicationId },
      query: { token: third.token },
      body: { answer: 'accept' },
    });
    expect(late.status).toBe(409);
    expect(late.body.error.code).toBe('offer_expired');

    await expireOffers({} as never);
    await expireOffers({} as never);
    await settled();
    expect((await statusOf(third)).status).toBe('declined');
    expect((await statusOf(fourth)).status).toBe('offered');
    expect((await selectionSubjects(third)).at(-1)).toMatch(/umpeutui|gick ut|expired/i);
    expect(await roundOf(roundId)).toMatchObject({ accepted: 1, placesLeft: 0 });

    const declined = await callRoute(answerOffer, 'POST /applications/{applicationId}/offer', {
      path: { applicationId: fourth.applicationId },
      query: { token: fourth.token },
      body: { answer: 'decline' },
    });
    expect(declined.status).toBe(200);
    expect(declined.body.status).toBe('declined');
    await settled();
    // Nobody is left waiting: the place stays free.
    expect(await roundOf(roundId)).toMatchObject({ accepted: 1, placesLeft: 1 });
    const noOffer = await callRoute(answerOffer, 'POST /applications/{applicationId}/offer', {
      path: { applicationId: fourth.applicationId },
      query: { token: fourth.token },
      body: { answer: 'accept' },
    });
    expect(noOffer.status).toBe(409);
    expect(noOffer.body.error.code).toBe('no_open_offer');
  });

  it('withdrawing without the link token (and without a coordinator bearer) is refused', async () => {
    const { roundId, applicants } = await roundWithApplicants(1, { places: 1 });
    await selectNow(roundId);
    const refused = await callRoute(withdraw, 'POST /applications/{applicationId}/withdraw', {
      path: { applicationId: applicants[0]!.applicationId },
    });
    expect(refused.status).toBe(403);
  });

  it('50 concurrent withdrawals and confirmations never leave more than the places accepted', async () => {
    const places = 10;
    const { roundId, applicants } = await roundWithApplicants(30, { places });
    await selectNow(roundId);
    await settled();
    // Withdraw 5 accepted ones at once; their places are offered to waitlisted ones.
    const accepted = applicants.slice(0, places);
    await Promise.all(
      accepted.slice(0, 5).map((a) =>
        callRoute(withdraw, 'POST /applications/{applicationId}/withdraw', {
          path: { applicationId: a.applicationId },
          query: { token: a.token },
        }),
      ),
    );
    await settled();
    const offered = (await Promise.all(applicants.map(async (a) => ({ a, s: await statusOf(a) })))).filter(
      (x) => x.s.status === 'offered',
    );
    expect(offered).toHaveLength(5);

    // Now, all at once: confirmations of the offers (twice each), withdrawals of accepted and
    // offered ones, and a second selection run.
    const calls: Promise<unknown>[] = [];
    for (const { a } of offered) {
      for (let i = 0; i < 4; i++) {
        calls.push(
          callRoute(answerOffer, 'POST /applications/{applicationId}/offer', {
            path: { applicationId: a.applicationId },
            query: { token: a.token },
            body: { answer: 'accept' },
          }),
        );
      }
    }
    for (const a of [...accepted.slice(5), ...offered.slice(0, 2).map((x) => x.a)]) {
      for (let i = 0; i < 4; i++) {
        calls.push(
          callRoute(withdraw, 'POST /applications/{applicationId}/withdraw', {
            path: { applicationId: a.applicationId },
            query: { token: a.token },
          }),
        );
      }
    }
    calls.push(selectNow(roundId), selectDueRounds({} as never), expireOffers({} as never));
    expect(calls.length).toBeGreaterThanOrEqual(50);
    const results = await Promise.allSettled(calls);
    const statuses = results.flatMap((r) =>
      r.status === 'fulfilled' && r.value && typeof r.value === 'object' && 'status' in r.value
        ? [(r.value as { status: number }).status]
        : [],
    );
    expect(statuses.every((s) => s < 500)).toBe(true);
    await settled();

    const all = await Promise.all(applicants.map(statusOf));
    const acceptedNow = all.filter((s) => s.status === 'accepted').length;
    const offeredNow = all.filter((s) => s.status === 'offered').length;
    const round = await roundOf(roundId);
    expect(acceptedNow).toBeLessThanOrEqual(places);
    expect(round.accepted).toBe(acceptedNow);
    expect(round.places - round.placesLeft).toBe(acceptedNow + offeredNow);
    expect(acceptedNow + offeredNow).toBeLessThanOrEqual(places);
    // The freed places went to the waiting list: the round is full again.
    expect(round.placesLeft).toBe(0);
  });
});

describe('delivered twice', () => {
  it('every selection event delivered again changes nothing and sends no second email', async () => {
    const { roundId, applicants } = await roundWithApplicants(4, { places: 2, extra: { offerHours: 24 } });
    await selectNow(roundId);
    await settled();
    await callRoute(withdraw, 'POST /applications/{applicationId}/withdraw', {
      path: { applicationId: applicants[0]!.applicationId },
      query: { token: applicants[0]!.token },
    });
    await settled();
    const before = await Promise.all(applicants.map(statusOf));
    const mailCounts = await Promise.all(applicants.map(async (a) => (await mails(a)).length));
    const round = await roundOf(roundId);

    const ours = bus
      .publishedEvents()
      .filter((e) => JSON.stringify(e.detail).includes(roundId) && e.source === 'sparraus.selection');
    expect(new Set(ours.map((e) => e['detail-type']))).toEqual(
      new Set([
        'ApplicationAccepted',
        'ApplicationWaitlisted',
        'SelectionCompleted',
        'ApplicationWithdrawn',
        'PlaceFreed',
        'PlaceOffered',
      ]),
    );
    await redeliver(ours);
    await settled();

    expect(await Promise.all(applicants.map(statusOf))).toEqual(before);
    expect(await Promise.all(applicants.map(async (a) => (await mails(a)).length))).toEqual(mailCounts);
    expect(await roundOf(roundId)).toEqual(round);
  });
});

describe('carry-over', () => {
  it('waitlisted municipalities that confirm appear first, in their old order, in the next round', async () => {
    const later = await callRoute(createRound, 'POST /rounds', {
      claims: coordinator,
      body: {
        name: `Syksy ${unique()}`,
        region: '01',
        places: 3,
        opensAt: new Date(Date.now() + 10 * 24 * hour).toISOString(),
        closesAt: new Date(Date.now() + 40 * 24 * hour).toISOString(),
        languages: ['fi', 'sv', 'en'],
      },
    });
    const nextRoundId: string = later.body.roundId;
    const { roundId, applicants } = await roundWithApplicants(5, { places: 2, extra: { nextRoundId, carryOverHours: 72 } });
    await selectNow(roundId);
    await settled();
    const [, , w1, w2, w3] = applicants as Applicant[];

    // The next round opens: the still-waitlisted are asked.
    advanceClock(10 * 24 * hour + 60_000);
    await openDueRounds({} as never);
    await settled();
    for (const a of [w1!, w2!, w3!]) {
      expect((await statusOf(a)).offer).toMatchObject({ kind: 'carry-over', nextRoundId });
      expect((await selectionSubjects(a)).at(-1)).toMatch(/seuraavalle kierrokselle|nästa omgång|next round/i);
    }

    // A new municipality applies to the next round before the carried-over ones answer.
    const fresh = await callRoute(apply, 'POST /rounds/{roundId}/applications', {
      path: { roundId: nextRoundId },
      body: {
        municipality: { code: '500', name: 'Uusi' },
        contact: { name: 'U', email: `new-${unique()}@example.fi` },
        language: 'fi',
        themes: ['x'],
        consent: true,
      },
    });
    expect(fresh.status).toBe(201);

    // w2 and w1 confirm (in that order), w3 lets it lapse.
    for (const a of [w2!, w1!]) {
      const answer = await callRoute(answerOffer, 'POST /applications/{applicationId}/offer', {
        path: { applicationId: a.applicationId },
        query: { token: a.token },
        body: { answer: 'accept' },
      });
      expect(answer.status).toBe(200);
      expect(answer.body).toMatchObject({ status: 'carried-over', carriedOverTo: { roundId: nextRoundId } });
    }
    advanceClock(73 * hour);
    await expireOffers({} as never);
    await settled();
    expect((await statusOf(w3!)).offer).toBeUndefined();

    // The next round's selection: carried-over first in their old order, then the new applicant.
    const selected = await selectNow(nextRoundId);
    expect(selected.body).toMatchObject({ accepted: 3, waitlisted: 0 });
    const listing = await callRoute(listApplications, 'GET /rounds/{roundId}/applications', {
      claims: coordinator,
      path: { roundId: nextRoundId },
    });
    const byCode = new Map(listing.body.applications.map((a: { municipality: { code: string } }) => [a.municipality.code, a]));
    expect(byCode.get(w1!.code)).toMatchObject({ status: 'accepted', priority: 1, carriedOverFrom: { roundId } });
    expect(byCode.get(w2!.code)).toMatchObject({ status: 'accepted', priority: 2 });
    expect(byCode.has(w3!.code)).toBe(false);

    // Carried-over applicants got a confirmation for the new round, with a new status link; nothing retyped.
    await settled();
    const newApplicationId = (byCode.get(w1!.code) as { applicationId: string }).applicationId;
    const received = (await mails(w1!)).filter((m) => /vastaanotettu|mottagen|received/i.test(m.subject));
    expect(received).toHaveLength(2);
    expect(received[1]!.body.text).toContain(newApplicationId);
    expect((await mails(w1!)).at(-1)!.subject).toMatch(/has a place|on mukana|är med/);
  });

  it('carry-over on completion: completing the round asks the waitlisted', async () => {
    const later = await callRoute(createRound, 'POST /rounds', {
      claims: coordinator,
      body: {
        name: `Seuraava ${unique()}`,
        region: '01',
        places: 3,
        opensAt: new Date(Date.now() + 24 * hour).toISOString(),
        closesAt: new Date(Date.now() + 30 * 24 * hour).toISOString(),
        languages: ['fi'],
      },
    });
    const { roundId, applicants } = await roundWithApplicants(2, {
      places: 1,
      extra: { nextRoundId: later.body.roundId, carryOverWhen: 'round-completes' },
    });
    await selectNow(roundId);
    await settled();
    const completed = await callRoute(completeRound, 'POST /rounds/{roundId}/complete', {
      claims: coordinator,
      path: { roundId },
    });
    expect(completed.status).toBe(200);
    expect(completed.body.status).toBe('completed');
    await settled();
    expect((await statusOf(applicants[1]!)).offer).toMatchObject({ kind: 'carry-over' });
  });
});

async function redeliver(events: BusEvent[]): Promise<void> {
  const rules = Object.values(eventRules).filter((rule) =>
    events.some((e) => (rule.pattern['detail-type'] as readonly string[]).includes(e['detail-type'])),
  );
  for (const event of events) {
    for (const rule of rules) {
      if (!(rule.pattern['detail-type'] as readonly string[]).includes(event['detail-type'])) continue;
      const handler = (await defaultLoadHandler(rule.handler)) as (event: BusEvent) => Promise<void>;
      await handler(event);
    }
  }
}

describe('correlation', () => {
  it('a request id follows the request through the events it causes, also those of downstream handlers', async () => {
    const { roundId, applicants } = await roundWithApplicants(3, { places: 2 });
    await selectNow(roundId);
    await settled();
    const correlationId = `corr-${unique()}`;
    const response = await callRoute(withdraw, 'POST /applications/{applicationId}/withdraw', {
      path: { applicationId: applicants[0]!.applicationId },
      query: { token: applicants[0]!.token },
      headers: { 'x-correlation-id': correlationId },
    });
    expect(response.headers['x-correlation-id']).toBe(correlationId);
    await settled();
    const traced = bus
      .publishedEvents()
      .filter((e) => unwrapEvent(e as never).correlationId === correlationId)
      .map((e) => e['detail-type']);
    // ApplicationWithdrawn and PlaceFreed from the request; PlaceOffered from the handler of PlaceFreed.
    expect(traced).toEqual(expect.arrayContaining(['ApplicationWithdrawn', 'PlaceFreed', 'PlaceOffered']));
    expect(bus.publishedEvents().filter((e) => e['detail-type'] === 'PlaceOffered').length).toBeGreaterThan(0);
  });
});
