// GET /applications/{applicationId}?token=: the applicant reads where the application stands.
import { httpHandler, json } from '../../shared/http.js';
import { loadApplicationView } from '../application-view.js';
import { applicationViewPorts, intakePorts } from '../composition.js';
import { applicationByToken } from '../use-cases.js';

export const handler = httpHandler('GET /applications/{applicationId}', async ({ path, query }) => {
  const application = await applicationByToken(intakePorts(), path.applicationId, query.token);
  return json(200, await loadApplicationView(applicationViewPorts(), application));
});
