// The report store's contract, run against the in-memory fake and against DynamoDB Local: the same
// updates in the same order leave the same items, and each guard refuses the same late events.
import { beforeAll, describe, expect, it } from 'vitest';
import { reportUpdates } from '../../../functions/reporting/updates.js';
import { DynamoReportStore, type ReportStore } from '../../../functions/stores/reports.js';
import { createIsolatedTable } from '../../../local/testing.js';
import { MemoryReportStore } from '../../support/memory/reports.js';

let tableName: string;
beforeAll(async () => {
  tableName = await createIsolatedTable('report-store');
});

const stores: [string, () => ReportStore][] = [
  ['in memory', () => new MemoryReportStore()],
  ['DynamoDB Local', () => new DynamoReportStore(tableName)],
];

let n = 0;
const roundId = () => `round-${Date.now().toString(36)}-${n++}`;
const facts = { municipality: { code: '091', name: 'Helsinki' }, language: 'fi' as const, appliedThemes: ['e-services'] };

describe.each(stores)('report store (%s)', (_name, makeStore) => {
  it('keeps the highest stage whatever order the stages arrive in, and fills the facts once', async () => {
    const store = makeStore();
    const round = roundId();
    expect(await store.apply(reportUpdates.stage(round, 'a1', 'accepted', facts))).toBe(true);
    expect(await store.apply(reportUpdates.stage(round, 'a1', 'received', { ...facts, language: 'sv' }))).toBe(false);
    expect(await store.apply(reportUpdates.stage(round, 'a1', 'accepted', facts))).toBe(false);
    expect(await store.apply(reportUpdates.stage(round, 'a1', 'withdrawn', { ...facts, language: 'sv' }))).toBe(true);
    expect(await store.roundItems(round)).toEqual([
      { type: 'report-municipality', roundId: round, applicationId: 'a1', stage: 'withdrawn', stageRank: 5, ...facts },
    ]);
  });

  it('replaces a tutor only by a later assignment, and never marks an assigned engagement unassigned', async () => {
    const store = makeStore();
    const round = roundId();
    expect(await store.apply(reportUpdates.tutor(round, 'a1', { tutorId: 't2', assignment: 2 }, facts))).toBe(true);
    expect(await store.apply(reportUpdates.tutor(round, 'a1', { tutorId: 't1', assignment: 1 }, facts))).toBe(false);
    expect(await store.apply(reportUpdates.unassigned(round, 'a1', facts))).toBe(false);
    const [item] = await store.roundItems(round);
    expect(item).toMatchObject({ engagement: 'assigned', tutorId: 't2', assignment: 2 });
  });

  it('keeps a cancelled meeting cancelled when its scheduling arrives late, and the latest log version', async () => {
    const store = makeStore();
    const round = roundId();
    const meeting = { meetingId: 'm1', kind: 'kickoff' as const, startsAt: '2027-01-10T08:00:00.000Z' };
    await store.apply(reportUpdates.meetingCancelled(round, 'a1', 'm1'));
    await store.apply(reportUpdates.meetingScheduled(round, 'a1', meeting));
    const log = (version: number, durationMinutes: number) => ({
      version,
      durationMinutes,
      themes: ['x'],
      actions: [],
      attendees: 3,
    });
    expect(await store.apply(reportUpdates.session(round, 'a1', 'm1', log(2, 90)))).toBe(true);
    expect(await store.apply(reportUpdates.session(round, 'a1', 'm1', log(1, 30)))).toBe(false);
    expect(await store.roundItems(round)).toEqual([
      {
        type: 'report-meeting',
        roundId: round,
        applicationId: 'a1',
        meetingId: 'm1',
        kind: 'kickoff',
        startsAt: meeting.startsAt,
        status: 'cancelled',
        loggedVersion: 2,
        durationMinutes: 90,
        themes: ['x'],
        actions: [],
        attendees: 3,
      },
    ]);
  });

  it('moves registrations forward only, and keeps the latest attendance marking', async () => {
    const store = makeStore();
    const round = roundId();
    const ref = { webinarId: 'w1', registrationId: 'r1', municipality: 'Espoo' };
    await store.apply(
      reportUpdates.webinar({
        roundId: round,
        webinarId: 'w1',
        title: 'Closing',
        startsAt: '2027-05-01T10:00:00.000Z',
        seats: 30,
      }),
    );
    expect(await store.apply(reportUpdates.registration(round, ref, 'confirmed'))).toBe(true);
    expect(await store.apply(reportUpdates.registration(round, ref, 'waitlisted'))).toBe(false);
    expect(await store.apply(reportUpdates.attendance(round, ref, true, '2027-05-02T10:00:00.000Z'))).toBe(true);
    expect(await store.apply(reportUpdates.attendance(round, ref, false, '2027-05-01T12:00:00.000Z'))).toBe(false);
    const items = await store.roundItems(round);
    expect(items).toHaveLength(2);
    expect(items.find((i) => i.type === 'report-registration')).toMatchObject({
      status: 'confirmed',
      attended: true,
      municipality: 'Espoo',
    });
    expect(items.find((i) => i.type === 'report-webinar')).toMatchObject({ title: 'Closing', seats: 30 });
  });
});
