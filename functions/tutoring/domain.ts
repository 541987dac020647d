// Tutoring rules as plain functions: the roster, choosing a tutor, who may act on an engagement,
// meetings and their changes, reminders, session logs and the closing summary. No AWS here.
import type {
  ChangeMeetingBody,
  EngagementStatus,
  EngagementView,
  LogSessionBody,
  MeetingView,
  ScheduleMeetingBody,
  SessionLogView,
} from '../../schemas/api/engagements.js';
import type { CreateTutorBody, TutorView, UpdateTutorBody } from '../../schemas/api/tutors.js';
import type { Language } from '../../schemas/common.js';
import type { Application } from '../../schemas/stored/application.js';
import type { Round } from '../../schemas/stored/round.js';
import { ConflictError, ForbiddenError, ValidationError } from '../shared/errors.js';
import type { Engagement, ExtraMeetingRequest, Meeting, MeetingTimer, SessionLog } from '../../schemas/stored/engagement.js';
import type { Tutor } from '../../schemas/stored/tutor.js';

export type {
  Assignment,
  Engagement,
  ExtraMeetingRequest,
  Meeting,
  MeetingTimer,
  SessionLog,
  TimerKind,
} from '../../schemas/stored/engagement.js';
export type { Tutor } from '../../schemas/stored/tutor.js';

const minuteMs = 60_000;
const hourMs = 60 * minuteMs;
const dayMs = 24 * hourMs;

/** A reminder goes out this long before a meeting. */
export const reminderLeadMs = dayMs;
/** A meeting still without a log this long after it ended nudges its tutor. */
export const logGraceMs = 3 * dayMs;

/** Everything stored under one engagement. */
export interface EngagementRecord {
  engagement: Engagement;
  meetings: Meeting[];
  logs: SessionLog[];
  extraRequests: ExtraMeetingRequest[];
}

/** Who is acting: a coordinator, or a tutor of the roster (a tutor is the record with the token's email). */
export type Actor = { kind: 'coordinator'; email: string } | { kind: 'tutor'; tutor: Tutor };

const utc = (iso: string) => new Date(iso).toISOString();
const normalizeEmail = (email: string) => email.trim().toLowerCase();
const uniqueRegions = (regions: readonly string[]) => [
  ...new Map(regions.map((r) => [r.trim().toLowerCase(), r.trim()])).values(),
];

// --- Roster ---------------------------------------------------------------------------------------

export function newTutor(body: CreateTutorBody, ids: { tutorId: string; now: Date; createdBy: string }): Tutor {
  const at = ids.now.toISOString();
  return {
    tutorId: ids.tutorId,
    name: body.name,
    email: normalizeEmail(body.email),
    languages: [...new Set(body.languages)],
    regions: uniqueRegions(body.regions),
    maxActive: body.maxActive,
    active: body.active,
    activeCount: 0,
    createdAt: at,
    updatedAt: at,
    createdBy: ids.createdBy,
  };
}

/** The same tutor as posted before (a retried POST), as opposed to another person under that email. */
export function sameTutor(tutor: Tutor, body: CreateTutorBody): boolean {
  const candidate = newTutor(body, { tutorId: tutor.tutorId, now: new Date(tutor.createdAt), createdBy: tutor.createdBy });
  return (
    candidate.name === tutor.name &&
    candidate.email === tutor.email &&
    candidate.maxActive === tutor.maxActive &&
    candidate.active === tutor.active &&
    sameSet(candidate.languages, tutor.languages) &&
    sameSet(candidate.regions, tutor.regions)
  );
}

