// The composition root of the history handlers: the history store and the aggregates' own stores, bound to the table.
import { intakeStore } from '../intake/store-instance.js';
import { config } from '../shared/config.js';
import { tutoringStore } from '../tutoring/store-instance.js';
import { webinarStore } from '../webinar/store-instance.js';
import { HistoryStore } from './store.js';
import type { HistoryPorts } from './use-cases.js';

let ports: HistoryPorts | undefined;

export function historyPorts(): HistoryPorts {
  ports ??= {
    history: new HistoryStore(config.tableName()),
    subjects: {
      roundExists: async (roundId) => (await intakeStore().getRound(roundId)) !== undefined,
      applicationExists: async (applicationId) => (await intakeStore().getApplication(applicationId)) !== undefined,
      webinarExists: async (webinarId) => (await webinarStore().getWebinar(webinarId)) !== undefined,
      engagement: async (engagementId) => {
        const engagement = await tutoringStore().getEngagement(engagementId);
        return engagement ? (engagement.tutorId ? { tutorId: engagement.tutorId } : {}) : undefined;
      },
      tutorIdByEmail: async (email) => (await tutoringStore().tutorByEmail(email))?.tutorId,
    },
  };
  return ports;
}
