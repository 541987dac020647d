import { describe, expect, it } from 'vitest';
import { anonymise, dropEntirely, exported, keyMentions, mentions, placeholderFor } from '../../../functions/privacy/domain.js';

const email = 'Maija@Example.fi';
const application = {
  pk: 'APPLICATION#a1',
  sk: 'APPLICATION',
  type: 'application',
  contact: { name: 'Maija Meikäläinen', email: 'maija@example.fi', phone: '+358 40 1' },
  municipality: { code: '091', name: 'Helsinki' },
  status: 'accepted',
  themes: ['etätuki'],
  accessToken: 'secret',
};

describe('privacy domain', () => {
  it('finds the address in any letter case, at any depth', () => {
    expect(mentions(application, email)).toBe(true);
    expect(mentions({ notes: ['spoke with MAIJA@example.fi'] }, email)).toBe(true);
    expect(mentions({ contact: { email: 'other@example.fi' } }, email)).toBe(false);
  });

  it('replaces the address, and the name and phone beside it, but keeps everything else', () => {
    const erased = anonymise(application, email);
    expect(erased.contact).toEqual({ name: 'Erased', email: placeholderFor(email) });
    expect(erased.municipality).toEqual(application.municipality);
    expect(erased.status).toBe('accepted');
    expect(mentions(erased, email)).toBe(false);
  });

  it('replaces the address inside free text too', () => {
    expect(anonymise({ notes: 'mail maija@EXAMPLE.fi later' }, email).notes).toBe(`mail ${placeholderFor(email)} later`);
  });

  it('keeps one person’s records together under a stable placeholder', () => {
    expect(placeholderFor('a@example.fi')).toBe(placeholderFor('A@Example.FI'));
    expect(placeholderFor('a@example.fi')).not.toBe(placeholderFor('b@example.fi'));
  });

  it('knows when the key itself names the person, and which items to drop', () => {
    expect(keyMentions({ pk: 'WEBINAR#w', sk: 'REGISTRANT#maija@example.fi' }, email)).toBe(true);
    expect(keyMentions(application, email)).toBe(false);
    expect(dropEntirely({ type: 'suppression' })).toBe(true);
  });

  it('exports without storage keys or link secrets', () => {
    expect(exported(application)).not.toHaveProperty('pk');
    expect(exported(application)).not.toHaveProperty('accessToken');
  });
});
