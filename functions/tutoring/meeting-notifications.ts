// The meeting emails to both sides: invitations, updates and cancellations with the .ics attached,
// and the 24-hour reminders. Apart from the other notifications because only these need the
// calendar package. Each message has its idempotency key (meeting, sequence, recipient).
import { statusUrl } from '../shared/page-links.js';
import { config } from '../shared/config.js';
import { logger } from '../shared/logger.js';
import type { Attachment } from '../shared/mailer.js';
import type { Meeting } from './domain.js';
import { meetingCalendarText, meetingEmail, type MeetingMailKind } from './emails.js';
import { calendarAttachment, meetingCalendar, type CalendarMethod } from './ics.js';
import { contextOf, send, tutorLanguage } from './notifications.js';
import type { NotifyingPorts } from './ports.js';

/** The calendar entry signs with this name (the From address is the organizer). */
const organizerName = 'Digitukisparraus';

const mailKinds: Record<Exclude<MeetingMailKind, 'reminder'>, { method: CalendarMethod; status: Meeting['status'] }> = {
  invitation: { method: 'REQUEST', status: 'scheduled' },
  update: { method: 'REQUEST', status: 'scheduled' },
  cancellation: { method: 'CANCEL', status: 'cancelled' },
};

/**
 * Invitation, update, cancellation or reminder to both sides of a meeting. Invitations carry the
 * .ics (same UID throughout; SEQUENCE of the version on record); an event about an older sequence
 * than the one on record is skipped, since the newer version has its own event.
 */
export async function notifyMeeting(
  ports: NotifyingPorts,
  kind: MeetingMailKind,
  detail: { meetingId: string; engagementId: string; sequence: number },
): Promise<void> {
  const context = await contextOf(ports, detail.engagementId);
  const meeting = context?.record.meetings.find((m) => m.meetingId === detail.meetingId);
  if (!context || !meeting) return;
  if (meeting.sequence !== detail.sequence) {
    logger.info('meeting changed since this event; not told', {
      meetingId: meeting.meetingId,
      event: detail.sequence,
      now: meeting.sequence,
    });
    return;
  }
  const expected = kind === 'reminder' ? 'scheduled' : mailKinds[kind].status;
  if (meeting.status !== expected) return;
  if (kind === 'reminder' && meeting.startsAt <= ports.clock.now().toISOString()) return; // too late to remind
  const { engagement } = context.record;
  const { application, tutor } = context;
  const tutorName = tutor?.name ?? '–';
  const recipients = [
    ...(application
      ? [{ role: 'contact', name: application.contact.name, email: application.contact.email, language: application.language }]
      : []),
    ...(tutor ? [{ role: 'tutor', name: tutor.name, email: tutor.email, language: tutorLanguage(tutor) }] : []),
  ];
  const attendees = recipients.map(({ name, email }) => ({ name, email }));
  for (const recipient of recipients) {
    const mail = meetingEmail({
      kind,
      language: recipient.language,
      recipientName: recipient.name,
      municipalityName: engagement.municipality.name,
      meetingKind: meeting.kind,
      startsAt: meeting.startsAt,
      ...(kind === 'update' && meeting.previousStartsAt ? { previousStartsAt: meeting.previousStartsAt } : {}),
      durationMinutes: meeting.durationMinutes,
      joinUrl: meeting.joinUrl,
      tutorName,
      ...(recipient.role === 'contact' && application ? { statusUrl: statusUrl(config.pagesUrl(), application) } : {}),
    });
    let attachments: Attachment[] | undefined;
    if (kind !== 'reminder') {
      const { method } = mailKinds[kind];
      const text = meetingCalendarText({
        language: recipient.language,
        meetingKind: meeting.kind,
        municipalityName: engagement.municipality.name,
        tutorName,
        joinUrl: meeting.joinUrl,
      });
      const ics = meetingCalendar({
        method,
        meetingId: meeting.meetingId,
        sequence: meeting.sequence,
        startsAt: meeting.startsAt,
        durationMinutes: meeting.durationMinutes,
        ...text,
        joinUrl: meeting.joinUrl,
        organizer: { name: organizerName, email: config.emailFrom() },
        attendees,
        stamp: new Date(meeting.updatedAt),
      });
      attachments = [calendarAttachment(ics, method)];
    }
    const key = `${kind === 'reminder' ? 'meeting-reminder' : 'meeting'}/${meeting.meetingId}/${meeting.sequence}/${recipient.role}`;
    await send(ports, key, `meeting-${kind}`, recipient.email, mail, attachments);
  }
}
