// Who hears what in tutoring (meetings apart: meeting-notifications.ts), and the one email each gets:
// every message has an idempotency key, so a redelivered event sends nothing twice. Each reads the
// state on record and stays silent when the event has been overtaken (a later reassignment, a newer
// meeting sequence, a cancelled meeting).
import { createHash } from 'node:crypto';
import type { Language } from '../../schemas/common.js';
import type { EventDetail } from '../../schemas/events/catalogue.js';
import type { Application } from '../../schemas/stored/application.js';
import type { Round } from '../../schemas/stored/round.js';
import { statusUrl } from '../shared/page-links.js';
import { config } from '../shared/config.js';
import { logger } from '../shared/logger.js';
import type { Attachment } from '../shared/mailer.js';
import { coordinatorAddresses } from './coordinators.js';
import { nextMeeting, summarize, type EngagementRecord, type Tutor } from './domain.js';
import {
  engagementUnassignedEmail,
  extraMeetingsEmail,
  followUpEmail,
  logNudgeEmail,
  summaryEmail,
  tutorAssignedToContactEmail,
  tutorAssignedToTutorEmail,
  tutorReleasedEmail,
  type RenderedMail,
} from './emails.js';
import type { NotifyingPorts, TutoringPorts } from './ports.js';

/** Coordinators read the programme's working language unless they say otherwise. */
const coordinatorLanguage: Language = 'fi';

export const tutorLanguage = (tutor: Pick<Tutor, 'languages'>): Language => tutor.languages[0] ?? 'fi';

export interface Context {
  record: EngagementRecord;
  application?: Application;
  round?: Round;
  tutor?: Tutor;
}

export async function contextOf(ports: TutoringPorts, engagementId: string): Promise<Context | undefined> {
  const record = await ports.engagements.loadEngagement(engagementId);
  if (!record) {
    logger.warn('engagement not found; nobody to tell', { engagementId });
    return undefined;
  }
  const { engagement } = record;
  const [application, round, tutor] = await Promise.all([
    ports.intake.getApplication(engagement.applicationId),
    ports.intake.getRound(engagement.roundId),
    engagement.tutorId ? ports.tutors.getTutor(engagement.tutorId) : undefined,
  ]);
  return { record, ...(application ? { application } : {}), ...(round ? { round } : {}), ...(tutor ? { tutor } : {}) };
}

/** A coordinator's part of an email key: per address, without writing the address itself into a key. */
const addressKey = (address: string) => createHash('sha256').update(address).digest('base64url').slice(0, 16);

export async function send(
  ports: Pick<NotifyingPorts, 'mailer'>,
  key: string,
  kind: string,
  to: string,
  mail: RenderedMail,
  attachments?: Attachment[],
): Promise<void> {
  const result = await ports.mailer.sendOnce({ key, kind, to, ...mail, ...(attachments ? { attachments } : {}) });
  logger.info('tutoring email', { key, kind, result });
}

// --- Assignment -----------------------------------------------------------------------------------

export async function notifyTutorAssigned(ports: NotifyingPorts, detail: EventDetail<'TutorAssigned'>): Promise<void> {
  const context = await contextOf(ports, detail.engagementId);
  if (!context) return;
  const { record, application, round, tutor } = context;
  const { engagement } = record;
  if (engagement.tutorId !== detail.tutorId || engagement.assignments !== detail.assignment || !tutor) {
    logger.info('assignment overtaken by a later one; not told', {
      engagementId: detail.engagementId,
      assignment: detail.assignment,
    });
    return;
  }
  const base = `tutor-assigned/${engagement.engagementId}/${detail.assignment}`;
  const reassigned = detail.previousTutorId !== undefined;
  const roundName = round?.name ?? engagement.roundId;
  if (application) {
    await send(
      ports,
      `${base}/contact`,
      'tutor-assigned',
      application.contact.email,
      tutorAssignedToContactEmail({
        language: application.language,
        contactName: application.contact.name,
        municipalityName: engagement.municipality.name,
        roundName,
        tutorName: tutor.name,
        tutorEmail: tutor.email,
        reassigned,
        statusUrl: statusUrl(config.pagesUrl(), application),
      }),
    );
  }
  await send(
    ports,
    `${base}/tutor`,
    'tutor-assigned',
    tutor.email,
    tutorAssignedToTutorEmail({
      language: tutorLanguage(tutor),
      tutorName: tutor.name,
      municipalityName: engagement.municipality.name,
      roundName,
      engagementId: engagement.engagementId,
      ...(application ? { contact: application.contact } : {}),
      municipalityLanguage: engagement.language,
      themes: engagement.themes,
      ...(application?.situation ? { situation: application.situation } : {}),
      reassigned,
    }),
  );
  if (detail.previousTutorId) {
    const previous = await ports.tutors.getTutor(detail.previousTutorId);
    if (previous) {
      await send(
        ports,
        `${base}/previous-tutor`,
        'tutor-released',
        previous.email,
        tutorReleasedEmail({
          language: tutorLanguage(previous),
          tutorName: previous.name,
          municipalityName: engagement.municipality.name,
          reason: 'reassigned',
        }),
      );
    }
  }
}

