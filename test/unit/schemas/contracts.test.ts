import { describe, expect, it } from 'vitest';
import { toIssues } from '../../../functions/shared/http.js';
import { ApplyBody } from '../../../schemas/api/applications.js';
import { CreateRoundBody } from '../../../schemas/api/rounds.js';

const valid = {
  municipality: { code: '091', name: 'Helsinki' },
  contact: { name: 'Maija', email: 'maija@example.fi', phone: '+358 40 123 4567' },
  language: 'fi',
  themes: ['remote support'],
  consent: true,
};

function issuesOf(schema: typeof ApplyBody | typeof CreateRoundBody, input: unknown) {
  const result = schema.safeParse(input);
  if (result.success) throw new Error('expected the input to be refused');
  return toIssues(result.error);
}

describe('ApplyBody', () => {
  it('accepts a complete application', () => {
    expect(ApplyBody.safeParse(valid).success).toBe(true);
  });
  it.each([
    [{ ...valid, contact: { ...valid.contact, email: 'not-an-email' } }, 'contact.email'],
    [{ ...valid, municipality: { code: '91', name: 'Helsinki' } }, 'municipality.code'],
    [{ ...valid, language: 'de' }, 'language'],
    [{ ...valid, consent: false }, 'consent'],
    [{ ...valid, themes: [] }, 'themes'],
    [{ ...valid, themes: ['ok', 42] }, 'themes.1'],
    [{ ...valid, contact: { ...valid.contact, phone: 'call me' } }, 'contact.phone'],
  ])('names the field that is wrong (%#: %s)', (input, path) => {
    expect(issuesOf(ApplyBody, input).map((i) => i.path)).toContain(path);
  });
  it('names every missing field at once', () => {
    const paths = issuesOf(ApplyBody, {}).map((i) => i.path);
    expect(paths).toEqual(expect.arrayContaining(['municipality', 'contact', 'language', 'themes', 'consent']));
  });
  it('refuses unknown fields, so that a misspelt one is not silently dropped', () => {
    expect(issuesOf(ApplyBody, { ...valid, situtaion: 'typo' })).toEqual([
      { path: '', code: 'unknown_field', params: { keys: ['situtaion'] }, message: 'unknown field: situtaion' },
    ]);
  });
});

describe('CreateRoundBody', () => {
  const round = {
    name: 'Syksy',
    region: '01',
    places: 5,
    opensAt: '2027-08-01T09:00:00+03:00',
    closesAt: '2027-08-31T16:00:00+03:00',
    languages: ['fi'],
  };
  it('requires closesAt after opensAt', () => {
    expect(issuesOf(CreateRoundBody, { ...round, closesAt: round.opensAt })).toEqual([
      { path: 'closesAt', code: 'not_after', params: { other: 'opensAt' }, message: 'must be after opensAt' },
    ]);
  });
  it('requires times with an offset', () => {
    expect(issuesOf(CreateRoundBody, { ...round, opensAt: '2027-08-01T09:00:00' }).map((i) => i.path)).toEqual(['opensAt']);
  });
  it('requires a positive whole number of places', () => {
    expect(issuesOf(CreateRoundBody, { ...round, places: 2.5 }).map((i) => i.path)).toEqual(['places']);
    expect(issuesOf(CreateRoundBody, { ...round, places: 0 }).map((i) => i.path)).toEqual(['places']);
  });
});
