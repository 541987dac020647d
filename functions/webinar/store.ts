// DynamoDB access for webinars: the webinar with its seat and waiting-list counters, registrations
// with their one-per-email guard, invitations (per-recipient state) and invitation batches. A change
// that announces something takes its events and writes them in the same transaction (the outbox).
import {
  ConditionalCheckFailedException,
  TransactionCanceledException,
  TransactionConflictException,
} from '@aws-sdk/client-dynamodb';
import { unmarshall } from '@aws-sdk/util-dynamodb';
import { GetCommand, PutCommand, QueryCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { dynamo } from '../shared/aws.js';
import { batchKey, emailGuardKey, invitationKey, registrationKey, webinarKey } from '../shared/keys.js';
import { ServiceUnavailableError } from '../shared/errors.js';
import { eventParts, type PendingEvent } from '../shared/outbox.js';
import { part, transact, TransactionRefused, type TransactPart } from '../shared/transactions.js';
import type { Invitation, InvitationBatch, Registration, Webinar, WebinarChange } from './domain.js';

// Keys: functions/shared/keys.ts (webinars, registrations and invitation batches).
const openBatches = 'INVITATION-BATCHES#OPEN';
const batchQueue = (batchId: string, state: 'QUEUED' | 'FAILED') => `BATCH#${batchId}#${state}`;

const strip = <T>(item: Record<string, unknown>): T => {
  const { pk: _pk, sk: _sk, gsi1pk: _g1, gsi1sk: _g2, type: _t, ...rest } = item;
  return rest as T;
};

// --- Named pieces of the seat conditions -------------------------------------------------------
/** The webinar exists and still takes registrations at :now. */
const registrationOpen = 'attribute_exists(pk) AND registrationClosesAt > :now';
/** A seat is free and nobody is waiting for it: a newcomer must not overtake the waiting list. */
const seatFreeForNewcomer = 'confirmed < seats AND waitlistSeq = waitlistLeft';
/** The opposite: the newcomer's place is on the waiting list. */
const newcomerWaits = '(confirmed >= seats OR waitlistSeq > waitlistLeft)';
/** A freed seat can go to the first of the waiting list. */
const seatFree = 'confirmed < seats';
/** Attendance is not already recorded as :attended (marking it again is no change, and announces nothing). */
const attendanceDiffers = '(attribute_not_exists(attended) OR attended <> :attended)';
/** A batch is still to send and no live sender holds it (its lease is absent or ran out by :now). */
const batchOpenAndFree = 'attribute_exists(pk) AND #status <> :done AND (attribute_not_exists(leaseUntil) OR leaseUntil <= :now)';

export { TransactionRefused };

/** How long a write on the webinar item keeps retrying conflicts with concurrent transactions. */
const conflictRetryMs = 8_000;

const isConflict = (error: unknown) =>
  error instanceof TransactionConflictException ||
  (error instanceof TransactionCanceledException &&
    (error.CancellationReasons ?? []).some((r) => r.Code === 'TransactionConflict') &&
    !(error.CancellationReasons ?? []).some((r) => r.Code === 'ConditionalCheckFailed'));

/**
 * Runs `write` again while it collides with a concurrent transaction on the same item (the seat
 * counters are one hot item). A collision says nothing about our conditions, so trying again is
 * right; after `conflictRetryMs` the caller gets a 503, with nothing written.
 */
async function retryingConflicts<T>(write: () => Promise<T>): Promise<T> {
  const deadline = Date.now() + conflictRetryMs;
  for (let attempt = 1; ; attempt++) {
    try {
      return await write();
    } catch (error) {
      if (!isConflict(error)) throw error;
      if (Date.now() > deadline)
        throw new ServiceUnavailableError('Too many registrations at once; please try again', { cause: error });
      const ceiling = Math.min(400, 10 * 2 ** Math.min(attempt, 6));
      await new Promise((resolve) => setTimeout(resolve, Math.random() * ceiling));
    }
  }
}

export type SeatOutcome = { outcome: 'seat' } | { outcome: 'wait' } | { outcome: 'refused'; webinar?: Webinar };
export type TicketOutcome =
  { outcome: 'ticket'; ticket: number; position: number } | { outcome: 'seat-free' } | { outcome: 'refused'; webinar?: Webinar };

export class WebinarStore {
  constructor(private readonly tableName: string) {}

  /**
   * Writes the state change's parts and its events in one transaction: the events exist exactly
   * when the change committed. A refusal names the state part whose condition failed.
   */
  private write(parts: TransactPart[], events: readonly PendingEvent[], at?: string): Promise<void> {
    return transact([...parts, ...eventParts(events, { tableName: this.tableName, ...(at ? { at } : {}) })], {
      retryForMs: conflictRetryMs,
    });
  }

  // --- Webinars ----------------------------------------------------------------------------------

  async putNewWebinar(webinar: Webinar, events: readonly PendingEvent[]): Promise<void> {
    await this.write(
      [
        part('webinar', {
          Put: {
            TableName: this.tableName,
            Item: {
              ...webinarKey(webinar.webinarId),
              type: 'webinar',
              gsi1pk: 'WEBINARS',
              gsi1sk: `${webinar.startsAt}#${webinar.webinarId}`,
              ...webinar,
            },
            ConditionExpression: 'attribute_not_exists(pk)',
          },
        }),
      ],
      events,
      webinar.createdAt,
    );
  }

  async getWebinar(webinarId: string): Promise<Webinar | undefined> {
    const { Item } = await dynamo().send(
      new GetCommand({ TableName: this.tableName, Key: webinarKey(webinarId), ConsistentRead: true }),
    );
    return Item ? strip<Webinar>(Item) : undefined;
  }

  /** Webinars starting between the two times (ISO), by start. */
  async listWebinarsStarting(from: string, to: string): Promise<Webinar[]> {
    return this.queryAll<Webinar>({
      IndexName: 'gsi1',
      KeyConditionExpression: 'gsi1pk = :webinars AND gsi1sk BETWEEN :from AND :to',
      ExpressionAttributeValues: { ':webinars': 'WEBINARS', ':from': from, ':to': `${to}~` },
    });
  }

  /**
   * Applies a coordinator's change. Seats never go below the seats already taken: that is part of
   * the write's condition, since registrations may land between our read and this write. Undefined
   * when the condition failed (nothing, events included, was written); else the webinar as it is now.
   */
  async updateWebinar(
    webinarId: string,
    change: WebinarChange,
    reschedules: boolean,
    events: readonly PendingEvent[],
  ): Promise<Webinar | undefined> {
    const names: Record<string, string> = {};
    const values: Record<string, unknown> = {};
    const sets = Object.entries(change)
      .filter(([, value]) => value !== undefined)
      .map(([name, value]) => {
        names[`#${name}`] = name;
        values[`:${name}`] = value;
        return `#${name} = :${name}`;
      });
    if (change.startsAt) {
      sets.push('gsi1sk = :gsi1sk');
      values[':gsi1sk'] = `${change.startsAt}#${webinarId}`;
    }
    const adds = reschedules ? ' ADD #sequence :one' : '';
    if (reschedules) {
      names['#sequence'] = 'sequence';
      values[':one'] = 1;
    }
    const conditions = ['attribute_exists(pk)'];
    if (change.seats !== undefined) conditions.push('confirmed <= :seats');
    try {
      await this.write(
        [
          part('webinar', {
            Update: {
              TableName: this.tableName,
              Key: webinarKey(webinarId),
              UpdateExpression: `SET ${sets.join(', ')}${adds}`,
              ConditionExpression: conditions.join(' AND '),
              ExpressionAttributeNames: names,
              ExpressionAttributeValues: values,
            },
          }),
        ],
        events,
      );
    } catch (error) {
      if (error instanceof TransactionRefused && error.refused('webinar')) return undefined;
      throw error;
    }
    // A transaction returns no values: read the webinar as the change left it (and whatever came since).
    return this.getWebinar(webinarId);
  }

  async markNoticesDone(webinarId: string, kind: 'reminder' | 'thanks', at: string): Promise<void> {
    const field = kind === 'reminder' ? 'remindersDoneAt' : 'thanksDoneAt';
    await retryingConflicts(() =>
      dynamo().send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: webinarKey(webinarId),
          UpdateExpression: `SET ${field} = if_not_exists(${field}, :at)`,
          ConditionExpression: 'attribute_exists(pk)',
          ExpressionAttributeValues: { ':at': at },
        }),
      ),
    );
  }

  // --- Seats and the waiting list ------------------------------------------------------------------

  /**
   * Takes a seat for a newcomer, if one is free and nobody waits. One conditional update of the
   * webinar item: DynamoDB applies them one at a time, so `confirmed` never passes `seats`.
   */
  async takeSeat(webinarId: string, now: string): Promise<SeatOutcome> {
    try {
      await retryingConflicts(() =>
        dynamo().send(
          new UpdateCommand({
            TableName: this.tableName,
            Key: webinarKey(webinarId),
            UpdateExpression: 'ADD confirmed :one SET countersAt = :now',
            ConditionExpression: `${registrationOpen} AND ${seatFreeForNewcomer}`,
            ExpressionAttributeValues: { ':one': 1, ':now': now },
            ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
          }),
        ),
      );
      return { outcome: 'seat' };
    } catch (error) {
      if (!(error instanceof ConditionalCheckFailedException)) throw error;
      const old = error.Item ? (unmarshall(error.Item as never) as Webinar) : undefined;
      if (!old || old.registrationClosesAt <= now)
        return { outcome: 'refused', ...(old ? { webinar: strip<Webinar>(old as never) } : {}) };
      return { outcome: 'wait' };
    }
  }

  /**
   * Hands out the next waiting-list ticket, with an atomic counter: ticket = waitlistSeq after the
   * increment, and the position told is the ticket less those who had already left the list when it
   * was handed out (read in the same write, so no two people are told the same position).
   */
  async takeTicket(webinarId: string, now: string): Promise<TicketOutcome> {
    try {
      const { Attributes } = await retryingConflicts(() =>
        dynamo().send(
          new UpdateCommand({
            TableName: this.tableName,
            Key: webinarKey(webinarId),
            UpdateExpression: 'ADD waitlistSeq :one SET countersAt = :now',
            ConditionExpression: `${registrationOpen} AND ${newcomerWaits}`,
            ExpressionAttributeValues: { ':one': 1, ':now': now },
            ReturnValues: 'ALL_NEW',
            ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
          }),
        ),
      );
      const ticket = Number(Attributes!.waitlistSeq);
      return { outcome: 'ticket', ticket, position: ticket - Number(Attributes!.waitlistLeft ?? 0) };
    } catch (error) {
      if (!(error instanceof ConditionalCheckFailedException)) throw error;
      const old = error.Item ? (unmarshall(error.Item as never) as Webinar) : undefined;
      if (!old || old.registrationClosesAt <= now)
        return { outcome: 'refused', ...(old ? { webinar: strip<Webinar>(old as never) } : {}) };
      return { outcome: 'seat-free' };
    }
  }

  /** Gives back a seat or ticket that no registration ended up holding (the email was registered at the same moment). */
  async giveBack(webinarId: string, what: 'seat' | 'ticket', now: string): Promise<void> {
    await retryingConflicts(() =>
      dynamo().send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: webinarKey(webinarId),
          UpdateExpression: `ADD ${what === 'seat' ? 'confirmed :minusOne' : 'waitlistLeft :one'} SET countersAt = :now`,
          ConditionExpression: 'attribute_exists(pk)',
          ExpressionAttributeValues: what === 'seat' ? { ':minusOne': -1, ':now': now } : { ':one': 1, ':now': now },
        }),
      ),
    );
  }

  /** The registration holding an email's place in a webinar, if any. */
  async registrationIdFor(webinarId: string, email: string): Promise<string | undefined> {
    const { Item } = await dynamo().send(
      new GetCommand({ TableName: this.tableName, Key: emailGuardKey(webinarId, email), ConsistentRead: true }),
    );
    return Item ? String(Item.registrationId) : undefined;
  }

  /**
   * Stores a new registration with its email guard and its events, in one transaction. Returns
   * `duplicate` with the registration id that already holds the email (and writes nothing).
   */
  async putRegistration(
    registration: Registration,
    events: readonly PendingEvent[],
  ): Promise<{ outcome: 'created' } | { outcome: 'duplicate'; registrationId: string }> {
    try {
      await this.write(
        [
          part('guard', {
            Put: {
              TableName: this.tableName,
              Item: {
                ...emailGuardKey(registration.webinarId, registration.email),
                type: 'email-guard',
                registrationId: registration.registrationId,
              },
              ConditionExpression: 'attribute_not_exists(pk)',
              ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
            },
          }),
          part('registration', {
            Put: {
              TableName: this.tableName,
              Item: this.registrationItem(registration),
              ConditionExpression: 'attribute_not_exists(pk)',
            },
          }),
        ],
        events,
        registration.registeredAt,
      );
      return { outcome: 'created' };
    } catch (error) {
      if (error instanceof TransactionRefused && error.refused('guard')) {
        return { outcome: 'duplicate', registrationId: String(error.oldValue('guard')?.registrationId) };
      }
      throw error;
    }
  }

  private registrationItem(registration: Registration) {
    return {
      ...registrationKey(registration.registrationId),
      type: 'registration',
      gsi1pk: `WEBINAR#${registration.webinarId}#REGISTRATIONS`,
      gsi1sk: `${registration.registeredAt}#${registration.registrationId}`,
      ...registration,
    };
  }

  async getRegistration(registrationId: string): Promise<Registration | undefined> {
    const { Item } = await dynamo().send(
      new GetCommand({ TableName: this.tableName, Key: registrationKey(registrationId), ConsistentRead: true }),
    );
    return Item ? strip<Registration>(Item) : undefined;
  }

  /** Every registration of a webinar, in order of registration. */
  async listRegistrations(webinarId: string): Promise<Registration[]> {
    return this.queryAll<Registration>({
      IndexName: 'gsi1',
      KeyConditionExpression: 'gsi1pk = :webinar',
      ExpressionAttributeValues: { ':webinar': `WEBINAR#${webinarId}#REGISTRATIONS` },
    });
  }

  /**
   * Cancels, freeing what the registration held (a seat, or its place on the waiting list) and its
   * email, with its events, in one transaction conditional on the status it was read with. A refusal
   * (TransactionRefused on `registration`) wrote nothing.
   */
  async cancel(registration: Registration, at: string, events: readonly PendingEvent[]): Promise<void> {
    const from = registration.status;
    await this.write(
      [
        part('registration', {
          Update: {
            TableName: this.tableName,
            Key: registrationKey(registration.registrationId),
            UpdateExpression: 'SET #status = :cancelled, cancelledAt = :at, cancelledFrom = :from',
            ConditionExpression: '#status = :from',
            ExpressionAttributeNames: { '#status': 'status' },
            ExpressionAttributeValues: { ':cancelled': 'cancelled', ':at': at, ':from': from },
          },
        }),
        part('counters', {
          Update: {
            TableName: this.tableName,
            Key: webinarKey(registration.webinarId),
            UpdateExpression: `ADD ${from === 'confirmed' ? 'confirmed :minusOne' : 'waitlistLeft :one'} SET countersAt = :at`,
            ConditionExpression: 'attribute_exists(pk)',
            ExpressionAttributeValues: from === 'confirmed' ? { ':minusOne': -1, ':at': at } : { ':one': 1, ':at': at },
          },
        }),
        part('guard', {
          Delete: {
            TableName: this.tableName,
            Key: emailGuardKey(registration.webinarId, registration.email),
            ConditionExpression: 'attribute_not_exists(pk) OR registrationId = :id',
            ExpressionAttributeValues: { ':id': registration.registrationId },
          },
        }),
      ],
      events,
      at,
    );
  }

  /**
   * Gives a freed seat to a waitlisted registration: the seat is taken (`confirmed < seats`) and the
   * ticket leaves the list in the same transaction as the registration's move to `confirmed` and
   * its events. Returns `full` when no seat is free, `moved` when the registration is no longer
   * waiting; then nothing, events included, was written.
   */
  async promote(registration: Registration, at: string, events: readonly PendingEvent[]): Promise<'promoted' | 'full' | 'moved'> {
    try {
      await this.write(
        [
          part('seat', {
            Update: {
              TableName: this.tableName,
              Key: webinarKey(registration.webinarId),
              UpdateExpression: 'ADD confirmed :one, waitlistLeft :one SET countersAt = :at',
              ConditionExpression: `attribute_exists(pk) AND ${seatFree} AND startsAt > :at`,
              ExpressionAttributeValues: { ':one': 1, ':at': at },
            },
          }),
          part('registration', {
            Update: {
              TableName: this.tableName,
              Key: registrationKey(registration.registrationId),
              UpdateExpression: 'SET #status = :confirmed, confirmedAt = :at, promotedAt = :at',
              ConditionExpression: '#status = :waitlisted',
              ExpressionAttributeNames: { '#status': 'status' },
              ExpressionAttributeValues: { ':confirmed': 'confirmed', ':waitlisted': 'waitlisted', ':at': at },
            },
          }),
        ],
        events,
        at,
      );
      return 'promoted';
    } catch (error) {
      if (!(error instanceof TransactionRefused)) throw error;
      if (error.refused('seat')) return 'full';
      if (error.refused('registration')) return 'moved';
      throw error;
    }
  }

  /**
   * Sets the counters to what the registrations say, for counts left wrong by a writer that died
   * between taking a seat or ticket and storing its registration. Conditional on the counters being
   * exactly as read, so nothing that happened since is overwritten.
   */
  async reconcileCounters(seen: Webinar, actual: { confirmed: number; waiting: number }, at: string): Promise<boolean> {
    try {
      await dynamo().send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: webinarKey(seen.webinarId),
          UpdateExpression: 'SET confirmed = :confirmed, waitlistLeft = :left, countersCheckedAt = :at',
          ConditionExpression: 'confirmed = :seenConfirmed AND waitlistSeq = :seenSeq AND waitlistLeft = :seenLeft',
          ExpressionAttributeValues: {
            ':confirmed': actual.confirmed,
            ':left': seen.waitlistSeq - actual.waiting,
            ':at': at,
            ':seenConfirmed': seen.confirmed,
            ':seenSeq': seen.waitlistSeq,
            ':seenLeft': seen.waitlistLeft,
          },
        }),
      );
      return true;
    } catch (error) {
      if (error instanceof ConditionalCheckFailedException) return false;
      throw error;
    }
  }

  /**
   * Records attendance on a confirmed registration of the webinar, with its events. `unchanged`:
   * it was already marked so (a repeat writes nothing, no event either); `refused`: it is not a
   * confirmed registration of the webinar (any more).
   */
  async markAttendance(
    registrationId: string,
    webinarId: string,
    attended: boolean,
    at: string,
    events: readonly PendingEvent[],
  ): Promise<'marked' | 'unchanged' | 'refused'> {
    try {
      await this.write(
        [
          part('registration', {
            Update: {
              TableName: this.tableName,
              Key: registrationKey(registrationId),
              UpdateExpression: 'SET attended = :attended, attendanceMarkedAt = :at',
              ConditionExpression: `webinarId = :webinarId AND #status = :confirmed AND ${attendanceDiffers}`,
              ExpressionAttributeNames: { '#status': 'status' },
              ExpressionAttributeValues: { ':attended': attended, ':at': at, ':webinarId': webinarId, ':confirmed': 'confirmed' },
              ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
            },
          }),
        ],
        events,
        at,
      );
      return 'marked';
    } catch (error) {
      if (!(error instanceof TransactionRefused) || !error.refused('registration')) throw error;
      const old = error.oldValue('registration');
      const already = old?.webinarId === webinarId && old.status === 'confirmed' && old.attended === attended;
      return already ? 'unchanged' : 'refused';
    }
  }

  // --- Invitation batches --------------------------------------------------------------------------

  async putBatch(batch: InvitationBatch, events: readonly PendingEvent[]): Promise<void> {
    await this.write(
      [
        part('batch', {
          Put: {
            TableName: this.tableName,
            Item: {
              ...batchKey(batch.webinarId, batch.batchId),
              type: 'invitation-batch',
              gsi1pk: openBatches,
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
    return Item ? strip<InvitationBatch>(Item) : undefined;
  }

  /** Batches not yet done, oldest first. */
  async listOpenBatches(): Promise<InvitationBatch[]> {
    return this.queryAll<InvitationBatch>({
      IndexName: 'gsi1',
      KeyConditionExpression: 'gsi1pk = :open',
      ExpressionAttributeValues: { ':open': openBatches },
    });
  }

  /**
   * Takes the batch for one sender until `until`. Free, or held by a sender whose lease has run out
   * (it crashed or was stopped): then the new sender resumes where the state in the table says.
   */
  async claimBatch(
    webinarId: string,
    batchId: string,
    owner: string,
    now: string,
    until: string,
  ): Promise<InvitationBatch | undefined> {
    try {
      const { Attributes } = await dynamo().send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: batchKey(webinarId, batchId),
          UpdateExpression: 'SET leaseUntil = :until, leaseOwner = :owner ADD invocations :one',
          ConditionExpression: batchOpenAndFree,
          ExpressionAttributeNames: { '#status': 'status' },
          ExpressionAttributeValues: { ':until': until, ':owner': owner, ':one': 1, ':now': now, ':done': 'done' },
          ReturnValues: 'ALL_NEW',
        }),
      );
      return Attributes ? strip<InvitationBatch>(Attributes) : undefined;
    } catch (error) {
      if (error instanceof ConditionalCheckFailedException) return undefined;
      throw error;
    }
  }

  /**
   * Lets go of the batch, with the events that hand it on (the continuation), in one transaction.
   * False when `owner` no longer holds it (its lease ran out and another sender took it): then
   * nothing is written, and the sender holding it carries on.
   */
  async releaseBatch(webinarId: string, batchId: string, owner: string, events: readonly PendingEvent[]): Promise<boolean> {
    try {
      await this.write(
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
      );
      return true;
    } catch (error) {
      if (error instanceof TransactionRefused && error.refused('lease')) return false;
      throw error;
    }
  }

  /**
   * Writes the events that hand a batch to a new sender, if it is still open and nobody holds it at
   * `now` (checked in the same transaction, so a batch that finished or was taken meanwhile gets none).
   */
  async resumeBatch(webinarId: string, batchId: string, now: string, events: readonly PendingEvent[]): Promise<boolean> {
    try {
      await this.write(
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
      );
      return true;
    } catch (error) {
      if (error instanceof TransactionRefused && error.refused('batch')) return false;
      throw error;
    }
  }

  /**
   * Makes `batchId` the owner of the invitation of `recipient`, unless another batch already has it
   * (sent, or queued to send): that address is `skipped`, which is what keeps a second press of
   * "send" from mailing anyone twice. A failed invitation of an earlier batch is taken over (retried).
   */
  async claimInvitation(invitation: Invitation): Promise<'claimed' | 'skipped'> {
    const queueKeys = { gsi1pk: batchQueue(invitation.batchId, 'QUEUED'), gsi1sk: invitation.email };
    try {
      await dynamo().send(
        new PutCommand({
          TableName: this.tableName,
          Item: { ...invitationKey(invitation.webinarId, invitation.email), type: 'invitation', ...queueKeys, ...invitation },
          ConditionExpression: 'attribute_not_exists(pk)',
          ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
        }),
      );
      return 'claimed';
    } catch (error) {
      if (!(error instanceof ConditionalCheckFailedException)) throw error;
      const old = error.Item ? (unmarshall(error.Item as never) as Invitation) : undefined;
      if (old?.batchId === invitation.batchId) return 'claimed'; // ours already: a resumed gathering
      if (old?.status !== 'failed') return 'skipped';
      try {
        await dynamo().send(
          new UpdateCommand({
            TableName: this.tableName,
            Key: invitationKey(invitation.webinarId, invitation.email),
            UpdateExpression:
              'SET batchId = :batchId, #status = :queued, queuedAt = :at, gsi1pk = :gsi1pk, gsi1sk = :gsi1sk REMOVE reason, failedAt',
            ConditionExpression: 'batchId = :oldBatch AND #status = :failed',
            ExpressionAttributeNames: { '#status': 'status' },
            ExpressionAttributeValues: {
              ':batchId': invitation.batchId,
              ':queued': 'queued',
              ':at': invitation.queuedAt,
              ':gsi1pk': queueKeys.gsi1pk,
              ':gsi1sk': queueKeys.gsi1sk,
              ':oldBatch': old.batchId,
              ':failed': 'failed',
            },
          }),
        );
        return 'claimed';
      } catch (retake) {
        if (retake instanceof ConditionalCheckFailedException) return 'skipped';
        throw retake;
      }
    }
  }

  async getInvitation(webinarId: string, email: string): Promise<Invitation | undefined> {
    const { Item } = await dynamo().send(new GetCommand({ TableName: this.tableName, Key: invitationKey(webinarId, email) }));
    return Item ? strip<Invitation>(Item) : undefined;
  }

  /** Records the gathered recipients and starts sending; the first gathering to finish wins. */
  async finishGathering(batch: InvitationBatch, recipients: number, skipped: number, at: string): Promise<void> {
    try {
      await dynamo().send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: batchKey(batch.webinarId, batch.batchId),
          UpdateExpression:
            'SET recipients = :recipients, skipped = :skipped, expandedAt = :at, #status = :sending REMOVE extraInvitees',
          ConditionExpression: 'attribute_not_exists(expandedAt)',
          ExpressionAttributeNames: { '#status': 'status' },
          ExpressionAttributeValues: { ':recipients': recipients, ':skipped': skipped, ':at': at, ':sending': 'sending' },
        }),
      );
    } catch (error) {
      if (!(error instanceof ConditionalCheckFailedException)) throw error;
    }
  }

  /** Invitations of the batch still to send, by address, after `afterEmail` if given; at most `limit`. */
  async queuedInvitations(batchId: string, limit: number, afterEmail?: string): Promise<Invitation[]> {
    const { Items } = await dynamo().send(
      new QueryCommand({
        TableName: this.tableName,
        IndexName: 'gsi1',
        KeyConditionExpression: afterEmail ? 'gsi1pk = :queue AND gsi1sk > :after' : 'gsi1pk = :queue',
        ExpressionAttributeValues: { ':queue': batchQueue(batchId, 'QUEUED'), ...(afterEmail ? { ':after': afterEmail } : {}) },
        Limit: limit,
      }),
    );
    return (Items ?? []).map((item) => strip<Invitation>(item));
  }

  async listFailedInvitations(batchId: string): Promise<Invitation[]> {
    return this.queryAll<Invitation>({
      IndexName: 'gsi1',
      KeyConditionExpression: 'gsi1pk = :failed',
      ExpressionAttributeValues: { ':failed': batchQueue(batchId, 'FAILED') },
    });
  }

  /**
   * Settles one invitation (sent, or failed for good) and counts it on its batch, in one transaction
   * conditional on it still being queued in this batch: a repeat changes and counts nothing.
   */
  async settleInvitation(
    invitation: Invitation,
    outcome: { sent: true } | { sent: false; reason: string },
    at: string,
  ): Promise<boolean> {
    const update = outcome.sent
      ? { expression: 'SET #status = :sent, sentAt = :at REMOVE gsi1pk, gsi1sk', values: { ':sent': 'sent' } }
      : {
          expression: 'SET #status = :failed, failedAt = :at, reason = :reason, gsi1pk = :failedQueue',
          values: {
            ':failed': 'failed',
            ':reason': outcome.reason.slice(0, 500),
            ':failedQueue': batchQueue(invitation.batchId, 'FAILED'),
          },
        };
    try {
      await this.write(
        [
          part('invitation', {
            Update: {
              TableName: this.tableName,
              Key: invitationKey(invitation.webinarId, invitation.email),
              UpdateExpression: update.expression,
              ConditionExpression: '#status = :queued AND batchId = :batchId',
              ExpressionAttributeNames: { '#status': 'status' },
              ExpressionAttributeValues: { ...update.values, ':at': at, ':queued': 'queued', ':batchId': invitation.batchId },
            },
          }),
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
      );
      return true;
    } catch (error) {
      if (error instanceof TransactionRefused && error.refused('invitation')) return false;
      throw error;
    }
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

  /**
   * Marks the batch done (and out of the open listing). `settled` is the batch as read, with every
   * recipient settled; the write (with its events) holds only if nothing was counted since and the
   * batch is not done already: a repeat writes nothing.
   */
  async finishBatch(settled: InvitationBatch, at: string, events: readonly PendingEvent[]): Promise<boolean> {
    try {
      await this.write(
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
      );
      return true;
    } catch (error) {
      if (error instanceof TransactionRefused && error.refused('batch')) return false;
      throw error;
    }
  }

  private async queryAll<T>(input: {
    IndexName?: string;
    KeyConditionExpression: string;
    ExpressionAttributeValues: Record<string, unknown>;
  }): Promise<T[]> {
    const items: T[] = [];
    let ExclusiveStartKey: Record<string, unknown> | undefined;
    do {
      const page = await dynamo().send(new QueryCommand({ TableName: this.tableName, ...input, ExclusiveStartKey }));
      items.push(...(page.Items ?? []).map((item) => strip<T>(item)));
      ExclusiveStartKey = page.LastEvaluatedKey;
    } while (ExclusiveStartKey);
    return items;
  }
}
