// Control characters, lone surrogates and bytes that are not UTF-8 never get in: single-line fields
// (which end up in email subjects, CSV cells and calendar files) refuse every control character,
// multi-line fields keep line breaks only; each refusal is a 400 naming the field.
import { describe, expect, it } from 'vitest';
import { handler as apply } from '../../functions/intake/handlers/apply.js';
import { handler as createRound } from '../../functions/intake/handlers/create-round.js';
import { httpEvent, lambdaContext } from '../support/fixtures.js';
import { callRoute, coordinatorClaims } from '../support/invoke.js';

const application = {
  municipality: { code: '091', name: 'Helsinki' },
  contact: { name: 'Maija Meikäläinen', email: 'maija@example.fi' },
  language: 'fi',
  themes: ['Etätuki'],
  situation: 'Rivi yksi\nRivi kaksi',
  consent: true,
};

const applyWith = (body: unknown) =>
  callRoute(apply, 'POST /rounds/{roundId}/applications', { path: { roundId: 'r1' }, body: JSON.stringify(body) });

describe('text fields', () => {
  const refused: [string, (body: typeof application) => unknown][] = [
    ['municipality.name', (b) => ({ ...b, municipality: { ...b.municipality, name: 'Helsinki\r\nBcc: x@example.com' } })],
    ['contact.name', (b) => ({ ...b, contact: { ...b.contact, name: 'Maija\u0000' } })],
    ['themes.0', (b) => ({ ...b, themes: ['Etä\u0007tuki'] })],
    ['themes.0', (b) => ({ ...b, themes: ['lone \ud800 surrogate'] })],
    ['contact.name', (b) => ({ ...b, contact: { ...b.contact, name: 'replacement \ufffd character' } })],
    ['situation', (b) => ({ ...b, situation: 'a bell\u0007 in a note' })],
  ];
  for (const [path, change] of refused) {
    it(`refuses a bad character in ${path}: 400 naming the field`, async () => {
      const result = await applyWith(change(application));
      expect(result.status).toBe(400);
      expect(result.body.error.issues.map((i: { path: string }) => i.path)).toContain(path);
    });
  }

  it('a round name with a line break is refused (it would go into email subjects)', async () => {
    const result = await callRoute(createRound, 'POST /rounds', {
      claims: coordinatorClaims(),
      body: JSON.stringify({
        name: 'Kevät\nBcc: someone@example.com',
        region: 'Pohjanmaa',
        places: 5,
        opensAt: '2027-01-01T08:00:00+02:00',
        closesAt: '2027-02-01T16:00:00+02:00',
        languages: ['fi'],
      }),
    });
    expect(result.status).toBe(400);
    expect(result.body.error.issues.map((i: { path: string }) => i.path)).toContain('name');
  });

  it('a body that is not UTF-8 is refused as such (400), not stored as U+FFFD', async () => {
    const bytes = Buffer.concat([
      Buffer.from('{"municipality":{"code":"091","name":"Helsinki'),
      Buffer.from([0xff, 0xfe]),
      Buffer.from('"}}'),
    ]);
    const event = httpEvent('http-api-apply', {
      routeKey: 'POST /rounds/{roundId}/applications',
      pathParameters: { roundId: 'r1' },
      headers: { 'content-type': 'application/json' },
      body: bytes.toString('base64'),
      isBase64Encoded: true,
      claims: null,
    });
    const result = (await apply(event as never, lambdaContext as never)) as { statusCode: number; body: string };
    expect(result.statusCode).toBe(400);
    expect(JSON.parse(result.body).error.message).toMatch(/UTF-8/);
  });
});