/** The fields a PATCH changes, normalised; only those that differ from the stored tutor. */
export function tutorChanges(
  tutor: Tutor,
  body: UpdateTutorBody,
): Partial<Pick<Tutor, 'name' | 'email' | 'languages' | 'regions' | 'maxActive' | 'active'>> {
  const changes: Partial<Pick<Tutor, 'name' | 'email' | 'languages' | 'regions' | 'maxActive' | 'active'>> = {};
  if (body.name !== undefined && body.name !== tutor.name) changes.name = body.name;
  if (body.email !== undefined && normalizeEmail(body.email) !== tutor.email) changes.email = normalizeEmail(body.email);
  if (body.languages !== undefined && !sameSet(body.languages, tutor.languages)) changes.languages = [...new Set(body.languages)];
  if (body.regions !== undefined && !sameSet(uniqueRegions(body.regions), tutor.regions))
    changes.regions = uniqueRegions(body.regions);
  if (body.maxActive !== undefined && body.maxActive !== tutor.maxActive) changes.maxActive = body.maxActive;
  if (body.active !== undefined && body.active !== tutor.active) changes.active = body.active;
  return changes;
}

export function toTutorView(tutor: Tutor): TutorView {
  return {
    tutorId: tutor.tutorId,
    name: tutor.name,
    email: tutor.email,
    languages: tutor.languages,
    regions: tutor.regions,
    maxActive: tutor.maxActive,
    active: tutor.active,
    activeEngagements: tutor.activeCount,
    ...(tutor.lastAssignedAt ? { lastAssignedAt: tutor.lastAssignedAt } : {}),
    createdAt: tutor.createdAt,
    updatedAt: tutor.updatedAt,
  };
}

// --- Assignment -----------------------------------------------------------------------------------

export function sameRegion(a: string, b: string): boolean {
  return a.trim().toLowerCase() === b.trim().toLowerCase();
}

/** Whether a tutor may take one more engagement at all: active, and below maxActive. */
export function hasRoom(tutor: Pick<Tutor, 'active' | 'activeCount' | 'maxActive'>): boolean {
  return tutor.active && tutor.activeCount < tutor.maxActive;
}

/**
 * The tutors who may coach `need`, best first: they must speak its language and have room (active,
 * below maxActive); those of the same region come first, then the fewest active engagements, then
 * round-robin among equals (the one who waited longest since an assignment, never-assigned first).
 * The store re-checks the room atomically, so a tutor filled meanwhile is skipped for the next.
 */
export function rankTutors(tutors: readonly Tutor[], need: { language: Language; region: string }): Tutor[] {
  const inRegion = (t: Tutor) => t.regions.some((r) => sameRegion(r, need.region));
  return tutors
    .filter((t) => hasRoom(t) && t.languages.includes(need.language))
    .sort(
      (a, b) =>
        Number(inRegion(b)) - Number(inRegion(a)) ||
        a.activeCount - b.activeCount ||
        (a.lastAssignedAt ?? '').localeCompare(b.lastAssignedAt ?? '') ||
        a.createdAt.localeCompare(b.createdAt) ||
        a.tutorId.localeCompare(b.tutorId),
    );
}

export function newEngagement(application: Application, round: Pick<Round, 'region'>, now: Date): Engagement {
  return {
    engagementId: application.applicationId,
    applicationId: application.applicationId,
    roundId: application.roundId,
    municipality: application.municipality,
    language: application.language,
    region: round.region,
    themes: application.themes,
    status: 'unassigned',
    assignments: 0,
    history: [],
    createdAt: now.toISOString(),
  };
}

/** Checks that a coordinator's chosen tutor can take the engagement; the store re-checks the room. */
export function assertCanAssign(engagement: Engagement, tutor: Tutor): void {
  if (engagement.status === 'completed' || engagement.status === 'withdrawn') {
    throw new ConflictError(`The engagement is ${engagement.status}; it cannot get another tutor`, {
      code: `engagement_${engagement.status}`,
    });
  }
  if (!tutor.active) throw new ConflictError(`${tutor.name} is not active`, { code: 'tutor_inactive' });
  if (tutor.activeCount >= tutor.maxActive) {
    throw new ConflictError(`${tutor.name} already has ${tutor.activeCount} of at most ${tutor.maxActive} engagements`, {
      code: 'tutor_full',
    });
  }
}

// --- Who may --------------------------------------------------------------------------------------

/** Only the engagement's own tutor, or a coordinator. */
export function assertMayAct(actor: Actor, engagement: Pick<Engagement, 'tutorId'>): void {
  if (actor.kind === 'coordinator') return;
  if (engagement.tutorId !== actor.tutor.tutorId) throw new ForbiddenError('This engagement is not assigned to you');
}

