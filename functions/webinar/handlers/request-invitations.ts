// POST /webinars/{webinarId}/invitations: records a batch of invitations; it is sent in the background (202).
import { config } from '../../shared/config.js';
import { httpHandler, json } from '../../shared/http.js';
import { webinarPorts } from '../composition.js';
import { requestInvitations } from '../use-cases.js';

export const handler = httpHandler('POST /webinars/{webinarId}/invitations', async ({ path, body, caller }) => {
  const by = caller.role === 'public' ? 'unknown' : caller.email;
  const batch = await requestInvitations(webinarPorts(), path.webinarId, body, by);
  const progressUrl = `${config.publicUrl()}/webinars/${encodeURIComponent(batch.webinarId)}/invitations/${encodeURIComponent(batch.batchId)}`;
  return json(202, { batchId: batch.batchId, progressUrl }, { location: progressUrl });
});
