import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { httpHandler, json } from '../../../functions/shared/http.js';
import { eventCatalogue } from '../../../schemas/events/catalogue.js';
import { httpEvent, lambdaContext } from '../../support/fixtures.js';

// A tutor route that also takes coordinators (wiring: role 'tutor', alsoFor ['coordinator']).
const handler = httpHandler('GET /engagements/{engagementId}', async ({ caller }) => json(200, { caller }));
const call = async (claims: Record<string, unknown> | null) => {
  const event = httpEvent('http-api-apply', {
    claims,
    routeKey: 'GET /engagements/{engagementId}',
    pathParameters: { engagementId: 'e1' },
    body: '',
  });
  const result = (await handler(event, lambdaContext)) as { statusCode: number; body: string };
  return { status: result.statusCode, body: JSON.parse(result.body) };
};

describe('a route for tutors that coordinators may use too', () => {
  it('takes a tutor as a tutor and a coordinator as a coordinator', async () => {
    expect(
      (await call({ sub: 's', email: 'T@example.fi', email_verified: 'true', 'cognito:groups': '[tutors]' })).body.caller,
    ).toEqual({
      role: 'tutor',
      email: 't@example.fi',
      subject: 's',
    });
    expect(
      (await call({ sub: 's', email: 'c@example.fi', email_verified: 'true', 'cognito:groups': ['coordinators'] })).body.caller
        .role,
    ).toBe('coordinator');
  });
  it('prefers the route’s own role for someone in both groups', async () => {
    expect(
      (await call({ sub: 's', email: 'x@example.fi', email_verified: 'true', 'cognito:groups': '[coordinators tutors]' })).body
        .caller.role,
    ).toBe('tutor');
  });
  it('refuses other groups (403) and no token (401)', async () => {
    const other = await call({ sub: 's', email: 'x@example.fi', email_verified: 'true', 'cognito:groups': '[auditors]' });
    expect(other.status).toBe(403);
    expect(other.body.error.message).toContain('tutor or coordinator');
    expect((await call(null)).status).toBe(401);
  });
});

describe('tutoring event fixtures', () => {
  it.each(['eventbridge-tutor-assigned', 'eventbridge-meeting-rescheduled'])('%s matches its catalogue contract', (name) => {
    const event = JSON.parse(readFileSync(new URL(`./fixtures/${name}.json`, import.meta.url), 'utf8')) as {
      'detail-type': keyof typeof eventCatalogue;
      source: string;
      detail: unknown;
    };
    const entry = eventCatalogue[event['detail-type']];
    expect(event.source).toBe(entry.source);
    expect(entry.detail.safeParse(event.detail).success).toBe(true);
  });
});
