// POST /applications/{applicationId}/withdraw: the applicant (status link) or a coordinator withdraws.
import { httpHandler, json } from '../../shared/http.js';
import { loadApplicationView } from '../../intake/application-view.js';
import { applicationViewPorts, selectionPorts } from '../composition.js';
import { withdraw } from '../use-cases.js';

export const handler = httpHandler('POST /applications/{applicationId}/withdraw', async ({ path, query, caller }) => {
  const actor =
    caller.role === 'coordinator' ? ({ by: 'coordinator' } as const) : ({ by: 'applicant', token: query.token } as const);
  const withdrawn = await withdraw(selectionPorts(), path.applicationId, actor);
  return json(200, await loadApplicationView(applicationViewPorts(), withdrawn));
});
