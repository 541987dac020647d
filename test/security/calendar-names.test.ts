// A quote (or a line break) in a person's name must not break the calendar file: a real parser
// finds one ATTENDEE per person, with the right address, whatever the name holds.
import ical, { type VEvent } from 'node-ical';
import { describe, expect, it } from 'vitest';
import { calendarName } from '../../functions/shared/calendar-names.js';
import { meetingCalendar } from '../../functions/tutoring/ics.js';

const hostileNames = ['Quote";ROLE=CHAIR', 'Line\r\nATTENDEE:mailto:evil@example.com', 'Nul\u0000Byte', '"'];

function attendeesOf(text: string): { email: string; name: string | undefined }[] {
  const event = Object.values(ical.sync.parseICS(text)).find((c): c is VEvent => c?.type === 'VEVENT')!;
  const raw = event.attendee === undefined ? [] : Array.isArray(event.attendee) ? event.attendee : [event.attendee];
  return raw.map((a) =>
    typeof a === 'string'
      ? { email: a.replace(/^mailto:/i, ''), name: undefined }
      : { email: String(a.val).replace(/^mailto:/i, ''), name: a.params?.CN as string | undefined },
  );
}

describe('names in calendar files', () => {
  for (const name of hostileNames) {
    it(`a meeting invitation for ${JSON.stringify(name)} has exactly one ATTENDEE with the right address`, () => {
      const text = meetingCalendar({
        method: 'REQUEST',
        meetingId: 'c3d4e5f6-a7b8-4c9d-8e0f-1a2b3c4d5e6f',
        sequence: 0,
        startsAt: '2027-03-05T09:00:00.000Z',
        durationMinutes: 60,
        title: 'Aloitustapaaminen',
        description: 'Agenda',
        joinUrl: 'https://meet.example.fi/abc',
        organizer: { name, email: 'no-reply@sparraus.local' },
        attendees: [{ name, email: 'maija@example.fi' }],
        stamp: new Date('2027-03-01T10:00:00.000Z'),
      });
      const attendees = attendeesOf(text);
      expect(attendees).toHaveLength(1);
      expect(attendees[0]!.email).toBe('maija@example.fi');
      expect(attendees[0]!.name).toBe(calendarName(name));
      expect(text).not.toMatch(/^ATTENDEE[^\r\n]*evil/m);
    });
  }

  it('keeps ordinary names as they are', () => {
    expect(calendarName('Åsa Öberg-Nieminen, Närpes')).toBe('Åsa Öberg-Nieminen, Närpes');
  });
});
