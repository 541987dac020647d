// One link type for every link people give us (schemas/common.ts Link): what the API accepts, the
// calendar file takes, and nothing but https (locally http://localhost) reaches an email's href.
import { createRequire } from 'node:module';
import path from 'node:path';
import fc from 'fast-check';
import ical, { type VEvent } from 'node-ical';
import { describe, expect, it } from 'vitest';
import { meetingCalendar } from '../../functions/tutoring/ics.js';
import { calendarInvitation } from '../../functions/webinar/calendar.js';
import { ScheduleMeetingBody } from '../../schemas/api/engagements.js';
import { CreateWebinarBody } from '../../schemas/api/webinars.js';
import { calendarUrlPattern, Link } from '../../schemas/common.js';

const require = createRequire(import.meta.url);
// The package's exports hide its schema module; the file is what the generator validates with.
const icsSchema = require(path.resolve('node_modules/ics/dist/schema/index.js')) as { urlRegex: RegExp };

const meetingWith = (joinUrl: string) =>
  meetingCalendar({
    method: 'REQUEST',
    meetingId: 'c3d4e5f6-a7b8-4c9d-8e0f-1a2b3c4d5e6f',
    sequence: 0,
    startsAt: '2027-03-05T09:00:00.000Z',
    durationMinutes: 60,
    title: 'Aloitustapaaminen',
    description: 'Agenda',
    joinUrl,
    organizer: { name: 'sparraus', email: 'no-reply@sparraus.local' },
    attendees: [{ name: 'Maija', email: 'maija@example.fi' }],
    stamp: new Date('2027-03-01T10:00:00.000Z'),
  });
const webinarWith = (joinUrl: string) =>
  calendarInvitation(
    { webinarId: 'w1', title: 'Webinaari', description: '', startsAt: '2027-03-05T09:00:00.000Z', endsAt: '2027-03-05T10:00:00.000Z', joinUrl, sequence: 0 },
    { registrationId: 'r1', name: 'Maija', email: 'maija@example.fi' },
    'no-reply@sparraus.local',
  );
const urlOf = (text: string) => {
  const event = Object.values(ical.sync.parseICS(text)).find((c): c is VEvent => c?.type === 'VEVENT')!;
  return String(event.url);
};

describe('links', () => {
  it("match the calendar generator's own URL pattern (the copy in schemas/common.ts is the same)", () => {
    expect(calendarUrlPattern.source).toBe(icsSchema.urlRegex.source);
    expect(calendarUrlPattern.flags).toBe(icsSchema.urlRegex.flags);
  });

  it('a capital letter in the host is accepted and stored as the parser writes it; the calendar takes it', () => {
    const link = Link.parse('https://Meet.Example.fi/Abc?x=1');
    expect(link).toBe('https://meet.example.fi/Abc?x=1');
    expect(urlOf(meetingWith(link))).toBe(link);
    expect(webinarWith(link).filename).toMatch(/\.ics$/);
  });

  it.each([
    ['javascript:alert(1)'],
    ['data:text/html,<script>alert(1)</script>'],
    ['http://meet.example.fi/abc'],
    ['ftp://meet.example.fi/abc'],
    ['https://'],
    ['not a link'],
    [`https://meet.example.fi/${'a'.repeat(2000)}`],
  ])('refuses %s with a message naming the rule', (value) => {
    const result = Link.safeParse(value);
    expect(result.success).toBe(false);
    expect(result.error!.issues[0]!.message).toMatch(/https:\/\/|2000/);
  });

  it('takes http://localhost (local pages and meetings)', () => {
    expect(Link.parse('http://localhost:3000/app/x')).toBe('http://localhost:3000/app/x');
  });

  it('names the field in meeting and webinar bodies', () => {
    const meeting = ScheduleMeetingBody.safeParse({ kind: 'kickoff', startsAt: '2027-03-05T09:00:00Z', durationMinutes: 60, joinUrl: 'javascript:x' });
    expect(meeting.error?.issues.map((i) => i.path.join('.'))).toContain('joinUrl');
    const webinar = CreateWebinarBody.safeParse({ recordingUrl: 'data:,x', feedbackUrl: 'javascript:x' });
    const paths = webinar.error?.issues.map((i) => i.path.join('.'));
    expect(paths).toEqual(expect.arrayContaining(['recordingUrl', 'feedbackUrl']));
  });

  it('whatever the API accepts, both calendar builders take and a real parser reads back (property)', () => {
    fc.assert(
      fc.property(fc.webUrl({ validSchemes: ['https'], withQueryParameters: true, withFragments: true }), (candidate) => {
        const parsed = Link.safeParse(candidate);
        if (!parsed.success) return true; // refused at the edge: never reaches a calendar
        expect(urlOf(meetingWith(parsed.data))).toBe(parsed.data);
        expect(() => webinarWith(parsed.data)).not.toThrow();
        return true;
      }),
      { numRuns: 300 },
    );
  });
});
