// The situational picture against DynamoDB Local, the SES server and the local bus: a small round's
// lifecycle runs through the real handlers, then the report's totals are checked against the events
// that produced them, every event is delivered again (in reverse order) without changing it, and the CSV.
import type { APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { handler as apply } from '../../functions/intake/handlers/apply.js';
import { handler as createRound } from '../../functions/intake/handlers/create-round.js';
import { handler as getReport } from '../../functions/reporting/handlers/get-report.js';
import { handler as projectReport } from '../../functions/reporting/handlers/project-report.js';
import { reportCsvColumns } from '../../functions/reporting/domain.js';
import { handler as answerOffer } from '../../functions/selection/handlers/answer-offer.js';
import { handler as select } from '../../functions/selection/handlers/select.js';
import { handler as withdraw } from '../../functions/selection/handlers/withdraw.js';
import { advanceClock, now, resetClock } from '../../functions/shared/clock.js';
import { handler as changeMeeting } from '../../functions/tutoring/handlers/change-meeting.js';
import { handler as completeEngagement } from '../../functions/tutoring/handlers/complete-engagement.js';
import { handler as createTutor } from '../../functions/tutoring/handlers/create-tutor.js';
import { handler as logSession } from '../../functions/tutoring/handlers/log-session.js';
import { handler as scheduleMeeting } from '../../functions/tutoring/handlers/schedule-meeting.js';
import { handler as cancelRegistration } from '../../functions/webinar/handlers/cancel-registration.js';
import { handler as createWebinar } from '../../functions/webinar/handlers/create-webinar.js';
import { handler as markAttendance } from '../../functions/webinar/handlers/mark-attendance.js';
import { handler as register } from '../../functions/webinar/handlers/register.js';
import { eventRules } from '../../infra/wiring.js';
import { RoundReport, type ReportStage } from '../../schemas/api/report.js';
import type { BusEvent, LocalEventBus } from '../../local/event-bus.js';
import { httpEvent, lambdaContext } from '../support/fixtures.js';
import { startHarness, type Harness } from '../support/harness.js';
import { callRoute, coordinatorClaims, detailOf as relayedDetailOf } from '../support/invoke.js';

let bus: LocalEventBus;
let settled: () => Promise<void>;
let harness: Harness;

const minute = 60_000;
const hour = 60 * minute;
const day = 24 * hour;
const unique = () => Math.random().toString(36).slice(2, 10);
const coordinator = coordinatorClaims(`coordinator-${unique()}@example.fi`);
const tutorClaims = (email: string) => ({
  sub: `sub-${email}`,
  email,
  email_verified: 'true',
  'cognito:groups': '[tutors]',
  token_use: 'id',
});

beforeAll(async () => {
  harness = await startHarness('report', {
    retry: { attempts: 4, baseDelayMs: 5 },
    env: { COORDINATOR_EMAILS: `team-${unique()}@example.fi` },
  });
  bus = harness.bus;
  settled = harness.settled;
});

afterEach(async () => {
  await settled();
  expect(bus.listDeadLetters()).toEqual([]);
});

afterAll(async () => {
  resetClock();
  await harness?.stop();
});

const ok = <T extends { status: number; body: unknown }>(response: T, status = 200): T => {
  expect(response.status, JSON.stringify(response.body)).toBe(status);
  return response;
};
const wholeHourIn = (ms: number) => new Date(Math.ceil((now().getTime() + ms) / hour) * hour).toISOString();
const tokenOf = (url: string) => new URL(url).searchParams.get('token')!;

/** The stage each lifecycle event puts an application in (the projector's mapping, restated here). */
const stageOfEvent: Record<string, ReportStage | undefined> = {
  ApplicationReceived: 'received',
  ApplicationWaitlisted: 'waitlisted',
  PlaceOffered: 'offered',
  ApplicationAccepted: 'accepted',
  ApplicationWithdrawn: 'withdrawn',
  ApplicationCarriedOver: 'carried-over',
  EngagementCompleted: 'completed',
};

type Detail = Record<string, unknown>;
// Relayed (outbox) and directly published events alike.
const detailOf = (e: BusEvent) => relayedDetailOf<Detail>(e);
const ofType = (events: readonly BusEvent[], type: string) => events.filter((e) => e['detail-type'] === type).map(detailOf);
const distinct = (values: unknown[]) => new Set(values.map(String));

interface Lifecycle {
  roundId: string;
  names: Record<'a' | 'b' | 'c' | 'd', string>;
  /** What each logged session said, by meeting id and version. */
  logs: Map<string, Map<number, { durationMinutes: number; themes: string[]; actions: string[] }>>;
}

/**
 * Four municipalities apply for two places; A and B are accepted, C and D waitlisted. A tutor gets
 * both; A has a kickoff (logged, then corrected) and a follow-up, B a kickoff and a follow-up that
 * is cancelled; B withdraws, C takes the offered place; A completes. A webinar with two seats gets
 * four registrations, one cancellation (promoting the waitlisted) and attendance.
 */
async function runLifecycle(): Promise<Lifecycle> {
  const tag = unique();
  const names = { a: `Aakkosla ${tag}`, b: `Beeta ${tag}`, c: `Ceekylä, "C" ${tag}`, d: `Deeranta ${tag}` };
  const codes = { a: '091', b: '049', c: '092', d: '235' };
  const round = ok(
    await callRoute(createRound, 'POST /rounds', {
      claims: coordinator,
      body: {
        name: `Kevät ${tag}`,
        region: 'Uusimaa',
        places: 2,
        opensAt: new Date(now().getTime() - hour).toISOString(),
        closesAt: new Date(now().getTime() + 7 * day).toISOString(),
        languages: ['fi', 'sv'],
      },
    }),
    201,
  );
  const roundId: string = round.body.roundId;
  const tutorEmail = `tutor-${tag}@example.fi`;
  ok(
    await callRoute(createTutor, 'POST /tutors', {
      claims: coordinator,
      body: { name: 'Tiina Tutor', email: tutorEmail, languages: ['fi', 'sv'], regions: ['Uusimaa'], maxActive: 5 },
    }),
    201,
  );
  const tutor = tutorClaims(tutorEmail);

  const applied: Record<string, { applicationId: string; token: string }> = {};
  for (const key of ['a', 'b', 'c', 'd'] as const) {
    const response = ok(
      await callRoute(apply, 'POST /rounds/{roundId}/applications', {
        path: { roundId },
        body: {
          municipality: { code: codes[key], name: names[key] },
          contact: { name: 'Maija Yhteyshenkilö', email: `${key}-${tag}@example.fi` },
          language: key === 'd' ? 'sv' : 'fi',
          themes: key === 'a' ? ['Etätuki', 'Koordinointi'] : ['etätuki'],
          consent: true,
        },
      }),
      201,
    );
    applied[key] = { applicationId: response.body.applicationId, token: tokenOf(response.body.statusUrl) };
    advanceClock(5); // a distinct arrival order for first-come
  }
  ok(
    await callRoute(select, 'POST /rounds/{roundId}/selection', {
      claims: coordinator,
      path: { roundId },
      body: { policy: 'first-come', force: true },
    }),
  );
  await settled();

  const logs: Lifecycle['logs'] = new Map();
  const schedule = async (key: 'a' | 'b', kind: string, inMs: number, durationMinutes: number) =>
    ok(
      await callRoute(scheduleMeeting, 'POST /engagements/{engagementId}/meetings', {
        claims: tutor,
        path: { engagementId: applied[key]!.applicationId },
        body: { kind, startsAt: wholeHourIn(inMs), durationMinutes, joinUrl: 'https://meet.example.fi/x' },
      }),
      201,
    ).body.meetingId as string;
  const log = async (meetingId: string, body: { durationMinutes: number; themes: string[]; actions: string[] }) => {
    const response = ok(
      await callRoute(logSession, 'POST /meetings/{meetingId}/log', {
        claims: tutor,
        path: { meetingId },
        body: { attendees: 3, notes: 'Muistiinpanot', ...body },
      }),
      201,
    );
    const version = Math.max(0, ...(logs.get(meetingId)?.keys() ?? [])) + 1;
    logs.set(meetingId, (logs.get(meetingId) ?? new Map()).set(version, body));
    return response;
  };

  const aKickoff = await schedule('a', 'kickoff', day, 90);
  const aFollowUp = await schedule('a', 'follow-up', 2 * day, 60);
  const bKickoff = await schedule('b', 'kickoff', day + 2 * hour, 45);
  const bFollowUp = await schedule('b', 'follow-up', 3 * day, 60);

  const start = now().getTime();
  advanceClock(day + 4 * hour);
  await log(aKickoff, {
    durationMinutes: 90,
    themes: ['Etätuki', 'Kartoitus'],
    actions: ['Kartoita digituki', '=Nimeä koordinaattori'],
  });
  // A correction: the later version is what counts.
  await log(aKickoff, {
    durationMinutes: 75,
    themes: ['etätuki', 'Kartoitus'],
    actions: ['Kartoita digituki, kaikki toimialat'],
  });
  await log(bKickoff, { durationMinutes: 45, themes: ['Koordinointi'], actions: ['Sovi vastuut'] });
  ok(
    await callRoute(changeMeeting, 'PATCH /meetings/{meetingId}', {
      claims: tutor,
      path: { meetingId: bFollowUp },
      body: { status: 'cancelled' },
    }),
  );

  ok(
    await callRoute(withdraw, 'POST /applications/{applicationId}/withdraw', {
      path: { applicationId: applied.b!.applicationId },
      query: { token: applied.b!.token },
    }),
  );
  await settled();
  ok(
    await callRoute(answerOffer, 'POST /applications/{applicationId}/offer', {
      path: { applicationId: applied.c!.applicationId },
      query: { token: applied.c!.token },
      body: { answer: 'accept' },
    }),
  );
  await settled();

  advanceClock(start + 2 * day + 4 * hour - now().getTime());
  await log(aFollowUp, { durationMinutes: 60, themes: ['Etätuen aloittaminen'], actions: ['Pilotoi etätuki'] });
  ok(
    await callRoute(completeEngagement, 'POST /engagements/{engagementId}/complete', {
      claims: tutor,
      path: { engagementId: applied.a!.applicationId },
    }),
  );

  const startsAt = wholeHourIn(5 * day);
  const webinar = ok(
    await callRoute(createWebinar, 'POST /rounds/{roundId}/webinars', {
      claims: coordinator,
      path: { roundId },
      body: {
        title: `Päätöswebinaari ${tag}`,
        startsAt,
        endsAt: new Date(Date.parse(startsAt) + 2 * hour).toISOString(),
        seats: 2,
        registrationClosesAt: new Date(Date.parse(startsAt) - 2 * hour).toISOString(),
        joinUrl: 'https://teams.example.fi/webinar',
        languages: ['fi', 'sv'],
      },
    }),
    201,
  );
  const webinarId: string = webinar.body.webinarId;
  const registerAs = async (i: number, municipality?: string) =>
    ok(
      await callRoute(register, 'POST /webinars/{webinarId}/registrations', {
        path: { webinarId },
        body: {
          name: `Osallistuja ${i}`,
          email: `p${i}-${tag}@example.fi`,
          language: 'fi',
          consent: true,
          ...(municipality ? { municipality } : {}),
        },
      }),
      201,
    ).body as { registrationId: string; status: string; cancelUrl: string };
  const fromA = await registerAs(1, names.a);
  const fromC = await registerAs(2, codes.c);
  const other = await registerAs(3);
  const alsoC = await registerAs(4, names.c.toUpperCase());
  expect([fromA.status, fromC.status, other.status, alsoC.status]).toEqual([
    'confirmed',
    'confirmed',
    'waitlisted',
    'waitlisted',
  ]);
  ok(
    await callRoute(cancelRegistration, 'DELETE /registrations/{registrationId}', {
      path: { registrationId: fromC.registrationId },
      query: { token: tokenOf(fromC.cancelUrl) },
    }),
  );
  await settled(); // the freed seat goes to `other`

  advanceClock(Date.parse(startsAt) + 30 * minute - now().getTime());
  ok(
    await callRoute(markAttendance, 'POST /webinars/{webinarId}/attendance', {
      claims: coordinator,
      path: { webinarId },
      body: { registrationIds: [fromA.registrationId], attended: true },
    }),
  );
  ok(
    await callRoute(markAttendance, 'POST /webinars/{webinarId}/attendance', {
      claims: coordinator,
      path: { webinarId },
      body: { registrationIds: [other.registrationId], attended: false },
    }),
  );
  await settled();
  return { roundId, names, logs };
}

const reportOf = async (roundId: string, headers: Record<string, string> = {}) =>
  callRoute(getReport, 'GET /rounds/{roundId}/report', { claims: coordinator, path: { roundId }, headers });

/** The CSV answer as it is (callRoute parses bodies as JSON). */
async function csvReportOf(roundId: string) {
  const rawPath = `/rounds/${roundId}/report`;
  const event = httpEvent('http-api-apply', {
    routeKey: 'GET /rounds/{roundId}/report',
    rawPath,
    rawQueryString: '',
    headers: { accept: 'text/csv', host: 'localhost:3000' },
    pathParameters: { roundId },
    body: '',
    claims: coordinator,
  });
  event.requestContext.http = { ...event.requestContext.http, method: 'GET', path: rawPath };
  event.requestContext.routeKey = 'GET /rounds/{roundId}/report';
  return (await getReport(event, lambdaContext as never)) as APIGatewayProxyStructuredResultV2;
}

/** The report without the moment it was made, for comparing two readings. */
const stable = (report: RoundReport) => ({ ...report, generatedAt: undefined });

describe('GET /rounds/{roundId}/report', () => {
  let lifecycle: Lifecycle;
  let report: RoundReport;
  let events: BusEvent[];

  beforeAll(async () => {
    lifecycle = await runLifecycle();
    const response = ok(await reportOf(lifecycle.roundId));
    report = RoundReport.parse(response.body);
    events = [...bus.publishedEvents()];
  }, 120_000);

  it('totals each stage as the events that moved each application left it', () => {
    const roundEvents = events.filter((e) => detailOf(e).roundId === lifecycle.roundId);
    const received = distinct(ofType(roundEvents, 'ApplicationReceived').map((d) => d.applicationId));
    // The last stage event of each application, in the order the bus accepted them.
    const lastStage = new Map<string, ReportStage>();
    for (const e of roundEvents) {
      const stage = stageOfEvent[e['detail-type']];
      if (stage) lastStage.set(String(detailOf(e).applicationId), stage);
    }
    const expected = Object.fromEntries(Object.keys(report.totals.stages).map((s) => [s, 0]));
    for (const stage of lastStage.values()) expected[stage]! += 1;

    expect(report.totals.municipalities).toBe(received.size);
    expect(report.totals.stages).toEqual(expected);
    expect(report.totals.stages).toMatchObject({ accepted: 1, waitlisted: 1, withdrawn: 1, completed: 1 });
    for (const m of report.municipalities) expect(m.stage).toBe(lastStage.get(m.applicationId));
    expect(report.roundId).toBe(lifecycle.roundId);
    expect(report.region).toBe('Uusimaa');
  });

  it('counts engagements, tutors, meetings, hours, themes and actions as the events recorded them', () => {
    const roundEvents = events.filter((e) => detailOf(e).roundId === lifecycle.roundId);
    const assigned = distinct(ofType(roundEvents, 'TutorAssigned').map((d) => d.applicationId));
    expect(report.totals.engagements.assigned).toBe(assigned.size);
    expect(
      report.municipalities
        .filter((m) => m.tutor?.name === 'Tiina Tutor')
        .map((m) => m.applicationId)
        .sort(),
    ).toEqual([...assigned].sort());

    const engagements = distinct(ofType(roundEvents, 'TutorAssigned').map((d) => d.engagementId));
    const ours = (d: Detail) => engagements.has(String(d.engagementId));
    const scheduledIds = distinct(
      ofType(events, 'MeetingScheduled')
        .filter(ours)
        .map((d) => d.meetingId),
    );
    const cancelledIds = distinct(
      ofType(events, 'MeetingCancelled')
        .filter(ours)
        .map((d) => d.meetingId),
    );
    const latestVersion = new Map<string, number>();
    for (const d of ofType(events, 'SessionLogged').filter(ours))
      latestVersion.set(String(d.meetingId), Math.max(latestVersion.get(String(d.meetingId)) ?? 0, Number(d.version)));
    const latestLogs = [...latestVersion].map(([meetingId, version]) => lifecycle.logs.get(meetingId)!.get(version)!);

    expect(report.totals.meetings.scheduled).toBe(scheduledIds.size - cancelledIds.size);
    expect(report.totals.meetings.cancelled).toBe(cancelledIds.size);
    expect(report.totals.meetings.held).toBe(latestVersion.size);
    const minutes = latestLogs.reduce((sum, l) => sum + l.durationMinutes, 0);
    expect(report.totals.meetings.hours).toBe(Math.round((minutes / 60) * 100) / 100);
    expect(report.totals.meetings.hours).toBe(3); // 75 + 45 + 60 minutes: the correction replaced 90
    expect(report.totals.actions).toBe(latestLogs.reduce((sum, l) => sum + l.actions.length, 0));

    const sessionsPerTheme = new Map<string, number>();
    for (const l of latestLogs)
      for (const t of new Set(l.themes.map((x) => x.toLowerCase()))) sessionsPerTheme.set(t, (sessionsPerTheme.get(t) ?? 0) + 1);
    const reported = Object.fromEntries(
      report.totals.themes.filter((t) => t.sessions > 0).map((t) => [t.theme.toLowerCase(), t.sessions]),
    );
    expect(reported).toEqual(Object.fromEntries(sessionsPerTheme));
    expect(report.totals.themes.find((t) => t.theme.toLowerCase() === 'etätuki')).toMatchObject({ applications: 4 });

    const a = report.municipalities.find((m) => m.municipality.name === lifecycle.names.a)!;
    expect(a).toMatchObject({
      stage: 'completed',
      engagement: 'assigned',
      meetings: { held: 2, scheduled: 2, cancelled: 0, hours: 2.25, heldByKind: { kickoff: 1, 'follow-up': 1, extra: 0 } },
      themes: ['etätuki', 'Kartoitus', 'Etätuen aloittaminen'],
      actions: ['Kartoita digituki, kaikki toimialat', 'Pilotoi etätuki'],
      webinar: { registered: 1, attended: 1 },
    });
    const d = report.municipalities.find((m) => m.municipality.name === lifecycle.names.d)!;
    expect(d).toMatchObject({ stage: 'waitlisted', engagement: 'none', language: 'sv' });
  });

  it('counts webinar registrations and attendance as the events left each registration', () => {
    const webinarIds = distinct(
      ofType(events, 'WebinarCreated')
        .filter((d) => d.roundId === lifecycle.roundId)
        .map((d) => d.webinarId),
    );
    const ours = events.filter((e) => webinarIds.has(String(detailOf(e).webinarId)));
    const state = new Map<string, string>();
    const attended = new Map<string, boolean>();
    for (const e of ours) {
      const id = String(detailOf(e).registrationId);
      const type = e['detail-type'];
      if (type === 'RegistrationConfirmed' || type === 'RegistrationPromoted') state.set(id, 'confirmed');
      if (type === 'RegistrationWaitlisted' && state.get(id) === undefined) state.set(id, 'waitlisted');
      if (type === 'RegistrationCancelled') state.set(id, 'cancelled');
      if (type === 'AttendanceMarked') attended.set(id, Boolean(detailOf(e).attended));
    }
    const count = (s: string) => [...state.values()].filter((x) => x === s).length;
    expect(report.totals.webinar).toEqual({
      confirmed: count('confirmed'),
      waitlisted: count('waitlisted'),
      cancelled: count('cancelled'),
      attended: [...attended.values()].filter(Boolean).length,
      absent: [...attended.values()].filter((x) => !x).length,
    });
    expect(report.totals.webinar).toEqual({ confirmed: 2, waitlisted: 1, cancelled: 1, attended: 1, absent: 1 });
    expect(report.webinars).toHaveLength(1);
    const c = report.municipalities.find((m) => m.municipality.name === lifecycle.names.c)!;
    expect(c.webinar).toEqual({ registered: 1, attended: 0 }); // the one by code was cancelled; the one by name waits
  });

  it('is unchanged when every event is delivered again, in reverse order', async () => {
    const subscribed: readonly string[] = eventRules.ProjectRoundReport.pattern['detail-type'];
    const redelivered = [...events].reverse().filter((e) => subscribed.includes(e['detail-type']));
    expect(redelivered.length).toBeGreaterThan(30);
    for (const event of redelivered) await projectReport(event);
    const again = RoundReport.parse(ok(await reportOf(lifecycle.roundId)).body);
    expect(stable(again)).toEqual(stable(report));
  });

  it('gives one CSV row per municipality under clear headers, escaped', async () => {
    const response = await csvReportOf(lifecycle.roundId);
    expect(response.statusCode).toBe(200);
    expect(response.headers?.['content-type']).toMatch(/^text\/csv/);
    const csv = String(response.body);
    const lines = csv.trimEnd().split('\r\n');
    expect(lines[0]).toBe(reportCsvColumns.join(','));
    expect(lines).toHaveLength(1 + report.municipalities.length);
    const cLine = lines.find((l) => l.includes('Ceekylä'))!;
    expect(cLine).toContain(`"${lifecycle.names.c.replace(/"/g, '""')}"`);
    const aLine = lines.find((l) => l.includes(lifecycle.names.a))!;
    expect(aLine).toContain('"Kartoita digituki, kaikki toimialat; Pilotoi etätuki"');
    expect(aLine.split(',').slice(0, 5)).toEqual([
      '091',
      lifecycle.names.a,
      report.municipalities.find((m) => m.municipality.code === '091')!.applicationId,
      'fi',
      'completed',
    ]);
  });

  it('is for coordinators only, and 404 for an unknown round', async () => {
    const asTutor = await callRoute(getReport, 'GET /rounds/{roundId}/report', {
      claims: tutorClaims('t@example.fi'),
      path: { roundId: lifecycle.roundId },
    });
    expect(asTutor.status).toBe(403);
    expect((await reportOf('no-such-round')).status).toBe(404);
  });
});
