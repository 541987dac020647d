// DynamoDB access for the situational picture: the projected items of each round, all in the round's
// report partition, so that the report is one query. Every write is keyed by the id of what it
// describes and guarded by a value that only grows (stage rank, assignment number, log version,
// registration state, time of marking), so a redelivered or late event is a no-op.
import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { UpdateCommand } from '@aws-sdk/lib-dynamodb';
import type { MeetingKind } from '../../schemas/api/engagements.js';
import type { ReportStage } from '../../schemas/api/report.js';
import type { Language } from '../../schemas/common.js';
import { dynamo } from '../shared/aws.js';
import { queryAll } from '../shared/dynamo-query.js';
import { reportKeys, reportPk } from '../shared/keys.js';
import { registrationRanks, stageRanks, type RegistrationState, type ReportItem } from './domain.js';

// Key layout (single table):
//   municipality  pk REPORT#<roundId>  sk MUNICIPALITY#<applicationId>
//   meeting       pk REPORT#<roundId>  sk MEETING#<applicationId>#<meetingId>
//   webinar       pk REPORT#<roundId>  sk WEBINAR#<webinarId>
//   registration  pk REPORT#<roundId>  sk REGISTRATION#<webinarId>#<registrationId>
const { municipality: municipalityKey, meeting: meetingKey, webinar: webinarKey, registration: registrationKey } = reportKeys;

/** What the municipality row takes from the application, set once (the first writer wins). */
export interface MunicipalityFacts {
  municipality?: { code: string; name: string };
  language?: Language;
  appliedThemes?: string[];
}

export interface LoggedSession {
  version: number;
  durationMinutes: number;
  themes: string[];
  actions: string[];
  attendees: number;
}

// --- Named pieces of the update expressions --------------------------------------------------------
/** How an item changes: fields set, fields filled only where missing, and the guard that makes it idempotent. */
interface Change {
  set: Record<string, unknown>;
  fill?: Record<string, unknown>;
  /** Write only while `field` is absent or below `value`: a later event wins only over an earlier state. */
  raises?: { field: string; value: string | number };
  /** Write only while `field` is absent. */
  absent?: string;
}

const defined = (fields: Record<string, unknown> = {}) => Object.entries(fields).filter(([, v]) => v !== undefined);

/** Every attribute goes through a name placeholder: several of ours (type, status, language) are reserved words. */
function expressionOf(change: Change) {
  const names: Record<string, string> = {};
  const values: Record<string, unknown> = {};
  const name = (field: string) => ((names[`#${field}`] = field), `#${field}`);
  const sets = [
    ...defined(change.set).map(([f, v]) => ((values[`:${f}`] = v), `${name(f)} = :${f}`)),
    ...defined(change.fill).map(([f, v]) => ((values[`:${f}`] = v), `${name(f)} = if_not_exists(${name(f)}, :${f})`)),
  ];
  let condition: string | undefined;
  if (change.raises) {
    const field = name(change.raises.field);
    values[':guard'] = change.raises.value;
    condition = `attribute_not_exists(${field}) OR ${field} < :guard`;
  } else if (change.absent) {
    condition = `attribute_not_exists(${name(change.absent)})`;
  }
  return {
    UpdateExpression: `SET ${sets.join(', ')}`,
    ...(condition ? { ConditionExpression: condition } : {}),
    ExpressionAttributeNames: names,
    ExpressionAttributeValues: values,
  };
}

export class ReportStore {
  constructor(private readonly tableName: string) {}

  /** Applies a change; a refused guard means the item already holds as new a state, so there is nothing to do. */
  private async change(Key: { pk: string; sk: string }, change: Change): Promise<boolean> {
    try {
      await dynamo().send(new UpdateCommand({ TableName: this.tableName, Key, ...expressionOf(change) }));
      return true;
    } catch (error) {
      if (error instanceof ConditionalCheckFailedException) return false;
      throw error;
    }
  }

  /** Every projected item of a round: one query on its report partition. */
  async roundItems(roundId: string): Promise<ReportItem[]> {
    const items = await queryAll<Record<string, unknown>>({
      TableName: this.tableName,
      KeyConditionExpression: 'pk = :pk',
      ExpressionAttributeValues: { ':pk': reportPk(roundId) },
      ConsistentRead: true,
    });
    return items.map(({ pk: _pk, sk: _sk, ...rest }) => rest as unknown as ReportItem);
  }

