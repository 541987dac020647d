// On selection's outcomes: ApplicationAccepted opens the engagement and chooses its tutor;
// ApplicationWithdrawn of an accepted municipality closes it (tutor freed, meetings ahead cancelled).
import { now } from '../../shared/clock.js';
import { eventHandlers } from '../../shared/events.js';
import { closeWithdrawnEngagement, openEngagement } from '../use-cases.js';

export const handler = eventHandlers({
  ApplicationAccepted: ({ applicationId }) => openEngagement(applicationId, now()),
  ApplicationWithdrawn: async ({ applicationId, previousStatus }) => {
    if (previousStatus !== 'accepted') return; // only an accepted municipality has an engagement
    await closeWithdrawnEngagement(applicationId, now());
  },
});
