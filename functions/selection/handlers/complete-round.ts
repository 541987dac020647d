// POST /rounds/{roundId}/complete: the coordinator marks the round done.
import { now } from '../../shared/clock.js';
import { httpHandler, json } from '../../shared/http.js';
import { toRoundView } from '../../intake/domain.js';
import { completeRound } from '../use-cases.js';

export const handler = httpHandler('POST /rounds/{roundId}/complete', async ({ path }) => {
  const at = now();
  return json(200, toRoundView(await completeRound(path.roundId, at), at));
});
