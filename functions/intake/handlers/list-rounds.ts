// GET /rounds: the rounds open for applications, or those in another state with ?status=.
import { now } from '../../shared/clock.js';
import { httpHandler, json } from '../../shared/http.js';
import { toRoundView } from '../domain.js';
import { intakeStore } from '../store-instance.js';

export const handler = httpHandler('GET /rounds', async ({ query }) => {
  const at = now();
  const rounds = (await intakeStore().listRounds())
    .map((round) => toRoundView(round, at))
    .filter((round) => query.status === 'all' || round.status === query.status);
  return json(200, { rounds });
});
