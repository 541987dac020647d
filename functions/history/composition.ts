// The composition root of the history handlers: the history store and the aggregates' own stores, bound to the table.
import { intakeStore } from '../intake/store-instance.js';
import { config } from '../shared/config.js';
import { DynamoEngagementStore } from '../stores/engagements.js';
import { DynamoTutorStore } from '../stores/tutors.js';
import { DynamoWebinarStore } from '../stores/webinars.js';
import { HistoryStore } from './store.js';
import type { HistoryPorts } from './use-cases.js';

let ports: HistoryPorts | undefined;

export function historyPorts(): HistoryPorts {
  ports ??= bind(config.tableName());
  return ports;
}

function bind(table: string): HistoryPorts {
  const engagements = new DynamoEngagementStore(table);
  const tutors = new DynamoTutorStore(table);
  const webinars = new DynamoWebinarStore(table);
  return {
    history: new HistoryStore(table),
    subjects: {
      roundExists: async (roundId) => (await intakeStore().getRound(roundId)) !== undefined,
      applicationExists: async (applicationId) => (await intakeStore().getApplication(applicationId)) !== undefined,
      webinarExists: async (webinarId) => (await webinars.getWebinar(webinarId)) !== undefined,
      engagement: async (engagementId) => {
        const engagement = await engagements.getEngagement(engagementId);
        return engagement ? (engagement.tutorId ? { tutorId: engagement.tutorId } : {}) : undefined;
      },
      tutorIdByEmail: async (email) => (await tutors.tutorByEmail(email))?.tutorId,
    },
  };
}
