// GET /applications/{applicationId}/history: the audit trail, the application's events, oldest first, a page at a time.
import { httpHandler, json } from '../../shared/http.js';
import { historyPorts } from '../composition.js';
import { readHistory } from '../use-cases.js';

export const handler = httpHandler('GET /applications/{applicationId}/history', async ({ path, query, caller }) =>
  json(200, await readHistory(historyPorts(), caller, 'application', path.applicationId, query)),
);
