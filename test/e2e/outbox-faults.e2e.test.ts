// The outbox under faults (issue: events commit with the state), through POST /dev/faults on the whole
// local stack: while the bus refuses PutEvents, commands still answer 2xx, because they only write to
// the table; once the fault clears, every consequence follows, once. DynamoDB failing a share of its
// calls leaves no half-written application; SES refusing for good leaves a failed record, not a gap.
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { ApiClient, pool } from '../../bench/http.js';
import type { LocalStack } from '../../local/stack.js';
import { startTestStack } from '../support/harness.js';
import { readInbox } from '../../local/testing.js';

let stack: LocalStack;
let api: ApiClient;
let coordinator: string;
const unique = () => Math.random().toString(36).slice(2, 10);
const day = 24 * 3_600_000;

const busRefuses = () => api.expect([200], 'POST', '/dev/faults', { json: [{ service: 'events', operation: 'PutEvents' }] });
const faultsCleared = async () => {
  await api.expect([200], 'DELETE', '/dev/faults');
  const clock = await api.expect<{ undelivered?: unknown }>([200], 'POST', '/dev/clock', { json: { advanceBy: 'PT1S' } });
  expect(clock.undelivered).toBeUndefined();
};
const inbox = (to: string) => readInbox({ to });
const subjects = async (to: string) => (await inbox(to)).map((m) => m.subject);

interface Application {
  applicationId: string;
  status: string;
  statusUrl?: string;
}

/** A round with `places` places, its applicants applied (one per address), selected first-come. */
async function selectedRound(places: number, applicants: number) {
  const now = await api.now();
  const { roundId } = await api.expect<{ roundId: string }>([201], 'POST', '/rounds', {
    token: coordinator,
    json: {
      name: `Outbox ${unique()}`,
      region: '01',
      places,
      opensAt: new Date(now - 3_600_000).toISOString(),
      closesAt: new Date(now + 14 * day).toISOString(),
      languages: ['fi'],
    },
  });
  const contacts = Array.from({ length: applicants }, (_, i) => `outbox-${i}-${unique()}@example.fi`);
  const applications: (Application & { email: string; token: string })[] = [];
  for (const [i, email] of contacts.entries()) {
    const answer = await api.expect<Application>([201], 'POST', `/rounds/${roundId}/applications`, {
      json: {
        municipality: { code: String(100 + i), name: `Kunta ${i}` },
        contact: { name: `Yhteyshenkilö ${i}`, email },
        language: 'fi',
        themes: ['etäasiointi'],
        consent: true,
      },
    });
    applications.push({ ...answer, email, token: new URL(answer.statusUrl!).searchParams.get('token')! });
  }
  await api.expect([200], 'POST', `/rounds/${roundId}/selection`, { token: coordinator, json: { policy: 'first-come', force: true } });
  await stack.settled();
  return { roundId, applications };
}

const status = async (a: { applicationId: string; token: string }) =>
  (await api.expect<{ status: string; tutor?: unknown }>([200], 'GET', `/applications/${a.applicationId}?token=${a.token}`));

async function engagementsOf(roundId: string) {
  return (
    await api.expect<{ engagements: { engagementId: string; applicationId: string; status: string; tutor?: { tutorId: string } }[] }>(
      [200],
      'GET',
      `/rounds/${roundId}/engagements`,
      { token: coordinator },
    )
  ).engagements;
}

beforeAll(async () => {
  stack = await startTestStack('outbox-faults');
  api = new ApiClient(stack.apiUrl);
  coordinator = await api.token('coordinator', `kaisa-${unique()}@example.fi`);
  // A tutor for region 01, so that accepted municipalities get one.
  await api.expect([201], 'POST', '/tutors', {
    token: coordinator,
    json: { name: 'Tuula Tutor', email: `tuula-${unique()}@example.fi`, languages: ['fi'], regions: ['01'], maxActive: 50 },
  });
}, 120_000);

afterEach(async () => {
  await api.call('DELETE', '/dev/faults');
});

afterAll(async () => {
  await stack?.stop();
});

