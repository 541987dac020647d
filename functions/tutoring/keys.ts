// The tutoring items' keys in the single table, apart from the store so that light readers (the
// applicant's status page) need not bundle the whole store.
import type { Meeting, MeetingTimer } from './domain.js';

// Key layout (single table):
//   tutor          pk TUTOR#<tutorId>       sk TUTOR                      gsi1 TUTORS / <createdAt>#<tutorId>
//   tutor email    pk TUTOR-EMAIL#<email>   sk TUTOR-EMAIL                → tutorId (one roster entry per email)
//   tutor's link   pk TUTOR#<tutorId>       sk ENGAGEMENT#<engagementId>  while the tutor has (or completed) it
//   engagement     pk ENGAGEMENT#<id>       sk ENGAGEMENT                 gsi1 ROUND#<roundId>#ENGAGEMENTS / <createdAt>#<id>
//   meeting        pk ENGAGEMENT#<id>       sk MEETING#<meetingId>
//   session log    pk ENGAGEMENT#<id>       sk LOG#<meetingId>#<version as 4 digits>   (versions are never overwritten)
//   time slot      pk ENGAGEMENT#<id>       sk SLOT#<startsAt>            → meetingId (one live meeting per start time)
//   extra request  pk ENGAGEMENT#<id>       sk EXTRA#<requestId>
//   meeting ref    pk MEETING#<meetingId>   sk MEETING                    → engagementId (PATCH /meetings/{id} finds its engagement)
//   timer          pk DUE#<kind>            sk <dueAt>#<meetingId>#<sequence>
// Everything of one engagement shares its partition, so one consistent query reads it whole.
export const tutorKey = (tutorId: string) => ({ pk: `TUTOR#${tutorId}`, sk: 'TUTOR' });
export const tutorEmailKey = (email: string) => ({ pk: `TUTOR-EMAIL#${email}`, sk: 'TUTOR-EMAIL' });
export const tutorLinkKey = (tutorId: string, engagementId: string) => ({
  pk: `TUTOR#${tutorId}`,
  sk: `ENGAGEMENT#${engagementId}`,
});
export const engagementPk = (engagementId: string) => `ENGAGEMENT#${engagementId}`;
export const engagementKey = (engagementId: string) => ({ pk: engagementPk(engagementId), sk: 'ENGAGEMENT' });
export const meetingKey = (m: Pick<Meeting, 'engagementId' | 'meetingId'>) => ({
  pk: engagementPk(m.engagementId),
  sk: `MEETING#${m.meetingId}`,
});
export const logKey = (engagementId: string, meetingId: string, version: number) => ({
  pk: engagementPk(engagementId),
  sk: `LOG#${meetingId}#${String(version).padStart(4, '0')}`,
});
export const slotKey = (m: Pick<Meeting, 'engagementId' | 'startsAt'>) => ({
  pk: engagementPk(m.engagementId),
  sk: `SLOT#${m.startsAt}`,
});
export const extraKey = (engagementId: string, requestId: string) => ({
  pk: engagementPk(engagementId),
  sk: `EXTRA#${requestId}`,
});
export const meetingRefKey = (meetingId: string) => ({ pk: `MEETING#${meetingId}`, sk: 'MEETING' });
export const timerKey = (t: Pick<MeetingTimer, 'kind' | 'dueAt' | 'meetingId' | 'sequence'>) => ({
  pk: `DUE#${t.kind}`,
  sk: `${t.dueAt}#${t.meetingId}#${t.sequence}`,
});
