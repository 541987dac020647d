// Reads the audit trail: the event items of one subject's partition, or of a round (gsi1), a page at a time,
// each item parsed with the StoredEvent codec.
import { DeleteCommand, QueryCommand, type DynamoDBDocumentClient, type QueryCommandInput } from '@aws-sdk/lib-dynamodb';
import { StoredEvent, type HistorySubject } from '../../schemas/events/stored.js';
import { dynamo } from '../shared/aws.js';
import { historyKeys } from '../shared/keys.js';
import { tableKeys } from '../../infra/table-definition.js';

/** One page of a history: the events after `after` (a position `<at>#<nn>#<eventId>`), oldest first. */
export interface HistoryPageRequest {
  after?: string;
  limit: number;
}

export interface StoredEventPage {
  events: StoredEvent[];
  /** The position of the last event, when more follow. */
  lastPosition?: string;
}

/** The port the history use cases read through. */
export interface HistoryReader {
  page(subject: HistorySubject, id: string, request: HistoryPageRequest): Promise<StoredEventPage>;
}

/** An event item's position in its history, whichever partition it was read from. */
const positionOf = (item: Record<string, unknown>): string => {
  const sk = typeof item.sk === 'string' ? item.sk : '';
  return sk.startsWith(historyKeys.sortPrefix) ? sk.slice(historyKeys.sortPrefix.length) : '';
};

export class HistoryStore implements HistoryReader {
  constructor(
    private readonly tableName: string,
    private readonly client: () => DynamoDBDocumentClient = dynamo,
  ) {}

  /**
   * A round's history is every event of the round (gsi1, its own and its applications', engagements'
   * and webinars'); the others are their subject's own partition.
   */
  async page(subject: HistorySubject, id: string, { after, limit }: HistoryPageRequest): Promise<StoredEventPage> {
    const query: Omit<QueryCommandInput, 'ExclusiveStartKey' | 'Limit'> =
      subject === 'round'
        ? {
            TableName: this.tableName,
            IndexName: tableKeys.gsi1.indexName,
            KeyConditionExpression: after ? 'gsi1pk = :pk AND gsi1sk > :after' : 'gsi1pk = :pk',
            ExpressionAttributeValues: { ':pk': historyKeys.roundPartition(id), ...(after ? { ':after': after } : {}) },
          }
        : {
            TableName: this.tableName,
            KeyConditionExpression: after ? 'pk = :pk AND sk > :after' : 'pk = :pk AND begins_with(sk, :events)',
            ExpressionAttributeValues: {
              ':pk': historyKeys.partition(subject, id),
              ...(after ? { ':after': `${historyKeys.sortPrefix}${after}` } : { ':events': historyKeys.sortPrefix }),
            },
            ConsistentRead: true,
          };
    // One more than asked tells whether a next page exists; a response may stop short at 1 MB.
    const items: Record<string, unknown>[] = [];
    let ExclusiveStartKey: Record<string, unknown> | undefined;
    do {
      const response = await this.client().send(
        new QueryCommand({ ...query, ExclusiveStartKey, Limit: limit + 1 - items.length }),
      );
      items.push(...(response.Items ?? []));
      ExclusiveStartKey = response.LastEvaluatedKey;
    } while (ExclusiveStartKey && items.length <= limit);
    const pageItems = items.slice(0, limit);
    const events = pageItems.map((item) => StoredEvent.parse(item));
    const last = pageItems.at(-1);
    return { events, ...(items.length > limit && last ? { lastPosition: positionOf(last) } : {}) };
  }

  /**
   * Retention: deletes every event item of the round (gsi1) and of the given subjects' partitions (its
   * applications', engagements' and webinars', which also hold events that did not name the round).
   * Returns how many items went.
   */
  async eraseRound(roundId: string, subjects: readonly { subject: HistorySubject; id: string }[]): Promise<number> {
    const keys = new Map<string, { pk: string; sk: string }>();
    const collect = async (query: Omit<QueryCommandInput, 'ExclusiveStartKey'>) => {
      let ExclusiveStartKey: Record<string, unknown> | undefined;
      do {
        const response = await this.client().send(
          new QueryCommand({ ...query, ExclusiveStartKey, ProjectionExpression: 'pk, sk' }),
        );
        for (const item of response.Items ?? []) {
          if (typeof item.pk === 'string' && typeof item.sk === 'string')
            keys.set(`${item.pk}\n${item.sk}`, { pk: item.pk, sk: item.sk });
        }
        ExclusiveStartKey = response.LastEvaluatedKey;
      } while (ExclusiveStartKey);
    };
    await collect({
      TableName: this.tableName,
      IndexName: tableKeys.gsi1.indexName,
      KeyConditionExpression: 'gsi1pk = :pk',
      ExpressionAttributeValues: { ':pk': historyKeys.roundPartition(roundId) },
    });
    for (const { subject, id } of [{ subject: 'round' as const, id: roundId }, ...subjects]) {
      await collect({
        TableName: this.tableName,
        KeyConditionExpression: 'pk = :pk AND begins_with(sk, :events)',
        ExpressionAttributeValues: { ':pk': historyKeys.partition(subject, id), ':events': historyKeys.sortPrefix },
        ConsistentRead: true,
      });
    }
    for (const Key of keys.values()) await this.client().send(new DeleteCommand({ TableName: this.tableName, Key }));
    return keys.size;
  }
}
