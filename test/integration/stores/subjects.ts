// The two implementations each repository contract runs against: the in-memory fakes, and the
// DynamoDB stores on a table of their own on DynamoDB Local. Each reads back the events a change wrote.
import { ScanCommand } from '@aws-sdk/lib-dynamodb';
import { dynamo } from '../../../functions/shared/aws.js';
import { eventItemType } from '../../../functions/shared/keys.js';
import { DynamoApplicationStore, type ApplicationStore } from '../../../functions/stores/applications.js';
import { DynamoRoundStore, type RoundStore } from '../../../functions/stores/rounds.js';
import { createIsolatedTable } from '../../../local/testing.js';
import { MemoryApplicationStore } from '../../support/memory/applications.js';
import { MemoryRoundStore } from '../../support/memory/rounds.js';

export interface Subject {
  rounds: RoundStore;
  applications: ApplicationStore;
  /** The detail-types of the events written about `roundId` (its own and its applications'), sorted. */
  eventsOf(roundId: string): Promise<string[]>;
}

export const subjects: { name: string; make: () => Promise<Subject> }[] = [
  {
    name: 'in memory',
    make: async () => {
      const rounds = new MemoryRoundStore();
      return {
        rounds,
        applications: new MemoryApplicationStore(rounds),
        eventsOf: async (roundId) =>
          rounds.log.events
            .filter((e) => (e.detail as { roundId?: string }).roundId === roundId)
            .map((e) => e.detailType)
            .sort(),
      };
    },
  },
  {
    name: 'DynamoDB',
    make: async () => {
      const tableName = await createIsolatedTable('stores');
      return {
        rounds: new DynamoRoundStore(tableName),
        applications: new DynamoApplicationStore(tableName),
        eventsOf: async (roundId) => {
          const { Items = [] } = await dynamo().send(
            new ScanCommand({
              TableName: tableName,
              FilterExpression: '#type = :event AND roundId = :round',
              ExpressionAttributeNames: { '#type': 'type' },
              ExpressionAttributeValues: { ':event': eventItemType, ':round': roundId },
              ConsistentRead: true,
            }),
          );
          return Items.map((item) => String(item.detailType)).sort();
        },
      };
    },
  },
];
