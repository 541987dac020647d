// PATCH /rounds/{roundId}: a coordinator changes a round whose window has not closed.
import { now } from '../../shared/clock.js';
import { ConflictError, NotFoundError } from '../../shared/errors.js';
import { httpHandler, json } from '../../shared/http.js';
import { changedRound, toRoundView } from '../domain.js';
import { intakeStore } from '../store-instance.js';

export const handler = httpHandler('PATCH /rounds/{roundId}', async ({ path, body }) => {
  const store = intakeStore();
  const at = now();
  const round = await store.getRound(path.roundId);
  if (!round) throw new NotFoundError(`No round ${path.roundId}`);
  const updated = await store.updateRound(round.roundId, changedRound(round, body, at), at.toISOString());
  if (!updated) throw new ConflictError('The round closed or was selected while changing it', { code: 'round_closed' });
  return json(200, toRoundView(updated, at));
});
