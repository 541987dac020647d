// GET /rounds/{roundId}/history: the audit trail, every event of the round, its applications', engagements' and webinars' included, oldest first, a page at a time.
import { httpHandler, json } from '../../shared/http.js';
import { historyPorts } from '../composition.js';
import { readHistory } from '../use-cases.js';

export const handler = httpHandler('GET /rounds/{roundId}/history', async ({ path, query, caller }) =>
  json(200, await readHistory(historyPorts(), caller, 'round', path.roundId, query)),
);
