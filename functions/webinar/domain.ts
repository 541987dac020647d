// Webinar rules as plain functions: the webinar and its registration window, seats and the waiting
// list, invitations and who gets them, attendance, and what is due when. No AWS here.
import { createHash } from 'node:crypto';
import type {
  AttendanceBody,
  BatchProgress,
  CreateWebinarBody,
  Invitee,
  RegisterBody,
  RegistrationView,
  UpdateWebinarBody,
  WebinarView,
} from '../../schemas/api/webinars.js';
import type { Language } from '../../schemas/common.js';
import type { InvitationBatch } from '../../schemas/stored/invitation-batch.js';
import type { Invitation, Registration, Webinar } from '../../schemas/stored/webinar.js';
import type { WebinarChange } from '../stores/webinars.js';
import type { Application } from '../../schemas/stored/application.js';
import { ConflictError, ValidationError } from '../shared/errors.js';
import { toCsv } from '../shared/csv.js';

const hourMs = 3600_000;

/** When the reminder goes out: this long before the start ("the day before"). */
export const reminderLeadMs = 24 * hourMs;

export type { Invitation, InvitationStatus, Registration, Webinar } from '../../schemas/stored/webinar.js';
export type { InvitationBatch } from '../../schemas/stored/invitation-batch.js';
export type { WebinarChange } from '../stores/webinars.js';

const utc = (iso: string) => new Date(iso).toISOString();

const invalid = (path: string, message: string, code: string, params?: Record<string, unknown>) =>
  new ValidationError('The request is not valid', { issues: [{ path, message, code, ...(params ? { params } : {}) }] });

/**
 * The id of a webinar created under an `Idempotency-Key`: the same coordinator's same key for the
 * same round always names the same webinar, so a retried creation (after a 503 or a lost answer)
 * finds the first instead of making a second.
 */
