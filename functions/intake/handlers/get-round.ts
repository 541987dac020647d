// GET /rounds/{roundId}: one round, with its places and how many are left.
import { now } from '../../shared/clock.js';
import { NotFoundError } from '../../shared/errors.js';
import { httpHandler, json } from '../../shared/http.js';
import { toRoundView } from '../domain.js';
import { intakeStore } from '../store-instance.js';

export const handler = httpHandler('GET /rounds/{roundId}', async ({ path }) => {
  const round = await intakeStore().getRound(path.roundId);
  if (!round) throw new NotFoundError(`No round ${path.roundId}`);
  return json(200, toRoundView(round, now()));
});