describe('the bus refusing PutEvents', () => {
  it('a withdrawal answers 2xx; once the bus is back the engagement closes and the waiting list is offered the place, once', async () => {
    const { roundId, applications } = await selectedRound(1, 2);
    const [accepted, waitlisted] = applications;
    expect((await status(accepted!)).status).toBe('accepted');
    expect((await engagementsOf(roundId)).map((e) => e.status)).toEqual(['active']);

    await busRefuses();
    const answer = await api.call('POST', `/applications/${accepted!.applicationId}/withdraw?token=${accepted!.token}`);
    expect(answer.status).toBeLessThan(300);
    expect(answer.status).toBeGreaterThanOrEqual(200);
    await faultsCleared();

    expect((await engagementsOf(roundId)).map((e) => e.status)).toEqual(['withdrawn']);
    const offers = (await subjects(waitlisted!.email)).filter((s) => /paikka|place/i.test(s));
    expect(offers.length).toBe(1);
    // The retry the client might send changes nothing and mails nobody again.
    expect((await api.call('POST', `/applications/${accepted!.applicationId}/withdraw?token=${accepted!.token}`)).status).toBe(409);
    await stack.settled();
    expect((await subjects(waitlisted!.email)).filter((s) => /paikka|place/i.test(s))).toHaveLength(1);
  });

  it('an accepted offer answers 2xx; once the bus is back the municipality has its engagement, tutor and email, once', async () => {
    const { roundId, applications } = await selectedRound(1, 2);
    const [first, second] = applications;
    await api.expect([200], 'POST', `/applications/${first!.applicationId}/withdraw?token=${first!.token}`);
    await stack.settled();
    const before = (await inbox(second!.email)).length;

    await busRefuses();
    const answer = await api.call('POST', `/applications/${second!.applicationId}/offer?token=${second!.token}`, { json: { answer: 'accept' } });
    expect(answer.status).toBe(200);
    await faultsCleared();

    expect((await status(second!)).status).toBe('accepted');
    const engagement = (await engagementsOf(roundId)).find((e) => e.applicationId === second!.applicationId);
    expect(engagement).toMatchObject({ status: 'active', tutor: { tutorId: expect.any(String) } });
    const mails = await inbox(second!.email);
    expect(mails.length).toBeGreaterThan(before);
    // Each kind of email once: no subject twice.
    const subjectsAfter = mails.slice(before).map((m) => m.subject);
    expect(new Set(subjectsAfter).size).toBe(subjectsAfter.length);
  });

  it('a reassignment answers 200; once the bus is back the new tutor hears of it once, and a retry announces nothing more', async () => {
    const { roundId } = await selectedRound(1, 1);
    const newTutorEmail = `toinen-${unique()}@example.fi`;
    const { tutorId } = await api.expect<{ tutorId: string }>([201], 'POST', '/tutors', {
      token: coordinator,
      json: { name: 'Toinen Tutor', email: newTutorEmail, languages: ['fi'], regions: ['01'], maxActive: 5 },
    });
    const [engagement] = await engagementsOf(roundId);

    await busRefuses();
    const answer = await api.call('POST', `/engagements/${engagement!.engagementId}/tutor`, { token: coordinator, json: { tutorId } });
    expect(answer.status).toBe(200);
    await faultsCleared();
    const told = (await inbox(newTutorEmail)).length;
    expect(told).toBe(1);

    expect((await api.call('POST', `/engagements/${engagement!.engagementId}/tutor`, { token: coordinator, json: { tutorId } })).status).toBe(200);
    await stack.settled();
    expect(await inbox(newTutorEmail)).toHaveLength(told);
  });

  it('a webinar created while the bus refuses is created once; a freed seat goes to the first waitlisted, who is told once', async () => {
    const { roundId } = await selectedRound(1, 1);
    const now = await api.now();
    await busRefuses();
    const created = await api.call<{ webinarId: string }>('POST', `/rounds/${roundId}/webinars`, {
      token: coordinator,
      json: {
        title: `Päätöswebinaari ${unique()}`,
        startsAt: new Date(now + 7 * day).toISOString(),
        endsAt: new Date(now + 7 * day + 2 * 3_600_000).toISOString(),
        registrationClosesAt: new Date(now + 6 * day).toISOString(),
        seats: 1,
        joinUrl: 'https://meet.example.fi/webinar',
        languages: ['fi'],
      },
    });
    expect(created.status).toBe(201);
    const { webinarId } = created.body;
    const guests = [`vieras-1-${unique()}@example.fi`, `vieras-2-${unique()}@example.fi`];
    const registrations = await pool(guests, 1, (email) =>
      api.expect<{ registrationId: string; status: string }>([201], 'POST', `/webinars/${webinarId}/registrations`, {
        json: { name: 'Vieras', email, language: 'fi', consent: true },
      }),
    );
    expect(registrations.map((r) => r.status)).toEqual(['confirmed', 'waitlisted']);
    await faultsCleared();
    expect((await api.call('GET', `/webinars/${webinarId}`)).status).toBe(200);
    const history = await api.expect<{ events: { type: string }[] }>([200], 'GET', `/webinars/${webinarId}/history`, { token: coordinator });
    expect(history.events.filter((e) => e.type === 'WebinarCreated')).toHaveLength(1);

    // The confirmed guest cancels while the bus refuses: the promotion waits, and is told once.
    const confirmedMail = (await inbox(guests[0]!))[0]!;
    const cancelToken = /token=([A-Za-z0-9_-]+)/.exec(confirmedMail.body.text ?? confirmedMail.body.html ?? '')![1];
    const before = (await inbox(guests[1]!)).length;
    await busRefuses();
    const cancelled = await api.call('DELETE', `/registrations/${registrations[0]!.registrationId}?token=${cancelToken}`);
    expect(cancelled.status).toBeLessThan(300);
    await faultsCleared();
    const registrants = await api.expect<{ registrations: { registrationId: string; status: string }[] }>(
      [200],
      'GET',
      `/webinars/${webinarId}/registrations`,
      { token: coordinator },
    );
    expect(registrants.registrations.find((r) => r.registrationId === registrations[1]!.registrationId)?.status).toBe('confirmed');
    expect((await inbox(guests[1]!)).length).toBe(before + 1);
  });
});

