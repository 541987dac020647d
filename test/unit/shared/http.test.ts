import { describe, expect, it } from 'vitest';
import { ConflictError } from '../../../functions/shared/errors.js';
import { httpHandler, json, maxBodyBytes } from '../../../functions/shared/http.js';
import { httpEvent, lambdaContext } from '../../support/fixtures.js';

const calls: unknown[] = [];
const handler = httpHandler('POST /rounds', async ({ body, caller }) => {
  calls.push(body);
  if (body.name === 'conflict') throw new ConflictError('taken', { code: 'taken' });
  if (body.name === 'fault') throw new Error('boom');
  if (body.name === 'outage') throw Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' });
  return json(201, { caller });
});

const invoke = (overrides: Parameters<typeof httpEvent>[1]) =>
  handler(httpEvent('http-api-create-round-coordinator', overrides), lambdaContext) as Promise<{
    statusCode: number;
    body: string;
    headers: Record<string, string>;
  }>;
const bodyOf = (r: { body: string }) => JSON.parse(r.body);

describe('httpHandler', () => {
  it('passes the parsed body and the caller from the JWT claims (API Gateway string form of groups)', async () => {
    const result = await invoke({});
    expect(result.statusCode).toBe(201);
    expect(bodyOf(result).caller).toEqual({
      role: 'coordinator',
      email: 'kaisa.koordinaattori@example.fi',
      subject: 'c0ffee00-1111-2222-3333-444455556666',
    });
  });

  it('accepts groups as an array too (local tokens)', async () => {
    const result = await invoke({
      claims: { sub: 's', email: 'k@example.fi', email_verified: 'true', 'cognito:groups': ['tutors', 'coordinators'] },
    });
    expect(result.statusCode).toBe(201);
  });

  it('answers 401 without claims and 403 for another role, before reading the body', async () => {
    const before = calls.length;
    const noToken = await invoke({ claims: null, body: 'not json' });
    expect(noToken.statusCode).toBe(401);
    expect(bodyOf(noToken).error.code).toBe('unauthorized');
    const tutor = await invoke({
      claims: { sub: 's', email: 't@example.fi', email_verified: 'true', 'cognito:groups': '[tutors]' },
    });
    expect(tutor.statusCode).toBe(403);
    expect(calls.length).toBe(before);
  });

  it('answers 415 for a body that is not declared JSON', async () => {
    const result = await invoke({ headers: { 'content-type': 'text/plain' } });
    expect(result.statusCode).toBe(415);
    expect(bodyOf(result).error.code).toBe('unsupported_media_type');
  });

  it('answers 400 invalid_json for malformed JSON and for an empty body', async () => {
    for (const body of ['{"name": ', '   ']) {
      const result = await invoke({ body });
      expect(result.statusCode).toBe(400);
      expect(bodyOf(result).error).toMatchObject({ code: 'invalid_json', issues: [{ path: '' }] });
    }
  });

  it('answers 413 for a body over the limit', async () => {
    const result = await invoke({ body: JSON.stringify({ name: 'x'.repeat(maxBodyBytes) }) });
    expect(result.statusCode).toBe(413);
  });

  it('answers 400 with field paths for a body that breaks the contract', async () => {
    const result = await invoke({ body: { name: '', places: 'five', opensAt: 'soon', languages: ['de'] } });
    expect(result.statusCode).toBe(400);
    const paths = bodyOf(result).error.issues.map((i: { path: string }) => i.path);
    expect(paths).toEqual(expect.arrayContaining(['name', 'region', 'places', 'opensAt', 'closesAt', 'languages.0']));
  });

  const validRound = {
    name: 'x',
    region: '01',
    places: 1,
    opensAt: '2027-01-01T00:00:00Z',
    closesAt: '2027-02-01T00:00:00Z',
    languages: ['fi'],
  };

  it('maps domain errors to their status and code', async () => {
    const result = await invoke({ body: { ...validRound, name: 'conflict' } });
    expect(result.statusCode).toBe(409);
    expect(bodyOf(result).error).toEqual({ code: 'taken', message: 'taken' });
  });

  it('maps an unreachable backing service to 503 with Retry-After', async () => {
    const result = await invoke({ body: { ...validRound, name: 'outage' } });
    expect(result.statusCode).toBe(503);
    expect(result.headers['retry-after']).toBe('5');
  });

  it('rethrows unknown faults so that Lambda reports them', async () => {
    await expect(invoke({ body: { ...validRound, name: 'fault' } })).rejects.toThrow('boom');
  });
});
