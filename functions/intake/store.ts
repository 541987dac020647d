// DynamoDB access for intake: rounds, applications and the one-application-per-municipality guard.
// A write that changes state takes its events along, into the same transaction (the outbox).
import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { GetCommand, PutCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { dynamo } from '../shared/aws.js';
import { applicationKey, guardKey, roundApplicationsPartition, roundKey } from '../shared/keys.js';
import { queryAll } from '../shared/dynamo-query.js';
import { ConflictError } from '../shared/errors.js';
import { eventParts, type PendingEvent } from '../shared/outbox.js';
import { part, transact, TransactionRefused } from '../shared/transactions.js';
import type { Application, Round } from './domain.js';

// Keys: functions/shared/keys.ts (rounds and applications).

/** The full item of a new application: its key, its place in the round's listing, and its fields. */
export const applicationItem = (application: Application) => ({
  ...applicationKey(application.applicationId),
  type: 'application',
  gsi1pk: roundApplicationsPartition(application.roundId),
  gsi1sk: `${application.receivedAt}#${application.applicationId}`,
  ...application,
});

export const strip = <T>(item: Record<string, unknown>): T => {
  const { pk: _pk, sk: _sk, gsi1pk: _g1, gsi1sk: _g2, type: _t, ...rest } = item;
  return rest as T;
};

export class IntakeStore {
  constructor(private readonly tableName: string) {}

  async putNewRound(round: Round): Promise<void> {
    await dynamo().send(
      new PutCommand({
        TableName: this.tableName,
        Item: {
          ...roundKey(round.roundId),
          type: 'round',
          gsi1pk: 'ROUNDS',
          gsi1sk: `${round.opensAt}#${round.roundId}`,
          ...round,
        },
        ConditionExpression: 'attribute_not_exists(pk)',
      }),
    );
  }

  async getRound(roundId: string): Promise<Round | undefined> {
    const { Item } = await dynamo().send(new GetCommand({ TableName: this.tableName, Key: roundKey(roundId) }));
    return Item ? strip<Round>(Item) : undefined;
  }

  /** Rounds by opening time; `openedBefore` limits to rounds whose window has started. */
  async listRounds(options: { openedBefore?: string } = {}): Promise<Round[]> {
    const items = await queryAll({
      TableName: this.tableName,
      IndexName: 'gsi1',
      KeyConditionExpression: options.openedBefore ? 'gsi1pk = :rounds AND gsi1sk < :before' : 'gsi1pk = :rounds',
      ExpressionAttributeValues: {
        ':rounds': 'ROUNDS',
        ...(options.openedBefore ? { ':before': `${options.openedBefore}~` } : {}),
      },
    });
    return items.map((item) => strip<Round>(item));
  }

  /**
   * Applies a coordinator's change, on the condition that the window is still open to change
   * (not closed, no selection) at `now`. Returns the round as it is now, or undefined when refused.
   */
  async updateRound(
    roundId: string,
    update: Partial<Round> & { removeNextRoundId?: true },
    now: string,
  ): Promise<Round | undefined> {
    const { removeNextRoundId, ...fields } = update;
    const values: Record<string, unknown> = { ':now': now };
    const names: Record<string, string> = {};
    const sets = Object.entries(fields).map(([name, value]) => {
      names[`#${name}`] = name;
      values[`:${name}`] = value;
      return `#${name} = :${name}`;
    });
    if (fields.opensAt) {
      sets.push('gsi1sk = :gsi1sk');
      values[':gsi1sk'] = `${fields.opensAt}#${roundId}`;
    }
    const expression = [sets.length ? `SET ${sets.join(', ')}` : '', removeNextRoundId ? 'REMOVE nextRoundId' : '']
      .join(' ')
      .trim();
    try {
      const { Attributes } = await dynamo().send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: roundKey(roundId),
          UpdateExpression: expression,
          ConditionExpression: 'attribute_exists(pk) AND closesAt > :now AND attribute_not_exists(selection)',
          ExpressionAttributeValues: values,
          ...(Object.keys(names).length ? { ExpressionAttributeNames: names } : {}),
          ReturnValues: 'ALL_NEW',
        }),
      );
      return Attributes ? strip<Round>(Attributes) : undefined;
    } catch (error) {
      if (error instanceof ConditionalCheckFailedException) return undefined;
      throw error;
    }
  }

  /**
   * Records that a round's application window has opened, with its events (RoundOpened) in the same
   * transaction. Returns false when it was recorded already (another run, or an earlier one): then
   * nothing is written, and the events of the run that recorded it are already on their way.
   */
  async markRoundOpened(roundId: string, at: string, events: readonly PendingEvent[]): Promise<boolean> {
    try {
      await transact([
        part('round', {
          Update: {
            TableName: this.tableName,
            Key: roundKey(roundId),
            UpdateExpression: 'SET openedAt = :at',
            ConditionExpression: 'attribute_exists(pk) AND attribute_not_exists(openedAt)',
            ExpressionAttributeValues: { ':at': at },
          },
        }),
        ...eventParts(events, { tableName: this.tableName, at }),
      ]);
      return true;
    } catch (error) {
      if (error instanceof TransactionRefused && error.refused('round')) return false;
      throw error;
    }
  }

  /**
   * Stores a new application in one transaction with its municipality guard, the round's count and
   * its events (ApplicationReceived), re-checking the window on the round item itself, so that
   * neither a race nor a closing window can leave a second application, a half-written one, or an
   * application without its event. Collisions with a concurrent request are retried by `transact`:
   * its outcome decides ours (duplicate or not).
   * Returns `created`, or `duplicate` with the application that the municipality already has (and
   * then writes nothing: the first request's events are already committed).
   */
  async createApplication(
    application: Application,
    now: string,
    events: readonly PendingEvent[],
  ): Promise<{ outcome: 'created'; application: Application } | { outcome: 'duplicate'; application: Application }> {
    const { roundId, applicationId, municipality } = application;
    try {
      await transact([
        part('round', {
          Update: {
            TableName: this.tableName,
            Key: roundKey(roundId),
            UpdateExpression: 'ADD applications :one',
            // The window is open: it has opened, has not closed, and no selection has started.
            ConditionExpression:
              'attribute_exists(pk) AND opensAt <= :now AND closesAt > :now AND attribute_not_exists(selection)',
            ExpressionAttributeValues: { ':one': 1, ':now': now },
          },
        }),
        part('guard', {
          Put: {
            TableName: this.tableName,
            Item: { ...guardKey(roundId, municipality.code), type: 'municipality-guard', applicationId },
            ConditionExpression: 'attribute_not_exists(pk)',
            ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
          },
        }),
        part('application', {
          Put: {
            TableName: this.tableName,
            Item: applicationItem(application),
            ConditionExpression: 'attribute_not_exists(pk)',
          },
        }),
        ...eventParts(events, { tableName: this.tableName, at: now }),
      ]);
      return { outcome: 'created', application };
    } catch (error) {
      if (!(error instanceof TransactionRefused)) throw error;
      if (error.refused('guard')) {
        const existingId = error.oldValue('guard')?.applicationId;
        const existing = typeof existingId === 'string' ? await this.getApplication(existingId) : undefined;
        if (existing) return { outcome: 'duplicate', application: existing };
      }
      if (error.refused('round')) {
        throw new ConflictError('The round is not open for applications', { code: 'round_not_open', cause: error });
      }
      throw error;
    }
  }

  async getApplication(applicationId: string): Promise<Application | undefined> {
    const { Item } = await dynamo().send(
      new GetCommand({ TableName: this.tableName, Key: applicationKey(applicationId), ConsistentRead: true }),
    );
    return Item ? strip<Application>(Item) : undefined;
  }

  /** Every application of a round, in order of arrival. */
  async listRoundApplications(roundId: string): Promise<Application[]> {
    const items = await queryAll({
      TableName: this.tableName,
      IndexName: 'gsi1',
      KeyConditionExpression: 'gsi1pk = :round',
      ExpressionAttributeValues: { ':round': roundApplicationsPartition(roundId) },
    });
    return items.map((item) => strip<Application>(item));
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

  /** The application a municipality made in a round, through its uniqueness guard. */
  async findApplicationOf(roundId: string, municipalityCode: string): Promise<Application | undefined> {
    const { Item } = await dynamo().send(
      new GetCommand({ TableName: this.tableName, Key: guardKey(roundId, municipalityCode), ConsistentRead: true }),
    );
    return typeof Item?.applicationId === 'string' ? this.getApplication(Item.applicationId) : undefined;
  }

  /**
   * Records a request for the status link with its event, unless one was recorded within `minutes`
   * (then nothing is written, and false is answered): the contact is mailed at most that often.
   */
  async recordStatusLinkRequest(application: Application, at: Date, minutes: number, events: readonly PendingEvent[]): Promise<boolean> {
    const before = new Date(at.getTime() - minutes * 60_000).toISOString();
    try {
      await transact([
        part('request', {
          Put: {
            TableName: this.tableName,
            Item: {
              pk: applicationKey(application.applicationId).pk,
              sk: 'STATUS-LINK',
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
      ]);
      return true;
    } catch (error) {
      if (error instanceof TransactionRefused && error.refused('request')) return false;
      throw error;
    }
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
}
