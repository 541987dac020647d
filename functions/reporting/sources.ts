// Where the projector's reads go on AWS: each aggregate by its id through its own store (the session
// log through its key, read through a codec of just the facts the report takes). Reads only; nothing
// here writes another capability's items.
import { GetCommand } from '@aws-sdk/lib-dynamodb';
import * as z from 'zod';
import { dynamo } from '../shared/aws.js';
import { decode } from '../shared/items.js';
import { logKey } from '../shared/keys.js';
import { DynamoApplicationStore } from '../stores/applications.js';
import { DynamoEngagementStore } from '../stores/engagements.js';
import { DynamoRoundStore } from '../stores/rounds.js';
import { DynamoTutorStore } from '../stores/tutors.js';
import { DynamoWebinarStore } from '../stores/webinars.js';
import type { ReportSources } from './use-cases.js';

/** The facts of a session log that the picture counts. */
const LoggedSessionFacts = z.object({
  version: z.number(),
  durationMinutes: z.number(),
  themes: z.array(z.string()),
  actions: z.array(z.string()),
  attendees: z.number(),
});

export function storeSources(tableName: string): ReportSources {
  const rounds = new DynamoRoundStore(tableName);
  const applications = new DynamoApplicationStore(tableName);
  const engagements = new DynamoEngagementStore(tableName);
  const tutors = new DynamoTutorStore(tableName);
  const webinars = new DynamoWebinarStore(tableName);
  return {
    round: (roundId) => rounds.get(roundId),
    async applicationFacts(applicationId) {
      const application = await applications.get(applicationId);
      if (!application) return {};
      return { municipality: application.municipality, language: application.language, appliedThemes: application.themes };
    },
    async engagementRef(engagementId) {
      const engagement = await engagements.getEngagement(engagementId);
      return engagement ? { roundId: engagement.roundId, applicationId: engagement.applicationId } : undefined;
    },
    async sessionLog(engagementId, meetingId, version) {
      const Key = logKey(engagementId, meetingId, version);
      const { Item } = await dynamo().send(new GetCommand({ TableName: tableName, Key, ConsistentRead: true }));
      return decode(LoggedSessionFacts, Item);
    },
    webinar: (webinarId) => webinars.getWebinar(webinarId),
    registration: (registrationId) => webinars.getRegistration(registrationId),
    async tutorNames(tutorIds) {
      const found = await Promise.all([...new Set(tutorIds)].map((id) => tutors.getTutor(id)));
      return new Map(found.filter((t) => t !== undefined).map((t) => [t.tutorId, t.name]));
    },
  };
}
