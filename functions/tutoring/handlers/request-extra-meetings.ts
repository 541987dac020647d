// POST /applications/{applicationId}/extra-meetings?token=: the municipality asks its tutor for extra meetings.
import { httpHandler, json } from '../../shared/http.js';
import { tutoringPorts } from '../composition.js';
import { requestExtraMeetings } from '../use-cases.js';

export const handler = httpHandler('POST /applications/{applicationId}/extra-meetings', async ({ path, query, body }) => {
  const { request, created } = await requestExtraMeetings(tutoringPorts(), path.applicationId, query.token, body);
  return json(created ? 201 : 200, request);
});