/** Meetings are planned, changed and the programme completed only while a tutor coaches it. */
export function assertActive(engagement: Pick<Engagement, 'status'>): void {
  if (engagement.status === 'active') return;
  const reasons: Record<Exclude<EngagementStatus, 'active'>, string> = {
    unassigned: 'The engagement has no tutor yet',
    completed: 'The engagement is completed',
    withdrawn: 'The municipality has withdrawn',
  };
  throw new ConflictError(reasons[engagement.status], { code: `engagement_${engagement.status}` });
}

// --- Meetings -------------------------------------------------------------------------------------

export function endsAt(meeting: Pick<Meeting, 'startsAt' | 'durationMinutes'>): string {
  return new Date(Date.parse(meeting.startsAt) + meeting.durationMinutes * minuteMs).toISOString();
}

function assertFuture(startsAt: string, now: Date): void {
  if (Date.parse(startsAt) <= now.getTime()) {
    throw new ValidationError('The request is not valid', {
      issues: [{ path: 'startsAt', message: 'must be in the future', code: 'not_in_future' }],
    });
  }
}

export function newMeeting(
  engagement: Engagement,
  body: ScheduleMeetingBody,
  ids: { meetingId: string; now: Date; by: string },
): Meeting {
  assertFuture(body.startsAt, ids.now);
  const at = ids.now.toISOString();
  return {
    meetingId: ids.meetingId,
    engagementId: engagement.engagementId,
    kind: body.kind,
    status: 'scheduled',
    startsAt: utc(body.startsAt),
    durationMinutes: body.durationMinutes,
    joinUrl: body.joinUrl,
    sequence: 0,
    createdAt: at,
    createdBy: ids.by,
    updatedAt: at,
  };
}

/** Whether a POST that met an existing meeting at the same time is the same request again. */
export function sameMeeting(meeting: Meeting, body: ScheduleMeetingBody): boolean {
  return (
    meeting.status === 'scheduled' &&
    meeting.kind === body.kind &&
    meeting.startsAt === utc(body.startsAt) &&
    meeting.durationMinutes === body.durationMinutes &&
    meeting.joinUrl === body.joinUrl
  );
}

export type MeetingChange =
  { kind: 'unchanged' } | { kind: 'cancel'; meeting: Meeting } | { kind: 'reschedule'; meeting: Meeting };

/**
 * What a PATCH does to a meeting: the meeting after it, or `unchanged` when it asks for what is
 * already so (a retried request). A meeting that has begun or was cancelled no longer moves.
 */
export function planMeetingChange(meeting: Meeting, body: ChangeMeetingBody, now: Date): MeetingChange {
  const at = now.toISOString();
  if (meeting.status === 'cancelled') {
    if (body.status === 'cancelled') return { kind: 'unchanged' };
    throw new ConflictError('The meeting was cancelled; schedule a new one instead', { code: 'meeting_cancelled' });
  }
  if (meeting.startsAt <= at) {
    throw new ConflictError('The meeting has already begun; log the session instead', { code: 'meeting_started' });
  }
  if (body.status === 'cancelled') {
    return {
      kind: 'cancel',
      meeting: { ...meeting, status: 'cancelled', sequence: meeting.sequence + 1, cancelledAt: at, updatedAt: at },
    };
  }
  const startsAt = body.startsAt ? utc(body.startsAt) : meeting.startsAt;
  const durationMinutes = body.durationMinutes ?? meeting.durationMinutes;
  const joinUrl = body.joinUrl ?? meeting.joinUrl;
  if (startsAt === meeting.startsAt && durationMinutes === meeting.durationMinutes && joinUrl === meeting.joinUrl) {
    return { kind: 'unchanged' };
  }
  if (startsAt !== meeting.startsAt) assertFuture(startsAt, now);
  // `previousStartsAt` speaks of this change only: a change of duration or link moves nothing.
  const { previousStartsAt: _earlier, ...rest } = meeting;
  return {
    kind: 'reschedule',
    meeting: {
      ...rest,
      startsAt,
      durationMinutes,
      joinUrl,
      sequence: meeting.sequence + 1,
      ...(startsAt !== meeting.startsAt ? { previousStartsAt: meeting.startsAt } : {}),
      updatedAt: at,
    },
  };
}

