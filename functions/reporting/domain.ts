// The situational picture as plain functions: what the projected items of a round are, the order in
// which stages and registration states may follow each other, and the report (and its CSV) built
// from the items. Counts are always computed here from sets of items, never kept as counters, so an
// event delivered twice cannot count twice. No AWS here.
import type { MeetingKind } from '../../schemas/api/engagements.js';
import type { MunicipalityReport, ReportEngagement, ReportStage, RoundReport, WebinarReport } from '../../schemas/api/report.js';
import type {
  MeetingItem,
  MunicipalityItem,
  RegistrationItem,
  RegistrationState,
  ReportItem,
} from '../../schemas/stored/report.js';
import { toCsv } from '../shared/csv.js';

// The projected items' stored shapes (codecs and types) live with the other stored shapes.
export type {
  MeetingItem,
  MunicipalityItem,
  RegistrationItem,
  RegistrationState,
  ReportItem,
  WebinarItem,
} from '../../schemas/stored/report.js';

/**
 * Every transition of an application goes up this order (received → waitlisted → offered →
 * accepted/declined → withdrawn/carried-over/completed), so keeping the highest-ranked stage seen
 * gives the current stage whatever order the events arrive in.
 */
export const stageRanks: Record<ReportStage, number> = {
  received: 1,
  waitlisted: 2,
  offered: 3,
  accepted: 4,
  declined: 4,
  withdrawn: 5,
  'carried-over': 5,
  completed: 5,
};

export const stageOrder: readonly ReportStage[] = [
  'received',
  'waitlisted',
  'offered',
  'accepted',
  'declined',
  'withdrawn',
  'carried-over',
  'completed',
];

/** Likewise for a webinar registration: waitlisted → confirmed (promoted) → cancelled. */
export const registrationRanks: Record<RegistrationState, number> = { waitlisted: 1, confirmed: 2, cancelled: 3 };

/** The key themes are grouped by: "Etätuki " and "etätuki" are one theme. */
export const themeKey = (theme: string) => theme.trim().replace(/\s+/g, ' ').toLocaleLowerCase('fi');

const unique = (values: readonly string[]) => {
  const seen = new Map<string, string>();
  for (const v of values) if (v.trim() && !seen.has(themeKey(v))) seen.set(themeKey(v), v.trim());
  return [...seen.values()];
};

const hours = (minutes: number) => Math.round((minutes / 60) * 100) / 100;

const emptyKinds = (): Record<MeetingKind, number> => ({ kickoff: 0, 'follow-up': 0, extra: 0 });

function meetingSummary(meetings: readonly MeetingItem[]) {
  const held = meetings.filter((m) => m.loggedVersion !== undefined);
  const heldByKind = emptyKinds();
  for (const m of held) if (m.kind) heldByKind[m.kind] += 1;
  return {
    scheduled: meetings.filter((m) => m.status !== 'cancelled').length,
    held: held.length,
    cancelled: meetings.filter((m) => m.status === 'cancelled').length,
    heldByKind,
    hours: hours(held.reduce((sum, m) => sum + (m.durationMinutes ?? 0), 0)),
  };
}

/** Whether a registration's free-text municipality names this municipality (by name or code). */
export function registrationNames(registration: Pick<RegistrationItem, 'municipality'>, m: { code: string; name: string }) {
  const given = registration.municipality ? themeKey(registration.municipality) : '';
  return given !== '' && (given === themeKey(m.name) || given === m.code);
}

export interface ReportRound {
  roundId: string;
  name: string;
  region: string;
  places: number;
}

/**
 * The report of one round from its projected items. `tutorNames` resolves tutor ids at read time,
 * so the projection holds no tutor's personal data.
 */
