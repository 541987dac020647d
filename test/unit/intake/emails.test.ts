import { describe, expect, it } from 'vitest';
import { applicationReceivedEmail } from '../../../functions/intake/emails.js';

const base = {
  contactName: 'Maija <M>',
  municipalityName: 'Helsinki',
  roundName: 'Kevät 2027',
  closesAt: '2027-02-10T14:00:00.000Z',
  statusUrl: 'http://localhost:3000/applications/a1?token=t&x=1',
};

describe('applicationReceivedEmail', () => {
  it.each([
    ['fi', 'Hakemus vastaanotettu', 'Suomen aikaa'],
    ['sv', 'Ansökan mottagen', 'finsk tid'],
    ['en', 'Application received', 'Finnish time'],
  ] as const)('is written in %s, with the closing time in Helsinki time and the zone named', (language, subject, zone) => {
    const mail = applicationReceivedEmail({ ...base, language });
    expect(mail.subject).toBe(`${subject}: Kevät 2027`);
    expect(mail.text).toContain(base.statusUrl);
    // 14:00 UTC in February is 16:00 in Helsinki (UTC+2).
    expect(mail.text).toMatch(/16[.:]00/);
    expect(mail.text).toContain(zone);
    expect(mail.text).toContain('Europe/Helsinki');
  });
  it('escapes names in the HTML part', () => {
    const mail = applicationReceivedEmail({ ...base, language: 'en' });
    expect(mail.html).toContain('Maija &lt;M&gt;');
    expect(mail.html).toContain('href="http://localhost:3000/applications/a1?token=t&amp;x=1"');
  });
});
