// POST /rounds/{roundId}/status-link: the contact lost the email with the status link. The answer is
// 202 either way, so it tells nobody whether, or with which address, a municipality applied.
import { httpHandler, json } from '../../shared/http.js';
import { intakePorts } from '../composition.js';
import { requestStatusLink } from '../use-cases.js';

export const handler = httpHandler('POST /rounds/{roundId}/status-link', async ({ path, body }) => {
  await requestStatusLink(intakePorts(), path.roundId, body);
  return json(202, {});
});