export function buildReport(
  round: ReportRound,
  items: readonly ReportItem[],
  tutorNames: ReadonlyMap<string, string>,
  generatedAt: Date,
): RoundReport {
  const of = <T extends ReportItem['type']>(type: T) =>
    items.filter((i): i is Extract<ReportItem, { type: T }> => i.type === type);
  const meetings = of('report-meeting');
  const registrations = of('report-registration');
  const byApplication = new Map<string, MunicipalityItem>();
  for (const m of of('report-municipality')) byApplication.set(m.applicationId, m);
  // A meeting may be projected before its municipality (events arrive in any order): it still counts.
  for (const m of meetings)
    if (!byApplication.has(m.applicationId))
      byApplication.set(m.applicationId, { type: 'report-municipality', roundId: round.roundId, applicationId: m.applicationId });

  const rows: MunicipalityReport[] = [...byApplication.values()].map((item) => {
    const own = meetings
      .filter((m) => m.applicationId === item.applicationId)
      .sort((a, b) => (a.startsAt ?? '').localeCompare(b.startsAt ?? '') || a.meetingId.localeCompare(b.meetingId));
    const logged = own.filter((m) => m.loggedVersion !== undefined);
    const municipality = item.municipality ?? { code: '', name: '' };
    const named = item.municipality
      ? registrations.filter((r) => r.status !== 'cancelled' && registrationNames(r, municipality))
      : [];
    const engagement: ReportEngagement = item.engagement ?? 'none';
    return {
      applicationId: item.applicationId,
      municipality,
      ...(item.language ? { language: item.language } : {}),
      ...(item.stage ? { stage: item.stage } : {}),
      engagement,
      ...(item.tutorId ? { tutor: { tutorId: item.tutorId, ...withName(tutorNames.get(item.tutorId)) } } : {}),
      meetings: meetingSummary(own),
      appliedThemes: unique(item.appliedThemes ?? []),
      themes: unique(logged.flatMap((m) => m.themes ?? [])),
      actions: logged.flatMap((m) => m.actions ?? []),
      webinar: { registered: named.length, attended: named.filter((r) => r.attended === true).length },
    };
  });
  rows.sort(
    (a, b) =>
      a.municipality.name.localeCompare(b.municipality.name, 'fi') ||
      a.municipality.code.localeCompare(b.municipality.code) ||
      a.applicationId.localeCompare(b.applicationId),
  );

  const webinars: WebinarReport[] = [];
  const webinarIds = new Set([...of('report-webinar').map((w) => w.webinarId), ...registrations.map((r) => r.webinarId)]);
  for (const webinarId of [...webinarIds].sort()) {
    const w = of('report-webinar').find((x) => x.webinarId === webinarId);
    webinars.push({
      webinarId,
      ...(w?.title !== undefined ? { title: w.title } : {}),
      ...(w?.startsAt !== undefined ? { startsAt: w.startsAt } : {}),
      ...(w?.seats !== undefined ? { seats: w.seats } : {}),
      ...registrationCounts(registrations.filter((r) => r.webinarId === webinarId)),
    });
  }
  webinars.sort((a, b) => (a.startsAt ?? '').localeCompare(b.startsAt ?? '') || a.webinarId.localeCompare(b.webinarId));

  const stages = Object.fromEntries(stageOrder.map((s) => [s, 0])) as Record<ReportStage, number>;
  for (const r of rows) if (r.stage) stages[r.stage] += 1;
  const engagements: Record<ReportEngagement, number> = { assigned: 0, unassigned: 0, none: 0 };
  for (const r of rows) engagements[r.engagement] += 1;

  return {
    roundId: round.roundId,
    roundName: round.name,
    region: round.region,
    places: round.places,
    generatedAt: generatedAt.toISOString(),
    municipalities: rows,
    webinars,
    totals: {
      municipalities: rows.length,
      stages,
      engagements,
      meetings: meetingSummary(meetings),
      actions: rows.reduce((sum, r) => sum + r.actions.length, 0),
      themes: themeTotals(rows, meetings),
      webinar: registrationCounts(registrations),
    },
  };
}

const withName = (name: string | undefined) => (name === undefined ? {} : { name });

function registrationCounts(registrations: readonly RegistrationItem[]) {
  const count = (status: RegistrationState) => registrations.filter((r) => r.status === status).length;
  // Attendance is marked on confirmed registrations; a cancelled one no longer counts either way.
  const present = registrations.filter((r) => r.status !== 'cancelled');
  return {
    confirmed: count('confirmed'),
    waitlisted: count('waitlisted'),
    cancelled: count('cancelled'),
    attended: present.filter((r) => r.attended === true).length,
    absent: present.filter((r) => r.attended === false).length,
  };
}

/** Per theme: municipalities that applied with it, municipalities and sessions that raised it. Most raised first. */
export function themeTotals(rows: readonly MunicipalityReport[], meetings: readonly MeetingItem[]) {
  const totals = new Map<string, { theme: string; applications: number; municipalities: number; sessions: number }>();
  const entry = (theme: string) => {
    const key = themeKey(theme);
    let t = totals.get(key);
    if (!t) totals.set(key, (t = { theme: theme.trim(), applications: 0, municipalities: 0, sessions: 0 }));
    return t;
  };
  for (const r of rows) {
    for (const theme of r.appliedThemes) entry(theme).applications += 1;
    for (const theme of r.themes) entry(theme).municipalities += 1;
  }
  for (const m of meetings)
    if (m.loggedVersion !== undefined) for (const theme of unique(m.themes ?? [])) entry(theme).sessions += 1;
  return [...totals.values()].sort(
    (a, b) =>
      b.sessions - a.sessions ||
      b.municipalities - a.municipalities ||
      b.applications - a.applications ||
      a.theme.localeCompare(b.theme, 'fi'),
  );
}

export const reportCsvColumns = [
  'municipalityCode',
  'municipalityName',
  'applicationId',
  'language',
  'stage',
  'engagement',
  'tutor',
  'meetingsScheduled',
  'meetingsHeld',
  'meetingsCancelled',
  'hours',
  'appliedThemes',
  'themesRaised',
  'actionsAgreed',
  'webinarRegistrations',
  'webinarAttended',
] as const;

/** One row per municipality; lists are joined with "; ". */
export function reportCsv(report: Pick<RoundReport, 'municipalities'>): string {
  const list = (values: readonly string[]) => values.join('; ');
  const rows = report.municipalities.map((m) => {
    const cells: Record<(typeof reportCsvColumns)[number], unknown> = {
      municipalityCode: m.municipality.code,
      municipalityName: m.municipality.name,
      applicationId: m.applicationId,
      language: m.language,
      stage: m.stage,
      engagement: m.engagement,
      tutor: m.tutor?.name ?? m.tutor?.tutorId,
      meetingsScheduled: m.meetings.scheduled,
      meetingsHeld: m.meetings.held,
      meetingsCancelled: m.meetings.cancelled,
      hours: m.meetings.hours,
      appliedThemes: list(m.appliedThemes),
      themesRaised: list(m.themes),
      actionsAgreed: list(m.actions),
      webinarRegistrations: m.webinar.registered,
      webinarAttended: m.webinar.attended,
    };
    return cells;
  });
  return toCsv(reportCsvColumns, rows);
}
