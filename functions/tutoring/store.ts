// DynamoDB access for tutoring. A tutor's load (`activeCount`) changes only in the same transaction
// as the engagement it counts, on the condition `activeCount < maxActive`, so no burst of assignments
// can overfill a tutor; meetings move together with their time-slot guard and their timers. Every
// change that is announced writes its events in the same transaction (the outbox): both commit or
// neither does, and a change refused as already done writes no event again.
import { DeleteCommand, GetCommand, PutCommand, QueryCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { strip } from '../intake/store.js';
import { applicationKey } from '../shared/keys.js';
import { dynamo } from '../shared/aws.js';
import { eventParts, type PendingEvent } from '../shared/outbox.js';
import { part, transact, type TransactItem, type TransactPart } from '../shared/transactions.js';
import { ConflictError } from '../shared/errors.js';
import {
  engagementKey,
  engagementPk,
  extraKey,
  logKey,
  meetingKey,
  meetingRefKey,
  slotKey,
  meetingTimerKey as timerKey,
  roundEngagementsPartition,
  tutorEmailKey,
  tutorKey,
  tutorLinkKey,
} from '../shared/keys.js';
import {
  timersOf,
  type Engagement,
  type EngagementRecord,
  type ExtraMeetingRequest,
  type Meeting,
  type MeetingTimer,
  type SessionLog,
  type TimerKind,
  type Tutor,
} from './domain.js';

import { TransactionRefused } from '../shared/transactions.js';

export { TransactionRefused };

export class TutoringStore {
  constructor(private readonly tableName: string) {}

  /** The state change's parts and its events' parts, in one transaction. */
  private write(parts: TransactPart[], events: readonly PendingEvent[] = [], at?: string): Promise<void> {
    return transact([...parts, ...eventParts(events, { tableName: this.tableName, ...(at ? { at } : {}) })]);
  }

  private async queryAll(input: {
    pk: string;
    skPrefix?: string;
    index?: 'gsi1';
    skBefore?: string;
  }): Promise<Record<string, unknown>[]> {
    const items: Record<string, unknown>[] = [];
    let ExclusiveStartKey: Record<string, unknown> | undefined;
    const [pkName, skName] = input.index ? ['gsi1pk', 'gsi1sk'] : ['pk', 'sk'];
    const skCondition = input.skPrefix
      ? ` AND begins_with(${skName}, :prefix)`
      : input.skBefore
        ? ` AND ${skName} <= :before`
        : '';
    do {
      const page = await dynamo().send(
        new QueryCommand({
          TableName: this.tableName,
          ...(input.index ? { IndexName: input.index } : { ConsistentRead: true }),
          KeyConditionExpression: `${pkName} = :pk${skCondition}`,
          ExpressionAttributeValues: {
            ':pk': input.pk,
            ...(input.skPrefix ? { ':prefix': input.skPrefix } : {}),
            ...(input.skBefore ? { ':before': input.skBefore } : {}),
          },
          ExclusiveStartKey,
        }),
      );
      items.push(...(page.Items ?? []));
      ExclusiveStartKey = page.LastEvaluatedKey;
    } while (ExclusiveStartKey);
    return items;
  }

  // --- Roster -------------------------------------------------------------------------------------

  /** Adds a tutor with its email guard. Returns the id of the tutor who already has the email, if one does. */
  async createTutor(tutor: Tutor): Promise<{ outcome: 'created' } | { outcome: 'email-taken'; tutorId: string }> {
    try {
      await this.write([
        part('email', {
          Put: {
            TableName: this.tableName,
            Item: { ...tutorEmailKey(tutor.email), type: 'tutor-email', tutorId: tutor.tutorId },
            ConditionExpression: 'attribute_not_exists(pk)',
            ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
          },
        }),
        part('tutor', {
          Put: {
            TableName: this.tableName,
            Item: {
              ...tutorKey(tutor.tutorId),
              type: 'tutor',
              gsi1pk: 'TUTORS',
              gsi1sk: `${tutor.createdAt}#${tutor.tutorId}`,
              ...tutor,
            },
            ConditionExpression: 'attribute_not_exists(pk)',
          },
        }),
      ]);
      return { outcome: 'created' };
    } catch (error) {
      const taken = error instanceof TransactionRefused && error.refused('email') ? error.oldValue('email') : undefined;
      if (taken) return { outcome: 'email-taken', tutorId: String(taken.tutorId) };
      throw error;
    }
  }

  async getTutor(tutorId: string): Promise<Tutor | undefined> {
    const { Item } = await dynamo().send(
      new GetCommand({ TableName: this.tableName, Key: tutorKey(tutorId), ConsistentRead: true }),
    );
    return Item ? strip<Tutor>(Item) : undefined;
  }

  /** The roster entry of a signed-in tutor: the one whose email is the token's. */
  async tutorByEmail(email: string): Promise<Tutor | undefined> {
    const { Item } = await dynamo().send(
      new GetCommand({ TableName: this.tableName, Key: tutorEmailKey(email.toLowerCase()), ConsistentRead: true }),
    );
    return Item ? this.getTutor(String(Item.tutorId)) : undefined;
  }

  /** The whole roster, oldest first. Read from the index: a tutor added a moment ago may be missing. */
  async listTutors(): Promise<Tutor[]> {
    const items = await this.queryAll({ pk: 'TUTORS', index: 'gsi1' });
    return items.map((item) => strip<Tutor>(item));
  }

  /**
   * Applies a coordinator's change. A new email moves the email guard in the same transaction, on
   * the condition that the old email is still the tutor's and the new one nobody else's.
   */
  async updateTutor(tutor: Tutor, changes: Partial<Tutor>, at: string): Promise<Tutor> {
    const fields: Record<string, unknown> = { ...changes, updatedAt: at };
    const names = Object.keys(fields);
    const parts: TransactPart[] = [
      part('tutor', {
        Update: {
          TableName: this.tableName,
          Key: tutorKey(tutor.tutorId),
          UpdateExpression: `SET ${names.map((n) => `#${n} = :${n}`).join(', ')}`,
          ConditionExpression: 'attribute_exists(pk) AND #email = :oldEmail',
          ExpressionAttributeNames: { ...Object.fromEntries(names.map((n) => [`#${n}`, n])), '#email': 'email' },
          ExpressionAttributeValues: { ...Object.fromEntries(names.map((n) => [`:${n}`, fields[n]])), ':oldEmail': tutor.email },
        },
      }),
    ];
    if (changes.email) {
      parts.push(
        part('old-email', {
          Delete: {
            TableName: this.tableName,
            Key: tutorEmailKey(tutor.email),
            ConditionExpression: 'tutorId = :tutorId',
            ExpressionAttributeValues: { ':tutorId': tutor.tutorId },
          },
        }),
        part('new-email', {
          Put: {
            TableName: this.tableName,
            Item: { ...tutorEmailKey(changes.email), type: 'tutor-email', tutorId: tutor.tutorId },
            ConditionExpression: 'attribute_not_exists(pk)',
          },
        }),
      );
    }
    try {
      await this.write(parts);
    } catch (error) {
      if (!(error instanceof TransactionRefused)) throw error;
      if (error.refused('new-email'))
        throw new ConflictError(`Another tutor has the email ${changes.email}`, { code: 'tutor_email_taken', cause: error });
      throw new ConflictError('The tutor changed at the same moment; reload and try again', {
        code: 'state_changed',
        cause: error,
      });
    }
    return (await this.getTutor(tutor.tutorId))!;
  }

  // --- Engagements --------------------------------------------------------------------------------

  /** Stores a new engagement; false when the application already has one. */
  async createEngagement(engagement: Engagement): Promise<boolean> {
    try {
      await dynamo().send(
        new PutCommand({
          TableName: this.tableName,
          Item: {
            ...engagementKey(engagement.engagementId),
            type: 'engagement',
            gsi1pk: roundEngagementsPartition(engagement.roundId),
            gsi1sk: `${engagement.createdAt}#${engagement.engagementId}`,
            ...engagement,
          },
          ConditionExpression: 'attribute_not_exists(pk)',
        }),
      );
      return true;
    } catch (error) {
      if (error instanceof ConditionalCheckFailedException) return false;
      throw error;
    }
  }

  async getEngagement(engagementId: string): Promise<Engagement | undefined> {
    const { Item } = await dynamo().send(
      new GetCommand({ TableName: this.tableName, Key: engagementKey(engagementId), ConsistentRead: true }),
    );
    return Item ? strip<Engagement>(Item) : undefined;
  }

  /** The engagement with its meetings, logs and extra-meeting requests, in one consistent read. */
  async loadEngagement(engagementId: string): Promise<EngagementRecord | undefined> {
    const items = await this.queryAll({ pk: engagementPk(engagementId) });
    const of = (prefix: string) => items.filter((i) => String(i.sk).startsWith(prefix));
    const engagement = items.find((i) => i.sk === 'ENGAGEMENT');
    if (!engagement) return undefined;
    return {
      engagement: strip<Engagement>(engagement),
      meetings: of('MEETING#').map((i) => strip<Meeting>(i)),
      logs: of('LOG#').map((i) => strip<SessionLog>(i)),
      extraRequests: of('EXTRA#').map((i) => strip<ExtraMeetingRequest>(i)),
    };
  }

  /** A round's engagements, oldest first (from the index). */
  async listRoundEngagements(roundId: string): Promise<Engagement[]> {
    const items = await this.queryAll({ pk: roundEngagementsPartition(roundId), index: 'gsi1' });
    return items.map((i) => strip<Engagement>(i));
  }

  /** Ids of the engagements a tutor has or completed (not those reassigned away). */
  async tutorEngagementIds(tutorId: string): Promise<string[]> {
    const items = await this.queryAll({ pk: `TUTOR#${tutorId}`, skPrefix: 'ENGAGEMENT#' });
    return items.map((i) => String(i.engagementId));
  }

  /**
   * Gives the engagement to `to` (taking it from its current tutor, if any), with its events
   * (TutorAssigned). The engagement must be as it was read (same number of assignments, still open)
   * and `to` must be active and below maxActive at the moment of writing.
   */
  async assign(
    engagement: Engagement,
    to: Tutor,
    at: string,
    by: string,
    events: readonly PendingEvent[],
  ): Promise<'assigned' | 'tutor-full' | 'engagement-changed'> {
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
      part('tutor', {
        Update: {
          TableName: this.tableName,
          Key: tutorKey(to.tutorId),
          UpdateExpression: 'SET lastAssignedAt = :at ADD activeCount :one',
          // The capacity rule, at the moment of writing: active, and below the tutor's own maximum.
          ConditionExpression: 'attribute_exists(pk) AND active = :true AND activeCount < maxActive',
          ExpressionAttributeValues: { ':at': at, ':one': 1, ':true': true },
        },
      }),
      part('tutor-link', {
        Put: {
          TableName: this.tableName,
          Item: {
            ...tutorLinkKey(to.tutorId, engagement.engagementId),
            type: 'tutor-engagement',
            engagementId: engagement.engagementId,
            since: at,
          },
        },
      }),
    ];
    if (from) {
      parts.push(
        part('previous-tutor', {
          Update: {
            TableName: this.tableName,
            Key: tutorKey(from),
            UpdateExpression: 'ADD activeCount :minusOne',
            ConditionExpression: 'attribute_exists(pk)',
            ExpressionAttributeValues: { ':minusOne': -1 },
          },
        }),
        part('previous-link', { Delete: { TableName: this.tableName, Key: tutorLinkKey(from, engagement.engagementId) } }),
      );
    }
    try {
      await this.write(parts, events, at);
      return 'assigned';
    } catch (error) {
      if (!(error instanceof TransactionRefused)) throw error;
      if (error.refused('engagement')) return 'engagement-changed';
      if (error.refused('tutor')) return 'tutor-full';
      throw error;
    }
  }

  /**
   * Notes that nobody fits the engagement, with its events (EngagementLeftUnassigned), once: on the
   * condition that it is still unassigned as read and was not noted before.
   */
  async leaveUnassigned(
    engagement: Engagement,
    at: string,
    events: readonly PendingEvent[],
  ): Promise<'noted' | 'already-noted' | 'engagement-changed'> {
    try {
      await this.write(
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
      );
      return 'noted';
    } catch (error) {
      if (!(error instanceof TransactionRefused) || !error.refused('engagement')) throw error;
      const old = error.oldValue('engagement');
      const unchanged = old?.status === 'unassigned' && old.assignments === engagement.assignments;
      return unchanged && old.leftUnassignedAt !== undefined ? 'already-noted' : 'engagement-changed';
    }
  }

  /**
   * Ends an active engagement with its events (EngagementCompleted): completed, and its tutor's load
   * is freed. False when it was not active (any more).
   */
  async complete(engagement: Engagement, at: string, events: readonly PendingEvent[]): Promise<boolean> {
    return this.close(engagement, 'completed', at, ['active'], [], events);
  }

  /**
   * Ends an engagement whose municipality withdrew, cancelling the given meetings (as planned by
   * planMeetingChange) in the same transaction, with the events of all of it. False when the
   * engagement was already closed or changed since it was read; a meeting changed since it was read
   * throws (the caller runs again).
   */
  async withdraw(
    engagement: Engagement,
    at: string,
    cancellations: readonly { before: Meeting; after: Meeting }[],
    events: readonly PendingEvent[],
    now: Date,
  ): Promise<boolean> {
    const meetingParts = cancellations.flatMap(({ before, after }) =>
      this.meetingChangeParts(before, after, now, `meeting:${before.meetingId}:`),
    );
    return this.close(engagement, 'withdrawn', at, ['active', 'unassigned'], meetingParts, events);
  }

  private async close(
    engagement: Engagement,
    status: 'completed' | 'withdrawn',
    at: string,
    from: string[],
    more: TransactPart[],
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
    ];
    if (engagement.tutorId && engagement.status === 'active') {
      parts.push(
        part('tutor', {
          Update: {
            TableName: this.tableName,
            Key: tutorKey(engagement.tutorId),
            UpdateExpression: 'ADD activeCount :minusOne',
            ConditionExpression: 'attribute_exists(pk)',
            ExpressionAttributeValues: { ':minusOne': -1 },
          },
        }),
      );
    }
    parts.push(...more);
    try {
      await this.write(parts, events, at);
      return true;
    } catch (error) {
      if (error instanceof TransactionRefused && error.refused('engagement')) return false;
      throw error;
    }
  }

  /** The application's own status follows a completed programme (API.md's `completed`); once. */
  async markApplicationCompleted(applicationId: string, at: string): Promise<void> {
    try {
      await dynamo().send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: applicationKey(applicationId),
          UpdateExpression: 'SET #status = :completed, completedAt = if_not_exists(completedAt, :at)',
          ConditionExpression: '#status = :accepted',
          ExpressionAttributeNames: { '#status': 'status' },
          ExpressionAttributeValues: { ':completed': 'completed', ':accepted': 'accepted', ':at': at },
        }),
      );
    } catch (error) {
      if (error instanceof ConditionalCheckFailedException) return; // already completed, or no longer accepted
      throw error;
    }
  }

  // --- Meetings -----------------------------------------------------------------------------------

  /**
   * Stores a new meeting with its time-slot guard, its id reference, its timers and its events
   * (MeetingScheduled), on the condition that the engagement is still active. When another live
   * meeting of the engagement starts at the same moment, returns its id instead (a retried POST
   * finds its own meeting that way, and writes no event again).
   */
  async createMeeting(
    meeting: Meeting,
    timers: MeetingTimer[],
    events: readonly PendingEvent[],
  ): Promise<{ outcome: 'created' } | { outcome: 'slot-taken'; meetingId: string } | { outcome: 'engagement-closed' }> {
    try {
      await this.write(
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
              Item: { ...slotKey(meeting), type: 'meeting-slot', meetingId: meeting.meetingId },
              ConditionExpression: 'attribute_not_exists(pk)',
              ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
            },
          }),
          part('meeting', {
            Put: {
              TableName: this.tableName,
              Item: { ...meetingKey(meeting), type: 'meeting', ...meeting },
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
      );
      return { outcome: 'created' };
    } catch (error) {
      if (!(error instanceof TransactionRefused)) throw error;
      const taken = error.refused('slot') ? error.oldValue('slot') : undefined;
      if (taken) return { outcome: 'slot-taken', meetingId: String(taken.meetingId) };
      if (error.refused('engagement')) return { outcome: 'engagement-closed' };
      throw error;
    }
  }

  async meetingEngagementId(meetingId: string): Promise<string | undefined> {
    const { Item } = await dynamo().send(
      new GetCommand({ TableName: this.tableName, Key: meetingRefKey(meetingId), ConsistentRead: true }),
    );
    return Item ? String(Item.engagementId) : undefined;
  }

  async getMeeting(engagementId: string, meetingId: string): Promise<Meeting | undefined> {
    const { Item } = await dynamo().send(
      new GetCommand({ TableName: this.tableName, Key: meetingKey({ engagementId, meetingId }), ConsistentRead: true }),
    );
    return Item ? strip<Meeting>(Item) : undefined;
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
          Item: { ...meetingKey(after), type: 'meeting', ...after },
          ConditionExpression: '#status = :scheduled AND #sequence = :sequence',
          ExpressionAttributeNames: { '#status': 'status', '#sequence': 'sequence' },
          ExpressionAttributeValues: { ':scheduled': 'scheduled', ':sequence': before.sequence },
        },
      }),
    ];
    if (moved && after.status === 'scheduled') {
      parts.push(
        part(`${prefix}slot`, {
          Put: {
            TableName: this.tableName,
            Item: { ...slotKey(after), type: 'meeting-slot', meetingId: after.meetingId },
            ConditionExpression: 'attribute_not_exists(pk)',
          },
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

  /**
   * Replaces a meeting by its rescheduled or cancelled self with its events (MeetingRescheduled or
   * MeetingCancelled), moving its slot guard and its timers in the same transaction, on the
   * condition that nobody changed it since it was read.
   */
  async changeMeeting(before: Meeting, after: Meeting, now: Date, events: readonly PendingEvent[]): Promise<void> {
    try {
      await this.write(this.meetingChangeParts(before, after, now), events, now.toISOString());
    } catch (error) {
      if (!(error instanceof TransactionRefused)) throw error;
      if (error.refused('meeting'))
        throw new ConflictError('The meeting changed at the same moment; reload and try again', {
          code: 'state_changed',
          cause: error,
        });
      if (error.refused('slot'))
        throw new ConflictError('Another meeting of this engagement starts at that time', { code: 'slot_taken', cause: error });
      throw error;
    }
  }

  /**
   * Adds a version of a meeting's session log with its events (SessionLogged): never overwriting
   * one, and only on top of the version read (`meeting.loggedVersion`), so two corrections at once
   * cannot both be version n+1. False when another log landed first.
   */
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
    try {
      await this.write(parts, events, log.loggedAt);
      return true;
    } catch (error) {
      if (error instanceof TransactionRefused && (error.refused('log') || error.refused('meeting'))) return false;
      throw error;
    }
  }

  /**
   * Records a request for extra meetings with its events (ExtraMeetingsRequested); false when that
   * very request is already on record (and then nothing is written).
   */
  async addExtraRequest(engagementId: string, request: ExtraMeetingRequest, events: readonly PendingEvent[]): Promise<boolean> {
    try {
      await this.write(
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
      );
      return true;
    } catch (error) {
      if (error instanceof TransactionRefused && error.refused('request')) return false;
      throw error;
    }
  }

  async getExtraRequest(engagementId: string, requestId: string): Promise<ExtraMeetingRequest | undefined> {
    const { Item } = await dynamo().send(
      new GetCommand({ TableName: this.tableName, Key: extraKey(engagementId, requestId), ConsistentRead: true }),
    );
    return Item ? strip<ExtraMeetingRequest>(Item) : undefined;
  }

  // --- Timers -------------------------------------------------------------------------------------

  private putTimer(timer: MeetingTimer): TransactItem {
    return { Put: { TableName: this.tableName, Item: { ...timerKey(timer), type: 'timer', ...timer } } };
  }

  private deleteTimerItem(timer: MeetingTimer): TransactItem {
    return { Delete: { TableName: this.tableName, Key: timerKey(timer) } };
  }

  /** Timers of `kind` due at or before `at`. */
  async dueTimers(kind: TimerKind, at: string): Promise<MeetingTimer[]> {
    const items = await this.queryAll({ pk: `DUE#${kind}`, skBefore: `${at}~` });
    return items.map((i) => strip<MeetingTimer>(i));
  }

  /**
   * Carries out a due timer: marks its meeting as triggered for the timer's sequence, deletes the
   * timer and writes the events (MeetingReminderTriggered or SessionLogReminderTriggered), all in one
   * transaction, on the condition that the meeting is still as the timer speaks for (scheduled, same
   * sequence, not begun or not logged) and was not triggered for it before. So a reminder is
   * triggered once, however many schedules run at once. False (and nothing written) otherwise.
   */
  async triggerTimer(timer: MeetingTimer, at: string, events: readonly PendingEvent[]): Promise<boolean> {
    const reminder = timer.kind === 'meeting-reminder';
    const still = reminder ? 'startsAt > :at' : 'attribute_not_exists(loggedVersion)';
    try {
      await this.write(
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
      );
      return true;
    } catch (error) {
      if (error instanceof TransactionRefused && error.refused('meeting')) return false;
      throw error;
    }
  }

  async deleteTimer(timer: MeetingTimer): Promise<void> {
    await dynamo().send(new DeleteCommand({ TableName: this.tableName, Key: timerKey(timer) }));
  }
}
