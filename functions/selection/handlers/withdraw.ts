// POST /applications/{applicationId}/withdraw: the applicant (status link) or a coordinator withdraws.
import { assertToken } from '../../shared/access.js';
import { now } from '../../shared/clock.js';
import { httpHandler, json } from '../../shared/http.js';
import { loadApplicationView } from '../../intake/application-view.js';
import { requireApplication, withdraw } from '../use-cases.js';

export const handler = httpHandler('POST /applications/{applicationId}/withdraw', async ({ path, query, caller }) => {
  const application = await requireApplication(path.applicationId);
  if (caller.role !== 'coordinator') assertToken(query.token, application.accessToken, 'application');
  const withdrawn = await withdraw(application, caller.role === 'coordinator' ? 'coordinator' : 'applicant', now());
  return json(200, await loadApplicationView(withdrawn));
});
