// The single DynamoDB table's key schema, shared by the CDK stack and the local runtime so that
// DynamoDB Local gets exactly the table that AWS gets.
import { outboxRelay } from './outbox-relay.js';

export const tableKeys = {
  partitionKey: 'pk',
  sortKey: 'sk',
  /** Secondary index for listings: rounds by opening time, applications of a round by arrival. */
  gsi1: { indexName: 'gsi1', partitionKey: 'gsi1pk', sortKey: 'gsi1sk' },
  /** Epoch seconds after which DynamoDB may delete an item (idempotency records, expired tokens). */
  ttlAttribute: 'expiresAt',
} as const;

/** The table's stream, as CreateTable and UpdateTable take it. */
export const streamSpecification = { StreamEnabled: true, StreamViewType: outboxRelay.streamViewType };

/** CreateTable input for DynamoDB Local (on-demand, like the CDK table). */
export function createTableInput(tableName: string) {
  const { partitionKey, sortKey, gsi1 } = tableKeys;
  return {
    TableName: tableName,
    BillingMode: 'PAY_PER_REQUEST' as const,
    // The outbox relay reads event items from the stream (outbox-relay.ts).
    StreamSpecification: streamSpecification,
    AttributeDefinitions: [partitionKey, sortKey, gsi1.partitionKey, gsi1.sortKey].map((name) => ({
      AttributeName: name,
      AttributeType: 'S' as const,
    })),
    KeySchema: [
      { AttributeName: partitionKey, KeyType: 'HASH' as const },
      { AttributeName: sortKey, KeyType: 'RANGE' as const },
    ],
    GlobalSecondaryIndexes: [
      {
        IndexName: gsi1.indexName,
        KeySchema: [
          { AttributeName: gsi1.partitionKey, KeyType: 'HASH' as const },
          { AttributeName: gsi1.sortKey, KeyType: 'RANGE' as const },
        ],
        Projection: { ProjectionType: 'ALL' as const },
      },
    ],
  };
}
