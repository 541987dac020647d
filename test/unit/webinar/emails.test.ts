// The webinar emails and the calendar invitation: language, Helsinki time with the zone named, links, .ics.
import { describe, expect, it } from 'vitest';
import { calendarInvitation } from '../../../functions/webinar/calendar.js';
import { webinarEmail, type WebinarMailKind } from '../../../functions/webinar/emails.js';

const base = {
  name: 'Maija <M>',
  title: 'Päätöswebinaari',
  // 10:00 UTC in May is 13:00 in Helsinki (UTC+3).
  startsAt: '2027-05-20T10:00:00.000Z',
  endsAt: '2027-05-20T12:00:00.000Z',
  joinUrl: 'https://teams.example.fi/w',
  cancelUrl: 'http://localhost:3000/registrations/r1?token=t&x=1',
};

describe('webinarEmail', () => {
  it.each([
    ['fi', 'Ilmoittautuminen vahvistettu', 'Suomen aikaa'],
    ['sv', 'Anmälan bekräftad', 'finsk tid'],
    ['en', 'Registration confirmed', 'Finnish time'],
  ] as const)('confirms in %s, with the time in Helsinki time and the zone named', (language, subject, zone) => {
    const mail = webinarEmail({ ...base, kind: 'confirmed', language });
    expect(mail.subject).toBe(`${subject}: Päätöswebinaari`);
    expect(mail.text).toMatch(/13[.:]00/);
    expect(mail.text).toContain(zone);
    expect(mail.text).toContain('Europe/Helsinki');
    expect(mail.text).toContain(base.cancelUrl);
    expect(mail.text).toContain(base.joinUrl);
  });
  it('tells the waiting-list position', () => {
    expect(webinarEmail({ ...base, kind: 'waitlisted', language: 'en', position: 7 }).text).toContain(
      'number 7 on the waiting list',
    );
  });
  it('has a text for every kind in every language', () => {
    const kinds: WebinarMailKind[] = [
      'invitation',
      'confirmed',
      'waitlisted',
      'promoted',
      'cancelled',
      'reminder',
      'thanks',
      'missed',
    ];
    for (const language of ['fi', 'sv', 'en'] as const) {
      for (const kind of kinds) {
        const mail = webinarEmail({
          ...base,
          kind,
          language,
          registrationUrl: 'http://x/w?invitation=t',
          position: 1,
          recordingUrl: 'https://v/r',
        });
        expect(mail.subject.length, `${language} ${kind}`).toBeGreaterThan(5);
        expect(mail.text).not.toContain('undefined');
      }
    }
  });
  it('escapes names and links in the HTML part', () => {
    const mail = webinarEmail({ ...base, kind: 'confirmed', language: 'fi' });
    expect(mail.html).toContain('Maija &lt;M&gt;');
    expect(mail.html).toContain('href="http://localhost:3000/registrations/r1?token=t&amp;x=1"');
  });
  it('the recording link goes to those who missed it, when there is one', () => {
    expect(webinarEmail({ ...base, kind: 'missed', language: 'sv', recordingUrl: 'https://v.example.fi/r' }).text).toContain(
      'https://v.example.fi/r',
    );
    expect(webinarEmail({ ...base, kind: 'missed', language: 'sv' }).text).toContain('inspelning');
  });
});

describe('calendarInvitation', () => {
  const webinar = {
    webinarId: 'w1',
    title: 'Päätöswebinaari',
    startsAt: base.startsAt,
    endsAt: base.endsAt,
    joinUrl: base.joinUrl,
    sequence: 2,
  };
  const registration = { registrationId: 'r1', name: 'Maija', email: 'maija@example.fi' };
  it('is an iTIP REQUEST with a stable UID per registration and UTC times', () => {
    const ics = String(calendarInvitation(webinar, registration, 'no-reply@example.fi').content);
    expect(ics).toContain('METHOD:REQUEST');
    expect(ics).toContain('UID:r1@sparraus');
    expect(ics).toContain('DTSTART:20270520T100000Z');
    expect(ics).toContain('DTEND:20270520T120000Z');
    expect(ics).toContain('SEQUENCE:2');
    expect(ics).toMatch(/ORGANIZER;CN=.*no-reply@example\.fi/);
    expect(String(calendarInvitation(webinar, registration, 'no-reply@example.fi').content)).toContain('UID:r1@sparraus');
  });
  it('a cancellation is METHOD:CANCEL for the same UID, with a higher sequence', () => {
    const attachment = calendarInvitation(webinar, registration, 'no-reply@example.fi', 'CANCEL');
    expect(attachment.contentType).toContain('method=CANCEL');
    const ics = String(attachment.content);
    expect(ics).toContain('METHOD:CANCEL');
    expect(ics).toContain('STATUS:CANCELLED');
    expect(ics).toContain('SEQUENCE:3');
    expect(ics).toContain('UID:r1@sparraus');
  });
});
