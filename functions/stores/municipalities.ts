// The municipality register: ~300 small items in one partition, read whole with one query and
// written in batches (an import is idempotent: the same rows written again change nothing).
import { BatchWriteCommand, type BatchWriteCommandInput, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { StoredMunicipality, type Municipality } from '../../schemas/stored/municipality.js';
import { dynamo } from '../shared/aws.js';
import { queryAll } from '../shared/dynamo-query.js';
import { decodeAll } from '../shared/items.js';
import { municipalityKey, registerPartition } from '../shared/keys.js';
import { retryWithBackoff } from '../shared/retry.js';

export interface MunicipalityStore {
  /** Every municipality on record, removed ones included. */
  all(): Promise<Municipality[]>;
  /** Writes these municipalities (each replaces the one of its code). */
  save(municipalities: readonly Municipality[]): Promise<void>;
}

class UnprocessedItems extends Error {
  constructor(readonly left: NonNullable<BatchWriteCommandInput['RequestItems']>) {
    super('DynamoDB left items of a batch unprocessed');
  }
}

export class DynamoMunicipalityStore implements MunicipalityStore {
  /** `client`: the handlers' shared client by default; the local runtime passes its own for its start-up import. */
  constructor(
    private readonly tableName: string,
    private readonly client: () => DynamoDBDocumentClient = dynamo,
  ) {}

  async all(): Promise<Municipality[]> {
    const items = await queryAll<Record<string, unknown>>(
      {
        TableName: this.tableName,
        KeyConditionExpression: 'pk = :pk AND begins_with(sk, :municipality)',
        ExpressionAttributeValues: { ':pk': registerPartition, ':municipality': 'MUNICIPALITY#' },
        ConsistentRead: true,
      },
      this.client(),
    );
    return decodeAll(StoredMunicipality, items);
  }

  async save(municipalities: readonly Municipality[]): Promise<void> {
    for (let i = 0; i < municipalities.length; i += 25) {
      let requests: NonNullable<BatchWriteCommandInput['RequestItems']> = {
        [this.tableName]: municipalities.slice(i, i + 25).map((m) => ({
          PutRequest: { Item: { ...municipalityKey(m.code), type: 'municipality', ...m } },
        })),
      };
      // A batch may come back partly unprocessed under load: write what is left until none is.
      await retryWithBackoff(
        async () => {
          const { UnprocessedItems: left } = await this.client().send(new BatchWriteCommand({ RequestItems: requests }));
          if (left && Object.keys(left).length > 0) {
            requests = left as typeof requests;
            throw new UnprocessedItems(requests);
          }
        },
        { retryable: (error) => error instanceof UnprocessedItems, forMs: 10_000, baseDelayMs: 20 },
      );
    }
  }
}