  /** Moves the municipality to `stage` unless it already reached a stage of at least that rank. */
  recordStage(roundId: string, applicationId: string, stage: ReportStage, facts: MunicipalityFacts): Promise<boolean> {
    return this.change(municipalityKey(roundId, applicationId), {
      set: { type: 'report-municipality', roundId, applicationId, stage, stageRank: stageRanks[stage] },
      fill: { ...facts },
      raises: { field: 'stageRank', value: stageRanks[stage] },
    });
  }

  /** Records the tutor of assignment number `assignment`, unless a later assignment is already recorded. */
  recordTutor(
    roundId: string,
    applicationId: string,
    tutor: { tutorId: string; assignment: number },
    facts: MunicipalityFacts,
  ): Promise<boolean> {
    return this.change(municipalityKey(roundId, applicationId), {
      set: { type: 'report-municipality', roundId, applicationId, engagement: 'assigned', ...tutor },
      fill: { ...facts },
      raises: { field: 'assignment', value: tutor.assignment },
    });
  }

  /** Marks the engagement as waiting for a tutor, unless a tutor has been assigned (whatever the order of events). */
  recordUnassigned(roundId: string, applicationId: string, facts: MunicipalityFacts): Promise<boolean> {
    return this.change(municipalityKey(roundId, applicationId), {
      set: { type: 'report-municipality', roundId, applicationId, engagement: 'unassigned' },
      fill: { ...facts },
      absent: 'assignment',
    });
  }

  /**
   * A meeting on the calendar. Its kind is a fact of the scheduling; its status becomes `scheduled`
   * only if no cancellation got here first (a cancelled meeting never comes back).
   */
  async recordMeetingScheduled(
    roundId: string,
    applicationId: string,
    meeting: { meetingId: string; kind: MeetingKind; startsAt: string },
  ): Promise<void> {
    await this.change(meetingKey(roundId, applicationId, meeting.meetingId), {
      set: { type: 'report-meeting', roundId, applicationId, meetingId: meeting.meetingId, kind: meeting.kind },
      fill: { startsAt: meeting.startsAt, status: 'scheduled' },
    });
  }

  async recordMeetingCancelled(roundId: string, applicationId: string, meetingId: string): Promise<void> {
    await this.change(meetingKey(roundId, applicationId, meetingId), {
      set: { type: 'report-meeting', roundId, applicationId, meetingId, status: 'cancelled' },
    });
  }

  /** The facts of a session log version, unless the same or a later version is already recorded. */
  recordSession(roundId: string, applicationId: string, meetingId: string, log: LoggedSession): Promise<boolean> {
    const { version, ...facts } = log;
    return this.change(meetingKey(roundId, applicationId, meetingId), {
      set: { type: 'report-meeting', roundId, applicationId, meetingId, loggedVersion: version, ...facts },
      raises: { field: 'loggedVersion', value: version },
    });
  }

  /** The webinar's descriptive facts as read now (a later read is never older, so a plain SET). */
  async recordWebinar(webinar: {
    roundId: string;
    webinarId: string;
    title: string;
    startsAt: string;
    seats: number;
  }): Promise<void> {
    await this.change(webinarKey(webinar.roundId, webinar.webinarId), { set: { type: 'report-webinar', ...webinar } });
  }

  /** Moves a registration to `status` unless it already reached a later state. */
  recordRegistration(
    roundId: string,
    registration: { webinarId: string; registrationId: string; municipality?: string },
    status: RegistrationState,
  ): Promise<boolean> {
    const { municipality, ...ids } = registration;
    return this.change(registrationKey(roundId, ids.webinarId, ids.registrationId), {
      set: { type: 'report-registration', roundId, ...ids, status, statusRank: registrationRanks[status] },
      fill: { municipality },
      raises: { field: 'statusRank', value: registrationRanks[status] },
    });
  }

  /** The attendance marked at `markedAt`, unless a later marking is already recorded. */
  recordAttendance(
    roundId: string,
    registration: { webinarId: string; registrationId: string; municipality?: string },
    attended: boolean,
    markedAt: string,
  ): Promise<boolean> {
    const { municipality, ...ids } = registration;
    return this.change(registrationKey(roundId, ids.webinarId, ids.registrationId), {
      set: { type: 'report-registration', roundId, ...ids, attended, attendanceMarkedAt: markedAt },
      fill: { municipality },
      raises: { field: 'attendanceMarkedAt', value: markedAt },
    });
  }
}
