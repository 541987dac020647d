// Calendar invitations for meetings (RFC 5545 via the `ics` package): METHOD:REQUEST with a stable
// UID per meeting and a SEQUENCE that grows with each change, METHOD:CANCEL with the same UID, so
// that Outlook, Google and Apple calendars update or drop the one entry instead of adding another.
import { createEvent, type EventAttributes } from 'ics';
import { calendarName } from '../shared/calendar-names.js';

export type CalendarMethod = 'REQUEST' | 'CANCEL';

export interface CalendarInvite {
  method: CalendarMethod;
  meetingId: string;
  sequence: number;
  /** UTC ISO. The file carries UTC times; calendars show them in each reader's own zone. */
  startsAt: string;
  durationMinutes: number;
  title: string;
  description: string;
  joinUrl: string;
  organizer: { name: string; email: string };
  attendees: { name: string; email: string }[];
  /** DTSTAMP: when this version of the invitation was made (the shared clock). */
  stamp: Date;
}

/** One UID per meeting for its whole life: updates and the cancellation must name the same event. */
export function meetingUid(meetingId: string): string {
  return `${meetingId}@sparraus`;
}

/** The .ics text; throws if the package refuses the input (a bug, not bad user input: that was validated). */
export function meetingCalendar(invite: CalendarInvite): string {
  const start = Date.parse(invite.startsAt);
  const attributes: EventAttributes & { timestamp: number } = {
    productId: '-//sparraus//tutoring//EN',
    method: invite.method,
    uid: meetingUid(invite.meetingId),
    sequence: invite.sequence,
    timestamp: invite.stamp.getTime(),
    start,
    startInputType: 'utc',
    startOutputType: 'utc',
    end: start + invite.durationMinutes * 60_000,
    endInputType: 'utc',
    endOutputType: 'utc',
    title: invite.title,
    description: invite.description,
    location: invite.joinUrl,
    url: invite.joinUrl,
    status: invite.method === 'CANCEL' ? 'CANCELLED' : 'CONFIRMED',
    busyStatus: 'BUSY',
    organizer: { ...invite.organizer, name: calendarName(invite.organizer.name) },
    attendees: invite.attendees.map((a) => ({
      ...a,
      name: calendarName(a.name),
      rsvp: true,
      partstat: 'NEEDS-ACTION',
      role: 'REQ-PARTICIPANT',
    })),
  };
  const { error, value } = createEvent(attributes);
  if (error || !value) throw new Error(`The calendar file could not be made: ${error?.message ?? 'no output'}`, { cause: error });
  return value;
}

/** The email attachment; the `method` parameter lets mail clients offer Accept/Decline or remove the entry. */
export function calendarAttachment(ics: string, method: CalendarMethod) {
  return {
    filename: method === 'CANCEL' ? 'cancel.ics' : 'invite.ics',
    contentType: `text/calendar; charset=UTF-8; method=${method}`,
    content: ics,
  };
}
