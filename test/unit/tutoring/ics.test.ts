import ical, { type VEvent } from 'node-ical';
import { describe, expect, it } from 'vitest';
import { calendarAttachment, meetingCalendar, meetingUid, type CalendarInvite } from '../../../functions/tutoring/ics.js';

const invite: CalendarInvite = {
  method: 'REQUEST',
  meetingId: 'c3d4e5f6-a7b8-4c9d-8e0f-1a2b3c4d5e6f',
  sequence: 3,
  startsAt: '2027-03-05T09:00:00.000Z',
  durationMinutes: 75,
  title: 'Digitukisparraus: Aloituskeskustelu – Pedersören kunta, Närpes; "testi"',
  description: 'Kuntatutori: Tiina\nLiity: https://meet.example.fi/abc?x=1&y=2',
  joinUrl: 'https://meet.example.fi/abc?x=1&y=2',
  organizer: { name: 'Digitukisparraus', email: 'no-reply@sparraus.local' },
  attendees: [
    { name: 'Maija Meikäläinen', email: 'maija@example.fi' },
    { name: 'Tiina Tutor', email: 'tiina@example.fi' },
  ],
  stamp: new Date('2027-03-01T10:00:00.000Z'),
};

/** Parsed by node-ical, an implementation independent of the `ics` package that wrote it. */
function parse(text: string) {
  const parsed = ical.sync.parseICS(text);
  const events = Object.values(parsed).filter((c): c is VEvent => c?.type === 'VEVENT');
  expect(events).toHaveLength(1);
  return { method: (parsed.vcalendar as { method?: string } | undefined)?.method, event: events[0]! };
}

describe('meetingCalendar', () => {
  it('is a METHOD:REQUEST with the meeting’s stable UID, its SEQUENCE, UTC times and both attendees', () => {
    const text = meetingCalendar(invite);
    expect(text).toMatch(/\r\n/);
    const { method, event } = parse(text);
    expect(method).toBe('REQUEST');
    expect(event.uid).toBe(meetingUid(invite.meetingId));
    expect(event.uid).toBe(`${invite.meetingId}@sparraus`);
    expect(event.sequence).toBe(3);
    expect(event.start.toISOString()).toBe('2027-03-05T09:00:00.000Z');
    expect(event.end!.toISOString()).toBe('2027-03-05T10:15:00.000Z');
    expect(event.dtstamp!.toISOString()).toBe('2027-03-01T10:00:00.000Z');
    expect(event.status).toBe('CONFIRMED');
    expect(event.summary).toBe(invite.title);
    expect(event.description).toBe(invite.description);
    expect(event.location).toBe(invite.joinUrl);
    expect(text).toContain('DTSTART:20270305T090000Z');
    const attendees = [(event as unknown as { attendee: unknown }).attendee].flat() as { val: string }[];
    expect(attendees.map((a) => a.val.toLowerCase())).toEqual(['mailto:maija@example.fi', 'mailto:tiina@example.fi']);
  });

  it('a cancellation keeps the UID and says METHOD:CANCEL, STATUS:CANCELLED', () => {
    const { method, event } = parse(meetingCalendar({ ...invite, method: 'CANCEL', sequence: 4 }));
    expect(method).toBe('CANCEL');
    expect(event.uid).toBe(`${invite.meetingId}@sparraus`);
    expect(event.sequence).toBe(4);
    expect(event.status).toBe('CANCELLED');
  });

  it('is the same file for the same version (a resend is byte-identical)', () => {
    expect(meetingCalendar(invite)).toBe(meetingCalendar({ ...invite }));
  });

  it('attaches with the method in the content type, as Outlook expects', () => {
    expect(calendarAttachment('x', 'REQUEST')).toEqual({
      filename: 'invite.ics',
      contentType: 'text/calendar; charset=UTF-8; method=REQUEST',
      content: 'x',
    });
    expect(calendarAttachment('x', 'CANCEL').contentType).toContain('method=CANCEL');
  });
});
