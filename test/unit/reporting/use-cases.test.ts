// The projector and the report on in-memory ports: each event becomes its guarded update, a fact
// no longer on record is skipped, and the report names tutors at read time.
import { describe, expect, it } from 'vitest';
import {
  projectAttendance,
  projectLeftUnassigned,
  projectMeetingCancelled,
  projectMeetingScheduled,
  projectRegistration,
  projectSessionLogged,
  projectStage,
  projectTutorAssigned,
  projectWebinar,
  roundReport,
  type ReportingPorts,
  type ReportSources,
} from '../../../functions/reporting/use-cases.js';
import { NotFoundError } from '../../../functions/shared/errors.js';
import { MemoryReportStore } from '../../support/memory/reports.js';

const round = { roundId: 'r1', name: 'Kevät 2027', region: '01', places: 3 };
const now = new Date('2027-03-01T10:00:00.000Z');

function setUp(overrides: Partial<ReportSources> = {}) {
  const reports = new MemoryReportStore();
  const sources: ReportSources = {
    round: async (id) => (id === 'r1' ? round : undefined),
    applicationFacts: async (id) =>
      id === 'a1'
        ? { municipality: { code: '091', name: 'Helsinki' }, language: 'fi', appliedThemes: ['Sähköinen asiointi'] }
        : {},
    engagementRef: async (id) => (id === 'a1' ? { roundId: 'r1', applicationId: 'a1' } : undefined),
    sessionLog: async (_e, meetingId, version) =>
      meetingId === 'm1' ? { version, durationMinutes: 60, themes: ['Tietoturva'], actions: ['Ohje'], attendees: 4 } : undefined,
    webinar: async (id) =>
      id === 'w1' ? { roundId: 'r1', title: 'Päätöswebinaari', startsAt: '2027-05-01T10:00:00.000Z', seats: 20 } : undefined,
    registration: async (id) =>
      id === 'reg1' ? { municipality: 'Helsinki', attended: true, attendanceMarkedAt: '2027-05-01T12:00:00.000Z' } : undefined,
    tutorNames: async (ids) => new Map(ids.filter((id) => id === 't1').map((id) => [id, 'Tuuli Tutor'])),
    ...overrides,
  };
  const ports: ReportingPorts = { reports, sources, clock: { now: () => now } };
  return { ports, reports };
}

describe('projecting events', () => {
  it('takes the municipality facts from the application and keeps the highest stage', async () => {
    const { ports, reports } = setUp();
    await projectStage(ports, { roundId: 'r1', applicationId: 'a1' }, 'accepted');
    await projectStage(ports, { roundId: 'r1', applicationId: 'a1' }, 'received');
    expect(await reports.roundItems('r1')).toEqual([
      expect.objectContaining({
        applicationId: 'a1',
        stage: 'accepted',
        municipality: { code: '091', name: 'Helsinki' },
        language: 'fi',
      }),
    ]);
  });

  it('records the tutor, and an unassigned engagement only while no tutor was assigned', async () => {
    const { ports, reports } = setUp();
    await projectLeftUnassigned(ports, { engagementId: 'a1', applicationId: 'a1', roundId: 'r1' });
    expect((await reports.roundItems('r1'))[0]).toMatchObject({ engagement: 'unassigned' });
    await projectTutorAssigned(ports, {
      engagementId: 'a1',
      applicationId: 'a1',
      roundId: 'r1',
      tutorId: 't1',
      assignment: 1,
      by: 'coordinator',
    });
    await projectLeftUnassigned(ports, { engagementId: 'a1', applicationId: 'a1', roundId: 'r1' });
    expect((await reports.roundItems('r1'))[0]).toMatchObject({ engagement: 'assigned', tutorId: 't1' });
  });

  it('finds a meeting’s round through its engagement, and skips a meeting whose engagement is gone', async () => {
    const { ports, reports } = setUp();
    const meeting = {
      engagementId: 'a1',
      meetingId: 'm1',
      kind: 'kickoff' as const,
      startsAt: '2027-02-01T08:00:00.000Z',
      sequence: 0,
    };
    await projectMeetingScheduled(ports, meeting);
    await projectMeetingScheduled(ports, { ...meeting, engagementId: 'gone', meetingId: 'm9' });
    await projectSessionLogged(ports, { engagementId: 'a1', meetingId: 'm1', version: 1 });
    await projectSessionLogged(ports, { engagementId: 'a1', meetingId: 'no-log', version: 1 });
    const items = await reports.roundItems('r1');
    expect(items).toEqual([
      expect.objectContaining({ meetingId: 'm1', status: 'scheduled', loggedVersion: 1, durationMinutes: 60 }),
    ]);
    await projectMeetingCancelled(ports, { engagementId: 'a1', meetingId: 'm1', sequence: 1 });
    expect((await reports.roundItems('r1'))[0]).toMatchObject({ status: 'cancelled' });
  });

  it('projects webinars and registrations into the webinar’s round, and skips an unknown webinar', async () => {
    const { ports, reports } = setUp();
    await projectWebinar(ports, 'w1');
    await projectWebinar(ports, 'w-gone');
    await projectRegistration(ports, { webinarId: 'w1', registrationId: 'reg1' }, 'confirmed');
    await projectRegistration(ports, { webinarId: 'w-gone', registrationId: 'reg2' }, 'confirmed');
    const items = await reports.roundItems('r1');
    expect(items.map((i) => i.type).sort()).toEqual(['report-registration', 'report-webinar']);
    expect(items.find((i) => i.type === 'report-registration')).toMatchObject({ status: 'confirmed', municipality: 'Helsinki' });
  });

  it('takes attendance from the registration on record, so a late redelivery of an older marking changes nothing', async () => {
    const { ports, reports } = setUp();
    await projectAttendance(ports, { webinarId: 'w1', registrationId: 'reg1', attended: false }, '2027-05-01T11:00:00.000Z');
    expect((await reports.roundItems('r1'))[0]).toMatchObject({ attended: true, attendanceMarkedAt: '2027-05-01T12:00:00.000Z' });
  });

  it('falls back to the event’s marking when the registration is no longer on record', async () => {
    const { ports, reports } = setUp({ registration: async () => undefined });
    await projectAttendance(ports, { webinarId: 'w1', registrationId: 'reg1', attended: false }, '2027-05-01T11:00:00.000Z');
    expect((await reports.roundItems('r1'))[0]).toMatchObject({
      attended: false,
      attendanceMarkedAt: '2027-05-01T11:00:00.000Z',
    });
  });
});

describe('roundReport', () => {
  it('builds the report from the projected items with the tutors’ names read now', async () => {
    const { ports } = setUp();
    await projectStage(ports, { roundId: 'r1', applicationId: 'a1' }, 'accepted');
    await projectTutorAssigned(ports, {
      engagementId: 'a1',
      applicationId: 'a1',
      roundId: 'r1',
      tutorId: 't1',
      assignment: 1,
      by: 'coordinator',
    });
    const report = await roundReport(ports, 'r1');
    expect(report.generatedAt).toBe(now.toISOString());
    expect(report.municipalities).toEqual([
      expect.objectContaining({
        applicationId: 'a1',
        stage: 'accepted',
        tutor: expect.objectContaining({ name: 'Tuuli Tutor' }),
      }),
    ]);
  });

  it('answers 404 for a round that does not exist', async () => {
    const { ports } = setUp();
    await expect(roundReport(ports, 'nope')).rejects.toBeInstanceOf(NotFoundError);
  });
});