export function idempotentWebinarId(roundId: string, createdBy: string, idempotencyKey: string): string {
  const hex = createHash('sha256').update(`webinar\n${roundId}\n${createdBy}\n${idempotencyKey}`).digest('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20, 32)}`;
}

/** Refuses an `Idempotency-Key` header that cannot be one: 1 to 200 visible ASCII characters. */
export function checkedIdempotencyKey(header: string | undefined): string | undefined {
  if (header === undefined) return undefined;
  if (!/^[\x21-\x7e]{1,200}$/.test(header))
    throw invalid('Idempotency-Key', 'must be 1 to 200 visible ASCII characters', 'invalid_format');
  return header;
}

/** Whether a stored webinar is what this creation asked for (a retry), rather than another use of the same key. */
export function sameCreation(stored: Webinar, asked: Webinar): boolean {
  const fields = [
    'roundId',
    'title',
    'description',
    'startsAt',
    'endsAt',
    'registrationClosesAt',
    'seats',
    'joinUrl',
    'feedbackUrl',
    'recordingUrl',
  ] as const;
  return fields.every((field) => stored[field] === asked[field]) && stored.languages.join() === asked.languages.join();
}

export function newWebinar(
  input: CreateWebinarBody,
  ids: { webinarId: string; roundId: string; now: Date; createdBy: string },
): Webinar {
  const startsAt = utc(input.startsAt);
  if (startsAt <= ids.now.toISOString()) throw invalid('startsAt', 'must be in the future', 'not_in_future');
  return {
    webinarId: ids.webinarId,
    roundId: ids.roundId,
    title: input.title,
    ...(input.description ? { description: input.description } : {}),
    startsAt,
    endsAt: utc(input.endsAt),
    registrationClosesAt: utc(input.registrationClosesAt),
    seats: input.seats,
    joinUrl: input.joinUrl,
    languages: [...new Set(input.languages)],
    ...(input.feedbackUrl ? { feedbackUrl: input.feedbackUrl } : {}),
    ...(input.recordingUrl ? { recordingUrl: input.recordingUrl } : {}),
    createdAt: ids.now.toISOString(),
    createdBy: ids.createdBy,
    confirmed: 0,
    waitlistSeq: 0,
    waitlistLeft: 0,
    sequence: 0,
  };
}

/** The fields after a coordinator's change, checked against the webinar as it is. */
export function changedWebinar(webinar: Webinar, changes: UpdateWebinarBody): { change: WebinarChange; reschedules: boolean } {
  const change: WebinarChange = { ...changes };
  for (const field of ['startsAt', 'endsAt', 'registrationClosesAt'] as const) {
    const value = changes[field];
    if (value) change[field] = utc(value);
  }
  if (changes.languages) change.languages = [...new Set(changes.languages)];
  const startsAt = change.startsAt ?? webinar.startsAt;
  const endsAt = change.endsAt ?? webinar.endsAt;
  const closesAt = change.registrationClosesAt ?? webinar.registrationClosesAt;
  if (endsAt <= startsAt)
    throw invalid(changes.endsAt ? 'endsAt' : 'startsAt', 'the webinar must end after it starts', 'not_after', {
      other: 'startsAt',
    });
  if (closesAt > startsAt)
    throw invalid(
      changes.registrationClosesAt ? 'registrationClosesAt' : 'startsAt',
      'registration must close at or before the start',
      'too_late',
      { other: 'startsAt' },
    );
  if (change.seats !== undefined && change.seats < webinar.confirmed) {
    throw new ConflictError(`${webinar.confirmed} people already hold a seat; seats cannot go below that`, {
      code: 'seats_taken',
    });
  }
  const reschedules =
    (change.startsAt !== undefined && change.startsAt !== webinar.startsAt) ||
    (change.endsAt !== undefined && change.endsAt !== webinar.endsAt) ||
    (change.joinUrl !== undefined && change.joinUrl !== webinar.joinUrl);
  return { change, reschedules };
}

export function webinarStatus(webinar: Pick<Webinar, 'startsAt' | 'endsAt'>, now: Date): WebinarView['status'] {
  const t = now.toISOString();
  if (t < webinar.startsAt) return 'upcoming';
  if (t < webinar.endsAt) return 'running';
  return 'ended';
}

export const waitingCount = (webinar: Pick<Webinar, 'waitlistSeq' | 'waitlistLeft'>) =>
  Math.max(0, webinar.waitlistSeq - webinar.waitlistLeft);

export function toWebinarView(webinar: Webinar, now: Date, audience: 'public' | 'coordinator'): WebinarView {
  return {
    webinarId: webinar.webinarId,
    roundId: webinar.roundId,
    title: webinar.title,
    ...(webinar.description ? { description: webinar.description } : {}),
    startsAt: webinar.startsAt,
    endsAt: webinar.endsAt,
    registrationClosesAt: webinar.registrationClosesAt,
    languages: webinar.languages,
    seats: webinar.seats,
    seatsLeft: Math.max(0, webinar.seats - webinar.confirmed),
    waiting: waitingCount(webinar),
    registrationOpen: now.toISOString() < webinar.registrationClosesAt,
    status: webinarStatus(webinar, now),
    ...(audience === 'coordinator'
      ? {
          joinUrl: webinar.joinUrl,
          ...(webinar.feedbackUrl ? { feedbackUrl: webinar.feedbackUrl } : {}),
          ...(webinar.recordingUrl ? { recordingUrl: webinar.recordingUrl } : {}),
          confirmed: webinar.confirmed,
          createdAt: webinar.createdAt,
        }
      : {}),
  };
}

/** Refuses a registration the webinar cannot take. The store re-checks the window atomically. */
export function assertCanRegister(webinar: Webinar, body: Pick<RegisterBody, 'language'>, now: Date): void {
  if (now.toISOString() >= webinar.registrationClosesAt) {
    throw new ConflictError(`Registration for "${webinar.title}" closed at ${webinar.registrationClosesAt}`, {
      code: 'registration_closed',
    });
  }
  if (!webinar.languages.includes(body.language)) {
    throw invalid('language', `this webinar is held in ${webinar.languages.join(', ')}`, 'language_not_offered', {
      languages: webinar.languages.join(', '),
    });
  }
}

export function newRegistration(
  webinar: Webinar,
  body: RegisterBody,
  ids: { registrationId: string; accessToken: string; now: Date; invitation?: Pick<Invitation, 'municipality'> },
): Omit<Registration, 'status'> {
  const at = ids.now.toISOString();
  const municipality = body.municipality ?? ids.invitation?.municipality;
  return {
    registrationId: ids.registrationId,
    webinarId: webinar.webinarId,
    name: body.name,
    email: body.email.toLowerCase(),
    language: body.language,
    ...(municipality ? { municipality } : {}),
    invited: ids.invitation !== undefined,
    registeredAt: at,
    consentAt: at,
    accessToken: ids.accessToken,
  };
}

/**
 * Positions on the waiting list now: the still-waitlisted by ticket, 1 = next to get a freed seat.
 * Computed, never stored, so that the list has no gaps or repeats whoever leaves it.
 */
export function waitlistPositions(
  registrations: readonly Pick<Registration, 'registrationId' | 'status' | 'ticket'>[],
): Map<string, number> {
  const waiting = registrations
    .filter((r) => r.status === 'waitlisted' && r.ticket !== undefined)
    .sort((a, b) => a.ticket! - b.ticket!);
  return new Map(waiting.map((r, index) => [r.registrationId, index + 1]));
}

/** The waitlisted in the order they get freed seats. */
export function waitingInOrder<T extends Pick<Registration, 'status' | 'ticket'>>(registrations: readonly T[]): T[] {
  return registrations.filter((r) => r.status === 'waitlisted' && r.ticket !== undefined).sort((a, b) => a.ticket! - b.ticket!);
}

export function cancelUrl(publicUrl: string, registration: Pick<Registration, 'registrationId' | 'accessToken'>): string {
  return `${publicUrl}/registrations/${encodeURIComponent(registration.registrationId)}?token=${encodeURIComponent(registration.accessToken)}`;
}

export function invitationUrl(publicUrl: string, invitation: Pick<Invitation, 'webinarId' | 'token'>): string {
  return `${publicUrl}/webinars/${encodeURIComponent(invitation.webinarId)}?invitation=${encodeURIComponent(invitation.token)}`;
}

/** Statuses that make a municipality a participant of its round, whose contact is invited. */
const participating = new Set<Application['status']>(['accepted', 'completed']);

export interface Recipient {
  email: string;
  name: string;
  language: Language;
  municipality?: string;
}

/**
 * Who a batch invites: the contact of every participating municipality, then the extra invitees,
 * each address once (the first mention wins: a municipality's contact keeps their municipality).
 */
export function invitationRecipients(applications: readonly Application[], extra: readonly Invitee[]): Recipient[] {
  const byEmail = new Map<string, Recipient>();
  const add = (r: Recipient) => {
    const email = r.email.toLowerCase();
    if (!byEmail.has(email)) byEmail.set(email, { ...r, email });
  };
  for (const a of applications) {
    if (participating.has(a.status)) {
      add({ email: a.contact.email, name: a.contact.name, language: a.language, municipality: a.municipality.name });
    }
  }
  for (const e of extra)
    add({ email: e.email, name: e.name, language: e.language, ...(e.municipality ? { municipality: e.municipality } : {}) });
  return [...byEmail.values()];
}

export const batchLeft = (b: Pick<InvitationBatch, 'recipients' | 'skipped' | 'sent' | 'failed'>) =>
  Math.max(0, b.recipients - b.skipped - b.sent - b.failed);

export function toBatchProgress(batch: InvitationBatch, failures: { email: string; reason: string }[]): BatchProgress {
  return {
    batchId: batch.batchId,
    webinarId: batch.webinarId,
    status: batch.status,
    recipients: batch.recipients,
    skipped: batch.skipped,
    sent: batch.sent,
    failed: batch.failed,
    left: batchLeft(batch),
    ratePerSecond: batch.ratePerSecond,
    throttled: batch.throttled,
    failures,
    createdAt: batch.createdAt,
    ...(batch.finishedAt ? { finishedAt: batch.finishedAt } : {}),
  };
}

/**
 * Checks an attendance list against the webinar's registrations before anything is written:
 * every id must be a confirmed registration of this webinar, and the webinar must have started.
 */
export function assertCanMarkAttendance(
  webinar: Webinar,
  body: AttendanceBody,
  registrations: ReadonlyMap<string, Pick<Registration, 'status'>>,
  now: Date,
): void {
  if (now.toISOString() < webinar.startsAt) {
    throw new ConflictError(`The webinar starts at ${webinar.startsAt}; attendance is marked from then on`, {
      code: 'not_started',
    });
  }
  const issues = body.registrationIds.flatMap((id, index) => {
    const registration = registrations.get(id);
    if (!registration)
      return [
        { path: `registrationIds.${index}`, message: `no registration ${id} for this webinar`, code: 'unknown_registration' },
      ];
    if (registration.status !== 'confirmed')
      return [
        {
          path: `registrationIds.${index}`,
          message: `registration ${id} is ${registration.status}`,
          code: 'wrong_status',
          params: { status: registration.status },
        },
      ];
    return [];
  });
  if (new Set(body.registrationIds).size !== body.registrationIds.length)
    issues.push({ path: 'registrationIds', message: 'lists a registration twice', code: 'duplicate' });
  if (issues.length) throw new ValidationError('The attendance list is not valid', { issues });
}

export type DueNotice = 'reminder' | 'thanks';

/** Which of the before-and-after emails are due for a webinar at `now` and not yet done. */
export function dueNotices(webinar: Webinar, now: Date): DueNotice[] {
  const t = now.getTime();
  const starts = Date.parse(webinar.startsAt);
  const due: DueNotice[] = [];
  if (!webinar.remindersDoneAt && t >= starts - reminderLeadMs && t < starts) due.push('reminder');
  if (!webinar.thanksDoneAt && t >= Date.parse(webinar.endsAt)) due.push('thanks');
  return due;
}

export function toRegistrationView(r: Registration, position: number | undefined): RegistrationView {
  return {
    registrationId: r.registrationId,
    name: r.name,
    email: r.email,
    language: r.language,
    ...(r.municipality ? { municipality: r.municipality } : {}),
    status: r.status,
    ...(position !== undefined ? { position } : {}),
    invited: r.invited,
    ...(r.attended !== undefined ? { attended: r.attended } : {}),
    registeredAt: r.registeredAt,
    ...(r.confirmedAt ? { confirmedAt: r.confirmedAt } : {}),
    ...(r.promotedAt ? { promotedAt: r.promotedAt } : {}),
    ...(r.cancelledAt ? { cancelledAt: r.cancelledAt } : {}),
    ...(r.attendanceMarkedAt ? { attendanceMarkedAt: r.attendanceMarkedAt } : {}),
  };
}

const csvColumns = [
  'registrationId',
  'name',
  'email',
  'language',
  'municipality',
  'status',
  'position',
  'invited',
  'attended',
  'registeredAt',
  'confirmedAt',
  'promotedAt',
  'cancelledAt',
] as const;

/** The registrations as CSV (functions/shared/csv.ts: RFC 4180, formulas kept as text). */
export function registrationsCsv(rows: readonly RegistrationView[]): string {
  return toCsv(csvColumns, rows as readonly Partial<Record<(typeof csvColumns)[number], unknown>>[]);
}
