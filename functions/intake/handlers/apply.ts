// POST /rounds/{roundId}/applications: a municipality applies; one application per municipality per round.
import { httpHandler, json } from '../../shared/http.js';
import { intakePorts } from '../composition.js';
import { apply } from '../use-cases.js';

export const handler = httpHandler('POST /rounds/{roundId}/applications', async ({ path, body }) => {
  const { created, response } = await apply(intakePorts(), path.roundId, body);
  return json(created ? 201 : 200, response);
});
