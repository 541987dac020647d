// The audit trail under retention and erasure: the retention sweep deletes an expired round's history
// (its own partition, its index entries and its subjects' partitions) and nothing else; a person's
// erasure leaves event items as they are.
import { randomUUID } from 'node:crypto';
import { ScanCommand, type ScanCommandInput } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { handler as apply } from '../../functions/intake/handlers/apply.js';
import { handler as createRound } from '../../functions/intake/handlers/create-round.js';
import { handler as erasePerson } from '../../functions/privacy/handlers/erase-person.js';
import { handler as eraseExpiredRounds } from '../../functions/privacy/handlers/erase-expired-rounds.js';
import { handler as select } from '../../functions/selection/handlers/select.js';
import { handler as completeRound } from '../../functions/selection/handlers/complete-round.js';
import { withActor } from '../../functions/shared/actor.js';
import { dynamo } from '../../functions/shared/aws.js';
import { advanceClock, resetClock } from '../../functions/shared/clock.js';
import { event, eventParts, type PendingEvent } from '../../functions/shared/outbox.js';
import { transact } from '../../functions/shared/transactions.js';
import { DynamoEngagementStore } from '../../functions/stores/engagements.js';
import { config } from '../../functions/shared/config.js';
import type { Actor } from '../../schemas/events/stored.js';
import { startHarness, type Harness } from '../support/harness.js';
import { callRoute, coordinatorClaims } from '../support/invoke.js';

let harness: Harness;
const staffEmail = `kaisa-${randomUUID().slice(0, 8)}@example.fi`;
const coordinator = coordinatorClaims(staffEmail);
const day = 86_400_000;

beforeAll(async () => {
  harness = await startHarness('history-retention');
});

afterAll(async () => {
  resetClock();
  await harness?.stop();
});

async function record(events: PendingEvent[], by: Actor) {
  await withActor(by, () => transact(eventParts(events)));
}

async function eventItems() {
  const items: Record<string, unknown>[] = [];
  let ExclusiveStartKey: ScanCommandInput['ExclusiveStartKey'];
  do {
    const page = await dynamo().send(new ScanCommand({ TableName: harness.tableName, ExclusiveStartKey, ConsistentRead: true }));
    items.push(...(page.Items ?? []).filter((i) => i.type === 'event'));
    ExclusiveStartKey = page.LastEvaluatedKey;
  } while (ExclusiveStartKey);
  return items;
}

async function roundWithApplication(code: string) {
  const round = await callRoute(createRound, 'POST /rounds', {
    claims: coordinator,
    body: {
      name: `Kierros ${code}`,
      region: '01',
      places: 2,
      opensAt: new Date(Date.now() - 3600_000).toISOString(),
      closesAt: new Date(Date.now() + day).toISOString(),
      languages: ['fi'],
      retentionDays: 30,
    },
  });
  expect(round.status).toBe(201);
  const roundId: string = round.body.roundId;
  const applied = await callRoute(apply, 'POST /rounds/{roundId}/applications', {
    path: { roundId },
    body: {
      municipality: { code, name: `Kunta ${code}` },
      contact: { name: 'Maija', email: `maija-${code}@example.fi` },
      language: 'fi',
      themes: ['x'],
      consent: true,
    },
  });
  expect(applied.status).toBe(201);
  return { roundId, applicationId: applied.body.applicationId as string };
}

describe('history and retention', () => {
  it('a person’s erasure leaves event items as they are, even when they name the person as the staff member who acted', async () => {
    const { roundId, applicationId } = await roundWithApplication('049');
    await record([event('ApplicationAccepted', { applicationId, roundId, via: 'selection' })], {
      role: 'coordinator',
      email: staffEmail,
    });
    const before = (await eventItems()).filter((i) => JSON.stringify(i).includes(staffEmail));
    expect(before).toHaveLength(1);
    const erased = await callRoute(erasePerson, 'POST /privacy/erase', { claims: coordinator, body: { email: staffEmail } });
    expect(erased.status).toBe(200);
    const after = (await eventItems()).filter((i) => JSON.stringify(i).includes(staffEmail));
    expect(after).toEqual(before);
  });

  it('the retention sweep deletes an expired round’s history, and only that round’s', async () => {
    const old = await roundWithApplication('091');
    const current = await roundWithApplication('092');
    const engagementId = old.applicationId;
    await new DynamoEngagementStore(config.tableName()).createEngagement({
      engagementId,
      applicationId: old.applicationId,
      roundId: old.roundId,
      municipality: { code: '091', name: 'Helsinki' },
      language: 'fi',
      region: '01',
      themes: ['x'],
      status: 'active',
      assignments: 0,
      history: [],
      createdAt: new Date().toISOString(),
    });
    for (const { roundId, applicationId } of [old, current]) {
      await record([event('ApplicationAccepted', { applicationId, roundId, via: 'selection' })], {
        role: 'coordinator',
        email: staffEmail,
      });
      await record([event('PlaceFreed', { roundId, reason: 'withdrawn' })], { role: 'system' });
    }
    // An engagement event that does not name the round: only its subject partition holds it.
    await record([event('SessionLogged', { meetingId: 'meeting-1', engagementId, version: 1 })], {
      role: 'tutor',
      email: staffEmail,
    });
    const ofRound = (items: Record<string, unknown>[], roundId: string, applicationId: string) =>
      items.filter((i) => i.roundId === roundId || i.subjectId === applicationId);
    const before = await eventItems();
    expect(ofRound(before, old.roundId, old.applicationId).length).toBeGreaterThanOrEqual(3);
    expect(before.some((i) => i.detailType === 'SessionLogged')).toBe(true);
    const keptBefore = ofRound(before, current.roundId, current.applicationId);

    const selected = await callRoute(select, 'POST /rounds/{roundId}/selection', {
      claims: coordinator,
      path: { roundId: old.roundId },
      body: { policy: 'first-come', force: true },
    });
    expect(selected.status).toBe(200);
    const completed = await callRoute(completeRound, 'POST /rounds/{roundId}/complete', {
      claims: coordinator,
      path: { roundId: old.roundId },
    });
    expect(completed.status).toBe(200);
    await harness.settled();
    try {
      advanceClock(31 * day);
      await eraseExpiredRounds({} as never);
    } finally {
      resetClock();
    }
    const after = await eventItems();
    expect(ofRound(after, old.roundId, old.applicationId)).toEqual([]);
    expect(after.filter((i) => i.subjectId === engagementId)).toEqual([]);
    expect(after.filter((i) => String(i.pk).startsWith('HISTORY#ROUND#') && i.pk === `HISTORY#ROUND#${old.roundId}`)).toEqual([]);
    // The other round's history is untouched.
    expect(ofRound(after, current.roundId, current.applicationId)).toEqual(keptBefore);
  });
});
