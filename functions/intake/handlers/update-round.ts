// PATCH /rounds/{roundId}: a coordinator changes a round whose window has not closed.
import { httpHandler, json } from '../../shared/http.js';
import { intakePorts } from '../composition.js';
import { updateRound } from '../use-cases.js';

export const handler = httpHandler('PATCH /rounds/{roundId}', async ({ path, body }) =>
  json(200, await updateRound(intakePorts(), path.roundId, body)),
);
