// The staff email about an unreachable contact: one mail in Finnish, Swedish and English at once.
import { describe, expect, it } from 'vitest';
import { unreachableContactEmail } from '../../../functions/deliverability/emails.js';

const base = { municipalityName: 'Närpes', roundName: 'Kevät 2027', contactName: 'Maija <M>' };

describe('unreachableContactEmail', () => {
  it('names the problem in Finnish and Swedish in the subject, and in all three languages in the body', () => {
    const mail = unreachableContactEmail({ ...base, reason: 'bounce' });
    expect(mail.subject).toBe('Yhteyshenkilön osoite ei toimi / Kontaktpersonens adress fungerar inte: Närpes');
    const paragraphs = mail.text.split('\n\n');
    expect(paragraphs).toHaveLength(3);
    expect(paragraphs[0]).toContain('pysyvä palautus');
    expect(paragraphs[1]).toContain('permanent studs');
    expect(paragraphs[2]).toContain('permanent bounce');
    // Staff mail: no greeting to one person and no signature.
    expect(mail.text).not.toMatch(/^Hei|terveisin/);
  });
  it('tells a spam complaint apart from a bounce', () => {
    const mail = unreachableContactEmail({ ...base, reason: 'complaint' });
    expect(mail.text).toContain('roskapostiksi');
    expect(mail.text).toContain('skräppost');
    expect(mail.text).toContain('as spam');
  });
  it('escapes the contact name in the HTML part', () => {
    const mail = unreachableContactEmail({ ...base, reason: 'bounce' });
    expect(mail.html).toContain('(Maija &lt;M&gt;)');
    expect(mail.html).toContain('<html lang="fi">');
    expect(mail.html).not.toContain('<a ');
  });
});
