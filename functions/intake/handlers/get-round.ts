// GET /rounds/{roundId}: one round, with its places and how many are left.
import { httpHandler, json } from '../../shared/http.js';
import { intakePorts } from '../composition.js';
import { getRound } from '../use-cases.js';

export const handler = httpHandler('GET /rounds/{roundId}', async ({ path }) =>
  json(200, await getRound(intakePorts(), path.roundId)),
);
