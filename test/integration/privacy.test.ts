// Export and erasure of one person against DynamoDB Local: everything found, then nothing left but counts.
import { ScanCommand, type ScanCommandInput } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { handler as apply } from '../../functions/intake/handlers/apply.js';
import { handler as createRound } from '../../functions/intake/handlers/create-round.js';
import { handler as getRound } from '../../functions/intake/handlers/get-round.js';
import { handler as getReport } from '../../functions/reporting/handlers/get-report.js';
import { handler as erase } from '../../functions/privacy/handlers/erase-person.js';
import { handler as exportPerson } from '../../functions/privacy/handlers/export-person.js';
import { handler as select } from '../../functions/selection/handlers/select.js';
import { handler as createWebinar } from '../../functions/webinar/handlers/create-webinar.js';
import { handler as register } from '../../functions/webinar/handlers/register.js';
import { handler as completeRound } from '../../functions/selection/handlers/complete-round.js';
import { handler as eraseExpiredRounds } from '../../functions/privacy/handlers/erase-expired-rounds.js';
import { advanceClock, resetClock } from '../../functions/shared/clock.js';
import { dynamo } from '../../functions/shared/aws.js';
import { suppress } from '../../functions/shared/suppression.js';
import { readInbox } from '../../local/testing.js';
import { startHarness, type Harness } from '../support/harness.js';
import { callRoute, coordinatorClaims } from '../support/invoke.js';

let settled: () => Promise<void>;
let tableName: string;
let harness: Harness;
const coordinator = coordinatorClaims('kaisa@example.fi');
const unique = () => Math.random().toString(36).slice(2, 10);

beforeAll(async () => {
  harness = await startHarness('privacy', { retry: { attempts: 3, baseDelayMs: 5 } });
  settled = harness.settled;
  tableName = harness.tableName;
});

afterAll(async () => {
  await harness?.stop();
});

async function scanAll() {
  const items: Record<string, unknown>[] = [];
  let ExclusiveStartKey: ScanCommandInput['ExclusiveStartKey'];
  do {
    const page = await dynamo().send(new ScanCommand({ TableName: tableName, ExclusiveStartKey }));
    items.push(...(page.Items ?? []));
    ExclusiveStartKey = page.LastEvaluatedKey;
  } while (ExclusiveStartKey);
  return items;
}

