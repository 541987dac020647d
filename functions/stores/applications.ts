// The application repository: applications, the one-application-per-municipality guard and the offer
// timers. Every move of a place is one transaction that changes the application's status on the
// condition of its current status together with the round's counters on `taken < places` (the round's
// part comes from roundParts), so places hold whatever arrives at once. Each transaction carries the
// events of its change (the outbox): they are written exactly when the change commits.
import { DeleteCommand, GetCommand, ScanCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import {
  StoredApplication,
  StoredOfferTimer,
  type Application,
  type Offer,
  type OfferTimer,
} from '../../schemas/stored/application.js';
import { dynamo } from '../shared/aws.js';
import { queryAll } from '../shared/dynamo-query.js';
import { decode, decodeAll } from '../shared/items.js';
import {
  applicationKey,
  guardKey,
  offerTimerKey,
  offerTimerPartition,
  roundApplicationsPartition,
  statusLinkRequestKey,
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
import { roundConditions, roundParts, type RoundCondition } from './rounds.js';

export type OfferKind = Offer['kind'];

export type CreateOutcome =
  | { outcome: 'created'; application: Application }
  | { outcome: 'duplicate'; application: Application }
  /** The round's window is not open (or there is no such round): nothing was written. */
  | { outcome: 'round-not-open' };

/** Where a carried-over application goes: a new application, or the one the municipality made itself. */
export interface CarryOverTarget {
  roundId: string;
  newApplication: Application;
  existingApplicationId?: string;
}

/** Applications of rounds, from arrival through selection, offers, withdrawal and carry-over. */
export interface ApplicationStore {
  /**
   * Stores a new application with its municipality guard, the round's count and its events, on the
   * condition that the round's window is open. A municipality that applied already gets `duplicate`
   * with its application, and nothing is written.
   */
  create(application: Application, now: string, events: readonly PendingEvent[]): Promise<CreateOutcome>;
  get(applicationId: string): Promise<Application | undefined>;
  /** Every application of a round, in order of arrival. */
  listOfRound(roundId: string): Promise<Application[]>;
  /** The application a municipality made in a round, through its uniqueness guard. */
  findOf(roundId: string, municipalityCode: string): Promise<Application | undefined>;
  /** Records a status-link request with its events unless one was recorded within `minutes` (then false). */
  recordStatusLinkRequest(application: Application, at: Date, minutes: number, events: readonly PendingEvent[]): Promise<boolean>;
  markConfirmationSent(applicationId: string, at: string): Promise<void>;
  /** The coaching completed (tutoring's EngagementCompleted): an accepted application becomes completed, once. */
  markCompleted(applicationId: string, at: string): Promise<boolean>;
  /** Applications whose contact is `address` (any letter case): bounces are rare, so a filtered scan, not an index of addresses. */
  ofContact(address: string): Promise<Application[]>;
  /** Marks the contact unreachable with its events; false (nothing written) when marked already or gone. */
  markUnreachable(
    applicationId: string,
    reason: 'bounce' | 'complaint',
    at: string,
    events: readonly PendingEvent[],
  ): Promise<boolean>;
  /** Gives a received application a place if one is free. `full` / `already-decided`: nothing written. */
  accept(application: Application, at: string, events: readonly PendingEvent[]): Promise<'accepted' | 'full' | 'already-decided'>;
  /** Puts a received application on the waiting list at `rank`; false when it is no longer received. */
  waitlist(application: Application, rank: number, at: string, events: readonly PendingEvent[]): Promise<boolean>;
  /** Withdraws, giving back an accepted or offered place; false when its status changed meanwhile. */
  withdraw(application: Application, at: string, events: readonly PendingEvent[]): Promise<boolean>;
  /** Offers a free place to a waitlisted application. `full` / `not-waiting`: nothing written. */
  offerPlace(
    application: Application,
    offer: Offer,
    at: string,
    events: readonly PendingEvent[],
  ): Promise<'offered' | 'full' | 'not-waiting'>;
  /**
   * Settles a place offer: `accept` makes the application accepted (the place was counted already);
   * `decline` and `lapse` give the place back. False unless that very offer is still open (and, for
   * accept and decline, not yet expired; for lapse, expired).
   */
  settlePlaceOffer(
    application: Application,
    offer: Offer,
    outcome: 'accept' | 'decline' | 'lapse',
    at: string,
    events: readonly PendingEvent[],
  ): Promise<boolean>;
  /** Asks a still-waitlisted application whether to move to the next round; false when it is not eligible. */
  offerCarryOver(application: Application, offer: Offer, events: readonly PendingEvent[]): Promise<boolean>;
  /**
   * Carries the application over to `next` (a new application, or priority for the one the
   * municipality made itself). `offer-closed` when the offer is no longer open, `round-not-open` when
   * the next round can no longer take it; then nothing is written.
   */
  carryOver(
    application: Application,
    offer: Offer,
    next: CarryOverTarget,
    at: string,
    events: readonly PendingEvent[],
  ): Promise<'carried-over' | 'offer-closed' | 'round-not-open'>;
  /** Ends a carry-over question without moving (declined, or no answer in time); false unless the offer is open. */
  endCarryOver(
    application: Application,
    offer: Offer,
    outcome: 'declined' | 'lapsed',
    at: string,
    events: readonly PendingEvent[],
  ): Promise<boolean>;
  /** Timers of `kind` due at or before `at`. */
  dueTimers(kind: OfferKind, at: string): Promise<OfferTimer[]>;
  /** Removes a timer whose offer was settled some other way. */
  deleteStaleTimer(timer: OfferTimer): Promise<void>;
}

/** The full item of a new application: its key, its place in the round's listing, and its fields. */
export const applicationItem = (application: Application) => ({
  ...applicationKey(application.applicationId),
  type: 'application',
  gsi1pk: roundApplicationsPartition(application.roundId),
  gsi1sk: `${application.receivedAt}#${application.applicationId}`,
  ...application,
});

export class DynamoApplicationStore implements ApplicationStore {
  constructor(private readonly tableName: string) {}

  async create(application: Application, now: string, events: readonly PendingEvent[]): Promise<CreateOutcome> {
    const { roundId, applicationId, municipality } = application;
    // Collisions with a concurrent request are retried by `transact`: its outcome decides ours.
    const refusal = await refusalOf(
      () =>
        transact([
          part('round', roundParts.counters(this.tableName, roundId, { applications: 1 }, roundConditions.openAt(now))),
          part('guard', this.putGuard(roundId, municipality.code, applicationId)),
          part('application', this.putNew(application)),
          ...eventParts(events, { tableName: this.tableName, at: now }),
        ]),
      ['guard', 'round'],
    );
    if (!refusal) return { outcome: 'created', application };
    if (refusal.part === 'guard') {
      const existingId = refusal.old?.applicationId;
      const existing = typeof existingId === 'string' ? await this.get(existingId) : undefined;
      if (existing) return { outcome: 'duplicate', application: existing };
    }
    return { outcome: 'round-not-open' };
  }

  async get(applicationId: string): Promise<Application | undefined> {
    const { Item } = await dynamo().send(
      new GetCommand({ TableName: this.tableName, Key: applicationKey(applicationId), ConsistentRead: true }),
    );
    return decode(StoredApplication, Item);
  }

  async listOfRound(roundId: string): Promise<Application[]> {
    const items = await queryAll({
      TableName: this.tableName,
      IndexName: 'gsi1',
      KeyConditionExpression: 'gsi1pk = :round',
      ExpressionAttributeValues: { ':round': roundApplicationsPartition(roundId) },
    });
    return decodeAll(StoredApplication, items);
  }

  markCompleted(applicationId: string, at: string): Promise<boolean> {
    return succeeds(() =>
      dynamo().send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: applicationKey(applicationId),
          UpdateExpression: 'SET #status = :completed, completedAt = if_not_exists(completedAt, :at)',
          ConditionExpression: '#status = :accepted',
          ExpressionAttributeNames: { '#status': 'status' },
          ExpressionAttributeValues: { ':completed': 'completed', ':accepted': 'accepted', ':at': at },
        }),
      ),
    );
  }

  async ofContact(address: string): Promise<Application[]> {
    const found: Record<string, unknown>[] = [];
    let ExclusiveStartKey: Record<string, unknown> | undefined;
    do {
      const page = await dynamo().send(
        new ScanCommand({
          TableName: this.tableName,
          FilterExpression: '#type = :application AND contact.email = :address',
          ExpressionAttributeNames: { '#type': 'type' },
          ExpressionAttributeValues: { ':application': 'application', ':address': address.toLowerCase() },
          ExclusiveStartKey,
        }),
      );
      found.push(...(page.Items ?? []));
      ExclusiveStartKey = page.LastEvaluatedKey;
    } while (ExclusiveStartKey);
    return decodeAll(StoredApplication, found);
  }

  markUnreachable(
    applicationId: string,
    reason: 'bounce' | 'complaint',
    at: string,
    events: readonly PendingEvent[],
  ): Promise<boolean> {
    return committedUnless('application', () =>
      transact([
        part('application', {
          Update: {
            TableName: this.tableName,
            Key: applicationKey(applicationId),
            UpdateExpression: 'SET contact.unreachable = :mark',
            ConditionExpression: 'attribute_exists(pk) AND attribute_not_exists(contact.unreachable)',
            ExpressionAttributeValues: { ':mark': { reason, at } },
          },
        }),
        ...eventParts(events, { tableName: this.tableName, at }),
      ]),
    );
  }

  async findOf(roundId: string, municipalityCode: string): Promise<Application | undefined> {
    const { Item } = await dynamo().send(
      new GetCommand({ TableName: this.tableName, Key: guardKey(roundId, municipalityCode), ConsistentRead: true }),
    );
    return typeof Item?.applicationId === 'string' ? this.get(Item.applicationId) : undefined;
  }

  recordStatusLinkRequest(
    application: Application,
    at: Date,
    minutes: number,
    events: readonly PendingEvent[],
  ): Promise<boolean> {
    const before = new Date(at.getTime() - minutes * 60_000).toISOString();
    return committedUnless('request', () =>
      transact([
        part('request', {
          Put: {
            TableName: this.tableName,
            Item: {
              ...statusLinkRequestKey(application.applicationId),
              type: 'status-link-request',
              requestedAt: at.toISOString(),
              // Kept only as long as it limits: DynamoDB's TTL removes it afterwards.
              expiresAt: Math.ceil(at.getTime() / 1000) + minutes * 60,
            },
            ConditionExpression: 'attribute_not_exists(pk) OR requestedAt < :before',
            ExpressionAttributeValues: { ':before': before },
          },
        }),
        ...eventParts(events, { tableName: this.tableName, at: at.toISOString() }),
      ]),
    );
  }

  async markConfirmationSent(applicationId: string, at: string): Promise<void> {
    await dynamo().send(
      new UpdateCommand({
        TableName: this.tableName,
        Key: applicationKey(applicationId),
        UpdateExpression: 'SET confirmationSentAt = if_not_exists(confirmationSentAt, :at)',
        ConditionExpression: 'attribute_exists(pk)',
        ExpressionAttributeValues: { ':at': at },
      }),
    );
  }

  async accept(
    application: Application,
    at: string,
    events: readonly PendingEvent[],
  ): Promise<'accepted' | 'full' | 'already-decided'> {
    const refused = await this.refusedPart(
      [
        this.roundPart(application.roundId, { taken: 1, accepted: 1 }, roundConditions.placeFree),
        part('application', this.setStatus(application, 'received', 'accepted', { acceptedAt: at })),
      ],
      events,
      ['application', 'round'],
    );
    return refused === undefined ? 'accepted' : refused === 'application' ? 'already-decided' : 'full';
  }

  waitlist(application: Application, rank: number, at: string, events: readonly PendingEvent[]): Promise<boolean> {
    return committedUnless('application', () =>
      this.write(
        [part('application', this.setStatus(application, 'received', 'waitlisted', { rank, waitlistedAt: at }))],
        events,
      ),
    );
  }

  async withdraw(application: Application, at: string, events: readonly PendingEvent[]): Promise<boolean> {
    const from = application.status;
    const parts: TransactPart[] = [
      part('application', this.setStatus(application, from, 'withdrawn', { withdrawnAt: at }, ['offer'])),
    ];
    if (from === 'accepted') parts.push(this.roundPart(application.roundId, { taken: -1, accepted: -1 }));
    if (from === 'offered') parts.push(this.roundPart(application.roundId, { taken: -1 }));
    parts.push(...this.deleteTimer('place', application), ...this.deleteTimer('carry-over', application));
    return (await this.refusedPart(parts, events, ['application', 'round'])) === undefined;
  }

  async offerPlace(
    application: Application,
    offer: Offer,
    at: string,
    events: readonly PendingEvent[],
  ): Promise<'offered' | 'full' | 'not-waiting'> {
    const refused = await this.refusedPart(
      [
        this.roundPart(application.roundId, { taken: 1 }, roundConditions.placeFreeUntilCompleted),
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
        this.putTimer('place', application, offer),
      ],
      events,
      ['round', 'application'],
    );
    return refused === undefined ? 'offered' : refused === 'round' ? 'full' : 'not-waiting';
  }

  async settlePlaceOffer(
    application: Application,
    offer: Offer,
    outcome: 'accept' | 'decline' | 'lapse',
    at: string,
    events: readonly PendingEvent[],
  ): Promise<boolean> {
    const expiry = outcome === 'lapse' ? 'offer.expiresAt <= :at' : 'offer.expiresAt > :at';
    const status = outcome === 'accept' ? 'accepted' : 'declined';
    const refused = await this.refusedPart(
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
        this.roundPart(application.roundId, outcome === 'accept' ? { accepted: 1 } : { taken: -1 }),
        ...this.deleteTimer('place', application),
      ],
      events,
      ['application', 'round'],
    );
    return refused === undefined;
  }

  offerCarryOver(application: Application, offer: Offer, events: readonly PendingEvent[]): Promise<boolean> {
    return committedUnless('application', () =>
      this.write(
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
          this.putTimer('carry-over', application, offer),
        ],
        events,
      ),
    );
  }

  async carryOver(
    application: Application,
    offer: Offer,
    next: CarryOverTarget,
    at: string,
    events: readonly PendingEvent[],
  ): Promise<'carried-over' | 'offer-closed' | 'round-not-open'> {
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
    const parts: TransactPart[] = next.existingApplicationId
      ? [
          closeOld,
          part('next-round', roundParts.check(this.tableName, next.roundId, roundConditions.notSelected)),
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
          part('next-round', roundParts.counters(this.tableName, next.roundId, { applications: 1 }, roundConditions.notSelected)),
          part('guard', this.putGuard(next.roundId, application.municipality.code, target)),
          part('application', this.putNew(next.newApplication)),
        ];
    parts.push(...this.deleteTimer('carry-over', application));
    const refused = await this.refusedPart(parts, events, ['old', 'next-round', 'existing', 'guard', 'application']);
    return refused === undefined ? 'carried-over' : refused === 'old' ? 'offer-closed' : 'round-not-open';
  }

  endCarryOver(
    application: Application,
    offer: Offer,
    outcome: 'declined' | 'lapsed',
    at: string,
    events: readonly PendingEvent[],
  ): Promise<boolean> {
    return committedUnless('application', () =>
      this.write(
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
      ),
    );
  }

  async dueTimers(kind: OfferKind, at: string): Promise<OfferTimer[]> {
    const items = await queryAll({
      TableName: this.tableName,
      KeyConditionExpression: 'pk = :pk AND sk <= :at',
      ExpressionAttributeValues: { ':pk': offerTimerPartition(kind), ':at': `${at}~` },
    });
    return decodeAll(StoredOfferTimer, items);
  }

  async deleteStaleTimer(timer: OfferTimer): Promise<void> {
    await dynamo().send(new DeleteCommand({ TableName: this.tableName, Key: offerTimerKey(timer) }));
  }

  /**
   * The state change's parts and its events, in one transaction. The events are stamped with the
   * moment they are written, not the command's `at`: a selection run writes many transactions at one
   * `at`, and its history must list them in the order they were written.
   */
  private write(parts: TransactPart[], events: readonly PendingEvent[]): Promise<void> {
    return transact([...parts, ...eventParts(events, { tableName: this.tableName })]);
  }

  /** Writes the parts with the events; undefined when it went through, else which of `expected` refused. */
  private async refusedPart<Part extends string>(
    parts: TransactPart[],
    events: readonly PendingEvent[],
    expected: readonly Part[],
  ): Promise<Part | undefined> {
    return (await refusalOf(() => this.write(parts, events), expected))?.part;
  }

  /** The round's part of a place move: its counters by `change`, on `condition`. */
  private roundPart(
    roundId: string,
    change: Parameters<typeof roundParts.counters>[2],
    condition?: RoundCondition,
  ): TransactPart {
    return part('round', roundParts.counters(this.tableName, roundId, change, condition));
  }

  private putNew(application: Application): TransactItem {
    return {
      Put: { TableName: this.tableName, Item: applicationItem(application), ConditionExpression: 'attribute_not_exists(pk)' },
    };
  }

  /** The one-application-per-municipality guard; a refusal returns the application it holds. */
  private putGuard(roundId: string, code: string, applicationId: string): TransactItem {
    return {
      Put: {
        TableName: this.tableName,
        Item: { ...guardKey(roundId, code), type: 'municipality-guard', applicationId },
        ConditionExpression: 'attribute_not_exists(pk)',
        ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
      },
    };
  }

  private putTimer(kind: OfferKind, application: Application, offer: Offer): TransactPart {
    const timer: OfferTimer = {
      kind,
      dueAt: offer.expiresAt,
      applicationId: application.applicationId,
      roundId: application.roundId,
      offerId: offer.offerId,
    };
    return part('timer', { Put: { TableName: this.tableName, Item: { ...offerTimerKey(timer), type: 'timer', ...timer } } });
  }

  private deleteTimer(kind: OfferKind, application: Pick<Application, 'applicationId' | 'offer'>): TransactPart[] {
    const { offer } = application;
    if (!offer || offer.kind !== kind) return [];
    const key = offerTimerKey({ kind, dueAt: offer.expiresAt, applicationId: application.applicationId, offerId: offer.offerId });
    return [part(`timer:${kind}`, { Delete: { TableName: this.tableName, Key: key } })];
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
