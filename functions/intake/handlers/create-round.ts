// POST /rounds: a coordinator opens a new coaching round.
import { httpHandler, json } from '../../shared/http.js';
import { intakePorts } from '../composition.js';
import { createRound } from '../use-cases.js';

export const handler = httpHandler('POST /rounds', async ({ body, caller }) => {
  const round = await createRound(intakePorts(), body, caller.role === 'public' ? 'unknown' : caller.email);
  return json(201, round, { location: `/rounds/${round.roundId}` });
});
