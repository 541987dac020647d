// A bounced contact, end to end on the local bus: suppressed, marked, coordinator and tutor told once,
// and the next email to it skipped and recorded.
import { GetCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { handler as applicationHistory } from '../../functions/history/handlers/application-history.js';
import { handler as apply } from '../../functions/intake/handlers/apply.js';
import { handler as createRound } from '../../functions/intake/handlers/create-round.js';
import { handler as suppressBounced } from '../../functions/deliverability/handlers/suppress-bounced.js';
import { handler as select } from '../../functions/selection/handlers/select.js';
import { handler as withdraw } from '../../functions/selection/handlers/withdraw.js';
import { handler as createTutor } from '../../functions/tutoring/handlers/create-tutor.js';
import { dynamo } from '../../functions/shared/aws.js';
import { readInbox, waitFor } from '../../local/testing.js';
import { loadEvent } from '../support/fixtures.js';
import { startHarness, type Harness } from '../support/harness.js';
import { callRoute, coordinatorClaims } from '../support/invoke.js';

let settled: () => Promise<void>;
let tableName: string;
let harness: Harness;
const unique = () => Math.random().toString(36).slice(2, 10);

beforeAll(async () => {
  harness = await startHarness('deliverability', { retry: { attempts: 3, baseDelayMs: 5 } });
  settled = harness.settled;
  tableName = harness.tableName;
});

afterAll(async () => {
  await harness?.stop();
});

describe('a bounced contact', () => {
  it('is suppressed and marked; the coordinator and the tutor are told once; later mail to it is skipped and recorded', async () => {
    const coordinator = `coord-${unique()}@example.fi`;
    const tutor = `tutor-${unique()}@example.fi`;
    const contact = `contact-${unique()}@example.fi`;
    await callRoute(createTutor, 'POST /tutors', {
      claims: coordinatorClaims(coordinator),
      body: { name: 'Tuula Tutor', email: tutor, languages: ['fi'], regions: ['01'], maxActive: 5 },
    });
    const round = await callRoute(createRound, 'POST /rounds', {
      claims: coordinatorClaims(coordinator),
      body: {
        name: `Kevät ${unique()}`,
        region: '01',
        places: 1,
        opensAt: new Date(Date.now() - 3600_000).toISOString(),
        closesAt: new Date(Date.now() + 86_400_000).toISOString(),
        languages: ['fi'],
      },
    });
    const applied = await callRoute(apply, 'POST /rounds/{roundId}/applications', {
      path: { roundId: round.body.roundId },
      body: {
        municipality: { code: '091', name: 'Helsinki' },
        contact: { name: 'Kaija Kontakti', email: contact },
        language: 'fi',
        themes: ['x'],
        consent: true,
      },
    });
    await callRoute(select, 'POST /rounds/{roundId}/selection', {
      claims: coordinatorClaims(coordinator),
      path: { roundId: round.body.roundId },
      body: { policy: 'first-come', force: true },
    });
    await settled();
    const mailsBefore = (await readInbox({ to: contact })).length;
    expect(mailsBefore).toBeGreaterThanOrEqual(2);

    const bounce = loadEvent<{ detail: { bounce: { bouncedRecipients: { emailAddress: string }[] } } }>('ses-email-bounced');
    bounce.detail.bounce.bouncedRecipients[0]!.emailAddress = contact;
    await suppressBounced(bounce as never);
    await suppressBounced(bounce as never); // SES may deliver it twice
    await settled();

    for (const staff of [coordinator, tutor]) {
      const told = await waitFor(async () => {
        const found = (await readInbox({ to: staff })).filter((m) => /ei toimi/.test(m.subject));
        return found.length ? found : undefined;
      });
      expect(told, staff).toHaveLength(1);
      expect(told[0]!.body.text).toContain('Helsinki');
      expect(told[0]!.body.text).toContain('pysyvä palautus');
    }
    const { Item } = await dynamo().send(
      new GetCommand({ TableName: tableName, Key: { pk: `APPLICATION#${applied.body.applicationId}`, sk: 'APPLICATION' } }),
    );
    expect(Item!.contact.unreachable).toMatchObject({ reason: 'bounce' });
    // ContactUnreachable was written with the mark, once, although SES delivered the bounce twice.
    const history = await callRoute(applicationHistory, 'GET /applications/{applicationId}/history', {
      claims: coordinatorClaims(coordinator),
      path: { applicationId: applied.body.applicationId },
    });
    expect(history.status).toBe(200);
    const unreachable = history.body.events.filter((e: { type: string }) => e.type === 'ContactUnreachable');
    expect(unreachable.map((e: { detail: unknown; by: unknown }) => [e.detail, e.by])).toEqual([
      [{ applicationId: applied.body.applicationId, roundId: round.body.roundId, reason: 'bounce' }, { role: 'system' }],
    ]);

    // The next email to the contact (a withdrawal confirmation) is skipped, and the skip is recorded.
    const token = new URL(applied.body.statusUrl).searchParams.get('token')!;
    await callRoute(withdraw, 'POST /applications/{applicationId}/withdraw', {
      path: { applicationId: applied.body.applicationId },
      query: { token },
    });
    await settled();
    expect(await readInbox({ to: contact })).toHaveLength(mailsBefore);
    const record = await dynamo().send(
      new GetCommand({ TableName: tableName, Key: { pk: `EMAIL#withdrawn/${applied.body.applicationId}`, sk: 'EMAIL' } }),
    );
    expect(record.Item).toMatchObject({ status: 'suppressed', kind: 'withdrawn' });
  });
});
