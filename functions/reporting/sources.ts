// What the projector reads where an event carries only ids: the application, the engagement, the
// session log, the webinar and the registration, each by its id through its capability's store
// (or, for the session log, its capability's key). Reads only; nothing here writes another capability's items.
import { GetCommand } from '@aws-sdk/lib-dynamodb';
import { intakeStore } from '../intake/store-instance.js';
import { dynamo } from '../shared/aws.js';
import { config } from '../shared/config.js';
import type { SessionLog } from '../tutoring/domain.js';
import { logKey } from '../shared/keys.js';
import { tutoringStore } from '../tutoring/store-instance.js';
import { webinarStore } from '../webinar/store-instance.js';
import type { MunicipalityFacts } from './store.js';

/** The municipality, language and themes of an application; empty when it is no longer on record. */
export async function applicationFacts(applicationId: string): Promise<MunicipalityFacts> {
  const application = await intakeStore().getApplication(applicationId);
  if (!application) return {};
  return { municipality: application.municipality, language: application.language, appliedThemes: application.themes };
}

/** The round and application of an engagement (a meeting's event names only its engagement). */
export async function engagementRef(engagementId: string): Promise<{ roundId: string; applicationId: string } | undefined> {
  const engagement = await tutoringStore().getEngagement(engagementId);
  return engagement ? { roundId: engagement.roundId, applicationId: engagement.applicationId } : undefined;
}

export async function sessionLog(engagementId: string, meetingId: string, version: number): Promise<SessionLog | undefined> {
  const { Item } = await dynamo().send(
    new GetCommand({ TableName: config.tableName(), Key: logKey(engagementId, meetingId, version), ConsistentRead: true }),
  );
  return Item as SessionLog | undefined;
}

export const webinarOf = (webinarId: string) => webinarStore().getWebinar(webinarId);
export const registrationOf = (registrationId: string) => webinarStore().getRegistration(registrationId);

/** Tutors' names by id, read when the report is asked for, so the projection holds no tutor's personal data. */
export async function tutorNames(tutorIds: readonly string[]): Promise<Map<string, string>> {
  const tutors = await Promise.all([...new Set(tutorIds)].map((id) => tutoringStore().getTutor(id)));
  return new Map(tutors.filter((t) => t !== undefined).map((t) => [t.tutorId, t.name]));
}