export async function notifyEngagementLeftUnassigned(
  ports: NotifyingPorts,
  detail: EventDetail<'EngagementLeftUnassigned'>,
): Promise<void> {
  const context = await contextOf(ports, detail.engagementId);
  if (!context) return;
  const { engagement } = context.record;
  if (engagement.status !== 'unassigned') return; // a coordinator has already assigned someone
  const addresses = coordinatorAddresses(context.round);
  if (addresses.length === 0) {
    logger.warn('no coordinator address to tell about an unassigned engagement', { engagementId: engagement.engagementId });
    return;
  }
  const mail = engagementUnassignedEmail({
    language: coordinatorLanguage,
    municipalityName: engagement.municipality.name,
    roundName: context.round?.name ?? engagement.roundId,
    engagementId: engagement.engagementId,
    municipalityLanguage: engagement.language,
    region: engagement.region,
  });
  for (const address of addresses)
    await send(
      ports,
      `engagement-unassigned/${engagement.engagementId}/${addressKey(address)}`,
      'engagement-unassigned',
      address,
      mail,
    );
}

export async function notifyEngagementWithdrawn(
  ports: NotifyingPorts,
  detail: EventDetail<'EngagementWithdrawn'>,
): Promise<void> {
  if (!detail.tutorId) return;
  const [tutor, engagement] = await Promise.all([
    ports.tutors.getTutor(detail.tutorId),
    ports.engagements.getEngagement(detail.engagementId),
  ]);
  if (!tutor || !engagement) return;
  await send(
    ports,
    `engagement-withdrawn/${detail.engagementId}/tutor`,
    'tutor-released',
    tutor.email,
    tutorReleasedEmail({
      language: tutorLanguage(tutor),
      tutorName: tutor.name,
      municipalityName: engagement.municipality.name,
      reason: 'withdrawn',
    }),
  );
}

// --- After sessions -------------------------------------------------------------------------------

/** The follow-up to the municipality after the first log of a session (corrections are not mailed again). */
export async function notifySessionLogged(ports: NotifyingPorts, detail: EventDetail<'SessionLogged'>): Promise<void> {
  if (detail.version !== 1) return;
  const context = await contextOf(ports, detail.engagementId);
  const meeting = context?.record.meetings.find((m) => m.meetingId === detail.meetingId);
  const log = context?.record.logs.find((l) => l.meetingId === detail.meetingId && l.version === 1);
  if (!context?.application || !meeting || !log) return;
  const { application, record, tutor } = context;
  const next = nextMeeting(record.meetings, ports.clock.now().toISOString(), meeting.meetingId);
  await send(
    ports,
    `session-follow-up/${meeting.meetingId}`,
    'session-follow-up',
    application.contact.email,
    followUpEmail({
      language: application.language,
      contactName: application.contact.name,
      municipalityName: record.engagement.municipality.name,
      tutorName: tutor?.name ?? '–',
      meetingKind: meeting.kind,
      startsAt: meeting.startsAt,
      actions: log.actions,
      ...(next ? { next: { meetingKind: next.kind, startsAt: next.startsAt, joinUrl: next.joinUrl } } : {}),
      statusUrl: statusUrl(config.pagesUrl(), application),
    }),
  );
}

export async function notifySessionLogOverdue(
  ports: NotifyingPorts,
  detail: EventDetail<'SessionLogReminderTriggered'>,
): Promise<void> {
  const context = await contextOf(ports, detail.engagementId);
  const meeting = context?.record.meetings.find((m) => m.meetingId === detail.meetingId);
  if (!context?.tutor || !meeting || meeting.status !== 'scheduled' || meeting.loggedVersion !== undefined) return;
  const { tutor } = context;
  await send(
    ports,
    `session-log-reminder/${meeting.meetingId}`,
    'session-log-reminder',
    tutor.email,
    logNudgeEmail({
      language: tutorLanguage(tutor),
      tutorName: tutor.name,
      municipalityName: context.record.engagement.municipality.name,
      meetingKind: meeting.kind,
      startsAt: meeting.startsAt,
      meetingId: meeting.meetingId,
    }),
  );
}

/** To the tutor, or to the coordinators while the engagement has none. */
export async function notifyExtraMeetingsRequested(
  ports: NotifyingPorts,
  detail: EventDetail<'ExtraMeetingsRequested'>,
): Promise<void> {
  const context = await contextOf(ports, detail.engagementId);
  const request = context?.record.extraRequests.find((r) => r.requestId === detail.requestId);
  if (!context || !request) return;
  const { record, application, tutor, round } = context;
  const recipients = tutor
    ? [{ name: tutor.name, email: tutor.email, language: tutorLanguage(tutor) }]
    : coordinatorAddresses(round).map((email) => ({ name: 'koordinaattori', email, language: coordinatorLanguage }));
  for (const recipient of recipients) {
    await send(
      ports,
      `extra-meetings/${record.engagement.engagementId}/${request.requestId}/${addressKey(recipient.email)}`,
      'extra-meetings-requested',
      recipient.email,
      extraMeetingsEmail({
        language: recipient.language,
        recipientName: recipient.name,
        municipalityName: record.engagement.municipality.name,
        message: request.message,
        engagementId: record.engagement.engagementId,
        ...(application ? { contact: application.contact } : {}),
      }),
    );
  }
}

export async function notifyEngagementCompleted(
  ports: NotifyingPorts,
  detail: EventDetail<'EngagementCompleted'>,
): Promise<void> {
  const context = await contextOf(ports, detail.engagementId);
  if (!context?.application || context.record.engagement.status !== 'completed') return;
  const { application, record, tutor, round } = context;
  const summary = summarize(record.meetings, record.logs);
  await send(
    ports,
    `engagement-summary/${record.engagement.engagementId}`,
    'engagement-summary',
    application.contact.email,
    summaryEmail({
      language: application.language,
      contactName: application.contact.name,
      municipalityName: record.engagement.municipality.name,
      roundName: round?.name ?? record.engagement.roundId,
      ...(tutor ? { tutorName: tutor.name } : {}),
      ...summary,
      statusUrl: statusUrl(config.pagesUrl(), application),
    }),
  );
}
