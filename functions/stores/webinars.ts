// The webinar repository: the webinar with its seat and waiting-list counters, registrations with
// their one-per-email guard, promotions, attendance, and invitations (one per address per webinar,
// whichever batch sends it). A change that announces something takes its events and writes them in
// the same transaction (the outbox).
import { TransactionConflictException } from '@aws-sdk/client-dynamodb';
import { GetCommand, PutCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import {
  StoredEmailGuard,
  StoredInvitation,
  StoredRegistration,
  StoredWebinar,
  type Invitation,
  type Registration,
  type Webinar,
} from '../../schemas/stored/webinar.js';
import { dynamo } from '../shared/aws.js';
import { queryAll } from '../shared/dynamo-query.js';
import { ServiceUnavailableError } from '../shared/errors.js';
import { decode, decodeAll } from '../shared/items.js';
import {
  emailGuardKey,
  invitationKey,
  invitationQueuePartition,
  registrationKey,
  webinarKey,
  webinarListingSort,
  webinarRegistrationsPartition,
  webinarsPartition,
} from '../shared/keys.js';
import { eventParts, type PendingEvent } from '../shared/outbox.js';
import { retryWithBackoff } from '../shared/retry.js';
import {
  committedUnless,
  conditionally,
  part,
  refusalOf,
  succeeds,
  transact,
  type TransactPart,
} from '../shared/transactions.js';

/** The fields a coordinator may change on a webinar. */
export type WebinarChange = Partial<
  Pick<
    Webinar,
    | 'title'
    | 'description'
    | 'startsAt'
    | 'endsAt'
    | 'registrationClosesAt'
    | 'seats'
    | 'joinUrl'
    | 'languages'
    | 'feedbackUrl'
    | 'recordingUrl'
  >
>;

export type SeatOutcome = { outcome: 'seat' } | { outcome: 'wait' } | { outcome: 'refused'; webinar?: Webinar };
export type TicketOutcome =
  { outcome: 'ticket'; ticket: number; position: number } | { outcome: 'seat-free' } | { outcome: 'refused'; webinar?: Webinar };
export type RegistrationStored = { outcome: 'created' } | { outcome: 'duplicate'; registrationId: string };
export type PromotionOutcome = 'promoted' | 'full' | 'moved';
export type AttendanceOutcome = 'marked' | 'unchanged' | 'refused';
export type InvitationSettlement = { sent: true } | { sent: false; reason: string };

export interface WebinarStore {
  /** Stores a new webinar with its events. False (nothing written) when a webinar with its id exists. */
  putNewWebinar(webinar: Webinar, events: readonly PendingEvent[]): Promise<boolean>;
  getWebinar(webinarId: string): Promise<Webinar | undefined>;
  /** Webinars starting between the two times (ISO), by start. */
  listWebinarsStarting(from: string, to: string): Promise<Webinar[]>;
  /** A round's webinars, in start order. */
  listOfRound(roundId: string): Promise<Webinar[]>;
  /**
   * Applies a coordinator's change. Seats never go below the seats already taken (part of the
   * write's condition). Undefined when that refused it (nothing written); else the webinar as it is now.
   */
  updateWebinar(
    webinarId: string,
    change: WebinarChange,
    reschedules: boolean,
    events: readonly PendingEvent[],
  ): Promise<Webinar | undefined>;
  markNoticesDone(webinarId: string, kind: 'reminder' | 'thanks', at: string): Promise<void>;
  /** Takes a seat for a newcomer, if one is free and nobody waits (and registration is open at `now`). */
  takeSeat(webinarId: string, now: string): Promise<SeatOutcome>;
  /** Hands out the next waiting-list ticket, when the newcomer's place is on the list. */
  takeTicket(webinarId: string, now: string): Promise<TicketOutcome>;
  /** Gives back a seat or ticket that no registration ended up holding. */
  giveBack(webinarId: string, what: 'seat' | 'ticket', now: string): Promise<void>;
  /** The registration holding an email's place in a webinar, if any. */
  registrationIdFor(webinarId: string, email: string): Promise<string | undefined>;
  /** Stores a registration with its email guard and events; `duplicate` (nothing written) when the email has one. */
  putRegistration(registration: Registration, events: readonly PendingEvent[]): Promise<RegistrationStored>;
  getRegistration(registrationId: string): Promise<Registration | undefined>;
  /** Every registration of a webinar, in order of registration. */
  listRegistrations(webinarId: string): Promise<Registration[]>;
  /**
   * Cancels, freeing what the registration held and its email, with its events, conditional on the
   * status it was read with. False (nothing written) when that status is no longer so.
   */
  cancel(registration: Registration, at: string, events: readonly PendingEvent[]): Promise<boolean>;
  /** Gives a freed seat to a waitlisted registration (`full`: no seat free; `moved`: no longer waiting). */
  promote(registration: Registration, at: string, events: readonly PendingEvent[]): Promise<PromotionOutcome>;
  /** Sets the counters to what the registrations say, if they are still exactly as `seen`. */
  reconcileCounters(seen: Webinar, actual: { confirmed: number; waiting: number }, at: string): Promise<boolean>;
  /** Records attendance on a confirmed registration of the webinar (`unchanged`: already so, nothing written). */
  markAttendance(
    registrationId: string,
    webinarId: string,
    attended: boolean,
    at: string,
    events: readonly PendingEvent[],
  ): Promise<AttendanceOutcome>;
  /**
   * Makes `invitation.batchId` the owner of the address's invitation, unless another batch has it
   * (sent, or queued): `skipped`. A failed invitation of an earlier batch is taken over (retried).
   */
  claimInvitation(invitation: Invitation): Promise<'claimed' | 'skipped'>;
  getInvitation(webinarId: string, email: string): Promise<Invitation | undefined>;
}

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

/** How long a write on the webinar item keeps retrying conflicts with concurrent transactions. */
export const conflictRetryMs = 8_000;

/**
 * Runs a single write again while it collides with a concurrent transaction on the same item (the
 * seat counters are one hot item). A collision says nothing about our conditions; after
 * `conflictRetryMs` the caller gets a 503, with nothing written.
 */
const retryingConflicts = <T>(write: () => Promise<T>): Promise<T> =>
  retryWithBackoff(write, {
    retryable: (error) => error instanceof TransactionConflictException,
    forMs: conflictRetryMs,
    onDeadline: (error) => new ServiceUnavailableError('Too many registrations at once; please try again', { cause: error }),
  });

/**
 * The invitation item's part of a batch's settling (functions/stores/invitation-batches.ts): sent,
 * or failed for good, conditional on it still being queued in that batch.
 */
export function settledInvitationPart(
  tableName: string,
  invitation: Invitation,
  outcome: InvitationSettlement,
  at: string,
): TransactPart {
  const update = outcome.sent
    ? { expression: 'SET #status = :sent, sentAt = :at REMOVE gsi1pk, gsi1sk', values: { ':sent': 'sent' } }
    : {
        expression: 'SET #status = :failed, failedAt = :at, reason = :reason, gsi1pk = :failedQueue',
        values: {
          ':failed': 'failed',
          ':reason': outcome.reason.slice(0, 500),
          ':failedQueue': invitationQueuePartition(invitation.batchId, 'FAILED'),
        },
      };
  return part('invitation', {
    Update: {
      TableName: tableName,
      Key: invitationKey(invitation.webinarId, invitation.email),
      UpdateExpression: update.expression,
      ConditionExpression: '#status = :queued AND batchId = :batchId',
      ExpressionAttributeNames: { '#status': 'status' },
      ExpressionAttributeValues: { ...update.values, ':at': at, ':queued': 'queued', ':batchId': invitation.batchId },
    },
  });
}

export class DynamoWebinarStore implements WebinarStore {
  constructor(private readonly tableName: string) {}

  /** The state change's parts and its events in one transaction: the events exist exactly when the change committed. */
  private write(parts: TransactPart[], events: readonly PendingEvent[], at?: string): Promise<void> {
    return transact([...parts, ...eventParts(events, { tableName: this.tableName, ...(at ? { at } : {}) })], {
      retryForMs: conflictRetryMs,
    });
  }

  private async get(key: { pk: string; sk: string }): Promise<Record<string, unknown> | undefined> {
    const { Item } = await dynamo().send(new GetCommand({ TableName: this.tableName, Key: key, ConsistentRead: true }));
    return Item;
  }

  // --- Webinars ----------------------------------------------------------------------------------

  putNewWebinar(webinar: Webinar, events: readonly PendingEvent[]): Promise<boolean> {
    return committedUnless('webinar', () =>
      this.write(
        [
          part('webinar', {
            Put: {
              TableName: this.tableName,
              Item: {
                ...webinarKey(webinar.webinarId),
                type: 'webinar',
                gsi1pk: webinarsPartition,
                gsi1sk: webinarListingSort(webinar.startsAt, webinar.webinarId),
                ...webinar,
              },
              ConditionExpression: 'attribute_not_exists(pk)',
            },
          }),
        ],
        events,
        webinar.createdAt,
      ),
    );
  }

  async getWebinar(webinarId: string): Promise<Webinar | undefined> {
    return decode(StoredWebinar, await this.get(webinarKey(webinarId)));
  }

  async listOfRound(roundId: string): Promise<Webinar[]> {
    // The webinars partition in start order, filtered: a handful of webinars a year.
    const items = await queryAll({
      TableName: this.tableName,
      IndexName: 'gsi1',
      KeyConditionExpression: 'gsi1pk = :webinars',
      FilterExpression: 'roundId = :roundId',
      ExpressionAttributeValues: { ':webinars': webinarsPartition, ':roundId': roundId },
    });
    return decodeAll(StoredWebinar, items);
  }

  async listWebinarsStarting(from: string, to: string): Promise<Webinar[]> {
    const items = await queryAll({
      TableName: this.tableName,
      IndexName: 'gsi1',
      KeyConditionExpression: 'gsi1pk = :webinars AND gsi1sk BETWEEN :from AND :to',
      ExpressionAttributeValues: { ':webinars': webinarsPartition, ':from': from, ':to': `${to}~` },
    });
    return decodeAll(StoredWebinar, items);
  }

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
      values[':gsi1sk'] = webinarListingSort(change.startsAt, webinarId);
    }
    const adds = reschedules ? ' ADD #sequence :one' : '';
    if (reschedules) {
      names['#sequence'] = 'sequence';
      values[':one'] = 1;
    }
    const conditions = ['attribute_exists(pk)'];
    // Registrations may land between our read and this write: the seat floor is part of the condition.
    if (change.seats !== undefined) conditions.push('confirmed <= :seats');
    const written = await committedUnless('webinar', () =>
      this.write(
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
      ),
    );
    // A transaction returns no values: read the webinar as the change left it (and whatever came since).
    return written ? this.getWebinar(webinarId) : undefined;
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
   * One conditional increment of a counter on the webinar item: DynamoDB applies them one at a
   * time, so `confirmed` never passes `seats` and no two people get one ticket. The counters after
   * it, or undefined when `condition` refused it.
   */
  private async increment(webinarId: string, counter: 'confirmed' | 'waitlistSeq', condition: string, now: string) {
    const after = await conditionally(() =>
      retryingConflicts(() =>
        dynamo().send(
          new UpdateCommand({
            TableName: this.tableName,
            Key: webinarKey(webinarId),
            UpdateExpression: `ADD ${counter} :one SET countersAt = :now`,
            ConditionExpression: `${registrationOpen} AND ${condition}`,
            ExpressionAttributeValues: { ':one': 1, ':now': now },
            ReturnValues: 'ALL_NEW',
          }),
        ),
      ),
    );
    return decode(StoredWebinar, after?.Attributes);
  }

  /** Refused: the webinar is read to tell a closed (or missing) one from a full one. */
  async takeSeat(webinarId: string, now: string): Promise<SeatOutcome> {
    if (await this.increment(webinarId, 'confirmed', seatFreeForNewcomer, now)) return { outcome: 'seat' };
    return (await this.refusedRegistration(webinarId, now)) ?? { outcome: 'wait' };
  }

  /**
   * Ticket = waitlistSeq after the increment, and the position told is the ticket less those who
   * had already left the list (read in the same write, so no two people are told the same position).
   */
  async takeTicket(webinarId: string, now: string): Promise<TicketOutcome> {
    const counters = await this.increment(webinarId, 'waitlistSeq', newcomerWaits, now);
    if (counters)
      return { outcome: 'ticket', ticket: counters.waitlistSeq, position: counters.waitlistSeq - counters.waitlistLeft };
    return (await this.refusedRegistration(webinarId, now)) ?? { outcome: 'seat-free' };
  }

  /** Why a seat or ticket was refused, when the reason is the webinar (gone, or closed at `now`). */
  private async refusedRegistration(
    webinarId: string,
    now: string,
  ): Promise<{ outcome: 'refused'; webinar?: Webinar } | undefined> {
    const webinar = await this.getWebinar(webinarId);
    if (!webinar) return { outcome: 'refused' };
    if (webinar.registrationClosesAt <= now) return { outcome: 'refused', webinar };
    return undefined;
  }

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

  async registrationIdFor(webinarId: string, email: string): Promise<string | undefined> {
    return decode(StoredEmailGuard, await this.get(emailGuardKey(webinarId, email)))?.registrationId;
  }

  async putRegistration(registration: Registration, events: readonly PendingEvent[]): Promise<RegistrationStored> {
    const refusal = await refusalOf(
      () =>
        this.write(
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
                Item: {
                  ...registrationKey(registration.registrationId),
                  type: 'registration',
                  gsi1pk: webinarRegistrationsPartition(registration.webinarId),
                  gsi1sk: `${registration.registeredAt}#${registration.registrationId}`,
                  ...registration,
                },
                ConditionExpression: 'attribute_not_exists(pk)',
              },
            }),
          ],
          events,
          registration.registeredAt,
        ),
      ['guard'],
    );
    if (!refusal) return { outcome: 'created' };
    return { outcome: 'duplicate', registrationId: StoredEmailGuard.parse(refusal.old).registrationId };
  }

  async getRegistration(registrationId: string): Promise<Registration | undefined> {
    return decode(StoredRegistration, await this.get(registrationKey(registrationId)));
  }

  async listRegistrations(webinarId: string): Promise<Registration[]> {
    const items = await queryAll({
      TableName: this.tableName,
      IndexName: 'gsi1',
      KeyConditionExpression: 'gsi1pk = :webinar',
      ExpressionAttributeValues: { ':webinar': webinarRegistrationsPartition(webinarId) },
    });
    return decodeAll(StoredRegistration, items);
  }

  cancel(registration: Registration, at: string, events: readonly PendingEvent[]): Promise<boolean> {
    const from = registration.status;
    return committedUnless('registration', () =>
      this.write(
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
      ),
    );
  }

  /**
   * The seat is taken (`confirmed < seats`) and the ticket leaves the list in the same transaction
   * as the registration's move to `confirmed` and its events.
   */
  async promote(registration: Registration, at: string, events: readonly PendingEvent[]): Promise<PromotionOutcome> {
    const refusal = await refusalOf(
      () =>
        this.write(
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
        ),
      ['seat', 'registration'],
    );
    if (!refusal) return 'promoted';
    return refusal.part === 'seat' ? 'full' : 'moved';
  }

  /**
   * For counts left wrong by a writer that died between taking a seat or ticket and storing its
   * registration. Conditional on the counters being exactly as read, so nothing since is overwritten.
   */
  reconcileCounters(seen: Webinar, actual: { confirmed: number; waiting: number }, at: string): Promise<boolean> {
    return succeeds(() =>
      dynamo().send(
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
      ),
    );
  }

  async markAttendance(
    registrationId: string,
    webinarId: string,
    attended: boolean,
    at: string,
    events: readonly PendingEvent[],
  ): Promise<AttendanceOutcome> {
    const refusal = await refusalOf(
      () =>
        this.write(
          [
            part('registration', {
              Update: {
                TableName: this.tableName,
                Key: registrationKey(registrationId),
                UpdateExpression: 'SET attended = :attended, attendanceMarkedAt = :at',
                ConditionExpression: `webinarId = :webinarId AND #status = :confirmed AND ${attendanceDiffers}`,
                ExpressionAttributeNames: { '#status': 'status' },
                ExpressionAttributeValues: {
                  ':attended': attended,
                  ':at': at,
                  ':webinarId': webinarId,
                  ':confirmed': 'confirmed',
                },
                ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
              },
            }),
          ],
          events,
          at,
        ),
      ['registration'],
    );
    if (!refusal) return 'marked';
    const old = decode(StoredRegistration, refusal.old);
    const already = old?.webinarId === webinarId && old.status === 'confirmed' && old.attended === attended;
    return already ? 'unchanged' : 'refused';
  }

  // --- Invitations ---------------------------------------------------------------------------------

  async claimInvitation(invitation: Invitation): Promise<'claimed' | 'skipped'> {
    const queue = { gsi1pk: invitationQueuePartition(invitation.batchId, 'QUEUED'), gsi1sk: invitation.email };
    const claimed = await succeeds(() =>
      dynamo().send(
        new PutCommand({
          TableName: this.tableName,
          Item: { ...invitationKey(invitation.webinarId, invitation.email), type: 'invitation', ...queue, ...invitation },
          ConditionExpression: 'attribute_not_exists(pk)',
        }),
      ),
    );
    if (claimed) return 'claimed';
    const old = await this.getInvitation(invitation.webinarId, invitation.email);
    if (old?.batchId === invitation.batchId) return 'claimed'; // ours already: a resumed gathering
    if (old?.status !== 'failed') return 'skipped';
    const retaken = await succeeds(() =>
      dynamo().send(
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
            ':gsi1pk': queue.gsi1pk,
            ':gsi1sk': queue.gsi1sk,
            ':oldBatch': old.batchId,
            ':failed': 'failed',
          },
        }),
      ),
    );
    return retaken ? 'claimed' : 'skipped';
  }

  async getInvitation(webinarId: string, email: string): Promise<Invitation | undefined> {
    return decode(StoredInvitation, await this.get(invitationKey(webinarId, email)));
  }
}
