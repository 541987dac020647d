// POST /applications/{applicationId}/offer?token=: accept or decline an offered place or a carry-over.
import { httpHandler, json } from '../../shared/http.js';
import { loadApplicationView } from '../../intake/application-view.js';
import { applicationViewPorts, selectionPorts } from '../composition.js';
import { answerOffer } from '../use-cases.js';

export const handler = httpHandler('POST /applications/{applicationId}/offer', async ({ path, query, body }) => {
  const answered = await answerOffer(selectionPorts(), path.applicationId, query.token, body.answer);
  return json(200, await loadApplicationView(applicationViewPorts(), answered));
});
