import { describe, expect, it } from 'vitest';
import {
  engagementUnassignedEmail,
  extraMeetingsEmail,
  followUpEmail,
  logNudgeEmail,
  meetingCalendarText,
  meetingEmail,
  summaryEmail,
  tutorAssignedToContactEmail,
  tutorAssignedToTutorEmail,
  tutorReleasedEmail,
} from '../../../functions/tutoring/emails.js';

const languages = ['fi', 'sv', 'en'] as const;
const zones = { fi: 'Suomen aikaa', sv: 'finsk tid', en: 'Finnish time' };
// 09:00 UTC in March is 11:00 in Helsinki (UTC+2); in June 12:00 (UTC+3).
const winter = '2027-03-05T09:00:00.000Z';
const summer = '2027-06-07T09:00:00.000Z';

const meeting = {
  recipientName: 'Maija <M>',
  municipalityName: 'Närpes',
  meetingKind: 'kickoff' as const,
  startsAt: winter,
  durationMinutes: 60,
  joinUrl: 'https://meet.example.fi/a?b=1&c=2',
  tutorName: 'Tiina',
};

describe('meeting emails', () => {
  it.each(languages)('state the time in Europe/Helsinki with the zone named (%s)', (language) => {
    for (const kind of ['invitation', 'update', 'cancellation', 'reminder'] as const) {
      const mail = meetingEmail({ ...meeting, kind, language });
      expect(mail.text, kind).toMatch(/11[.:]00/);
      expect(mail.text, kind).toContain(zones[language]);
      expect(mail.text, kind).toContain('Europe/Helsinki');
      expect(mail.subject, kind).toContain('Närpes');
    }
    expect(meetingEmail({ ...meeting, kind: 'invitation', language, startsAt: summer }).text).toMatch(/12[.:]00/);
  });

  it('an update names the previous time; the municipality’s copy links its status page', () => {
    const mail = meetingEmail({
      ...meeting,
      kind: 'update',
      language: 'en',
      startsAt: summer,
      previousStartsAt: winter,
      statusUrl: 'http://x/s?token=t',
    });
    expect(mail.text).toMatch(/New time: .*12:00.*\(was .*11:00/s);
    expect(mail.text).toContain('http://x/s?token=t');
    expect(meetingEmail({ ...meeting, kind: 'update', language: 'en' }).text).not.toContain('http://x/s');
  });

  it('escapes names and links in the HTML part', () => {
    const mail = meetingEmail({ ...meeting, kind: 'invitation', language: 'fi' });
    expect(mail.html).toContain('Maija &lt;M&gt;');
    expect(mail.html).toContain('href="https://meet.example.fi/a?b=1&amp;c=2"');
  });

  it('gives the calendar entry a title and description in the reader’s language', () => {
    expect(meetingCalendarText({ ...meeting, language: 'sv' }).title).toBe('Digistödssparring: Startsamtal – Närpes');
    expect(meetingCalendarText({ ...meeting, language: 'fi' }).description).toContain(meeting.joinUrl);
  });
});

describe('other tutoring emails', () => {
  it.each(languages)('are written in %s', (language) => {
    const mails = [
      tutorAssignedToContactEmail({
        language,
        contactName: 'M',
        municipalityName: 'Närpes',
        roundName: 'Kevät',
        tutorName: 'Tiina',
        tutorEmail: 't@example.fi',
        reassigned: false,
        statusUrl: 'http://s',
      }),
      tutorAssignedToTutorEmail({
        language,
        tutorName: 'Tiina',
        municipalityName: 'Närpes',
        roundName: 'Kevät',
        engagementId: 'e1',
        municipalityLanguage: 'sv',
        themes: ['etätuki'],
        reassigned: true,
      }),
      tutorReleasedEmail({ language, tutorName: 'T', municipalityName: 'Närpes', reason: 'withdrawn' }),
      engagementUnassignedEmail({
        language,
        municipalityName: 'Närpes',
        roundName: 'Kevät',
        engagementId: 'e1',
        municipalityLanguage: 'sv',
        region: '15',
      }),
      followUpEmail({
        language,
        contactName: 'M',
        municipalityName: 'Närpes',
        tutorName: 'T',
        meetingKind: 'follow-up',
        startsAt: winter,
        actions: ['A', 'B'],
        next: { meetingKind: 'extra', startsAt: summer, joinUrl: 'https://n' },
        statusUrl: 'http://s',
      }),
      logNudgeEmail({
        language,
        tutorName: 'T',
        municipalityName: 'Närpes',
        meetingKind: 'kickoff',
        startsAt: winter,
        meetingId: 'm1',
      }),
      extraMeetingsEmail({ language, recipientName: 'T', municipalityName: 'Närpes', message: 'Lisää!', engagementId: 'e1' }),
      summaryEmail({
        language,
        contactName: 'M',
        municipalityName: 'Närpes',
        roundName: 'Kevät',
        meetingsHeld: 3,
        minutes: 210,
        themes: ['x'],
        actions: ['y'],
        statusUrl: 'http://s',
      }),
    ];
    const greeting = { fi: 'Hei ', sv: 'Hej ', en: 'Hello ' }[language];
    for (const mail of mails) {
      expect(mail.text.startsWith(greeting), mail.subject).toBe(true);
      expect(mail.subject).toContain('Närpes');
    }
  });

  it('the follow-up lists the actions and the next meeting in Helsinki time', () => {
    const mail = followUpEmail({
      language: 'fi',
      contactName: 'M',
      municipalityName: 'N',
      tutorName: 'T',
      meetingKind: 'kickoff',
      startsAt: winter,
      actions: ['Kartoita', 'Nimeä'],
      next: { meetingKind: 'follow-up', startsAt: summer, joinUrl: 'https://n' },
      statusUrl: 'http://s',
    });
    expect(mail.text).toContain('- Kartoita\n- Nimeä');
    expect(mail.text).toMatch(/Seuraava tapaaminen: jatkotapaaminen, .*12\.00 \(Suomen aikaa, Europe\/Helsinki\)/);
    expect(mail.html).toContain('<ul><li>Kartoita</li><li>Nimeä</li></ul>');
    const none = followUpEmail({
      language: 'en',
      contactName: 'M',
      municipalityName: 'N',
      tutorName: 'T',
      meetingKind: 'kickoff',
      startsAt: winter,
      actions: [],
      statusUrl: 'http://s',
    });
    expect(none.text).toContain('No next meeting is scheduled yet.');
  });

  it('the summary gives hours in the reader’s number format', () => {
    const base = {
      contactName: 'M',
      municipalityName: 'N',
      roundName: 'R',
      meetingsHeld: 3,
      minutes: 210,
      themes: ['a'],
      actions: [],
      statusUrl: 'http://s',
    };
    expect(summaryEmail({ ...base, language: 'fi' }).text).toContain('yhteensä 3,5 tuntia');
    expect(summaryEmail({ ...base, language: 'en' }).text).toContain('3.5 hours');
  });
});
