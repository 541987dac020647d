// On selection's outcomes: ApplicationAccepted opens the engagement and chooses its tutor;
// ApplicationWithdrawn of an accepted municipality closes it (tutor freed, meetings ahead cancelled).
import { eventHandlers } from '../../shared/events.js';
import { tutoringPorts } from '../composition.js';
import { closeWithdrawnEngagement, openEngagement } from '../use-cases.js';

export const handler = eventHandlers({
  ApplicationAccepted: ({ applicationId }) => openEngagement(tutoringPorts(), applicationId),
  ApplicationWithdrawn: async ({ applicationId, previousStatus }) => {
    if (previousStatus !== 'accepted') return; // only an accepted municipality has an engagement
    await closeWithdrawnEngagement(tutoringPorts(), applicationId);
  },
});
