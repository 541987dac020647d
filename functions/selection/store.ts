// DynamoDB access for selection. Every move of a place is one transaction that changes the round's
// counters under the condition `taken < places` together with the application's status under the
// condition of its current status, so places hold whatever arrives at once. Each such transaction
// carries the events of its change (the outbox): they are written exactly when the change commits.
import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { DeleteCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import type { Application, Offer, Round } from '../intake/domain.js';
import { applicationItem } from '../intake/store.js';
import { applicationKey, guardKey, offerTimerKey, roundKey } from '../shared/keys.js';
import { dynamo } from '../shared/aws.js';
import { queryAll } from '../shared/dynamo-query.js';
import { eventParts, type PendingEvent } from '../shared/outbox.js';
import { committedUnless, part, transact, TransactionRefused, type TransactItem, type TransactPart } from '../shared/transactions.js';

export type OfferKind = Offer['kind'];

/** A deadline waiting to be acted on: one item per open offer, found by a range query on its time. */
export interface DueTimer {
  kind: OfferKind;
  dueAt: string;
  applicationId: string;
  roundId: string;
  offerId: string;
}


export class SelectionStore {
  constructor(private readonly tableName: string) {}

  /**
   * The state change's parts and its events, in one transaction. The events are stamped with the
   * moment they are written, not the command's `at`: a selection run writes many transactions at one
   * `at`, and its history must list them in the order they were written (SelectionCompleted last).
   */
  private write(parts: TransactPart[], events: readonly PendingEvent[]): Promise<void> {
    return transact([...parts, ...eventParts(events, { tableName: this.tableName })]);
  }

  private roundCounters(roundId: string, change: { taken?: number; accepted?: number }, condition?: string): TransactItem {
    const parts = Object.entries(change).filter(([, v]) => v);
    return {
      Update: {
        TableName: this.tableName,
        Key: roundKey(roundId),
        UpdateExpression: `ADD ${parts.map(([name]) => `${name} :${name}`).join(', ')}`,
        ConditionExpression: condition ?? 'attribute_exists(pk)',
        ExpressionAttributeValues: Object.fromEntries(parts.map(([name, v]) => [`:${name}`, v])),
      },
    };
  }

  private putTimer(timer: DueTimer): TransactPart {
    return part('timer', { Put: { TableName: this.tableName, Item: { ...offerTimerKey(timer), type: 'timer', ...timer } } });
  }

  private deleteTimer(kind: OfferKind, application: Pick<Application, 'applicationId' | 'offer'>): TransactPart[] {
    const { offer } = application;
    if (!offer || offer.kind !== kind) return [];
    const key = offerTimerKey({ kind, dueAt: offer.expiresAt, applicationId: application.applicationId, offerId: offer.offerId });
    return [part(`timer:${kind}`, { Delete: { TableName: this.tableName, Key: key } })];
  }

  /**
   * Records the selection run on the round, once. With `closeNow` the window closes at `now`.
   * Returns false when a run is already on record.
   */
  async claimSelection(
    roundId: string,
    selection: NonNullable<Round['selection']>,
    closeNow: Date | undefined,
  ): Promise<boolean> {
    try {
      await dynamo().send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: roundKey(roundId),
          UpdateExpression: closeNow ? 'SET selection = :selection, closesAt = :now' : 'SET selection = :selection',
          ConditionExpression: closeNow
            ? 'attribute_exists(pk) AND attribute_not_exists(selection) AND attribute_not_exists(completedAt) AND closesAt > :now'
            : 'attribute_exists(pk) AND attribute_not_exists(selection) AND attribute_not_exists(completedAt)',
          ExpressionAttributeValues: { ':selection': selection, ...(closeNow ? { ':now': closeNow.toISOString() } : {}) },
        }),
      );
      return true;
    } catch (error) {
      if (error instanceof ConditionalCheckFailedException) return false;
      throw error;
    }
  }

  /**
   * Gives a received application a place, if one is free, with its events (ApplicationAccepted).
   * `full` when no place is free, `already-decided` when it is no longer received; then nothing is written.
   */
  async acceptReceived(
    application: Application,
    at: string,
    events: readonly PendingEvent[],
  ): Promise<'accepted' | 'full' | 'already-decided'> {
    try {
      await this.write(
        [
          part('round', this.roundCounters(application.roundId, { taken: 1, accepted: 1 }, 'taken < places')),
          part('application', this.setStatus(application, 'received', 'accepted', { acceptedAt: at })),
        ],
        events,
      );
      return 'accepted';
    } catch (error) {
      if (!(error instanceof TransactionRefused)) throw error;
      return error.refused('application') ? 'already-decided' : 'full';
    }
  }

  /** Puts a received application on the waiting list at `rank`, with its events. False when it is no longer received. */
  async waitlistReceived(application: Application, rank: number, at: string, events: readonly PendingEvent[]): Promise<boolean> {
    try {
      await this.write(
        [part('application', this.setStatus(application, 'received', 'waitlisted', { rank, waitlistedAt: at }))],
        events,
      );
      return true;
    } catch (error) {
      if (error instanceof TransactionRefused && error.refused('application')) return false;
      throw error;
    }
  }

  /**
   * Marks the selection run finished, with its events (SelectionCompleted). False when it was
   * finished already (a concurrent or earlier run): then nothing is written.
   */
  async finishSelection(roundId: string, at: string, events: readonly PendingEvent[]): Promise<boolean> {
    return this.stampRoundOnce(roundId, 'selectedAt', at, events);
  }

  /**
   * Withdraws, with its events; a withdrawn accepted or offered application gives its place back in
   * the same write. Refused (TransactionRefused on `application`) when its status changed meanwhile.
   */
  async withdraw(application: Application, at: string, events: readonly PendingEvent[]): Promise<void> {
    const from = application.status;
    const parts: TransactPart[] = [
      part('application', this.setStatus(application, from, 'withdrawn', { withdrawnAt: at }, ['offer'])),
    ];
    if (from === 'accepted') parts.push(part('round', this.roundCounters(application.roundId, { taken: -1, accepted: -1 })));
    if (from === 'offered') parts.push(part('round', this.roundCounters(application.roundId, { taken: -1 })));
    parts.push(...this.deleteTimer('place', application), ...this.deleteTimer('carry-over', application));
    await this.write(parts, events);
  }

  /**
   * Offers a free place to a waitlisted application, with its events (PlaceOffered). `full` when no
   * place is free, `not-waiting` when it moved on; then nothing is written.
   */
  async offerPlace(
    application: Application,
    offer: Offer,
    at: string,
    events: readonly PendingEvent[],
  ): Promise<'offered' | 'full' | 'not-waiting'> {
    try {
      await this.write(
        [
          part(
            'round',
            this.roundCounters(application.roundId, { taken: 1 }, 'taken < places AND attribute_not_exists(completedAt)'),
          ),
          part('application', {
            Update: {
              TableName: this.tableName,
              Key: applicationKey(application.applicationId),
              UpdateExpression: 'SET #status = :offered, offer = :offer, offeredAt = :at',
              ConditionExpression: '#status = :waitlisted AND attribute_not_exists(offer)',
              ExpressionAttributeNames: { '#status': 'status' },
              ExpressionAttributeValues: { ':offered': 'offered', ':waitlisted': 'waitlisted', ':offer': offer, ':at': at },
            },
          }),
          this.putTimer({
            kind: 'place',
            dueAt: offer.expiresAt,
            applicationId: application.applicationId,
            roundId: application.roundId,
            offerId: offer.offerId,
          }),
        ],
        events,
      );
      return 'offered';
    } catch (error) {
      if (!(error instanceof TransactionRefused)) throw error;
      return error.refused('round') ? 'full' : 'not-waiting';
    }
  }

  /**
   * Settles a place offer: `accept` makes the application accepted (the place was already counted
   * in `taken`); `decline` and `lapse` give the place back. Refused unless that very offer is still open
   * (and, for accept and decline, not yet expired; for lapse, expired). The events go with it.
   */
  async settlePlaceOffer(
    application: Application,
    offer: Offer,
    outcome: 'accept' | 'decline' | 'lapse',
    at: string,
    events: readonly PendingEvent[],
  ): Promise<void> {
    const expiry = outcome === 'lapse' ? 'offer.expiresAt <= :at' : 'offer.expiresAt > :at';
    const status = outcome === 'accept' ? 'accepted' : 'declined';
    await this.write(
      [
        part('application', {
          Update: {
            TableName: this.tableName,
            Key: applicationKey(application.applicationId),
            UpdateExpression: `SET #status = :status, ${outcome === 'accept' ? 'acceptedAt' : 'declinedAt'} = :at REMOVE offer`,
            ConditionExpression: `#status = :offered AND offer.offerId = :offerId AND ${expiry}`,
            ExpressionAttributeNames: { '#status': 'status' },
            ExpressionAttributeValues: { ':status': status, ':offered': 'offered', ':offerId': offer.offerId, ':at': at },
          },
        }),
        part('round', this.roundCounters(application.roundId, outcome === 'accept' ? { accepted: 1 } : { taken: -1 })),
        ...this.deleteTimer('place', application),
      ],
      events,
    );
  }

  /**
   * Asks a still-waitlisted application whether to move to the next round, with its events
   * (CarryOverOffered). False when it is not eligible; then nothing is written.
   */
  async offerCarryOver(application: Application, offer: Offer, events: readonly PendingEvent[]): Promise<boolean> {
    try {
      await this.write(
        [
          part('application', {
            Update: {
              TableName: this.tableName,
              Key: applicationKey(application.applicationId),
              UpdateExpression: 'SET offer = :offer',
              ConditionExpression:
                '#status = :waitlisted AND attribute_not_exists(offer) AND attribute_not_exists(carryOver) AND attribute_not_exists(carriedOverTo)',
              ExpressionAttributeNames: { '#status': 'status' },
              ExpressionAttributeValues: { ':waitlisted': 'waitlisted', ':offer': offer },
            },
          }),
          this.putTimer({
            kind: 'carry-over',
            dueAt: offer.expiresAt,
            applicationId: application.applicationId,
            roundId: application.roundId,
            offerId: offer.offerId,
          }),
        ],
        events,
      );
      return true;
    } catch (error) {
      if (error instanceof TransactionRefused && error.refused('application')) return false;
      throw error;
    }
  }

  /**
   * Carries the application over: a new application in the next round with the old one's data and
   * its waiting-list rank as priority, in one transaction with the old one's move to `carried-over`.
   * When the municipality has already applied to the next round itself, that application gets the
   * priority instead. Refused unless the offer is open and the next round has not selected yet.
   * The events (ApplicationCarriedOver, and ApplicationReceived for a new application) go with it.
   */
  async carryOver(
    application: Application,
    offer: Offer,
    next: { roundId: string; newApplication: Application; existingApplicationId?: string },
    at: string,
    events: readonly PendingEvent[],
  ): Promise<void> {
    const target = next.existingApplicationId ?? next.newApplication.applicationId;
    const closeOld = part('old', {
      Update: {
        TableName: this.tableName,
        Key: applicationKey(application.applicationId),
        UpdateExpression: 'SET #status = :carried, carriedOverAt = :at, carriedOverTo = :to REMOVE offer',
        ConditionExpression: '#status = :waitlisted AND offer.offerId = :offerId AND offer.expiresAt > :at',
        ExpressionAttributeNames: { '#status': 'status' },
        ExpressionAttributeValues: {
          ':carried': 'carried-over',
          ':waitlisted': 'waitlisted',
          ':offerId': offer.offerId,
          ':at': at,
          ':to': { roundId: next.roundId, applicationId: target },
        },
      },
    });
    const nextRoundOpen = 'attribute_exists(pk) AND attribute_not_exists(selection) AND attribute_not_exists(completedAt)';
    const parts: TransactPart[] = next.existingApplicationId
      ? [
          closeOld,
          part('next-round', {
            ConditionCheck: {
              TableName: this.tableName,
              Key: roundKey(next.roundId),
              ConditionExpression: nextRoundOpen,
            },
          }),
          part('existing', {
            Update: {
              TableName: this.tableName,
              Key: applicationKey(next.existingApplicationId),
              UpdateExpression: 'SET priority = :priority, carriedOverFrom = :from',
              ConditionExpression: '#status = :received',
              ExpressionAttributeNames: { '#status': 'status' },
              ExpressionAttributeValues: {
                ':priority': next.newApplication.priority,
                ':from': next.newApplication.carriedOverFrom,
                ':received': 'received',
              },
            },
          }),
        ]
      : [
          closeOld,
          part('next-round', {
            Update: {
              TableName: this.tableName,
              Key: roundKey(next.roundId),
              UpdateExpression: 'ADD applications :one',
              ConditionExpression: nextRoundOpen,
              ExpressionAttributeValues: { ':one': 1 },
            },
          }),
          part('guard', {
            Put: {
              TableName: this.tableName,
              Item: {
                ...guardKey(next.roundId, application.municipality.code),
                type: 'municipality-guard',
                applicationId: target,
              },
              ConditionExpression: 'attribute_not_exists(pk)',
            },
          }),
          part('application', {
            Put: {
              TableName: this.tableName,
              Item: applicationItem(next.newApplication),
              ConditionExpression: 'attribute_not_exists(pk)',
            },
          }),
        ];
    parts.push(...this.deleteTimer('carry-over', application));
    await this.write(parts, events);
  }

  /** Ends a carry-over question without moving: declined, or no answer in time. The events go with it. */
  async endCarryOver(
    application: Application,
    offer: Offer,
    outcome: 'declined' | 'lapsed',
    at: string,
    events: readonly PendingEvent[],
  ): Promise<void> {
    await this.write(
      [
        part('application', {
          Update: {
            TableName: this.tableName,
            Key: applicationKey(application.applicationId),
            UpdateExpression: 'SET carryOver = :outcome, declinedAt = :at REMOVE offer',
            ConditionExpression: `offer.offerId = :offerId AND offer.expiresAt ${outcome === 'lapsed' ? '<=' : '>'} :at`,
            ExpressionAttributeValues: { ':outcome': outcome, ':offerId': offer.offerId, ':at': at },
          },
        }),
        ...this.deleteTimer('carry-over', application),
      ],
      events,
    );
  }

  /** Marks the round completed, with its events (RoundCompleted). False when it was completed already: nothing is written. */
  async completeRound(roundId: string, at: string, events: readonly PendingEvent[]): Promise<boolean> {
    return this.stampRoundOnce(roundId, 'completedAt', at, events);
  }

  /** Sets a once-only time of a selected round with its events; false (nothing written) when it is set already. */
  private stampRoundOnce(
    roundId: string,
    attribute: 'selectedAt' | 'completedAt',
    at: string,
    events: readonly PendingEvent[],
  ): Promise<boolean> {
    return committedUnless('round', () =>
      this.write(
        [
          part('round', {
            Update: {
              TableName: this.tableName,
              Key: roundKey(roundId),
              UpdateExpression: 'SET #stamp = :at',
              ConditionExpression: 'attribute_exists(selection) AND attribute_not_exists(#stamp)',
              ExpressionAttributeNames: { '#stamp': attribute },
              ExpressionAttributeValues: { ':at': at },
            },
          }),
        ],
        events,
      ),
    );
  }

  /** Timers of `kind` due at or before `at`. */
  async dueTimers(kind: OfferKind, at: string): Promise<DueTimer[]> {
    return queryAll<DueTimer>({
      TableName: this.tableName,
      KeyConditionExpression: 'pk = :pk AND sk <= :at',
      ExpressionAttributeValues: { ':pk': `DUE#${kind}`, ':at': `${at}~` },
    });
  }

  /** Removes a timer whose offer was settled some other way. */
  async deleteStaleTimer(timer: DueTimer): Promise<void> {
    await dynamo().send(new DeleteCommand({ TableName: this.tableName, Key: offerTimerKey(timer) }));
  }

  private setStatus(
    application: Pick<Application, 'applicationId'>,
    from: Application['status'],
    to: Application['status'],
    fields: Record<string, unknown>,
    remove: string[] = [],
  ): TransactItem {
    const names = Object.keys(fields);
    return {
      Update: {
        TableName: this.tableName,
        Key: applicationKey(application.applicationId),
        UpdateExpression:
          `SET #status = :to${names.map((n) => `, #${n} = :${n}`).join('')}` +
          (remove.length ? ` REMOVE ${remove.join(', ')}` : ''),
        ConditionExpression: '#status = :from',
        ExpressionAttributeNames: { '#status': 'status', ...Object.fromEntries(names.map((n) => [`#${n}`, n])) },
        ExpressionAttributeValues: { ':to': to, ':from': from, ...Object.fromEntries(names.map((n) => [`:${n}`, fields[n]])) },
      },
    };
  }
}
