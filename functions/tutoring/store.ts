// DynamoDB access for tutoring. A tutor's load (`activeCount`) changes only in the same transaction
// as the engagement it counts, on the condition `activeCount < maxActive`, so no burst of assignments
// can overfill a tutor; meetings move together with their time-slot guard and their timers.
import { DeleteCommand, GetCommand, PutCommand, QueryCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { applicationKey, strip } from '../intake/store.js';
import { dynamo } from '../shared/aws.js';
import { transactWrite, type TransactItem } from '../shared/transactions.js';
import { ConflictError } from '../shared/errors.js';
import {
  engagementKey,
  engagementPk,
  extraKey,
  logKey,
  meetingKey,
  meetingRefKey,
  slotKey,
  timerKey,
  tutorEmailKey,
  tutorKey,
  tutorLinkKey,
} from './keys.js';
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

  private transact(items: TransactItem[]): Promise<void> {
    return transactWrite(items);
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
      await this.transact([
        {
          Put: {
            TableName: this.tableName,
            Item: { ...tutorEmailKey(tutor.email), type: 'tutor-email', tutorId: tutor.tutorId },
            ConditionExpression: 'attribute_not_exists(pk)',
            ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
          },
        },
        {
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
        },
      ]);
      return { outcome: 'created' };
    } catch (error) {
      if (error instanceof TransactionRefused && error.refusedAt(0) && error.items[0]) {
        return { outcome: 'email-taken', tutorId: String(error.items[0].tutorId) };
      }
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
    const update: TransactItem = {
      Update: {
        TableName: this.tableName,
        Key: tutorKey(tutor.tutorId),
        UpdateExpression: `SET ${names.map((n) => `#${n} = :${n}`).join(', ')}`,
        ConditionExpression: 'attribute_exists(pk) AND #email = :oldEmail',
        ExpressionAttributeNames: { ...Object.fromEntries(names.map((n) => [`#${n}`, n])), '#email': 'email' },
        ExpressionAttributeValues: { ...Object.fromEntries(names.map((n) => [`:${n}`, fields[n]])), ':oldEmail': tutor.email },
      },
    };
    const items: TransactItem[] = [update];
    if (changes.email) {
      items.push(
        {
          Delete: {
            TableName: this.tableName,
            Key: tutorEmailKey(tutor.email),
            ConditionExpression: 'tutorId = :tutorId',
            ExpressionAttributeValues: { ':tutorId': tutor.tutorId },
          },
        },
        {
          Put: {
            TableName: this.tableName,
            Item: { ...tutorEmailKey(changes.email), type: 'tutor-email', tutorId: tutor.tutorId },
            ConditionExpression: 'attribute_not_exists(pk)',
          },
        },
      );
    }
    try {
      await this.transact(items);
    } catch (error) {
      if (!(error instanceof TransactionRefused)) throw error;
      if (error.refusedAt(2))
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
            gsi1pk: `ROUND#${engagement.roundId}#ENGAGEMENTS`,
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
    const items = await this.queryAll({ pk: `ROUND#${roundId}#ENGAGEMENTS`, index: 'gsi1' });
    return items.map((i) => strip<Engagement>(i));
  }

  /** Ids of the engagements a tutor has or completed (not those reassigned away). */
  async tutorEngagementIds(tutorId: string): Promise<string[]> {
    const items = await this.queryAll({ pk: `TUTOR#${tutorId}`, skPrefix: 'ENGAGEMENT#' });
    return items.map((i) => String(i.engagementId));
  }

  /**
   * Gives the engagement to `to` (taking it from its current tutor, if any). The engagement must be
   * as it was read (same number of assignments, still open) and `to` must be active and below
   * maxActive at the moment of writing.
   */
  async assign(
    engagement: Engagement,
    to: Tutor,
    at: string,
    by: string,
  ): Promise<'assigned' | 'tutor-full' | 'engagement-changed'> {
    const from = engagement.tutorId;
    const items: TransactItem[] = [
      {
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
      },
      {
        Update: {
          TableName: this.tableName,
          Key: tutorKey(to.tutorId),
          UpdateExpression: 'SET lastAssignedAt = :at ADD activeCount :one',
          // The capacity rule, at the moment of writing: active, and below the tutor's own maximum.
          ConditionExpression: 'attribute_exists(pk) AND active = :true AND activeCount < maxActive',
          ExpressionAttributeValues: { ':at': at, ':one': 1, ':true': true },
        },
      },
      {
        Put: {
          TableName: this.tableName,
          Item: {
            ...tutorLinkKey(to.tutorId, engagement.engagementId),
            type: 'tutor-engagement',
            engagementId: engagement.engagementId,
            since: at,
          },
        },
      },
    ];
    if (from) {
      items.push(
        {
          Update: {
            TableName: this.tableName,
            Key: tutorKey(from),
            UpdateExpression: 'ADD activeCount :minusOne',
            ConditionExpression: 'attribute_exists(pk)',
            ExpressionAttributeValues: { ':minusOne': -1 },
          },
        },
        { Delete: { TableName: this.tableName, Key: tutorLinkKey(from, engagement.engagementId) } },
      );
    }
    try {
      await this.transact(items);
      return 'assigned';
    } catch (error) {
      if (!(error instanceof TransactionRefused)) throw error;
      if (error.refusedAt(0)) return 'engagement-changed';
      if (error.refusedAt(1)) return 'tutor-full';
      throw error;
    }
  }

  /** Ends an active engagement: completed, and its tutor's load is freed. False when it was not active (any more). */
  async complete(engagement: Engagement, at: string): Promise<boolean> {
    return this.close(engagement, 'completed', at, ['active']);
  }

  /** Ends an engagement whose municipality withdrew. False when it was already closed. */
  async withdraw(engagement: Engagement, at: string): Promise<boolean> {
    return this.close(engagement, 'withdrawn', at, ['active', 'unassigned']);
  }

  private async close(engagement: Engagement, status: 'completed' | 'withdrawn', at: string, from: string[]): Promise<boolean> {
    const items: TransactItem[] = [
      {
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
      },
    ];
    if (engagement.tutorId && engagement.status === 'active') {
      items.push({
        Update: {
          TableName: this.tableName,
          Key: tutorKey(engagement.tutorId),
          UpdateExpression: 'ADD activeCount :minusOne',
          ConditionExpression: 'attribute_exists(pk)',
          ExpressionAttributeValues: { ':minusOne': -1 },
        },
      });
    }
    try {
      await this.transact(items);
      return true;
    } catch (error) {
      if (error instanceof TransactionRefused && error.refusedAt(0)) return false;
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
   * Stores a new meeting with its time-slot guard, its id reference and its timers, on the condition
   * that the engagement is still active. When another live meeting of the engagement starts at the
   * same moment, returns its id instead (a retried POST finds its own meeting that way).
   */
  async createMeeting(
    meeting: Meeting,
    timers: MeetingTimer[],
  ): Promise<{ outcome: 'created' } | { outcome: 'slot-taken'; meetingId: string } | { outcome: 'engagement-closed' }> {
    try {
      await this.transact([
        {
          ConditionCheck: {
            TableName: this.tableName,
            Key: engagementKey(meeting.engagementId),
            ConditionExpression: '#status = :active',
            ExpressionAttributeNames: { '#status': 'status' },
            ExpressionAttributeValues: { ':active': 'active' },
          },
        },
        {
          Put: {
            TableName: this.tableName,
            Item: { ...slotKey(meeting), type: 'meeting-slot', meetingId: meeting.meetingId },
            ConditionExpression: 'attribute_not_exists(pk)',
            ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
          },
        },
        {
          Put: {
            TableName: this.tableName,
            Item: { ...meetingKey(meeting), type: 'meeting', ...meeting },
            ConditionExpression: 'attribute_not_exists(pk)',
          },
        },
        {
          Put: {
            TableName: this.tableName,
            Item: { ...meetingRefKey(meeting.meetingId), type: 'meeting-ref', engagementId: meeting.engagementId },
            ConditionExpression: 'attribute_not_exists(pk)',
          },
        },
        ...timers.map((t) => this.putTimer(t)),
      ]);
      return { outcome: 'created' };
    } catch (error) {
      if (!(error instanceof TransactionRefused)) throw error;
      if (error.refusedAt(1) && error.items[1]) return { outcome: 'slot-taken', meetingId: String(error.items[1].meetingId) };
      if (error.refusedAt(0)) return { outcome: 'engagement-closed' };
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
   * Replaces a meeting by its rescheduled or cancelled self, moving its slot guard and its timers
   * in the same transaction, on the condition that nobody changed it since it was read.
   */
  async changeMeeting(before: Meeting, after: Meeting, now: Date): Promise<void> {
    const moved = after.status === 'cancelled' || after.startsAt !== before.startsAt;
    const items: TransactItem[] = [
      {
        Put: {
          TableName: this.tableName,
          Item: { ...meetingKey(after), type: 'meeting', ...after },
          ConditionExpression: '#status = :scheduled AND #sequence = :sequence',
          ExpressionAttributeNames: { '#status': 'status', '#sequence': 'sequence' },
          ExpressionAttributeValues: { ':scheduled': 'scheduled', ':sequence': before.sequence },
        },
      },
    ];
    if (moved && after.status === 'scheduled') {
      items.push({
        Put: {
          TableName: this.tableName,
          Item: { ...slotKey(after), type: 'meeting-slot', meetingId: after.meetingId },
          ConditionExpression: 'attribute_not_exists(pk)',
        },
      });
    }
    if (moved) items.push({ Delete: { TableName: this.tableName, Key: slotKey(before) } });
    // Every timer the old version could have goes; the new version's are set afresh (another sequence, other keys).
    items.push(...timersOf(before).map((t) => this.deleteTimerItem(t)));
    if (after.status === 'scheduled') items.push(...timersOf(after, now).map((t) => this.putTimer(t)));
    try {
      await this.transact(items);
    } catch (error) {
      if (!(error instanceof TransactionRefused)) throw error;
      if (error.refusedAt(0))
        throw new ConflictError('The meeting changed at the same moment; reload and try again', {
          code: 'state_changed',
          cause: error,
        });
      if (error.refusedAt(1))
        throw new ConflictError('Another meeting of this engagement starts at that time', { code: 'slot_taken', cause: error });
      throw error;
    }
  }

  /**
   * Adds a version of a meeting's session log: never overwriting one, and only on top of the version
   * read (`meeting.loggedVersion`), so two corrections at once cannot both be version n+1.
   */
  async addLog(meeting: Meeting, log: SessionLog): Promise<boolean> {
    const first = meeting.loggedVersion === undefined;
    const items: TransactItem[] = [
      {
        Put: {
          TableName: this.tableName,
          Item: { ...logKey(meeting.engagementId, meeting.meetingId, log.version), type: 'session-log', ...log },
          ConditionExpression: 'attribute_not_exists(pk)',
        },
      },
      {
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
      },
      // Logged: the nudge for a missing log is moot.
      ...(first
        ? timersOf(meeting)
            .filter((t) => t.kind === 'session-log')
            .map((t) => this.deleteTimerItem(t))
        : []),
    ];
    try {
      await this.transact(items);
      return true;
    } catch (error) {
      if (error instanceof TransactionRefused && (error.refusedAt(0) || error.refusedAt(1))) return false;
      throw error;
    }
  }

  /** Records a request for extra meetings; false when that very request is already on record. */
  async addExtraRequest(engagementId: string, request: ExtraMeetingRequest): Promise<boolean> {
    try {
      await dynamo().send(
        new PutCommand({
          TableName: this.tableName,
          Item: { ...extraKey(engagementId, request.requestId), type: 'extra-meeting-request', ...request },
          ConditionExpression: 'attribute_not_exists(pk)',
        }),
      );
      return true;
    } catch (error) {
      if (error instanceof ConditionalCheckFailedException) return false;
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

  async deleteTimer(timer: MeetingTimer): Promise<void> {
    await dynamo().send(new DeleteCommand({ TableName: this.tableName, Key: timerKey(timer) }));
  }
}
