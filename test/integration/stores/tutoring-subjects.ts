// The two implementations the tutor and engagement contracts run against: the in-memory fakes, and
// the DynamoDB stores on a table of their own on DynamoDB Local. Each reads back the events a change wrote.
import { ScanCommand } from '@aws-sdk/lib-dynamodb';
import type { Engagement, Meeting } from '../../../schemas/stored/engagement.js';
import type { Tutor } from '../../../schemas/stored/tutor.js';
import { dynamo } from '../../../functions/shared/aws.js';
import { eventItemType } from '../../../functions/shared/keys.js';
import { DynamoEngagementStore, type EngagementStore } from '../../../functions/stores/engagements.js';
import { DynamoTutorStore, type TutorStore } from '../../../functions/stores/tutors.js';
import { createIsolatedTable } from '../../../local/testing.js';
import { MemoryEngagementStore } from '../../support/memory/engagements.js';
import { MemoryTutorStore } from '../../support/memory/tutors.js';

export interface TutoringSubject {
  tutors: TutorStore;
  engagements: EngagementStore;
  /** The detail-types of the events written about an engagement, in no particular order. */
  eventsOf(engagementId: string): Promise<string[]>;
}

export const tutoringSubjects: { name: string; make: () => Promise<TutoringSubject> }[] = [
  {
    name: 'in memory',
    make: async () => {
      const tutors = new MemoryTutorStore();
      const engagements = new MemoryEngagementStore(tutors);
      return {
        tutors,
        engagements,
        eventsOf: async (engagementId) =>
          engagements.events
            .filter((e) => (e.detail as { engagementId?: string }).engagementId === engagementId)
            .map((e) => e.detailType),
      };
    },
  },
  {
    name: 'DynamoDB',
    make: async () => {
      const tableName = await createIsolatedTable('tutoring-stores');
      return {
        tutors: new DynamoTutorStore(tableName),
        engagements: new DynamoEngagementStore(tableName),
        eventsOf: async (engagementId) => {
          const { Items = [] } = await dynamo().send(
            new ScanCommand({
              TableName: tableName,
              FilterExpression: '#type = :event AND subjectId = :id',
              ExpressionAttributeNames: { '#type': 'type' },
              ExpressionAttributeValues: { ':event': eventItemType, ':id': engagementId },
              ConsistentRead: true,
            }),
          );
          return Items.map((item) => String(item.detailType));
        },
      };
    },
  },
];

const unique = () => Math.random().toString(36).slice(2, 10);
const minute = 60_000;
export const iso = (offsetMs = 0) => new Date(Date.now() + offsetMs).toISOString();

export function aTutor(fields: Partial<Tutor> = {}): Tutor {
  const tutorId = `tutor-${unique()}`;
  return {
    tutorId,
    name: 'Tuuli Tutor',
    email: `${tutorId}@example.fi`,
    languages: ['fi'],
    regions: ['Uusimaa'],
    maxActive: 2,
    active: true,
    activeCount: 0,
    createdAt: iso(),
    updatedAt: iso(),
    createdBy: 'kaisa@example.fi',
    ...fields,
  };
}

export function anEngagement(fields: Partial<Engagement> = {}): Engagement {
  const engagementId = `app-${unique()}`;
  return {
    engagementId,
    applicationId: engagementId,
    roundId: `round-${unique()}`,
    municipality: { code: '091', name: 'Helsinki' },
    language: 'fi',
    region: 'Uusimaa',
    themes: ['digituki'],
    status: 'unassigned',
    assignments: 0,
    history: [],
    createdAt: iso(),
    ...fields,
  };
}

export function aMeeting(
  engagement: Pick<Engagement, 'engagementId'>,
  startsInMs: number,
  fields: Partial<Meeting> = {},
): Meeting {
  return {
    meetingId: `meeting-${unique()}`,
    engagementId: engagement.engagementId,
    kind: 'kickoff',
    status: 'scheduled',
    // Whole minutes, so that two meetings meant for the same time are at the same time.
    startsAt: new Date(Math.floor((Date.now() + startsInMs) / minute) * minute).toISOString(),
    durationMinutes: 60,
    joinUrl: 'https://meet.example.fi/abc',
    sequence: 0,
    createdAt: iso(),
    createdBy: 'tuuli@example.fi',
    updatedAt: iso(),
    ...fields,
  };
}
