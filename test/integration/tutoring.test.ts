// Tutoring against DynamoDB Local, the SES server and the local bus: roster, assignment, meetings with
// calendar invitations (parsed by node-ical), reminders, session logs, completion, access and redelivery.
import ical, { type VEvent } from 'node-ical';
import { GetCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { handler as apply } from '../../functions/intake/handlers/apply.js';
import { handler as createRound } from '../../functions/intake/handlers/create-round.js';
import { handler as getApplication } from '../../functions/intake/handlers/get-application.js';
import { handler as select } from '../../functions/selection/handlers/select.js';
import { handler as withdraw } from '../../functions/selection/handlers/withdraw.js';
import { dynamo, eventBridge } from '../../functions/shared/aws.js';
import { advanceClock, now, resetClock } from '../../functions/shared/clock.js';
import { formatDateTime } from '../../functions/shared/format.js';
import { handler as assignTutor } from '../../functions/tutoring/handlers/assign-tutor.js';
import { handler as changeMeeting } from '../../functions/tutoring/handlers/change-meeting.js';
import { handler as completeEngagement } from '../../functions/tutoring/handlers/complete-engagement.js';
import { handler as createTutor } from '../../functions/tutoring/handlers/create-tutor.js';
import { handler as followSelection } from '../../functions/tutoring/handlers/follow-selection.js';
import { handler as getEngagement } from '../../functions/tutoring/handlers/get-engagement.js';
import { handler as listMyEngagements } from '../../functions/tutoring/handlers/list-my-engagements.js';
import { handler as listRoundEngagements } from '../../functions/tutoring/handlers/list-round-engagements.js';
import { handler as listTutors } from '../../functions/tutoring/handlers/list-tutors.js';
import { handler as logSession } from '../../functions/tutoring/handlers/log-session.js';
import { handler as requestExtraMeetings } from '../../functions/tutoring/handlers/request-extra-meetings.js';
import { handler as scheduleMeeting } from '../../functions/tutoring/handlers/schedule-meeting.js';
import { handler as triggerDueReminders } from '../../functions/tutoring/handlers/trigger-due-reminders.js';
import { handler as updateTutor } from '../../functions/tutoring/handlers/update-tutor.js';
import { eventRules } from '../../infra/wiring.js';
import { applyEnvironment } from '../../local/aws-env.js';
import type { BusEvent, LocalEventBus } from '../../local/event-bus.js';
import type { EventFlow } from '../../local/event-flow.js';
import { defaultLoadHandler } from '../../local/handlers.js';
import { createIsolatedTable, readInbox, type InboxEmail } from '../../local/testing.js';
import { countItems, startIsolatedEventFlow } from '../support/harness.js';
import { busEvent, callRoute, coordinatorClaims, detailOf } from '../support/invoke.js';

let bus: LocalEventBus;
let events: EventFlow;
const settled = () => events.settled();
let tableName: string;
let restoreEnv: () => void;

const minute = 60_000;
const hour = 60 * minute;
const day = 24 * hour;
const unique = () => Math.random().toString(36).slice(2, 10);
const coordinatorEmail = `coordinator-${unique()}@example.fi`;
const teamMailbox = `team-${unique()}@example.fi`;
const coordinator = coordinatorClaims(coordinatorEmail);
const tutorClaims = (email: string) => ({
  sub: `sub-${email}`,
  email,
  email_verified: 'true',
  'cognito:groups': '[tutors]',
  token_use: 'id',
});

beforeAll(async () => {
  tableName = await createIsolatedTable('tutoring');
  events = await startIsolatedEventFlow(tableName, { retry: { attempts: 4, baseDelayMs: 5 } });
  bus = events.bus;
  restoreEnv = applyEnvironment({
    TABLE_NAME: tableName,
    EVENT_BUS_NAME: bus.busName,
    EMAIL_FROM: 'no-reply@sparraus.local',
    PUBLIC_URL: 'http://localhost:3000',
    AWS_ENDPOINT_URL_EVENTBRIDGE: bus.url,
    COORDINATOR_EMAILS: teamMailbox,
  });
});

afterEach(async () => {
  await settled();
  // A handler that kept failing would end here; none may.
  expect(bus.listDeadLetters()).toEqual([]);
  resetClock();
});

afterAll(async () => {
  await events?.stop();
  restoreEnv?.();
});

// --- Helpers --------------------------------------------------------------------------------------

interface Tutor {
  tutorId: string;
  email: string;
  name: string;
  activeEngagements: number;
}

async function addTutor(
  fields: { languages?: string[]; regions?: string[]; maxActive?: number; name?: string } = {},
): Promise<Tutor> {
  const email = `tutor-${unique()}@example.fi`;
  const response = await callRoute(createTutor, 'POST /tutors', {
    claims: coordinator,
    body: {
      name: fields.name ?? `Tutor ${unique()}`,
      email,
      languages: fields.languages ?? ['fi'],
      regions: fields.regions ?? [],
      maxActive: fields.maxActive ?? 5,
    },
  });
  expect(response.status).toBe(201);
  advanceClock(5); // distinct creation times make the roster's order observable
  return response.body;
}

/** Retires every active tutor, so that each assignment test chooses among its own tutors only. */
async function retireRoster(): Promise<void> {
  const { body } = await callRoute(listTutors, 'GET /tutors', { claims: coordinator });
  for (const tutor of body.tutors as { tutorId: string; active: boolean }[]) {
    if (tutor.active) {
      const response = await callRoute(updateTutor, 'PATCH /tutors/{tutorId}', {
        claims: coordinator,
        path: { tutorId: tutor.tutorId },
        body: { active: false },
      });
      expect(response.status).toBe(200);
    }
  }
}

async function tutorNow(tutorId: string): Promise<Tutor> {
  const { body } = await callRoute(listTutors, 'GET /tutors', { claims: coordinator });
  return (body.tutors as Tutor[]).find((t) => t.tutorId === tutorId)!;
}

interface Municipality {
  applicationId: string;
  engagementId: string;
  token: string;
  email: string;
  name: string;
  roundId: string;
}

/** A municipality accepted into a round of its own (the round's region as given), its events handled. */
async function acceptedMunicipality(options: { language?: 'fi' | 'sv' | 'en'; region?: string } = {}): Promise<Municipality> {
  const round = await callRoute(createRound, 'POST /rounds', {
    claims: coordinator,
    body: {
      name: `Kierros ${unique()}`,
      region: options.region ?? '01',
      places: 3,
      opensAt: new Date(now().getTime() - hour).toISOString(),
      closesAt: new Date(now().getTime() + 7 * day).toISOString(),
      languages: ['fi', 'sv', 'en'],
    },
  });
  expect(round.status).toBe(201);
  const roundId: string = round.body.roundId;
  const email = `kunta-${unique()}@example.fi`;
  const name = `Kunta ${unique()}`;
  const applied = await callRoute(apply, 'POST /rounds/{roundId}/applications', {
    path: { roundId },
    body: {
      municipality: { code: '091', name },
      contact: { name: 'Maija Yhteyshenkilö', email },
      language: options.language ?? 'fi',
      themes: ['etätuki', 'koordinointi'],
      consent: true,
    },
  });
  expect(applied.status).toBe(201);
  const selected = await callRoute(select, 'POST /rounds/{roundId}/selection', {
    claims: coordinator,
    path: { roundId },
    body: { policy: 'first-come', force: true },
  });
  expect(selected.status).toBe(200);
  await settled();
  const applicationId: string = applied.body.applicationId;
  return {
    applicationId,
    engagementId: applicationId,
    token: new URL(applied.body.statusUrl).searchParams.get('token')!,
    email,
    name,
    roundId,
  };
}

const engagementOf = async (m: Municipality, claims: Record<string, unknown> = coordinator) =>
  callRoute(getEngagement, 'GET /engagements/{engagementId}', { claims, path: { engagementId: m.engagementId } });

const statusPage = async (m: Municipality) =>
  (
    await callRoute(getApplication, 'GET /applications/{applicationId}', {
      path: { applicationId: m.applicationId },
      query: { token: m.token },
    })
  ).body;

/** A future instant on a whole hour, so that Helsinki times in emails are easy to read. */
const wholeHourIn = (ms: number) => new Date(Math.ceil((now().getTime() + ms) / hour) * hour).toISOString();

const schedule = (m: Municipality, tutor: Tutor, body: Record<string, unknown>) =>
  callRoute(scheduleMeeting, 'POST /engagements/{engagementId}/meetings', {
    claims: tutorClaims(tutor.email),
    path: { engagementId: m.engagementId },
    body,
  });

const change = (meetingId: string, tutor: Tutor, body: Record<string, unknown>) =>
  callRoute(changeMeeting, 'PATCH /meetings/{meetingId}', { claims: tutorClaims(tutor.email), path: { meetingId }, body });

const log = (meetingId: string, tutor: Tutor, body: Record<string, unknown>) =>
  callRoute(logSession, 'POST /meetings/{meetingId}/log', { claims: tutorClaims(tutor.email), path: { meetingId }, body });

const tick = async () => {
  await triggerDueReminders({} as never);
  await settled();
};

const mails = (to: string, subject?: RegExp): Promise<InboxEmail[]> =>
  readInbox({ to }).then((all) => (subject ? all.filter((m) => subject.test(m.subject)) : all));

function calendarOf(mail: InboxEmail) {
  const attachment = mail.attachments.find((a) => a.contentType.startsWith('text/calendar'));
  if (!attachment) throw new Error(`"${mail.subject}" has no calendar attachment`);
  const text = Buffer.from(attachment.content, 'base64').toString('utf8');
  const parsed = ical.sync.parseICS(text);
  const events = Object.values(parsed).filter((c): c is VEvent => c?.type === 'VEVENT');
  expect(events).toHaveLength(1);
  return {
    text,
    contentType: attachment.contentType,
    method: (parsed.vcalendar as { method?: string } | undefined)?.method,
    event: events[0]!,
  };
}

function attendeesOf(event: VEvent): string[] {
  const raw = (event as unknown as { attendee?: unknown }).attendee;
  return [raw]
    .flat()
    .filter(Boolean)
    .map((a) => String(typeof a === 'object' && a !== null && 'val' in a ? (a as { val: unknown }).val : a).toLowerCase());
}

/** "9.00" style hour in Helsinki, worked out independently of the code under test. */
const helsinkiTime = (iso: string) =>
  new Intl.DateTimeFormat('fi-FI', { timeZone: 'Europe/Helsinki', hour: 'numeric', minute: '2-digit' })
    .format(new Date(iso))
    .replace(':', '.');

const itemCount = () => countItems(tableName);

const logBody = {
  attendees: 4,
  themes: ['etätuen aloittaminen'],
  notes: 'Hyvä keskustelu',
  actions: ['Kartoita nykyinen digituki', 'Nimeä koordinaattori'],
  durationMinutes: 60,
};

// --- Roster ---------------------------------------------------------------------------------------

describe('roster', () => {
  it('adds, lists and changes tutors; a repeated POST is the same tutor; an email belongs to one tutor', async () => {
    const email = `roster-${unique()}@example.fi`;
    const body = {
      name: 'Tiina Tutor',
      email: email.toUpperCase(),
      languages: ['fi', 'sv'],
      regions: ['01', 'Pirkanmaa'],
      maxActive: 3,
    };
    const created = await callRoute(createTutor, 'POST /tutors', { claims: coordinator, body });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({
      name: 'Tiina Tutor',
      email,
      languages: ['fi', 'sv'],
      maxActive: 3,
      active: true,
      activeEngagements: 0,
    });
    const again = await callRoute(createTutor, 'POST /tutors', { claims: coordinator, body });
    expect(again.status).toBe(200);
    expect(again.body.tutorId).toBe(created.body.tutorId);
    const other = await callRoute(createTutor, 'POST /tutors', { claims: coordinator, body: { ...body, name: 'Someone Else' } });
    expect(other.status).toBe(409);
    expect(other.body.error.code).toBe('tutor_email_taken');

    const listed = await callRoute(listTutors, 'GET /tutors', { claims: coordinator });
    expect(listed.body.tutors.filter((t: { email: string }) => t.email === email)).toHaveLength(1);

    const patched = await callRoute(updateTutor, 'PATCH /tutors/{tutorId}', {
      claims: coordinator,
      path: { tutorId: created.body.tutorId },
      body: { maxActive: 4, regions: ['02'], active: false },
    });
    expect(patched.status).toBe(200);
    expect(patched.body).toMatchObject({ maxActive: 4, regions: ['02'], active: false, name: 'Tiina Tutor' });

    const second = await addTutor();
    const taken = await callRoute(updateTutor, 'PATCH /tutors/{tutorId}', {
      claims: coordinator,
      path: { tutorId: second.tutorId },
      body: { email },
    });
    expect(taken.status).toBe(409);
    const moved = await callRoute(updateTutor, 'PATCH /tutors/{tutorId}', {
      claims: coordinator,
      path: { tutorId: created.body.tutorId },
      body: { email: `moved-${email}` },
    });
    expect(moved.status).toBe(200);
    // The old address is free again.
    const reused = await callRoute(updateTutor, 'PATCH /tutors/{tutorId}', {
      claims: coordinator,
      path: { tutorId: second.tutorId },
      body: { email },
    });
    expect(reused.status).toBe(200);
  });

  it('refuses bad bodies with field paths and writes nothing; tutors cannot manage the roster', async () => {
    const before = await itemCount();
    const bad = await callRoute(createTutor, 'POST /tutors', {
      claims: coordinator,
      body: { name: '', email: 'not-an-email', languages: ['de'], regions: [''], maxActive: 0, extra: 1 },
    });
    expect(bad.status).toBe(400);
    const paths = bad.body.error.issues.map((i: { path: string }) => i.path);
    expect(paths).toEqual(expect.arrayContaining(['name', 'email', 'languages.0', 'regions.0', 'maxActive']));
    const empty = await callRoute(updateTutor, 'PATCH /tutors/{tutorId}', {
      claims: coordinator,
      path: { tutorId: 'x' },
      body: {},
    });
    expect(empty.status).toBe(400);
    const unknown = await callRoute(updateTutor, 'PATCH /tutors/{tutorId}', {
      claims: coordinator,
      path: { tutorId: 'nobody' },
      body: { maxActive: 2 },
    });
    expect(unknown.status).toBe(404);
    expect(await itemCount()).toBe(before);
    const byTutor = await callRoute(createTutor, 'POST /tutors', {
      claims: tutorClaims('t@example.fi'),
      body: { name: 'X', email: 'x@example.fi', languages: ['fi'], maxActive: 1 },
    });
    expect(byTutor.status).toBe(403);
  });
});

// --- Assignment -----------------------------------------------------------------------------------

describe('assignment', () => {
  it('language: only a tutor who speaks the municipality’s language is chosen', async () => {
    await retireRoster();
    const region = `r-${unique()}`;
    await addTutor({ languages: ['fi'], regions: [region] });
    const swedish = await addTutor({ languages: ['sv', 'en'] });
    const m = await acceptedMunicipality({ language: 'sv', region });
    const { body } = await engagementOf(m);
    expect(body).toMatchObject({ status: 'active', tutor: { tutorId: swedish.tutorId }, language: 'sv' });
    // Both sides are told, in their languages.
    expect(await mails(m.email, /Kommuntutor utsedd/)).toHaveLength(1);
    expect((await mails(m.email, /Kommuntutor utsedd/))[0]!.body.text).toContain(swedish.email);
    expect(await mails(swedish.email, /Ny kommun att sparra/)).toHaveLength(1);
    expect((await statusPage(m)).tutor).toEqual({ name: swedish.name, email: swedish.email });
  });

  it('region first, then load: the same-region tutor gets it until full (maxActive), then another', async () => {
    await retireRoster();
    const region = `r-${unique()}`;
    const elsewhere = await addTutor({ regions: ['somewhere-else'] });
    const local = await addTutor({ regions: [region.toUpperCase()], maxActive: 2 });
    const first = await acceptedMunicipality({ region });
    const second = await acceptedMunicipality({ region });
    const third = await acceptedMunicipality({ region });
    expect((await engagementOf(first)).body.tutor.tutorId).toBe(local.tutorId);
    // Same region beats fewer active engagements ...
    expect((await engagementOf(second)).body.tutor.tutorId).toBe(local.tutorId);
    // ... but never above maxActive.
    expect((await engagementOf(third)).body.tutor.tutorId).toBe(elsewhere.tutorId);
    expect((await tutorNow(local.tutorId)).activeEngagements).toBe(2);
    expect((await tutorNow(elsewhere.tutorId)).activeEngagements).toBe(1);
  });

  it('fewest active engagements first, round-robin among equals', async () => {
    await retireRoster();
    const region = `r-${unique()}`;
    const a = await addTutor();
    const b = await addTutor();
    const c = await addTutor();
    const chosen: string[] = [];
    for (let i = 0; i < 6; i++) chosen.push((await engagementOf(await acceptedMunicipality({ region }))).body.tutor.tutorId);
    // Never assigned first (in roster order), then the one who waited longest since the last assignment.
    expect(chosen).toEqual([a, b, c, a, b, c].map((t) => t.tutorId));
    // A tutor with fewer active engagements wins over the round-robin turn.
    const d = await addTutor();
    expect((await engagementOf(await acceptedMunicipality({ region }))).body.tutor.tutorId).toBe(d.tutorId);
  });

  it('nobody fits: the engagement waits unassigned and the coordinators are emailed once; a coordinator assigns', async () => {
    await retireRoster();
    const finnish = await addTutor({ languages: ['fi'], maxActive: 1 });
    const m = await acceptedMunicipality({ language: 'en' });
    const { body } = await engagementOf(m);
    expect(body.status).toBe('unassigned');
    expect(body.tutor).toBeUndefined();
    for (const address of [coordinatorEmail, teamMailbox]) {
      const notices = (await mails(address, /Tutoria ei löytynyt/)).filter((mail) => mail.body.text!.includes(m.engagementId));
      expect(notices, address).toHaveLength(1);
    }
    expect((await statusPage(m)).tutor).toBeUndefined();

    // A coordinator overrides (language is the coordinator's call); maxActive still holds.
    const assigned = await callRoute(assignTutor, 'POST /engagements/{engagementId}/tutor', {
      claims: coordinator,
      path: { engagementId: m.engagementId },
      body: { tutorId: finnish.tutorId },
    });
    expect(assigned.status).toBe(200);
    expect(assigned.body).toMatchObject({ status: 'active', tutor: { tutorId: finnish.tutorId } });
    await settled();
    expect(await mails(m.email, /Your tutor/)).toHaveLength(1);
    const other = await acceptedMunicipality({ language: 'en' });
    const full = await callRoute(assignTutor, 'POST /engagements/{engagementId}/tutor', {
      claims: coordinator,
      path: { engagementId: other.engagementId },
      body: { tutorId: finnish.tutorId },
    });
    expect(full.status).toBe(409);
    expect(full.body.error.code).toBe('tutor_full');
    const unknown = await callRoute(assignTutor, 'POST /engagements/{engagementId}/tutor', {
      claims: coordinator,
      path: { engagementId: other.engagementId },
      body: { tutorId: 'nobody' },
    });
    expect(unknown.status).toBe(400);
    expect(unknown.body.error.issues[0].path).toBe('tutorId');
    expect((await tutorNow(finnish.tutorId)).activeEngagements).toBe(1);
  });

  it('reassignment moves the load and tells the municipality, the new and the previous tutor', async () => {
    await retireRoster();
    const first = await addTutor({ languages: ['fi'] });
    const m = await acceptedMunicipality();
    expect((await engagementOf(m)).body.tutor.tutorId).toBe(first.tutorId);
    const second = await addTutor({ languages: ['sv'] });
    const moved = await callRoute(assignTutor, 'POST /engagements/{engagementId}/tutor', {
      claims: coordinator,
      path: { engagementId: m.engagementId },
      body: { tutorId: second.tutorId },
    });
    expect(moved.status).toBe(200);
    await settled();
    const same = await callRoute(assignTutor, 'POST /engagements/{engagementId}/tutor', {
      claims: coordinator,
      path: { engagementId: m.engagementId },
      body: { tutorId: second.tutorId },
    });
    expect(same.status).toBe(200);
    await settled();
    expect((await tutorNow(first.tutorId)).activeEngagements).toBe(0);
    expect((await tutorNow(second.tutorId)).activeEngagements).toBe(1);
    expect(await mails(m.email, /Uusi kuntatutori/)).toHaveLength(1);
    expect(await mails(second.email, /Ny kommun att sparra/)).toHaveLength(1);
    expect(await mails(first.email, /Tutorointi siirretty/)).toHaveLength(1);
    // The previous tutor no longer sees it.
    expect((await engagementOf(m, tutorClaims(first.email))).status).toBe(403);
    expect(
      (await callRoute(listMyEngagements, 'GET /me/engagements', { claims: tutorClaims(first.email) })).body.engagements,
    ).toEqual([]);
  });

  it('many acceptances at once never put a tutor above maxActive', async () => {
    await retireRoster();
    const region = `r-${unique()}`;
    const tutors = [await addTutor({ maxActive: 2 }), await addTutor({ maxActive: 1 })];
    const round = await callRoute(createRound, 'POST /rounds', {
      claims: coordinator,
      body: {
        name: `Iso ${unique()}`,
        region,
        places: 6,
        opensAt: new Date(Date.now() - hour).toISOString(),
        closesAt: new Date(Date.now() + day).toISOString(),
        languages: ['fi'],
      },
    });
    for (let i = 0; i < 6; i++) {
      await callRoute(apply, 'POST /rounds/{roundId}/applications', {
        path: { roundId: round.body.roundId },
        body: {
          municipality: { code: String(200 + i), name: `Kunta ${i}` },
          contact: { name: 'K', email: `many-${unique()}@example.fi` },
          language: 'fi',
          themes: ['x'],
          consent: true,
        },
      });
    }
    await callRoute(select, 'POST /rounds/{roundId}/selection', {
      claims: coordinator,
      path: { roundId: round.body.roundId },
      body: { policy: 'first-come', force: true },
    });
    await settled();
    const listing = await callRoute(listRoundEngagements, 'GET /rounds/{roundId}/engagements', {
      claims: coordinator,
      path: { roundId: round.body.roundId },
    });
    expect(listing.status).toBe(200);
    const statuses = listing.body.engagements.map((e: { status: string }) => e.status).sort();
    expect(statuses).toEqual(['active', 'active', 'active', 'unassigned', 'unassigned', 'unassigned']);
    expect((await tutorNow(tutors[0]!.tutorId)).activeEngagements).toBe(2);
    expect((await tutorNow(tutors[1]!.tutorId)).activeEngagements).toBe(1);
  });
});

// --- Meetings -------------------------------------------------------------------------------------

async function coachedMunicipality(options: { language?: 'fi' | 'sv' | 'en'; tutorLanguages?: string[] } = {}) {
  await retireRoster();
  const tutor = await addTutor({ languages: options.tutorLanguages ?? [options.language ?? 'fi'] });
  const m = await acceptedMunicipality({ language: options.language ?? 'fi' });
  expect((await engagementOf(m)).body.tutor.tutorId).toBe(tutor.tutorId);
  return { tutor, m };
}

describe('meetings and calendar invitations', () => {
  it('schedule → invitation with REQUEST; reschedule → same UID, higher SEQUENCE; cancel → CANCEL; times in Helsinki', async () => {
    const { tutor, m } = await coachedMunicipality();
    const startsAt = wholeHourIn(5 * day);
    const body = { kind: 'kickoff', startsAt, durationMinutes: 90, joinUrl: 'https://meet.example.fi/kickoff' };
    const created = await schedule(m, tutor, body);
    expect(created.status).toBe(201);
    const meetingId: string = created.body.meetingId;
    expect(created.body).toMatchObject({ kind: 'kickoff', status: 'scheduled', sequence: 0, durationMinutes: 90 });
    // The same request again is the same meeting, and nobody is mailed twice.
    const again = await schedule(m, tutor, body);
    expect(again.status).toBe(200);
    expect(again.body.meetingId).toBe(meetingId);
    await settled();

    for (const to of [m.email, tutor.email]) {
      const invitations = await mails(to, /^Aloituskeskustelu/);
      expect(invitations, to).toHaveLength(1);
      const mail = invitations[0]!;
      expect(mail.body.text).toContain('Europe/Helsinki');
      expect(mail.body.text).toContain(helsinkiTime(startsAt));
      expect(mail.body.text).toContain('https://meet.example.fi/kickoff');
      const { method, event, contentType, text } = calendarOf(mail);
      expect(method).toBe('REQUEST');
      expect(contentType).toMatch(/method=REQUEST/);
      expect(text).toContain('METHOD:REQUEST');
      expect(event.uid).toBe(`${meetingId}@sparraus`);
      expect(event.sequence).toBe(0);
      expect(event.start.toISOString()).toBe(startsAt);
      expect(event.end!.toISOString()).toBe(new Date(Date.parse(startsAt) + 90 * minute).toISOString());
      expect(event.status).toBe('CONFIRMED');
      expect(text).toMatch(/ORGANIZER;CN="?Digitukisparraus"?:MAILTO:no-reply@sparraus\.local/i);
      expect(attendeesOf(event)).toEqual([`mailto:${m.email}`, `mailto:${tutor.email}`]);
    }
    expect((await statusPage(m)).meetings).toEqual([
      {
        meetingId,
        kind: 'kickoff',
        startsAt,
        endsAt: expect.any(String),
        durationMinutes: 90,
        joinUrl: 'https://meet.example.fi/kickoff',
      },
    ]);

    const later = wholeHourIn(6 * day + 2 * hour);
    const moved = await change(meetingId, tutor, { startsAt: later });
    expect(moved.status).toBe(200);
    expect(moved.body).toMatchObject({ sequence: 1, startsAt: later });
    expect((await change(meetingId, tutor, { startsAt: later })).status).toBe(200); // the same again: no change
    await settled();
    for (const to of [m.email, tutor.email]) {
      const updates = await mails(to, /^Muuttunut/);
      expect(updates, to).toHaveLength(1);
      expect(updates[0]!.body.text).toContain(helsinkiTime(later));
      expect(updates[0]!.body.text).toContain('Europe/Helsinki');
      const { method, event } = calendarOf(updates[0]!);
      expect(method).toBe('REQUEST');
      expect(event.uid).toBe(`${meetingId}@sparraus`);
      expect(event.sequence).toBe(1);
      expect(event.start.toISOString()).toBe(later);
    }

    const cancelled = await change(meetingId, tutor, { status: 'cancelled' });
    expect(cancelled.status).toBe(200);
    expect(cancelled.body).toMatchObject({ status: 'cancelled', sequence: 2 });
    expect((await change(meetingId, tutor, { status: 'cancelled' })).status).toBe(200);
    await settled();
    for (const to of [m.email, tutor.email]) {
      const cancellations = await mails(to, /^Peruttu/);
      expect(cancellations, to).toHaveLength(1);
      const { method, event, contentType } = calendarOf(cancellations[0]!);
      expect(method).toBe('CANCEL');
      expect(contentType).toMatch(/method=CANCEL/);
      expect(event.uid).toBe(`${meetingId}@sparraus`);
      expect(event.sequence).toBe(2);
      expect(event.status).toBe('CANCELLED');
    }
    const revived = await change(meetingId, tutor, { startsAt: wholeHourIn(8 * day) });
    expect(revived.status).toBe(409);
    expect(revived.body.error.code).toBe('meeting_cancelled');
    expect((await statusPage(m)).meetings).toEqual([]);
  });

  it('emails the municipality in its own language (sv, en) with the zone named', async () => {
    for (const [language, subject, zone] of [
      ['sv', /^Uppföljningsmöte/, 'finsk tid'],
      ['en', /^Follow-up meeting/, 'Finnish time'],
    ] as const) {
      const { tutor, m } = await coachedMunicipality({ language });
      const startsAt = wholeHourIn(4 * day);
      expect(
        (await schedule(m, tutor, { kind: 'follow-up', startsAt, durationMinutes: 60, joinUrl: 'https://meet.example.fi/x' }))
          .status,
      ).toBe(201);
      await settled();
      const [mail] = await mails(m.email, subject);
      expect(mail, language).toBeDefined();
      expect(mail!.body.text).toContain(zone);
      expect(mail!.body.text).toContain('Europe/Helsinki');
      expect(calendarOf(mail!).event.start.toISOString()).toBe(startsAt);
    }
  });

  it('bad bodies get 400 with field paths and nothing is written; a past time, a taken slot and a cancelled meeting are refused', async () => {
    const { tutor, m } = await coachedMunicipality();
    const before = await itemCount();
    const bad = await schedule(m, tutor, { kind: 'lunch', startsAt: 'tomorrow', durationMinutes: 2, joinUrl: 'ftp://x' });
    expect(bad.status).toBe(400);
    expect(bad.body.error.issues.map((i: { path: string }) => i.path)).toEqual(
      expect.arrayContaining(['kind', 'startsAt', 'durationMinutes', 'joinUrl']),
    );
    const past = await schedule(m, tutor, {
      kind: 'kickoff',
      startsAt: new Date(now().getTime() - hour).toISOString(),
      durationMinutes: 60,
      joinUrl: 'https://meet.example.fi/a',
    });
    expect(past.status).toBe(400);
    expect(past.body.error.issues).toMatchObject([{ path: 'startsAt', message: 'must be in the future' }]);
    expect(await itemCount()).toBe(before);

    const startsAt = wholeHourIn(3 * day);
    const first = await schedule(m, tutor, {
      kind: 'kickoff',
      startsAt,
      durationMinutes: 60,
      joinUrl: 'https://meet.example.fi/a',
    });
    expect(first.status).toBe(201);
    const clash = await schedule(m, tutor, {
      kind: 'follow-up',
      startsAt,
      durationMinutes: 30,
      joinUrl: 'https://meet.example.fi/b',
    });
    expect(clash.status).toBe(409);
    expect(clash.body.error.code).toBe('slot_taken');
    const badChange = await change(first.body.meetingId, tutor, { status: 'cancelled', startsAt });
    expect(badChange.status).toBe(400);
    expect(badChange.body.error.issues[0].path).toBe('status');
    const emptyChange = await change(first.body.meetingId, tutor, {});
    expect(emptyChange.status).toBe(400);
    const badLog = await log(first.body.meetingId, tutor, {
      attendees: -1,
      themes: [],
      notes: 1,
      actions: [''],
      durationMinutes: 0,
    });
    expect(badLog.status).toBe(400);
    expect(badLog.body.error.issues.map((i: { path: string }) => i.path)).toEqual(
      expect.arrayContaining(['attendees', 'themes', 'notes', 'actions.0', 'durationMinutes']),
    );
    const early = await log(first.body.meetingId, tutor, logBody);
    expect(early.status).toBe(409);
    expect(early.body.error.code).toBe('meeting_not_held');
    const unknown = await change('no-such-meeting', tutor, { durationMinutes: 30 });
    expect(unknown.status).toBe(404);
  });
});

// --- Reminders ------------------------------------------------------------------------------------

describe('reminders', () => {
  it('exactly one per live meeting, 24 h before; none for cancelled or moved-away times; duplicate triggers change nothing', async () => {
    const { tutor, m } = await coachedMunicipality();
    const meeting = async (startsAt: string, kind = 'follow-up') => {
      const response = await schedule(m, tutor, { kind, startsAt, durationMinutes: 60, joinUrl: 'https://meet.example.fi/r' });
      expect(response.status).toBe(201);
      return response.body.meetingId as string;
    };
    const liveAt = wholeHourIn(3 * day);
    const live = await meeting(liveAt, 'kickoff');
    const cancelled = await meeting(wholeHourIn(3 * day + 2 * hour));
    const movedFrom = wholeHourIn(5 * day);
    const moved = await meeting(movedFrom);
    const movedTo = wholeHourIn(3 * day + 4 * hour);
    expect((await change(cancelled, tutor, { status: 'cancelled' })).status).toBe(200);
    expect((await change(moved, tutor, { startsAt: movedTo })).status).toBe(200);
    await settled();
    const reminders = async (to: string) => (await mails(to, /^Muistutus/)).map((mail) => mail.subject);

    await tick();
    expect(await reminders(m.email)).toEqual([]);

    // 24 h before the live meeting (and the cancelled one): triggered twice at once, then again.
    advanceClock(Date.parse(liveAt) - now().getTime() - day + 30 * minute + 2.5 * hour);
    await Promise.all([triggerDueReminders({} as never), triggerDueReminders({} as never)]);
    await tick();
    for (const to of [m.email, tutor.email]) {
      const got = await mails(to, /^Muistutus/);
      expect(got, to).toHaveLength(1);
      expect(got[0]!.body.text).toContain(helsinkiTime(liveAt));
      expect(got[0]!.body.text).toContain('Europe/Helsinki');
      expect(got[0]!.attachments).toEqual([]);
    }

    // The moved meeting is reminded for its new time, once; its old time never.
    advanceClock(2 * hour);
    await tick();
    await tick();
    advanceClock(2 * day);
    await tick();
    for (const to of [m.email, tutor.email]) {
      const got = await mails(to, /^Muistutus/);
      expect(got, to).toHaveLength(2);
      expect(got[1]!.body.text).toContain(formatDateTime(movedTo, 'fi'));
    }
    // Past the old time's reminder moment too: still only those two.
    advanceClock(Date.parse(movedFrom) - now().getTime() - day + hour);
    await tick();
    expect(await reminders(m.email)).toHaveLength(2);
    expect(await reminders(tutor.email)).toHaveLength(2);
    expect(live).toBeDefined();
  });
});

// --- Logs, follow-ups, nudges ---------------------------------------------------------------------

describe('session logs', () => {
  it('a held session is logged once; the municipality gets the actions and the next meeting; corrections are new versions', async () => {
    const { tutor, m } = await coachedMunicipality();
    const kickoffAt = wholeHourIn(2 * day);
    const nextAt = wholeHourIn(9 * day);
    const kickoff = (
      await schedule(m, tutor, {
        kind: 'kickoff',
        startsAt: kickoffAt,
        durationMinutes: 60,
        joinUrl: 'https://meet.example.fi/k',
      })
    ).body.meetingId;
    await schedule(m, tutor, {
      kind: 'follow-up',
      startsAt: nextAt,
      durationMinutes: 60,
      joinUrl: 'https://meet.example.fi/next',
    });
    advanceClock(Date.parse(kickoffAt) - now().getTime() + 90 * minute);

    const first = await log(kickoff, tutor, logBody);
    expect(first.status).toBe(201);
    expect(first.body.logs).toHaveLength(1);
    expect(first.body.logs[0]).toMatchObject({ version: 1, attendees: 4, actions: logBody.actions, loggedBy: tutor.email });
    const repeat = await log(kickoff, tutor, logBody);
    expect(repeat.status).toBe(200);
    expect(repeat.body.logs).toHaveLength(1);
    await settled();

    const followUps = await mails(m.email, /^Yhteenveto/);
    expect(followUps).toHaveLength(1);
    const text = followUps[0]!.body.text!;
    for (const action of logBody.actions) expect(text).toContain(`- ${action}`);
    expect(text).toContain('Seuraava tapaaminen: jatkotapaaminen');
    expect(text).toContain(helsinkiTime(nextAt));
    expect(text).toContain('Europe/Helsinki');
    expect(text).toContain('https://meet.example.fi/next');

    const corrected = await log(kickoff, tutor, { ...logBody, attendees: 5, notes: 'Korjattu: viisi osallistujaa' });
    expect(corrected.status).toBe(201);
    expect(corrected.body.logs.map((l: { version: number; attendees: number }) => [l.version, l.attendees])).toEqual([
      [1, 4],
      [2, 5],
    ]);
    await settled();
    expect(await mails(m.email, /^Yhteenveto/)).toHaveLength(1);
    const mine = await callRoute(listMyEngagements, 'GET /me/engagements', { claims: tutorClaims(tutor.email) });
    expect(mine.status).toBe(200);
    expect(mine.body.engagements).toHaveLength(1);
    expect(mine.body.engagements[0].meetings.find((x: { meetingId: string }) => x.meetingId === kickoff).logs).toHaveLength(2);
  });

  it('a meeting held but not logged within 3 days nudges the tutor once; a logged one does not', async () => {
    const { tutor, m } = await coachedMunicipality();
    const startsAt = wholeHourIn(2 * day);
    const unlogged = (
      await schedule(m, tutor, { kind: 'follow-up', startsAt, durationMinutes: 60, joinUrl: 'https://meet.example.fi/u' })
    ).body.meetingId;
    const logged = (
      await schedule(m, tutor, {
        kind: 'kickoff',
        startsAt: wholeHourIn(2 * day - 3 * hour),
        durationMinutes: 60,
        joinUrl: 'https://meet.example.fi/l',
      })
    ).body.meetingId;
    advanceClock(Date.parse(startsAt) - now().getTime() + 2 * hour);
    expect((await log(logged, tutor, logBody)).status).toBe(201);
    advanceClock(2 * day);
    await tick();
    expect(await mails(tutor.email, /^Kirjaamatta/)).toHaveLength(0);
    advanceClock(day);
    await Promise.all([triggerDueReminders({} as never), triggerDueReminders({} as never)]);
    await tick();
    advanceClock(day);
    await tick();
    const nudges = await mails(tutor.email, /^Kirjaamatta/);
    expect(nudges).toHaveLength(1);
    expect(nudges[0]!.body.text).toContain(`/meetings/${unlogged}/log`);
  });
});

// --- Who may --------------------------------------------------------------------------------------

describe('who may', () => {
  it('another tutor gets 403 for reading and changing; the assigned tutor and coordinators may', async () => {
    const { tutor, m } = await coachedMunicipality();
    const other = await addTutor();
    const stranger = tutorClaims(other.email);
    const meetingId = (
      await schedule(m, tutor, {
        kind: 'kickoff',
        startsAt: wholeHourIn(2 * day),
        durationMinutes: 60,
        joinUrl: 'https://meet.example.fi/w',
      })
    ).body.meetingId;
    await settled();
    const before = await itemCount();
    const attempts = [
      await engagementOf(m, stranger),
      await callRoute(scheduleMeeting, 'POST /engagements/{engagementId}/meetings', {
        claims: stranger,
        path: { engagementId: m.engagementId },
        body: { kind: 'extra', startsAt: wholeHourIn(4 * day), durationMinutes: 60, joinUrl: 'https://meet.example.fi/s' },
      }),
      await callRoute(changeMeeting, 'PATCH /meetings/{meetingId}', {
        claims: stranger,
        path: { meetingId },
        body: { status: 'cancelled' },
      }),
      await callRoute(logSession, 'POST /meetings/{meetingId}/log', { claims: stranger, path: { meetingId }, body: logBody }),
      await callRoute(completeEngagement, 'POST /engagements/{engagementId}/complete', {
        claims: stranger,
        path: { engagementId: m.engagementId },
      }),
    ];
    expect(attempts.map((a) => a.status)).toEqual([403, 403, 403, 403, 403]);
    expect(attempts[0]!.body.error.code).toBe('forbidden');
    expect(await itemCount()).toBe(before);
    expect((await callRoute(listMyEngagements, 'GET /me/engagements', { claims: stranger })).body.engagements).toEqual([]);

    // Someone with a tutor token who is not on the roster, and no token at all.
    expect((await engagementOf(m, tutorClaims(`nobody-${unique()}@example.fi`))).status).toBe(403);
    expect(
      (await callRoute(getEngagement, 'GET /engagements/{engagementId}', { path: { engagementId: m.engagementId } })).status,
    ).toBe(401);
    expect((await callRoute(listMyEngagements, 'GET /me/engagements', { claims: coordinator })).status).toBe(403);

    expect((await engagementOf(m, tutorClaims(tutor.email))).status).toBe(200);
    expect((await engagementOf(m, coordinator)).status).toBe(200);
    const byCoordinator = await callRoute(changeMeeting, 'PATCH /meetings/{meetingId}', {
      claims: coordinator,
      path: { meetingId },
      body: { durationMinutes: 45 },
    });
    expect(byCoordinator.status).toBe(200);
    expect(byCoordinator.body.durationMinutes).toBe(45);
    expect((await engagementOf(m, tutorClaims('x@example.fi'))).status).toBe(403);
    expect((await engagementOf({ ...m, engagementId: 'no-such' }, coordinator)).status).toBe(404);
  });
});

// --- Extra meetings, completion, withdrawal -------------------------------------------------------

describe('extra meetings and completion', () => {
  it('the municipality asks for extra meetings; the tutor is emailed once and schedules them as extra', async () => {
    const { tutor, m } = await coachedMunicipality();
    const ask = (query: Record<string, string>, body: unknown) =>
      callRoute(requestExtraMeetings, 'POST /applications/{applicationId}/extra-meetings', {
        path: { applicationId: m.applicationId },
        query,
        body,
      });
    const message = 'Voisimmeko jatkaa etätuen teemalla vielä kaksi kertaa?';
    const first = await ask({ token: m.token }, { message });
    expect(first.status).toBe(201);
    expect((await ask({ token: m.token }, { message })).status).toBe(200);
    expect((await ask({ token: 'guess' }, { message })).status).toBe(403);
    expect((await ask({}, { message })).status).toBe(400);
    const empty = await ask({ token: m.token }, { message: '  ' });
    expect(empty.status).toBe(400);
    expect(empty.body.error.issues[0].path).toBe('message');
    await settled();
    const requests = await mails(tutor.email, /^Lisätapaamistoive/);
    expect(requests).toHaveLength(1);
    expect(requests[0]!.body.text).toContain(message);
    expect((await engagementOf(m)).body.extraMeetingRequests).toEqual([
      { requestId: first.body.requestId, message, requestedAt: expect.any(String) },
    ]);
    expect(
      (
        await schedule(m, tutor, {
          kind: 'extra',
          startsAt: wholeHourIn(3 * day),
          durationMinutes: 60,
          joinUrl: 'https://meet.example.fi/e',
        })
      ).status,
    ).toBe(201);
    await settled();
    expect(await mails(m.email, /^Lisätapaaminen/)).toHaveLength(1);
  });

  it('completion waits for the meetings ahead, then sends one summary and frees the tutor', async () => {
    const { tutor, m } = await coachedMunicipality();
    const complete = (claims: Record<string, unknown> = tutorClaims(tutor.email)) =>
      callRoute(completeEngagement, 'POST /engagements/{engagementId}/complete', {
        claims,
        path: { engagementId: m.engagementId },
      });
    const kickoffAt = wholeHourIn(day);
    const followAt = wholeHourIn(8 * day);
    const kickoff = (
      await schedule(m, tutor, {
        kind: 'kickoff',
        startsAt: kickoffAt,
        durationMinutes: 60,
        joinUrl: 'https://meet.example.fi/1',
      })
    ).body.meetingId;
    const follow = (
      await schedule(m, tutor, {
        kind: 'follow-up',
        startsAt: followAt,
        durationMinutes: 60,
        joinUrl: 'https://meet.example.fi/2',
      })
    ).body.meetingId;
    const ahead = await complete();
    expect(ahead.status).toBe(409);
    expect(ahead.body.error.code).toBe('meetings_ahead');

    advanceClock(Date.parse(followAt) - now().getTime() + 2 * hour);
    expect((await log(kickoff, tutor, logBody)).status).toBe(201);
    expect(
      (
        await log(follow, tutor, {
          attendees: 3,
          themes: ['Koordinointi', 'etätuen aloittaminen'],
          notes: '',
          actions: ['Pilotoi etätukea'],
          durationMinutes: 90,
        })
      ).status,
    ).toBe(201);
    const done = await complete();
    expect(done.status).toBe(200);
    expect(done.body).toMatchObject({ status: 'completed', completedAt: expect.any(String) });
    expect((await complete(coordinator)).status).toBe(200);
    await settled();

    const summaries = await mails(m.email, /^Sparraus päättyi/);
    expect(summaries).toHaveLength(1);
    const text = summaries[0]!.body.text!;
    expect(text).toContain('Tapaamisia pidettiin 2, yhteensä 2,5 tuntia.');
    for (const item of ['etätuen aloittaminen', 'Koordinointi', ...logBody.actions, 'Pilotoi etätukea'])
      expect(text).toContain(`- ${item}`);
    expect((await statusPage(m)).status).toBe('completed');
    expect((await tutorNow(tutor.tutorId)).activeEngagements).toBe(0);
    const late = await schedule(m, tutor, {
      kind: 'extra',
      startsAt: wholeHourIn(3 * day),
      durationMinutes: 60,
      joinUrl: 'https://meet.example.fi/3',
    });
    expect(late.status).toBe(409);
    expect(late.body.error.code).toBe('engagement_completed');
    expect(
      bus
        .publishedEvents()
        .filter((e) => e['detail-type'] === 'EngagementCompleted' && JSON.stringify(e.detail).includes(m.engagementId)).length,
    ).toBeGreaterThan(0);
  });

  it('a withdrawal closes the engagement: the tutor is freed and told, meetings ahead are cancelled in calendars', async () => {
    const { tutor, m } = await coachedMunicipality();
    const meetingId = (
      await schedule(m, tutor, {
        kind: 'kickoff',
        startsAt: wholeHourIn(4 * day),
        durationMinutes: 60,
        joinUrl: 'https://meet.example.fi/w',
      })
    ).body.meetingId;
    await settled();
    const withdrawn = await callRoute(withdraw, 'POST /applications/{applicationId}/withdraw', {
      path: { applicationId: m.applicationId },
      query: { token: m.token },
    });
    expect(withdrawn.status).toBe(200);
    await settled();
    expect((await engagementOf(m)).body).toMatchObject({ status: 'withdrawn', meetings: [{ meetingId, status: 'cancelled' }] });
    expect((await tutorNow(tutor.tutorId)).activeEngagements).toBe(0);
    for (const to of [m.email, tutor.email]) {
      const [cancellation] = await mails(to, /^Peruttu/);
      expect(calendarOf(cancellation!)).toMatchObject({ method: 'CANCEL', event: { uid: `${meetingId}@sparraus`, sequence: 1 } });
    }
    expect(await mails(tutor.email, /^Kunta vetäytyi/)).toHaveLength(1);
  });
});

// --- Redelivery -----------------------------------------------------------------------------------

/** Hands each event again to every tutoring rule that matches it, as EventBridge may. */
async function redeliver(events: BusEvent[]): Promise<void> {
  const rules = Object.values(eventRules).filter((rule) => rule.handler.startsWith('tutoring/'));
  for (const event of events) {
    for (const rule of rules) {
      if (!(rule.pattern['detail-type'] as readonly string[]).includes(event['detail-type'])) continue;
      const handler = (await defaultLoadHandler(rule.handler)) as (event: BusEvent) => Promise<void>;
      await handler(event);
    }
  }
}

describe('delivered twice', () => {
  it('every tutoring event delivered again sends no second email and writes no second record', async () => {
    await retireRoster();
    const tutor = await addTutor({ languages: ['fi', 'en'], maxActive: 2 });
    const spare = await addTutor({ languages: ['fi'], maxActive: 2 });
    const m = await acceptedMunicipality(); // → tutor (older, equal load)
    const leaving = await acceptedMunicipality(); // → spare (fewer active)
    const waiting = await acceptedMunicipality({ language: 'sv' }); // → nobody speaks sv
    // Reassign and back: TutorAssigned #2 and #3.
    for (const t of [spare, tutor]) {
      const swap = await callRoute(assignTutor, 'POST /engagements/{engagementId}/tutor', {
        claims: coordinator,
        path: { engagementId: m.engagementId },
        body: { tutorId: t.tutorId },
      });
      expect(swap.status, t.name).toBe(200);
      await settled();
    }
    const t0 = now().getTime();
    const kickoffAt = wholeHourIn(2 * day);
    const kickoff = (
      await schedule(m, tutor, {
        kind: 'kickoff',
        startsAt: kickoffAt,
        durationMinutes: 60,
        joinUrl: 'https://meet.example.fi/a',
      })
    ).body.meetingId;
    const follow = (
      await schedule(m, tutor, {
        kind: 'follow-up',
        startsAt: wholeHourIn(2 * day + 3 * hour),
        durationMinutes: 60,
        joinUrl: 'https://meet.example.fi/b',
      })
    ).body.meetingId;
    const dropped = (
      await schedule(m, tutor, {
        kind: 'extra',
        startsAt: wholeHourIn(6 * day),
        durationMinutes: 60,
        joinUrl: 'https://meet.example.fi/c',
      })
    ).body.meetingId;
    expect((await change(follow, tutor, { durationMinutes: 75 })).status).toBe(200);
    expect((await change(dropped, tutor, { status: 'cancelled' })).status).toBe(200);
    const leavingMeeting = await schedule(leaving, spare, {
      kind: 'kickoff',
      startsAt: wholeHourIn(3 * day),
      durationMinutes: 60,
      joinUrl: 'https://meet.example.fi/d',
    });
    expect(leavingMeeting.status).toBe(201);
    await callRoute(withdraw, 'POST /applications/{applicationId}/withdraw', {
      path: { applicationId: leaving.applicationId },
      query: { token: leaving.token },
    });
    await callRoute(requestExtraMeetings, 'POST /applications/{applicationId}/extra-meetings', {
      path: { applicationId: m.applicationId },
      query: { token: m.token },
      body: { message: 'Lisää, kiitos' },
    });
    advanceClock(Date.parse(kickoffAt) - t0 - day + minute);
    await tick(); // reminders for the kickoff and the follow-up
    advanceClock(day + 6 * hour);
    expect((await log(kickoff, tutor, logBody)).status).toBe(201);
    expect((await log(kickoff, tutor, { ...logBody, notes: 'korjaus' })).status).toBe(201);
    advanceClock(4 * day);
    await tick(); // the follow-up was never logged: nudge
    expect(
      (
        await callRoute(completeEngagement, 'POST /engagements/{engagementId}/complete', {
          claims: tutorClaims(tutor.email),
          path: { engagementId: m.engagementId },
        })
      ).status,
    ).toBe(200);
    await settled();

    const ids = [m, leaving, waiting].map((x) => x.applicationId);
    const ours = bus
      .publishedEvents()
      .filter(
        (e) =>
          ids.some((id) => JSON.stringify(e.detail).includes(id)) &&
          ['sparraus.tutoring', 'sparraus.selection'].includes(e.source),
      );
    const tutoringTypes = new Set(ours.filter((e) => e.source === 'sparraus.tutoring').map((e) => e['detail-type']));
    expect(tutoringTypes).toEqual(
      new Set([
        'TutorAssigned',
        'EngagementLeftUnassigned',
        'MeetingScheduled',
        'MeetingRescheduled',
        'MeetingCancelled',
        'MeetingReminderTriggered',
        'SessionLogged',
        'SessionLogReminderTriggered',
        'ExtraMeetingsRequested',
        'EngagementCompleted',
        'EngagementWithdrawn',
      ]),
    );
    const recipients = [m.email, leaving.email, waiting.email, tutor.email, spare.email, coordinatorEmail, teamMailbox];
    const counts = async () => Promise.all(recipients.map(async (to) => (await mails(to)).length));
    const snapshot = async () => ({
      engagements: await Promise.all([m, leaving, waiting].map(async (x) => (await engagementOf(x)).body)),
      tutors: await Promise.all([tutor, spare].map((t) => tutorNow(t.tutorId))),
      items: await itemCount(),
    });
    const mailsBefore = await counts();
    const before = await snapshot();

    await redeliver(ours);
    await settled();

    expect(await counts()).toEqual(mailsBefore);
    expect(await snapshot()).toEqual(before);
  });
});

// --- The outbox -----------------------------------------------------------------------------------

/** The event items of an engagement's history (the outbox), oldest first. */
async function eventItems(engagementId: string, detailType?: string): Promise<Record<string, any>[]> {
  const { Items = [] } = await dynamo().send(
    new QueryCommand({
      TableName: tableName,
      KeyConditionExpression: 'pk = :pk AND begins_with(sk, :events)',
      ExpressionAttributeValues: { ':pk': `HISTORY#ENGAGEMENT#${engagementId}`, ':events': 'EVENT#' },
      ConsistentRead: true,
    }),
  );
  return Items.filter((i) => detailType === undefined || i.detailType === detailType);
}

/** Runs `work` while every PutEvents of the functions fails as an unreachable bus would (the relay has its own client). */
async function withBusUnreachable<T>(work: () => Promise<T>): Promise<{ result: T; putEvents: number }> {
  const spy = vi
    .spyOn(eventBridge(), 'send')
    .mockRejectedValue(Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:1'), { code: 'ECONNREFUSED' }) as never);
  try {
    const result = await work();
    return { result, putEvents: spy.mock.calls.length };
  } finally {
    spy.mockRestore();
  }
}

describe('the outbox: each change writes its events with it', () => {
  it('a reassignment writes TutorAssigned with the state, needing no PutEvents; its retry writes none', async () => {
    await retireRoster();
    const first = await addTutor();
    const m = await acceptedMunicipality();
    expect((await engagementOf(m)).body.tutor.tutorId).toBe(first.tutorId);
    expect(await eventItems(m.engagementId, 'TutorAssigned')).toHaveLength(1);
    const second = await addTutor();
    const reassign = () =>
      callRoute(assignTutor, 'POST /engagements/{engagementId}/tutor', {
        claims: coordinator,
        path: { engagementId: m.engagementId },
        body: { tutorId: second.tutorId },
      });
    const { result: moved, putEvents } = await withBusUnreachable(reassign);
    expect(moved.status).toBe(200);
    expect(moved.body.tutor.tutorId).toBe(second.tutorId);
    expect(putEvents).toBe(0);
    const assigned = await eventItems(m.engagementId, 'TutorAssigned');
    expect(assigned.map((i) => i.detail)).toEqual([
      expect.objectContaining({ tutorId: first.tutorId, assignment: 1, by: 'automatic' }),
      {
        engagementId: m.engagementId,
        applicationId: m.applicationId,
        roundId: m.roundId,
        tutorId: second.tutorId,
        previousTutorId: first.tutorId,
        assignment: 2,
        by: 'coordinator',
      },
    ]);
    expect(assigned[1]).toMatchObject({ type: 'event', source: 'sparraus.tutoring', gsi1pk: `HISTORY#ROUND#${m.roundId}` });
    // The same request again (a client retrying) answers the same and announces nothing twice.
    const again = await reassign();
    expect(again.status).toBe(200);
    expect(again.body.tutor.tutorId).toBe(second.tutorId);
    expect(await eventItems(m.engagementId, 'TutorAssigned')).toHaveLength(2);
    await settled();
    // The relay carried it to the bus, and the new and the previous tutor were told.
    const relayed = bus
      .publishedEvents()
      .filter((e) => e['detail-type'] === 'TutorAssigned' && detailOf(e).engagementId === m.engagementId)
      .map((e) => detailOf(e));
    expect(relayed).toEqual(assigned.map((i) => i.detail));
    expect(await mails(second.email, /^Uusi sparrattava kunta/)).toHaveLength(1);
    expect(await mails(first.email, /Tutorointi siirretty/)).toHaveLength(1);
  });

  it('a withdrawal writes the closed engagement, its cancellations and EngagementWithdrawn at once; run again, it writes nothing', async () => {
    const { tutor, m } = await coachedMunicipality();
    const meetingIds: string[] = [];
    for (const [i, kind] of (['kickoff', 'follow-up'] as const).entries()) {
      const created = await schedule(m, tutor, {
        kind,
        startsAt: wholeHourIn((3 + i) * day),
        durationMinutes: 60,
        joinUrl: `https://meet.example.fi/o${i}`,
      });
      expect(created.status).toBe(201);
      meetingIds.push(created.body.meetingId);
    }
    await settled();
    const withdrawn = busEvent('ApplicationWithdrawn', 'sparraus.selection', {
      applicationId: m.applicationId,
      roundId: m.roundId,
      previousStatus: 'accepted',
      by: 'applicant',
    });
    const { putEvents } = await withBusUnreachable(() => followSelection(withdrawn as never));
    expect(putEvents).toBe(0);
    expect((await engagementOf(m)).body).toMatchObject({
      status: 'withdrawn',
      meetings: meetingIds.map((meetingId) => ({ meetingId, status: 'cancelled' })),
    });
    expect((await tutorNow(tutor.tutorId)).activeEngagements).toBe(0);
    const written = await eventItems(m.engagementId);
    const closing = written.filter((i) => ['MeetingCancelled', 'EngagementWithdrawn'].includes(i.detailType));
    expect(closing.map((i) => i.detailType).sort()).toEqual(['EngagementWithdrawn', 'MeetingCancelled', 'MeetingCancelled']);
    expect(closing.find((i) => i.detailType === 'EngagementWithdrawn')!.detail).toEqual({
      engagementId: m.engagementId,
      applicationId: m.applicationId,
      roundId: m.roundId,
      tutorId: tutor.tutorId,
    });
    // One transaction: one time, one correlation; the meeting events are filed with the round too.
    expect(new Set(closing.map((i) => `${i.at} ${i.correlationId}`)).size).toBe(1);
    for (const item of closing.filter((i) => i.detailType === 'MeetingCancelled'))
      expect(item).toMatchObject({ roundId: m.roundId, gsi1pk: `HISTORY#ROUND#${m.roundId}`, detail: { sequence: 1 } });

    await settled();
    const before = await itemCount();
    await followSelection(busEvent('ApplicationWithdrawn', 'sparraus.selection', detailOf(withdrawn)) as never);
    expect(await itemCount()).toBe(before);
    await settled();
    expect(await mails(tutor.email, /^Kunta vetäytyi/)).toHaveLength(1);
    expect(await mails(m.email, /^Peruttu/)).toHaveLength(2);
  });

  it('every command repeated after its success writes no second event', async () => {
    const { tutor, m } = await coachedMunicipality();
    const startsAt = wholeHourIn(2 * day);
    const body = { kind: 'kickoff', startsAt, durationMinutes: 60, joinUrl: 'https://meet.example.fi/rep' };
    const meetingId: string = (await schedule(m, tutor, body)).body.meetingId;
    expect((await schedule(m, tutor, body)).status).toBe(200);
    const later = wholeHourIn(2 * day + 2 * hour);
    expect((await change(meetingId, tutor, { startsAt: later })).status).toBe(200);
    expect((await change(meetingId, tutor, { startsAt: later })).status).toBe(200);
    const extra = () =>
      callRoute(requestExtraMeetings, 'POST /applications/{applicationId}/extra-meetings', {
        path: { applicationId: m.applicationId },
        query: { token: m.token },
        body: { message: 'Vielä yksi, kiitos' },
      });
    expect((await extra()).status).toBe(201);
    expect((await extra()).status).toBe(200);
    advanceClock(Date.parse(later) - now().getTime() + 2 * hour);
    expect((await log(meetingId, tutor, logBody)).status).toBe(201);
    expect((await log(meetingId, tutor, logBody)).status).toBe(200);
    const complete = () =>
      callRoute(completeEngagement, 'POST /engagements/{engagementId}/complete', {
        claims: tutorClaims(tutor.email),
        path: { engagementId: m.engagementId },
      });
    expect((await complete()).status).toBe(200);
    expect((await complete()).status).toBe(200);
    const counts: Record<string, number> = {};
    for (const item of await eventItems(m.engagementId)) counts[item.detailType] = (counts[item.detailType] ?? 0) + 1;
    expect(counts).toEqual({
      TutorAssigned: 1,
      MeetingScheduled: 1,
      MeetingRescheduled: 1,
      ExtraMeetingsRequested: 1,
      SessionLogged: 1,
      EngagementCompleted: 1,
    });
    const logged = (await eventItems(m.engagementId, 'SessionLogged'))[0]!;
    expect(logged).toMatchObject({ roundId: m.roundId, detail: { meetingId, engagementId: m.engagementId, version: 1 } });
  });

  it('nobody fits: EngagementLeftUnassigned is written once, however often the acceptance is handled', async () => {
    await retireRoster();
    await addTutor({ languages: ['fi'] });
    const m = await acceptedMunicipality({ language: 'en' });
    expect((await engagementOf(m)).body.status).toBe('unassigned');
    expect(await eventItems(m.engagementId, 'EngagementLeftUnassigned')).toHaveLength(1);
    await settled();
    const before = await itemCount();
    await followSelection(
      busEvent('ApplicationAccepted', 'sparraus.selection', {
        applicationId: m.applicationId,
        roundId: m.roundId,
        via: 'selection',
      }) as never,
    );
    expect(await itemCount()).toBe(before);
    expect(await eventItems(m.engagementId, 'EngagementLeftUnassigned')).toHaveLength(1);
  });

  it('a due reminder is triggered once, with its marker on the meeting, however many schedules run at once', async () => {
    const { tutor, m } = await coachedMunicipality();
    const startsAt = wholeHourIn(3 * day);
    const meetingId: string = (
      await schedule(m, tutor, { kind: 'kickoff', startsAt, durationMinutes: 60, joinUrl: 'https://meet.example.fi/t' })
    ).body.meetingId;
    await settled();
    advanceClock(Date.parse(startsAt) - now().getTime() - day + minute);
    await Promise.all([1, 2, 3].map(() => triggerDueReminders({} as never)));
    await tick();
    const triggered = await eventItems(m.engagementId, 'MeetingReminderTriggered');
    expect(triggered).toHaveLength(1);
    expect(triggered[0]).toMatchObject({ roundId: m.roundId, detail: { meetingId, startsAt, sequence: 0 } });
    const { Item } = await dynamo().send(
      new GetCommand({ TableName: tableName, Key: { pk: `ENGAGEMENT#${m.engagementId}`, sk: `MEETING#${meetingId}` } }),
    );
    expect(Item).toMatchObject({ sequence: 0, reminderTriggeredFor: 0 });
    expect(await mails(m.email, /^Muistutus/)).toHaveLength(1);
  });
});
