// GET /applications/{applicationId}?token=: the applicant reads where the application stands.
import { assertToken } from '../../shared/access.js';
import { NotFoundError } from '../../shared/errors.js';
import { httpHandler, json } from '../../shared/http.js';
import { loadApplicationView } from '../application-view.js';
import { intakeStore } from '../store-instance.js';

export const handler = httpHandler('GET /applications/{applicationId}', async ({ path, query }) => {
  const application = await intakeStore().getApplication(path.applicationId);
  if (!application) throw new NotFoundError(`No application ${path.applicationId}`);
  assertToken(query.token, application.accessToken, 'application');
  return json(200, await loadApplicationView(application));
});
