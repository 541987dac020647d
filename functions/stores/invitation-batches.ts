// The invitation-batch repository: one press of "send" for a webinar, its progress counters, the
// lease of the one sender working on it, and the batch's queue (its invitations still to send, and
// those that failed). The invitation items themselves are the webinar's (functions/stores/webinars.ts):
// settling one takes its part from there, with the batch's count in the same transaction.
import { GetCommand, QueryCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { StoredInvitationBatch, type InvitationBatch } from '../../schemas/stored/invitation-batch.js';
import { StoredInvitation, type Invitation } from '../../schemas/stored/webinar.js';
import { dynamo } from '../shared/aws.js';
import { queryAll } from '../shared/dynamo-query.js';
import { decode, decodeAll } from '../shared/items.js';
import { batchKey, invitationQueuePartition, openBatchesPartition } from '../shared/keys.js';
import { eventParts, type PendingEvent } from '../shared/outbox.js';
import { committedUnless, conditionally, part, transact, type TransactPart } from '../shared/transactions.js';
import { conflictRetryMs, settledInvitationPart, type InvitationSettlement } from './webinars.js';

export interface InvitationBatchStore {
  putBatch(batch: InvitationBatch, events: readonly PendingEvent[]): Promise<void>;
  getBatch(webinarId: string, batchId: string): Promise<InvitationBatch | undefined>;
  /** Batches not yet done, oldest first. */
  listOpenBatches(): Promise<InvitationBatch[]>;
  /**
   * Takes the batch for `owner` until `until`: free, or held by a sender whose lease ran out by
   * `now`. The batch as it is then; undefined when it is done or held.
   */
  claimBatch(webinarId: string, batchId: string, owner: string, now: string, until: string): Promise<InvitationBatch | undefined>;
  /** Lets go of the batch with the events that hand it on. False (nothing written) when `owner` no longer holds it. */
  releaseBatch(webinarId: string, batchId: string, owner: string, events: readonly PendingEvent[]): Promise<boolean>;
  /** Writes the events that hand a batch to a new sender, if it is still open and nobody holds it at `now`. */
  resumeBatch(webinarId: string, batchId: string, now: string, events: readonly PendingEvent[]): Promise<boolean>;
  /** Records the gathered recipients and starts sending; the first gathering to finish wins. */
  finishGathering(batch: InvitationBatch, recipients: number, skipped: number, at: string): Promise<void>;
  /** Invitations of the batch still to send, by address, after `afterEmail` if given; at most `limit`. */
  queuedInvitations(batchId: string, limit: number, afterEmail?: string): Promise<Invitation[]>;
  listFailedInvitations(batchId: string): Promise<Invitation[]>;
  /**
   * Settles one invitation and counts it on its batch, conditional on it still being queued in
   * this batch: false (a repeat) changes and counts nothing.
   */
  settleInvitation(invitation: Invitation, outcome: InvitationSettlement, at: string): Promise<boolean>;
  countThrottled(webinarId: string, batchId: string, times: number): Promise<void>;
  /**
   * Marks the batch done (and out of the open listing) with its events, if nothing was counted
   * since `settled` was read and it is not done already: false (a repeat) writes nothing.
   */
  finishBatch(settled: InvitationBatch, at: string, events: readonly PendingEvent[]): Promise<boolean>;
}

/** A batch is still to send and no live sender holds it (its lease is absent or ran out by :now). */
const batchOpenAndFree = 'attribute_exists(pk) AND #status <> :done AND (attribute_not_exists(leaseUntil) OR leaseUntil <= :now)';

export class DynamoInvitationBatchStore implements InvitationBatchStore {
  constructor(private readonly tableName: string) {}

  private write(parts: TransactPart[], events: readonly PendingEvent[], at?: string): Promise<void> {
    return transact([...parts, ...eventParts(events, { tableName: this.tableName, ...(at ? { at } : {}) })], {
      retryForMs: conflictRetryMs,
    });
  }

  async putBatch(batch: InvitationBatch, events: readonly PendingEvent[]): Promise<void> {
    await this.write(
      [
        part('batch', {
          Put: {
            TableName: this.tableName,
            Item: {
              ...batchKey(batch.webinarId, batch.batchId),
              type: 'invitation-batch',
              gsi1pk: openBatchesPartition,
              gsi1sk: `${batch.createdAt}#${batch.batchId}`,
              ...batch,
            },
            ConditionExpression: 'attribute_not_exists(pk)',
          },
        }),
      ],
      events,
      batch.createdAt,
    );
  }

  async getBatch(webinarId: string, batchId: string): Promise<InvitationBatch | undefined> {
    const { Item } = await dynamo().send(
      new GetCommand({ TableName: this.tableName, Key: batchKey(webinarId, batchId), ConsistentRead: true }),
    );
    return decode(StoredInvitationBatch, Item);
  }

  async listOpenBatches(): Promise<InvitationBatch[]> {
    const items = await queryAll({
      TableName: this.tableName,
      IndexName: 'gsi1',
      KeyConditionExpression: 'gsi1pk = :open',
      ExpressionAttributeValues: { ':open': openBatchesPartition },
    });
    return decodeAll(StoredInvitationBatch, items);
  }

  async claimBatch(
    webinarId: string,
    batchId: string,
    owner: string,
    now: string,
    until: string,
  ): Promise<InvitationBatch | undefined> {
    const claimed = await conditionally(() =>
      dynamo().send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: batchKey(webinarId, batchId),
          UpdateExpression: 'SET leaseUntil = :until, leaseOwner = :owner ADD invocations :one',
          ConditionExpression: batchOpenAndFree,
          ExpressionAttributeNames: { '#status': 'status' },
          ExpressionAttributeValues: { ':until': until, ':owner': owner, ':one': 1, ':now': now, ':done': 'done' },
          ReturnValues: 'ALL_NEW',
        }),
      ),
    );
    return decode(StoredInvitationBatch, claimed?.Attributes);
  }

  releaseBatch(webinarId: string, batchId: string, owner: string, events: readonly PendingEvent[]): Promise<boolean> {
    return committedUnless('lease', () =>
      this.write(
        [
          part('lease', {
            Update: {
              TableName: this.tableName,
              Key: batchKey(webinarId, batchId),
              UpdateExpression: 'REMOVE leaseUntil, leaseOwner',
              ConditionExpression: 'leaseOwner = :owner',
              ExpressionAttributeValues: { ':owner': owner },
            },
          }),
        ],
        events,
      ),
    );
  }

  resumeBatch(webinarId: string, batchId: string, now: string, events: readonly PendingEvent[]): Promise<boolean> {
    return committedUnless('batch', () =>
      this.write(
        [
          part('batch', {
            ConditionCheck: {
              TableName: this.tableName,
              Key: batchKey(webinarId, batchId),
              ConditionExpression: batchOpenAndFree,
              ExpressionAttributeNames: { '#status': 'status' },
              ExpressionAttributeValues: { ':now': now, ':done': 'done' },
            },
          }),
        ],
        events,
        now,
      ),
    );
  }

  async finishGathering(batch: InvitationBatch, recipients: number, skipped: number, at: string): Promise<void> {
    // Refused: another gathering of this batch finished first, and its counts stand.
    await conditionally(() =>
      dynamo().send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: batchKey(batch.webinarId, batch.batchId),
          UpdateExpression:
            'SET recipients = :recipients, skipped = :skipped, expandedAt = :at, #status = :sending REMOVE extraInvitees',
          ConditionExpression: 'attribute_not_exists(expandedAt)',
          ExpressionAttributeNames: { '#status': 'status' },
          ExpressionAttributeValues: { ':recipients': recipients, ':skipped': skipped, ':at': at, ':sending': 'sending' },
        }),
      ),
    );
  }

  async queuedInvitations(batchId: string, limit: number, afterEmail?: string): Promise<Invitation[]> {
    const { Items } = await dynamo().send(
      new QueryCommand({
        TableName: this.tableName,
        IndexName: 'gsi1',
        KeyConditionExpression: afterEmail ? 'gsi1pk = :queue AND gsi1sk > :after' : 'gsi1pk = :queue',
        ExpressionAttributeValues: {
          ':queue': invitationQueuePartition(batchId, 'QUEUED'),
          ...(afterEmail ? { ':after': afterEmail } : {}),
        },
        Limit: limit,
      }),
    );
    return decodeAll(StoredInvitation, Items ?? []);
  }

  async listFailedInvitations(batchId: string): Promise<Invitation[]> {
    const items = await queryAll({
      TableName: this.tableName,
      IndexName: 'gsi1',
      KeyConditionExpression: 'gsi1pk = :failed',
      ExpressionAttributeValues: { ':failed': invitationQueuePartition(batchId, 'FAILED') },
    });
    return decodeAll(StoredInvitation, items);
  }

  settleInvitation(invitation: Invitation, outcome: InvitationSettlement, at: string): Promise<boolean> {
    return committedUnless('invitation', () =>
      this.write(
        [
          settledInvitationPart(this.tableName, invitation, outcome, at),
          part('count', {
            Update: {
              TableName: this.tableName,
              Key: batchKey(invitation.webinarId, invitation.batchId),
              UpdateExpression: `ADD ${outcome.sent ? 'sent' : 'failed'} :one`,
              ConditionExpression: 'attribute_exists(pk)',
              ExpressionAttributeValues: { ':one': 1 },
            },
          }),
        ],
        [],
      ),
    );
  }

  async countThrottled(webinarId: string, batchId: string, times: number): Promise<void> {
    if (times <= 0) return;
    await dynamo().send(
      new UpdateCommand({
        TableName: this.tableName,
        Key: batchKey(webinarId, batchId),
        UpdateExpression: 'ADD throttled :n',
        ConditionExpression: 'attribute_exists(pk)',
        ExpressionAttributeValues: { ':n': times },
      }),
    );
  }

  finishBatch(settled: InvitationBatch, at: string, events: readonly PendingEvent[]): Promise<boolean> {
    return committedUnless('batch', () =>
      this.write(
        [
          part('batch', {
            Update: {
              TableName: this.tableName,
              Key: batchKey(settled.webinarId, settled.batchId),
              UpdateExpression: 'SET #status = :done, finishedAt = :at REMOVE gsi1pk, gsi1sk, leaseUntil, leaseOwner',
              ConditionExpression: '#status = :sending AND sent = :sent AND failed = :failed',
              ExpressionAttributeNames: { '#status': 'status' },
              ExpressionAttributeValues: {
                ':done': 'done',
                ':sending': 'sending',
                ':at': at,
                ':sent': settled.sent,
                ':failed': settled.failed,
              },
            },
          }),
        ],
        events,
        at,
      ),
    );
  }
}
