import { describe, expect, it } from 'vitest';
import {
  assertCanApply,
  newApplication,
  newRound,
  roundStatus,
  statusUrl,
  toApplicationView,
  toRoundView,
} from '../../../functions/intake/domain.js';
import { ConflictError, ValidationError } from '../../../functions/shared/errors.js';
import { ApplyBody } from '../../../schemas/api/applications.js';
import { CreateRoundBody } from '../../../schemas/api/rounds.js';

const roundInput = CreateRoundBody.parse({
  name: 'Kevät 2027',
  region: '01',
  places: 5,
  opensAt: '2027-01-10T09:00:00+02:00',
  closesAt: '2027-02-10T16:00:00+02:00',
  languages: ['fi', 'sv', 'fi'],
});
const created = new Date('2026-12-01T10:00:00Z');
const round = newRound(roundInput, { roundId: 'r1', now: created, createdBy: 'kaisa@example.fi' });

describe('newRound', () => {
  it('normalises times to UTC so that they compare as text, and drops repeated languages', () => {
    expect(round.opensAt).toBe('2027-01-10T07:00:00.000Z');
    expect(round.closesAt).toBe('2027-02-10T14:00:00.000Z');
    expect(round.languages).toEqual(['fi', 'sv']);
    expect(round.offerHours).toBe(48);
    expect(round).toMatchObject({ applications: 0, accepted: 0, createdBy: 'kaisa@example.fi' });
  });
});

describe('roundStatus', () => {
  it.each([
    ['2027-01-10T06:59:59.999Z', 'scheduled'],
    ['2027-01-10T07:00:00.000Z', 'open'],
    ['2027-02-10T13:59:59.999Z', 'open'],
    ['2027-02-10T14:00:00.000Z', 'closed'],
  ])('at %s the round is %s', (at, status) => {
    expect(roundStatus(round, new Date(at))).toBe(status);
  });

  it('shows places left from the places taken (accepted and offered)', () => {
    expect(toRoundView({ ...round, accepted: 2, taken: 3 }, created)).toMatchObject({
      places: 5,
      placesLeft: 2,
      status: 'scheduled',
    });
  });
});

describe('assertCanApply', () => {
  const open = new Date('2027-01-20T10:00:00Z');
  it('accepts an application in an open round in one of its languages', () => {
    expect(() => assertCanApply(round, 'sv', open)).not.toThrow();
  });
  it('refuses before the window opens and after it closes with 409 round_not_open', () => {
    for (const at of ['2027-01-01T00:00:00Z', '2027-03-01T00:00:00Z']) {
      const error = (() => {
        try {
          assertCanApply(round, 'fi', new Date(at));
        } catch (e) {
          return e;
        }
      })();
      expect(error).toBeInstanceOf(ConflictError);
      expect(error).toMatchObject({ status: 409, code: 'round_not_open' });
    }
  });
  it('names the language field when the round is not run in that language', () => {
    expect(() => assertCanApply(round, 'en', open)).toThrow(ValidationError);
    try {
      assertCanApply(round, 'en', open);
    } catch (e) {
      expect((e as ValidationError).issues).toEqual([
        {
          path: 'language',
          message: 'this round is run in fi, sv',
          code: 'language_not_offered',
          params: { languages: 'fi, sv' },
        },
      ]);
    }
  });
});

describe('newApplication', () => {
  const body = ApplyBody.parse({
    municipality: { code: '091', name: 'Helsinki' },
    contact: { name: 'Maija', email: 'Maija@Example.FI' },
    language: 'fi',
    themes: ['etätuki', 'etätuki', 'koordinointi'],
    consent: true,
  });
  const application = newApplication(round, body, {
    applicationId: 'a1',
    accessToken: 'secret+/',
    now: new Date('2027-01-20T10:00:00Z'),
  });

  it('starts as received, keeps consent time, lower-cases the email and drops repeated themes', () => {
    expect(application).toMatchObject({
      status: 'received',
      receivedAt: '2027-01-20T10:00:00.000Z',
      consentAt: '2027-01-20T10:00:00.000Z',
      contact: { email: 'maija@example.fi' },
      themes: ['etätuki', 'koordinointi'],
    });
  });
  it('builds a status link that carries the token, URL-encoded', () => {
    expect(statusUrl('http://localhost:3000', application)).toBe('http://localhost:3000/applications/a1?token=secret%2B%2F');
  });
  it('never shows the contact or the token in the status view', () => {
    const view = JSON.stringify(toApplicationView(application, round, { publicUrl: 'http://localhost:3000' }));
    expect(view).not.toContain('maija@example.fi');
    expect(view).not.toContain('secret');
  });
});
