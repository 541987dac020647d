// Finding 8: a tutor is found by the token's email, so an address the user pool has not verified
// must not count: every staff route answers 403 email_not_verified before it reads anything. And a
// token without the groups claim is no one's: 403.
import { describe, expect, it } from 'vitest';
import { handler as createRound } from '../../functions/intake/handlers/create-round.js';
import { handler as listMyEngagements } from '../../functions/tutoring/handlers/list-my-engagements.js';
import { callRoute } from '../support/invoke.js';

const staff = (groups: string | undefined, verified: unknown) => ({
  sub: 'sub-t',
  email: 'tuula@example.fi',
  ...(verified === undefined ? {} : { email_verified: verified }),
  ...(groups === undefined ? {} : { 'cognito:groups': groups }),
  token_use: 'id',
});

describe('staff tokens', () => {
  for (const verified of [undefined, false, 'false', '']) {
    it(`email_verified ${JSON.stringify(verified)}: 403 email_not_verified for a tutor and for a coordinator`, async () => {
      const tutor = await callRoute(listMyEngagements, 'GET /me/engagements', { claims: staff('[tutors]', verified) });
      expect(tutor.status).toBe(403);
      expect(tutor.body.error.code).toBe('email_not_verified');
      const coordinator = await callRoute(createRound, 'POST /rounds', { claims: staff('[coordinators]', verified), body: {} });
      expect(coordinator.status).toBe(403);
      expect(coordinator.body.error.code).toBe('email_not_verified');
    });
  }

  it('no groups claim: 403 forbidden', async () => {
    const answer = await callRoute(listMyEngagements, 'GET /me/engagements', { claims: staff(undefined, 'true') });
    expect(answer.status).toBe(403);
    expect(answer.body.error.code).toBe('forbidden');
  });

  it('a verified address passes the check (the refusals above are about the claim)', async () => {
    // The body is empty, so a coordinator who passes gets 400 for it, not 403.
    const answer = await callRoute(createRound, 'POST /rounds', { claims: staff('[coordinators]', 'true'), body: {} });
    expect(answer.status).toBe(400);
  });
});
