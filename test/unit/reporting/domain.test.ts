// The situational picture's pure parts: stage order, the report built from projected items, the CSV.
import { describe, expect, it } from 'vitest';
import { RoundReport } from '../../../schemas/api/report.js';
import {
  buildReport,
  registrationNames,
  registrationRanks,
  reportCsv,
  reportCsvColumns,
  stageRanks,
  themeKey,
  type ReportItem,
} from '../../../functions/reporting/domain.js';

const round = { roundId: 'r1', name: 'Kevät 2027', region: 'Uusimaa', places: 2 };
const at = new Date('2027-03-01T10:00:00Z');

const municipality = (applicationId: string, extra: Partial<Extract<ReportItem, { type: 'report-municipality' }>> = {}) =>
  ({
    type: 'report-municipality',
    roundId: 'r1',
    applicationId,
    municipality: { code: applicationId === 'a' ? '091' : '049', name: applicationId === 'a' ? 'Helsinki' : 'Espoo' },
    language: 'fi',
    appliedThemes: ['Etätuki', 'koordinointi'],
    stage: 'accepted',
    stageRank: stageRanks.accepted,
    ...extra,
  }) as const satisfies ReportItem;

const meeting = (
  applicationId: string,
  meetingId: string,
  extra: Partial<Extract<ReportItem, { type: 'report-meeting' }>> = {},
) =>
  ({
    type: 'report-meeting',
    roundId: 'r1',
    applicationId,
    meetingId,
    kind: 'kickoff',
    startsAt: '2027-03-02T08:00:00.000Z',
    status: 'scheduled',
    ...extra,
  }) as const satisfies ReportItem;

describe('stage order', () => {
  it('every lifecycle transition goes up the ranks, so the highest stage seen is the current one', () => {
    const transitions: [keyof typeof stageRanks, keyof typeof stageRanks][] = [
      ['received', 'accepted'],
      ['received', 'waitlisted'],
      ['waitlisted', 'offered'],
      ['offered', 'accepted'],
      ['offered', 'declined'],
      ['waitlisted', 'carried-over'],
      ['accepted', 'completed'],
      ['accepted', 'withdrawn'],
      ['waitlisted', 'withdrawn'],
      ['received', 'withdrawn'],
    ];
    for (const [from, to] of transitions) expect(stageRanks[to], `${from} → ${to}`).toBeGreaterThan(stageRanks[from]);
    expect(registrationRanks.confirmed).toBeGreaterThan(registrationRanks.waitlisted);
    expect(registrationRanks.cancelled).toBeGreaterThan(registrationRanks.confirmed);
  });
});

