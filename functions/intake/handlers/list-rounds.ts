// GET /rounds: the rounds open for applications, or those in another state with ?status=.
import { httpHandler, json } from '../../shared/http.js';
import { intakePorts } from '../composition.js';
import { listRounds } from '../use-cases.js';

export const handler = httpHandler('GET /rounds', async ({ query }) =>
  json(200, { rounds: await listRounds(intakePorts(), query.status) }),
);
