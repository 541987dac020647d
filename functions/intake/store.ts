// DynamoDB access for intake: rounds, applications and the one-application-per-municipality guard.
import { ConditionalCheckFailedException, TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import { unmarshall } from '@aws-sdk/util-dynamodb';
import { GetCommand, PutCommand, TransactWriteCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { dynamo } from '../shared/aws.js';
import { queryAll } from '../shared/dynamo-query.js';
import { ConflictError } from '../shared/errors.js';
import type { Application, Round } from './domain.js';

// Key layout (single table):
//   round        pk ROUND#<roundId>   sk ROUND                  gsi1 ROUNDS / <opensAt>#<roundId>
//   municipality pk ROUND#<roundId>   sk MUNICIPALITY#<code>    → applicationId (the uniqueness guard)
//   application  pk APPLICATION#<id>  sk APPLICATION            gsi1 ROUND#<roundId>#APPLICATIONS / <receivedAt>#<id>
export const roundKey = (roundId: string) => ({ pk: `ROUND#${roundId}`, sk: 'ROUND' });
export const guardKey = (roundId: string, code: string) => ({ pk: `ROUND#${roundId}`, sk: `MUNICIPALITY#${code}` });
export const applicationKey = (applicationId: string) => ({ pk: `APPLICATION#${applicationId}`, sk: 'APPLICATION' });

/** The full item of a new application: its key, its place in the round's listing, and its fields. */
export const applicationItem = (application: Application) => ({
  ...applicationKey(application.applicationId),
  type: 'application',
  gsi1pk: `ROUND#${application.roundId}#APPLICATIONS`,
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
   * Claims the announcement of a round's opening for one scheduler run. A claim that is older than
   * `leaseMs` without `openedAt` belongs to a run that died before publishing, and can be taken over.
   */
  async claimRoundOpening(roundId: string, at: Date, leaseMs = 60_000): Promise<boolean> {
    try {
      await dynamo().send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: roundKey(roundId),
          UpdateExpression: 'SET openingClaimedAt = :at',
          ConditionExpression:
            'attribute_exists(pk) AND attribute_not_exists(openedAt) AND (attribute_not_exists(openingClaimedAt) OR openingClaimedAt < :stale)',
          ExpressionAttributeValues: { ':at': at.toISOString(), ':stale': new Date(at.getTime() - leaseMs).toISOString() },
        }),
      );
      return true;
    } catch (error) {
      if (error instanceof ConditionalCheckFailedException) return false;
      throw error;
    }
  }

  async markRoundOpened(roundId: string, at: string): Promise<void> {
    await dynamo().send(
      new UpdateCommand({
        TableName: this.tableName,
        Key: roundKey(roundId),
        UpdateExpression: 'SET openedAt = if_not_exists(openedAt, :at)',
        ConditionExpression: 'attribute_exists(pk)',
        ExpressionAttributeValues: { ':at': at },
      }),
    );
  }

  /**
   * Stores a new application in one transaction with its municipality guard and the round's count,
   * re-checking the window on the round item itself, so that neither a race nor a closing window
   * can leave a second application or a half-written one.
   * Returns `created`, or `duplicate` with the application that the municipality already has.
   */
  async createApplication(
    application: Application,
    now: string,
  ): Promise<{ outcome: 'created'; application: Application } | { outcome: 'duplicate'; application: Application }> {
    const { roundId, applicationId, municipality } = application;
    for (let attempt = 1; ; attempt++) {
      try {
        await dynamo().send(
          new TransactWriteCommand({
            TransactItems: [
              {
                Update: {
                  TableName: this.tableName,
                  Key: roundKey(roundId),
                  UpdateExpression: 'ADD applications :one',
                  // The window is open: it has opened, has not closed, and no selection has started.
                  ConditionExpression:
                    'attribute_exists(pk) AND opensAt <= :now AND closesAt > :now AND attribute_not_exists(selection)',
                  ExpressionAttributeValues: { ':one': 1, ':now': now },
                },
              },
              {
                Put: {
                  TableName: this.tableName,
                  Item: { ...guardKey(roundId, municipality.code), type: 'municipality-guard', applicationId },
                  ConditionExpression: 'attribute_not_exists(pk)',
                  ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
                },
              },
              {
                Put: {
                  TableName: this.tableName,
                  Item: applicationItem(application),
                  ConditionExpression: 'attribute_not_exists(pk)',
                },
              },
            ],
          }),
        );
        return { outcome: 'created', application };
      } catch (error) {
        if (!(error instanceof TransactionCanceledException)) throw error;
        const [roundReason, guardReason] = error.CancellationReasons ?? [];
        if (guardReason?.Code === 'ConditionalCheckFailed') {
          const existingId = guardReason.Item ? String(unmarshall(guardReason.Item).applicationId) : undefined;
          const existing = existingId ? await this.getApplication(existingId) : undefined;
          if (existing) return { outcome: 'duplicate', application: existing };
        }
        if (roundReason?.Code === 'ConditionalCheckFailed') {
          throw new ConflictError('The round is not open for applications', { code: 'round_not_open', cause: error });
        }
        // TransactionConflict: another request touched the same items at the same moment. Its
        // outcome decides ours (duplicate or not), so try again after a short, jittered pause.
        if (attempt >= 5) throw error;
        await new Promise((resolve) => setTimeout(resolve, 20 * attempt + Math.random() * 30));
      }
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
      ExpressionAttributeValues: { ':round': `ROUND#${roundId}#APPLICATIONS` },
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
