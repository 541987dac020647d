// The two implementations every webinar repository contract runs against: the in-memory fakes and
// the Dynamo stores on a table of their own in DynamoDB Local. `announced` reads back what a
// webinar's changes announced (the fake's record, or the event items the outbox wrote).
import { QueryCommand } from '@aws-sdk/lib-dynamodb';
import { dynamo } from '../../../functions/shared/aws.js';
import { historyKeys } from '../../../functions/shared/keys.js';
import { DynamoInvitationBatchStore, type InvitationBatchStore } from '../../../functions/stores/invitation-batches.js';
import { DynamoWebinarStore, type WebinarStore } from '../../../functions/stores/webinars.js';
import { createIsolatedTable } from '../../../local/testing.js';
import { MemoryInvitationBatchStore } from '../../support/memory/invitation-batches.js';
import { MemoryWebinarStore } from '../../support/memory/webinars.js';

export interface WebinarStores {
  webinars: WebinarStore;
  batches: InvitationBatchStore;
  /** The detail types announced for a webinar, sorted (their order in time is the history's business). */
  announced(webinarId: string): Promise<string[]>;
}

export const implementations: [name: string, make: () => Promise<WebinarStores>][] = [
  [
    'in memory',
    async () => {
      const webinars = new MemoryWebinarStore();
      return {
        webinars,
        batches: new MemoryInvitationBatchStore(webinars),
        announced: async (webinarId) =>
          webinars.events
            .filter((e) => (e.detail as { webinarId?: string }).webinarId === webinarId)
            .map((e) => e.detailType)
            .sort(),
      };
    },
  ],
  [
    'DynamoDB Local',
    async () => {
      const tableName = await createIsolatedTable('webinar-stores');
      return {
        webinars: new DynamoWebinarStore(tableName),
        batches: new DynamoInvitationBatchStore(tableName),
        announced: async (webinarId) => {
          const { Items } = await dynamo().send(
            new QueryCommand({
              TableName: tableName,
              KeyConditionExpression: 'pk = :pk',
              ExpressionAttributeValues: { ':pk': historyKeys.partition('webinar', webinarId) },
              ConsistentRead: true,
            }),
          );
          return (Items ?? []).map((item) => String(item.detailType)).sort();
        },
      };
    },
  ],
];
