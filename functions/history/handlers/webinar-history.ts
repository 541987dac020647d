// GET /webinars/{webinarId}/history: the audit trail, the webinar's events, oldest first, a page at a time.
import { httpHandler, json } from '../../shared/http.js';
import { historyPorts } from '../composition.js';
import { readHistory } from '../use-cases.js';

export const handler = httpHandler('GET /webinars/{webinarId}/history', async ({ path, query, caller }) =>
  json(200, await readHistory(historyPorts(), caller, 'webinar', path.webinarId, query)),
);
