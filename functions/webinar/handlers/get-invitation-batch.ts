// GET /webinars/{webinarId}/invitations/{batchId}: how far a batch has got: sent, failed, left.
import { httpHandler, json } from '../../shared/http.js';
import { webinarPorts } from '../composition.js';
import { batchProgress } from '../queries.js';

export const handler = httpHandler('GET /webinars/{webinarId}/invitations/{batchId}', async ({ path }) => {
  return json(200, await batchProgress(webinarPorts(), path.webinarId, path.batchId));
});
