// An engagement and everything in its partition: its meetings (each with its time-slot guard, its id
// reference and its timers), the versions of their session logs and the extra-meeting requests.
// Meetings move together with their slot guard and their timers. Every change that is announced
// writes its events in the same transaction (the outbox): both commit or neither does, and a change
// refused as already done writes no event again. Assigning and closing also move the tutor's load:
// that part of the transaction comes from `tutorParts` (functions/stores/tutors.ts).
import { DeleteCommand, GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import {
  StoredEngagement,
  StoredExtraMeetingRequest,
  StoredMeeting,
  StoredMeetingRef,
  StoredMeetingSlot,
  StoredMeetingTimer,
  StoredSessionLog,
  type Engagement,
  type ExtraMeetingRequest,
  type Meeting,
  type MeetingTimer,
  type SessionLog,
  type TimerKind,
} from '../../schemas/stored/engagement.js';
import type { Tutor } from '../../schemas/stored/tutor.js';
import { dynamo } from '../shared/aws.js';
import { queryAll } from '../shared/dynamo-query.js';
import { decode, decodeAll } from '../shared/items.js';
import {
  engagementItemPrefixes,
  engagementKey,
  engagementListOrder,
  engagementPk,
  extraKey,
  logKey,
  meetingKey,
  meetingRefKey,
  meetingTimerKey,
  meetingTimersPartition,
  roundEngagementsPartition,
  slotKey,
} from '../shared/keys.js';
import { eventParts, type PendingEvent } from '../shared/outbox.js';
import {
  committedUnless,
  part,
  refusalOf,
  succeeds,
  transact,
  type TransactItem,
  type TransactPart,
} from '../shared/transactions.js';
import { timersOf, type EngagementRecord } from '../tutoring/domain.js';
import { tutorParts } from './tutors.js';

export type { EngagementRecord };

/** A meeting as read and as it becomes (rescheduled or cancelled). */
export interface MeetingChangeOf {
  before: Meeting;
  after: Meeting;
}

export type AssignOutcome = 'assigned' | 'tutor-full' | 'engagement-changed';
export type LeaveUnassignedOutcome = 'noted' | 'already-noted' | 'engagement-changed';
export type ChangeMeetingOutcome = 'changed' | 'meeting-changed' | 'slot-taken';
export type CreateMeetingOutcome =
  { outcome: 'created' } | { outcome: 'slot-taken'; meetingId: string } | { outcome: 'engagement-closed' };

/** The engagements as tutoring's use cases see them. */
export interface EngagementStore {
  /** Stores a new engagement; false when the application already has one. */
  createEngagement(engagement: Engagement): Promise<boolean>;
  getEngagement(engagementId: string): Promise<Engagement | undefined>;
  /** The engagement with its meetings, logs and extra-meeting requests, in one consistent read. */
  loadEngagement(engagementId: string): Promise<EngagementRecord | undefined>;
  /** A round's engagements, oldest first (from the index). */
  listRoundEngagements(roundId: string): Promise<Engagement[]>;
  /**
   * Gives the engagement to `to` (taking it from its current tutor, if any), with its events. The
   * engagement must be as it was read (same number of assignments, still open) and `to` must be
   * active and below maxActive at the moment of writing.
   */
  assign(engagement: Engagement, to: Tutor, at: string, by: string, events: readonly PendingEvent[]): Promise<AssignOutcome>;
  /** Notes, once, that nobody fits: on the condition that it is still unassigned as read and was not noted before. */
  leaveUnassigned(engagement: Engagement, at: string, events: readonly PendingEvent[]): Promise<LeaveUnassignedOutcome>;
  /** Ends an active engagement (its tutor's place freed) with its events; false when it was not active (any more) as read. */
  complete(engagement: Engagement, at: string, events: readonly PendingEvent[]): Promise<boolean>;
  /**
   * Ends an engagement whose municipality withdrew, cancelling the given meetings in the same
   * transaction, with the events of all of it. False when the engagement was already closed or
   * changed since it was read; a meeting changed since it was read throws (the caller runs again).
   */
  withdraw(
    engagement: Engagement,
    at: string,
    cancellations: readonly MeetingChangeOf[],
    events: readonly PendingEvent[],
    now: Date,
  ): Promise<boolean>;
  /**
   * Stores a new meeting with its slot guard, its id reference, its timers and its events, on the
   * condition that the engagement is still active. When another live meeting of the engagement
   * starts at the same moment, answers its id instead (and writes nothing).
   */
  createMeeting(
    meeting: Meeting,
    timers: readonly MeetingTimer[],
    events: readonly PendingEvent[],
  ): Promise<CreateMeetingOutcome>;
  meetingEngagementId(meetingId: string): Promise<string | undefined>;
  getMeeting(engagementId: string, meetingId: string): Promise<Meeting | undefined>;
  /**
   * Replaces a meeting by its rescheduled or cancelled self with its events, moving its slot guard
   * and its timers, on the condition that nobody changed it since it was read.
   */
  changeMeeting(before: Meeting, after: Meeting, now: Date, events: readonly PendingEvent[]): Promise<ChangeMeetingOutcome>;
  /**
   * Adds a version of a meeting's session log with its events: never overwriting one, and only on
   * top of the version read (`meeting.loggedVersion`). False when another log landed first.
   */
  addLog(meeting: Meeting, log: SessionLog, events: readonly PendingEvent[]): Promise<boolean>;
  /** Records a request for extra meetings with its events; false when that very request is already on record. */
  addExtraRequest(engagementId: string, request: ExtraMeetingRequest, events: readonly PendingEvent[]): Promise<boolean>;
  getExtraRequest(engagementId: string, requestId: string): Promise<ExtraMeetingRequest | undefined>;
  /** Timers of `kind` due at or before `at`. */
  dueTimers(kind: TimerKind, at: string): Promise<MeetingTimer[]>;
  /**
   * Carries out a due timer: marks its meeting as triggered for the timer's sequence, deletes the
   * timer and writes the events, on the condition that the meeting is still as the timer speaks for
   * (scheduled, same sequence, not begun or not logged) and was not triggered for it before. False
   * (and nothing written) otherwise.
   */
  triggerTimer(timer: MeetingTimer, at: string, events: readonly PendingEvent[]): Promise<boolean>;
  deleteTimer(timer: MeetingTimer): Promise<void>;
}

const openStatuses = ['active', 'unassigned'] as const;

export class DynamoEngagementStore implements EngagementStore {
  constructor(private readonly tableName: string) {}

  /** The state change's parts and its events' parts, in one transaction. */
  private write(parts: readonly TransactPart[], events: readonly PendingEvent[], at: string): Promise<void> {
    return transact([...parts, ...eventParts(events, { tableName: this.tableName, at })]);
  }

  private async get(key: { pk: string; sk: string }): Promise<Record<string, unknown> | undefined> {
    return (await dynamo().send(new GetCommand({ TableName: this.tableName, Key: key, ConsistentRead: true }))).Item;
  }

  // --- Engagements --------------------------------------------------------------------------------

  async createEngagement(engagement: Engagement): Promise<boolean> {
    return succeeds(() =>
      dynamo().send(
        new PutCommand({
          TableName: this.tableName,
          Item: {
            ...engagementKey(engagement.engagementId),
            type: 'engagement',
            gsi1pk: roundEngagementsPartition(engagement.roundId),
            gsi1sk: engagementListOrder(engagement),
            ...engagement,
          },
          ConditionExpression: 'attribute_not_exists(pk)',
        }),
      ),
    );
  }

  async getEngagement(engagementId: string): Promise<Engagement | undefined> {
    return decode(StoredEngagement, await this.get(engagementKey(engagementId)));
  }

  async loadEngagement(engagementId: string): Promise<EngagementRecord | undefined> {
    const items = await queryAll({
      TableName: this.tableName,
      ConsistentRead: true,
      KeyConditionExpression: 'pk = :pk',
      ExpressionAttributeValues: { ':pk': engagementPk(engagementId) },
    });
    const of = (prefix: string) => items.filter((i) => String(i.sk).startsWith(prefix));
    const engagement = decode(
      StoredEngagement,
      items.find((i) => i.sk === engagementKey(engagementId).sk),
    );
    if (!engagement) return undefined;
    return {
      engagement,
      meetings: decodeAll(StoredMeeting, of(engagementItemPrefixes.meeting)),
      logs: decodeAll(StoredSessionLog, of(engagementItemPrefixes.log)),
      extraRequests: decodeAll(StoredExtraMeetingRequest, of(engagementItemPrefixes.extra)),
    };
  }

  async listRoundEngagements(roundId: string): Promise<Engagement[]> {
    const items = await queryAll({
      TableName: this.tableName,
      IndexName: 'gsi1',
      KeyConditionExpression: 'gsi1pk = :pk',
      ExpressionAttributeValues: { ':pk': roundEngagementsPartition(roundId) },
    });
    return decodeAll(StoredEngagement, items);
  }

  async assign(
    engagement: Engagement,
    to: Tutor,
    at: string,
    by: string,
    events: readonly PendingEvent[],
  ): Promise<AssignOutcome> {
    const from = engagement.tutorId;
    const parts: TransactPart[] = [
      part('engagement', {
        Update: {
          TableName: this.tableName,
          Key: engagementKey(engagement.engagementId),
          UpdateExpression:
            'SET tutorId = :to, #status = :active, assignedAt = :at, history = list_append(history, :entry) ADD assignments :one',
          ConditionExpression: 'assignments = :n AND (#status = :active OR #status = :unassigned)',
          ExpressionAttributeNames: { '#status': 'status' },
          ExpressionAttributeValues: {
            ':to': to.tutorId,
            ':active': 'active',
            ':unassigned': 'unassigned',
            ':at': at,
            ':entry': [{ tutorId: to.tutorId, at, by }],
            ':one': 1,
            ':n': engagement.assignments,
          },
        },
      }),
      ...tutorParts.takeOn(this.tableName, to.tutorId, engagement.engagementId, at),
      ...(from ? tutorParts.handOver(this.tableName, from, engagement.engagementId) : []),
    ];
    const refusal = await refusalOf(() => this.write(parts, events, at), ['engagement', 'tutor']);
    if (!refusal) return 'assigned';
    return refusal.part === 'engagement' ? 'engagement-changed' : 'tutor-full';
  }

  async leaveUnassigned(engagement: Engagement, at: string, events: readonly PendingEvent[]): Promise<LeaveUnassignedOutcome> {
    const refusal = await refusalOf(
      () =>
        this.write(
          [
            part('engagement', {
              Update: {
                TableName: this.tableName,
                Key: engagementKey(engagement.engagementId),
                UpdateExpression: 'SET leftUnassignedAt = :at',
                ConditionExpression: '#status = :unassigned AND assignments = :n AND attribute_not_exists(leftUnassignedAt)',
                ExpressionAttributeNames: { '#status': 'status' },
                ExpressionAttributeValues: { ':at': at, ':unassigned': 'unassigned', ':n': engagement.assignments },
                ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
              },
            }),
          ],
          events,
          at,
        ),
      ['engagement'],
    );
    if (!refusal) return 'noted';
    const old = decode(StoredEngagement, refusal.old);
    const unchanged = old?.status === 'unassigned' && old.assignments === engagement.assignments;
    return unchanged && old.leftUnassignedAt !== undefined ? 'already-noted' : 'engagement-changed';
  }

  complete(engagement: Engagement, at: string, events: readonly PendingEvent[]): Promise<boolean> {
    return this.close(engagement, 'completed', at, ['active'], [], events);
  }

  withdraw(
    engagement: Engagement,
    at: string,
    cancellations: readonly MeetingChangeOf[],
    events: readonly PendingEvent[],
    now: Date,
  ): Promise<boolean> {
    const meetingParts = cancellations.flatMap(({ before, after }) =>
      this.meetingChangeParts(before, after, now, `meeting:${before.meetingId}:`),
    );
    return this.close(engagement, 'withdrawn', at, openStatuses, meetingParts, events);
  }

  private close(
    engagement: Engagement,
    status: 'completed' | 'withdrawn',
    at: string,
    from: readonly string[],
    more: readonly TransactPart[],
    events: readonly PendingEvent[],
  ): Promise<boolean> {
    const parts: TransactPart[] = [
      part('engagement', {
        Update: {
          TableName: this.tableName,
          Key: engagementKey(engagement.engagementId),
          UpdateExpression: `SET #status = :status, ${status === 'completed' ? 'completedAt' : 'withdrawnAt'} = :at`,
          // The same tutor as read: a reassignment in between moved the load to someone else.
          ConditionExpression: `#status IN (${from.map((_, i) => `:from${i}`).join(', ')}) AND assignments = :n`,
          ExpressionAttributeNames: { '#status': 'status' },
          ExpressionAttributeValues: {
            ':status': status,
            ':at': at,
            ':n': engagement.assignments,
            ...Object.fromEntries(from.map((s, i) => [`:from${i}`, s])),
          },
        },
      }),
      ...(engagement.tutorId && engagement.status === 'active' ? [tutorParts.free(this.tableName, engagement.tutorId)] : []),
      ...more,
    ];
    return committedUnless('engagement', () => this.write(parts, events, at));
  }

  // --- Meetings -----------------------------------------------------------------------------------

  async createMeeting(
    meeting: Meeting,
    timers: readonly MeetingTimer[],
    events: readonly PendingEvent[],
  ): Promise<CreateMeetingOutcome> {
    const refusal = await refusalOf(
      () =>
        this.write(
          [
            part('engagement', {
              ConditionCheck: {
                TableName: this.tableName,
                Key: engagementKey(meeting.engagementId),
                ConditionExpression: '#status = :active',
                ExpressionAttributeNames: { '#status': 'status' },
                ExpressionAttributeValues: { ':active': 'active' },
              },
            }),
            part('slot', {
              Put: {
                TableName: this.tableName,
                Item: this.slotItem(meeting),
                ConditionExpression: 'attribute_not_exists(pk)',
                ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
              },
            }),
            part('meeting', {
              Put: {
                TableName: this.tableName,
                Item: this.meetingItem(meeting),
                ConditionExpression: 'attribute_not_exists(pk)',
              },
            }),
            part('meeting-ref', {
              Put: {
                TableName: this.tableName,
                Item: { ...meetingRefKey(meeting.meetingId), type: 'meeting-ref', engagementId: meeting.engagementId },
                ConditionExpression: 'attribute_not_exists(pk)',
              },
            }),
            ...timers.map((t) => part(`timer:${t.kind}`, this.putTimer(t))),
          ],
          events,
          meeting.createdAt,
        ),
      ['slot', 'engagement'],
    );
    if (!refusal) return { outcome: 'created' };
    if (refusal.part === 'engagement') return { outcome: 'engagement-closed' };
    const taken = decode(StoredMeetingSlot, refusal.old);
    if (!taken) throw new Error(`The slot guard at ${meeting.startsAt} refused without its item`);
    return { outcome: 'slot-taken', meetingId: taken.meetingId };
  }

  async meetingEngagementId(meetingId: string): Promise<string | undefined> {
    return decode(StoredMeetingRef, await this.get(meetingRefKey(meetingId)))?.engagementId;
  }

  async getMeeting(engagementId: string, meetingId: string): Promise<Meeting | undefined> {
    return decode(StoredMeeting, await this.get(meetingKey({ engagementId, meetingId })));
  }

  private meetingItem(meeting: Meeting) {
    return { ...meetingKey(meeting), type: 'meeting', ...meeting };
  }

  private slotItem(meeting: Meeting) {
    return { ...slotKey(meeting), type: 'meeting-slot', meetingId: meeting.meetingId };
  }

  /**
   * The parts that replace a meeting by its rescheduled or cancelled self, moving its slot guard and
   * its timers, on the condition that nobody changed it since it was read. Named `<prefix>meeting`,
   * `<prefix>slot`, ...
   */
  private meetingChangeParts(before: Meeting, after: Meeting, now: Date, prefix = ''): TransactPart[] {
    const moved = after.status === 'cancelled' || after.startsAt !== before.startsAt;
    const parts: TransactPart[] = [
      part(`${prefix}meeting`, {
        Put: {
          TableName: this.tableName,
          Item: this.meetingItem(after),
          ConditionExpression: '#status = :scheduled AND #sequence = :sequence',
          ExpressionAttributeNames: { '#status': 'status', '#sequence': 'sequence' },
          ExpressionAttributeValues: { ':scheduled': 'scheduled', ':sequence': before.sequence },
        },
      }),
    ];
    if (moved && after.status === 'scheduled') {
      parts.push(
        part(`${prefix}slot`, {
          Put: { TableName: this.tableName, Item: this.slotItem(after), ConditionExpression: 'attribute_not_exists(pk)' },
        }),
      );
    }
    if (moved) parts.push(part(`${prefix}old-slot`, { Delete: { TableName: this.tableName, Key: slotKey(before) } }));
    // Every timer the old version could have goes; the new version's are set afresh (another sequence, other keys).
    parts.push(...timersOf(before).map((t) => part(`${prefix}old-timer:${t.kind}`, this.deleteTimerItem(t))));
    if (after.status === 'scheduled')
      parts.push(...timersOf(after, now).map((t) => part(`${prefix}timer:${t.kind}`, this.putTimer(t))));
    return parts;
  }

  async changeMeeting(
    before: Meeting,
    after: Meeting,
    now: Date,
    events: readonly PendingEvent[],
  ): Promise<ChangeMeetingOutcome> {
    const refusal = await refusalOf(
      () => this.write(this.meetingChangeParts(before, after, now), events, now.toISOString()),
      ['meeting', 'slot'],
    );
    if (!refusal) return 'changed';
    return refusal.part === 'meeting' ? 'meeting-changed' : 'slot-taken';
  }

  async addLog(meeting: Meeting, log: SessionLog, events: readonly PendingEvent[]): Promise<boolean> {
    const first = meeting.loggedVersion === undefined;
    const parts: TransactPart[] = [
      part('log', {
        Put: {
          TableName: this.tableName,
          Item: { ...logKey(meeting.engagementId, meeting.meetingId, log.version), type: 'session-log', ...log },
          ConditionExpression: 'attribute_not_exists(pk)',
        },
      }),
      part('meeting', {
        Update: {
          TableName: this.tableName,
          Key: meetingKey(meeting),
          UpdateExpression: 'SET loggedVersion = :version',
          ConditionExpression: `#status = :scheduled AND ${first ? 'attribute_not_exists(loggedVersion)' : 'loggedVersion = :previous'}`,
          ExpressionAttributeNames: { '#status': 'status' },
          ExpressionAttributeValues: {
            ':version': log.version,
            ':scheduled': 'scheduled',
            ...(first ? {} : { ':previous': meeting.loggedVersion }),
          },
        },
      }),
      // Logged: the nudge for a missing log is moot.
      ...(first
        ? timersOf(meeting)
            .filter((t) => t.kind === 'session-log')
            .map((t) => part('timer:session-log', this.deleteTimerItem(t)))
        : []),
    ];
    return (await refusalOf(() => this.write(parts, events, log.loggedAt), ['log', 'meeting'])) === undefined;
  }

  // --- Extra-meeting requests ---------------------------------------------------------------------

  addExtraRequest(engagementId: string, request: ExtraMeetingRequest, events: readonly PendingEvent[]): Promise<boolean> {
    return committedUnless('request', () =>
      this.write(
        [
          part('request', {
            Put: {
              TableName: this.tableName,
              Item: { ...extraKey(engagementId, request.requestId), type: 'extra-meeting-request', ...request },
              ConditionExpression: 'attribute_not_exists(pk)',
            },
          }),
        ],
        events,
        request.requestedAt,
      ),
    );
  }

  async getExtraRequest(engagementId: string, requestId: string): Promise<ExtraMeetingRequest | undefined> {
    return decode(StoredExtraMeetingRequest, await this.get(extraKey(engagementId, requestId)));
  }

  // --- Timers -------------------------------------------------------------------------------------

  private putTimer(timer: MeetingTimer): TransactItem {
    return { Put: { TableName: this.tableName, Item: { ...meetingTimerKey(timer), type: 'timer', ...timer } } };
  }

  private deleteTimerItem(timer: MeetingTimer): TransactItem {
    return { Delete: { TableName: this.tableName, Key: meetingTimerKey(timer) } };
  }

  async dueTimers(kind: TimerKind, at: string): Promise<MeetingTimer[]> {
    const items = await queryAll({
      TableName: this.tableName,
      ConsistentRead: true,
      KeyConditionExpression: 'pk = :pk AND sk <= :before',
      ExpressionAttributeValues: { ':pk': meetingTimersPartition(kind), ':before': `${at}~` },
    });
    return decodeAll(StoredMeetingTimer, items);
  }

  triggerTimer(timer: MeetingTimer, at: string, events: readonly PendingEvent[]): Promise<boolean> {
    const reminder = timer.kind === 'meeting-reminder';
    const still = reminder ? 'startsAt > :at' : 'attribute_not_exists(loggedVersion)';
    return committedUnless('meeting', () =>
      this.write(
        [
          part('meeting', {
            Update: {
              TableName: this.tableName,
              Key: meetingKey(timer),
              UpdateExpression: 'SET #marker = :sequence',
              ConditionExpression: `#status = :scheduled AND #sequence = :sequence AND ${still} AND (attribute_not_exists(#marker) OR #marker <> :sequence)`,
              ExpressionAttributeNames: {
                '#status': 'status',
                '#sequence': 'sequence',
                '#marker': reminder ? 'reminderTriggeredFor' : 'logReminderTriggeredFor',
              },
              ExpressionAttributeValues: {
                ':scheduled': 'scheduled',
                ':sequence': timer.sequence,
                ...(reminder ? { ':at': at } : {}),
              },
            },
          }),
          part('timer', this.deleteTimerItem(timer)),
        ],
        events,
        at,
      ),
    );
  }

  async deleteTimer(timer: MeetingTimer): Promise<void> {
    await dynamo().send(new DeleteCommand({ TableName: this.tableName, Key: meetingTimerKey(timer) }));
  }
}
