// GET /applications/{applicationId}?token=: the applicant reads where the application stands.
import { assertToken } from '../../shared/access.js';
import { NotFoundError } from '../../shared/errors.js';
import { httpHandler, json } from '../../shared/http.js';
import { toApplicationView } from '../domain.js';
import { intakeStore } from '../store-instance.js';

export const handler = httpHandler('GET /applications/{applicationId}', async ({ path, query }) => {
  const store = intakeStore();
  const application = await store.getApplication(path.applicationId);
  if (!application) throw new NotFoundError(`No application ${path.applicationId}`);
  assertToken(query.token, application.accessToken, 'application');
  const round = await store.getRound(application.roundId);
  return json(200, toApplicationView(application, round ?? { name: application.roundId }));
});
