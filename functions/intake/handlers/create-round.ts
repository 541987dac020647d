// POST /rounds: a coordinator opens a new coaching round.
import { randomUUID } from 'node:crypto';
import { now } from '../../shared/clock.js';
import { httpHandler, json } from '../../shared/http.js';
import { newRound, toRoundView } from '../domain.js';
import { intakeStore } from '../store-instance.js';

export const handler = httpHandler('POST /rounds', async ({ body, caller }) => {
  const at = now();
  const round = newRound(body, {
    roundId: randomUUID(),
    now: at,
    createdBy: caller.role === 'public' ? 'unknown' : caller.email,
  });
  await intakeStore().putNewRound(round);
  return json(201, toRoundView(round, at), { location: `/rounds/${round.roundId}` });
});
