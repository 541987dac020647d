// On InvitationsRequested / InvitationBatchProgressed: send (the next part of) an invitation batch.
import { eventHandlers } from '../../shared/events.js';
import { mailingWebinarPorts } from '../composition.js';
import { runInvitationBatch } from '../invitations.js';

export const handler = eventHandlers({
  InvitationsRequested: async ({ webinarId, batchId }) => {
    await runInvitationBatch(mailingWebinarPorts(), webinarId, batchId);
  },
  InvitationBatchProgressed: async ({ webinarId, batchId }) => {
    await runInvitationBatch(mailingWebinarPorts(), webinarId, batchId);
  },
});