describe('privacy', () => {
  it('exports everything about a person, then erases it everywhere while the counts stay', async () => {
    const person = `Maija.${unique()}@Example.fi`;
    const other = `other-${unique()}@example.fi`;
    const round = await callRoute(createRound, 'POST /rounds', {
      claims: coordinator,
      body: {
        name: 'Kevät',
        region: '01',
        places: 1,
        opensAt: new Date(Date.now() - 3600_000).toISOString(),
        closesAt: new Date(Date.now() + 86_400_000).toISOString(),
        languages: ['fi'],
      },
    });
    const roundId: string = round.body.roundId;
    for (const [code, email] of [
      ['091', person],
      ['049', other],
    ] as const) {
      const applied = await callRoute(apply, 'POST /rounds/{roundId}/applications', {
        path: { roundId },
        body: {
          municipality: { code, name: `Kunta ${code}` },
          contact: { name: 'Maija Meikäläinen', email, ...(email === person ? { phone: '+358 40 123 4567' } : {}) },
          language: 'fi',
          themes: ['etätuki'],
          consent: true,
        },
      });
      expect(applied.status).toBe(201);
    }
    await callRoute(select, 'POST /rounds/{roundId}/selection', {
      claims: coordinator,
      path: { roundId },
      body: { policy: 'first-come', force: true },
    });
    await settled();
    const webinar = await callRoute(createWebinar, 'POST /rounds/{roundId}/webinars', {
      claims: coordinator,
      path: { roundId },
      body: {
        title: 'Loppuwebinaari',
        startsAt: new Date(Date.now() + 10 * 86_400_000).toISOString(),
        endsAt: new Date(Date.now() + 10 * 86_400_000 + 7_200_000).toISOString(),
        seats: 10,
        registrationClosesAt: new Date(Date.now() + 9 * 86_400_000).toISOString(),
        joinUrl: 'https://meet.example.fi/w',
        languages: ['fi'],
      },
    });
    expect(webinar.status).toBe(201);
    const registered = await callRoute(register, 'POST /webinars/{webinarId}/registrations', {
      path: { webinarId: webinar.body.webinarId },
      body: { name: 'Maija Meikäläinen', email: person, language: 'fi', consent: true },
    });
    expect(registered.status).toBe(201);
    await settled();
    await suppress(person, { kind: 'complaint', at: new Date().toISOString() });
    expect((await readInbox({ to: person })).length).toBe(3);
    const countsBefore = (await callRoute(getRound, 'GET /rounds/{roundId}', { path: { roundId } })).body;
    const reportTotals = async () => {
      const {
        generatedAt: _at,
        municipalities,
        ...totals
      } = (await callRoute(getReport, 'GET /rounds/{roundId}/report', { claims: coordinator, path: { roundId } })).body;
      return { totals, stages: municipalities.map((m: { stage: string }) => m.stage).sort() };
    };
    const reportBefore = await reportTotals();
    expect(reportBefore.stages).toEqual(['accepted', 'waitlisted']);

    const exported = await callRoute(exportPerson, 'POST /privacy/export', { claims: coordinator, body: { email: person } });
    expect(exported.status).toBe(200);
    expect(exported.body.data.application).toHaveLength(1);
    expect(exported.body.data.application[0]).toMatchObject({
      contact: { email: person.toLowerCase(), phone: '+358 40 123 4567' },
      roundId,
    });
    expect(exported.body.data.application[0].accessToken).toBeUndefined();
    expect(exported.body.data.email.map((e: { kind: string }) => e.kind)).toEqual(
      expect.arrayContaining(['accepted', 'application-received']),
    );
    expect(exported.body.data.registration).toHaveLength(1);
    expect(exported.body.data.suppression).toHaveLength(1);

    const erased = await callRoute(erase, 'POST /privacy/erase', { claims: coordinator, body: { email: person.toUpperCase() } });
    expect(erased.status).toBe(200);
    expect(erased.body.items).toBe(exported.body.count);

    const everything = await scanAll();
    const text = JSON.stringify(everything).toLowerCase();
    expect(text).not.toContain(person.toLowerCase());
    expect(text).not.toContain('+358 40 123 4567');
    // The other person is untouched, and so are the counts.
    expect(text).toContain(other);
    expect((await callRoute(getRound, 'GET /rounds/{roundId}', { path: { roundId } })).body).toEqual(countsBefore);
    expect(await reportTotals()).toEqual(reportBefore);

    const record = everything.find((item) => item.type === 'erasure' && item.erasureId === erased.body.erasureId);
    expect(record).toMatchObject({ by: 'kaisa@example.fi', at: expect.any(String) });

    const again = await callRoute(exportPerson, 'POST /privacy/export', { claims: coordinator, body: { email: person } });
    expect(again.body.count).toBe(0);
  });

  it('refuses a bad address and a caller who is not a coordinator', async () => {
    const bad = await callRoute(erase, 'POST /privacy/erase', { claims: coordinator, body: { email: 'nope' } });
    expect(bad.status).toBe(400);
    expect(bad.body.error.issues[0].path).toBe('email');
    expect((await callRoute(erase, 'POST /privacy/erase', { body: { email: 'a@example.fi' } })).status).toBe(401);
  });

  it('retention erases a completed round’s personal data after its set time, and nothing of other rounds', async () => {
    const person = `retained-${unique()}@example.fi`;
    const rounds: string[] = [];
    for (const name of ['Vanha', 'Uusi']) {
      const round = await callRoute(createRound, 'POST /rounds', {
        claims: coordinator,
        body: {
          name,
          region: '01',
          places: 2,
          opensAt: new Date(Date.now() - 3600_000).toISOString(),
          closesAt: new Date(Date.now() + 86_400_000).toISOString(),
          languages: ['fi'],
          retentionDays: 30,
        },
      });
      rounds.push(round.body.roundId);
      await callRoute(apply, 'POST /rounds/{roundId}/applications', {
        path: { roundId: round.body.roundId },
        body: {
          municipality: { code: '091', name: 'Helsinki' },
          contact: { name: 'Retained', email: person },
          language: 'fi',
          themes: ['x'],
          consent: true,
        },
      });
    }
    const [old, current] = rounds as [string, string];
    await callRoute(select, 'POST /rounds/{roundId}/selection', {
      claims: coordinator,
      path: { roundId: old },
      body: { policy: 'first-come', force: true },
    });
    await callRoute(completeRound, 'POST /rounds/{roundId}/complete', { claims: coordinator, path: { roundId: old } });
    await settled();
    const countsBefore = (await callRoute(getRound, 'GET /rounds/{roundId}', { path: { roundId: old } })).body;

    try {
      advanceClock(29 * 86_400_000);
      await eraseExpiredRounds({} as never);
      expect(JSON.stringify(await scanAll())).toContain(`"roundId":"${old}"`);
      expect((await scanAll()).filter((i) => i.roundId === old && JSON.stringify(i).includes(person))).not.toHaveLength(0);

      advanceClock(2 * 86_400_000);
      await eraseExpiredRounds({} as never);
      await eraseExpiredRounds({} as never);
    } finally {
      resetClock();
    }
    const items = await scanAll();
    const mentioning = items.filter((i) => JSON.stringify(i).includes(person));
    // Only the other round's application (and its confirmation email) still name the person.
    expect(mentioning.length).toBeGreaterThan(0);
    for (const item of mentioning) expect(JSON.stringify(item)).not.toContain(old);
    expect(mentioning.some((i) => i.roundId === current)).toBe(true);
    expect((await callRoute(getRound, 'GET /rounds/{roundId}', { path: { roundId: old } })).body).toEqual(countsBefore);
    expect(items.filter((i) => i.type === 'erasure' && i.by === `retention:${old}`)).toHaveLength(1);
  });
});
