// What the applicant's status page shows of the coaching: the tutor and the meetings still on. It
// reads the items directly (two small reads) rather than through the store, to keep the public
// status page's bundle small, but through the stores' codecs.
import { GetCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import type { ApplicationView } from '../../schemas/api/applications.js';
import type { Application } from '../../schemas/stored/application.js';
import { dynamo } from '../shared/aws.js';
import { config } from '../shared/config.js';
import { StoredEngagement, StoredMeeting } from '../../schemas/stored/engagement.js';
import { StoredTutor } from '../../schemas/stored/tutor.js';
import { decode, decodeAll } from '../shared/items.js';
import { engagementItemPrefixes, engagementKey, engagementPk, tutorKey } from '../shared/keys.js';
import { endsAt } from './domain.js';

/** The tutor and the live (not cancelled) meetings of an application's engagement, in time order. */
export async function coachingOf(
  application: Pick<Application, 'applicationId' | 'status'>,
): Promise<Pick<ApplicationView, 'tutor' | 'meetings'>> {
  // Only an accepted application ever gets an engagement (it keeps it when completed or withdrawn).
  if (!['accepted', 'completed', 'withdrawn'].includes(application.status)) return { meetings: [] };
  const TableName = config.tableName();
  const engagementId = application.applicationId;
  const [{ Item: engagement }, { Items: meetings = [] }] = await Promise.all([
    dynamo().send(new GetCommand({ TableName, Key: engagementKey(engagementId), ConsistentRead: true })),
    dynamo().send(
      new QueryCommand({
        TableName,
        KeyConditionExpression: 'pk = :pk AND begins_with(sk, :meeting)',
        ExpressionAttributeValues: { ':pk': engagementPk(engagementId), ':meeting': engagementItemPrefixes.meeting },
        ConsistentRead: true,
      }),
    ),
  ]);
  const tutorId = decode(StoredEngagement, engagement)?.tutorId;
  const tutor = tutorId
    ? decode(StoredTutor, (await dynamo().send(new GetCommand({ TableName, Key: tutorKey(tutorId) }))).Item)
    : undefined;
  const live = decodeAll(StoredMeeting, meetings)
    .filter((m) => m.status === 'scheduled')
    .sort((a, b) => a.startsAt.localeCompare(b.startsAt))
    .map((m) => ({
      meetingId: m.meetingId,
      kind: m.kind,
      startsAt: m.startsAt,
      endsAt: endsAt(m),
      durationMinutes: m.durationMinutes,
      joinUrl: m.joinUrl,
    }));
  return { ...(tutor ? { tutor: { name: tutor.name, email: tutor.email } } : {}), meetings: live };
}
