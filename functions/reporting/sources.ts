// Where the projector's reads go on AWS: each aggregate by its id through its own store (the session
// log through its key, read through a codec of just the facts the report takes). Reads only; nothing
// here writes another capability's items.
import { GetCommand } from '@aws-sdk/lib-dynamodb';
import * as z from 'zod';
import { intakeStore } from '../intake/store-instance.js';
import { dynamo } from '../shared/aws.js';
import { decode } from '../shared/items.js';
import { logKey } from '../shared/keys.js';
import { tutoringStore } from '../tutoring/store-instance.js';
import { webinarStore } from '../webinar/store-instance.js';
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
  return {
    round: (roundId) => intakeStore().getRound(roundId),
    async applicationFacts(applicationId) {
      const application = await intakeStore().getApplication(applicationId);
      if (!application) return {};
      return { municipality: application.municipality, language: application.language, appliedThemes: application.themes };
    },
    async engagementRef(engagementId) {
      const engagement = await tutoringStore().getEngagement(engagementId);
      return engagement ? { roundId: engagement.roundId, applicationId: engagement.applicationId } : undefined;
    },
    async sessionLog(engagementId, meetingId, version) {
      const Key = logKey(engagementId, meetingId, version);
      const { Item } = await dynamo().send(new GetCommand({ TableName: tableName, Key, ConsistentRead: true }));
      return decode(LoggedSessionFacts, Item);
    },
    webinar: (webinarId) => webinarStore().getWebinar(webinarId),
    registration: (registrationId) => webinarStore().getRegistration(registrationId),
    async tutorNames(tutorIds) {
      const tutors = await Promise.all([...new Set(tutorIds)].map((id) => tutoringStore().getTutor(id)));
      return new Map(tutors.filter((t) => t !== undefined).map((t) => [t.tutorId, t.name]));
    },
  };
}