/**
 * The timers a live meeting has: a reminder 24 h before it (unless that moment has passed when it is
 * scheduled: the invitation itself is then the reminder) and the log nudge 3 days after it ends.
 * With `now` undefined, every timer it could have (to delete them all on a change).
 */
export function timersOf(meeting: Meeting, now?: Date): MeetingTimer[] {
  const ref = { meetingId: meeting.meetingId, engagementId: meeting.engagementId, sequence: meeting.sequence };
  const reminderAt = Date.parse(meeting.startsAt) - reminderLeadMs;
  const timers: MeetingTimer[] = [];
  if (!now || reminderAt > now.getTime())
    timers.push({ kind: 'meeting-reminder', dueAt: new Date(reminderAt).toISOString(), ...ref });
  if (meeting.loggedVersion === undefined) {
    timers.push({ kind: 'session-log', dueAt: new Date(Date.parse(endsAt(meeting)) + logGraceMs).toISOString(), ...ref });
  }
  return timers;
}

/** Whether a due timer still speaks for the meeting as it is: live, same sequence, and (for a reminder) not begun. */
export function timerIsLive(timer: MeetingTimer, meeting: Meeting | undefined, now: Date): meeting is Meeting {
  if (!meeting || meeting.status !== 'scheduled' || meeting.sequence !== timer.sequence) return false;
  if (timer.kind === 'meeting-reminder') return meeting.startsAt > now.toISOString();
  return meeting.loggedVersion === undefined;
}

/** The next live meeting after `after` (ISO), not counting `exceptId`. */
export function nextMeeting(meetings: readonly Meeting[], after: string, exceptId?: string): Meeting | undefined {
  return meetings
    .filter((m) => m.status === 'scheduled' && m.startsAt > after && m.meetingId !== exceptId)
    .sort((a, b) => a.startsAt.localeCompare(b.startsAt))[0];
}

// --- Session logs ---------------------------------------------------------------------------------

/** A session can be logged once it has begun, unless it was cancelled. */
export function assertCanLog(meeting: Meeting, now: Date): void {
  if (meeting.status === 'cancelled') throw new ConflictError('A cancelled meeting is not logged', { code: 'meeting_cancelled' });
  if (meeting.startsAt > now.toISOString()) {
    throw new ConflictError('The meeting has not begun yet; log it after it is held', { code: 'meeting_not_held' });
  }
}

export function newLog(meeting: Meeting, body: LogSessionBody, version: number, ids: { now: Date; by: string }): SessionLog {
  return {
    meetingId: meeting.meetingId,
    version,
    attendees: body.attendees,
    themes: body.themes,
    notes: body.notes,
    actions: body.actions,
    durationMinutes: body.durationMinutes,
    loggedAt: ids.now.toISOString(),
    loggedBy: ids.by,
  };
}

/** A log with the same content as the one in force is the same request again, not a correction. */
export function sameLog(log: SessionLog, body: LogSessionBody): boolean {
  return (
    log.attendees === body.attendees &&
    log.notes === body.notes &&
    log.durationMinutes === body.durationMinutes &&
    sameList(log.themes, body.themes) &&
    sameList(log.actions, body.actions)
  );
}

/** The version in force of each logged meeting. */
export function currentLogs(meetings: readonly Meeting[], logs: readonly SessionLog[]): Map<string, SessionLog> {
  const current = new Map<string, SessionLog>();
  for (const meeting of meetings) {
    const log = logs.find((l) => l.meetingId === meeting.meetingId && l.version === meeting.loggedVersion);
    if (log) current.set(meeting.meetingId, log);
  }
  return current;
}

export interface EngagementSummary {
  meetingsHeld: number;
  minutes: number;
  themes: string[];
  actions: string[];
}