describe('buildReport', () => {
  const items: ReportItem[] = [
    municipality('a', { engagement: 'assigned', tutorId: 't1', assignment: 1 }),
    municipality('b', { stage: 'waitlisted', stageRank: 2 }),
    meeting('a', 'm1', {
      loggedVersion: 2,
      durationMinutes: 90,
      themes: ['etätuki ', 'Kartoitus'],
      actions: ['Kartoita'],
      attendees: 3,
    }),
    meeting('a', 'm2', {
      kind: 'follow-up',
      startsAt: '2027-03-09T08:00:00.000Z',
      loggedVersion: 1,
      durationMinutes: 45,
      themes: ['Kartoitus'],
      actions: ['Nimeä koordinaattori', 'Kokoonnu'],
    }),
    meeting('a', 'm3', { kind: 'extra', status: 'cancelled' }),
    meeting('a', 'm4', { kind: 'follow-up', startsAt: '2027-04-01T08:00:00.000Z' }),
    {
      type: 'report-webinar',
      roundId: 'r1',
      webinarId: 'w1',
      title: 'Päätöswebinaari',
      startsAt: '2027-05-01T10:00:00.000Z',
      seats: 2,
    },
    {
      type: 'report-registration',
      roundId: 'r1',
      webinarId: 'w1',
      registrationId: 'g1',
      municipality: ' helsinki',
      status: 'confirmed',
      attended: true,
    },
    {
      type: 'report-registration',
      roundId: 'r1',
      webinarId: 'w1',
      registrationId: 'g2',
      municipality: '091',
      status: 'confirmed',
      attended: false,
    },
    {
      type: 'report-registration',
      roundId: 'r1',
      webinarId: 'w1',
      registrationId: 'g3',
      municipality: 'Espoo',
      status: 'cancelled',
    },
    { type: 'report-registration', roundId: 'r1', webinarId: 'w1', registrationId: 'g4', status: 'waitlisted' },
  ];
  const report = buildReport(round, items, new Map([['t1', 'Tiina Tutor']]), at);

  it('fits the contract', () => {
    expect(RoundReport.safeParse(report).success).toBe(true);
  });

  it('gives each municipality its stage, tutor, meetings, hours, themes, actions and webinar', () => {
    const [espoo, helsinki] = report.municipalities;
    expect(helsinki).toMatchObject({
      applicationId: 'a',
      stage: 'accepted',
      engagement: 'assigned',
      tutor: { tutorId: 't1', name: 'Tiina Tutor' },
      meetings: { scheduled: 3, held: 2, cancelled: 1, hours: 2.25, heldByKind: { kickoff: 1, 'follow-up': 1, extra: 0 } },
      themes: ['etätuki', 'Kartoitus'],
      actions: ['Kartoita', 'Nimeä koordinaattori', 'Kokoonnu'],
      webinar: { registered: 2, attended: 1 },
    });
    expect(espoo).toMatchObject({ stage: 'waitlisted', engagement: 'none', webinar: { registered: 0, attended: 0 } });
    expect(espoo!.tutor).toBeUndefined();
  });

  it('totals per stage, engagement, theme and webinar', () => {
    expect(report.totals.municipalities).toBe(2);
    expect(report.totals.stages).toEqual({
      received: 0,
      waitlisted: 1,
      offered: 0,
      accepted: 1,
      declined: 0,
      withdrawn: 0,
      'carried-over': 0,
      completed: 0,
    });
    expect(report.totals.engagements).toEqual({ assigned: 1, unassigned: 0, none: 1 });
    expect(report.totals.meetings).toMatchObject({ held: 2, hours: 2.25, cancelled: 1 });
    expect(report.totals.actions).toBe(3);
    expect(report.totals.themes).toEqual([
      { theme: 'Kartoitus', applications: 0, municipalities: 1, sessions: 2 },
      { theme: 'Etätuki', applications: 2, municipalities: 1, sessions: 1 },
      { theme: 'koordinointi', applications: 2, municipalities: 0, sessions: 0 },
    ]);
    expect(report.totals.webinar).toEqual({ confirmed: 2, waitlisted: 1, cancelled: 1, attended: 1, absent: 1 });
    expect(report.webinars).toEqual([
      {
        webinarId: 'w1',
        title: 'Päätöswebinaari',
        startsAt: '2027-05-01T10:00:00.000Z',
        seats: 2,
        confirmed: 2,
        waitlisted: 1,
        cancelled: 1,
        attended: 1,
        absent: 1,
      },
    ]);
  });

  it('does not depend on the order of the items', () => {
    expect(buildReport(round, [...items].reverse(), new Map([['t1', 'Tiina Tutor']]), at)).toEqual(report);
  });

  it('keeps a meeting whose municipality has not been projected yet', () => {
    const early = buildReport(
      round,
      [meeting('x', 'm9', { loggedVersion: 1, durationMinutes: 30, themes: [], actions: [] })],
      new Map(),
      at,
    );
    expect(early.municipalities).toEqual([
      expect.objectContaining({
        applicationId: 'x',
        municipality: { code: '', name: '' },
        meetings: expect.objectContaining({ held: 1, hours: 0.5 }),
      }),
    ]);
  });
});

describe('helpers', () => {
  it('groups themes by case and spacing', () => {
    expect(themeKey('  Etätuen   aloittaminen ')).toBe(themeKey('etätuen aloittaminen'));
  });

  it('matches a registration to a municipality by name or code', () => {
    const helsinki = { code: '091', name: 'Helsinki' };
    expect(registrationNames({ municipality: 'HELSINKI' }, helsinki)).toBe(true);
    expect(registrationNames({ municipality: '091' }, helsinki)).toBe(true);
    expect(registrationNames({ municipality: 'Espoo' }, helsinki)).toBe(false);
    expect(registrationNames({}, helsinki)).toBe(false);
  });
});

describe('reportCsv', () => {
  it('has one header line and one row per municipality, quoting and defusing formulas', () => {
    const report = buildReport(
      round,
      [
        municipality('a', { municipality: { code: '091', name: 'Kunta "Ö", testi' } }),
        meeting('a', 'm1', { loggedVersion: 1, durationMinutes: 60, themes: ['a;b'], actions: ['=SUM(A1)', 'rivi\nkaksi'] }),
      ],
      new Map(),
      at,
    );
    const csv = reportCsv(report);
    expect(csv.endsWith('\r\n')).toBe(true);
    const [header, row] = csv.split('\r\n');
    expect(header).toBe(reportCsvColumns.join(','));
    expect(row).toContain('"Kunta ""Ö"", testi"');
    expect(csv).toContain(`"'=SUM(A1); rivi\nkaksi"`);
  });
});
