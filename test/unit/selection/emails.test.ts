import { describe, expect, it } from 'vitest';
import { selectionEmail, type SelectionMailKind } from '../../../functions/selection/emails.js';

const kinds: SelectionMailKind[] = [
  'accepted',
  'accepted-offer',
  'waitlisted',
  'place-offered',
  'offer-declined',
  'offer-lapsed',
  'withdrawn',
  'carry-over-offered',
  'carry-over-declined',
  'carry-over-lapsed',
  'carried-over',
];

const base = {
  contactName: 'Maija',
  municipalityName: 'Esbo',
  roundName: 'Kevät 2027',
  statusUrl: 'http://localhost:3000/applications/a?token=t',
  position: 2,
  expiresAt: '2027-03-03T10:00:00.000Z',
  nextRoundName: 'Syksy 2027',
};

describe('selectionEmail', () => {
  it.each(['fi', 'sv', 'en'] as const)('writes every kind in %s, each with the status link and no blanks', (language) => {
    const subjects = new Set<string>();
    for (const kind of kinds) {
      const mail = selectionEmail({ ...base, kind, language });
      expect(mail.text).toContain(base.statusUrl);
      expect(mail.text).not.toMatch(/undefined|\$\{/);
      subjects.add(mail.subject);
    }
    expect(subjects.size).toBeGreaterThanOrEqual(kinds.length - 2);
  });
  it('states the offer deadline in Helsinki time with the zone named', () => {
    const mail = selectionEmail({ ...base, kind: 'place-offered', language: 'fi' });
    // 10:00 UTC in March is 12:00 in Helsinki.
    expect(mail.text).toMatch(/12[.:]00/);
    expect(mail.text).toContain('Europe/Helsinki');
  });
  it('tells the waitlisted their position', () => {
    expect(selectionEmail({ ...base, kind: 'waitlisted', language: 'sv' }).text).toContain('reservplats 2');
  });
});
