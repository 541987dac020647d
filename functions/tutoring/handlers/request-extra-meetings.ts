// POST /applications/{applicationId}/extra-meetings?token=: the municipality asks its tutor for extra meetings.
import { assertToken } from '../../shared/access.js';
import { now } from '../../shared/clock.js';
import { NotFoundError } from '../../shared/errors.js';
import { httpHandler, json } from '../../shared/http.js';
import { intakeStore } from '../../intake/store-instance.js';
import { requestExtraMeetings } from '../use-cases.js';

export const handler = httpHandler('POST /applications/{applicationId}/extra-meetings', async ({ path, query, body }) => {
  const application = await intakeStore().getApplication(path.applicationId);
  if (!application) throw new NotFoundError(`No application ${path.applicationId}`);
  assertToken(query.token, application.accessToken, 'application');
  const { request, created } = await requestExtraMeetings(application, body, now());
  return json(created ? 201 : 200, request);
});
