// The composition root of the history handlers: the history store and the aggregates' own stores, bound to the table.
import { config } from '../shared/config.js';
import { DynamoApplicationStore } from '../stores/applications.js';
import { DynamoEngagementStore } from '../stores/engagements.js';
import { DynamoRoundStore } from '../stores/rounds.js';
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
  const rounds = new DynamoRoundStore(table);
  const applications = new DynamoApplicationStore(table);
  const engagements = new DynamoEngagementStore(table);
  const tutors = new DynamoTutorStore(table);
  const webinars = new DynamoWebinarStore(table);
  return {
    history: new HistoryStore(table),
    subjects: {
      roundExists: async (roundId) => (await rounds.get(roundId)) !== undefined,
      applicationExists: async (applicationId) => (await applications.get(applicationId)) !== undefined,
      webinarExists: async (webinarId) => (await webinars.getWebinar(webinarId)) !== undefined,
      engagement: async (engagementId) => {
        const engagement = await engagements.getEngagement(engagementId);
        return engagement ? (engagement.tutorId ? { tutorId: engagement.tutorId } : {}) : undefined;
      },
      tutorIdByEmail: async (email) => (await tutors.tutorByEmail(email))?.tutorId,
    },
  };
}
