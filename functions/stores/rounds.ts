// The round repository: a round's item and every write of it. Commands of other aggregates that move a
// round's counters (an application accepted, an offer made) take the round's part from `roundParts`,
// so the round item's conditions are written here only.
import { GetCommand, PutCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { StoredRound, type Round, type StoredSelection } from '../../schemas/stored/round.js';
import { dynamo } from '../shared/aws.js';
import { queryAll } from '../shared/dynamo-query.js';
import { decode, decodeAll } from '../shared/items.js';
import { roundKey, roundListingSort, roundsPartition } from '../shared/keys.js';
import { eventParts, type PendingEvent } from '../shared/outbox.js';
import { committedUnless, conditionally, part, succeeds, transact, type TransactItem } from '../shared/transactions.js';

/** A coordinator's change of a round: its new fields, and whether `nextRoundId` goes. */
export type RoundChange = Partial<Omit<Round, 'roundId'>> & { removeNextRoundId?: true };

/** The round's part of a transaction about something else: a condition with the values it names. */
export interface RoundCondition {
  readonly expression: string;
  readonly values?: Record<string, unknown>;
}

/** The conditions other aggregates' commands put on the round they change. */
export const roundConditions = {
  exists: { expression: 'attribute_exists(pk)' },
  placeFree: { expression: 'taken < places' },
  /** A free place, in a round that has not been completed (no offers once it is done). */
  placeFreeUntilCompleted: { expression: 'taken < places AND attribute_not_exists(completedAt)' },
  /** The window is open: it has opened, has not closed, and no selection has started. */
  openAt: (now: string): RoundCondition => ({
    expression: 'attribute_exists(pk) AND opensAt <= :now AND closesAt > :now AND attribute_not_exists(selection)',
    values: { ':now': now },
  }),
  /** Not yet selected nor completed: a carried-over application may still join it. */
  notSelected: { expression: 'attribute_exists(pk) AND attribute_not_exists(selection) AND attribute_not_exists(completedAt)' },
} satisfies Record<string, RoundCondition | ((now: string) => RoundCondition)>;

type Counter = 'taken' | 'accepted' | 'applications';

/** Part builders for the round item, for transactions that the application repository writes. */
export const roundParts = {
  /** Moves the round's counters by `change`, on `condition`. */
  counters(
    tableName: string,
    roundId: string,
    change: Partial<Record<Counter, number>>,
    condition: RoundCondition = roundConditions.exists,
  ): TransactItem {
    const moved = Object.entries(change).filter(([, by]) => by);
    return {
      Update: {
        TableName: tableName,
        Key: roundKey(roundId),
        UpdateExpression: `ADD ${moved.map(([name]) => `${name} :${name}`).join(', ')}`,
        ConditionExpression: condition.expression,
        ExpressionAttributeValues: { ...Object.fromEntries(moved.map(([name, by]) => [`:${name}`, by])), ...condition.values },
      },
    };
  },
  /** Only checks the round, writing nothing to it. */
  check(tableName: string, roundId: string, condition: RoundCondition): TransactItem {
    return {
      ConditionCheck: {
        TableName: tableName,
        Key: roundKey(roundId),
        ConditionExpression: condition.expression,
        ...(condition.values ? { ExpressionAttributeValues: condition.values } : {}),
      },
    };
  },
};

/** Rounds: stored, read, changed by a coordinator, opened, selected, completed, erased. */
export interface RoundStore {
  create(round: Round): Promise<void>;
  get(roundId: string): Promise<Round | undefined>;
  /** Rounds by opening time; `openedBefore` limits to rounds whose window has started. */
  list(options?: { openedBefore?: string }): Promise<Round[]>;
  /**
   * Applies a coordinator's change, on the condition that the window is still open to change
   * (not closed, no selection) at `now`. The round as it is now, or undefined when refused.
   */
  update(roundId: string, change: RoundChange, now: string): Promise<Round | undefined>;
  /** Records, once, that the window opened, with its events; false (nothing written) when recorded already. */
  markOpened(roundId: string, at: string, events: readonly PendingEvent[]): Promise<boolean>;
  /** Records the selection run, once; with `closeNow` the window closes then. False when a run is on record. */
  claimSelection(roundId: string, selection: StoredSelection, closeNow?: Date): Promise<boolean>;
  /** Marks the selection run finished, with its events; false (nothing written) when finished already. */
  finishSelection(roundId: string, at: string, events: readonly PendingEvent[]): Promise<boolean>;
  /** Marks the round completed, with its events; false (nothing written) when completed already. */
  complete(roundId: string, at: string, events: readonly PendingEvent[]): Promise<boolean>;
  /** Records that the retention sweep erased the round's personal data (the first time counts). */
  markPersonalDataErased(roundId: string, at: string): Promise<void>;
}

/** The round's item: its key, its place in the listing by opening time, and its fields. */
export const roundItem = (round: Round) => ({
  ...roundKey(round.roundId),
  type: 'round',
  gsi1pk: roundsPartition,
  gsi1sk: roundListingSort(round),
  ...round,
});

export class DynamoRoundStore implements RoundStore {
  constructor(private readonly tableName: string) {}

  async create(round: Round): Promise<void> {
    await dynamo().send(
      new PutCommand({ TableName: this.tableName, Item: roundItem(round), ConditionExpression: 'attribute_not_exists(pk)' }),
    );
  }

  async get(roundId: string): Promise<Round | undefined> {
    const { Item } = await dynamo().send(new GetCommand({ TableName: this.tableName, Key: roundKey(roundId) }));
    return decode(StoredRound, Item);
  }

  async list(options: { openedBefore?: string } = {}): Promise<Round[]> {
    const items = await queryAll({
      TableName: this.tableName,
      IndexName: 'gsi1',
      KeyConditionExpression: options.openedBefore ? 'gsi1pk = :rounds AND gsi1sk < :before' : 'gsi1pk = :rounds',
      ExpressionAttributeValues: {
        ':rounds': roundsPartition,
        ...(options.openedBefore ? { ':before': `${options.openedBefore}~` } : {}),
      },
    });
    return decodeAll(StoredRound, items);
  }

  async update(roundId: string, change: RoundChange, now: string): Promise<Round | undefined> {
    const { removeNextRoundId, ...fields } = change;
    const values: Record<string, unknown> = { ':now': now };
    const names: Record<string, string> = {};
    const sets = Object.entries(fields).map(([name, value]) => {
      names[`#${name}`] = name;
      values[`:${name}`] = value;
      return `#${name} = :${name}`;
    });
    if (fields.opensAt) {
      sets.push('gsi1sk = :gsi1sk');
      values[':gsi1sk'] = roundListingSort({ opensAt: fields.opensAt, roundId });
    }
    const expression = [sets.length ? `SET ${sets.join(', ')}` : '', removeNextRoundId ? 'REMOVE nextRoundId' : '']
      .join(' ')
      .trim();
    const written = await conditionally(() =>
      dynamo().send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: roundKey(roundId),
          UpdateExpression: expression,
          ConditionExpression: 'attribute_exists(pk) AND closesAt > :now AND attribute_not_exists(selection)',
          ExpressionAttributeValues: values,
          ...(Object.keys(names).length ? { ExpressionAttributeNames: names } : {}),
          ReturnValues: 'ALL_NEW',
        }),
      ),
    );
    return decode(StoredRound, written?.Attributes);
  }

  markOpened(roundId: string, at: string, events: readonly PendingEvent[]): Promise<boolean> {
    // RoundOpened carries the schedule's time, the moment the window is stamped opened.
    return this.stampOnce(roundId, 'openedAt', 'attribute_exists(pk)', at, events, { eventsAt: at });
  }

  claimSelection(roundId: string, selection: StoredSelection, closeNow?: Date): Promise<boolean> {
    return succeeds(() =>
      dynamo().send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: roundKey(roundId),
          UpdateExpression: closeNow ? 'SET selection = :selection, closesAt = :now' : 'SET selection = :selection',
          ConditionExpression: closeNow
            ? 'attribute_exists(pk) AND attribute_not_exists(selection) AND attribute_not_exists(completedAt) AND closesAt > :now'
            : 'attribute_exists(pk) AND attribute_not_exists(selection) AND attribute_not_exists(completedAt)',
          ExpressionAttributeValues: { ':selection': selection, ...(closeNow ? { ':now': closeNow.toISOString() } : {}) },
        }),
      ),
    );
  }

  finishSelection(roundId: string, at: string, events: readonly PendingEvent[]): Promise<boolean> {
    return this.stampOnce(roundId, 'selectedAt', 'attribute_exists(selection)', at, events);
  }

  complete(roundId: string, at: string, events: readonly PendingEvent[]): Promise<boolean> {
    return this.stampOnce(roundId, 'completedAt', 'attribute_exists(selection)', at, events);
  }

  async markPersonalDataErased(roundId: string, at: string): Promise<void> {
    await dynamo().send(
      new UpdateCommand({
        TableName: this.tableName,
        Key: roundKey(roundId),
        UpdateExpression: 'SET personalDataErasedAt = if_not_exists(personalDataErasedAt, :at)',
        ExpressionAttributeValues: { ':at': at },
      }),
    );
  }

  /**
   * Sets a once-only time of a round (on `requires`) with its events; false (nothing written) when it
   * is set already. Unless `eventsAt` says otherwise the events are stamped with the moment they are
   * written, not `at`: a selection run writes many transactions at one `at`, and its history must list
   * them in the order they were written (SelectionCompleted last).
   */
  private stampOnce(
    roundId: string,
    attribute: 'openedAt' | 'selectedAt' | 'completedAt',
    requires: 'attribute_exists(pk)' | 'attribute_exists(selection)',
    at: string,
    events: readonly PendingEvent[],
    options: { eventsAt?: string } = {},
  ): Promise<boolean> {
    return committedUnless('round', () =>
      transact([
        part('round', {
          Update: {
            TableName: this.tableName,
            Key: roundKey(roundId),
            UpdateExpression: 'SET #stamp = :at',
            ConditionExpression: `${requires} AND attribute_not_exists(#stamp)`,
            ExpressionAttributeNames: { '#stamp': attribute },
            ExpressionAttributeValues: { ':at': at },
          },
        }),
        ...eventParts(events, { tableName: this.tableName, ...(options.eventsAt ? { at: options.eventsAt } : {}) }),
      ]),
    );
  }
}