/** What the programme amounted to, from the logs in force: the meetings held, their time, themes and actions. */
export function summarize(meetings: readonly Meeting[], logs: readonly SessionLog[]): EngagementSummary {
  const held = [...currentLogs(meetings, logs).entries()]
    .map(([meetingId, log]) => ({ meeting: meetings.find((m) => m.meetingId === meetingId)!, log }))
    .sort((a, b) => a.meeting.startsAt.localeCompare(b.meeting.startsAt));
  const themes = new Map<string, string>();
  for (const { log } of held)
    for (const theme of log.themes) if (!themes.has(theme.toLowerCase())) themes.set(theme.toLowerCase(), theme);
  return {
    meetingsHeld: held.length,
    minutes: held.reduce((sum, { log }) => sum + log.durationMinutes, 0),
    themes: [...themes.values()],
    actions: held.flatMap(({ log }) => log.actions),
  };
}

/** Completion waits until no meeting is still ahead: they are held (or cancelled) first. */
export function assertCanComplete(engagement: Engagement, meetings: readonly Meeting[], now: Date): void {
  assertActive(engagement);
  const ahead = meetings.filter((m) => m.status === 'scheduled' && m.startsAt > now.toISOString());
  if (ahead.length > 0) {
    throw new ConflictError(`${ahead.length} meeting(s) are still ahead; hold or cancel them first`, { code: 'meetings_ahead' });
  }
}

// --- Views ----------------------------------------------------------------------------------------

export function toLogView(log: SessionLog): SessionLogView {
  const { meetingId: _meetingId, ...view } = log;
  return view;
}

export function toMeetingView(meeting: Meeting, logs: readonly SessionLog[]): MeetingView {
  return {
    meetingId: meeting.meetingId,
    engagementId: meeting.engagementId,
    kind: meeting.kind,
    status: meeting.status,
    startsAt: meeting.startsAt,
    endsAt: endsAt(meeting),
    durationMinutes: meeting.durationMinutes,
    joinUrl: meeting.joinUrl,
    sequence: meeting.sequence,
    createdAt: meeting.createdAt,
    ...(meeting.cancelledAt ? { cancelledAt: meeting.cancelledAt } : {}),
    logs: logs
      .filter((l) => l.meetingId === meeting.meetingId)
      .sort((a, b) => a.version - b.version)
      .map(toLogView),
  };
}

export function toEngagementView(
  record: EngagementRecord,
  related: { application?: Pick<Application, 'contact'>; tutor?: Pick<Tutor, 'tutorId' | 'name' | 'email'> },
): EngagementView {
  const { engagement, meetings, logs, extraRequests } = record;
  const { contact } = related.application ?? {};
  return {
    engagementId: engagement.engagementId,
    applicationId: engagement.applicationId,
    roundId: engagement.roundId,
    municipality: engagement.municipality,
    ...(contact
      ? { contact: { name: contact.name, email: contact.email, ...(contact.phone ? { phone: contact.phone } : {}) } }
      : {}),
    language: engagement.language,
    region: engagement.region,
    themes: engagement.themes,
    status: engagement.status,
    ...(related.tutor ? { tutor: { tutorId: related.tutor.tutorId, name: related.tutor.name, email: related.tutor.email } } : {}),
    ...(engagement.assignedAt ? { assignedAt: engagement.assignedAt } : {}),
    createdAt: engagement.createdAt,
    ...(engagement.completedAt ? { completedAt: engagement.completedAt } : {}),
    meetings: [...meetings].sort((a, b) => a.startsAt.localeCompare(b.startsAt)).map((m) => toMeetingView(m, logs)),
    extraMeetingRequests: [...extraRequests].sort((a, b) => a.requestedAt.localeCompare(b.requestedAt)),
  };
}

function sameSet<T>(a: readonly T[], b: readonly T[]): boolean {
  const left = new Set(a);
  const right = new Set(b);
  return left.size === right.size && [...left].every((x) => right.has(x));
}

function sameList<T>(a: readonly T[], b: readonly T[]): boolean {
  return a.length === b.length && a.every((x, i) => x === b[i]);
}