describe('DynamoDB failing 30 % of its calls', () => {
  it('20 concurrent applications answer 2xx or 503 only; retried, each municipality has one application and one confirmation', async () => {
    const now = await api.now();
    const { roundId } = await api.expect<{ roundId: string }>([201], 'POST', '/rounds', {
      token: coordinator,
      json: {
        name: `Kuormitus ${unique()}`,
        region: '01',
        places: 30,
        opensAt: new Date(now - 3_600_000).toISOString(),
        closesAt: new Date(now + 14 * day).toISOString(),
        languages: ['fi'],
      },
    });
    const applicants = Array.from({ length: 20 }, (_, i) => ({ code: String(300 + i), email: `kuorma-${i}-${unique()}@example.fi` }));
    const apply = (a: (typeof applicants)[number]) =>
      api.call('POST', `/rounds/${roundId}/applications`, {
        json: { municipality: { code: a.code, name: `Kunta ${a.code}` }, contact: { name: 'K', email: a.email }, language: 'fi', themes: ['x'], consent: true },
      });
    await api.expect([200], 'POST', '/dev/faults', { json: [{ service: 'dynamodb', probability: 0.3 }] });
    const statuses: number[] = [];
    let pending = applicants;
    for (let attempt = 0; attempt < 30 && pending.length > 0; attempt++) {
      const answers = await Promise.all(pending.map(apply));
      statuses.push(...answers.map((a) => a.status));
      pending = pending.filter((_, i) => answers[i]!.status === 503);
    }
    expect(statuses.every((s) => s === 201 || s === 200 || s === 503), statuses.join(',')).toBe(true);
    // The faults did hit DynamoDB (the SDK's own retries hide most of them from the answers).
    expect(Object.entries(stack.faults.injected()).filter(([k]) => k.startsWith('dynamodb:')).length).toBeGreaterThan(0);
    expect(pending).toEqual([]);
    await faultsCleared();
    // Parked confirmations (a failed SES record write) go out when due.
    await api.expect([200], 'POST', '/dev/clock', { json: { advanceBy: 'PT2H' } });

    const { applications } = await api.expect<{ applications: { municipality: { code: string } }[] }>(
      [200],
      'GET',
      `/rounds/${roundId}/applications`,
      { token: coordinator },
    );
    expect(applications.map((a) => a.municipality.code).sort()).toEqual(applicants.map((a) => a.code).sort());
    for (const a of applicants) expect(await inbox(a.email), a.email).toHaveLength(1);
  });
});

describe('SES refusing for good', () => {
  it('the confirmation is recorded failed with its reason; nothing is deleted, and the export shows it', async () => {
    const now = await api.now();
    const { roundId } = await api.expect<{ roundId: string }>([201], 'POST', '/rounds', {
      token: coordinator,
      json: {
        name: `Hylkäys ${unique()}`,
        region: '01',
        places: 3,
        opensAt: new Date(now - 3_600_000).toISOString(),
        closesAt: new Date(now + 14 * day).toISOString(),
        languages: ['fi'],
      },
    });
    const email = `hylatty-${unique()}@example.fi`;
    await api.expect([200], 'POST', '/dev/faults', {
      json: [{ service: 'sesv2', operation: 'SendEmail', error: { statusCode: 400, code: 'MessageRejected' } }],
    });
    await api.expect([201], 'POST', `/rounds/${roundId}/applications`, {
      json: { municipality: { code: '091', name: 'Helsinki' }, contact: { name: 'K', email }, language: 'fi', themes: ['x'], consent: true },
    });
    await stack.settled();
    await api.expect([200], 'DELETE', '/dev/faults');
    expect(await inbox(email)).toEqual([]);
    const exported = await api.expect<Record<string, unknown>>([200], 'POST', '/privacy/export', { token: coordinator, json: { email } });
    const text = JSON.stringify(exported);
    expect(text).toContain('"failed"');
    expect(text).toContain('MessageRejected');
  });
});
