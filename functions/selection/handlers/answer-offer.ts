// POST /applications/{applicationId}/offer?token=: accept or decline an offered place or a carry-over.
import { assertToken } from '../../shared/access.js';
import { now } from '../../shared/clock.js';
import { httpHandler, json } from '../../shared/http.js';
import { loadApplicationView } from '../../intake/application-view.js';
import { answerOffer, requireApplication } from '../use-cases.js';

export const handler = httpHandler('POST /applications/{applicationId}/offer', async ({ path, query, body }) => {
  const application = await requireApplication(path.applicationId);
  assertToken(query.token, application.accessToken, 'application');
  const answered = await answerOffer(application, body.answer, now());
  return json(200, await loadApplicationView(answered));
});
