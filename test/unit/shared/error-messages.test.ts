import { describe, expect, it } from 'vitest';
import { ConflictError, ForbiddenError, NotFoundError } from '../../../functions/shared/errors.js';
import { languageOf } from '../../../functions/shared/error-messages.js';
import { httpHandler, json, toIssues } from '../../../functions/shared/http.js';
import { ApplyBody } from '../../../schemas/api/applications.js';
import { CreateRoundBody } from '../../../schemas/api/rounds.js';
import { CreateWebinarBody } from '../../../schemas/api/webinars.js';
import { httpEvent, lambdaContext } from '../../support/fixtures.js';

const handler = httpHandler('POST /rounds', async ({ body }) => {
  if (body.name === 'conflict') throw new ConflictError('The round is not open', { code: 'round_not_open' });
  return json(201, {});
});
const fixture = httpEvent('http-api-create-round-coordinator');
const invoke = async (body: unknown, acceptLanguage?: string) => {
  const event = httpEvent('http-api-create-round-coordinator', {
    body,
    headers: { ...fixture.headers, ...(acceptLanguage ? { 'accept-language': acceptLanguage } : {}) },
  });
  const result = (await handler(event, lambdaContext)) as { statusCode: number; body: string; headers: Record<string, string> };
  return { status: result.statusCode, headers: result.headers, error: JSON.parse(result.body).error };
};
const validRound = JSON.parse(fixture.body!);
const codesOf = (schema: { safeParse(input: unknown): { error?: unknown } }, input: unknown) =>
  Object.fromEntries(
    toIssues(schema.safeParse(input).error as never, input).map((issue) => [
      issue.path,
      { code: issue.code, params: issue.params },
    ]),
  );

describe('error codes', () => {
  it('a use case may name its refusal; the class code otherwise', () => {
    expect(new ForbiddenError('x', { code: 'not_on_roster' }).code).toBe('not_on_roster');
    expect(new ForbiddenError('x').code).toBe('forbidden');
    expect(new NotFoundError('x').code).toBe('not_found');
  });
});

describe('languageOf', () => {
  it.each([
    [undefined, 'en'],
    ['', 'en'],
    ['fi', 'fi'],
    ['sv-FI,sv;q=0.9,en;q=0.8', 'sv'],
    ['de-DE,en;q=0.5,fi;q=0.7', 'fi'],
    ['de', 'en'],
    ['fi;q=0,sv', 'sv'],
  ])('%s → %s', (header, language) => expect(languageOf(header)).toBe(language));
});

describe('issue codes from zod, centrally', () => {
  it('tells a field of the wrong type from a missing one', () => {
    expect(codesOf(CreateRoundBody, { ...validRound, places: 'many' })).toMatchObject({ places: { code: 'invalid_type' } });
  });
  it('names what is missing, too short, malformed or not accepted', () => {
    expect(codesOf(ApplyBody, {})).toMatchObject({
      municipality: { code: 'required' },
      contact: { code: 'required' },
      language: { code: 'required' },
      themes: { code: 'required' },
      consent: { code: 'required' },
    });
    const bad = {
      municipality: { code: '91', name: ' ' },
      contact: { name: 'x'.repeat(500), email: 'nope' },
      language: 'de',
      themes: [],
      consent: false,
      extra: 1,
    };
    expect(codesOf(ApplyBody, bad)).toMatchObject({
      'municipality.code': { code: 'invalid_format', params: { format: 'regex' } },
      'municipality.name': { code: 'required' },
      'contact.name': { code: 'too_long' },
      'contact.email': { code: 'invalid_email' },
      language: { code: 'invalid_value' },
      themes: { code: 'too_small', params: { minimum: 1, origin: 'array' } },
      consent: { code: 'must_be_true' },
      '': { code: 'unknown_field', params: { keys: ['extra'] } },
    });
  });

  it('takes a refinement’s code from its params', () => {
    expect(codesOf(CreateRoundBody, { ...validRound, closesAt: validRound.opensAt })).toEqual({
      closesAt: { code: 'not_after', params: { other: 'opensAt' } },
    });
    const times = {
      title: 'W',
      startsAt: '2027-01-09T10:00:00+02:00',
      endsAt: '2027-01-09T09:00:00+02:00',
      registrationClosesAt: '2027-01-10T10:00:00+02:00',
      seats: 10,
      joinUrl: 'https://meet.example.fi/w',
      languages: ['fi'],
    };
    expect(codesOf(CreateWebinarBody, times)).toEqual({
      endsAt: { code: 'not_after', params: { other: 'startsAt' } },
      registrationClosesAt: { code: 'too_late', params: { other: 'startsAt' } },
    });
    expect(codesOf(CreateWebinarBody, { ...times, joinUrl: 'javascript:alert(1)' })).toMatchObject({
      joinUrl: { code: 'invalid_link' },
    });
  });
});

describe('messages follow Accept-Language', () => {
  it('answers in English by default, with codes', async () => {
    const result = await invoke({ ...validRound, places: 0, closesAt: validRound.opensAt });
    expect(result.status).toBe(400);
    expect(result.headers['content-language']).toBe('en');
    expect(result.error.message).toBe('The request is not valid');
    expect(result.error.issues).toContainEqual({
      path: 'closesAt',
      code: 'not_after',
      params: { other: 'opensAt' },
      message: 'must be after opensAt',
    });
  });

  it('answers in Finnish and Swedish, issues and the answer alike', async () => {
    const fi = await invoke({ ...validRound, closesAt: validRound.opensAt, name: '' }, 'fi-FI,fi;q=0.9');
    expect(fi.headers['content-language']).toBe('fi');
    expect(fi.error.message).toBe('Pyyntö ei kelpaa');
    expect(fi.error.issues).toEqual(
      expect.arrayContaining([
        { path: 'name', code: 'required', message: 'on pakollinen' },
        { path: 'closesAt', code: 'not_after', params: { other: 'opensAt' }, message: 'pitää olla myöhemmin kuin opensAt' },
      ]),
    );
    const sv = await invoke({ ...validRound, name: '' }, 'sv');
    expect(sv.error.issues).toEqual([{ path: 'name', code: 'required', message: 'är obligatoriskt' }]);
  });

  it('keeps a use case’s code and says its status in fi and sv', async () => {
    const en = await invoke({ ...validRound, name: 'conflict' });
    expect(en.error).toEqual({ code: 'round_not_open', message: 'The round is not open' });
    const fi = await invoke({ ...validRound, name: 'conflict' }, 'fi');
    expect(fi.error).toEqual({ code: 'round_not_open', message: 'Tätä ei voi tehdä nyt' });
  });

  it('says a body that is not JSON in the caller’s language', async () => {
    const sv = await invoke('{"name": ', 'sv');
    expect(sv.error).toMatchObject({
      code: 'invalid_json',
      issues: [{ path: '', code: 'invalid_json', message: 'måste vara ett JSON-objekt' }],
    });
  });
});
