// GET /engagements/{engagementId}/history: the audit trail, the engagement's events, for its tutor and the coordinators, oldest first, a page at a time.
import { httpHandler, json } from '../../shared/http.js';
import { historyPorts } from '../composition.js';
import { readHistory } from '../use-cases.js';

export const handler = httpHandler('GET /engagements/{engagementId}/history', async ({ path, query, caller }) =>
  json(200, await readHistory(historyPorts(), caller, 'engagement', path.engagementId, query)),
);
