// The calendar invitation (.ics, iTIP METHOD:REQUEST) attached to a confirmed seat.
import { createEvent } from 'ics';
import { calendarName } from '../shared/calendar-names.js';
import type { Attachment } from '../shared/mailer.js';
import type { Registration, Webinar } from './domain.js';

/**
 * One calendar event per registration. The UID is stable for the registration, so a calendar
 * that receives the invitation again (a promotion after a cancelled seat, a changed time with a
 * higher SEQUENCE) updates the one entry instead of adding a second. Times are UTC in the file;
 * calendars show them in their own zone.
 */
export function calendarInvitation(
  webinar: Pick<Webinar, 'webinarId' | 'title' | 'description' | 'startsAt' | 'endsAt' | 'joinUrl' | 'sequence'>,
  registration: Pick<Registration, 'registrationId' | 'name' | 'email'>,
  organizer: string,
  method: 'REQUEST' | 'CANCEL' = 'REQUEST',
): Attachment {
  const { error, value } = createEvent({
    uid: `${registration.registrationId}@sparraus`,
    method,
    productId: 'sparraus/webinar',
    title: webinar.title,
    description: [webinar.description, webinar.joinUrl].filter(Boolean).join('\n\n'),
    location: webinar.joinUrl,
    url: webinar.joinUrl,
    start: Date.parse(webinar.startsAt),
    startInputType: 'utc',
    startOutputType: 'utc',
    end: Date.parse(webinar.endsAt),
    endInputType: 'utc',
    endOutputType: 'utc',
    sequence: method === 'CANCEL' ? webinar.sequence + 1 : webinar.sequence,
    status: method === 'CANCEL' ? 'CANCELLED' : 'CONFIRMED',
    organizer: { name: 'sparraus', email: organizer },
    attendees: [
      {
        name: calendarName(registration.name),
        email: registration.email,
        rsvp: false,
        partstat: 'ACCEPTED',
        role: 'REQ-PARTICIPANT',
      },
    ],
  });
  if (error || !value)
    throw new Error(`The calendar invitation could not be built: ${error?.message ?? 'no output'}`, { cause: error });
  return { filename: 'webinar.ics', contentType: `text/calendar; charset=utf-8; method=${method}`, content: value };
}
